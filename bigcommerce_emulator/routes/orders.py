"""v2 orders: list, count, single, create, update, archive; and order statuses.

The list narrows before it filters: by the ``date_modified`` window (the store's sorted
keyset) or the id range, so a page of the large store is served in milliseconds.
Archived orders (``is_deleted``) are left out of lists unless ``is_deleted=true`` asks for
them, and incomplete orders (status 0) unless ``status_id=0`` does, as the real API does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import parse_bool, parse_date, parse_decimal, parse_int
from bigcommerce_emulator.generator.orders import (
    ADDRESS_KEYS,
    STATUS_NAMES,
    build_order,
    collections,
)
from bigcommerce_emulator.narrowing import modified_within, span_size
from bigcommerce_emulator.paging import json_response, v2_page
from bigcommerce_emulator.render import render_v2
from bigcommerce_emulator.routes.batch_bodies import object_body, str_list
from bigcommerce_emulator.routes.order_view import api_base, render_order
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
SCOPE = "store_v2_orders"
SORTS = (
    "id",
    "customer_id",
    "date_created",
    "date_modified",
    "status_id",
    "channel_id",
    "external_id",
)
INCLUDES = {"consignments", "consignments.line_items", "fees"}

Pred = Callable[[Record], bool]


def _equals(field: str, want: Any, default: Any) -> Pred:
    return lambda r: r.get(field, default) == want


def _preds(query: dict[str, str]) -> list[Pred]:
    preds: list[Pred] = []

    def bound(name: str, field: str, parse: Callable[[str], Any], ge: bool) -> None:
        if name in query and query[name] != "":
            v = parse(query[name])
            if ge:
                preds.append(lambda r: r.get(field) is not None and r[field] >= v)
            else:
                preds.append(lambda r: r.get(field) is not None and r[field] <= v)

    bound("min_id", "id", parse_int, True)
    bound("max_id", "id", parse_int, False)
    bound("min_total", "total_inc_tax", parse_decimal, True)
    bound("max_total", "total_inc_tax", parse_decimal, False)
    bound("min_date_created", "date_created", parse_date, True)
    bound("max_date_created", "date_created", parse_date, False)
    for name, parse in (
        ("customer_id", parse_int),
        ("status_id", parse_int),
        ("channel_id", parse_int),
    ):
        if name in query and query[name] != "":
            preds.append(_equals(name, parse(query[name]), 1 if name == "channel_id" else None))
    if "email" in query:
        email = query["email"].lower()
        preds.append(lambda r: str(r["billing_address"].get("email", "")).lower() == email)
    for name in ("cart_id", "payment_method", "external_order_id"):
        if name in query:
            preds.append(_equals(name, query[name], ""))
    if query.get("status_id", "") == "":
        # Incomplete orders (status 0) only show when asked for by status, as on a real store.
        preds.append(lambda r: r["status_id"] != 0)
    deleted = parse_bool(query["is_deleted"]) if "is_deleted" in query else False
    preds.append(lambda r: bool(r.get("is_deleted", False)) == deleted)
    return preds


def select_orders(store: Store, query: dict[str, str], want: int | None = None) -> list[Record]:
    """Matching orders in the requested order; with ``want``, at least the first ``want``."""
    col = store.collection("orders")
    lo = parse_date(query["min_date_modified"]) if query.get("min_date_modified") else None
    hi = parse_date(query["max_date_modified"]) if query.get("max_date_modified") else None
    sort = query.get("sort", "id")
    field, _, direction = sort.partition(":")
    if field not in SORTS:
        raise ApiError(400, f"The sort field '{field}' is not supported.")
    desc = direction.lower() == "desc"
    preds = _preds(query)
    # Candidates from whichever index gives fewer: the id range or the modification window.
    id_lo = parse_int(query["min_id"]) if query.get("min_id") else None
    id_hi = parse_int(query["max_id"]) if query.get("max_id") else None
    by_id = col.id_span(id_lo, id_hi)
    by_date = col.modified_span(lo, hi) if lo is not None or hi is not None else None
    # Sorting everything by date_modified: the keys are that order when every order has one.
    whole_by_date = (
        by_date is None
        and field == "date_modified"
        and span_size(by_id) == len(col)
        and span_size(col.modified_span()) == len(col)
    )
    if whole_by_date or (by_date is not None and span_size(by_date) <= span_size(by_id)):
        in_order = field == "date_modified"
        ordered = col.iter_modified(lo, hi, reverse=desc and in_order)  # (date_modified, id)
    else:
        in_order = field == "id"
        ordered = col.iter_ids(id_lo, id_hi, reverse=desc and in_order)
        if by_date is not None:
            preds.append(lambda r: modified_within(r, lo, hi))
    matching = (r for r in ordered if all(p(r) for p in preds))
    if in_order:
        # Already in the requested order: stop once the page is full.
        return list(islice(matching, want)) if want is not None else list(matching)
    records = list(matching)
    default = "" if field == "external_id" else 0

    def key(r: Record) -> tuple[Any, int]:
        v = r.get(field)
        return (default if v is None else v, r["id"])

    records.sort(key=key, reverse=desc)
    return records


def _includes(query: dict[str, str]) -> set[str]:
    if query.get("consignment_structure") != "object":
        return {p for p in str_list(query.get("include", "")) if p == "fees"}
    return {p for p in str_list(query.get("include", "")) if p in INCLUDES}


@routes.get("/v2/orders", scope=SCOPE)
async def list_orders(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    includes = _includes(query)
    try:
        want: int | None = max(1, int(query.get("page") or 1)) * max(
            1, int(query.get("limit") or 50)
        )
    except ValueError:
        want = None  # v2_page answers the malformed parameter
    records = select_orders(store, query, want)
    render = store.renders.renderer(
        ("v2/orders", api_base(request), frozenset(includes)),
        lambda r: render_order(request, store, r, includes),
    )
    return v2_page(query, records, render=render)


@routes.get("/v2/orders/count", scope=SCOPE)
async def count_orders(request: web.Request) -> web.Response:
    store = store_of(request)
    records = select_orders(store, query_of(request))
    by_status: dict[int, int] = {}
    for r in records:
        by_status[r["status_id"]] = by_status.get(r["status_id"], 0) + 1
    statuses = [
        {**render_v2(s), "count": by_status.get(s["id"], 0)}
        for s in sorted(
            store.collection("order_statuses"), key=lambda s: int(s.get("sort_order") or s["id"])
        )
    ]
    return json_response({"statuses": statuses, "count": len(records)})


def order_or_404(store: Store, request: web.Request) -> Record:
    return record_or_404(
        store.collection("orders"),
        int_param(request, "order_id"),
        "The requested resource was not found.",
    )


@routes.get(r"/v2/orders/{order_id:\d+}", scope=SCOPE)
async def get_order(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = order_or_404(store, request)
    return json_response(render_order(request, store, rec, _includes(query_of(request))))


def _status(body: dict[str, Any]) -> int | None:
    if "status_id" not in body:
        return None
    sid = body["status_id"]
    if not isinstance(sid, int) or sid not in STATUS_NAMES:
        raise ApiError(
            400, f"The field 'status_id' is invalid: {sid!r}.", errors={"status_id": "invalid"}
        )
    return sid


def _address(body: dict[str, Any], key: str) -> dict[str, Any]:
    raw = body.get(key)
    if not isinstance(raw, dict):
        raise ApiError(400, f"The field '{key}' must be an object.", errors={key: "invalid"})
    return {k: str(raw.get(k, "") or "") for k in ADDRESS_KEYS}


UPDATABLE = (
    "customer_message",
    "staff_notes",
    "payment_method",
    "external_id",
    "external_source",
    "external_merchant_id",
    "channel_id",
    "customer_locale",
    "is_email_opt_in",
)


@routes.put(r"/v2/orders/{order_id:\d+}", scope=SCOPE)
async def update_order(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = order_or_404(store, request)
    body = await object_body(request)
    changes: dict[str, Any] = {k: body[k] for k in UPDATABLE if k in body}
    sid = _status(body)
    if sid is not None:
        changes["status_id"] = sid
        if sid in (2, 10) and not rec.get("date_shipped"):
            changes["date_shipped"] = now()
    if "billing_address" in body:
        changes["billing_address"] = {**rec["billing_address"], **_address(body, "billing_address")}
        changes["billing_address"]["form_fields"] = rec["billing_address"].get("form_fields", [])
    if "customer_id" in body:
        cid = body["customer_id"]
        if cid not in (0, None) and store.collection("customers").get(cid) is None:
            raise ApiError(
                400, f"Customer {cid} does not exist.", errors={"customer_id": "invalid"}
            )
        changes["customer_id"] = cid or 0
    updated = store.collection("orders").update(rec["id"], changes)
    return json_response(render_order(request, store, updated))


def _line(
    store: Store, item: dict[str, Any], i: int
) -> tuple[tuple[int, int, str, str, Decimal, Decimal], int]:
    qty = item.get("quantity")
    if not isinstance(qty, int) or qty < 1:
        raise ApiError(
            400,
            f"products[{i}].quantity must be a positive integer.",
            errors={f"products[{i}].quantity": "invalid"},
        )
    if "product_id" in item:
        products = store.collections.get("products")
        product = products.get(item["product_id"]) if products is not None else None
        if product is None:
            raise ApiError(
                400,
                f"Product {item['product_id']} does not exist.",
                errors={f"products[{i}].product_id": "invalid"},
            )
        variant_id = int(item.get("variant_id") or 0)
        variants = store.collections.get("product_variants")
        variant = None
        if variants is not None:
            # Without a variant the order takes the product's first (base) variant.
            mine = variants.where("product_id", product["id"])
            variant = next((v for v in mine if v["id"] == variant_id), None)
            if variant_id and variant is None:
                raise ApiError(
                    400,
                    f"Variant {variant_id} does not belong to product {product['id']}.",
                    errors={f"products[{i}].variant_id": "invalid"},
                )
            if variant is None and mine:
                variant = mine[0]
                variant_id = variant["id"]
        price = Decimal(
            str(
                item.get("price_ex_tax")
                or (variant or {}).get("price")
                or product.get("price")
                or 0
            )
        )
        sku = str((variant or {}).get("sku") or product.get("sku") or "")
        return (
            product["id"],
            variant_id,
            str(product.get("name", "")),
            sku,
            price,
            Decimal(str((variant or {}).get("weight") or product.get("weight") or 0)),
        ), qty
    if not item.get("name"):
        raise ApiError(
            400,
            f"products[{i}] needs a product_id or a name.",
            errors={f"products[{i}].name": "required"},
        )
    try:
        price = Decimal(str(item.get("price_ex_tax", item.get("price_inc_tax", 0))))
    except InvalidOperation as exc:
        raise ApiError(400, f"products[{i}].price_ex_tax is not a number.") from exc
    return (0, 0, str(item["name"]), str(item.get("sku", "")), price, Decimal("0")), qty


@routes.post("/v2/orders", scope=SCOPE)
async def create_order(request: web.Request) -> web.Response:
    store = store_of(request)
    collections(store)
    body = await object_body(request)
    billing = _address(body, "billing_address")
    products = body.get("products")
    if not isinstance(products, list) or not products:
        raise ApiError(400, "The field 'products' is required.", errors={"products": "required"})
    lines = [_line(store, p, i) for i, p in enumerate(products)]
    cid = int(body.get("customer_id") or 0)
    cust = store.collection("customers").get(cid) if cid else None
    if cid and cust is None:
        raise ApiError(400, f"Customer {cid} does not exist.", errors={"customer_id": "invalid"})
    status = _status(body)
    col = store.collection("orders")
    oid = max(col.next_id, 100)
    col.next_id = oid
    t = now()
    rng = random.Random(f"{store.seed}:order:{oid}")  # noqa: S311
    order, children = build_order(
        store,
        rng,
        None,
        oid,
        t,
        cust,
        lines,
        1 if status is None else status,
        billing={**billing, "form_fields": []},
    )
    order["date_modified"] = t
    order["customer_message"] = str(body.get("customer_message", ""))
    order["staff_notes"] = str(body.get("staff_notes", ""))
    ships = body.get("shipping_addresses")
    sa = children["order_shipping_addresses"][0]
    if isinstance(ships, list) and ships and isinstance(ships[0], dict):
        sa.update({k: str(ships[0].get(k, "") or "") for k in ADDRESS_KEYS})
        if ships[0].get("shipping_method"):
            sa["shipping_method"] = str(ships[0]["shipping_method"])
    else:
        sa.update({k: billing[k] for k in ADDRESS_KEYS})
    children["order_transactions"] = []
    children["refunds"] = []
    col.insert(order, stamp=False)
    for name, recs in children.items():
        for child in recs:
            store.collection(name, index_on=("order_id",)).insert(child, stamp=False)
    return json_response(render_order(request, store, order), 201)


@routes.delete(r"/v2/orders/{order_id:\d+}", scope=SCOPE)
async def archive_order(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = order_or_404(store, request)
    store.collection("orders").update(rec["id"], {"is_deleted": True})
    return web.Response(status=204)


@routes.delete("/v2/orders", scope=SCOPE)
async def archive_all(request: web.Request) -> web.Response:
    col = store_of(request).collection("orders")
    live = [r["id"] for r in col if not r.get("is_deleted")]
    for oid in live:
        col.update(oid, {"is_deleted": True})
    request["items"] = len(live)
    return web.Response(status=204)


# Order statuses ------------------------------------------------------------------------------


@routes.get("/v2/order_statuses", scope=SCOPE)
async def list_statuses(request: web.Request) -> web.Response:
    col = store_of(request).collection("order_statuses")
    recs = [
        {k: v for k, v in s.items() if k != "sort_order"}
        for s in sorted(col, key=lambda s: s["id"])
    ]
    return json_response(render_v2(recs))


@routes.get(r"/v2/order_statuses/{status_id:\d+}", scope=SCOPE)
async def get_status(request: web.Request) -> web.Response:
    rec = store_of(request).collection("order_statuses").get(int_param(request, "status_id"))
    if rec is None:
        raise ApiError(404, "The requested resource was not found.")
    return json_response(render_v2({k: v for k, v in rec.items() if k != "sort_order"}))


# Per-order children live in their own module, served with this table.
from bigcommerce_emulator.routes import order_children  # noqa: E402

routes.specs.extend(order_children.routes.specs)
