"""``/v3/inventory``: locations, stock per location and variant, and adjustments.

Stock lives per (location, variant). The default location's level is the catalog
variant's ``inventory_level``, so an adjustment there updates the variant and bumps its
product's ``date_modified``, as the real store does. Adjustments are all-or-nothing: an
item naming an unknown location, variant, SKU or product fails the whole request with
``422`` and an error per failing item.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from bigcommerce_emulator import filters
from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.generator.inventory import DEFAULT_LOCATION_ID, item_key
from bigcommerce_emulator.paging import json_response, v3_page
from bigcommerce_emulator.routes.batch_bodies import json_array
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
SCOPE = "store_inventory"
ADJUSTMENT_BATCH = 2_000
SETTINGS_BATCH = 2_000
ITEMS_MAX_LIMIT = 1_000
INVALID = "JSON data is missing or invalid"
MAX_LEVEL = 2_147_483_647
SETTINGS = ("safety_stock", "is_in_stock", "warning_level", "bin_picking_number")
LOCATION_FIELDS = (
    "code",
    "label",
    "managed_by_external_source",
    "type_id",
    "enabled",
    "operating_hours",
    "time_zone",
    "address",
    "storefront_visibility",
    "special_hours",
)


def _transaction() -> web.Response:
    return json_response({"transaction_id": str(uuid.uuid4())})


def _ints(raw: str | None) -> set[int] | None:
    if raw is None:
        return None
    return {filters.parse_int(p) for p in raw.split(",") if p}


def _strs(raw: str | None) -> set[str] | None:
    return None if raw is None else {p for p in raw.split(",") if p}


# Locations ----------------------------------------------------------------------------------


@routes.get("/v3/inventory/locations", scope=SCOPE, cap=("locations_get", 50))
async def list_locations(request: web.Request) -> web.Response:
    query = query_of(request)
    ids = _ints(query.get("location_id:in"))
    codes = _strs(query.get("location_code:in"))
    types = _strs(query.get("type_id:in"))
    flags = {
        "is_default": lambda r: r["id"] == DEFAULT_LOCATION_ID,
        "is_active": lambda r: bool(r.get("enabled")),
        "managed_by_external_source": lambda r: bool(r.get("managed_by_external_source")),
        "storefront_visibility": lambda r: bool(r.get("storefront_visibility")),
    }
    wants = {k: filters.parse_bool(query[k]) for k in flags if k in query}
    records = [
        r
        for r in store_of(request).collection("locations")
        if (ids is None or r["id"] in ids)
        and (codes is None or r["code"] in codes)
        and (types is None or r["type_id"] in types)
        and all(flags[k](r) == v for k, v in wants.items())
    ]
    return v3_page(query, records)


def _location_errors(store: Store, item: Any, i: int, *, creating: bool) -> dict[str, str]:
    if not isinstance(item, dict):
        return {f"{i}": "must be a JSON object"}
    errors: dict[str, str] = {}
    if creating:
        for f in ("code", "label", "address"):
            if not item.get(f):
                errors[f"{i}.{f}"] = "This field is required"
    elif store.collection("locations").get(item.get("id", -1)) is None:
        errors[f"{i}.id"] = "location not found"
    if "type_id" in item and item["type_id"] not in ("PHYSICAL", "VIRTUAL"):
        errors[f"{i}.type_id"] = "must be PHYSICAL or VIRTUAL"
    code = item.get("code")
    if code:
        taken = [r for r in store.collection("locations").where("code", code)]
        if any(r["id"] != item.get("id") for r in taken):
            errors[f"{i}.code"] = f"the code {code!r} is already used by another location"
    return errors


@routes.post("/v3/inventory/locations", scope=SCOPE, cap=("locations_post", 50))
async def create_locations(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await json_array(request, "locations")
    errors: dict[str, str] = {}
    codes = [item.get("code") for item in body if isinstance(item, dict)]
    for i, item in enumerate(body):
        errors.update(_location_errors(store, item, i, creating=True))
        if isinstance(item, dict) and item.get("code") and codes.count(item["code"]) > 1:
            errors[f"{i}.code"] = "duplicate code in the request"
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    col = store.collection("locations")
    t = now()
    for item in body:
        rec: Record = {
            "managed_by_external_source": False,
            "type_id": "PHYSICAL",
            "enabled": True,
            "operating_hours": {},
            "time_zone": "UTC",
            "storefront_visibility": False,
            "special_hours": [],
            **{k: item[k] for k in LOCATION_FIELDS if k in item},
            "created_at": t,
            "updated_at": t,
        }
        col.insert(rec, stamp=False)
    return _transaction()


@routes.put("/v3/inventory/locations", scope=SCOPE, cap=("locations_put", 50))
async def update_locations(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await json_array(request, "locations")
    errors: dict[str, str] = {}
    for i, item in enumerate(body):
        errors.update(_location_errors(store, item, i, creating=False))
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    col = store.collection("locations")
    t = now()
    for item in body:
        changes = {k: item[k] for k in LOCATION_FIELDS if k in item}
        col.update(item["id"], {**changes, "updated_at": t})
    return _transaction()


@routes.delete("/v3/inventory/locations", scope=SCOPE)
async def delete_locations(request: web.Request) -> web.Response:
    store = store_of(request)
    ids = _ints(request.query.get("location_id:in")) or set()
    col = store.collection("locations")
    if DEFAULT_LOCATION_ID in ids:
        raise ApiError(422, INVALID, errors={"location_id": "the default location cannot go"})
    missing = sorted(i for i in ids if col.get(i) is None)
    if missing:
        raise ApiError(404, "Location not found", errors={"location_id": str(missing)})
    items = store.collection("inventory_items")
    for lid in ids:
        for rec in [r for r in items if r["location_id"] == lid]:
            items.delete(rec["id"])
        col.delete(lid)
    return _transaction()


# Stock --------------------------------------------------------------------------------------


def _levels(store: Store, variant: Record) -> dict[int, Record]:
    """The variant's stock records by location; the default location always has one."""
    found = {
        r["location_id"]: r
        for r in store.collection("inventory_items").where("variant_id", variant["id"])
    }
    level = variant.get("inventory_level")
    default = found.get(DEFAULT_LOCATION_ID)
    onhand = int(level) if isinstance(level, int) else 0
    if default is None:
        found[DEFAULT_LOCATION_ID] = {
            "location_id": DEFAULT_LOCATION_ID,
            "total_inventory_onhand": onhand,
            "safety_stock": 0,
            "is_in_stock": onhand > 0,
            "warning_level": variant.get("inventory_warning_level", 0) or 0,
            "bin_picking_number": variant.get("bin_picking_number", "") or "",
        }
    else:
        found[DEFAULT_LOCATION_ID] = {**default, "total_inventory_onhand": onhand}
    return found


def _settings(level: Record) -> dict[str, Any]:
    return {
        "safety_stock": level.get("safety_stock", 0),
        "is_in_stock": level.get("is_in_stock", False),
        "warning_level": level.get("warning_level", 0),
        "bin_picking_number": level.get("bin_picking_number", ""),
    }


def _available(level: Record) -> int:
    return max(0, int(level["total_inventory_onhand"]) - int(level.get("safety_stock") or 0))


def _variants(store: Store, query: dict[str, str]) -> list[Record]:
    variants = store.collection("product_variants")
    ids = _ints(query.get("variant_id:in"))
    skus = _strs(query.get("sku:in"))
    products = _ints(query.get("product_id:in"))
    pool: Iterable[Record]
    if ids is not None:
        pool = [v for v in (variants.get(i) for i in sorted(ids)) if v is not None]
    elif products is not None:
        pool = [v for p in sorted(products) for v in variants.where("product_id", p)]
    elif skus is not None:
        pool = [v for s in skus for v in variants.where("sku", s)]
        pool = sorted(pool, key=lambda v: v["id"])
    else:
        pool = variants
    return [
        v
        for v in pool
        if (skus is None or v.get("sku") in skus)
        and (products is None or v.get("product_id") in products)
    ]


def _stocked_at(store: Store, location_ids: set[int]) -> set[int] | None:
    """Variants with stock records at these locations; None when every variant qualifies
    (the default location holds every variant)."""
    if DEFAULT_LOCATION_ID in location_ids:
        return None
    return {
        r["variant_id"]
        for r in store.collection("inventory_items")
        if r["location_id"] in location_ids
    }


def _identity(variant: Record) -> dict[str, Any]:
    return {
        "sku": variant.get("sku") or "",
        "variant_id": variant["id"],
        "product_id": variant.get("product_id"),
        "sku_id": variant.get("sku_id", variant["id"]),
    }


@routes.get("/v3/inventory/items", scope=SCOPE)
async def list_items(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    location_ids = _ints(query.get("location_id:in"))
    codes = _strs(query.get("location_code:in"))
    locations = {
        loc["id"]: loc
        for loc in store.collection("locations")
        if (location_ids is None or loc["id"] in location_ids)
        and (codes is None or loc["code"] in codes)
    }

    def render(variant: Record) -> dict[str, Any]:
        levels = _levels(store, variant)
        return {
            "identity": _identity(variant),
            "locations": [
                {
                    "location_id": lid,
                    "location_code": locations[lid]["code"],
                    "location_name": locations[lid]["label"],
                    "available_to_sell": _available(level),
                    "total_inventory_onhand": level["total_inventory_onhand"],
                    "location_enabled": bool(locations[lid].get("enabled")),
                    "settings": _settings(level),
                }
                for lid, level in sorted(levels.items())
                if lid in locations
            ],
        }

    variants = _variants(store, query)
    if location_ids is not None or codes is not None:
        stocked = _stocked_at(store, set(locations))
        if stocked is not None:
            variants = [v for v in variants if v["id"] in stocked]
    return v3_page(query, variants, render=render, max_limit=ITEMS_MAX_LIMIT)


def _location(store: Store, location_id: int) -> Record:
    return record_or_404(store.collection("locations"), location_id, "Location not found")


@routes.get(r"/v3/inventory/locations/{location_id:\d+}/items", scope=SCOPE)
async def list_location_items(request: web.Request) -> web.Response:
    store = store_of(request)
    loc = _location(store, int_param(request, "location_id"))
    query = query_of(request)
    rows = []
    stocked = _stocked_at(store, {loc["id"]})
    for variant in _variants(store, query):
        if stocked is not None and variant["id"] not in stocked:
            continue
        level = _levels(store, variant).get(loc["id"])
        if level is not None:
            rows.append((variant, level))

    def render(row: Any) -> dict[str, Any]:
        variant, level = row
        ident = _identity(variant)
        ident.pop("sku_id")
        return {
            "identity": ident,
            "available_to_sell": _available(level),
            "total_inventory_onhand": level["total_inventory_onhand"],
            "settings": _settings(level),
        }

    return v3_page(query, rows, render=render, max_limit=ITEMS_MAX_LIMIT)  # type: ignore[arg-type]


def _find_variant(store: Store, item: dict[str, Any]) -> tuple[Record | None, str | None]:
    """The variant an adjustment item names, or why it names none."""
    variants = store.collection("product_variants")
    if "variant_id" in item:
        v = variants.get(item["variant_id"]) if isinstance(item["variant_id"], int) else None
        return (v, None) if v else (None, f"variant {item['variant_id']} was not found")
    if "sku" in item:
        found = variants.where("sku", item["sku"]) if isinstance(item["sku"], str) else []
        return (found[0], None) if found else (None, f"SKU {item['sku']!r} was not found")
    if "product_id" in item:
        pid = item["product_id"]
        found = variants.where("product_id", pid) if isinstance(pid, int) else []
        if not found:
            return None, f"product {pid} was not found"
        if len(found) > 1:
            return None, f"product {pid} has variants; adjust them by variant_id or sku"
        return found[0], None
    return None, "one of variant_id, sku or product_id is required"


def _set_level(store: Store, location_id: int, variant: Record, quantity: int) -> None:
    items = store.collection("inventory_items")
    existing = items.where("_key", item_key(location_id, variant["id"]))
    if existing:
        rec = existing[0]
        items.update(
            rec["id"],
            {"total_inventory_onhand": quantity, "is_in_stock": quantity > rec["safety_stock"]},
        )
    else:
        items.insert(
            {
                "_key": item_key(location_id, variant["id"]),
                "location_id": location_id,
                "variant_id": variant["id"],
                "product_id": variant.get("product_id"),
                "sku": variant.get("sku") or "",
                "total_inventory_onhand": quantity,
                "safety_stock": 0,
                "is_in_stock": quantity > 0,
                "warning_level": 0,
                "bin_picking_number": "",
            },
            stamp=False,
        )
    if location_id == DEFAULT_LOCATION_ID and variant.get("inventory_level") != quantity:
        store.collection("product_variants").update(variant["id"], {"inventory_level": quantity})
        products = store.collection("products")
        if products.get(variant.get("product_id", -1)) is not None:
            products.touch(variant["product_id"])


async def _adjust(request: web.Request, *, relative: bool) -> web.Response:
    store = store_of(request)
    body = await request.json()
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise ApiError(422, INVALID, errors={"items": "This field is required (an array)"})
    items = body["items"]
    request["items"] = len(items)
    if len(items) > ADJUSTMENT_BATCH:
        raise ApiError(
            413, f"The request holds {len(items)} items; the limit is {ADJUSTMENT_BATCH}"
        )
    locations = store.collection("locations")
    errors: dict[str, str] = {}
    planned: list[tuple[int, Record, int]] = []
    seen: set[tuple[int, int]] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"items[{i}]"] = "must be a JSON object"
            continue
        qty, lid = item.get("quantity"), item.get("location_id")
        if not isinstance(qty, int) or isinstance(qty, bool):
            errors[f"items[{i}].quantity"] = "This field is required (an integer)"
            continue
        if not isinstance(lid, int) or locations.get(lid) is None:
            errors[f"items[{i}].location_id"] = f"location {lid} was not found"
            continue
        variant, why = _find_variant(store, item)
        if variant is None:
            errors[f"items[{i}]"] = why or "not found"
            continue
        if (lid, variant["id"]) in seen:
            errors[f"items[{i}]"] = "the same item and location appear twice in the request"
            continue
        seen.add((lid, variant["id"]))
        current = _levels(store, variant).get(lid, {}).get("total_inventory_onhand", 0)
        target = current + qty if relative else qty
        if not 0 <= target <= MAX_LEVEL:
            errors[f"items[{i}].quantity"] = f"the resulting level {target} is out of range"
            continue
        planned.append((lid, variant, target))
    if errors:
        raise ApiError(422, "Inventory adjustment failed for some items", errors=errors)
    for lid, variant, target in planned:
        _set_level(store, lid, variant, target)
    return _transaction()


@routes.put("/v3/inventory/adjustments/absolute", scope=SCOPE)
async def absolute_adjustment(request: web.Request) -> web.Response:
    return await _adjust(request, relative=False)


@routes.post("/v3/inventory/adjustments/relative", scope=SCOPE)
async def relative_adjustment(request: web.Request) -> web.Response:
    return await _adjust(request, relative=True)


@routes.put(r"/v3/inventory/locations/{location_id:\d+}/items", scope=SCOPE)
async def update_location_settings(request: web.Request) -> web.Response:
    store = store_of(request)
    loc = _location(store, int_param(request, "location_id"))
    body = await request.json()
    settings = body.get("settings") if isinstance(body, dict) else None
    if not isinstance(settings, list):
        raise ApiError(422, INVALID, errors={"settings": "This field is required (an array)"})
    request["items"] = len(settings)
    if len(settings) > SETTINGS_BATCH:
        raise ApiError(
            413, f"The request holds {len(settings)} items; the limit is {SETTINGS_BATCH}"
        )
    errors: dict[str, str] = {}
    planned: list[tuple[Record, dict[str, Any]]] = []
    for i, entry in enumerate(settings):
        identity = entry.get("identity") if isinstance(entry, dict) else None
        variant, why = _find_variant(store, identity if isinstance(identity, dict) else {})
        if variant is None:
            errors[f"settings[{i}].identity"] = why or "not found"
            continue
        planned.append((variant, {k: entry[k] for k in SETTINGS if k in entry}))
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    items = store.collection("inventory_items")
    for variant, changes in planned:
        existing = items.where("_key", item_key(loc["id"], variant["id"]))
        if not existing:
            level = _levels(store, variant).get(loc["id"], {}).get("total_inventory_onhand", 0)
            _set_level(store, loc["id"], variant, level)
            existing = items.where("_key", item_key(loc["id"], variant["id"]))
        items.update(existing[0]["id"], changes)
    return _transaction()
