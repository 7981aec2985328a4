"""v2 orders, their children and statuses, v3 transactions and refunds: reads over HTTP."""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from tests.emulator_process import Emulator


def _orders(emu: Emulator, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in range(1, 100):
        r = emu.api("GET", "/v2/orders", params={"limit": 250, "page": page, **params})
        if r.status_code == 204:
            assert r.content == b""
            return out
        assert r.status_code == 200, r.text
        out.extend(r.json())
    raise AssertionError("too many pages")


def test_v2_quirks_dates_money_paging(shared_emulator: Emulator) -> None:
    r = shared_emulator.api("GET", "/v2/orders")
    assert r.status_code == 200
    page = r.json()
    assert isinstance(page, list) and len(page) == 50  # default limit
    o = page[0]
    assert o["date_created"].endswith("+0000")
    parsedate_to_datetime(o["date_created"])
    assert isinstance(o["total_inc_tax"], str) and len(o["total_inc_tax"].split(".")[1]) == 4
    assert o["products"]["resource"] == f"/orders/{o['id']}/products"
    assert o["products"]["url"].endswith(f"/v2/orders/{o['id']}/products")
    assert o["consignments"]["resource"] == f"/orders/{o['id']}/consignments"
    assert [x["id"] for x in page] == sorted(x["id"] for x in page)
    r = shared_emulator.api("GET", "/v2/orders", params={"limit": 251})
    assert r.status_code == 413 and r.json()[0]["status"] == 413
    r = shared_emulator.api("GET", "/v2/orders", params={"page": 500})
    assert r.status_code == 204 and r.content == b""
    r = shared_emulator.api("GET", "/v2/orders", params={"customer_id": 987654})
    assert r.status_code == 204


def test_totals_add_up(shared_emulator: Emulator) -> None:
    for o in _orders(shared_emulator)[:40]:
        lines = shared_emulator.api("GET", f"/v2/orders/{o['id']}/products").json()
        subtotal = sum(Decimal(p["total_ex_tax"]) for p in lines)
        assert subtotal == Decimal(o["subtotal_ex_tax"])
        assert sum(p["quantity"] for p in lines) == o["items_total"]
        fees = shared_emulator.api("GET", f"/v2/orders/{o['id']}/fees").json()["fees"]
        expected = (
            subtotal
            + Decimal(o["shipping_cost_ex_tax"])
            + sum(Decimal(f["cost_ex_tax"]) for f in fees)
            - Decimal(o["coupon_discount"])
        )
        assert Decimal(o["total_ex_tax"]) == expected
        assert Decimal(o["total_inc_tax"]) == expected + Decimal(o["total_tax"])


def test_date_modified_window_accepts_rfc2822_and_iso(shared_emulator: Emulator) -> None:
    every = _orders(shared_emulator)
    stamps = sorted(parsedate_to_datetime(o["date_modified"]) for o in every)
    lo, hi = stamps[20], stamps[90]
    want = {o["id"] for o in every if lo <= parsedate_to_datetime(o["date_modified"]) <= hi}
    iso = _orders(
        shared_emulator, min_date_modified=lo.isoformat(), max_date_modified=hi.isoformat()
    )
    rfc = _orders(
        shared_emulator,
        min_date_modified=format_datetime(lo),
        max_date_modified=format_datetime(hi),
    )
    assert {o["id"] for o in iso} == {o["id"] for o in rfc} == want
    # The same instant written in another offset selects the same orders.
    east = lo.astimezone(timezone(timedelta(hours=5)))
    shifted = _orders(
        shared_emulator, min_date_modified=east.isoformat(), max_date_modified=hi.isoformat()
    )
    assert {o["id"] for o in shifted} == want


def test_sort_by_date_modified_and_desc(shared_emulator: Emulator) -> None:
    asc = _orders(shared_emulator, sort="date_modified:asc")
    keys = [(parsedate_to_datetime(o["date_modified"]), o["id"]) for o in asc]
    assert keys == sorted(keys)
    desc = _orders(shared_emulator, sort="id:desc")
    assert [o["id"] for o in desc] == sorted((o["id"] for o in desc), reverse=True)
    # The window plus date order is served lazily; small pages must still tile the set.
    window = {"min_date_modified": "2024-01-01T00:00:00Z", "sort": "date_modified:desc"}
    paged: list[int] = []
    for page in range(1, 200):
        r = shared_emulator.api("GET", "/v2/orders", params={**window, "limit": 7, "page": page})
        if r.status_code == 204:
            break
        paged.extend(o["id"] for o in r.json())
    whole = [o["id"] for o in _orders(shared_emulator, **window)]
    assert paged == whole and whole
    by_status = _orders(shared_emulator, sort="status_id")
    assert [o["status_id"] for o in by_status] == sorted(o["status_id"] for o in by_status)


def test_filters(shared_emulator: Emulator) -> None:
    every = _orders(shared_emulator)
    ids = [o["id"] for o in every]
    got = _orders(shared_emulator, min_id=ids[10], max_id=ids[19])
    assert [o["id"] for o in got] == ids[10:20]
    shipped = _orders(shared_emulator, status_id=2)
    assert shipped and {o["status"] for o in shipped} == {"Shipped"}
    cust = next(o for o in every if o["customer_id"])
    got = _orders(shared_emulator, customer_id=cust["customer_id"])
    assert cust["id"] in {o["id"] for o in got}
    assert {o["customer_id"] for o in got} == {cust["customer_id"]}
    email = cust["billing_address"]["email"]
    assert cust["id"] in {o["id"] for o in _orders(shared_emulator, email=email)}
    got = _orders(shared_emulator, min_total="100", max_total="200")
    assert got and all(Decimal("100") <= Decimal(o["total_inc_tax"]) <= Decimal("200") for o in got)
    assert _orders(shared_emulator, cart_id=cust["cart_id"])[0]["id"] == cust["id"]


def test_count_matches_the_list(shared_emulator: Emulator) -> None:
    every = _orders(shared_emulator)
    count = shared_emulator.api("GET", "/v2/orders/count").json()
    assert count["count"] == len(every)
    assert sum(s["count"] for s in count["statuses"]) == len(every)
    shipped = next(s for s in count["statuses"] if s["id"] == 2)
    assert shipped["count"] == sum(1 for o in every if o["status_id"] == 2)


def test_consignments_include_carries_line_items_and_addresses(shared_emulator: Emulator) -> None:
    page = shared_emulator.api(
        "GET",
        "/v2/orders",
        params={
            "include": "consignments.line_items",
            "consignment_structure": "object",
            "limit": 20,
        },
    ).json()
    for o in page:
        lines = shared_emulator.api("GET", f"/v2/orders/{o['id']}/products").json()
        addrs = shared_emulator.api("GET", f"/v2/orders/{o['id']}/shipping_addresses").json()
        shipping = o["consignments"]["shipping"]
        assert [s["id"] for s in shipping] == [a["id"] for a in addrs]
        assert [li for s in shipping for li in s["line_items"]] == lines
        assert isinstance(shipping[0]["base_cost"], float)
    # Without the object structure the list keeps the link.
    plain = shared_emulator.api("GET", "/v2/orders", params={"include": "consignments"}).json()
    assert "resource" in plain[0]["consignments"]


def test_children_and_single_records(shared_emulator: Emulator) -> None:
    every = _orders(shared_emulator)
    shipped = next(o for o in every if o["status_id"] == 2)
    oid = shipped["id"]
    single = shared_emulator.api("GET", f"/v2/orders/{oid}").json()
    assert single == shipped
    shipments = shared_emulator.api("GET", f"/v2/orders/{oid}/shipments").json()
    assert shipments and shipments[0]["tracking_number"]
    assert shared_emulator.api("GET", f"/v2/orders/{oid}/shipments/count").json() == {
        "count": len(shipments)
    }
    lines = shared_emulator.api("GET", f"/v2/orders/{oid}/products").json()
    assert {i["order_product_id"] for i in shipments[0]["items"]} == {p["id"] for p in lines}
    assert all(p["quantity_shipped"] == p["quantity"] for p in lines)
    one = shared_emulator.api("GET", f"/v2/orders/{oid}/products/{lines[0]['id']}").json()
    assert one == lines[0]
    taxes = shared_emulator.api("GET", f"/v2/orders/{oid}/taxes")
    assert taxes.status_code in (200, 204)
    pending = next(o for o in every if o["status_id"] == 1)
    assert shared_emulator.api("GET", f"/v2/orders/{pending['id']}/shipments").status_code == 204
    assert shared_emulator.api("GET", "/v2/orders/1").status_code == 404
    with_coupon = [o for o in every if Decimal(o["coupon_discount"]) > 0]
    assert with_coupon
    coupons = shared_emulator.api("GET", f"/v2/orders/{with_coupon[0]['id']}/coupons").json()
    assert Decimal(str(coupons[0]["discount"])) == Decimal(with_coupon[0]["coupon_discount"])


def test_orders_reference_real_customers(shared_emulator: Emulator) -> None:
    variants = {v["id"]: v for v in shared_emulator.collection("product_variants")}
    lines = shared_emulator.collection("order_products")
    for line in lines:
        variant = variants[line["variant_id"]]
        assert variant["product_id"] == line["product_id"] and variant["sku"] == line["sku"]
        labels = [o["display_value"] for o in line["product_options"]]
        assert labels == [ov["label"] for ov in variant["option_values"]]
    assert any(line["product_options"] for line in lines)
    customers = {c["id"]: c for c in shared_emulator.collection("customers")}
    every = _orders(shared_emulator)
    guests = [o for o in every if o["customer_id"] == 0]
    known = [o for o in every if o["customer_id"]]
    assert guests and known
    for o in known:
        assert o["billing_address"]["email"] == customers[o["customer_id"]]["email"]


def test_statuses(shared_emulator: Emulator) -> None:
    statuses = shared_emulator.api("GET", "/v2/order_statuses").json()
    assert [s["id"] for s in statuses] == list(range(15))
    assert shared_emulator.api("GET", "/v2/order_statuses/11").json()["name"] == (
        "Awaiting Fulfillment"
    )
    assert shared_emulator.api("GET", "/v2/order_statuses/99").status_code == 404


def test_transactions_and_refunds(shared_emulator: Emulator) -> None:
    every = _orders(shared_emulator)
    paid = next(o for o in every if o["status_id"] == 10)
    txns = shared_emulator.api("GET", f"/v3/orders/{paid['id']}/transactions").json()
    assert txns["data"][0]["order_id"] == str(paid["id"])
    assert Decimal(str(txns["data"][0]["amount"])) == Decimal(paid["total_inc_tax"])
    refunds = shared_emulator.api(
        "GET", "/v3/orders/payment_actions/refunds", params={"limit": 250}
    ).json()["data"]
    assert refunds
    refunded_orders = {o["id"] for o in every if o["status_id"] in (4, 14)}
    assert {r["order_id"] for r in refunds} == refunded_orders
    first = refunds[0]
    by_order = shared_emulator.api(
        "GET", "/v3/orders/payment_actions/refunds", params={"order_id:in": first["order_id"]}
    ).json()["data"]
    assert [r["id"] for r in by_order] == [first["id"]]
    created = sorted(r["created"] for r in refunds)
    mid = created[len(created) // 2]
    later = shared_emulator.api(
        "GET", "/v3/orders/payment_actions/refunds", params={"created:min": mid, "limit": 250}
    ).json()["data"]
    assert {r["id"] for r in later} == {r["id"] for r in refunds if r["created"] >= mid}
    single = shared_emulator.api("GET", f"/v3/orders/payment_actions/refunds/{first['id']}")
    assert single.json()["data"]["id"] == first["id"]
    assert isinstance(single.json()["data"]["items"][0]["requested_amount"], str)
    per_order = shared_emulator.api(
        "GET", f"/v3/orders/{first['order_id']}/payment_actions/refunds"
    ).json()["data"]
    assert [r["id"] for r in per_order] == [first["id"]]
    refunded = next(o for o in every if o["id"] == first["order_id"])
    assert Decimal(refunded["refunded_amount"]) == Decimal(str(first["total_amount"]))
