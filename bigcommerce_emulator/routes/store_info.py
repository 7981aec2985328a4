"""``/v2/store``, ``/v2/time`` and ``/v2/currencies``."""

from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.paging import json_response, v2_page
from bigcommerce_emulator.render import render_v2
from bigcommerce_emulator.routes.batch_bodies import v2_object, v2_require
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, now

routes = Routes()
SCOPE = "store_v2_information"
CURRENCY_REQUIRED = (
    "currency_code",
    "currency_exchange_rate",
    "token_location",
    "token",
    "decimal_token",
    "thousands_token",
    "decimal_places",
    "name",
)
CURRENCY_FIELDS = (
    *CURRENCY_REQUIRED,
    "is_default",
    "country_iso2",
    "default_for_country_codes",
    "auto_update",
    "enabled",
    "is_transactional",
    "use_default_name",
)


@routes.get("/v2/store", scope=SCOPE)
async def get_store(request: web.Request) -> web.Response:
    store = store_of(request)
    profile = next(iter(store.collection("store_info")), None)
    if profile is None:
        raise ApiError(404, "The requested resource was not found")
    return json_response({**render_v2(profile), "id": store.store_hash})


@routes.get("/v2/time", scope=SCOPE)
async def get_time(request: web.Request) -> web.Response:
    return json_response({"time": int(time.time())})


def _currency(request: web.Request) -> Record:
    return record_or_404(
        store_of(request).collection("currencies"),
        int_param(request, "currency_id"),
        "The requested resource was not found",
    )


def _currency_changes(body: Any, *, creating: bool) -> dict[str, Any]:
    body = v2_object(body)
    if creating:
        v2_require(body, CURRENCY_REQUIRED)
    changes = {k: v for k, v in body.items() if k in CURRENCY_FIELDS}
    if "currency_exchange_rate" in changes:
        try:
            changes["currency_exchange_rate"] = (
                f"{Decimal(str(changes['currency_exchange_rate'])):.10f}"
            )
        except InvalidOperation as exc:
            raise ApiError(400, "The field 'currency_exchange_rate' must be a number") from exc
    if "currency_code" in changes:
        changes["currency_code"] = str(changes["currency_code"]).upper()
    changes["last_updated"] = now()
    return changes


@routes.get("/v2/currencies", scope=SCOPE)
async def list_currencies(request: web.Request) -> web.StreamResponse:
    return v2_page(query_of(request), list(store_of(request).collection("currencies")))


@routes.get(r"/v2/currencies/{currency_id:\d+}", scope=SCOPE)
async def get_currency(request: web.Request) -> web.Response:
    return json_response(render_v2(_currency(request)))


@routes.post("/v2/currencies", scope=SCOPE)
async def create_currency(request: web.Request) -> web.Response:
    col = store_of(request).collection("currencies")
    changes = _currency_changes(await request.json(), creating=True)
    if col.where("currency_code", changes["currency_code"]):
        raise ApiError(409, f"The currency {changes['currency_code']} already exists")
    rec: Record = {
        "is_default": False,
        "country_iso2": "",
        "default_for_country_codes": [],
        "auto_update": False,
        "enabled": True,
        "is_transactional": True,
        "use_default_name": False,
        **changes,
    }
    rec["is_default"] = False  # the default currency changes through the control panel only
    return json_response(render_v2(col.insert(rec, stamp=False)))


@routes.put(r"/v2/currencies/{currency_id:\d+}", scope=SCOPE)
async def update_currency(request: web.Request) -> web.Response:
    col = store_of(request).collection("currencies")
    rec = _currency(request)
    changes = _currency_changes(await request.json(), creating=False)
    code = changes.get("currency_code")
    if code and any(c["id"] != rec["id"] for c in col.where("currency_code", code)):
        raise ApiError(409, f"The currency {code} already exists")
    changes.pop("is_default", None)
    return json_response(render_v2(col.update(rec["id"], changes)))


@routes.delete(r"/v2/currencies/{currency_id:\d+}", scope=SCOPE)
async def delete_currency(request: web.Request) -> web.Response:
    rec = _currency(request)
    if rec.get("is_default"):
        raise ApiError(400, "The default currency cannot be deleted")
    store_of(request).collection("currencies").delete(rec["id"])
    return web.Response(status=204)


@routes.delete("/v2/currencies", scope=SCOPE)
async def delete_currencies(request: web.Request) -> web.Response:
    col = store_of(request).collection("currencies")
    for rec in [c for c in col if not c.get("is_default")]:
        col.delete(rec["id"])
    return web.Response(status=204)
