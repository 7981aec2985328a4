"""Changing records as a merchant would, through the control API, seen through the store API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests

from tests.emulator_process import Emulator, running_emulator

PRODUCT = "/v3/catalog/products/{id}"


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--quota", "0", "--seed", "3") as e:
        yield e


@pytest.fixture
def emu(module_emu: Emulator) -> Emulator:
    module_emu.reset()
    module_emu.control("DELETE", "/triggers")
    return module_emu


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _product(emu: Emulator, product_id: int) -> requests.Response:
    return emu.api("GET", PRODUCT.format(id=product_id))


def test_patch_changes_fields_with_their_types_and_bumps_date_modified(emu: Emulator) -> None:
    before = emu.collection("products")[0]
    pid = before["id"]
    after = emu.update_record("products", pid, name="Renamed by merchant", price="12.34")
    assert after["name"] == "Renamed by merchant"
    # The stored price stays a number (Decimal), not the string that was sent.
    assert after["price"] == 12.34
    assert _dt(after["date_modified"]) > _dt(before["date_modified"])
    served = _product(emu, pid).json()["data"]
    assert served["name"] == "Renamed by merchant"
    assert served["price"] == 12.34
    assert served["date_modified"] == after["date_modified"]


def test_patch_with_an_explicit_date_modified_keeps_it(emu: Emulator) -> None:
    pid = emu.collection("products")[1]["id"]
    after = emu.update_record("products", pid, date_modified="2024-02-03T04:05:06Z")
    assert _dt(after["date_modified"]) == _dt("2024-02-03T04:05:06+00:00")
    served = _product(emu, pid).json()["data"]
    assert _dt(served["date_modified"]) == _dt("2024-02-03T04:05:06+00:00")


@pytest.mark.parametrize(
    ("path", "body", "status", "needle"),
    [
        ("/products/999999", {"name": "x"}, 404, "999999"),
        ("/no_such_collection/1", {"name": "x"}, 404, "no_such_collection"),
        ("/products/{id}", {"date_modified": "not a date"}, 400, "date_modified"),
        ("/products/{id}", {"price": "twelve"}, 400, "price"),
        ("/products/{id}", {"id": 5}, 400, "id"),
    ],
)
def test_patch_errors_are_clear(
    emu: Emulator, path: str, body: dict[str, object], status: int, needle: str
) -> None:
    pid = emu.collection("products")[0]["id"]
    url = f"{emu.base_url}/__emulator/stores/{emu.store_hash}/collections" + path.format(id=pid)
    r = emu.session.patch(url, json=body, timeout=30)
    assert r.status_code == status
    assert needle in r.json()["error"]


def test_delete_removes_the_record(emu: Emulator) -> None:
    pid = emu.collection("products")[0]["id"]
    assert _product(emu, pid).status_code == 200
    emu.delete_record("products", pid)
    assert _product(emu, pid).status_code == 404
    assert pid not in {p["id"] for p in emu.collection("products")}
    r = emu.session.delete(
        f"{emu.base_url}/__emulator/stores/{emu.store_hash}/collections/products/{pid}",
        timeout=30,
    )
    assert r.status_code == 404


def test_create_through_a_registered_factory(emu: Emulator) -> None:
    names = emu.control("GET", "/factories")
    assert names, "no area generator registered a factory"
    name = "products" if "products" in names else names[0]
    count = len(emu.collection(name))
    rec = emu.create_record(name)
    assert rec["id"] not in {r["id"] for r in emu.collection(name)[:count]}
    assert len(emu.collection(name)) >= count + 1
    assert emu.control("GET", f"/stores/{emu.store_hash}/collections/{name}/{rec['id']}") == rec


def test_create_without_a_factory_is_a_clear_400(emu: Emulator) -> None:
    r = emu.session.post(
        f"{emu.base_url}/__emulator/stores/{emu.store_hash}/collections/no_such_thing",
        json={},
        timeout=30,
    )
    assert r.status_code == 400
    assert "no factory" in r.json()["error"] and "no_such_thing" in r.json()["error"]


def test_touch_by_ids(emu: Emulator) -> None:
    products = emu.collection("products")
    ids = [products[0]["id"], products[2]["id"]]
    assert emu.touch("products", ids=ids) == sorted(ids)
    after = {p["id"]: p for p in emu.collection("products")}
    for p in products:
        bumped = _dt(after[p["id"]]["date_modified"]) > _dt(p["date_modified"])
        assert bumped == (p["id"] in ids)
        assert after[p["id"]]["name"] == p["name"]


def test_touch_a_seeded_fraction_is_repeatable(emu: Emulator) -> None:
    total = len(emu.collection("products"))
    first = emu.touch("products", fraction=0.25, seed=11)
    assert len(first) == round(total * 0.25)
    emu.reset()
    assert emu.touch("products", fraction=0.25, seed=11) == first
    assert emu.touch("products", fraction=0.25, seed=12) != first


def test_reset_restores_the_seeded_data(emu: Emulator) -> None:
    original = emu.collection("products")
    emu.update_record("products", original[0]["id"], name="changed")
    emu.delete_record("products", original[1]["id"])
    emu.reset()
    assert emu.collection("products") == original


def test_create_store_with_scoped_tokens(emu: Emulator) -> None:
    body = {
        "store_hash": "made-by-test",
        "size": "tiny",
        "seed": 5,
        "tokens": [{"token": "ro", "scopes": ["store_v2_products_read_only"]}],
    }
    emu.control("POST", "/stores", json=body)
    url = f"{emu.base_url}/stores/made-by-test/v3/catalog/products"
    assert emu.session.get(url, headers={"X-Auth-Token": "ro"}, timeout=30).status_code == 200
    assert emu.session.get(url, headers={"X-Auth-Token": emu.token}, timeout=30).status_code == 401
    again = emu.session.post(f"{emu.base_url}/__emulator/stores", json=body, timeout=30)
    assert again.status_code == 409


def test_reseed_changes_the_data_and_the_old_seed_brings_it_back(emu: Emulator) -> None:
    original = emu.collection("products")
    emu.reset(seed=99)
    assert emu.collection("products") != original
    emu.reset(seed=3)
    assert emu.collection("products") == original
    emu.reset(seed=3, products=2)
    assert len(emu.collection("products")) == 2
    emu.reset(seed=3, size="tiny")
    assert emu.collection("products") == original


def test_every_registered_factory_creates_a_stored_record(emu: Emulator) -> None:
    for name in emu.control("GET", "/factories"):
        existing = emu.collection(name)
        before = {r["id"] for r in existing}
        url = f"{emu.base_url}/__emulator/stores/{emu.store_hash}/collections/{name}"
        r = emu.session.post(url, json={}, timeout=30)
        if r.status_code == 400:
            # A child needs its parent: the error names the field; an existing child has one.
            message = r.json()["error"]
            words = set(re.findall(r"\w+", message))
            fields = [k for k in (existing[0] if existing else {}) if k != "id" and k in words]
            assert fields, f"{name}: {message}"
            r = emu.session.post(url, json={fields[0]: existing[0][fields[0]]}, timeout=30)
        assert r.status_code == 201, f"{name}: {r.status_code} {r.text[:200]}"
        rec = r.json()
        assert rec["id"] not in before, name
        stored = emu.control("GET", f"/stores/{emu.store_hash}/collections/{name}/{rec['id']}")
        assert stored == rec, name
