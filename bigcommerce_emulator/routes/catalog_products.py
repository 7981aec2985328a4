"""``/v3/catalog/products``: list, read, create, update (single and batch of 10), delete,
and ``/v3/catalog/summary``.

Write rules, as the API documents them: a duplicate name or SKU, or a category or brand
that does not exist, is a ``409``; a missing or malformed field a ``422`` naming it. A
negative ``inventory_level`` is the documented ``207`` case: the product is saved but
its stock is not. Batch answers follow ``catalog_common.batch_answer``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import V3_ERROR_TYPE, ApiError
from bigcommerce_emulator.generator.catalog_model import (
    calculated_price,
    collection,
    name_key,
    product_defaults,
    slug,
)
from bigcommerce_emulator.paging import json_response, v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.catalog_common import (
    BOOL,
    DATE,
    INT,
    INTS,
    NUM,
    OBJ,
    STR,
    STRS,
    Kind,
    array_body,
    batch_answer,
    data,
    no_content,
    object_body,
    product_or_404,
    product_path,
    refresh_variants,
    validate,
)
from bigcommerce_emulator.routes.catalog_product_view import (
    FIELDS,
    SMALL_PAGE_INCLUDES,
    includes_of,
    list_products,
    render_product,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_products"
BATCH_CAP = 10

PRODUCT_FIELDS: dict[str, Kind] = {
    **dict.fromkeys(
        (
            "name", "sku", "description", "product_tax_code", "warranty", "bin_picking_number",
            "layout_file", "upc", "mpn", "gtin", "search_keywords", "availability_description",
            "preorder_message", "price_hidden_label", "page_title", "meta_description",
            "open_graph_title", "open_graph_description",
        ),
        STR,
    ),
    **dict.fromkeys(
        (
            "weight", "width", "depth", "height", "price", "cost_price", "retail_price",
            "sale_price", "map_price", "fixed_cost_shipping_price",
        ),
        NUM,
    ),
    **dict.fromkeys(
        (
            "tax_class_id", "brand_id", "inventory_level", "inventory_warning_level",
            "sort_order", "order_quantity_minimum", "order_quantity_maximum", "view_count",
            "total_sold",
        ),
        INT,
    ),
    **dict.fromkeys(
        (
            "is_free_shipping", "is_visible", "is_featured", "is_condition_shown",
            "is_preorder_only", "is_price_hidden", "open_graph_use_meta_description",
            "open_graph_use_product_name", "open_graph_use_image",
        ),
        BOOL,
    ),
    **dict.fromkeys(("categories", "related_products", "gift_wrapping_options_list"), INTS),
    "meta_keywords": STRS,
    "preorder_release_date": DATE,
    "custom_url": OBJ,
    "type": ("physical", "digital"),
    "inventory_tracking": ("none", "product", "variant"),
    "availability": ("available", "disabled", "preorder"),
    "condition": ("New", "Used", "Refurbished"),
    "gift_wrapping_options_type": ("any", "none", "list"),
    "open_graph_type": (
        "product", "album", "book", "drink", "food", "game", "movie", "song", "tv_show",
    ),
}  # fmt: skip
LENGTHS = {"name": (1, 250), "sku": (0, 255), "upc": (0, 14), "gtin": (0, 14)}
CREATE_REQUIRED = ("name", "type", "weight", "price")


def _conflicts(
    store: Store, fields: dict[str, Any], product_id: int | None, batch_seen: dict[str, set[str]]
) -> dict[str, str]:
    """409 reasons: name or SKU taken (by another product, a variant, or earlier in the batch),
    a category or brand that does not exist."""
    errors: dict[str, str] = {}
    products = collection(store, "products")
    name = fields.get("name")
    if name is not None:
        key = name_key(name)
        # The exact-name index also sees renames made through the control API.
        owners = {p["id"] for p in products.where("name", name)}
        owners |= {p["id"] for p in products.where("_name_key", key) if name_key(p["name"]) == key}
        if (owners - {product_id}) or key in batch_seen["name"]:
            errors["name"] = f"The product name '{name}' is a duplicate"
    sku = fields.get("sku")
    if sku:
        owners = {p["id"] for p in products.where("sku", sku)}
        owners |= {v["product_id"] for v in collection(store, "product_variants").where("sku", sku)}
        if (owners - {product_id}) or sku in batch_seen["sku"]:
            errors["sku"] = f"The SKU '{sku}' is already in use"
    cats = fields.get("categories")
    if cats:
        known = collection(store, "categories")
        missing = [c for c in cats if known.get(c) is None]
        if missing:
            errors["categories"] = f"Categories not found: {', '.join(map(str, missing))}"
    brand = fields.get("brand_id")
    if brand and collection(store, "brands").get(brand) is None:
        errors["brand_id"] = f"The brand with id {brand} was not found"
    return errors


def _derive(product: Record) -> None:
    product["_name_key"] = name_key(product["name"])
    product["calculated_price"] = calculated_price(product.get("price"), product.get("sale_price"))
    if not product.get("custom_url") or product["custom_url"].get("url") in (None, "", "/"):
        product["custom_url"] = {"url": f"/{slug(product['name'])}/", "is_customized": False}


def _split_inventory(fields: dict[str, Any]) -> dict[str, str]:
    """The documented 207: a negative stock level is not saved; everything else is."""
    level = fields.get("inventory_level")
    if level is not None and level < 0:
        del fields["inventory_level"]
        return {"inventory_level": "Inventory data failed to update: stock cannot be negative"}
    return {}


def _check_product(
    store: Store, body: Any, product_id: int | None, seen: dict[str, set[str]]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(status, fields, errors) for one create (product_id None) or update body."""
    if not isinstance(body, dict):
        return 422, {}, {"body": "must be an object"}
    required = CREATE_REQUIRED if product_id is None else ()
    fields, errors = validate(
        body,
        PRODUCT_FIELDS,
        required=required,
        lengths=LENGTHS,
        nullable=("preorder_release_date",),
    )
    if errors:
        return 422, fields, errors
    conflicts = _conflicts(store, fields, product_id, seen)
    if conflicts:
        return 409, fields, conflicts
    if product_id is None and isinstance(body.get("variants"), list):
        from bigcommerce_emulator.routes.catalog_variants import check_new_variants

        status, errors = check_new_variants(store, body["variants"], fields.get("sku"))
        if errors:
            return status, fields, errors
    return 200, fields, {}


def _write_update(store: Store, product_id: int, fields: dict[str, Any]) -> Record:
    products = collection(store, "products")
    if "name" in fields:
        fields["_name_key"] = name_key(fields["name"])
    product = products.update(product_id, fields)
    _derive(product)
    refresh_variants(store, product)
    _sync_base_variant(store, product, fields)
    return product


def _sync_base_variant(store: Store, product: Record, fields: dict[str, Any]) -> None:
    """A product without options keeps its SKU and stock on its base variant."""
    variants = collection(store, "product_variants")
    base = variants.get(product.get("base_variant_id") or 0)
    if base is None or base.get("option_values"):
        return
    changes = {k: fields[k] for k in ("sku", "inventory_level") if k in fields}
    if changes:
        variants.update(base["id"], changes)


def _multi_status(out: Any, errors: dict[str, str]) -> web.Response:
    body = {
        "data": out,
        "errors": {
            "status": 422,
            "title": "Product saved but inventory failed to update",
            "type": V3_ERROR_TYPE,
            "errors": errors,
        },
        "meta": {},
    }
    return json_response(body, 207)


@routes.get("/v3/catalog/products", scope=SCOPE)
async def list_all(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    includes = includes_of(query)
    max_limit = 10 if SMALL_PAGE_INCLUDES.intersection(includes) else 250
    rows = list_products(store, query)
    shape = (
        "v3/products",
        tuple(includes),
        query.get("include_fields"),
        query.get("exclude_fields"),
    )
    return v3_page(
        query,
        rows,
        render=store.renders.renderer(shape, lambda p: render_product(store, p, includes, query)),
        max_limit=max_limit,
        default_limit=min(50, max_limit),
    )


@routes.get(r"/v3/catalog/products/{product_id:\d+}", scope=SCOPE)
async def get_one(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    product = product_or_404(store, int_param(request, "product_id"))
    return data(render_product(store, product, includes_of(query), query))


@routes.post("/v3/catalog/products", scope=SCOPE)
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await object_body(request)
    status, fields, errors = _check_product(store, body, None, {"name": set(), "sku": set()})
    if errors:
        raise ApiError(status, "The product could not be created", errors=errors)
    inventory_errors = _split_inventory(fields)
    product = create_product(store, fields, body)
    out = render_product(store, product, ["variants", "images", "custom_fields"], {})
    for key in ("images", "custom_fields", "variants"):
        out[key] = out.get(key, [])
    out["bulk_pricing_rules"] = [
        {k: v for k, v in render_v3(r).items() if k != "product_id"}
        for r in collection(store, "product_bulk_pricing_rules").where("product_id", product["id"])
    ]
    return _multi_status(out, inventory_errors) if inventory_errors else data(out)


def create_product(store: Store, fields: dict[str, Any], body: dict[str, Any]) -> Record:
    """Insert a product with its base variant and any children named in the body."""
    from bigcommerce_emulator.routes.catalog_children import create_nested
    from bigcommerce_emulator.routes.catalog_variants import create_variant_for

    products = collection(store, "products")
    product = product_defaults()
    product.update(fields)
    product.setdefault("inventory_tracking", "none")
    _derive(product)
    products.insert(product)
    t = product["date_modified"]
    raw_variants = body.get("variants")
    variants_body: list[Any] = raw_variants if isinstance(raw_variants, list) else []
    if not variants_body:
        base = create_variant_for(store, product, {"sku": product["sku"]}, bump=False)
        base_level = product.get("inventory_level", 0)
        collection(store, "product_variants").update(base["id"], {"inventory_level": base_level})
        product["base_variant_id"] = base["id"]
    for vb in variants_body:
        if isinstance(vb, dict):
            v = create_variant_for(store, product, vb, bump=False)
            product["base_variant_id"] = product.get("base_variant_id") or v["id"]
    create_nested(store, product, body)
    product["date_modified"] = t
    return product


@routes.put(r"/v3/catalog/products/{product_id:\d+}", scope=SCOPE)
async def update_one(request: web.Request) -> web.Response:
    store, pid = product_path(request)
    body = await object_body(request)
    status, fields, errors = _check_product(store, body, pid, {"name": set(), "sku": set()})
    if errors:
        raise ApiError(status, "The product could not be updated", errors=errors)
    nested = _nested_updates(store, pid, body)
    inventory_errors = _split_inventory(fields)
    product = _write_update(store, pid, fields)
    for apply_change in nested:
        apply_change()
    includes: list[str] = [k for k in ("variants", "custom_fields") if k in body]
    out = render_product(store, product, includes, query_of(request))
    return _multi_status(out, inventory_errors) if inventory_errors else data(out)


def _nested_updates(store: Store, pid: int, body: dict[str, Any]) -> list[Callable[[], Any]]:
    """Checks the ``variants`` (by id) and ``custom_fields`` (by id, or new) a product update
    carries, and returns the changes to apply once everything is known to be valid."""
    from bigcommerce_emulator.routes.catalog_children import CHILDREN, write_child
    from bigcommerce_emulator.routes.catalog_variants import check_update, update_variant

    changes: list[Callable[[], Any]] = []
    variants = collection(store, "product_variants")
    seen: set[str] = set()
    for i, vb in enumerate(body.get("variants") or []):
        v = variants.get(vb.get("id")) if isinstance(vb, dict) else None
        if v is None or v["product_id"] != pid:
            raise ApiError(
                422,
                "The product could not be updated",
                errors={f"variants.{i}.id": "unknown variant"},
            )
        status, vfields, errs = check_update(store, v, vb, seen)
        if errs:
            raise ApiError(
                status,
                "The product could not be updated",
                errors={f"variants.{i}.{k}": m for k, m in errs.items()},
            )
        seen.add(vfields.get("sku") or "")
        changes.append(partial(update_variant, store, v["id"], vfields))
    fields_child = CHILDREN[1]
    current = {
        c["id"]: c for c in collection(store, "product_custom_fields").where("product_id", pid)
    }
    for i, cf in enumerate(body.get("custom_fields") or []):
        if not isinstance(cf, dict) or ("id" in cf and cf["id"] not in current):
            raise ApiError(
                422,
                "The product could not be updated",
                errors={f"custom_fields.{i}.id": "unknown custom field"},
            )
        if not cf.get("name") or not cf.get("value"):
            raise ApiError(
                422,
                "The product could not be updated",
                errors={f"custom_fields.{i}": "name and value are required"},
            )
        changes.append(
            partial(write_child, store, fields_child, pid, cf, current.get(cf.get("id")))
        )
    return changes


@routes.put("/v3/catalog/products", scope=SCOPE)
async def update_batch(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    items = await array_body(request, BATCH_CAP, "product")
    products = collection(store, "products")
    seen: dict[str, set[str]] = {"name": set(), "sku": set()}
    checked: list[tuple[int, int, dict[str, Any]]] = []
    failures: list[tuple[int, int, dict[str, str]]] = []
    for i, item in enumerate(items):
        pid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(pid, int) or isinstance(pid, bool):
            failures.append((i, 422, {"id": "id is required for a batch update"}))
            continue
        if products.get(pid) is None:
            failures.append((i, 404, {"id": f"The product with id {pid} was not found"}))
            continue
        status, fields, errors = _check_product(store, item, pid, seen)
        if errors:
            failures.append((i, status, errors))
            continue
        if "name" in fields:
            seen["name"].add(name_key(fields["name"]))
        if fields.get("sku"):
            seen["sku"].add(fields["sku"])
        checked.append((i, pid, fields))
    written = []
    for i, pid, fields in checked:
        inv = _split_inventory(fields)
        if inv:
            failures.append((i, 422, inv))
        product = _write_update(store, pid, fields)
        written.append(render_product(store, product, [], query))
    return batch_answer(written, sorted(failures), "products")


def delete_product(store: Store, product_id: int) -> None:
    if collection(store, "products").delete(product_id) is None:
        return
    for name in (
        "product_variants",
        "product_images",
        "product_custom_fields",
        "product_options",
        "product_modifiers",
        "product_bulk_pricing_rules",
        "product_videos",
        "product_reviews",
    ):
        collection(store, name).delete_where("product_id", product_id)


@routes.delete(r"/v3/catalog/products/{product_id:\d+}", scope=SCOPE)
async def delete_one(request: web.Request) -> web.Response:
    # Deleting a product that is already gone answers 204 too, as documented.
    delete_product(store_of(request), int_param(request, "product_id"))
    return no_content()


@routes.delete("/v3/catalog/products", scope=SCOPE)
async def delete_many(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    filters = {*FIELDS, "categories", "keyword", "channel_id"}
    if not any(k.split(":")[0] in filters for k in query):
        raise ApiError(
            422, "A filter is required to delete products", errors={"id:in": "missing filter"}
        )
    rows = list_products(store, query)
    request["items"] = len(rows)
    for p in rows:
        delete_product(store, p["id"])
    return no_content()


@routes.get("/v3/catalog/summary", scope=SCOPE)
async def summary(request: web.Request) -> web.Response:
    store = store_of(request)
    variants = list(collection(store, "product_variants"))
    products = collection(store, "products")
    prices = [Decimal(v.get("calculated_price") or 0) for v in variants]
    inventory = sum(int(v.get("inventory_level") or 0) for v in variants)
    value = sum(
        (Decimal(v.get("inventory_level") or 0) * Decimal(v.get("calculated_price") or 0))
        for v in variants
    )
    counts: dict[int, int] = {}
    for p in products:
        for c in p.get("categories", []):
            counts[c] = counts.get(c, 0) + 1
    top = max(counts, key=lambda c: (counts[c], -c)) if counts else 0
    category = collection(store, "categories").get(top) if top else None
    created = [p["date_created"] for p in products if p.get("date_created")]
    out: dict[str, Any] = {
        "inventory_count": inventory,
        "inventory_value": float(value),
        "primary_category_id": top,
        "primary_category_name": category["name"] if category else "",
        "variant_count": len(variants),
        "highest_variant_price": float(max(prices)) if prices else 0.0,
        "average_variant_price": float(sum(prices) / len(prices)) if prices else 0.0,
        # The spec types these three as strings, and the API writes them so.
        "lowest_variant_price": f"{min(prices):.4f}" if prices else "0.0000",
        "oldest_variant_date": render_v3(min(created)) if created else "",
        "newest_variant_date": render_v3(max(created)) if created else "",
    }
    return data(out)


def _mount_sub_resources() -> None:
    # The product sub-resources live in their own modules; this table serves them all.
    from bigcommerce_emulator.routes import catalog_children, catalog_options, catalog_variants

    for table in (catalog_variants.routes, catalog_children.routes, catalog_options.routes):
        routes.specs.extend(table.specs)


_mount_sub_resources()
