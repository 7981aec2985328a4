"""``/v3/channels``, ``/v3/sites`` and ``/v3/sites/{site_id}/routes``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bigcommerce_emulator import filters
from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.generator.channels import ensure_listings
from bigcommerce_emulator.paging import json_response, v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
CHANNELS = "store_channel_settings"
SITES = "store_sites"
LISTINGS = "store_channel_listings"
CHANNEL_TYPES = ("pos", "marketplace", "storefront", "marketing")
CHANNEL_STATUSES = (
    "active",
    "prelaunch",
    "inactive",
    "connected",
    "disconnected",
    "archived",
    "deleted",
    "terminated",
)
AVAILABLE = frozenset(("prelaunch", "active", "inactive", "connected"))
ROUTE_TYPES = (
    "product",
    "brand",
    "category",
    "page",
    "blog",
    "home",
    "cart",
    "checkout",
    "search",
    "account",
    "login",
    "returns",
    "static",
)
CHANNEL_FILTERS: dict[str, filters.Parser] = {
    "status": filters.parse_str,
    "type": filters.parse_str,
    "platform": filters.parse_str,
    "date_created": filters.parse_date,
    "date_modified": filters.parse_date,
}


def _currencies(store: Store, channel_id: int) -> dict[str, Any]:
    enabled = [c for c in store.collection("currencies") if c.get("enabled", True)]
    default = next((c["currency_code"] for c in enabled if c.get("is_default")), "USD")
    return {
        "channel_id": channel_id,
        "enabled_currencies": [c["currency_code"] for c in enabled],
        "default_currency": default,
    }


def _render_channel(store: Store, rec: Record, include: str) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(rec)
    if "currencies" in include.split(","):
        out["currencies"] = _currencies(store, rec["id"])
    return out


def _channel(request: web.Request) -> Record:
    return record_or_404(
        store_of(request).collection("channels"),
        int_param(request, "channel_id"),
        "Channel not found",
    )


def _object_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, "The request body must be a JSON object")
    return body


def _check_enum(body: dict[str, Any], field: str, allowed: tuple[str, ...]) -> None:
    if field in body and body[field] not in allowed:
        raise ApiError(
            422,
            "JSON data is missing or invalid",
            errors={field: f"must be one of {', '.join(allowed)}"},
        )


@routes.get("/v3/channels", scope=CHANNELS)
async def list_channels(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    preds = filters.build_predicates(query, CHANNEL_FILTERS)
    if "available" in query:
        want = filters.parse_bool(query["available"])
        preds.append(lambda r: (r.get("status") in AVAILABLE) == want)
    records = filters.apply(store.collection("channels"), preds)
    include = query.get("include", "")
    return v3_page(query, records, render=lambda r: _render_channel(store, r, include))


@routes.get(r"/v3/channels/{channel_id:\d+}", scope=CHANNELS)
async def get_channel(request: web.Request) -> web.Response:
    rec = _channel(request)
    include = request.query.get("include", "")
    return json_response({"data": _render_channel(store_of(request), rec, include), "meta": {}})


@routes.post("/v3/channels", scope=CHANNELS)
async def create_channel(request: web.Request) -> web.Response:
    store = store_of(request)
    body = _object_body(await request.json())
    missing = [f for f in ("name", "type", "platform") if not body.get(f)]
    if missing:
        raise ApiError(
            422,
            "JSON data is missing or invalid",
            errors={f: "This field is required" for f in missing},
        )
    _check_enum(body, "type", CHANNEL_TYPES)
    _check_enum(body, "status", CHANNEL_STATUSES)
    col = store.collection("channels")
    if col.where("name", body["name"]):
        raise ApiError(409, f"A channel named {body['name']!r} already exists")
    status = body.get("status", "active")
    rec: Record = {
        "external_id": str(body.get("external_id", "")),
        "is_listable_from_ui": bool(body.get("is_listable_from_ui", True)),
        "is_enabled": status in AVAILABLE,
        "is_visible": bool(body.get("is_visible", True)),
        "status": status,
        "name": body["name"],
        "type": body["type"],
        "platform": body["platform"],
        "icon_url": f"https://s3.amazonaws.com/bc-channel-icons/{body['platform']}.svg",
    }
    rec = col.insert(rec)
    return json_response({"data": _render_channel(store, rec, ""), "meta": {}})


@routes.put(r"/v3/channels/{channel_id:\d+}", scope=CHANNELS)
async def update_channel(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _channel(request)
    body = _object_body(await request.json())
    _check_enum(body, "status", CHANNEL_STATUSES)
    if "type" in body or "platform" in body:
        raise ApiError(422, "JSON data is missing or invalid", errors={"type": "cannot be changed"})
    col = store.collection("channels")
    name = body.get("name")
    if name and any(c["id"] != rec["id"] for c in col.where("name", name)):
        raise ApiError(409, f"A channel named {name!r} already exists")
    allowed = ("external_id", "is_listable_from_ui", "is_visible", "name", "status")
    changes = {k: v for k, v in body.items() if k in allowed}
    if "status" in changes:
        changes["is_enabled"] = changes["status"] in AVAILABLE
    rec = col.update(rec["id"], changes)
    return json_response({"data": _render_channel(store, rec, ""), "meta": {}})


# Sites --------------------------------------------------------------------------------------


def _render_site(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(rec)
    return out


def _site(request: web.Request) -> Record:
    return record_or_404(
        store_of(request).collection("sites"), int_param(request, "site_id"), "Site not found"
    )


@routes.get("/v3/sites", scope=SITES)
async def list_sites(request: web.Request) -> web.Response:
    query = query_of(request)
    preds = filters.build_predicates(query, {"channel_id": filters.parse_int})
    if "url_type:in" in query:
        kinds = set(query["url_type:in"].split(","))
        preds.append(lambda r: any(u["type"] in kinds for u in r.get("urls", [])))
    records = filters.apply(store_of(request).collection("sites"), preds)
    page = v3_page(query, records, render=_render_site)
    # sites.v3.yml documents offset-style fields in the pagination object as well.
    payload = json.loads(page.text or "{}")
    pagination = payload["meta"]["pagination"]
    pagination["offset"] = (pagination["current_page"] - 1) * pagination["per_page"]
    pagination["limit"] = pagination["per_page"]
    pagination["total_items"] = pagination["total"]
    return json_response(payload)


@routes.get(r"/v3/sites/{site_id:\d+}", scope=SITES)
async def get_site(request: web.Request) -> web.Response:
    return json_response({"data": _render_site(_site(request)), "meta": {}})


def _site_url(body: dict[str, Any]) -> str:
    url = body.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ApiError(422, "JSON data is missing or invalid", errors={"url": "must be a URL"})
    return url


@routes.post("/v3/sites", scope=SITES)
async def create_site(request: web.Request) -> web.Response:
    store = store_of(request)
    body = _object_body(await request.json())
    url = _site_url(body)
    channel_id = body.get("channel_id")
    if not isinstance(channel_id, int) or store.collection("channels").get(channel_id) is None:
        raise ApiError(404, "Channel not found", errors={"channel_id": "unknown channel"})
    sites = store.collection("sites")
    if sites.where("channel_id", channel_id):
        raise ApiError(400, "The channel already has a site")
    t = now()
    rec: Record = {
        "url": url,
        "channel_id": channel_id,
        "created_at": t,
        "updated_at": t,
        "ssl_status": "shared",
        "urls": [{"url": url, "type": "primary", "created_at": t, "updated_at": t}],
        "is_checkout_url_customized": False,
    }
    rec = sites.insert(rec, stamp=False)
    return json_response({"data": _render_site(rec), "meta": {}}, status=201)


@routes.put(r"/v3/sites/{site_id:\d+}", scope=SITES)
async def update_site(request: web.Request) -> web.Response:
    rec = _site(request)
    body = _object_body(await request.json())
    url = _site_url(body)
    t = now()
    urls = [
        {**u, "url": url, "updated_at": t} if u["type"] == "primary" else u for u in rec["urls"]
    ]
    rec = (
        store_of(request)
        .collection("sites")
        .update(rec["id"], {"url": url, "urls": urls, "updated_at": t})
    )
    return json_response({"data": _render_site(rec), "meta": {}})


@routes.delete(r"/v3/sites/{site_id:\d+}", scope=SITES)
async def delete_site(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _site(request)
    store.collection("site_routes").delete_where("site_id", rec["id"])
    store.collection("sites").delete(rec["id"])
    return web.Response(status=204)


# Site routes --------------------------------------------------------------------------------


def _render_route(rec: Record) -> dict[str, Any]:
    return {k: rec[k] for k in ("id", "type", "matching", "route")}


def _route_fields(body: Any, *, require_id: bool = False) -> dict[str, Any]:
    body = _object_body(body)
    errors = {}
    if require_id and not isinstance(body.get("id"), int):
        errors["id"] = "This field is required"
    if "type" in body and body["type"] not in ROUTE_TYPES:
        errors["type"] = f"must be one of {', '.join(ROUTE_TYPES)}"
    if errors:
        raise ApiError(422, "JSON data is missing or invalid", errors=errors)
    return {k: body[k] for k in ("type", "matching", "route") if k in body}


def _site_route(request: web.Request, site: Record) -> Record:
    rec = store_of(request).collection("site_routes").get(int_param(request, "route_id"))
    if rec is None or rec["site_id"] != site["id"]:
        raise ApiError(404, "Route not found")
    return rec


@routes.get(r"/v3/sites/{site_id:\d+}/routes", scope=SITES)
async def list_site_routes(request: web.Request) -> web.Response:
    site = _site(request)
    query = query_of(request)
    records = store_of(request).collection("site_routes").where("site_id", site["id"])
    records = filters.apply(records, filters.build_predicates(query, {"type": filters.parse_str}))
    return v3_page(query, records, render=_render_route)


@routes.get(r"/v3/sites/{site_id:\d+}/routes/{route_id:\d+}", scope=SITES)
async def get_site_route(request: web.Request) -> web.Response:
    rec = _site_route(request, _site(request))
    return json_response({"data": _render_route(rec), "meta": {}})


@routes.post(r"/v3/sites/{site_id:\d+}/routes", scope=SITES)
async def create_site_route(request: web.Request) -> web.Response:
    site = _site(request)
    fields = _route_fields(await request.json())
    missing = [f for f in ("type", "matching", "route") if f not in fields]
    if missing:
        raise ApiError(
            422,
            "JSON data is missing or invalid",
            errors={f: "This field is required" for f in missing},
        )
    rec = (
        store_of(request)
        .collection("site_routes")
        .insert({"site_id": site["id"], **fields}, stamp=False)
    )
    return json_response({"data": _render_route(rec), "meta": {}}, status=201)


@routes.put(r"/v3/sites/{site_id:\d+}/routes", scope=SITES)
async def update_site_routes(request: web.Request) -> web.Response:
    site = _site(request)
    body = await request.json()
    if not isinstance(body, list):
        raise ApiError(422, "The request body must be a JSON array")
    request["items"] = len(body)
    col = store_of(request).collection("site_routes")
    planned = []
    for i, item in enumerate(body):
        fields = _route_fields(item, require_id=True)
        rec = col.get(item["id"])
        if rec is None or rec["site_id"] != site["id"]:
            raise ApiError(422, "JSON data is missing or invalid", errors={f"{i}.id": "not found"})
        planned.append((rec["id"], fields))
    updated = [col.update(rid, fields) for rid, fields in planned]
    return json_response({"data": [_render_route(r) for r in updated], "meta": {}})


@routes.put(r"/v3/sites/{site_id:\d+}/routes/{route_id:\d+}", scope=SITES)
async def update_site_route(request: web.Request) -> web.Response:
    rec = _site_route(request, _site(request))
    fields = _route_fields(await request.json())
    rec = store_of(request).collection("site_routes").update(rec["id"], fields)
    return json_response({"data": _render_route(rec), "meta": {}}, status=201)


@routes.delete(r"/v3/sites/{site_id:\d+}/routes/{route_id:\d+}", scope=SITES)
async def delete_site_route(request: web.Request) -> web.Response:
    rec = _site_route(request, _site(request))
    store_of(request).collection("site_routes").delete(rec["id"])
    return web.Response(status=204)


# Channel listings ---------------------------------------------------------------------------

LISTING_STATES = (
    "active",
    "disabled",
    "error",
    "pending",
    "pending_disable",
    "pending_delete",
    "partially_rejected",
    "queued",
    "rejected",
    "submitted",
    "deleted",
)
LISTING_FILTERS: dict[str, filters.Parser] = {
    "product_id": filters.parse_int,
    "date_created": filters.parse_date,
    "date_modified": filters.parse_date,
}
LISTINGS_BATCH = 1_000


def _render_listing(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(rec)
    out["listing_id"] = out.pop("id")
    return out


def _listings(store: Store, channel: Record) -> list[Record]:
    ensure_listings(store, channel)
    return store.collection("channel_listings", index_on=("channel_id",)).where(
        "channel_id", channel["id"]
    )


@routes.get(r"/v3/channels/{channel_id:\d+}/listings", scope=LISTINGS)
async def list_listings(request: web.Request) -> web.Response:
    """Listings page by listing id: ``after`` names the last listing of the previous page."""
    store = store_of(request)
    channel = _channel(request)
    query = query_of(request)
    records = filters.apply(
        _listings(store, channel), filters.build_predicates(query, LISTING_FILTERS)
    )
    try:
        limit = max(1, min(int(query.get("limit") or 50), 250))
        after = int(query["after"]) if query.get("after") else None
    except ValueError as exc:
        raise ApiError(400, "The 'limit' and 'after' parameters must be integers") from exc
    rest = [r for r in records if after is None or r["id"] > after]
    chunk = rest[:limit]
    base = {k: v for k, v in query.items() if k != "after"}
    links: dict[str, str] = {"current": "?" + urlencode(query)}
    if len(rest) > limit:
        links["next"] = "?" + urlencode({**base, "after": chunk[-1]["id"]})
    meta = {
        "pagination": {
            "count": len(chunk),
            "total": len(records),
            "total_pages": -(-len(records) // limit),
            "links": links,
        }
    }
    return json_response({"data": [_render_listing(r) for r in chunk], "meta": meta})


@routes.get(r"/v3/channels/{channel_id:\d+}/listings/{listing_id:\d+}", scope=LISTINGS)
async def get_listing(request: web.Request) -> web.Response:
    store = store_of(request)
    channel = _channel(request)
    ensure_listings(store, channel)
    rec = store.collection("channel_listings").get(int_param(request, "listing_id"))
    if rec is None or rec["channel_id"] != channel["id"]:
        raise ApiError(404, "Listing not found")
    return json_response({"data": _render_listing(rec), "meta": {}})


def _listing_fields(store: Store, item: Any, i: int, channel: Record) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ApiError(422, "JSON data is missing or invalid", errors={f"{i}": "not an object"})
    errors: dict[str, str] = {}
    product = store.collection("products").get(item.get("product_id", -1))
    if product is None:
        errors[f"data.{i}.product_id"] = "product not found"
    if item.get("state") not in LISTING_STATES:
        errors[f"data.{i}.state"] = f"must be one of {', '.join(LISTING_STATES)}"
    variants = item.get("variants")
    if not isinstance(variants, list):
        errors[f"data.{i}.variants"] = "This field is required"
        variants = []
    catalog = store.collection("product_variants")
    for j, v in enumerate(variants):
        known = catalog.get(v.get("variant_id", -1)) if isinstance(v, dict) else None
        if known is None or known.get("product_id") != item.get("product_id"):
            errors[f"data.{i}.variants.{j}.variant_id"] = "variant not found for the product"
    if errors:
        raise ApiError(422, "JSON data is missing or invalid", errors=errors)
    t = now()
    return {
        "channel_id": channel["id"],
        "product_id": item["product_id"],
        "external_id": str(item.get("external_id", "")),
        "state": item["state"],
        "name": item.get("name") or (product or {}).get("name", ""),
        "variants": [
            {
                "channel_id": channel["id"],
                "product_id": item["product_id"],
                "variant_id": v["variant_id"],
                "external_id": str(v.get("external_id", "")),
                "state": v.get("state", item["state"]),
                "name": v.get("name", ""),
                "date_created": t,
                "date_modified": t,
            }
            for v in variants
        ],
    }


async def _listing_batch(request: web.Request) -> tuple[Store, Record, list[Any]]:
    store = store_of(request)
    channel = _channel(request)
    ensure_listings(store, channel)
    body = await request.json()
    if not isinstance(body, list):
        raise ApiError(422, "JSON data is missing or invalid", errors={"data": "not an array"})
    request["items"] = len(body)
    if len(body) > LISTINGS_BATCH:
        raise ApiError(413, f"The batch holds {len(body)} listings; the limit is {LISTINGS_BATCH}")
    return store, channel, body


@routes.post(r"/v3/channels/{channel_id:\d+}/listings", scope=LISTINGS)
async def create_listings(request: web.Request) -> web.Response:
    store, channel, body = await _listing_batch(request)
    planned = [_listing_fields(store, item, i, channel) for i, item in enumerate(body)]
    col = store.collection("channel_listings", index_on=("channel_id",))
    created = [col.insert(fields) for fields in planned]
    return json_response({"data": [_render_listing(r) for r in created], "meta": {}})


@routes.put(r"/v3/channels/{channel_id:\d+}/listings", scope=LISTINGS)
async def update_listings(request: web.Request) -> web.Response:
    store, channel, body = await _listing_batch(request)
    col = store.collection("channel_listings", index_on=("channel_id",))
    planned = []
    for i, item in enumerate(body):
        fields = _listing_fields(store, item, i, channel)
        rec = col.get(item.get("listing_id", -1))
        if rec is None or rec["channel_id"] != channel["id"]:
            raise ApiError(
                422, "JSON data is missing or invalid", errors={f"data.{i}.listing_id": "not found"}
            )
        for v in fields["variants"]:
            v["date_created"] = next(
                (o["date_created"] for o in rec["variants"] if o["variant_id"] == v["variant_id"]),
                v["date_created"],
            )
        planned.append((rec["id"], fields))
    updated = [col.update(rid, fields) for rid, fields in planned]
    return json_response({"data": [_render_listing(r) for r in updated], "meta": {}})
