"""v2 customer groups, v2 customers (read) and v3 newsletter subscribers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import (
    apply,
    build_predicates,
    parse_bool,
    parse_date,
    parse_int,
    parse_str,
    v2_bounds,
)
from bigcommerce_emulator.paging import json_response, v2_count, v2_page, v3_page
from bigcommerce_emulator.render import render_v2, render_v3
from bigcommerce_emulator.routes.batch_bodies import date_window, id_list, narrow, object_body
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_customers"
# Documented: 40 concurrent requests on the customer group endpoints.
GROUPS_CAP = ("customer_groups", 40)

# Customer groups (v2) ------------------------------------------------------------------------

GROUP_FILTERS = {
    "name": parse_str,
    "is_default": parse_bool,
    "is_group_for_guests": parse_bool,
    "date_created": parse_date,
}


def _groups(store: Store, query: dict[str, str]) -> list[Record]:
    lo, hi = date_window(query, "date_modified")
    # v2 also spells the window min_/max_date_modified.
    if "min_date_modified" in query:
        lo = parse_date(query["min_date_modified"])
    if "max_date_modified" in query:
        hi = parse_date(query["max_date_modified"])
    records = sorted(
        narrow(store.collection("customer_groups"), None, lo, hi), key=lambda r: r["id"]
    )
    return apply(records, build_predicates(query, GROUP_FILTERS))


@routes.get("/v2/customer_groups", scope=SCOPE, cap=GROUPS_CAP)
async def list_groups(request: web.Request) -> web.Response:
    query = query_of(request)
    return v2_page(query, _groups(store_of(request), query))


@routes.get("/v2/customer_groups/count", scope=SCOPE, cap=GROUPS_CAP)
async def count_groups(request: web.Request) -> web.Response:
    return v2_count(_groups(store_of(request), query_of(request)))


def _group_or_404(store: Store, request: web.Request) -> Record:
    return record_or_404(
        store.collection("customer_groups"),
        int_param(request, "group_id"),
        "The requested resource was not found.",
    )


@routes.get(r"/v2/customer_groups/{group_id:\d+}", scope=SCOPE, cap=GROUPS_CAP)
async def get_group(request: web.Request) -> web.Response:
    return json_response(render_v2(_group_or_404(store_of(request), request)))


def _group_changes(store: Store, body: dict[str, Any], own_id: int | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "name" in body:
        name = str(body["name"] or "").strip()
        if not name:
            raise ApiError(400, "The field 'name' cannot be blank.", errors={"name": "required"})
        for g in store.collection("customer_groups"):
            if g["name"].lower() == name.lower() and g["id"] != own_id:
                raise ApiError(409, f"A customer group named '{name}' already exists.")
        changes["name"] = name
    for f in ("is_default", "is_group_for_guests"):
        if f in body:
            changes[f] = bool(body[f])
    if "category_access" in body and isinstance(body["category_access"], dict):
        changes["category_access"] = body["category_access"]
    if "discount_rules" in body and isinstance(body["discount_rules"], list):
        changes["discount_rules"] = [
            {**r, "amount": f"{float(r.get('amount', 0)):.4f}"} for r in body["discount_rules"]
        ]
    return changes


@routes.post("/v2/customer_groups", scope=SCOPE, cap=GROUPS_CAP)
async def create_group(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await object_body(request)
    if "name" not in body:
        raise ApiError(
            400, "The required field 'name' was not supplied.", errors={"name": "required"}
        )
    col = store.collection("customer_groups")
    rec: Record = {
        "id": col.next_id,
        "name": "",
        "is_default": False,
        "category_access": {"type": "all"},
        "discount_rules": [],
        "is_group_for_guests": False,
    }
    rec.update(_group_changes(store, body, None))
    return json_response(render_v2(col.insert(rec)))


@routes.put(r"/v2/customer_groups/{group_id:\d+}", scope=SCOPE, cap=GROUPS_CAP)
async def update_group(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _group_or_404(store, request)
    body = await object_body(request)
    rec = store.collection("customer_groups").update(
        rec["id"], _group_changes(store, body, rec["id"])
    )
    return json_response(render_v2(rec))


@routes.delete(r"/v2/customer_groups/{group_id:\d+}", scope=SCOPE, cap=GROUPS_CAP)
async def delete_group(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _group_or_404(store, request)
    store.collection("customer_groups").delete(rec["id"])
    customers = store.collection("customers")
    for c in customers.where("customer_group_id", rec["id"]):
        customers.update(c["id"], {"customer_group_id": 0})
    return web.Response(status=204)


# Customers (v2, read) ----------------------------------------------------------------------


def render_v2_customer(rec: Record) -> dict[str, Any]:
    credit = sum((x["amount"] for x in rec.get("store_credit_amounts") or []), start=0)
    rid = rec["id"]
    return render_v2(
        {
            "id": rid,
            "company": rec.get("company", ""),
            "first_name": rec.get("first_name", ""),
            "last_name": rec.get("last_name", ""),
            "email": rec.get("email", ""),
            "phone": rec.get("phone", ""),
            "form_fields": None,
            "date_created": rec["date_created"],
            "date_modified": rec["date_modified"],
            "store_credit": f"{credit:.4f}",
            "registration_ip_address": rec.get("registration_ip_address", ""),
            "customer_group_id": rec.get("customer_group_id", 0),
            "notes": rec.get("notes", ""),
            "tax_exempt_category": rec.get("tax_exempt_category", ""),
            "reset_pass_on_login": bool(
                (rec.get("authentication") or {}).get("force_password_reset")
            ),
            "accepts_marketing": bool(rec.get("accepts_product_review_abandoned_cart_emails")),
            "addresses": {
                "url": f"/customers/{rid}/addresses",
                "resource": f"/customers/{rid}/addresses",
            },
        }
    )


def _v2_customers(store: Store, query: dict[str, str]) -> list[Record]:
    col = store.collection("customers")
    lo = parse_date(query["min_date_modified"]) if "min_date_modified" in query else None
    hi = parse_date(query["max_date_modified"]) if "max_date_modified" in query else None
    records = sorted(narrow(col, None, lo, hi), key=lambda r: r["id"])
    preds = build_predicates(
        query,
        {
            "first_name": parse_str,
            "last_name": parse_str,
            "company": parse_str,
            "email": parse_str,
            "phone": parse_str,
            "customer_group_id": parse_int,
        },
    )
    preds += v2_bounds(query, {"id": parse_int, "date_created": parse_date})
    return apply(records, preds)


@routes.get("/v2/customers", scope=SCOPE)
async def list_v2_customers(request: web.Request) -> web.Response:
    query = query_of(request)
    return v2_page(query, _v2_customers(store_of(request), query), render=render_v2_customer)


@routes.get("/v2/customers/count", scope=SCOPE)
async def count_v2_customers(request: web.Request) -> web.Response:
    return v2_count(_v2_customers(store_of(request), query_of(request)))


@routes.get(r"/v2/customers/{customer_id:\d+}", scope=SCOPE)
async def get_v2_customer(request: web.Request) -> web.Response:
    rec = store_of(request).collection("customers").get(int_param(request, "customer_id"))
    if rec is None:
        raise ApiError(404, "The requested resource was not found.")
    return json_response(render_v2_customer(rec))


def render_v2_address(rec: Record) -> dict[str, Any]:
    return render_v2(
        {
            "id": rec["id"],
            "customer_id": rec["customer_id"],
            "first_name": rec.get("first_name", ""),
            "last_name": rec.get("last_name", ""),
            "company": rec.get("company", ""),
            "street_1": rec.get("address1", ""),
            "street_2": rec.get("address2", ""),
            "city": rec.get("city", ""),
            "state": rec.get("state_or_province", ""),
            "zip": rec.get("postal_code", ""),
            "country": rec.get("country", ""),
            "country_iso2": rec.get("country_code", ""),
            "phone": rec.get("phone", ""),
            "address_type": rec.get("address_type", "residential"),
        }
    )


@routes.get(r"/v2/customers/{customer_id:\d+}/addresses", scope=SCOPE)
async def list_v2_addresses(request: web.Request) -> web.Response:
    return v2_page(query_of(request), _v2_addresses(request), render=render_v2_address)


def _v2_addresses(request: web.Request) -> list[Record]:
    store = store_of(request)
    cid = int_param(request, "customer_id")
    if store.collection("customers").get(cid) is None:
        raise ApiError(404, "The requested resource was not found.")
    return store.collection("customer_addresses").where("customer_id", cid)


@routes.get(r"/v2/customers/{customer_id:\d+}/addresses/count", scope=SCOPE)
async def count_v2_addresses(request: web.Request) -> web.Response:
    return v2_count(_v2_addresses(request))


@routes.get(r"/v2/customers/{customer_id:\d+}/addresses/{address_id:\d+}", scope=SCOPE)
async def get_v2_address(request: web.Request) -> web.Response:
    aid = int_param(request, "address_id")
    for rec in _v2_addresses(request):
        if rec["id"] == aid:
            return json_response(render_v2_address(rec))
    raise ApiError(404, "The requested resource was not found.")


# Subscribers (v3) --------------------------------------------------------------------------

SUBSCRIBER_FILTERS = {
    "id": parse_int,
    "email": parse_str,
    "first_name": parse_str,
    "last_name": parse_str,
    "source": parse_str,
    "order_id": parse_int,
    "date_created": parse_date,
}
SUBSCRIBER_WRITABLE = (
    "email",
    "first_name",
    "last_name",
    "source",
    "order_id",
    "channel_id",
    "consents",
)


def _subscribers(store: Store, query: dict[str, str]) -> list[Record]:
    lo, hi = date_window(query, "date_modified")
    records = narrow(store.collection("subscribers"), id_list(query), lo, hi)
    if lo is not None or hi is not None:
        records.sort(key=lambda r: r["id"])
    return apply(records, build_predicates(query, SUBSCRIBER_FILTERS))


@routes.get("/v3/customers/subscribers", scope=SCOPE)
async def list_subscribers(request: web.Request) -> web.Response:
    query = query_of(request)
    return v3_page(query, _subscribers(store_of(request), query))


def _subscriber_fields(store: Store, body: dict[str, Any], own_id: int | None) -> dict[str, Any]:
    changes = {k: body[k] for k in SUBSCRIBER_WRITABLE if k in body}
    if "email" in changes:
        email = str(changes["email"] or "").strip().lower()
        if "@" not in email:
            raise ApiError(
                422, "Invalid subscriber", errors={"email": "email must be a valid email address"}
            )
        for s in store.collection("subscribers").where("email", email):
            if s["id"] != own_id:
                raise ApiError(
                    409, "A subscriber with this email already exists", errors={"email": email}
                )
        changes["email"] = email
    if "consents" in changes and not isinstance(changes["consents"], list):
        raise ApiError(422, "Invalid subscriber", errors={"consents": "consents must be an array"})
    return changes


def _data(rec: Record) -> web.Response:
    return json_response({"data": render_v3(rec), "meta": {}})


@routes.post("/v3/customers/subscribers", scope=SCOPE)
async def create_subscriber(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await object_body(request)
    if not body.get("email"):
        raise ApiError(422, "Invalid subscriber", errors={"email": "email is required"})
    col = store.collection("subscribers")
    rec: Record = {
        "id": col.next_id,
        "email": "",
        "first_name": "",
        "last_name": "",
        "source": "custom",
        "order_id": None,
        "channel_id": 1,
        "consents": [],
    }
    rec.update(_subscriber_fields(store, body, None))
    return _data(col.insert(rec))


def _subscriber_or_404(store: Store, request: web.Request) -> Record:
    return record_or_404(
        store.collection("subscribers"), int_param(request, "subscriber_id"), "Subscriber not found"
    )


@routes.get(r"/v3/customers/subscribers/{subscriber_id:\d+}", scope=SCOPE)
async def get_subscriber(request: web.Request) -> web.Response:
    return _data(_subscriber_or_404(store_of(request), request))


@routes.put(r"/v3/customers/subscribers/{subscriber_id:\d+}", scope=SCOPE)
async def update_subscriber(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _subscriber_or_404(store, request)
    body = await object_body(request)
    return _data(
        store.collection("subscribers").update(
            rec["id"], _subscriber_fields(store, body, rec["id"])
        )
    )


@routes.delete(r"/v3/customers/subscribers/{subscriber_id:\d+}", scope=SCOPE)
async def delete_subscriber(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _subscriber_or_404(store, request)
    store.collection("subscribers").delete(rec["id"])
    return web.Response(status=204)


@routes.delete("/v3/customers/subscribers", scope=SCOPE)
async def delete_subscribers(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    # Without any filter the real endpoint would erase the whole list; require one.
    if not any(k in query for k in SUBSCRIBER_FILTERS) and "date_modified" not in query:
        raise ApiError(422, "At least one filter is required", errors={"filter": "required"})
    doomed = _subscribers(store, query)
    for rec in doomed:
        store.collection("subscribers").delete(rec["id"])
    request["items"] = len(doomed)
    return web.Response(status=204)
