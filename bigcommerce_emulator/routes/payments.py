"""v3 order transactions and refunds.

A refund may not exceed what is left to refund on the order; creating one records a
``refund`` transaction, sets the order's ``refunded_amount`` and status (Refunded or
Partially Refunded) and so bumps its ``date_modified``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import parse_date
from bigcommerce_emulator.generator.orders import TRANSACTION_DEFAULTS
from bigcommerce_emulator.paging import json_response, v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.batch_bodies import id_list, object_body
from bigcommerce_emulator.routes.orders import order_or_404
from bigcommerce_emulator.routing import Routes, int_param, query_of, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
ORDERS = "store_v2_orders"
TRANSACTIONS = "store_v2_transactions"


@routes.get(r"/v3/orders/{order_id:\d+}/transactions", scope=TRANSACTIONS)
async def list_transactions(request: web.Request) -> web.Response:
    store = store_of(request)
    order = order_or_404(store, request)
    recs = store.collection("order_transactions", index_on=("order_id",)).where(
        "order_id", str(order["id"])
    )
    return v3_page(query_of(request), recs, render=render_transaction)


def render_transaction(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(
        {**rec, **{k: v for k, v in TRANSACTION_DEFAULTS.items() if k not in rec}}
    )
    return out


def _refunds(store: Store) -> Any:
    return store.collection("refunds", index_on=("order_id",))


def _filter_refunds(recs: list[Record], query: dict[str, str]) -> list[Record]:
    if "created:min" in query:
        lo = parse_date(query["created:min"])
        recs = [r for r in recs if r["created"] >= lo]
    if "created:max" in query:
        hi = parse_date(query["created:max"])
        recs = [r for r in recs if r["created"] <= hi]
    ids = id_list(query)
    if ids is not None:
        wanted = set(ids)
        recs = [r for r in recs if r["id"] in wanted]
    if "transaction_id" in query:
        tid = query["transaction_id"]
        recs = [r for r in recs if any(p.get("transaction_id") == tid for p in r["payments"])]
    return recs


@routes.get("/v3/orders/payment_actions/refunds", scope=ORDERS)
async def list_all_refunds(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    col = _refunds(store)
    order_ids = id_list(query, "order_id:in")
    if order_ids is not None:
        recs = sorted(
            (r for o in set(order_ids) for r in col.where("order_id", o)), key=lambda r: r["id"]
        )
    else:
        recs = [col.items[i] for i in sorted(col.items)]
    return v3_page(query, _filter_refunds(recs, query))


@routes.get(r"/v3/orders/payment_actions/refunds/{refund_id:\d+}", scope=ORDERS)
async def get_refund(request: web.Request) -> web.Response:
    rec = _refunds(store_of(request)).get(int_param(request, "refund_id"))
    if rec is None:
        raise ApiError(404, "Refund not found")
    return json_response({"data": render_single_refund(rec), "meta": {}})


def render_single_refund(rec: Record) -> dict[str, Any]:
    """The single-refund answer writes each item's ``requested_amount`` as a string."""
    out: dict[str, Any] = render_v3(rec)
    for item, raw in zip(out["items"], rec["items"], strict=True):
        amount = raw.get("requested_amount")
        item["requested_amount"] = None if amount is None else f"{amount:.2f}"
    return out


@routes.get(r"/v3/orders/{order_id:\d+}/payment_actions/refunds", scope=ORDERS)
async def list_order_refunds(request: web.Request) -> web.Response:
    store = store_of(request)
    order = order_or_404(store, request)
    query = query_of(request)
    recs = _filter_refunds(_refunds(store).where("order_id", order["id"]), query)
    return v3_page(query, recs)


def _amount(raw: Any, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise ApiError(422, "Invalid refund", errors={where: "must be a number"}) from exc
    if value <= 0:
        raise ApiError(422, "Invalid refund", errors={where: "must be greater than zero"})
    return value


@routes.post(r"/v3/orders/{order_id:\d+}/payment_actions/refunds", scope=ORDERS)
async def create_refund(request: web.Request) -> web.Response:
    store = store_of(request)
    order = order_or_404(store, request)
    body = await object_body(request)
    items = body.get("items")
    payments = body.get("payments")
    if not isinstance(items, list) or not items:
        raise ApiError(422, "Invalid refund", errors={"items": "items is required"})
    if not isinstance(payments, list) or not payments:
        raise ApiError(422, "Invalid refund", errors={"payments": "payments is required"})
    products = {
        p["id"]: p for p in store.collection("order_products").where("order_id", order["id"])
    }
    out_items: list[dict[str, Any]] = []
    if not all(isinstance(x, dict) for x in [*items, *payments]):
        raise ApiError(
            422, "Invalid refund", errors={"items": "items and payments must be objects"}
        )
    for i, it in enumerate(items):
        kind = it.get("item_type")
        if kind in ("PRODUCT", "GIFT_WRAPPING"):
            prod = products.get(it.get("item_id"))
            qty = it.get("quantity")
            if prod is None:
                raise ApiError(
                    422,
                    "Invalid refund",
                    errors={f"items[{i}].item_id": "not a line item of this order"},
                )
            if not isinstance(qty, int) or qty < 1 or qty > prod["quantity"]:
                raise ApiError(
                    422, "Invalid refund", errors={f"items[{i}].quantity": "invalid quantity"}
                )
            amount = prod["price_inc_tax"] * qty
            out_items.append(
                {
                    "item_type": kind,
                    "item_id": prod["id"],
                    "reason": str(it.get("reason", "")),
                    "quantity": qty,
                    "requested_amount": amount,
                }
            )
        elif kind in ("ORDER", "SHIPPING", "HANDLING", "TAX", "FEE"):
            amount = _amount(it.get("amount"), f"items[{i}].amount")
            out_items.append(
                {
                    "item_type": kind,
                    "item_id": int(it.get("item_id") or order["id"]),
                    "reason": str(it.get("reason", "")),
                    "quantity": 1,
                    "requested_amount": amount,
                }
            )
        else:
            raise ApiError(
                422, "Invalid refund", errors={f"items[{i}].item_type": "unknown item_type"}
            )
    total = sum(
        (_amount(p.get("amount"), f"payments[{i}].amount") for i, p in enumerate(payments)),
        Decimal("0"),
    )
    left = order["total_inc_tax"] - order.get("refunded_amount", Decimal("0"))
    if total > left:
        raise ApiError(
            422,
            "Refund amount exceeds the amount available to refund",
            errors={"payments": f"at most {left:.2f} can be refunded"},
        )
    col = _refunds(store)
    t = now()
    rec: Record = {
        "id": col.next_id,
        "order_id": order["id"],
        "user_id": 0,
        "created": t,
        "reason": str(body.get("reason", "")),
        "total_amount": total,
        "total_tax": Decimal("0"),
        "uses_merchant_override_values": "merchant_calculated_override" in body,
        "items": out_items,
        "payments": [
            {
                "id": i + 1,
                "provider_id": str(p.get("provider_id", "")),
                "amount": Decimal(str(p["amount"])),
                "offline": bool(p.get("offline", False)),
                "is_declined": False,
                "declined_message": "",
                "transaction_id": "",
            }
            for i, p in enumerate(payments)
        ],
    }
    col.insert(rec, stamp=False)
    refunded = order.get("refunded_amount", Decimal("0")) + total
    store.collection("orders").update(
        order["id"],
        {"refunded_amount": refunded, "status_id": 4 if refunded >= order["total_inc_tax"] else 14},
    )
    txns = store.collection("order_transactions", index_on=("order_id",))
    txns.insert(
        {
            "id": txns.next_id,
            "order_id": str(order["id"]),
            "event": "refund",
            "method": "credit_card",
            "amount": total,
            "currency": "USD",
            "gateway": "custom",
            "date_created": t,
            "test": False,
            "status": "ok",
            "fraud_review": False,
            "offline": None,
            "custom": None,
            "gift_certificate": None,
            "store_credit": None,
        },
        stamp=False,
    )
    return json_response({"data": render_v3(rec), "meta": {}}, 201)
