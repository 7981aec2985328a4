"""Product variants: ``/v3/catalog/products/{product_id}/variants`` and the store-wide
``/v3/catalog/variants`` (list with ``id:in``, ``sku:in``, ``product_id:in``; batch PUT
of up to 50, answered as ``catalog_common.batch_answer`` describes).

A variant's SKU is unique across the store (products and variants), so a taken SKU is a
``409``. Every variant change bumps its product's ``date_modified`` and, for products
that track stock by variant, the product's ``inventory_level`` follows.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import apply, build_predicates, parse_int, parse_str
from bigcommerce_emulator.generator.catalog_model import (
    collection,
    refresh_variant,
    variant_defaults,
)
from bigcommerce_emulator.paging import v3_page
from bigcommerce_emulator.routes.catalog_common import (
    BOOL,
    INT,
    NUM,
    STR,
    Kind,
    array_body,
    batch_answer,
    data,
    get_or_404,
    no_content,
    object_body,
    product_or_404,
    product_path,
    renderer,
    touch_product,
    validate,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_products"
BATCH_CAP = 50

VARIANT_FIELDS: dict[str, Kind] = {
    **dict.fromkeys(
        ("cost_price", "price", "sale_price", "retail_price", "map_price", "weight", "width",
         "height", "depth", "fixed_cost_shipping_price"),
        NUM,
    ),
    **dict.fromkeys(("is_free_shipping", "purchasing_disabled"), BOOL),
    **dict.fromkeys(
        ("purchasing_disabled_message", "upc", "bin_picking_number", "image_url", "mpn", "gtin",
         "sku"),
        STR,
    ),
    **dict.fromkeys(("inventory_level", "inventory_warning_level"), INT),
}  # fmt: skip
NULLABLE = tuple(k for k, v in VARIANT_FIELDS.items() if v == NUM) + (
    "upc",
    "bin_picking_number",
    "inventory_level",
    "inventory_warning_level",
)
LENGTHS = {
    "sku": (0, 255),
    "upc": (0, 14),
    "gtin": (0, 14),
    "purchasing_disabled_message": (0, 255),
}


def sku_owner(store: Store, sku: str) -> set[int]:
    """Ids of the products whose own or variant SKU is ``sku``."""
    owners = {p["id"] for p in collection(store, "products").where("sku", sku)}
    owners |= {v["product_id"] for v in collection(store, "product_variants").where("sku", sku)}
    return owners


def check_new_variants(
    store: Store, bodies: list[Any], product_sku: str | None
) -> tuple[int, dict[str, str]]:
    """Errors for the ``variants`` of a product being created, keyed ``variants.<i>.<field>``."""
    seen: set[str] = set()
    for i, body in enumerate(bodies):
        if not isinstance(body, dict):
            return 422, {f"variants.{i}": "must be an object"}
        fields, errors = validate(body, VARIANT_FIELDS, required=("sku",), lengths=LENGTHS)
        if errors:
            return 422, {f"variants.{i}.{k}": v for k, v in errors.items()}
        sku = fields["sku"]
        if not sku:
            return 422, {f"variants.{i}.sku": "sku is required"}
        if sku in seen or sku_owner(store, sku) or (sku == product_sku and len(bodies) > 1):
            return 409, {f"variants.{i}.sku": f"The SKU '{sku}' is already in use"}
        seen.add(sku)
    return 200, {}


def _option_values(store: Store, product: Record, raw: Any) -> tuple[list[Record], str | None]:
    """Resolve a body's ``option_values``: by ``id``/``option_id``, or by display name and
    label (creating the option and value, as product creation with variants does)."""
    if raw is None:
        return [], None
    if not isinstance(raw, list):
        return [], "option_values must be an array"
    options = collection(store, "product_options")
    out = []
    for ov in raw:
        if not isinstance(ov, dict):
            return [], "option_values items must be objects"
        if "id" in ov and "option_id" in ov:
            opt = options.get(ov["option_id"]) if isinstance(ov["option_id"], int) else None
            if opt is None or opt["product_id"] != product["id"]:
                return [], f"option {ov['option_id']} does not belong to this product"
            val = next((v for v in opt["option_values"] if v["id"] == ov["id"]), None)
            if val is None:
                return [], f"option value {ov['id']} does not belong to option {opt['id']}"
        elif ov.get("option_display_name") and ov.get("label"):
            opt, val = _ensure_option(store, product, ov["option_display_name"], ov["label"])
        else:
            return [], "option_values items need id and option_id, or option_display_name and label"
        out.append(
            {
                "id": val["id"],
                "label": val["label"],
                "option_id": opt["id"],
                "option_display_name": opt["display_name"],
            }
        )
    return out, None


def _ensure_option(
    store: Store, product: Record, display: str, label: str
) -> tuple[Record, Record]:
    from bigcommerce_emulator.generator.catalog_products import next_value_id

    options = collection(store, "product_options")
    opt = next(
        (o for o in options.where("product_id", product["id"]) if o["display_name"] == display),
        None,
    )
    if opt is None:
        opt = options.insert(
            {
                "product_id": product["id"],
                "display_name": display,
                "type": "rectangles",
                "sort_order": 0,
                "config": {},
                "option_values": [],
            },
            stamp=False,
        )
        opt["name"] = f"{display}{opt['id']}"
    val = next((v for v in opt["option_values"] if v["label"] == label), None)
    if val is None:
        val = {
            "id": next_value_id(store),
            "label": label,
            "sort_order": len(opt["option_values"]),
            "value_data": None,
            "is_default": False,
        }
        opt["option_values"].append(val)
    return opt, val


def create_variant_for(
    store: Store, product: Record, body: dict[str, Any], *, bump: bool = True
) -> Record:
    fields, errors = validate(body, VARIANT_FIELDS, lengths=LENGTHS, nullable=NULLABLE)
    if errors:
        raise ApiError(422, "The variant is not valid", errors=errors)
    values, err = _option_values(store, product, body.get("option_values"))
    if err:
        raise ApiError(422, "The variant is not valid", errors={"option_values": err})
    v = variant_defaults()
    v.update(fields)
    v["product_id"] = product["id"]
    v["option_values"] = values
    variants = collection(store, "product_variants")
    v = variants.insert(v, stamp=False)
    v["sku_id"] = v["id"] + 1000
    refresh_variant(v, product)
    if bump:
        touch_product(store, product["id"])
    return v


def check_update(
    store: Store, variant: Record, body: dict[str, Any], seen: set[str]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    fields, errors = validate(body, VARIANT_FIELDS, lengths=LENGTHS, nullable=NULLABLE)
    if errors:
        return 422, fields, errors
    sku = fields.get("sku")
    if "sku" in fields and not sku:
        return 422, fields, {"sku": "sku must not be empty"}
    if sku and (
        (sku_owner(store, sku) - {variant["product_id"]})
        or sku in seen
        or _sibling(store, variant, sku)
    ):
        return 409, fields, {"sku": f"The SKU '{sku}' is already in use"}
    level = fields.get("inventory_level")
    if level is not None and level < 0:
        return 422, fields, {"inventory_level": "stock cannot be negative"}
    return 200, fields, {}


def _sibling(store: Store, variant: Record, sku: str) -> bool:
    return any(
        v["id"] != variant["id"] and v["sku"] == sku
        for v in collection(store, "product_variants").where("product_id", variant["product_id"])
    )


def update_variant(store: Store, variant_id: int, fields: dict[str, Any]) -> Record:
    variants = collection(store, "product_variants")
    v = variants.update(variant_id, fields, touch=False)
    product = collection(store, "products").get(v["product_id"])
    if product is not None:
        refresh_variant(v, product)
        if product.get("base_variant_id") == v["id"] and not v["option_values"] and "sku" in fields:
            collection(store, "products").update(product["id"], {"sku": fields["sku"]})
    touch_product(store, v["product_id"])
    return v


def _variant_of(store: Store, product_id: int, variant_id: int) -> Record:
    v = get_or_404(collection(store, "product_variants"), variant_id, "variant")
    if v["product_id"] != product_id:
        raise ApiError(404, f"The variant with id {variant_id} was not found")
    return v


P = r"/v3/catalog/products/{product_id:\d+}/variants"


@routes.get(P, scope=SCOPE)
async def list_for_product(request: web.Request) -> web.Response:
    store, pid = product_path(request)
    query = query_of(request)
    rows = collection(store, "product_variants").where("product_id", pid)
    return v3_page(query, rows, render=renderer(query))


@routes.post(P, scope=SCOPE)
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    product = product_or_404(store, int_param(request, "product_id"))
    body = await object_body(request)
    status, errors = check_new_variants(store, [body], None)
    if errors:
        raise ApiError(
            status,
            "The variant could not be created",
            errors={k.split(".", 2)[-1]: v for k, v in errors.items()},
        )
    v = create_variant_for(store, product, body)
    return data(renderer({})(v))


@routes.get(P + r"/{variant_id:\d+}", scope=SCOPE)
async def get_one(request: web.Request) -> web.Response:
    store = store_of(request)
    product_or_404(store, int_param(request, "product_id"))
    v = _variant_of(store, int_param(request, "product_id"), int_param(request, "variant_id"))
    return data(renderer(query_of(request))(v))


@routes.put(P + r"/{variant_id:\d+}", scope=SCOPE)
async def update_one(request: web.Request) -> web.Response:
    store = store_of(request)
    product_or_404(store, int_param(request, "product_id"))
    v = _variant_of(store, int_param(request, "product_id"), int_param(request, "variant_id"))
    body = await object_body(request)
    status, fields, errors = check_update(store, v, body, set())
    if errors:
        raise ApiError(status, "The variant could not be updated", errors=errors)
    return data(renderer({})(update_variant(store, v["id"], fields)))


@routes.delete(P + r"/{variant_id:\d+}", scope=SCOPE)
async def delete_one(request: web.Request) -> web.Response:
    store = store_of(request)
    pid = int_param(request, "product_id")
    variants = collection(store, "product_variants")
    v = variants.get(int_param(request, "variant_id"))
    if v is not None and v["product_id"] == pid:
        variants.delete(v["id"])
        touch_product(store, pid)
    return no_content()


@routes.get("/v3/catalog/variants", scope=SCOPE)
async def list_all(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    variants = collection(store, "product_variants")
    base: list[Record]
    if "id:in" in query:
        ids = sorted({parse_int(p) for p in query["id:in"].split(",") if p.strip()})
        base = [r for i in ids if (r := variants.get(i)) is not None]
    elif "sku:in" in query:
        found = {
            r["id"]: r for s in query["sku:in"].split(",") if s for r in variants.where("sku", s)
        }
        base = [found[i] for i in sorted(found)]
    elif "product_id:in" in query:
        pids = sorted({parse_int(p) for p in query["product_id:in"].split(",") if p.strip()})
        found = {r["id"]: r for pid in pids for r in variants.where("product_id", pid)}
        base = [found[i] for i in sorted(found)]
    else:
        base = list(variants.items.values())
    preds = build_predicates(
        query, {"id": parse_int, "sku": parse_str, "upc": parse_str, "product_id": parse_int}
    )
    return v3_page(query, apply(base, preds), render=renderer(query))


@routes.put("/v3/catalog/variants", scope=SCOPE)
async def update_batch(request: web.Request) -> web.Response:
    """Items with an ``id`` update that variant; items without one but with ``product_id``,
    ``sku`` and ``option_values`` create a variant, as documented."""
    store = store_of(request)
    items = await array_body(request, BATCH_CAP, "variant")
    variants = collection(store, "product_variants")
    seen: set[str] = set()
    ok: list[tuple[int, int | None, dict[str, Any]]] = []
    failures: list[tuple[int, int, dict[str, str]]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            failures.append((i, 422, {"body": "must be an object"}))
            continue
        vid = item.get("id")
        if vid is None and "product_id" in item:
            status, errors = _check_batch_create(store, item, seen)
            if errors:
                failures.append((i, status, errors))
            else:
                seen.add(item["sku"])
                ok.append((i, None, item))
            continue
        if not isinstance(vid, int) or isinstance(vid, bool):
            failures.append((i, 422, {"id": "id is required to update a variant"}))
            continue
        v = variants.get(vid)
        if v is None:
            failures.append((i, 404, {"id": f"The variant with id {vid} was not found"}))
            continue
        status, fields, errors = check_update(store, v, item, seen)
        if errors:
            failures.append((i, status, errors))
            continue
        if fields.get("sku"):
            seen.add(fields["sku"])
        ok.append((i, vid, fields))
    render = renderer({})
    written = []
    for i, vid, fields in ok:
        if vid is not None:
            written.append(render(update_variant(store, vid, fields)))
            continue
        product = collection(store, "products").get(fields["product_id"])
        try:
            written.append(render(create_variant_for(store, product, fields)))
        except ApiError as err:
            failures.append((i, err.status, err.errors))
    return batch_answer(written, sorted(failures), "variants")


def _check_batch_create(
    store: Store, item: dict[str, Any], seen: set[str]
) -> tuple[int, dict[str, str]]:
    pid = item.get("product_id")
    if not isinstance(pid, int) or collection(store, "products").get(pid) is None:
        return 404, {"product_id": f"The product with id {pid} was not found"}
    if not item.get("option_values"):
        return 422, {"option_values": "option_values are required to create a variant"}
    status, errors = check_new_variants(store, [item], None)
    if not errors and item["sku"] in seen:
        return 409, {"sku": f"The SKU '{item['sku']}' is already in use"}
    return status, {k.split(".", 2)[-1]: v for k, v in errors.items()}
