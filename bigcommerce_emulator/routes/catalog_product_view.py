"""How a product is read: the list filters, sorts and ``include=`` sub-resources of
``GET /v3/catalog/products``.

Lists are narrowed before predicates run: by ``id:in``, by the SKU index, or, when
sorting by ``date_modified``, by the collection's modification-time keys; the id order
is the collection's own order, so the default sort costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import (
    apply,
    build_predicates,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_str,
    sort_records,
)
from bigcommerce_emulator.generator.catalog_model import collection
from bigcommerce_emulator.narrowing import id_range, span_size
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.catalog_common import select_fields
from bigcommerce_emulator.store import Record, Store

INCLUDES = (
    "variants",
    "images",
    "custom_fields",
    "bulk_pricing_rules",
    "primary_image",
    "modifiers",
    "options",
    "videos",
    "reviews",
    "channels",
    "parent_relations",
)
# With options or modifiers included, the API serves at most 10 products per page.
SMALL_PAGE_INCLUDES = {"options", "modifiers"}
SORTS = (
    "id",
    "name",
    "sku",
    "price",
    "date_modified",
    "date_last_imported",
    "inventory_level",
    "is_visible",
    "total_sold",
    "calculated_price",
)
# Documented as always in the body, whatever include_fields and exclude_fields say.
ALWAYS_SHOWN = ("gift_wrapping_options_type", "gift_wrapping_options_list")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _flag(v: str) -> bool:
    return v.strip() in ("1", "true")


FIELDS: dict[str, Callable[[str], Any]] = {
    "id": parse_int,
    "name": parse_str,
    "mpn": parse_str,
    "upc": parse_str,
    "price": parse_decimal,
    "weight": parse_decimal,
    "condition": lambda v: v.lower(),
    "brand_id": parse_int,
    "date_modified": parse_date,
    "date_last_imported": parse_date,
    "is_visible": parse_bool,
    "is_featured": _flag,
    "is_free_shipping": _flag,
    "inventory_level": parse_int,
    "total_sold": parse_int,
    "type": parse_str,
    "availability": parse_str,
    "sku": parse_str,
}
GETTERS: dict[str, Callable[[Record], Any]] = {
    "condition": lambda r: str(r.get("condition", "")).lower(),
}
# Handled by hand below: plain dates (a calendar day) and date_last_imported:not.
MANUAL = ("date_modified", "date_last_imported")


def includes_of(query: Mapping[str, str]) -> list[str]:
    raw = query.get("include", "")
    wanted = [p.strip() for p in raw.split(",") if p.strip()]
    bad = [p for p in wanted if p not in INCLUDES]
    if bad:
        raise ApiError(
            422, "Invalid include value", errors={"include": f"unknown: {', '.join(bad)}"}
        )
    return wanted


def _date_equals(name: str, raw: str) -> Callable[[Record], bool]:
    """A plain date filter: a date-only value matches that whole UTC day."""
    if DATE_ONLY.match(raw):
        return lambda r: r.get(name) is not None and r[name].date().isoformat() == raw
    at = parse_date(raw)
    return lambda r: r.get(name) == at


def _manual_predicates(query: Mapping[str, str]) -> list[Callable[[Record], bool]]:
    preds: list[Callable[[Record], bool]] = []
    for name in MANUAL:
        raw = query.get(name)
        if raw is not None:
            preds.append(_date_equals(name, raw.strip()))
    if "date_last_imported:not" in query:
        at = parse_date(query["date_last_imported:not"])
        preds.append(lambda r: r.get("date_last_imported") != at)
    if "categories" in query:
        cid = parse_int(query["categories"])
        preds.append(lambda r: cid in r.get("categories", ()))
    if "categories:in" in query:
        cids = {parse_int(p) for p in query["categories:in"].split(",") if p.strip()}
        preds.append(lambda r: bool(cids.intersection(r.get("categories", ()))))
    if "categories:not_in" in query:
        nots = {parse_int(p) for p in query["categories:not_in"].split(",") if p.strip()}
        preds.append(lambda r: not nots.intersection(r.get("categories", ())))
    if "channel_id:in" in query:
        chans = {parse_int(p) for p in query["channel_id:in"].split(",") if p.strip()}
        preds.append(lambda r: bool(chans.intersection(r.get("_channels", ()))))
    if query.get("inventory_low") in ("1", "true"):
        preds.append(
            lambda r: (
                r.get("inventory_tracking") != "none"
                and r.get("inventory_level", 0) <= r.get("inventory_warning_level", 0)
            )
        )
    if query.get("out_of_stock") in ("1", "true"):
        preds.append(
            lambda r: r.get("inventory_tracking") != "none" and r.get("inventory_level", 0) == 0
        )
    keyword = query.get("keyword", "").strip().lower()
    if keyword:
        preds.append(
            lambda r: any(
                keyword in str(r.get(f, "")).lower()
                for f in ("name", "sku", "description", "search_keywords")
            )
        )
    return preds


def _modified_bounds(query: Mapping[str, str]) -> tuple[datetime | None, datetime | None]:
    # A calendar day gets the time of day at parsing: only the predicates may read it.
    def bound(key: str) -> datetime | None:
        raw = query.get(key)
        if raw is None or DATE_ONLY.match(raw.strip()):
            return None
        return parse_date(raw)

    return bound("date_modified:min"), bound("date_modified:max")


def _has_modified(r: Record) -> bool:
    return isinstance(r.get("date_modified"), datetime)


def list_products(store: Store, query: Mapping[str, str]) -> list[Record]:
    products = collection(store, "products")
    plain = {k: v for k, v in query.items() if k not in MANUAL}
    preds = build_predicates(plain, FIELDS, getters=GETTERS) + _manual_predicates(query)
    sort = query.get("sort") or "id"
    if sort not in SORTS:
        raise ApiError(422, "Invalid sort value", errors={"sort": f"must be one of {SORTS}"})
    desc = (query.get("direction") or "asc").lower() == "desc"
    base: list[Record]
    id_lo, id_hi = id_range(query)
    by_id = products.id_span(id_lo, id_hi) if (id_lo, id_hi) != (None, None) else None
    lo, hi = _modified_bounds(query)
    by_date = products.modified_span(lo, hi) if (lo, hi) != (None, None) else None
    if sort == "date_modified":
        if by_id is not None and (by_date is None or span_size(by_id) < span_size(by_date)):
            # A narrow id range: its few records sorted beat the whole modification order.
            base = sorted(
                (r for r in products.ids_between(id_lo, id_hi) if _has_modified(r)),
                key=lambda r: (r["date_modified"], r["id"]),
            )
        else:
            base = products.modified_between(lo, hi)
    elif "id:in" in query:
        ids = sorted({parse_int(p) for p in query["id:in"].split(",") if p.strip()})
        base = [r for i in ids if (r := products.get(i)) is not None]
    elif "sku:in" in query or "sku" in query:
        skus = query.get("sku:in", query.get("sku", "")).split(",")
        found = {r["id"]: r for s in skus if s for r in products.where("sku", s)}
        base = [found[i] for i in sorted(found)]
    elif by_id is not None and (by_date is None or span_size(by_id) <= span_size(by_date)):
        base = products.ids_between(id_lo, id_hi)
    elif by_date is not None:
        base = sorted(products.modified_between(lo, hi), key=lambda r: r["id"])
    else:
        base = list(products.items.values())
    rows = apply(base, preds)
    if sort in ("id", "date_modified"):
        return rows[::-1] if desc else rows
    return sort_records(rows, sort, "desc" if desc else "asc", SORTS)


def _children(store: Store, name: str, product_id: int) -> list[Record]:
    return collection(store, name).where("product_id", product_id)


def _bare(rec: Record, *drop: str) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(rec)
    for f in drop:
        out.pop(f, None)
    return out


def render_product(
    store: Store, product: Record, includes: list[str], query: Mapping[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(product)
    select_fields(out, query, keep=ALWAYS_SHOWN)
    pid = product["id"]
    for inc in includes:
        if inc == "variants":
            out["variants"] = [_bare(v) for v in _children(store, "product_variants", pid)]
        elif inc == "images":
            out["images"] = [_bare(i) for i in _children(store, "product_images", pid)]
        elif inc == "custom_fields":
            out["custom_fields"] = [
                _bare(c, "product_id") for c in _children(store, "product_custom_fields", pid)
            ]
        elif inc == "bulk_pricing_rules":
            out["bulk_pricing_rules"] = [
                _bare(b, "product_id") for b in _children(store, "product_bulk_pricing_rules", pid)
            ]
        elif inc == "primary_image":
            images = _children(store, "product_images", pid)
            thumb = next((i for i in images if i.get("is_thumbnail")), None)
            if thumb is not None:
                out["primary_image"] = _bare(thumb, "description")
        elif inc == "modifiers":
            out["modifiers"] = [_bare(m) for m in _children(store, "product_modifiers", pid)]
        elif inc == "options":
            out["options"] = [_bare(o) for o in _children(store, "product_options", pid)]
        elif inc == "videos":
            out["videos"] = [_bare(v) for v in _children(store, "product_videos", pid)]
        elif inc == "reviews":
            out["reviews"] = [
                _bare(r, "product_id") for r in _children(store, "product_reviews", pid)
            ]
        elif inc == "channels":
            out["channels"] = list(product.get("_channels", []))
        elif inc == "parent_relations":
            out["parent_relations"] = []
    return out
