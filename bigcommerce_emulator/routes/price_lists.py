"""``/v3/pricelists``: price lists, their records and their assignments.

Documented limits: the per-list batch upsert (``PUT .../records``) takes up to 1,000
records with at most 2 such requests at once; batch create takes 100 with 10 at once;
the cross-list upsert (``PUT /pricelists/records``) runs one at a time. Items naming an
unknown variant or SKU are answered with ``422`` and ``batch_errors`` while the valid
items of the batch are applied (the API's non-strict mode).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bigcommerce_emulator import filters
from bigcommerce_emulator.errors import V3_ERROR_TYPE, ApiError
from bigcommerce_emulator.generator.pricing import record_key
from bigcommerce_emulator.paging import (
    MAX_LIMIT,
    V3_DEFAULT_LIMIT,
    json_response,
    v3_cursor_page,
    v3_page,
)
from bigcommerce_emulator.paging import _encode_cursor as encode_cursor
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.batch_bodies import json_array
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_products"
UPSERT_BATCH = 1_000
CREATE_BATCH = 100
PRICE_FIELDS = ("price", "sale_price", "retail_price", "map_price")
INVALID = "JSON data is missing or invalid"

LIST_FILTERS: dict[str, filters.Parser] = {
    "id": filters.parse_int,
    "name": filters.parse_str,
    "date_created": filters.parse_date,
    "date_modified": filters.parse_date,
}
RECORD_FILTERS: dict[str, filters.Parser] = {
    "variant_id": filters.parse_int,
    "product_id": filters.parse_int,
    "sku": filters.parse_str,
    "currency": lambda v: v.lower(),
    **{f: filters.parse_decimal for f in (*PRICE_FIELDS, "calculated_price")},
    "date_created": filters.parse_date,
    "date_modified": filters.parse_date,
}
ASSIGNMENT_FILTERS: dict[str, filters.Parser] = {
    f: filters.parse_int for f in ("id", "price_list_id", "customer_group_id", "channel_id")
}


def _page(query: dict[str, str], records: list[Record], render: Callable[[Record], Any]) -> Any:
    """Price-list collections page by cursor when before/after is given; otherwise by offset,
    with the cursor of the page in ``meta.cursor_pagination`` so a client can switch to
    cursors from the first page on."""
    if "before" in query or "after" in query:
        return v3_cursor_page(query, records, render=render)
    try:
        limit = max(1, min(int(query.get("limit") or V3_DEFAULT_LIMIT), MAX_LIMIT))
        page = max(1, int(query.get("page") or 1))
    except ValueError as exc:
        raise ApiError(422, "The 'limit' and 'page' parameters must be integers") from exc
    chunk = records[(page - 1) * limit : page * limit]
    cursor: dict[str, Any] = {"count": len(chunk), "per_page": limit, "links": {}}
    if chunk:
        cursor["start_cursor"] = encode_cursor(chunk[0]["id"])
        cursor["end_cursor"] = encode_cursor(chunk[-1]["id"])
        rest = {k: v for k, v in query.items() if k not in ("page", "before", "after")}
        if page * limit < len(records):
            cursor["links"]["next"] = "?" + urlencode({**rest, "after": cursor["end_cursor"]})
    return v3_page(query, records, render=render, extra_meta={"cursor_pagination": cursor})


# Price lists --------------------------------------------------------------------------------


def _price_list(store: Store, price_list_id: int) -> Record:
    return record_or_404(store.collection("price_lists"), price_list_id, "Price list not found")


def _list_fields(body: Any, *, creating: bool) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, INVALID, errors={"body": "must be a JSON object"})
    if creating and not body.get("name"):
        raise ApiError(422, INVALID, errors={"name": "This field is required"})
    if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()):
        raise ApiError(422, INVALID, errors={"name": "must be a non-empty string"})
    if "active" in body and not isinstance(body["active"], bool):
        raise ApiError(422, INVALID, errors={"active": "must be a boolean"})
    return {k: body[k] for k in ("name", "active") if k in body}


def _name_taken(store: Store, name: str, except_id: int | None = None) -> bool:
    return any(r["id"] != except_id for r in store.collection("price_lists").where("name", name))


def _filtered_page(
    request: web.Request, name: str, fields: dict[str, filters.Parser]
) -> web.Response:
    """A page of the collection ``name`` narrowed by the query's documented filters."""
    query = query_of(request)
    col = store_of(request).collection(name)
    records = filters.apply(col, filters.build_predicates(query, fields))
    return _page(query, records, render_v3)


@routes.get("/v3/pricelists", scope=SCOPE)
async def list_price_lists(request: web.Request) -> web.Response:
    return _filtered_page(request, "price_lists", LIST_FILTERS)


@routes.get(r"/v3/pricelists/{price_list_id:\d+}", scope=SCOPE)
async def get_price_list(request: web.Request) -> web.Response:
    rec = _price_list(store_of(request), int_param(request, "price_list_id"))
    return json_response({"data": render_v3(rec), "meta": {}})


@routes.post("/v3/pricelists", scope=SCOPE)
async def create_price_list(request: web.Request) -> web.Response:
    store = store_of(request)
    fields = _list_fields(await request.json(), creating=True)
    if _name_taken(store, fields["name"]):
        raise ApiError(409, f"A price list named {fields['name']!r} already exists")
    rec = store.collection("price_lists").insert({"active": True, **fields})
    return json_response({"data": render_v3(rec), "meta": {}})


@routes.put(r"/v3/pricelists/{price_list_id:\d+}", scope=SCOPE)
async def update_price_list(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _price_list(store, int_param(request, "price_list_id"))
    fields = _list_fields(await request.json(), creating=False)
    if "name" in fields and _name_taken(store, fields["name"], rec["id"]):
        raise ApiError(409, f"A price list named {fields['name']!r} already exists")
    rec = store.collection("price_lists").update(rec["id"], fields)
    return json_response({"data": render_v3(rec), "meta": {}})


def _drop_price_list(store: Store, price_list_id: int) -> None:
    for name in ("price_list_records", "price_list_assignments"):
        store.collection(name).delete_where("price_list_id", price_list_id)
    store.collection("price_lists").delete(price_list_id)


@routes.delete(r"/v3/pricelists/{price_list_id:\d+}", scope=SCOPE, cap=("pricelist_delete", 1))
async def delete_price_list(request: web.Request) -> web.Response:
    store = store_of(request)
    _drop_price_list(store, _price_list(store, int_param(request, "price_list_id"))["id"])
    return web.Response(status=204)


@routes.delete("/v3/pricelists", scope=SCOPE, cap=("pricelist_delete", 1))
async def delete_price_lists(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    preds = filters.build_predicates(
        {k: v for k, v in query.items() if k in ("id:in", "name")}, LIST_FILTERS
    )
    if not preds:
        raise ApiError(422, INVALID, errors={"id:in": "a filter is required"})
    for rec in filters.apply(store.collection("price_lists"), preds):
        _drop_price_list(store, rec["id"])
    return web.Response(status=204)


# Price records ------------------------------------------------------------------------------


def _render_record(include: set[str]) -> Callable[[Record], dict[str, Any]]:
    def render(rec: Record) -> dict[str, Any]:
        out: dict[str, Any] = {
            "price_list_id": rec["price_list_id"],
            "variant_id": rec["variant_id"],
            "product_id": rec["product_id"],
            "currency": rec["currency"],
        }
        for f in (*PRICE_FIELDS, "calculated_price"):
            if rec.get(f) is not None:
                out[f] = float(rec[f])
        out["date_created"] = render_v3(rec["date_created"])
        out["date_modified"] = render_v3(rec["date_modified"])
        if "bulk_pricing_tiers" in include:
            out["bulk_pricing_tiers"] = render_v3(rec.get("bulk_pricing_tiers") or [])
        if "sku" in include:
            out["sku"] = rec.get("sku") or ""
        return out

    return render


def _include(query: dict[str, str]) -> set[str]:
    return {p.strip() for p in query.get("include", "").split(",") if p.strip()}


@routes.get(
    r"/v3/pricelists/{price_list_id:\d+}/records", scope=SCOPE, cap=("pricelist_records_get", 10)
)
async def list_records(request: web.Request) -> web.Response:
    store = store_of(request)
    price_list = _price_list(store, int_param(request, "price_list_id"))
    query = query_of(request)
    records = store.collection("price_list_records").where("price_list_id", price_list["id"])
    records = filters.apply(records, filters.build_predicates(query, RECORD_FILTERS))
    return _page(query, records, _render_record(_include(query)))


@routes.get(
    r"/v3/pricelists/{price_list_id:\d+}/records/{variant_id:\d+}",
    scope=SCOPE,
    cap=("pricelist_record_variant_get", 40),
)
async def list_variant_records(request: web.Request) -> web.Response:
    store = store_of(request)
    price_list = _price_list(store, int_param(request, "price_list_id"))
    variant_id = int_param(request, "variant_id")
    query = query_of(request)
    records = [
        r
        for r in store.collection("price_list_records").where("variant_id", variant_id)
        if r["price_list_id"] == price_list["id"]
    ]
    return _page(query, records, _render_record(_include(query)))


# One price record: a variant's price in one currency.
ONE_RECORD = (
    r"/v3/pricelists/{price_list_id:\d+}/records/{variant_id:\d+}/{currency_code:[A-Za-z]{3}}"
)


def _single_record(request: web.Request) -> tuple[Store, Record, int, str]:
    store = store_of(request)
    price_list = _price_list(store, int_param(request, "price_list_id"))
    variant_id = int_param(request, "variant_id")
    currency = request.match_info["currency_code"].lower()
    return store, price_list, variant_id, currency


@routes.get(ONE_RECORD, scope=SCOPE, cap=("pricelist_record_get", 50))
async def get_record(request: web.Request) -> web.Response:
    store, price_list, variant_id, currency = _single_record(request)
    found = store.collection("price_list_records").where(
        "_key", record_key(price_list["id"], variant_id, currency)
    )
    if not found:
        raise ApiError(404, "Price record not found")
    render = _render_record(_include(query_of(request)))
    return json_response({"data": render(found[0]), "meta": {}})


@routes.put(ONE_RECORD, scope=SCOPE, cap=("pricelist_record_put", 40))
async def put_record(request: web.Request) -> web.Response:
    store, price_list, variant_id, currency = _single_record(request)
    body = await request.json()
    if not isinstance(body, dict):
        raise ApiError(422, INVALID, errors={"body": "must be a JSON object"})
    item = {**body, "variant_id": variant_id, "currency": currency}
    rec, errors = _upsert(store, price_list["id"], item, create_only=False)
    if rec is None:
        if "does not exist" in errors.get("variant_id", ""):
            raise ApiError(404, "Variant not found", errors=errors)
        raise ApiError(422, INVALID, errors=errors)
    return json_response({"data": _render_record(set())(rec), "meta": {}})


@routes.delete(ONE_RECORD, scope=SCOPE, cap=("pricelist_record_delete", 25))
async def delete_record(request: web.Request) -> web.Response:
    store, price_list, variant_id, currency = _single_record(request)
    key = record_key(price_list["id"], variant_id, currency)
    store.collection("price_list_records").delete_where("_key", key)
    return web.Response(status=204)


@routes.delete(r"/v3/pricelists/{price_list_id:\d+}/records", scope=SCOPE)
async def delete_records(request: web.Request) -> web.Response:
    store = store_of(request)
    price_list = _price_list(store, int_param(request, "price_list_id"))
    query = {
        k: v for k, v in query_of(request).items() if k in ("currency", "variant_id:in", "sku:in")
    }
    col = store.collection("price_list_records")
    records = col.where("price_list_id", price_list["id"])
    for rec in filters.apply(records, filters.build_predicates(query, RECORD_FILTERS)):
        col.delete(rec["id"])
    return web.Response(status=204)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidOperation
    return Decimal(str(value))


def _resolve_variant(store: Store, item: dict[str, Any]) -> Record | None:
    variants = store.collection("product_variants")
    if item.get("variant_id") is not None:
        try:
            return variants.get(int(item["variant_id"]))
        except (TypeError, ValueError):
            return None
    sku = item.get("sku")
    if isinstance(sku, str) and sku:
        found = variants.where("sku", sku)
        return found[0] if found else None
    return None


def _item_values(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for f in PRICE_FIELDS:
        if f in item and item[f] is not None:
            try:
                values[f] = _decimal(item[f])
            except InvalidOperation:
                errors[f] = "must be a number"
                continue
            if f != "price" and values[f] < 0:
                errors[f] = "must be greater than or equal to 0"
        elif f in item:
            values[f] = None
    if "bulk_pricing_tiers" in item:
        tiers = item["bulk_pricing_tiers"]
        if not isinstance(tiers, list) or not all(
            isinstance(t, dict) and t.get("type") in ("fixed", "price", "percent") for t in tiers
        ):
            errors["bulk_pricing_tiers"] = "must be a list of tiers of type fixed, price or percent"
        else:
            values["bulk_pricing_tiers"] = [
                {
                    "quantity_min": t.get("quantity_min", 0),
                    "quantity_max": t.get("quantity_max"),
                    "type": t["type"],
                    "amount": Decimal(str(t.get("amount", 0))),
                }
                for t in tiers
            ]
    return values, errors


def _upsert(
    store: Store, price_list_id: int, item: Any, *, create_only: bool
) -> tuple[Record | None, dict[str, str]]:
    """Apply one record: the stored record, or None and field errors naming what is wrong."""
    if not isinstance(item, dict):
        return None, {"item": "must be a JSON object"}
    currency = item.get("currency")
    if not isinstance(currency, str) or len(currency) != 3:
        return None, {"currency": "This field is required (an ISO 4217 code)"}
    if item.get("variant_id") is None and not item.get("sku"):
        return None, {"variant_id": "one of variant_id or sku is required"}
    variant = _resolve_variant(store, item)
    if variant is None:
        if item.get("variant_id") is not None:
            return None, {"variant_id": f"variant {item['variant_id']} does not exist"}
        return None, {"sku": f"no variant has the SKU {item.get('sku')!r}"}
    values, errors = _item_values(item)
    if errors:
        return None, errors
    col = store.collection("price_list_records")
    key = record_key(price_list_id, variant["id"], currency)
    existing = col.where("_key", key)
    if existing:
        if create_only:
            return None, {
                "variant_id": "a price record for this variant and currency already exists"
            }
        rec = existing[0]
        changed = {k: v for k, v in values.items() if rec.get(k) != v}
        if not changed:
            return rec, {}
        merged = {**rec, **changed}
    else:
        if values.get("price") is None:
            return None, {"price": "This field is required"}
        changed = values
        merged = {
            "_key": key,
            "price_list_id": price_list_id,
            "variant_id": variant["id"],
            "product_id": variant.get("product_id"),
            "sku": variant.get("sku") or "",
            "currency": currency.lower(),
            "sale_price": None,
            "retail_price": None,
            "map_price": None,
            "bulk_pricing_tiers": [],
            **values,
        }
    sale = merged.get("sale_price")
    merged["calculated_price"] = sale if sale is not None and sale > 0 else merged["price"]
    if existing:
        changed["calculated_price"] = merged["calculated_price"]
        return col.update(existing[0]["id"], changed), {}
    return col.insert(merged), {}


def _batch_error(price_list_id: int | None, item: Any, errors: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if isinstance(item, dict):
        data = {k: item[k] for k in ("variant_id", "sku", "currency") if k in item}
    if price_list_id is not None:
        data["price_list_id"] = price_list_id
    return {"data": data, "field_errors": errors}


async def _batch(
    request: web.Request, price_list_id: int | None, *, limit: int, create_only: bool
) -> web.Response:
    store = store_of(request)
    body = await json_array(request, "price records")
    if len(body) > limit:
        raise ApiError(413, f"The batch holds {len(body)} records; the limit is {limit}")
    batch_errors = []
    for item in body:
        list_id = price_list_id
        if list_id is None:
            raw = item.get("price_list_id") if isinstance(item, dict) else None
            if not isinstance(raw, int) or store.collection("price_lists").get(raw) is None:
                batch_errors.append(
                    _batch_error(None, item, {"price_list_id": "price list does not exist"})
                )
                continue
            list_id = raw
        rec, errors = _upsert(store, list_id, item, create_only=create_only)
        if rec is None:
            batch_errors.append(_batch_error(list_id, item, errors))
    if batch_errors:
        return json_response(
            {
                "status": 422,
                "title": INVALID,
                "type": V3_ERROR_TYPE,
                "batch_errors": batch_errors,
            },
            status=422,
        )
    return json_response({"data": {}, "meta": {}})


@routes.put(
    r"/v3/pricelists/{price_list_id:\d+}/records", scope=SCOPE, cap=("pricelist_records", 2)
)
async def upsert_records(request: web.Request) -> web.Response:
    price_list = _price_list(store_of(request), int_param(request, "price_list_id"))
    return await _batch(request, price_list["id"], limit=UPSERT_BATCH, create_only=False)


@routes.post(
    r"/v3/pricelists/{price_list_id:\d+}/records",
    scope=SCOPE,
    cap=("pricelist_records_create", 10),
)
async def create_records(request: web.Request) -> web.Response:
    price_list = _price_list(store_of(request), int_param(request, "price_list_id"))
    return await _batch(request, price_list["id"], limit=CREATE_BATCH, create_only=True)


@routes.put("/v3/pricelists/records", scope=SCOPE, cap=("pricelist_records_all", 1))
async def upsert_records_any_list(request: web.Request) -> web.Response:
    return await _batch(request, None, limit=UPSERT_BATCH, create_only=False)


@routes.post("/v3/pricelists/records", scope=SCOPE, cap=("pricelist_records_create", 10))
async def create_records_any_list(request: web.Request) -> web.Response:
    return await _batch(request, None, limit=CREATE_BATCH, create_only=True)


# Assignments --------------------------------------------------------------------------------


@routes.get("/v3/pricelists/assignments", scope=SCOPE)
async def list_assignments(request: web.Request) -> web.Response:
    return _filtered_page(request, "price_list_assignments", ASSIGNMENT_FILTERS)


def _check_assignment(store: Store, item: Any, index: int | None) -> dict[str, Any]:
    prefix = "" if index is None else f"{index}."
    if not isinstance(item, dict):
        raise ApiError(422, INVALID, errors={f"{prefix}body": "must be a JSON object"})
    fields = {k: item[k] for k in ASSIGNMENT_FILTERS if k != "id" and item.get(k) is not None}
    if store.collection("price_lists").get(fields.get("price_list_id", -1)) is None:
        raise ApiError(422, INVALID, errors={f"{prefix}price_list_id": "price list not found"})
    group = fields.get("customer_group_id")
    if group is not None and store.collection("customer_groups").get(group) is None:
        raise ApiError(422, INVALID, errors={f"{prefix}customer_group_id": "group not found"})
    channel = fields.get("channel_id")
    if channel is not None and store.collection("channels").get(channel) is None:
        raise ApiError(422, INVALID, errors={f"{prefix}channel_id": "channel not found"})
    return fields


def _conflict(store: Store, fields: dict[str, Any]) -> Record | None:
    for rec in store.collection("price_list_assignments"):
        if rec.get("customer_group_id") == fields.get("customer_group_id") and rec.get(
            "channel_id"
        ) == fields.get("channel_id"):
            return rec
    return None


@routes.post("/v3/pricelists/assignments", scope=SCOPE)
async def create_assignments(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await json_array(request, "assignments")
    planned = [_check_assignment(store, item, i) for i, item in enumerate(body)]
    col = store.collection("price_list_assignments")
    for i, fields in enumerate(planned):
        if _conflict(store, fields) is not None:
            raise ApiError(
                422,
                INVALID,
                errors={f"{i}": "an assignment for this customer group and channel exists"},
            )
    created = [col.insert(fields, stamp=False) for fields in planned]
    return json_response({"data": [render_v3(r) for r in created], "meta": {}})


@routes.put(
    r"/v3/pricelists/{price_list_id:\d+}/assignments", scope=SCOPE, cap=("assignment_put", 25)
)
async def put_assignment(request: web.Request) -> web.Response:
    store = store_of(request)
    price_list = _price_list(store, int_param(request, "price_list_id"))
    body = await request.json()
    if not isinstance(body, dict):
        raise ApiError(422, INVALID, errors={"body": "must be a JSON object"})
    fields = _check_assignment(store, {**body, "price_list_id": price_list["id"]}, None)
    col = store.collection("price_list_assignments")
    existing = _conflict(store, fields)
    if existing is not None:
        rec = col.update(existing["id"], {"price_list_id": price_list["id"]}, touch=False)
    else:
        rec = col.insert(fields, stamp=False)
    return json_response({"data": render_v3(rec), "meta": {}})


@routes.delete("/v3/pricelists/assignments", scope=SCOPE)
async def delete_assignments(request: web.Request) -> web.Response:
    query = {
        k: v
        for k, v in query_of(request).items()
        if k in ("id", "price_list_id", "customer_group_id", "channel_id", "channel_id:in")
    }
    preds = filters.build_predicates(query, ASSIGNMENT_FILTERS)
    if not preds:
        raise ApiError(422, INVALID, errors={"price_list_id": "a filter is required"})
    col = store_of(request).collection("price_list_assignments")
    for rec in filters.apply(col, preds):
        col.delete(rec["id"])
    return web.Response(status=204)
