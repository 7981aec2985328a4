"""v3 customers and their addresses, attributes and attribute values.

Customers batches are all-or-nothing, as the real endpoint is: one invalid item fails the
request with a 422 naming the item (``[index].field``). The customers endpoints take at
most 10 items per request and 3 concurrent writes; an address change bumps its customer's
``date_modified``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import apply, build_predicates, parse_date, parse_int, parse_str
from bigcommerce_emulator.narrowing import id_range, modified_within, span_size
from bigcommerce_emulator.paging import _encode_cursor as encode_cursor
from bigcommerce_emulator.paging import json_response, v3_cursor_page, v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.batch_bodies import (
    batch_body,
    date_window,
    id_list,
    narrow,
    require_fields,
    str_list,
)
from bigcommerce_emulator.routing import Routes, query_of, store_of
from bigcommerce_emulator.store import Collection, Record, Store, now

routes = Routes()
SCOPE = "store_v2_customers"
BATCH = 10
WRITE_CAP = ("customers", 3)

CUSTOMER_FIELDS = (
    "id",
    "email",
    "first_name",
    "last_name",
    "company",
    "phone",
    "registration_ip_address",
    "notes",
    "tax_exempt_category",
    "customer_group_id",
    "date_created",
    "date_modified",
    "authentication",
    "accepts_product_review_abandoned_cart_emails",
    "origin_channel_id",
    "channel_ids",
)
CUSTOMER_WRITABLE = (
    "email",
    "first_name",
    "last_name",
    "company",
    "phone",
    "notes",
    "tax_exempt_category",
    "customer_group_id",
    "accepts_product_review_abandoned_cart_emails",
    "channel_ids",
)
ADDRESS_FIELDS = (
    "id",
    "customer_id",
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "city",
    "state_or_province",
    "postal_code",
    "country",
    "country_code",
    "phone",
    "address_type",
)
ADDRESS_CORE = (
    "customer_id",
    "first_name",
    "last_name",
    "company",
    "phone",
    "address_type",
    "address1",
    "address2",
    "city",
    "country_code",
    "state_or_province",
    "postal_code",
)
ADDRESS_REQUIRED = (
    "first_name",
    "last_name",
    "address1",
    "city",
    "state_or_province",
    "postal_code",
    "country_code",
)
COUNTRY_NAMES = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "AU": "Australia",
    "DE": "Germany",
    "FR": "France",
    "NZ": "New Zealand",
}
INCLUDES = {
    "addresses",
    "storecredit",
    "attributes",
    "formfields",
    "shopper_profile_id",
    "segment_ids",
}


def _includes(query: dict[str, str], allowed: set[str]) -> set[str]:
    return {p for p in str_list(query.get("include", "")) if p in allowed}


# Rendering --------------------------------------------------------------------------------


def render_address(rec: Record, formfields: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = render_v3({k: rec.get(k, "") for k in ADDRESS_FIELDS})
    if formfields:
        out["form_fields"] = []
    return out


def render_customer(store: Store, rec: Record, includes: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = render_v3({k: rec.get(k) for k in CUSTOMER_FIELDS})
    if out["channel_ids"] is None:
        del out["channel_ids"]
    addrs = store.collection("customer_addresses").where("customer_id", rec["id"])
    values = store.collection("customer_attribute_values").where("customer_id", rec["id"])
    out["address_count"] = len(addrs)
    out["attribute_count"] = len(values)
    if "addresses" in includes:
        out["addresses"] = [render_address(a, "formfields" in includes) for a in addrs]
    if "attributes" in includes:
        out["attributes"] = [render_v3(v) for v in values]
    if "storecredit" in includes:
        out["store_credit_amounts"] = render_v3(rec.get("store_credit_amounts") or [])
    if "formfields" in includes:
        out["form_fields"] = []
    if "shopper_profile_id" in includes:
        out["shopper_profile_id"] = rec.get("_shopper_profile_id")
    if "segment_ids" in includes:
        out["segment_ids"] = list(rec.get("_segment_ids") or [])
    return out


def _data(items: list[dict[str, Any]]) -> web.Response:
    return json_response({"data": items, "meta": {}})


# Customers --------------------------------------------------------------------------------


def _of_customers(col: Collection, customer_ids: list[int]) -> list[Record]:
    """The records of these customers (through the customer_id index), in id order."""
    return sorted(
        (r for c in set(customer_ids) for r in col.where("customer_id", c)), key=lambda r: r["id"]
    )


def _ids_to_delete(request: web.Request) -> list[int]:
    """The ``id:in`` ids of a batch delete, which answers 422 without them."""
    ids = id_list(query_of(request))
    if not ids:
        raise ApiError(
            422, "The id:in query parameter is required", errors={"id:in": "id:in is required"}
        )
    return ids


def _full_name(r: Record) -> str:
    return f"{r.get('first_name', '')} {r.get('last_name', '')}".lower()


CUSTOMER_SORTS: dict[str, Callable[[Record], Any]] = {
    "date_created": lambda r: (r["date_created"], r["id"]),
    "date_modified": lambda r: (r["date_modified"], r["id"]),
    "last_name": lambda r: (r.get("last_name", "").lower(), r["id"]),
}


def _customer_candidates(store: Store, query: dict[str, str]) -> list[Record]:
    col = store.collection("customers")
    ids = id_list(query)
    emails = query.get("email:in")
    lo, hi = date_window(query, "date_modified")
    if ids is None and emails is not None:
        found: set[int] = set()
        for e in str_list(emails):
            found.update(r["id"] for r in col.where("email", e.lower()))
        ids = sorted(found)
    preds = build_predicates(
        query,
        {
            "id": parse_int,
            "email": lambda v: v.lower(),
            "company": parse_str,
            "customer_group_id": parse_int,
            "date_created": parse_date,
            "registration_ip_address": parse_str,
            "phone": parse_str,
        },
        getters={"email": lambda r: str(r.get("email", "")).lower()},
    )
    if "name:in" in query:
        names = {n.lower() for n in str_list(query["name:in"])}
        preds.append(lambda r: _full_name(r) in names)
    if "name:like" in query:
        parts = [p.lower() for p in str_list(query["name:like"])]
        preds.append(lambda r: any(p in _full_name(r) for p in parts))
    id_lo, id_hi = id_range(query)
    by_id = col.id_span(id_lo, id_hi) if (id_lo, id_hi) != (None, None) else None
    dated = lo is not None or hi is not None
    if (
        ids is None
        and by_id is not None
        and (not dated or span_size(by_id) < span_size(col.modified_span(lo, hi)))
    ):
        records = col.ids_between(id_lo, id_hi)
        if dated:
            preds.append(lambda r: modified_within(r, lo, hi))
    else:
        records = narrow(col, ids, lo, hi)
    records = apply(records, preds)
    sort = query.get("sort", "")
    field, _, direction = sort.partition(":")
    if field in CUSTOMER_SORTS:
        return sorted(records, key=CUSTOMER_SORTS[field], reverse=direction == "desc")
    if lo is not None or hi is not None:
        records.sort(key=lambda r: r["id"])
    return records


@routes.get("/v3/customers", scope=SCOPE)
async def list_customers(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    if "sort" in query and query["sort"].partition(":")[0] not in CUSTOMER_SORTS:
        raise ApiError(
            422, "Invalid sort parameter", errors={"sort": f"'{query['sort']}' is not a valid sort"}
        )
    includes = _includes(query, INCLUDES)
    records = _customer_candidates(store, query)
    render = store.renders.renderer(
        ("v3/customers", frozenset(includes)), lambda r: render_customer(store, r, includes)
    )
    if "after" in query or "before" in query:
        return v3_cursor_page(query, records, render=render)
    return v3_page(query, records, render=render, extra_meta=_cursor_meta(query, records))


def _cursor_meta(query: dict[str, str], records: list[Record]) -> dict[str, Any]:
    """Offset pages also carry the cursors, so that a client can switch to ``after``."""
    try:
        limit = max(1, min(int(query.get("limit") or 50), 250))
        page = max(1, int(query.get("page") or 1))
    except ValueError:
        return {}
    chunk = records[(page - 1) * limit : page * limit]
    if not chunk:
        return {}
    cursor: dict[str, Any] = {
        "count": len(chunk),
        "per_page": limit,
        "start_cursor": encode_cursor(chunk[0]["id"]),
        "end_cursor": encode_cursor(chunk[-1]["id"]),
        "links": {},
    }
    if page * limit < len(records):
        cursor["links"]["next"] = "?" + urlencode({"limit": limit, "after": cursor["end_cursor"]})
    return {"cursor_pagination": cursor}


def _email_owner(store: Store, email: str) -> Record | None:
    found = store.collection("customers").where("email", email.lower())
    return found[0] if found else None


def _check_group(store: Store, item: dict[str, Any], where: str, errors: dict[str, str]) -> None:
    # Documented: channel_ids is omitted or null for global access, else a non-empty list.
    if "channel_ids" in item and item["channel_ids"] is not None:
        ids = item["channel_ids"]
        if not isinstance(ids, list) or not ids or not all(isinstance(c, int) for c in ids):
            errors[f"{where}.channel_ids"] = "channel_ids must be null or a non-empty list of ids"
    gid = item.get("customer_group_id")
    if gid not in (None, 0) and store.collection("customer_groups").get(gid) is None:
        errors[f"{where}.customer_group_id"] = f"Customer group {gid} does not exist"


def _address_errors(item: dict[str, Any], where: str) -> dict[str, str]:
    errors = require_fields(item, ADDRESS_REQUIRED, where)
    if item.get("address_type", "residential") not in ("residential", "commercial"):
        errors[f"{where}.address_type"] = "address_type must be residential or commercial"
    return errors


def _new_address(store: Store, customer_id: int, item: dict[str, Any]) -> Record:
    col = store.collection("customer_addresses")
    rec: Record = {
        "customer_id": customer_id,
        "company": "",
        "address2": "",
        "phone": "",
        "address_type": "residential",
    }
    rec.update({k: item[k] for k in ADDRESS_FIELDS if k in item and k not in ("id", "customer_id")})
    rec["country"] = COUNTRY_NAMES.get(
        str(rec.get("country_code", "")).upper(), rec.get("country_code", "")
    )
    rec["id"] = col.next_id
    return col.insert(rec, stamp=False)


@routes.post("/v3/customers", scope=SCOPE, cap=WRITE_CAP)
async def create_customers(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, BATCH)
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"[{i}]"
        errors.update(require_fields(item, ("email", "first_name", "last_name"), where))
        email = str(item.get("email") or "").strip().lower()
        if email and "@" not in email:
            errors[f"{where}.email"] = "email must be a valid email address"
        elif email and (email in seen or _email_owner(store, email) is not None):
            errors[f"{where}.email"] = (
                f"The email address '{email}' is already in use by another customer."
            )
        seen.add(email)
        _check_group(store, item, where, errors)
        for j, addr in enumerate(item.get("addresses") or []):
            if not isinstance(addr, dict):
                errors[f"{where}.addresses[{j}]"] = "must be an object"
                continue
            errors.update(_address_errors(addr, f"{where}.addresses[{j}]"))
        for j, av in enumerate(item.get("attributes") or []):
            if not isinstance(av, dict):
                errors[f"{where}.attributes[{j}]"] = "must be an object"
            elif store.collection("customer_attributes").get(av.get("attribute_id", 0)) is None:
                errors[f"{where}.attributes[{j}].attribute_id"] = "Attribute does not exist"
    if errors:
        raise ApiError(422, "Create customers failed.", errors=errors)
    col = store.collection("customers")
    created: list[Record] = []
    for item in items:
        t = now()
        rec: Record = {
            "email": str(item["email"]).strip().lower(),
            "first_name": "",
            "last_name": "",
            "company": "",
            "phone": "",
            "registration_ip_address": "",
            "notes": "",
            "tax_exempt_category": "",
            "customer_group_id": 0,
            "authentication": {
                "force_password_reset": bool(
                    (item.get("authentication") or {}).get("force_password_reset", False)
                )
            },
            "accepts_product_review_abandoned_cart_emails": False,
            "origin_channel_id": int(item.get("origin_channel_id") or 1),
            "channel_ids": None,
            "store_credit_amounts": [
                {"amount": Decimal(str(x.get("amount", 0)))}
                for x in item.get("store_credit_amounts") or []
            ],
            "_shopper_profile_id": None,
            "_segment_ids": [],
            "date_created": t,
        }
        rec.update({k: item[k] for k in CUSTOMER_WRITABLE if k in item and k != "email"})
        rec["id"] = col.next_id
        col.insert(rec)
        for addr in item.get("addresses") or []:
            _new_address(store, rec["id"], addr)
        for av in item.get("attributes") or []:
            _upsert_value(
                store, rec["id"], int(av["attribute_id"]), str(av.get("attribute_value", ""))
            )
        created.append(rec)
    includes = {"addresses", "attributes", "storecredit"}
    return _data([render_customer(store, r, includes) for r in created])


@routes.put("/v3/customers", scope=SCOPE, cap=WRITE_CAP)
async def update_customers(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, BATCH)
    col = store.collection("customers")
    errors: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        where = f"[{i}]"
        cid = item.get("id")
        if not isinstance(cid, int) or col.get(cid) is None:
            errors[f"{where}.id"] = (
                f"Customer {cid} does not exist" if cid is not None else "id is required"
            )
            continue
        if "email" in item:
            email = str(item["email"] or "").strip().lower()
            owner = _email_owner(store, email)
            if not email or "@" not in email:
                errors[f"{where}.email"] = "email must be a valid email address"
            elif (owner is not None and owner["id"] != cid) or seen.get(email, cid) != cid:
                errors[f"{where}.email"] = (
                    f"The email address '{email}' is already in use by another customer."
                )
            seen[email] = cid
        for f in ("first_name", "last_name"):
            if f in item and not str(item[f] or "").strip():
                errors[f"{where}.{f}"] = f"{f} cannot be empty"
        _check_group(store, item, where, errors)
    if errors:
        raise ApiError(422, "Update customers failed.", errors=errors)
    updated: list[Record] = []
    for item in items:
        changes = {k: item[k] for k in CUSTOMER_WRITABLE if k in item}
        if "email" in changes:
            changes["email"] = str(changes["email"]).strip().lower()
        if "authentication" in item and isinstance(item["authentication"], dict):
            changes["authentication"] = {
                "force_password_reset": bool(
                    item["authentication"].get("force_password_reset", False)
                )
            }
        if "store_credit_amounts" in item:
            changes["store_credit_amounts"] = [
                {"amount": Decimal(str(x.get("amount", 0)))}
                for x in item["store_credit_amounts"] or []
            ]
        updated.append(col.update(item["id"], changes))
    return _data([render_customer(store, r, set()) for r in updated])


@routes.delete("/v3/customers", scope=SCOPE, cap=WRITE_CAP)
async def delete_customers(request: web.Request) -> web.Response:
    store = store_of(request)
    ids = id_list(query_of(request))
    # Documented: without a query nothing is deleted and the answer is still 204.
    for cid in ids or []:
        if store.collection("customers").delete(cid) is None:
            continue
        for child in ("customer_addresses", "customer_attribute_values"):
            store.collection(child).delete_where("customer_id", cid)
    request["items"] = len(ids or [])
    return web.Response(status=204)


# Addresses --------------------------------------------------------------------------------


@routes.get("/v3/customers/addresses", scope=SCOPE)
async def list_addresses(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    col = store.collection("customer_addresses")
    cust_ids = id_list(query, "customer_id:in")
    if cust_ids is not None and id_list(query) is None:
        records = _of_customers(col, cust_ids)
    else:
        records = narrow(col, id_list(query), None, None)
    preds = build_predicates(query, {"customer_id": parse_int, "company": parse_str})
    if "name:in" in query:
        names = {n.lower() for n in str_list(query["name:in"])}
        preds.append(lambda r: _full_name(r) in names)
    records = apply(records, preds)
    formfields = "formfields" in _includes(query, {"formfields"})
    return v3_page(query, records, render=lambda r: render_address(r, formfields))


def _same_address(a: Record, item: dict[str, Any], customer_id: int) -> bool:
    probe = {
        **{k: "" for k in ADDRESS_CORE},
        "address_type": "residential",
        **item,
        "customer_id": customer_id,
    }
    return all(str(a.get(k, "")) == str(probe.get(k, "")) for k in ADDRESS_CORE)


@routes.post("/v3/customers/addresses", scope=SCOPE, cap=("customer_addresses_create", 10))
async def create_addresses(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, None)
    customers = store.collection("customers")
    errors: dict[str, str] = {}
    for i, item in enumerate(items):
        where = f"[{i}]"
        errors.update(_address_errors(item, where))
        cid = item.get("customer_id")
        if not isinstance(cid, int) or customers.get(cid) is None:
            errors[f"{where}.customer_id"] = f"Customer {cid} does not exist"
    if errors:
        raise ApiError(422, "Create customer addresses failed.", errors=errors)
    created: list[Record] = []
    col = store.collection("customer_addresses")
    for item in items:
        cid = int(item["customer_id"])
        # Documented: an address identical to an existing one changes nothing and is left
        # out of the answer.
        if any(_same_address(a, item, cid) for a in col.where("customer_id", cid)):
            continue
        created.append(_new_address(store, cid, item))
        customers.touch(cid)
    return _data([render_address(r) for r in created])


@routes.put("/v3/customers/addresses", scope=SCOPE, cap=("customer_addresses_update", 3))
async def update_addresses(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, None)
    col = store.collection("customer_addresses")
    errors: dict[str, str] = {}
    for i, item in enumerate(items):
        aid = item.get("id")
        if not isinstance(aid, int) or col.get(aid) is None:
            errors[f"[{i}].id"] = f"Address {aid} does not exist"
        for f in ADDRESS_REQUIRED:
            if f in item and not str(item[f] or "").strip():
                errors[f"[{i}].{f}"] = f"{f} cannot be empty"
    if errors:
        raise ApiError(422, "Update customer addresses failed.", errors=errors)
    updated: list[Record] = []
    for item in items:
        changes = {
            k: item[k]
            for k in ADDRESS_FIELDS
            if k in item and k not in ("id", "customer_id", "country")
        }
        if "country_code" in changes:
            changes["country"] = COUNTRY_NAMES.get(
                str(changes["country_code"]).upper(), changes["country_code"]
            )
        rec = col.update(item["id"], changes, touch=False)
        store.collection("customers").touch(rec["customer_id"])
        updated.append(rec)
    return _data([render_address(r) for r in updated])


@routes.delete("/v3/customers/addresses", scope=SCOPE)
async def delete_addresses(request: web.Request) -> web.Response:
    store = store_of(request)
    ids = _ids_to_delete(request)
    col = store.collection("customer_addresses")
    for aid in ids:
        rec = col.delete(aid)
        if rec is not None and store.collection("customers").get(rec["customer_id"]) is not None:
            store.collection("customers").touch(rec["customer_id"])
    request["items"] = len(ids)
    return web.Response(status=204)


# Attributes and values ---------------------------------------------------------------------


@routes.get("/v3/customers/attributes", scope=SCOPE)
async def list_attributes(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    lo, hi = date_window(query, "date_modified")
    records = sorted(
        narrow(store.collection("customer_attributes"), None, lo, hi), key=lambda r: r["id"]
    )
    preds = build_predicates(
        query, {"name": parse_str, "type": parse_str, "date_created": parse_date}
    )
    return v3_page(query, apply(records, preds))


ATTRIBUTE_TYPES = ("string", "number", "date")


@routes.post("/v3/customers/attributes", scope=SCOPE, cap=("customer_attributes", 3))
async def create_attributes(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, BATCH)
    col = store.collection("customer_attributes")
    names = {str(a["name"]).lower() for a in col}
    errors: dict[str, str] = {}
    for i, item in enumerate(items):
        errors.update(require_fields(item, ("name", "type"), f"[{i}]"))
        if item.get("type") is not None and item.get("type") not in ATTRIBUTE_TYPES:
            errors[f"[{i}].type"] = "type must be one of string, number, date"
        name = str(item.get("name") or "").lower()
        if name and name in names:
            errors[f"[{i}].name"] = f"An attribute named '{item['name']}' already exists"
        names.add(name)
    if errors:
        raise ApiError(422, "Create customer attributes failed.", errors=errors)
    out = [col.insert({"id": col.next_id, "name": it["name"], "type": it["type"]}) for it in items]
    return _data([render_v3(r) for r in out])


@routes.put("/v3/customers/attributes", scope=SCOPE, cap=("customer_attributes", 3))
async def update_attributes(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, BATCH)
    col = store.collection("customer_attributes")
    errors: dict[str, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item.get("id"), int) or col.get(item["id"]) is None:
            errors[f"[{i}].id"] = f"Attribute {item.get('id')} does not exist"
        if not str(item.get("name") or "").strip():
            errors[f"[{i}].name"] = "name is required"
    if errors:
        raise ApiError(422, "Update customer attributes failed.", errors=errors)
    out = [col.update(it["id"], {"name": it["name"]}) for it in items]
    return _data([render_v3(r) for r in out])


@routes.delete("/v3/customers/attributes", scope=SCOPE)
async def delete_attributes(request: web.Request) -> web.Response:
    store = store_of(request)
    ids = _ids_to_delete(request)
    values = store.collection("customer_attribute_values")
    for aid in ids:
        if store.collection("customer_attributes").delete(aid) is not None:
            values.delete_where("attribute_id", aid)
    request["items"] = len(ids)
    return web.Response(status=204)


@routes.get("/v3/customers/attribute-values", scope=SCOPE)
async def list_attribute_values(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    col = store.collection("customer_attribute_values")
    lo, hi = date_window(query, "date_modified")
    cust_ids = id_list(query, "customer_id:in")
    if cust_ids is not None and lo is None and hi is None:
        records = _of_customers(col, cust_ids)
    else:
        records = sorted(narrow(col, None, lo, hi), key=lambda r: r["id"])
    preds = build_predicates(
        query, {"customer_id": parse_int, "attribute_id": parse_int, "date_created": parse_date}
    )
    if "name" in query:
        wanted = {
            a["id"] for a in store.collection("customer_attributes") if a["name"] == query["name"]
        }
        preds.append(lambda r: r["attribute_id"] in wanted)
    return v3_page(query, apply(records, preds))


def _valid_value(attr: Record, value: str) -> bool:
    if attr["type"] == "number":
        try:
            Decimal(value)
        except InvalidOperation:
            return False
        return True
    if attr["type"] == "date":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
    return True


def _upsert_value(store: Store, customer_id: int, attribute_id: int, value: str) -> Record:
    col = store.collection("customer_attribute_values")
    for v in col.where("customer_id", customer_id):
        if v["attribute_id"] == attribute_id:
            return col.update(v["id"], {"attribute_value": value})
    return col.insert(
        {
            "id": col.next_id,
            "attribute_id": attribute_id,
            "attribute_value": value,
            "customer_id": customer_id,
        }
    )


@routes.put("/v3/customers/attribute-values", scope=SCOPE, cap=("customer_attribute_values", 3))
async def upsert_attribute_values(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await batch_body(request, BATCH)
    attrs = store.collection("customer_attributes")
    customers = store.collection("customers")
    errors: dict[str, str] = {}
    for i, item in enumerate(items):
        errors.update(require_fields(item, ("attribute_id", "value", "customer_id"), f"[{i}]"))
        attr = attrs.get(item.get("attribute_id"))  # type: ignore[arg-type]
        if item.get("attribute_id") is not None and attr is None:
            errors[f"[{i}].attribute_id"] = f"Attribute {item['attribute_id']} does not exist"
        if item.get("customer_id") is not None and customers.get(item["customer_id"]) is None:
            errors[f"[{i}].customer_id"] = f"Customer {item['customer_id']} does not exist"
        if (
            attr is not None
            and item.get("value") is not None
            and not _valid_value(attr, str(item["value"]))
        ):
            errors[f"[{i}].value"] = f"value is not a valid {attr['type']}"
    if errors:
        raise ApiError(422, "Upsert customer attribute values failed.", errors=errors)
    out = [
        _upsert_value(store, int(it["customer_id"]), int(it["attribute_id"]), str(it["value"]))
        for it in items
    ]
    return _data([render_v3(r) for r in out])


@routes.delete("/v3/customers/attribute-values", scope=SCOPE)
async def delete_attribute_values(request: web.Request) -> web.Response:
    store = store_of(request)
    ids = _ids_to_delete(request)
    for vid in ids:
        store.collection("customer_attribute_values").delete(vid)
    request["items"] = len(ids)
    return web.Response(status=204)


# Groups, v2 customers and subscribers live in their own module, served with this table.
from bigcommerce_emulator.routes import customer_groups  # noqa: E402

routes.specs.extend(customer_groups.routes.specs)
