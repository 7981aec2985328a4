"""Narrow list queries (id ranges, modification windows) and cached renders: same answers
as filtering the whole list, and every kind of write shows in the next read."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from bigcommerce_emulator.store import Collection
from tests.emulator_process import Emulator

PRODUCTS = "/v3/catalog/products"
PRODUCT_INCLUDES = "variants,images,custom_fields,bulk_pricing_rules"


def _v3_all(emu: Emulator, path: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
    out: list[dict[str, Any]] = []
    total = -1
    for page in range(1, 100):
        r = emu.api("GET", path, params={"limit": 250, "page": page, **params})
        assert r.status_code == 200, r.text
        body = r.json()
        out.extend(body["data"])
        total = body["meta"]["pagination"]["total"]
        if page >= body["meta"]["pagination"]["total_pages"]:
            return out, total
    raise AssertionError("too many pages")


def _v2_all(emu: Emulator, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in range(1, 100):
        r = emu.api("GET", "/v2/orders", params={"limit": 250, "page": page, **params})
        if r.status_code == 204:
            return out
        assert r.status_code == 200, r.text
        out.extend(r.json())
    raise AssertionError("too many pages")


def test_collection_id_order_survives_out_of_order_writes() -> None:
    col = Collection("things")
    for i in (5, 9, 12):
        col.insert({"id": i}, stamp=False)
    col.insert({"id": 7}, stamp=False)
    col.delete(9)
    col.insert({"name": "next"}, stamp=False)
    assert [r["id"] for r in col.in_id_order()] == [5, 7, 12, 13]
    assert [r["id"] for r in col.ids_between(6, 12)] == [7, 12]
    assert [r["id"] for r in col.ids_between(8, None)] == [12, 13]
    assert col.ids_between(20, 3) == []


def test_product_id_ranges_match_the_filtered_whole_list(shared_emulator: Emulator) -> None:
    every, _ = _v3_all(shared_emulator, PRODUCTS, sort="date_modified", direction="desc")
    ids = sorted(p["id"] for p in every)
    lo, hi = ids[3], ids[len(ids) // 2]
    want = [p["id"] for p in every if lo <= p["id"] <= hi]
    got, total = _v3_all(
        shared_emulator,
        PRODUCTS,
        **{"id:min": lo, "id:max": hi, "sort": "date_modified", "direction": "desc"},
    )
    assert [p["id"] for p in got] == want and total == len(want)
    got, total = _v3_all(shared_emulator, PRODUCTS, **{"id:greater": lo, "id:less": hi})
    assert [p["id"] for p in got] == [i for i in ids if lo < i < hi]
    assert total == len([i for i in ids if lo < i < hi])


def test_product_modified_window_matches_the_filtered_whole_list(
    shared_emulator: Emulator,
) -> None:
    every, _ = _v3_all(shared_emulator, PRODUCTS, include=PRODUCT_INCLUDES)
    stamps = sorted(p["date_modified"] for p in every)
    since = stamps[len(stamps) // 3]
    want = [p for p in every if datetime.fromisoformat(p["date_modified"]) >= _iso(since)]
    got, total = _v3_all(
        shared_emulator, PRODUCTS, include=PRODUCT_INCLUDES, **{"date_modified:min": since}
    )
    assert got == want and total == len(want)


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_order_id_range_sorted_by_modification(shared_emulator: Emulator) -> None:
    every = _v2_all(shared_emulator, sort="date_modified:asc")
    ids = sorted(o["id"] for o in every)
    lo, hi = ids[5], ids[-5]
    got = _v2_all(shared_emulator, sort="date_modified:asc", min_id=lo, max_id=hi)
    assert [o["id"] for o in got] == [o["id"] for o in every if lo <= o["id"] <= hi]
    since = sorted(parsedate_to_datetime(o["date_modified"]) for o in every)[len(every) // 2]
    got = _v2_all(
        shared_emulator, sort="id:desc", min_date_modified=since.isoformat(), max_id=ids[10]
    )
    want = [
        o["id"]
        for o in every
        if o["id"] <= ids[10] and parsedate_to_datetime(o["date_modified"]) >= since
    ]
    assert [o["id"] for o in got] == sorted(want, reverse=True)


def test_every_kind_of_write_shows_in_the_next_cached_read(emulator: Emulator) -> None:
    products, _ = _v3_all(emulator, PRODUCTS, include="variants")
    variant = products[2]["variants"][0]
    assert _v3_all(emulator, PRODUCTS, include="variants")[0] == products  # now cached
    # A child changes through the control API without its parent being touched.
    emulator.update_record("product_variants", variant["id"], sku="NEW-SKU-1")
    again, _ = _v3_all(emulator, PRODUCTS, include="variants")
    assert again[2]["variants"][0]["sku"] == "NEW-SKU-1"
    # A trigger fired by a read changes a record before that read is served.
    emulator.trigger(
        {"op": "update", "collection": "products", "id": products[2]["id"], "changes": {}},
        after=1,
        method="GET",
        path=f"^{PRODUCTS}$",
    )
    emulator.trigger(
        {
            "op": "update",
            "collection": "product_variants",
            "id": variant["id"],
            "changes": {"sku": "NEW-SKU-2"},
        },
        after=1,
        method="GET",
        path=f"^{PRODUCTS}$",
    )
    again, _ = _v3_all(emulator, PRODUCTS, include="variants")
    assert again[2]["variants"][0]["sku"] == "NEW-SKU-2"
    # A store-API write to an order shows in the cached v2 list.
    orders = _v2_all(emulator, include="consignments.line_items", consignment_structure="object")
    oid = orders[1]["id"]
    r = emulator.api("PUT", f"/v2/orders/{oid}", json={"customer_message": "Leave at the door"})
    assert r.status_code == 200, r.text
    orders = _v2_all(emulator, include="consignments.line_items", consignment_structure="object")
    assert orders[1]["customer_message"] == "Leave at the door"


def test_customer_id_range_within_a_modified_window(shared_emulator: Emulator) -> None:
    every, _ = _v3_all(shared_emulator, "/v3/customers", sort="date_modified:asc")
    ids = sorted(c["id"] for c in every)
    lo, hi = ids[2], ids[len(ids) // 2]
    until = sorted(c["date_modified"] for c in every)[len(every) * 2 // 3]
    want = [
        c["id"] for c in every if lo <= c["id"] <= hi and _iso(c["date_modified"]) <= _iso(until)
    ]
    got, total = _v3_all(
        shared_emulator,
        "/v3/customers",
        sort="date_modified:asc",
        **{"id:min": lo, "id:max": hi, "date_modified:max": until},
    )
    assert [c["id"] for c in got] == want and total == len(want)
    got, total = _v3_all(shared_emulator, "/v3/customers", **{"id:min": lo, "id:max": hi})
    assert [c["id"] for c in got] == [i for i in ids if lo <= i <= hi]
