"""A product's simple sub-resources: images, custom fields, bulk pricing rules, videos and
reviews, each with list, read, create, update and delete under
``/v3/catalog/products/{product_id}/...``. Every write bumps the product's
``date_modified``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.generator.catalog_model import collection, image_urls, slug
from bigcommerce_emulator.paging import v3_page
from bigcommerce_emulator.routes.catalog_common import (
    BOOL,
    DATE,
    INT,
    NUM,
    STR,
    Kind,
    data,
    no_content,
    object_body,
    product_or_404,
    product_path,
    renderer,
    touch_product,
    validate,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
SCOPE = "store_v2_products"

# Checks a record about to be written against its siblings: {field: message} on conflict.
Finisher = Callable[[Store, Record, Record], dict[str, str]]


def _no_check(store: Store, product: Record, rec: Record) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Child:
    segment: str  # the path segment, e.g. "custom-fields"
    collection: str
    what: str
    kinds: dict[str, Kind]
    required: tuple[str, ...] = ()
    lengths: dict[str, tuple[int, int]] = field(default_factory=dict)
    drop: tuple[str, ...] = ()  # fields the API does not show on this resource
    defaults: Callable[[], Record] = dict
    finish: Finisher = _no_check
    conflict_status: int = 409


def _image_finish(store: Store, product: Record, rec: Record) -> dict[str, str]:
    if not rec.get("image_url") and not rec.get("url_zoom"):
        return {"image_url": "image_url or image_file is required"}
    if "id" in rec:
        name = slug(rec["image_url"].rsplit("/", 1)[-1].rsplit(".", 1)[0]) or "image"
        urls = image_urls(store.store_hash, product["id"], rec["id"], name)
        urls["image_url"] = rec["image_url"]
        rec.update(urls)
    rec["date_modified"] = now()
    if rec.get("is_thumbnail"):
        images = collection(store, "product_images")
        for other in images.where("product_id", product["id"]):
            if other.get("id") != rec.get("id") and other.get("is_thumbnail"):
                images.update(other["id"], {"is_thumbnail": False})
    return {}


def _pricing_finish(store: Store, product: Record, rec: Record) -> dict[str, str]:
    lo, hi = rec.get("quantity_min", 0), rec.get("quantity_max", 0)
    if hi and hi < lo:
        return {"quantity_max": "quantity_max must be 0 (no limit) or at least quantity_min"}
    top = hi or 1 << 31
    for other in collection(store, "product_bulk_pricing_rules").where("product_id", product["id"]):
        if other["id"] == rec.get("id"):
            continue
        o_top = other["quantity_max"] or 1 << 31
        if lo <= o_top and other["quantity_min"] <= top:
            return {"quantity_min": f"The range overlaps bulk pricing rule {other['id']}"}
    return {}


def _review_finish(store: Store, product: Record, rec: Record) -> dict[str, str]:
    if not 1 <= rec.get("rating", 0) <= 5:
        return {"rating": "rating must be between 1 and 5"}
    t = now()
    rec.setdefault("date_created", t)
    rec["date_modified"] = t
    return {}


CHILDREN = (
    Child(
        "images",
        "product_images",
        "image",
        {"image_url": STR, "is_thumbnail": BOOL, "sort_order": INT, "description": STR},
        defaults=lambda: {"is_thumbnail": False, "sort_order": 0, "description": ""},
        finish=_image_finish,
        conflict_status=422,
    ),
    Child(
        "custom-fields",
        "product_custom_fields",
        "custom field",
        {"name": STR, "value": STR},
        required=("name", "value"),
        lengths={"name": (1, 250), "value": (1, 250)},
        drop=("product_id",),
    ),
    Child(
        "bulk-pricing-rules",
        "product_bulk_pricing_rules",
        "bulk pricing rule",
        {
            "quantity_min": INT,
            "quantity_max": INT,
            "type": ("price", "percent", "fixed"),
            "amount": NUM,
        },
        required=("quantity_min", "quantity_max", "type", "amount"),
        drop=("product_id",),
        finish=_pricing_finish,
    ),
    Child(
        "videos",
        "product_videos",
        "video",
        {
            "title": STR,
            "description": STR,
            "sort_order": INT,
            "type": ("youtube",),
            "video_id": STR,
        },
        required=("video_id",),
        lengths={"title": (0, 255)},
        defaults=lambda: {
            "title": "",
            "description": "",
            "sort_order": 0,
            "type": "youtube",
            "length": "00:00",
        },  # fmt: skip
    ),
    Child(
        "reviews",
        "product_reviews",
        "review",
        {
            "title": STR,
            "text": STR,
            "status": ("approved", "disapproved", "pending"),
            "rating": INT,
            "email": STR,
            "name": STR,
            "date_reviewed": DATE,
        },
        required=("title", "rating", "date_reviewed"),
        lengths={"title": (0, 255), "name": (0, 255)},
        defaults=lambda: {"text": "", "status": "pending", "email": "", "name": ""},
        finish=_review_finish,
        conflict_status=422,
    ),
)


def _write(
    store: Store, child: Child, product: Record, body: Any, current: Record | None
) -> Record:
    if not isinstance(body, dict):
        raise ApiError(422, f"The {child.what} is not valid", errors={"body": "must be an object"})
    required = child.required if current is None else ()
    fields, errors = validate(body, child.kinds, required=required, lengths=child.lengths)
    if errors:
        raise ApiError(422, f"The {child.what} is not valid", errors=errors)
    c = collection(store, child.collection)
    rec: Record = {**child.defaults(), **(current or {}), **fields, "product_id": product["id"]}
    if current is None and child.collection == "product_images":
        rec["id"] = c.next_id  # the image URLs name the new id
    conflict = child.finish(store, product, rec)
    if conflict:
        raise ApiError(
            child.conflict_status, f"The {child.what} could not be saved", errors=conflict
        )
    if current is None:
        c.insert(rec, stamp=False)
    else:
        c.update(current["id"], rec, touch=False)
    return rec


def write_child(
    store: Store, child: Child, product_id: int, body: Any, current: Record | None
) -> Record:
    product = product_or_404(store, product_id)
    return _write(store, child, product, body, current)


def create_nested(store: Store, product: Record, body: dict[str, Any]) -> None:
    """Children given inline when a product is created (``images``, ``custom_fields``, ...)."""
    by_key = {
        "images": CHILDREN[0],
        "custom_fields": CHILDREN[1],
        "bulk_pricing_rules": CHILDREN[2],
        "videos": CHILDREN[3],
    }
    for key, child in by_key.items():
        items = body.get(key)
        if isinstance(items, list):
            for item in items:
                _write(store, child, product, item, None)


def _child_or_404(store: Store, child: Child, product_id: int, child_id: int) -> Record:
    rec = collection(store, child.collection).get(child_id)
    if rec is None or rec["product_id"] != product_id:
        raise ApiError(404, f"The {child.what} with id {child_id} was not found")
    return rec


def _register(child: Child) -> None:
    base = rf"/v3/catalog/products/{{product_id:\d+}}/{child.segment}"
    one = base + r"/{child_id:\d+}"

    async def list_(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        query = query_of(request)
        rows = collection(store, child.collection).where("product_id", pid)
        return v3_page(query, rows, render=renderer(query, child.drop))

    async def get_(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _child_or_404(store, child, pid, int_param(request, "child_id"))
        return data(renderer(query_of(request), child.drop)(rec))

    async def create_(request: web.Request) -> web.Response:
        store = store_of(request)
        product = product_or_404(store, int_param(request, "product_id"))
        rec = _write(store, child, product, await object_body(request), None)
        touch_product(store, product["id"])
        return data(renderer({}, child.drop)(rec))

    async def update_(request: web.Request) -> web.Response:
        store = store_of(request)
        product = product_or_404(store, int_param(request, "product_id"))
        current = _child_or_404(store, child, product["id"], int_param(request, "child_id"))
        rec = _write(store, child, product, await object_body(request), current)
        touch_product(store, product["id"])
        return data(renderer({}, child.drop)(rec))

    async def delete_(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _child_or_404(store, child, pid, int_param(request, "child_id"))
        collection(store, child.collection).delete(rec["id"])
        touch_product(store, pid)
        return no_content()

    routes.get(base, scope=SCOPE)(list_)
    routes.post(base, scope=SCOPE)(create_)
    routes.get(one, scope=SCOPE)(get_)
    routes.put(one, scope=SCOPE)(update_)
    routes.delete(one, scope=SCOPE)(delete_)


for _child in CHILDREN:
    _register(_child)
