"""Marketing: ``/v2/coupons``, ``/v2/gift_certificates``, ``/v2/banners`` and
``/v3/promotions`` with their codes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from bigcommerce_emulator import filters
from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.paging import json_response, v2_count, v2_page, v3_cursor_page, v3_page
from bigcommerce_emulator.render import render_v2, render_v3
from bigcommerce_emulator.routes.batch_bodies import v2_object, v2_one_of, v2_require
from bigcommerce_emulator.routes.v2_records import (
    delete_all_v2_records,
    delete_v2_record,
    update_v2_record,
    v2_record_or_404,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
SCOPE = "store_v2_marketing"
INVALID = "JSON data is missing or invalid"
COUPON_TYPES = (
    "per_item_discount",
    "per_total_discount",
    "shipping_discount",
    "free_shipping",
    "percentage_discount",
    "promotion",
)
CERT_STATUSES = ("active", "pending", "disabled", "expired")
BANNER_PAGES = ("home_page", "category_page", "brand_page", "search_page")


def _check_code_free(
    store: Store, name: str, body: dict[str, Any], current: Record | None, what: str
) -> None:
    """A new ``code`` in ``body`` must not belong to another record of ``name`` (409)."""
    if "code" in body:
        taken = store.collection(name).where("code", body["code"])
        if any(current is None or r["id"] != current["id"] for r in taken):
            raise ApiError(409, f"The {what} {body['code']!r} is already in use")


def _money(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for f in fields:
        if f in body:
            try:
                out[f] = Decimal(str(body[f]))
            except InvalidOperation as exc:
                raise ApiError(400, f"The field '{f}' must be a decimal number") from exc
    return out


def _dates(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: filters.parse_date(str(body[f])) for f in fields if body.get(f)}


def _id_range(query: dict[str, str]) -> list[Callable[[Record], bool]]:
    return filters.v2_bounds(query, {"id": filters.parse_int})


# Coupons ------------------------------------------------------------------------------------

COUPON_FILTERS: dict[str, filters.Parser] = {
    "id": filters.parse_int,
    "code": filters.parse_str,
    "name": filters.parse_str,
    "type": filters.parse_str,
}


def _coupons(request: web.Request) -> list[Record]:
    query = query_of(request)
    preds = filters.build_predicates(query, COUPON_FILTERS) + _id_range(query)
    if "exclude_type" in query:
        excluded = query["exclude_type"]
        preds.append(lambda r: r["type"] != excluded)
    return filters.apply(store_of(request).collection("coupons"), preds)


@routes.get("/v2/coupons", scope=SCOPE)
async def list_coupons(request: web.Request) -> web.StreamResponse:
    return v2_page(query_of(request), _coupons(request))


@routes.get("/v2/coupons/count", scope=SCOPE)
async def count_coupons(request: web.Request) -> web.Response:
    return v2_count(_coupons(request))


def _coupon_changes(store: Store, body: Any, current: Record | None) -> dict[str, Any]:
    body = v2_object(body)
    if current is None:
        v2_require(body, ("name", "type", "amount", "code", "applies_to"))
    v2_one_of(body, "type", COUPON_TYPES)
    _check_code_free(store, "coupons", body, current, "coupon code")
    allowed = (
        "name",
        "type",
        "enabled",
        "code",
        "applies_to",
        "max_uses",
        "max_uses_per_customer",
        "restricted_to",
        "shipping_methods",
    )
    changes = {k: body[k] for k in allowed if k in body}
    changes.update(_money(body, ("amount", "min_purchase")))
    if "expires" in body:
        changes["expires"] = filters.parse_date(str(body["expires"])) if body["expires"] else ""
    return changes


@routes.post("/v2/coupons", scope=SCOPE)
async def create_coupon(request: web.Request) -> web.Response:
    store = store_of(request)
    changes = _coupon_changes(store, await request.json(), None)
    rec: Record = {
        "min_purchase": Decimal(0),
        "expires": "",
        "enabled": True,
        "num_uses": 0,
        "max_uses": 0,
        "max_uses_per_customer": 0,
        "restricted_to": {},
        "shipping_methods": [],
        **changes,
        "date_created": now(),
    }
    rec = store.collection("coupons").insert(rec, stamp=False)
    return json_response(render_v2(rec), status=201)


@routes.put(r"/v2/coupons/{coupon_id:\d+}", scope=SCOPE)
async def update_coupon(request: web.Request) -> web.Response:
    return await update_v2_record(request, "coupons", "coupon_id", _coupon_changes)


@routes.delete(r"/v2/coupons/{coupon_id:\d+}", scope=SCOPE)
async def delete_coupon(request: web.Request) -> web.Response:
    return delete_v2_record(request, "coupons", "coupon_id")


@routes.delete("/v2/coupons", scope=SCOPE)
async def delete_coupons(request: web.Request) -> web.Response:
    col = store_of(request).collection("coupons")
    raw = request.query.get("id:in")
    ids = {filters.parse_int(p) for p in raw.split(",") if p} if raw else {r["id"] for r in col}
    for rid in ids:
        col.delete(rid)
    return web.Response(status=204)


# Gift certificates --------------------------------------------------------------------------

CERT_FILTERS: dict[str, filters.Parser] = {
    "code": filters.parse_str,
    "order_id": filters.parse_int,
    "to_name": filters.parse_str,
    "to_email": filters.parse_str,
    "from_name": filters.parse_str,
    "from_email": filters.parse_str,
}


@routes.get("/v2/gift_certificates", scope=SCOPE)
async def list_gift_certificates(request: web.Request) -> web.StreamResponse:
    query = query_of(request)
    preds = filters.build_predicates(query, CERT_FILTERS) + _id_range(query)
    records = filters.apply(store_of(request).collection("gift_certificates"), preds)
    records = filters.sort_records(records, query.get("sort"), query.get("direction"), ("id",))
    return v2_page(query, records)


@routes.get(r"/v2/gift_certificates/{certificate_id:\d+}", scope=SCOPE)
async def get_gift_certificate(request: web.Request) -> web.Response:
    rec = v2_record_or_404(
        store_of(request), "gift_certificates", int_param(request, "certificate_id")
    )
    return json_response(render_v2(rec))


def _certificate_changes(store: Store, body: Any, current: Record | None) -> dict[str, Any]:
    body = v2_object(body)
    if current is None:
        v2_require(body, ("to_name", "to_email", "from_name", "from_email", "amount"))
    v2_one_of(body, "status", CERT_STATUSES)
    _check_code_free(store, "gift_certificates", body, current, "gift certificate code")
    allowed = (
        "to_name",
        "to_email",
        "from_name",
        "from_email",
        "customer_id",
        "order_id",
        "template",
        "message",
        "code",
        "status",
        "currency_code",
    )
    changes = {k: body[k] for k in allowed if k in body}
    changes.update(_money(body, ("amount", "balance")))
    changes.update(_dates(body, ("purchase_date", "expiry_date")))
    return changes


@routes.post("/v2/gift_certificates", scope=SCOPE)
async def create_gift_certificate(request: web.Request) -> web.Response:
    store = store_of(request)
    changes = _certificate_changes(store, await request.json(), None)
    col = store.collection("gift_certificates")
    rec: Record = {
        "customer_id": 0,
        "order_id": 0,
        "balance": changes["amount"],
        "purchase_date": now(),
        "expiry_date": "",
        "template": "general.html",
        "message": "",
        "code": f"GC-{col.next_id:06d}",
        "status": "active",
        "currency_code": "USD",
        **changes,
    }
    return json_response(render_v2(col.insert(rec, stamp=False)), status=201)


@routes.put(r"/v2/gift_certificates/{certificate_id:\d+}", scope=SCOPE)
async def update_gift_certificate(request: web.Request) -> web.Response:
    return await update_v2_record(
        request, "gift_certificates", "certificate_id", _certificate_changes
    )


@routes.delete(r"/v2/gift_certificates/{certificate_id:\d+}", scope=SCOPE)
async def delete_gift_certificate(request: web.Request) -> web.Response:
    return delete_v2_record(request, "gift_certificates", "certificate_id")


@routes.delete("/v2/gift_certificates", scope=SCOPE)
async def delete_gift_certificates(request: web.Request) -> web.Response:
    return delete_all_v2_records(request, "gift_certificates")


# Banners ------------------------------------------------------------------------------------


def _banners(request: web.Request) -> list[Record]:
    return filters.apply(store_of(request).collection("banners"), _id_range(query_of(request)))


@routes.get("/v2/banners", scope=SCOPE)
async def list_banners(request: web.Request) -> web.StreamResponse:
    return v2_page(query_of(request), _banners(request))


@routes.get("/v2/banners/count", scope=SCOPE)
async def count_banners(request: web.Request) -> web.Response:
    return v2_count(_banners(request))


@routes.get(r"/v2/banners/{banner_id:\d+}", scope=SCOPE)
async def get_banner(request: web.Request) -> web.Response:
    return json_response(
        render_v2(v2_record_or_404(store_of(request), "banners", int_param(request, "banner_id")))
    )


def _banner_changes(body: Any, creating: bool) -> dict[str, Any]:
    body = v2_object(body)
    if creating:
        v2_require(body, ("name", "content", "page", "location", "date_type"))
    v2_one_of(body, "page", BANNER_PAGES)
    allowed = (
        "name",
        "content",
        "page",
        "location",
        "date_type",
        "date_from",
        "date_to",
        "visible",
        "item_id",
    )
    return {
        k: str(body[k]) if k in ("visible", "item_id") else body[k] for k in allowed if k in body
    }


@routes.post("/v2/banners", scope=SCOPE)
async def create_banner(request: web.Request) -> web.Response:
    changes = _banner_changes(await request.json(), True)
    rec: Record = {
        "date_from": "0",
        "date_to": "0",
        "visible": "1",
        "item_id": "0",
        **changes,
        "date_created": now(),
    }
    rec = store_of(request).collection("banners").insert(rec, stamp=False)
    return json_response(render_v2(rec))


@routes.put(r"/v2/banners/{banner_id:\d+}", scope=SCOPE)
async def update_banner(request: web.Request) -> web.Response:
    return await update_v2_record(
        request, "banners", "banner_id", lambda _store, body, _rec: _banner_changes(body, False)
    )


@routes.delete(r"/v2/banners/{banner_id:\d+}", scope=SCOPE)
async def delete_banner(request: web.Request) -> web.Response:
    return delete_v2_record(request, "banners", "banner_id")


@routes.delete("/v2/banners", scope=SCOPE)
async def delete_banners(request: web.Request) -> web.Response:
    return delete_all_v2_records(request, "banners")


# Promotions ---------------------------------------------------------------------------------

PROMOTION_STATUSES = ("ENABLED", "DISABLED", "INVALID")


def _render_promotion(store: Store) -> Callable[[Record], dict[str, Any]]:
    codes = store.collection("promotion_codes")

    def render(rec: Record) -> dict[str, Any]:
        out: dict[str, Any] = render_v3(rec)
        if rec["redemption_type"] == "COUPON":
            first = codes.where("promotion_id", rec["id"])
            if first and rec.get("coupon_type") == "SINGLE":
                out["codes"] = _render_code(first[0])
        return out

    return render


def _render_code(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v3({k: v for k, v in rec.items() if k != "promotion_id"})
    return out


@routes.get("/v3/promotions", scope=SCOPE, cap=("promotions_get", 40))
async def list_promotions(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    preds = filters.build_predicates(
        {k: v for k, v in query.items() if ":" not in k},
        {
            "id": filters.parse_int,
            "name": filters.parse_str,
            "currency_code": filters.parse_str,
            "status": filters.parse_str,
            "redemption_type": lambda v: v.upper(),
        },
    )
    if "code" in query:
        promo_ids = {
            c["promotion_id"]
            for c in store.collection("promotion_codes").where("code", query["code"])
        }
        preds.append(lambda r: r["id"] in promo_ids)
    if "channels" in query:
        wanted = {filters.parse_int(p) for p in query["channels"].split(",") if p}
        preds.append(lambda r: any(c["id"] in wanted for c in r.get("channels", [])))
    if query.get("query"):
        needle = query["query"]
        preds.append(lambda r: needle.lower() in str(r.get("name", "")).lower())
    records = filters.apply(store.collection("promotions"), preds)
    records = filters.sort_records(
        records, query.get("sort"), query.get("direction"), ("id", "name", "priority", "start_date")
    )
    return v3_page(query, records, render=_render_promotion(store))


@routes.get(r"/v3/promotions/{promotion_id:\d+}", scope=SCOPE, cap=("promotion_get", 40))
async def get_promotion(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _promotion(store, int_param(request, "promotion_id"))
    return json_response({"data": _render_promotion(store)(rec), "meta": {}})


def _promotion(store: Store, promotion_id: int) -> Record:
    return record_or_404(store.collection("promotions"), promotion_id, "Promotion not found")


def _promotion_changes(body: Any, current: Record | None) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, INVALID, errors={"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    if current is None:
        for f in ("name", "rules", "redemption_type"):
            if not body.get(f):
                errors[f] = "This field is required"
        if body.get("redemption_type") not in (None, "AUTOMATIC", "COUPON"):
            errors["redemption_type"] = "must be AUTOMATIC or COUPON"
    elif "redemption_type" in body and body["redemption_type"] != current["redemption_type"]:
        errors["redemption_type"] = "cannot be changed"
    if "status" in body and body["status"] not in PROMOTION_STATUSES:
        errors["status"] = f"must be one of {', '.join(PROMOTION_STATUSES)}"
    rules = body.get("rules")
    if rules is not None and (
        not isinstance(rules, list) or not all(isinstance(r, dict) and "action" in r for r in rules)
    ):
        errors["rules"] = "each rule needs an action"
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    allowed = (
        "name",
        "display_name",
        "channels",
        "customer",
        "rules",
        "max_uses",
        "status",
        "stop",
        "can_be_used_with_other_promotions",
        "currency_code",
        "notifications",
        "shipping_address",
        "schedule",
        "coupon_overrides_other_promotions",
        "redemption_type",
        "coupon_type",
    )
    changes = {k: body[k] for k in allowed if k in body}
    changes.update(_dates(body, ("start_date", "end_date")))
    return changes


@routes.post("/v3/promotions", scope=SCOPE, cap=("promotions_post", 40))
async def create_promotion(request: web.Request) -> web.Response:
    store = store_of(request)
    changes = _promotion_changes(await request.json(), None)
    col = store.collection("promotions")
    rec: Record = {
        "display_name": changes["name"],
        "channels": [{"id": 1}],
        "customer": {"group_ids": [], "minimum_order_count": 0, "excluded_group_ids": []},
        "current_uses": 0,
        "max_uses": 0,
        "status": "ENABLED",
        "start_date": now(),
        "stop": False,
        "can_be_used_with_other_promotions": True,
        "currency_code": "USD",
        "notifications": [],
        "created_from": "api",
        "priority": col.next_id,
        **changes,
    }
    if rec["redemption_type"] == "COUPON":
        rec.setdefault("coupon_type", "SINGLE")
        rec.setdefault("coupon_overrides_other_promotions", False)
        rec["multiple_codes"] = {"has_multiple_codes": rec["coupon_type"] == "BULK"}
    rec = col.insert(rec, stamp=False)
    return json_response({"data": _render_promotion(store)(rec), "meta": {}}, status=201)


@routes.put(r"/v3/promotions/{promotion_id:\d+}", scope=SCOPE, cap=("promotion_put", 40))
async def update_promotion(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _promotion(store, int_param(request, "promotion_id"))
    changes = _promotion_changes(await request.json(), rec)
    rec = store.collection("promotions").update(rec["id"], changes)
    return json_response({"data": _render_promotion(store)(rec), "meta": {}})


def _drop_promotion(store: Store, promotion_id: int) -> None:
    store.collection("promotion_codes").delete_where("promotion_id", promotion_id)
    store.collection("promotions").delete(promotion_id)


@routes.delete(r"/v3/promotions/{promotion_id:\d+}", scope=SCOPE, cap=("promotion_delete", 40))
async def delete_promotion(request: web.Request) -> web.Response:
    store = store_of(request)
    _drop_promotion(store, _promotion(store, int_param(request, "promotion_id"))["id"])
    return web.Response(status=204)


@routes.delete("/v3/promotions", scope=SCOPE, cap=("promotions_delete", 40))
async def delete_promotions(request: web.Request) -> web.Response:
    store = store_of(request)
    raw = request.query.get("id:in", "")
    ids = {filters.parse_int(p) for p in raw.split(",") if p}
    if not ids:
        raise ApiError(422, INVALID, errors={"id:in": "This parameter is required"})
    for pid in ids:
        if store.collection("promotions").get(pid) is not None:
            _drop_promotion(store, pid)
    return web.Response(status=204)


@routes.get(r"/v3/promotions/{promotion_id:\d+}/codes", scope=SCOPE, cap=("codes_get", 10))
async def list_promotion_codes(request: web.Request) -> web.Response:
    store = store_of(request)
    promo = _promotion(store, int_param(request, "promotion_id"))
    query = query_of(request)
    records = store.collection("promotion_codes").where("promotion_id", promo["id"])
    if "code" in query:
        records = [r for r in records if r["code"] == query["code"]]
    if "before" in query or "after" in query:
        return v3_cursor_page(query, records, render=_render_code)
    return v3_page(query, records, render=_render_code)


@routes.post(r"/v3/promotions/{promotion_id:\d+}/codes", scope=SCOPE, cap=("codes_post", 40))
async def create_promotion_code(request: web.Request) -> web.Response:
    store = store_of(request)
    promo = _promotion(store, int_param(request, "promotion_id"))
    body = await request.json()
    if promo["redemption_type"] != "COUPON":
        raise ApiError(422, INVALID, errors={"promotion_id": "not a coupon promotion"})
    if not isinstance(body, dict) or not isinstance(body.get("code"), str) or not body["code"]:
        raise ApiError(422, INVALID, errors={"code": "This field is required"})
    codes = store.collection("promotion_codes")
    if codes.where("code", body["code"]):
        raise ApiError(409, f"The coupon code {body['code']!r} is already in use")
    rec = codes.insert(
        {
            "promotion_id": promo["id"],
            "code": body["code"],
            "current_uses": 0,
            "max_uses": int(body.get("max_uses", 0)),
            "max_uses_per_customer": int(body.get("max_uses_per_customer", 0)),
            "created": now(),
        },
        stamp=False,
    )
    return json_response({"data": _render_code(rec), "meta": {}}, status=201)


@routes.delete(
    r"/v3/promotions/{promotion_id:\d+}/codes/{code_id:\d+}",
    scope=SCOPE,
    cap=("code_delete", 40),
)
async def delete_promotion_code(request: web.Request) -> web.Response:
    store = store_of(request)
    promo = _promotion(store, int_param(request, "promotion_id"))
    codes = store.collection("promotion_codes")
    rec = codes.get(int_param(request, "code_id"))
    if rec is None or rec["promotion_id"] != promo["id"]:
        raise ApiError(404, "Coupon code not found")
    codes.delete(rec["id"])
    return web.Response(status=204)
