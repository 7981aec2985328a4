"""Product writes over HTTP: create, update, batch update (413, 207, 404/409/422), delete,
and the ``date_modified`` bumps that a change to the product or one of its children makes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # One writable store for the module; every test makes or picks its own records.
    with running_emulator("--size", "small", "--seed", "3", "--quota", "0") as e:
        yield e


def _product(emu: Emulator, pid: int, **params: Any) -> dict[str, Any]:
    r = emu.api("GET", f"/v3/catalog/products/{pid}", params=params)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


def _new(emu: Emulator, **fields: Any) -> dict[str, Any]:
    body = {"name": "Test Lamp", "type": "physical", "weight": 1.5, "price": 19.99, **fields}
    r = emu.api("POST", "/v3/catalog/products", json=body)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


def test_create_returns_the_product_with_its_base_variant(emu: Emulator) -> None:
    made = _new(
        emu,
        name="Brass Desk Lamp",
        sku="LAMP-1",
        inventory_level=7,
        inventory_tracking="product",
        custom_fields=[{"name": "Bulb", "value": "E27"}],
    )
    assert made["name"] == "Brass Desk Lamp" and made["price"] == 19.99
    assert made["calculated_price"] == 19.99
    assert made["date_created"] == made["date_modified"]
    assert [v["sku"] for v in made["variants"]] == ["LAMP-1"]
    assert made["base_variant_id"] == made["variants"][0]["id"]
    assert made["variants"][0]["inventory_level"] == 7
    assert made["custom_fields"][0]["name"] == "Bulb"
    found = emu.api("GET", "/v3/catalog/products", params={"sku:in": "LAMP-1"}).json()["data"]
    assert [p["id"] for p in found] == [made["id"]]


def test_create_with_variants_makes_options(emu: Emulator) -> None:
    made = _new(
        emu,
        name="Canvas Tote",
        sku="TOTE",
        variants=[
            {
                "sku": "TOTE-RED",
                "option_values": [{"option_display_name": "Color", "label": "Red"}],
            },
            {
                "sku": "TOTE-BLU",
                "option_values": [{"option_display_name": "Color", "label": "Blue"}],
            },
        ],
    )
    options = emu.api("GET", f"/v3/catalog/products/{made['id']}/options").json()["data"]
    assert [o["display_name"] for o in options] == ["Color"]
    assert [v["label"] for v in options[0]["option_values"]] == ["Red", "Blue"]
    assert sorted(v["sku"] for v in made["variants"]) == ["TOTE-BLU", "TOTE-RED"]


def test_create_conflicts_and_validation(emu: Emulator) -> None:
    existing = _product(emu, 1, include="variants")
    r = emu.api(
        "POST",
        "/v3/catalog/products",
        json={"name": existing["name"].upper(), "type": "physical", "weight": 1, "price": 1},
    )
    assert r.status_code == 409 and "name" in r.json()["errors"]
    variant_sku = existing["variants"][1]["sku"]
    r = emu.api(
        "POST",
        "/v3/catalog/products",
        json={"name": "Unique 1", "sku": variant_sku, "type": "physical", "weight": 1, "price": 1},
    )
    assert r.status_code == 409 and "sku" in r.json()["errors"]
    r = emu.api("POST", "/v3/catalog/products", json={"name": "Unique 2", "type": "physical"})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"weight", "price"}
    assert r.json()["title"] and r.json()["type"]
    r = emu.api(
        "POST",
        "/v3/catalog/products",
        json={"name": "Unique 3", "type": "boat", "weight": -1, "price": "x"},
    )
    assert r.status_code == 422 and set(r.json()["errors"]) == {"type", "weight", "price"}
    r = emu.api(
        "POST",
        "/v3/catalog/products",
        json={"name": "Unique 4", "type": "physical", "weight": 1, "price": 1, "brand_id": 99999},
    )
    assert r.status_code == 409 and "brand_id" in r.json()["errors"]
    r = emu.api(
        "POST",
        "/v3/catalog/products",
        data="not json",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400


def test_update_bumps_date_modified_and_keeps_sku_on_base_variant(emu: Emulator) -> None:
    before = _product(emu, 4)
    r = emu.api("PUT", "/v3/catalog/products/4", json={"price": 12.34, "sale_price": 10})
    assert r.status_code == 200, r.text
    after = r.json()["data"]
    assert after["price"] == 12.34 and after["calculated_price"] == 10
    assert after["date_modified"] > before["date_modified"]
    assert after["date_created"] == before["date_created"]
    r = emu.api("PUT", "/v3/catalog/products/4", json={"name": _product(emu, 5)["name"]})
    assert r.status_code == 409
    assert emu.api("PUT", "/v3/catalog/products/999999", json={"price": 1}).status_code == 404


def test_negative_stock_is_the_documented_207(emu: Emulator) -> None:
    r = emu.api("PUT", "/v3/catalog/products/6", json={"inventory_level": -3, "price": 7.5})
    assert r.status_code == 207
    body = r.json()
    assert body["data"]["price"] == 7.5 and body["data"]["inventory_level"] >= 0
    assert "inventory_level" in body["errors"]["errors"]


def test_batch_update_caps_at_ten(emu: Emulator) -> None:
    r = emu.api("PUT", "/v3/catalog/products", json=[{"id": i, "price": 1} for i in range(1, 12)])
    assert r.status_code == 413
    assert "10" in r.json()["title"]


def test_batch_update_all_good_is_200_and_logged_with_its_size(emu: Emulator) -> None:
    since = max((e["seq"] for e in emu.requests_log()), default=0)
    items = [{"id": i, "price": 20 + i} for i in (7, 8, 9)]
    r = emu.api("PUT", "/v3/catalog/products", json=items)
    assert r.status_code == 200, r.text
    assert [(p["id"], p["price"]) for p in r.json()["data"]] == [(7, 27), (8, 28), (9, 29)]
    log = [e for e in emu.requests_log(since) if e["method"] == "PUT"]
    assert log[-1]["items"] == 3


def test_batch_update_partial_failure_is_207(emu: Emulator) -> None:
    taken = _product(emu, 11)["sku"]
    items = [
        {"id": 10, "price": 99.5},
        {"id": 999999, "price": 1},
        {"id": 12, "sku": taken},
        {"price": 3},
        {"id": 13, "weight": "heavy"},
    ]
    r = emu.api("PUT", "/v3/catalog/products", json=items)
    assert r.status_code == 207, r.text
    body = r.json()
    assert [p["id"] for p in body["data"]] == [10]
    assert body["data"][0]["price"] == 99.5
    assert set(body["errors"]["errors"]) == {"1.id", "2.sku", "3.id", "4.weight"}
    assert body["errors"]["status"] == 422 and body["errors"]["title"]
    assert _product(emu, 12)["sku"] != taken


def test_batch_update_all_failing_takes_their_status(emu: Emulator) -> None:
    r = emu.api("PUT", "/v3/catalog/products", json=[{"id": 999998}, {"id": 999999}])
    assert r.status_code == 404
    assert set(r.json()["errors"]) == {"0.id", "1.id"}
    names = [_product(emu, 14)["name"], _product(emu, 15)["name"]]
    r = emu.api("PUT", "/v3/catalog/products", json=[{"id": 16, "name": names[0]}])
    assert r.status_code == 409 and "0.name" in r.json()["errors"]
    # Two items of one batch may not claim the same new SKU either.
    r = emu.api(
        "PUT",
        "/v3/catalog/products",
        json=[{"id": 17, "sku": "SAME-NEW"}, {"id": 18, "sku": "SAME-NEW"}],
    )
    assert r.status_code == 207 and set(r.json()["errors"]["errors"]) == {"1.sku"}


def test_child_changes_bump_the_product(emu: Emulator) -> None:
    pid = 20
    stamps = [_product(emu, pid)["date_modified"]]

    def changed() -> None:
        now = _product(emu, pid)["date_modified"]
        assert now >= stamps[-1]
        stamps.append(now)

    r = emu.api(
        "POST", f"/v3/catalog/products/{pid}/custom-fields", json={"name": "Fit", "value": "Slim"}
    )
    assert r.status_code == 200, r.text
    assert _product(emu, pid)["date_modified"] > stamps[0]
    changed()
    variant = emu.api("GET", f"/v3/catalog/products/{pid}/variants").json()["data"][0]
    r = emu.api(
        "PUT", f"/v3/catalog/products/{pid}/variants/{variant['id']}", json={"inventory_level": 500}
    )
    assert r.status_code == 200, r.text
    changed()
    product = _product(emu, pid, include="variants")
    assert product["inventory_level"] == sum(v["inventory_level"] for v in product["variants"])
    r = emu.api(
        "POST",
        f"/v3/catalog/products/{pid}/images",
        json={"image_url": "https://example.com/a.jpg", "is_thumbnail": True},
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["url_zoom"].startswith("https://")
    changed()
    found = emu.api(
        "GET",
        "/v3/catalog/products",
        params={"date_modified:min": stamps[-1], "sort": "date_modified"},
    ).json()["data"]
    assert pid in [p["id"] for p in found]


def test_delete_by_id_in_and_single(emu: Emulator) -> None:
    a, b = _new(emu, name="Doomed A"), _new(emu, name="Doomed B")
    r = emu.api("DELETE", "/v3/catalog/products", params={"id:in": f"{a['id']},{b['id']}"})
    assert r.status_code == 204 and r.content == b""
    assert emu.api("GET", f"/v3/catalog/products/{a['id']}").status_code == 404
    assert emu.api("GET", f"/v3/catalog/products/{b['id']}/variants").status_code == 404
    gone = emu.api("GET", "/v3/catalog/variants", params={"product_id:in": str(a["id"])}).json()
    assert gone["data"] == []
    c = _new(emu, name="Doomed C")
    assert emu.api("DELETE", f"/v3/catalog/products/{c['id']}").status_code == 204
    assert emu.api("GET", f"/v3/catalog/products/{c['id']}").status_code == 404
    assert emu.api("DELETE", "/v3/catalog/products").status_code == 422
    r = emu.api("DELETE", "/v3/catalog/products", params={"include": "variants", "limit": "5"})
    assert r.status_code == 422, "paging and include are not filters: nothing may be deleted"
    assert emu.api("GET", "/v3/catalog/products/1").status_code == 200


def test_update_carries_variants_and_custom_fields(emu: Emulator) -> None:
    product = _product(emu, 21, include="variants,custom_fields")
    v = product["variants"][0]
    body = {
        "variants": [{"id": v["id"], "price": 77.7}],
        "custom_fields": [{"name": "Batch", "value": "B-7"}],
    }
    r = emu.api("PUT", "/v3/catalog/products/21", json=body)
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert next(x for x in out["variants"] if x["id"] == v["id"])["price"] == 77.7
    assert ("Batch", "B-7") in [(c["name"], c["value"]) for c in out["custom_fields"]]
    other = _product(emu, 22, include="variants")["variants"][0]
    r = emu.api(
        "PUT", "/v3/catalog/products/21", json={"price": 1, "variants": [{"id": other["id"]}]}
    )
    assert r.status_code == 422 and "variants.0.id" in r.json()["errors"]
    assert _product(emu, 21)["price"] != 1, "nothing is written when part of the body is invalid"
