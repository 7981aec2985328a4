"""``/v3/hooks``: webhook subscriptions. Times are Unix seconds, as the real API writes them."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from bigcommerce_emulator import filters
from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.paging import json_response, v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_default"
INVALID = "JSON data is missing or invalid"
# The client id of the API account the emulator's tokens stand for.
CLIENT_ID = "emulatorclientid0000000000000"


def _hook(store: Store, hook_id: int) -> Record:
    return record_or_404(store.collection("webhooks"), hook_id, "Webhook not found")


def _envelope(rec: Record) -> web.Response:
    return json_response({"data": render_v3(rec), "meta": {}})


def _fields(body: Any, *, creating: bool) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, INVALID, errors={"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    for f in ("scope", "destination"):
        if (creating or f in body) and (not isinstance(body.get(f), str) or not body[f]):
            errors[f] = "This field is required"
    scope = body.get("scope")
    if isinstance(scope, str) and scope and not scope.startswith("store/"):
        errors["scope"] = "must be a store/... event scope"
    destination = body.get("destination")
    if isinstance(destination, str) and destination and not destination.startswith("https://"):
        errors["destination"] = "must be an https:// URL on port 443"
    headers = body.get("headers")
    if headers is not None and not (
        isinstance(headers, dict) and all(isinstance(v, str) for v in headers.values())
    ):
        errors["headers"] = "must be an object of string values"
    if "is_active" in body and not isinstance(body["is_active"], bool):
        errors["is_active"] = "must be a boolean"
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    return {k: body[k] for k in ("scope", "destination", "is_active", "headers") if k in body}


@routes.get("/v3/hooks", scope=SCOPE)
async def list_hooks(request: web.Request) -> web.Response:
    query = query_of(request)
    preds = filters.build_predicates(
        {k: v for k, v in query.items() if ":" not in k},
        {
            "is_active": filters.parse_bool,
            "scope": filters.parse_str,
            "destination": filters.parse_str,
        },
    )
    records = filters.apply(store_of(request).collection("webhooks"), preds)
    return v3_page(query, records)


@routes.get(r"/v3/hooks/{hook_id:\d+}", scope=SCOPE)
async def get_hook(request: web.Request) -> web.Response:
    return _envelope(_hook(store_of(request), int_param(request, "hook_id")))


@routes.post("/v3/hooks", scope=SCOPE)
async def create_hook(request: web.Request) -> web.Response:
    store = store_of(request)
    fields = _fields(await request.json(), creating=True)
    col = store.collection("webhooks")
    if any(h["destination"] == fields["destination"] for h in col.where("scope", fields["scope"])):
        raise ApiError(
            422, INVALID, errors={"scope": "a webhook for this scope and destination exists"}
        )
    t = int(time.time())
    rec: Record = {
        "client_id": CLIENT_ID,
        "store_hash": store.store_hash,
        "is_active": True,
        "headers": None,
        **fields,
        "created_at": t,
        "updated_at": t,
    }
    return _envelope(col.insert(rec, stamp=False))


@routes.put(r"/v3/hooks/{hook_id:\d+}", scope=SCOPE)
async def update_hook(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _hook(store, int_param(request, "hook_id"))
    fields = _fields(await request.json(), creating=False)
    fields["updated_at"] = int(time.time())
    return _envelope(store.collection("webhooks").update(rec["id"], fields))


@routes.delete(r"/v3/hooks/{hook_id:\d+}", scope=SCOPE)
async def delete_hook(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _hook(store, int_param(request, "hook_id"))
    store.collection("webhooks").delete(rec["id"])
    # The real API answers a delete with the deleted subscription.
    return _envelope(rec)
