"""Writes to orders, shipments and refunds over HTTP; the large store's speed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--seed", "4", "--quota", "0") as e:
        yield e


def _age(emu: Emulator, oid: int) -> None:
    """Set an old date_modified so that a bump is visible at one-second resolution."""
    emu.control(
        "PATCH",
        f"/stores/{emu.store_hash}/collections/orders/{oid}",
        json={"date_modified": "2024-01-01T00:00:00+00:00"},
    )


def _modified(emu: Emulator, oid: int) -> str:
    body: dict[str, Any] = emu.api("GET", f"/v2/orders/{oid}").json()
    return str(body["date_modified"])


BILLING = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "street_1": "12 Analytical Way",
    "city": "London",
    "state": "England",
    "zip": "SW1 1AB",
    "country": "United Kingdom",
    "country_iso2": "GB",
    "email": "ada@example.org",
}


def test_create_update_and_archive_an_order(emu: Emulator) -> None:
    r = emu.api(
        "POST",
        "/v2/orders",
        json={
            "billing_address": BILLING,
            "products": [{"name": "Custom engraving", "quantity": 2, "price_ex_tax": 10}],
            "status_id": 11,
        },
    )
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "Awaiting Fulfillment"
    assert order["subtotal_ex_tax"] == "20.0000"
    assert order["billing_address"]["email"] == "ada@example.org"
    oid = order["id"]
    lines = emu.api("GET", f"/v2/orders/{oid}/products").json()
    assert [(p["name"], p["quantity"]) for p in lines] == [("Custom engraving", 2)]

    _age(emu, oid)
    r = emu.api("PUT", f"/v2/orders/{oid}", json={"status_id": 9, "staff_notes": "rush"})
    assert r.status_code == 200 and r.json()["status"] == "Awaiting Shipment"
    assert not _modified(emu, oid).startswith("Mon, 01 Jan 2024")
    assert emu.api("PUT", f"/v2/orders/{oid}", json={"status_id": 77}).status_code == 400

    since = format_datetime(parsedate_to_datetime(_modified(emu, oid)))
    changed = emu.api("GET", "/v2/orders", params={"min_date_modified": since}).json()
    assert oid in {o["id"] for o in changed}

    assert emu.api("DELETE", f"/v2/orders/{oid}").status_code == 204
    live = emu.api("GET", "/v2/orders", params={"min_id": oid, "max_id": oid})
    assert live.status_code == 204
    archived = emu.api("GET", "/v2/orders", params={"min_id": oid, "is_deleted": "true"}).json()
    assert [o["id"] for o in archived] == [oid] and archived[0]["is_deleted"] is True


def test_create_rejects_bad_bodies(emu: Emulator) -> None:
    r = emu.api("POST", "/v2/orders", json={"billing_address": BILLING, "products": []})
    assert r.status_code == 400 and r.json()[0]["status"] == 400
    r = emu.api("POST", "/v2/orders", json={"products": [{"name": "x", "quantity": 1}]})
    assert r.status_code == 400
    r = emu.api(
        "POST",
        "/v2/orders",
        json={"billing_address": BILLING, "products": [{"name": "x", "quantity": 0}]},
    )
    assert r.status_code == 400


def test_shipments_crud_updates_the_order(emu: Emulator) -> None:
    r = emu.api(
        "POST",
        "/v2/orders",
        json={
            "billing_address": BILLING,
            "products": [
                {"name": "Widget", "quantity": 2, "price_ex_tax": 5},
                {"name": "Gadget", "quantity": 1, "price_ex_tax": 7},
            ],
            "status_id": 11,
        },
    )
    oid = r.json()["id"]
    lines = emu.api("GET", f"/v2/orders/{oid}/products").json()
    addr = emu.api("GET", f"/v2/orders/{oid}/shipping_addresses").json()[0]
    _age(emu, oid)
    r = emu.api(
        "POST",
        f"/v2/orders/{oid}/shipments",
        json={
            "order_address_id": addr["id"],
            "tracking_number": "TRACK1",
            "items": [{"order_product_id": lines[0]["id"], "quantity": 2}],
        },
    )
    assert r.status_code == 201, r.text
    shipment = r.json()
    order = emu.api("GET", f"/v2/orders/{oid}").json()
    assert order["status"] == "Partially Shipped" and order["items_shipped"] == 2
    assert not order["date_modified"].startswith("Mon, 01 Jan 2024")
    too_many = emu.api(
        "POST",
        f"/v2/orders/{oid}/shipments",
        json={
            "order_address_id": addr["id"],
            "items": [{"order_product_id": lines[0]["id"], "quantity": 1}],
        },
    )
    assert too_many.status_code == 400
    r = emu.api(
        "PUT",
        f"/v2/orders/{oid}/shipments/{shipment['id']}",
        json={
            "tracking_number": "TRACK2",
            "items": [
                {"order_product_id": lines[0]["id"], "quantity": 2},
                {"order_product_id": lines[1]["id"], "quantity": 1},
            ],
        },
    )
    assert r.status_code == 200 and r.json()["tracking_number"] == "TRACK2"
    order = emu.api("GET", f"/v2/orders/{oid}").json()
    assert order["status"] == "Shipped" and order["date_shipped"]
    assert emu.api("GET", f"/v2/orders/{oid}/shipments/count").json() == {"count": 1}
    assert emu.api("DELETE", f"/v2/orders/{oid}/shipments/{shipment['id']}").status_code == 204
    assert emu.api("GET", f"/v2/orders/{oid}/shipments").status_code == 204
    assert emu.api("GET", f"/v2/orders/{oid}").json()["items_shipped"] == 0


def test_refunds_are_capped_and_change_the_order(emu: Emulator) -> None:
    r = emu.api(
        "POST",
        "/v2/orders",
        json={
            "billing_address": BILLING,
            "products": [{"name": "Lamp", "quantity": 1, "price_ex_tax": 40}],
            "status_id": 10,
        },
    )
    order = r.json()
    oid = order["id"]
    total = Decimal(order["total_inc_tax"])
    line = emu.api("GET", f"/v2/orders/{oid}/products").json()[0]
    over = emu.api(
        "POST",
        f"/v3/orders/{oid}/payment_actions/refunds",
        json={
            "items": [{"item_type": "ORDER", "item_id": oid, "amount": float(total) + 1}],
            "payments": [{"provider_id": "custom", "amount": float(total) + 1, "offline": True}],
        },
    )
    assert over.status_code == 422 and "payments" in over.json()["errors"]
    r = emu.api(
        "POST",
        f"/v3/orders/{oid}/payment_actions/refunds",
        json={
            "items": [{"item_type": "PRODUCT", "item_id": line["id"], "quantity": 1}],
            "payments": [{"provider_id": "custom", "amount": 10, "offline": True}],
        },
    )
    assert r.status_code == 201, r.text
    refund = r.json()["data"]
    after = emu.api("GET", f"/v2/orders/{oid}").json()
    assert after["status"] == "Partially Refunded"
    assert Decimal(after["refunded_amount"]) == Decimal("10")
    listed = emu.api(
        "GET", "/v3/orders/payment_actions/refunds", params={"order_id:in": oid}
    ).json()["data"]
    assert [x["id"] for x in listed] == [refund["id"]]
    txns = emu.api("GET", f"/v3/orders/{oid}/transactions").json()["data"]
    assert [t["event"] for t in txns] == ["refund"]
    bad = emu.api(
        "POST",
        f"/v3/orders/{oid}/payment_actions/refunds",
        json={"items": [{"item_type": "PRODUCT", "item_id": 999999, "quantity": 1}],
              "payments": [{"provider_id": "custom", "amount": 1}]},
    )  # fmt: skip
    assert bad.status_code == 422


def test_shipping_address_update_bumps_the_order(emu: Emulator) -> None:
    oid = emu.api("GET", "/v2/orders", params={"limit": 1}).json()[0]["id"]
    addr = emu.api("GET", f"/v2/orders/{oid}/shipping_addresses").json()[0]
    _age(emu, oid)
    r = emu.api("PUT", f"/v2/orders/{oid}/shipping_addresses/{addr['id']}", json={"city": "Leeds"})
    assert r.status_code == 200 and r.json()["city"] == "Leeds"
    assert not _modified(emu, oid).startswith("Mon, 01 Jan 2024")


def test_a_large_store_generates_and_serves_quickly() -> None:
    started = time.monotonic()
    with running_emulator(
        "--products", "200", "--customers", "2000", "--orders", "10000", "--quota", "0"
    ) as e:
        generated = time.monotonic() - started
        assert generated < 60, generated
        params = {
            "include": "consignments.line_items",
            "consignment_structure": "object",
            "sort": "date_modified:asc",
            "min_date_modified": "2024-06-01T00:00:00+00:00",
            "limit": 250,
        }
        e.api("GET", "/v2/orders", params=params)  # warm up
        t0 = time.monotonic()
        r = e.api("GET", "/v2/orders", params=params)
        served = time.monotonic() - t0
        assert r.status_code == 200 and len(r.json()) == 250
        assert served < 1.5, served
        t0 = time.monotonic()
        r = e.api("GET", "/v3/customers", params={"date_modified:min": "2025-01-01", "limit": 250})
        assert r.status_code == 200 and time.monotonic() - t0 < 1.0


def test_control_api_creates_orders_and_customers_with_their_children(emu: Emulator) -> None:
    customer = emu.control(
        "POST", f"/stores/{emu.store_hash}/collections/customers", json={"company": "Factory Co"}
    )
    assert customer["company"] == "Factory Co" and "@" in customer["email"]
    order = emu.control(
        "POST",
        f"/stores/{emu.store_hash}/collections/orders",
        json={"customer_id": customer["id"]},
    )
    oid = order["id"]
    served = emu.api("GET", f"/v2/orders/{oid}").json()
    assert served["customer_id"] == customer["id"]
    assert served["billing_address"]["email"] == customer["email"]
    lines = emu.api("GET", f"/v2/orders/{oid}/products").json()
    assert sum(Decimal(p["total_ex_tax"]) for p in lines) == Decimal(served["subtotal_ex_tax"])
    newest = emu.api("GET", "/v2/orders", params={"sort": "date_modified:desc", "limit": 1})
    assert newest.json()[0]["id"] == oid


def test_orders_are_deterministic_per_seed() -> None:
    names = ("orders", "order_products", "order_shipments", "refunds")
    with running_emulator("--size", "tiny", "--seed", "9", "--quota", "0") as a:
        first = {n: a.collection(n) for n in names}
    with running_emulator("--size", "tiny", "--seed", "9", "--quota", "0") as b:
        second = {n: b.collection(n) for n in names}
    with running_emulator("--size", "tiny", "--seed", "10", "--quota", "0") as c:
        other = c.collection("orders")
    assert first == second and first["orders"]
    assert other != first["orders"]


def test_create_from_catalog_products_takes_the_base_variant(emu: Emulator) -> None:
    product = emu.api(
        "GET", "/v3/catalog/products", params={"limit": 1, "include": "variants"}
    ).json()["data"][0]
    r = emu.api(
        "POST",
        "/v2/orders",
        json={
            "billing_address": BILLING,
            "products": [{"product_id": product["id"], "quantity": 2}],
        },
    )
    assert r.status_code == 201, r.text
    line = emu.api("GET", f"/v2/orders/{r.json()['id']}/products").json()[0]
    assert line["product_id"] == product["id"] and line["name"] == product["name"]
    assert line["variant_id"] == product["variants"][0]["id"]
    # A UK billing address is taxed at the UK rate.
    assert Decimal(line["price_tax"]) == (Decimal(line["price_ex_tax"]) * Decimal("0.20")).quantize(
        Decimal("0.01")
    )
    bad = emu.api(
        "POST",
        "/v2/orders",
        json={"billing_address": BILLING, "products": [{"product_id": 10**7, "quantity": 1}]},
    )
    assert bad.status_code == 400


def test_incomplete_orders_show_only_when_asked_for(emu: Emulator) -> None:
    r = emu.api(
        "POST",
        "/v2/orders",
        json={
            "billing_address": BILLING,
            "products": [{"name": "Abandoned", "quantity": 1, "price_ex_tax": 3}],
            "status_id": 0,
        },
    )
    oid = r.json()["id"]
    listed = emu.api("GET", "/v2/orders", params={"min_id": oid, "max_id": oid})
    assert listed.status_code == 204
    incomplete = emu.api("GET", "/v2/orders", params={"status_id": 0}).json()
    assert oid in {o["id"] for o in incomplete}
    assert emu.api("GET", f"/v2/orders/{oid}").json()["status"] == "Incomplete"
