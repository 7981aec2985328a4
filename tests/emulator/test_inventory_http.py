"""Inventory locations, stock per location and adjustments over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as e:
        yield e


def _variants(emu: Emulator) -> list[dict[str, Any]]:
    variants = emu.collection("product_variants")
    assert len(variants) > 20, "the seeded catalog should have variants"
    return variants


def _item(emu: Emulator, variant_id: int) -> dict[str, Any]:
    r = emu.api("GET", "/v3/inventory/items", params={"variant_id:in": variant_id})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert len(data) == 1
    return data[0]


def _onhand(item: dict[str, Any], location_id: int) -> int | None:
    for loc in item["locations"]:
        if loc["location_id"] == location_id:
            return int(loc["total_inventory_onhand"])
    return None


def test_items_list_every_variant_with_default_location_matching_catalog(
    shared_emulator: Emulator,
) -> None:
    variants = {v["id"]: v for v in shared_emulator.collection("product_variants")}
    seen: dict[int, dict[str, Any]] = {}
    for page in range(1, 20):
        body = shared_emulator.api(
            "GET", "/v3/inventory/items", params={"limit": 50, "page": page}
        ).json()
        for item in body["data"]:
            seen[item["identity"]["variant_id"]] = item
        if "next" not in body["meta"]["pagination"]["links"]:
            break
    assert set(seen) == set(variants)
    for vid, item in seen.items():
        assert item["identity"]["sku"] == variants[vid]["sku"]
        assert item["identity"]["product_id"] == variants[vid]["product_id"]
        assert _onhand(item, 1) == variants[vid]["inventory_level"]


def test_item_filters(shared_emulator: Emulator) -> None:
    variants = shared_emulator.collection("product_variants")[:5]
    skus = ",".join(v["sku"] for v in variants[:2])
    r = shared_emulator.api("GET", "/v3/inventory/items", params={"sku:in": skus})
    assert [x["identity"]["sku"] for x in r.json()["data"]] == [v["sku"] for v in variants[:2]]
    pid = variants[0]["product_id"]
    r = shared_emulator.api("GET", "/v3/inventory/items", params={"product_id:in": pid})
    assert r.json()["data"] and all(x["identity"]["product_id"] == pid for x in r.json()["data"])
    r = shared_emulator.api("GET", "/v3/inventory/items", params={"location_id:in": 2})
    data = r.json()["data"]
    assert data and all([loc["location_id"] for loc in x["locations"]] == [2] for x in data)
    r = shared_emulator.api("GET", "/v3/inventory/locations/2/items", params={"limit": 5})
    assert r.status_code == 200 and len(r.json()["data"]) == 5
    assert shared_emulator.api("GET", "/v3/inventory/locations/999/items").status_code == 404


def test_absolute_adjustment_updates_variant_and_bumps_product(emu: Emulator) -> None:
    v1, v2 = _variants(emu)[10], _variants(emu)[11]
    product_before = emu.control(
        "GET", f"/stores/{emu.store_hash}/collections/products/{v1['product_id']}"
    )
    body = {
        "reason": "cycle count",
        "items": [
            {"location_id": 1, "variant_id": v1["id"], "quantity": 77},
            {"location_id": 1, "sku": v2["sku"], "quantity": 5},
            {"location_id": 2, "variant_id": v1["id"], "quantity": 13},
        ],
    }
    r = emu.api("PUT", "/v3/inventory/adjustments/absolute", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["transaction_id"]
    item = _item(emu, v1["id"])
    assert _onhand(item, 1) == 77 and _onhand(item, 2) == 13
    assert _onhand(_item(emu, v2["id"]), 1) == 5
    variant = emu.control(
        "GET", f"/stores/{emu.store_hash}/collections/product_variants/{v1['id']}"
    )
    assert variant["inventory_level"] == 77
    product = emu.control(
        "GET", f"/stores/{emu.store_hash}/collections/products/{v1['product_id']}"
    )
    assert product["date_modified"] > product_before["date_modified"]
    log = [e for e in emu.requests_log() if e["path"].endswith("/adjustments/absolute")]
    assert log[-1]["items"] == 3


def test_relative_adjustment_adds_and_refuses_negative_stock(emu: Emulator) -> None:
    v = _variants(emu)[12]
    emu.api(
        "PUT",
        "/v3/inventory/adjustments/absolute",
        json={"items": [{"location_id": 1, "variant_id": v["id"], "quantity": 10}]},
    )
    r = emu.api(
        "POST",
        "/v3/inventory/adjustments/relative",
        json={"items": [{"location_id": 1, "variant_id": v["id"], "quantity": -4}]},
    )
    assert r.status_code == 200
    assert _onhand(_item(emu, v["id"]), 1) == 6
    r = emu.api(
        "POST",
        "/v3/inventory/adjustments/relative",
        json={"items": [{"location_id": 1, "variant_id": v["id"], "quantity": -7}]},
    )
    assert r.status_code == 422
    assert _onhand(_item(emu, v["id"]), 1) == 6


def test_unknown_items_fail_the_whole_adjustment(emu: Emulator) -> None:
    v = _variants(emu)[13]
    before = _onhand(_item(emu, v["id"]), 1)
    body = {
        "items": [
            {"location_id": 1, "variant_id": v["id"], "quantity": (before or 0) + 50},
            {"location_id": 1, "sku": "NO-SUCH-SKU", "quantity": 1},
            {"location_id": 999, "variant_id": v["id"], "quantity": 1},
            {"location_id": 1, "variant_id": 10**8, "quantity": 1},
        ]
    }
    r = emu.api("PUT", "/v3/inventory/adjustments/absolute", json=body)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert set(errors) == {"items[1]", "items[2].location_id", "items[3]"}
    assert "NO-SUCH-SKU" in errors["items[1]"]
    assert _onhand(_item(emu, v["id"]), 1) == before, "nothing applies when an item fails"


def test_adjustment_over_the_cap_is_413(emu: Emulator) -> None:
    variants = _variants(emu)
    items = [
        {
            "location_id": 1 + (i // len(variants)),
            "variant_id": variants[i % len(variants)]["id"],
            "quantity": 1,
        }
        for i in range(2001)
    ]
    r = emu.api("PUT", "/v3/inventory/adjustments/absolute", json={"items": items})
    assert r.status_code == 413


def test_locations_create_update_filter_delete(emu: Emulator) -> None:
    address = {
        "address1": "1 Dock Road",
        "city": "Boise",
        "state": "ID",
        "zip": "83702",
        "email": "dock@example.com",
        "geo_coordinates": {"latitude": 43.6, "longitude": -116.2},
        "country_code": "US",
    }
    new = {"code": "DOCK-1", "label": "Dock", "type_id": "PHYSICAL", "address": address}
    r = emu.api("POST", "/v3/inventory/locations", json=[new])
    assert r.status_code == 200 and r.json()["transaction_id"]
    assert emu.api("POST", "/v3/inventory/locations", json=[new]).status_code == 422
    found = emu.api("GET", "/v3/inventory/locations", params={"location_code:in": "DOCK-1"})
    loc = found.json()["data"][0]
    r = emu.api("PUT", "/v3/inventory/locations", json=[{"id": loc["id"], "label": "Dock 2"}])
    assert r.status_code == 200
    got = emu.api("GET", "/v3/inventory/locations", params={"location_id:in": loc["id"]})
    assert got.json()["data"][0]["label"] == "Dock 2"
    default = emu.api("GET", "/v3/inventory/locations", params={"is_default": "true"})
    assert [x["id"] for x in default.json()["data"]] == [1]
    assert (
        emu.api("DELETE", "/v3/inventory/locations", params={"location_id:in": 1}).status_code
        == 422
    )
    r = emu.api("DELETE", "/v3/inventory/locations", params={"location_id:in": loc["id"]})
    assert r.status_code == 200
    gone = emu.api("GET", "/v3/inventory/locations", params={"location_id:in": loc["id"]})
    assert gone.json()["data"] == []


def test_location_settings_update(emu: Emulator) -> None:
    v = _variants(emu)[14]
    body = {
        "settings": [
            {"identity": {"variant_id": v["id"]}, "safety_stock": 3, "bin_picking_number": "B-7"}
        ]
    }
    r = emu.api("PUT", "/v3/inventory/locations/1/items", json=body)
    assert r.status_code == 200, r.text
    loc = next(x for x in _item(emu, v["id"])["locations"] if x["location_id"] == 1)
    assert loc["settings"]["safety_stock"] == 3 and loc["settings"]["bin_picking_number"] == "B-7"
    assert loc["available_to_sell"] == max(0, loc["total_inventory_onhand"] - 3)
