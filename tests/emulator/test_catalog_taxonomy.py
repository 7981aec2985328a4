"""Categories, category trees and brands over HTTP: the seeded tree's shape, filters, sorts,
writes with their 409/422 answers, and what deleting a category or brand does to products."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "small", "--seed", "9", "--quota", "0") as e:
        yield e


def _data(emu: Emulator, method: str, path: str, status: int = 200, **kw: Any) -> Any:
    r = emu.api(method, path, **kw)
    assert r.status_code == status, r.text
    return r.json().get("data") if r.content else None


def test_seeded_tree_is_two_or_three_deep(shared_emulator: Emulator) -> None:
    cats = _data(shared_emulator, "GET", "/v3/catalog/categories", params={"limit": 250})
    by_id = {c["id"]: c for c in cats}

    def depth(c: dict[str, Any]) -> int:
        return 1 if c["parent_id"] == 0 else 1 + depth(by_id[c["parent_id"]])

    depths = {depth(c) for c in cats}
    assert depths == {1, 2, 3}
    tree = _data(shared_emulator, "GET", "/v3/catalog/trees/1/categories")
    assert {n["id"] for n in tree} == {c["id"] for c in cats if c["parent_id"] == 0}
    child = next(n for n in tree if n["children"])["children"][0]
    assert child["depth"] == 2 and child["path"] == [child["parent_id"]]
    shallow = _data(shared_emulator, "GET", "/v3/catalog/trees/1/categories", params={"depth": 1})
    assert all(n["children"] == [] for n in shallow)
    products = _data(shared_emulator, "GET", "/v3/catalog/products", params={"limit": 250})
    assert all(c in by_id for p in products for c in p["categories"])


def test_category_filters_and_sorts(shared_emulator: Emulator) -> None:
    cats = _data(shared_emulator, "GET", "/v3/catalog/categories", params={"limit": 250})
    root = cats[0]
    kids = _data(shared_emulator, "GET", "/v3/catalog/categories", params={"parent_id": root["id"]})
    assert kids and all(k["parent_id"] == root["id"] for k in kids)
    like = _data(shared_emulator, "GET", "/v3/catalog/categories", params={"name:like": "ware"})
    assert like and all("ware" in c["name"].lower() for c in like)
    ordered = _data(
        shared_emulator, "GET", "/v3/catalog/categories", params={"sort": "name", "limit": 250}
    )
    assert [c["name"] for c in ordered] == sorted(c["name"] for c in cats)
    flat = _data(
        shared_emulator,
        "GET",
        "/v3/catalog/trees/categories",
        params={"category_id:in": f"{root['id']},{kids[0]['id']}"},
    )
    assert [(c["category_id"], c["tree_id"]) for c in flat] == [(root["id"], 1), (kids[0]["id"], 1)]
    assert flat[0]["url"]["path"] == root["custom_url"]["url"]


def test_category_writes(emu: Emulator) -> None:
    made = _data(emu, "POST", "/v3/catalog/categories", json={"name": "Gifts", "parent_id": 0})
    assert made["parent_id"] == 0 and made["custom_url"]["url"] == "/gifts/"
    dup = emu.api("POST", "/v3/catalog/categories", json={"name": "gifts", "parent_id": 0})
    assert dup.status_code == 409 and "name" in dup.json()["errors"]
    sub = _data(
        emu, "POST", "/v3/catalog/categories", json={"name": "Gifts", "parent_id": made["id"]}
    )
    assert sub["parent_id"] == made["id"], "the same name under another parent is allowed"
    r = emu.api("POST", "/v3/catalog/categories", json={"name": "Orphan", "parent_id": 999999})
    assert r.status_code == 422 and "parent_id" in r.json()["errors"]
    r = emu.api("POST", "/v3/catalog/categories", json={"parent_id": 0})
    assert r.status_code == 422 and "name" in r.json()["errors"]
    renamed = _data(emu, "PUT", f"/v3/catalog/categories/{sub['id']}", json={"name": "For Him"})
    assert renamed["name"] == "For Him"
    product = _data(emu, "PUT", "/v3/catalog/products/1", json={"categories": [sub["id"]]})
    assert product["categories"] == [sub["id"]]
    assert (
        emu.api("DELETE", "/v3/catalog/categories", params={"id:in": str(made["id"])}).status_code
        == 204
    )
    assert emu.api("GET", f"/v3/catalog/categories/{sub['id']}").status_code == 404
    assert _data(emu, "GET", "/v3/catalog/products/1")["categories"] == []


def test_tree_category_batch_writes(emu: Emulator) -> None:
    r = emu.api(
        "POST",
        "/v3/catalog/trees/categories",
        json=[{"name": "Seasonal", "parent_id": 0, "tree_id": 1, "url": {"path": "/seasonal/"}}],
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["meta"] == {"total": 1, "success": 1, "failed": 0}
    cid = body["data"][0]["category_id"]
    r = emu.api(
        "POST",
        "/v3/catalog/trees/categories",
        json=[
            {"name": "Winter", "parent_id": cid, "tree_id": 1},
            {"name": "Seasonal", "parent_id": 0},
        ],
    )
    assert r.status_code == 207 and list(r.json()["errors"]["errors"]) == ["1.name"]
    r = emu.api(
        "PUT", "/v3/catalog/trees/categories", json=[{"category_id": cid, "name": "Holidays"}]
    )
    assert r.status_code == 200 and r.json()["data"][0]["name"] == "Holidays"
    r = emu.api("DELETE", "/v3/catalog/trees/categories", params={"category_id:in": str(cid)})
    assert r.status_code == 202
    assert emu.api("GET", f"/v3/catalog/categories/{cid}").status_code == 404


def test_trees_upsert(emu: Emulator) -> None:
    r = emu.api("PUT", "/v3/catalog/trees", json=[{"name": "Wholesale", "channels": [2]}])
    assert r.status_code == 200, r.text
    tree = r.json()["data"][0]
    listed = _data(emu, "GET", "/v3/catalog/trees", params={"channel_id:in": "2"})
    assert [t["id"] for t in listed] == [tree["id"]]
    assert emu.api("PUT", "/v3/catalog/trees", json=[{"name": "x"}] * 51).status_code == 413
    assert (
        emu.api("DELETE", "/v3/catalog/trees", params={"id:in": str(tree["id"])}).status_code == 204
    )
    assert emu.api("GET", f"/v3/catalog/trees/{tree['id']}/categories").status_code == 404


def test_brand_filters_sort_and_writes(emu: Emulator) -> None:
    brands = _data(emu, "GET", "/v3/catalog/brands", params={"limit": 250})
    ordered = _data(emu, "GET", "/v3/catalog/brands", params={"sort": "name", "direction": "desc"})
    assert [b["name"] for b in ordered] == sorted((b["name"] for b in brands), reverse=True)
    one = _data(emu, "GET", "/v3/catalog/brands", params={"name": brands[0]["name"]})
    assert [b["id"] for b in one] == [brands[0]["id"]]
    made = _data(emu, "POST", "/v3/catalog/brands", json={"name": "Lumen & Co"})
    assert made["custom_url"]["url"] == "/brands/lumen-co/"
    dup = emu.api("POST", "/v3/catalog/brands", json={"name": "LUMEN & CO"})
    assert dup.status_code == 409 and "name" in dup.json()["errors"]
    assert emu.api("POST", "/v3/catalog/brands", json={"page_title": "x"}).status_code == 422
    renamed = _data(emu, "PUT", f"/v3/catalog/brands/{made['id']}", json={"page_title": "Lumen"})
    assert renamed["page_title"] == "Lumen"
    _data(emu, "PUT", "/v3/catalog/products/2", json={"brand_id": made["id"]})
    assert emu.api("DELETE", f"/v3/catalog/brands/{made['id']}").status_code == 204
    assert _data(emu, "GET", "/v3/catalog/products/2")["brand_id"] == 0
    assert emu.api("GET", f"/v3/catalog/brands/{made['id']}").status_code == 404


def test_tree_view_allows_one_request_at_a_time() -> None:
    # The files document a concurrency cap of 1 for the nested tree view.
    with running_emulator("--size", "tiny", "--quota", "0", "--latency-ms", "400") as slow:
        with ThreadPoolExecutor(max_workers=3) as pool:
            codes = sorted(
                pool.map(
                    lambda _: slow.api("GET", "/v3/catalog/trees/1/categories").status_code,
                    range(3),
                )
            )
    assert codes[0] == 200 and 429 in codes
