"""Per-order v2 sub-resources: products, shipping addresses, coupons, shipments, taxes, fees,
messages and consignments. A write to a child bumps its order's ``date_modified``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import parse_bool, parse_date, parse_int, v2_bounds
from bigcommerce_emulator.generator.orders import ADDRESS_KEYS
from bigcommerce_emulator.paging import json_response, v2_count, v2_page
from bigcommerce_emulator.render import render_v2
from bigcommerce_emulator.routes.batch_bodies import object_body
from bigcommerce_emulator.routes.order_view import (
    consignments,
    render_fee,
    render_product,
    render_shipping_address,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
SCOPE = "store_v2_orders"
ORDER = r"/v2/orders/{order_id:\d+}"


def _order(store: Store, request: web.Request) -> Record:
    return record_or_404(
        store.collection("orders"),
        int_param(request, "order_id"),
        "The requested resource was not found.",
    )


def _children(request: web.Request, name: str) -> tuple[Store, Record, list[Record]]:
    store = store_of(request)
    order = _order(store, request)
    return (
        store,
        order,
        store.collection(name, index_on=("order_id",)).where("order_id", order["id"]),
    )


def _one(records: list[Record], rid: int) -> Record:
    for r in records:
        if r["id"] == rid:
            return r
    raise ApiError(404, "The requested resource was not found.")


@routes.get(ORDER + "/products", scope=SCOPE)
async def list_products(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_products")
    return v2_page(query_of(request), recs, render=render_product)


@routes.get(ORDER + r"/products/{product_id:\d+}", scope=SCOPE)
async def get_product(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_products")
    return json_response(render_product(_one(recs, int_param(request, "product_id"))))


@routes.get(ORDER + "/shipping_addresses", scope=SCOPE)
async def list_shipping_addresses(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_shipping_addresses")
    return v2_page(query_of(request), recs, render=lambda r: render_shipping_address(request, r))


@routes.get(ORDER + r"/shipping_addresses/{address_id:\d+}", scope=SCOPE)
async def get_shipping_address(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_shipping_addresses")
    return json_response(
        render_shipping_address(request, _one(recs, int_param(request, "address_id")))
    )


@routes.put(ORDER + r"/shipping_addresses/{address_id:\d+}", scope=SCOPE)
async def update_shipping_address(request: web.Request) -> web.Response:
    store, order, recs = _children(request, "order_shipping_addresses")
    rec = _one(recs, int_param(request, "address_id"))
    body = await object_body(request)
    changes = {k: str(body[k] or "") for k in (*ADDRESS_KEYS, "shipping_method") if k in body}
    rec = store.collection("order_shipping_addresses").update(rec["id"], changes, touch=False)
    store.collection("orders").touch(order["id"])
    return json_response(render_shipping_address(request, rec))


@routes.get(ORDER + "/coupons", scope=SCOPE)
async def list_coupons(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_coupons")
    return v2_page(query_of(request), recs)


@routes.get(ORDER + "/taxes", scope=SCOPE)
async def list_taxes(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_taxes")
    return v2_page(query_of(request), recs)


@routes.get(ORDER + "/fees", scope=SCOPE)
async def list_fees(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_fees")
    # The documented body is an object holding the list, even when it is empty.
    return json_response({"fees": [render_fee(r) for r in recs]})


@routes.get(ORDER + "/consignments", scope=SCOPE)
async def get_consignments(request: web.Request) -> web.Response:
    store = store_of(request)
    order = _order(store, request)
    line_items = "consignments.line_items" in query_of(request).get("include", "")
    return json_response(consignments(request, store, order, line_items))


@routes.get(ORDER + "/messages", scope=SCOPE)
async def list_messages(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_messages")
    q = query_of(request)
    preds = v2_bounds(q, {"id": parse_int, "date_created": parse_date})
    if "customer_id" in q:
        cid = parse_int(q["customer_id"])
        preds.append(lambda r: r["customer_id"] == cid)
    if "is_flagged" in q:
        flag = parse_bool(q["is_flagged"])
        preds.append(lambda r: r["is_flagged"] == flag)
    if "status" in q:
        status = q["status"]
        preds.append(lambda r: r["status"] == status)
    return v2_page(q, [r for r in recs if all(p(r) for p in preds)])


# Shipments ---------------------------------------------------------------------------------


@routes.get(ORDER + "/shipments", scope=SCOPE)
async def list_shipments(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_shipments")
    return v2_page(query_of(request), recs)


@routes.get(ORDER + "/shipments/count", scope=SCOPE)
async def count_shipments(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_shipments")
    return v2_count(recs)


@routes.get(ORDER + r"/shipments/{shipment_id:\d+}", scope=SCOPE)
async def get_shipment(request: web.Request) -> web.Response:
    _, _, recs = _children(request, "order_shipments")
    return json_response(render_v2(_one(recs, int_param(request, "shipment_id"))))


def _recount(store: Store, order: Record) -> None:
    """Quantities shipped follow the shipments; the order's status follows them too."""
    products = store.collection("order_products").where("order_id", order["id"])
    shipped: dict[int, int] = {}
    for s in store.collection("order_shipments").where("order_id", order["id"]):
        for item in s["items"]:
            shipped[item["order_product_id"]] = shipped.get(item["order_product_id"], 0) + int(
                item["quantity"]
            )
    for p in products:
        store.collection("order_products").update(
            p["id"], {"quantity_shipped": shipped.get(p["id"], 0)}, touch=False
        )
    total = sum(shipped.values())
    changes: dict[str, Any] = {"items_shipped": total}
    if total and total >= order["items_total"]:
        changes["status_id"] = 2
        changes["date_shipped"] = order.get("date_shipped") or now()
    elif total:
        changes["status_id"] = 3
    store.collection("orders").update(order["id"], changes)


def _shipment_items(
    store: Store, order: Record, body: dict[str, Any], own: Record | None
) -> list[dict[str, Any]]:
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise ApiError(400, "The field 'items' is required.", errors={"items": "required"})
    products = {
        p["id"]: p for p in store.collection("order_products").where("order_id", order["id"])
    }
    already: dict[int, int] = {}
    for s in store.collection("order_shipments").where("order_id", order["id"]):
        if own is not None and s["id"] == own["id"]:
            continue
        for it in s["items"]:
            already[it["order_product_id"]] = (
                already.get(it["order_product_id"], 0) + it["quantity"]
            )
    out = []
    for i, it in enumerate(items):
        pid = it.get("order_product_id") if isinstance(it, dict) else None
        qty = it.get("quantity") if isinstance(it, dict) else None
        if not isinstance(pid, int) or pid not in products:
            raise ApiError(400, f"items[{i}].order_product_id is not a line item of this order.")
        if not isinstance(qty, int) or qty < 1:
            raise ApiError(400, f"items[{i}].quantity must be a positive integer.")
        if already.get(pid, 0) + qty > products[pid]["quantity"]:
            raise ApiError(400, f"items[{i}].quantity exceeds the quantity left to ship.")
        already[pid] = already.get(pid, 0) + qty
        out.append(
            {"order_product_id": pid, "product_id": products[pid]["product_id"], "quantity": qty}
        )
    return out


@routes.post(ORDER + "/shipments", scope=SCOPE)
async def create_shipment(request: web.Request) -> web.Response:
    store = store_of(request)
    order = _order(store, request)
    body = await object_body(request)
    addrs = {
        a["id"]: a
        for a in store.collection("order_shipping_addresses").where("order_id", order["id"])
    }
    aid = body.get("order_address_id")
    if aid not in addrs:
        raise ApiError(
            400, "The field 'order_address_id' is invalid.", errors={"order_address_id": "invalid"}
        )
    items = _shipment_items(store, order, body, None)
    addr = addrs[aid]
    col = store.collection("order_shipments", index_on=("order_id",))
    rec: Record = {
        "id": col.next_id,
        "order_id": order["id"],
        "customer_id": order["customer_id"],
        "order_address_id": aid,
        "date_created": now(),
        "tracking_number": str(body.get("tracking_number", "")),
        "merchant_shipping_cost": Decimal("0"),
        "shipping_method": str(body.get("shipping_method", addr.get("shipping_method", ""))),
        "shipping_provider": str(body.get("shipping_provider", "")),
        "tracking_carrier": str(body.get("tracking_carrier", "")),
        "tracking_link": str(body.get("tracking_link", "")),
        "comments": str(body.get("comments", "")),
        "billing_address": {k: order["billing_address"].get(k, "") for k in ADDRESS_KEYS},
        "shipping_address": {k: addr.get(k, "") for k in ADDRESS_KEYS},
        "items": items,
        "shipping_provider_display_name": str(body.get("shipping_provider", "")),
        "generated_tracking_link": "",
    }
    col.insert(rec, stamp=False)
    _recount(store, order)
    return json_response(render_v2(rec), 201)


@routes.put(ORDER + r"/shipments/{shipment_id:\d+}", scope=SCOPE)
async def update_shipment(request: web.Request) -> web.Response:
    store, order, recs = _children(request, "order_shipments")
    rec = _one(recs, int_param(request, "shipment_id"))
    body = await object_body(request)
    changes: dict[str, Any] = {
        k: str(body[k])
        for k in (
            "tracking_number",
            "shipping_method",
            "shipping_provider",
            "tracking_carrier",
            "tracking_link",
            "comments",
        )
        if k in body
    }
    if "items" in body:
        changes["items"] = _shipment_items(store, order, body, rec)
    rec = store.collection("order_shipments").update(rec["id"], changes, touch=False)
    _recount(store, order)
    return json_response(render_v2(rec))


@routes.delete(ORDER + r"/shipments/{shipment_id:\d+}", scope=SCOPE)
async def delete_shipment(request: web.Request) -> web.Response:
    store, order, recs = _children(request, "order_shipments")
    rec = _one(recs, int_param(request, "shipment_id"))
    store.collection("order_shipments").delete(rec["id"])
    _recount(store, order)
    return web.Response(status=204)


@routes.delete(ORDER + "/shipments", scope=SCOPE)
async def delete_shipments(request: web.Request) -> web.Response:
    store, order, recs = _children(request, "order_shipments")
    for rec in recs:
        store.collection("order_shipments").delete(rec["id"])
    _recount(store, order)
    return web.Response(status=204)
