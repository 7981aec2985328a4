"""Categories, category trees and brands.

``/v3/catalog/categories`` (list with filters, CRUD, delete by filter), the tree view
``/v3/catalog/trees`` with ``/v3/catalog/trees/{tree_id}/categories`` (nested, ``depth``)
and ``/v3/catalog/trees/categories`` (batch create, update, delete), and
``/v3/catalog/brands``. A category name already used under the same parent, or a brand
name already used, is a ``409``. Deleting a category removes it from its products;
deleting a brand leaves its products without a brand (``brand_id`` 0).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import V3_ERROR_TYPE, ApiError
from bigcommerce_emulator.filters import (
    apply,
    build_predicates,
    parse_bool,
    parse_int,
    parse_str,
    sort_records,
)
from bigcommerce_emulator.generator.catalog import brand_record, category_record
from bigcommerce_emulator.generator.catalog_model import category_uuid, collection, slug
from bigcommerce_emulator.paging import json_response, v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.catalog_common import (
    BOOL,
    INT,
    INTS,
    OBJ,
    STR,
    STRS,
    Kind,
    array_body,
    data,
    get_or_404,
    no_content,
    object_body,
    renderer,
    select_fields,
    validate,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_products"
# Concurrency caps are the ones the OpenAPI files state, one group per operation.
TREES_CAP = 50

SORT_ORDERS = ("use_store_settings", "featured", "newest", "best_selling", "alpha_asc",
               "alpha_desc", "avg_customer_review", "price_asc", "price_desc")  # fmt: skip
CATEGORY_FIELDS: dict[str, Kind] = {
    **dict.fromkeys(
        ("name", "description", "page_title", "meta_description", "layout_file", "image_url",
         "search_keywords"),
        STR,
    ),
    **dict.fromkeys(("parent_id", "views", "sort_order"), INT),
    "is_visible": BOOL,
    "meta_keywords": STRS,
    "default_product_sort": SORT_ORDERS,
    "custom_url": OBJ,
}  # fmt: skip
BRAND_FIELDS: dict[str, Kind] = {
    **dict.fromkeys(
        ("name", "page_title", "meta_description", "search_keywords", "image_url"), STR
    ),
    "meta_keywords": STRS,
    "custom_url": OBJ,
}
CATEGORY_FILTERS = {
    "id": parse_int,
    "name": parse_str,
    "parent_id": parse_int,
    "page_title": parse_str,
    "is_visible": parse_bool,
}


# Categories ---------------------------------------------------------------------------


def _keyword(query: Mapping[str, str]) -> list[Any]:
    kw = query.get("keyword", "").strip().lower()
    if not kw:
        return []
    return [
        lambda r: any(
            kw in str(r.get(f, "")).lower() for f in ("name", "description", "search_keywords")
        )
    ]


def _categories(store: Store, query: Mapping[str, str]) -> list[Record]:
    cats = collection(store, "categories")
    preds = build_predicates(query, CATEGORY_FILTERS) + _keyword(query)
    if "tree_id" in query:
        tree = parse_int(query["tree_id"])
        preds.append(lambda r: r.get("_tree_id", 1) == tree)
    rows = apply(cats.items.values(), preds)
    sort = query.get("sort")
    if sort and sort != "id":
        rows = sort_records(rows, sort, query.get("direction"), ("name", "parent_id", "sort_order"))
    elif (query.get("direction") or "").lower() == "desc":
        rows.reverse()
    return rows


def _name_taken(store: Store, name: str, parent_id: int, tree_id: int, own: int | None) -> bool:
    key = name.strip().lower()
    return any(
        c["name"].strip().lower() == key and c["id"] != own and c.get("_tree_id", 1) == tree_id
        for c in collection(store, "categories").where("parent_id", parent_id)
    )


def _check_category(
    store: Store, body: Any, current: Record | None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    if not isinstance(body, dict):
        return 422, {}, {"body": "must be an object"}
    required = ("name", "parent_id") if current is None else ()
    fields, errors = validate(body, CATEGORY_FIELDS, required=required, lengths={"name": (1, 50)})
    if errors:
        return 422, fields, errors
    parent = int(fields.get("parent_id") or (current["parent_id"] if current else 0))
    if parent and collection(store, "categories").get(parent) is None:
        return 422, fields, {"parent_id": f"The parent category {parent} does not exist"}
    if current is not None and parent == current["id"]:
        return 422, fields, {"parent_id": "A category cannot be its own parent"}
    tree = int(body.get("tree_id") or (current.get("_tree_id", 1) if current else 1))
    name = str(fields.get("name", current["name"] if current else ""))
    if _name_taken(store, name, parent, tree, current["id"] if current else None):
        return 409, fields, {"name": f"A category named '{name}' already exists under this parent"}
    fields["_tree_id"] = tree
    return 200, fields, {}


def _create_category(store: Store, fields: dict[str, Any]) -> Record:
    cats = collection(store, "categories")
    parent = cats.get(fields.get("parent_id", 0))
    base_url = parent["custom_url"]["url"] if parent else "/"
    rec = category_record(cats.next_id, 0, fields["name"], "", 0, random.Random(0))  # noqa: S311
    rec.update(views=0, is_visible=True, description="")
    rec.update(fields)
    if not rec["custom_url"].get("url"):
        rec["custom_url"] = {"url": f"{base_url}{slug(rec['name'])}/", "is_customized": False}
    return cats.insert(rec, stamp=False)


def _delete_category(store: Store, category_id: int) -> None:
    cats = collection(store, "categories")
    if cats.delete(category_id) is None:
        return
    for child in cats.where("parent_id", category_id):
        _delete_category(store, child["id"])
    products = collection(store, "products")
    for p in list(products):
        if category_id in p.get("categories", ()):
            products.update(
                p["id"], {"categories": [c for c in p["categories"] if c != category_id]}
            )


@routes.get("/v3/catalog/categories", scope=SCOPE, cap=("categories_get_all", 40))
async def list_categories(request: web.Request) -> web.Response:
    query = query_of(request)
    return v3_page(query, _categories(store_of(request), query), render=renderer(query))


@routes.get(
    r"/v3/catalog/categories/{category_id:\d+}", scope=SCOPE, cap=("categories_get_one", 40)
)
async def get_category(request: web.Request) -> web.Response:
    cat = get_or_404(col_of(request, "categories"), int_param(request, "category_id"), "category")
    return data(renderer(query_of(request))(cat))


def col_of(request: web.Request, name: str) -> Any:
    return collection(store_of(request), name)


@routes.post("/v3/catalog/categories", scope=SCOPE)
async def create_category(request: web.Request) -> web.Response:
    store = store_of(request)
    status, fields, errors = _check_category(store, await object_body(request), None)
    if errors:
        raise ApiError(status, "The category could not be created", errors=errors)
    return data(render_v3(_create_category(store, fields)))


@routes.put(r"/v3/catalog/categories/{category_id:\d+}", scope=SCOPE, cap=("categories_update", 40))
async def update_category(request: web.Request) -> web.Response:
    store = store_of(request)
    cats = collection(store, "categories")
    cat = get_or_404(cats, int_param(request, "category_id"), "category")
    status, fields, errors = _check_category(store, await object_body(request), cat)
    if errors:
        raise ApiError(status, "The category could not be updated", errors=errors)
    return data(render_v3(cats.update(cat["id"], fields)))


@routes.delete(
    r"/v3/catalog/categories/{category_id:\d+}", scope=SCOPE, cap=("categories_delete", 40)
)
async def delete_category(request: web.Request) -> web.Response:
    _delete_category(store_of(request), int_param(request, "category_id"))
    return no_content()


@routes.delete("/v3/catalog/categories", scope=SCOPE)
async def delete_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    if not any(k.split(":")[0] in (*CATEGORY_FILTERS, "keyword") for k in query):
        raise ApiError(
            422, "A filter is required to delete categories", errors={"id:in": "missing"}
        )
    rows = _categories(store, query)
    request["items"] = len(rows)
    for c in rows:
        _delete_category(store, c["id"])
    return no_content()


# Trees --------------------------------------------------------------------------------


def _tree_view(store: Store, cat: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(cat)
    out.pop("id", None)
    custom = out.pop("custom_url", {}) or {}
    out = {
        "category_id": cat["id"],
        "category_uuid": category_uuid(store.store_hash, cat["id"]),
        "tree_id": cat.get("_tree_id", 1),
        **out,
        "url": {
            "path": custom.get("url", "/"),
            "is_customized": custom.get("is_customized", False),
        },
    }
    return out


@routes.get("/v3/catalog/trees", scope=SCOPE)
async def list_trees(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    rows = list(collection(store, "category_trees"))
    if "id:in" in query:
        ids = {parse_int(p) for p in query["id:in"].split(",") if p.strip()}
        rows = [t for t in rows if t["id"] in ids]
    if "channel_id:in" in query:
        chans = {parse_int(p) for p in query["channel_id:in"].split(",") if p.strip()}
        rows = [t for t in rows if chans.intersection(t.get("channels", ()))]
    return v3_page(query, rows)


@routes.put("/v3/catalog/trees", scope=SCOPE)
async def upsert_trees(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await array_body(request, TREES_CAP, "tree")
    trees = collection(store, "category_trees")
    checked = []
    for i, item in enumerate(items):
        fields, errors = validate(
            item if isinstance(item, dict) else {},
            {"id": INT, "name": STR, "channels": INTS},
            required=() if isinstance(item, dict) and "id" in item else ("name",),
            lengths={"name": (1, 255)},
        )
        if not isinstance(item, dict):
            errors = {"body": "must be an object"}
        if "id" in fields and trees.get(fields["id"]) is None:
            errors["id"] = f"The tree with id {fields['id']} was not found"
        if errors:
            raise ApiError(
                422,
                "The trees could not be saved",
                errors={f"{i}.{k}": v for k, v in errors.items()},
            )
        checked.append(fields)
    out = []
    for fields in checked:
        if "id" in fields:
            rec = trees.update(fields["id"], fields)
        else:
            rec = trees.insert({"channels": [], **fields}, stamp=False)
        out.append(render_v3(rec))
    return json_response({"data": out, "meta": {}})


@routes.delete("/v3/catalog/trees", scope=SCOPE)
async def delete_trees(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    if "id:in" not in query:
        raise ApiError(422, "id:in is required to delete trees", errors={"id:in": "missing"})
    ids = {parse_int(p) for p in query["id:in"].split(",") if p.strip()}
    request["items"] = len(ids)
    for tree_id in ids:
        if collection(store, "category_trees").delete(tree_id) is not None:
            for c in list(collection(store, "categories")):
                if c.get("_tree_id", 1) == tree_id and c["parent_id"] == 0:
                    _delete_category(store, c["id"])
    return no_content()


@routes.get(
    r"/v3/catalog/trees/{tree_id:\d+}/categories", scope=SCOPE, cap=("category_tree_get", 1)
)
async def tree_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    tree_id = int_param(request, "tree_id")
    get_or_404(collection(store, "category_trees"), tree_id, "category tree")
    query = query_of(request)
    max_depth = parse_int(query["depth"]) if query.get("depth") else 1 << 30
    cats = collection(store, "categories")

    def node(cat: Record, depth: int, path: list[int]) -> dict[str, Any]:
        kids = sorted(cats.where("parent_id", cat["id"]), key=lambda c: (c["sort_order"], c["id"]))
        return {
            "id": cat["id"],
            "parent_id": cat["parent_id"],
            "depth": depth,
            "path": path,
            "name": cat["name"],
            "is_visible": cat["is_visible"],
            "url": cat["custom_url"]["url"],
            "children": [node(k, depth + 1, [*path, cat["id"]]) for k in kids]
            if depth < max_depth
            else [],
        }

    roots = [c for c in cats.where("parent_id", 0) if c.get("_tree_id", 1) == tree_id]
    roots.sort(key=lambda c: (c["sort_order"], c["id"]))
    return json_response({"data": [node(r, 1, []) for r in roots], "meta": {}})


TREE_CAT_FILTERS = {
    "category_id": parse_int,
    "category_uuid": parse_str,
    "tree_id": parse_int,
    "parent_id": parse_int,
    "page_title": parse_str,
    "name": parse_str,
    "is_visible": parse_bool,
}
TREE_CAT_GETTERS = {
    "category_id": lambda r: r["id"],
    "tree_id": lambda r: r.get("_tree_id", 1),
}


def _tree_rows(store: Store, query: Mapping[str, str]) -> list[Record]:
    getters = {
        **TREE_CAT_GETTERS,
        "category_uuid": lambda r: category_uuid(store.store_hash, r["id"]),
    }
    preds = build_predicates(query, TREE_CAT_FILTERS, getters=getters) + _keyword(query)
    return apply(collection(store, "categories").items.values(), preds)


@routes.get("/v3/catalog/trees/categories", scope=SCOPE)
async def list_tree_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)

    def render(cat: Record) -> Any:
        out = _tree_view(store, cat)
        select_fields(out, query, keep=("category_id",))
        return out

    return v3_page(query, _tree_rows(store, query), render=render)


def _tree_body(item: dict[str, Any]) -> dict[str, Any]:
    """Tree-category bodies say ``url.path``; the category record keeps ``custom_url``."""
    body = {k: v for k, v in item.items() if k not in ("url", "category_id")}
    url = item.get("url")
    if isinstance(url, dict) and url.get("path"):
        body["custom_url"] = {"url": url["path"], "is_customized": bool(url.get("is_customized"))}
    return body


def _multi(out: list[Any], errors: dict[str, str], total: int, status: int) -> web.Response:
    meta = {"total": total, "success": len(out), "failed": total - len(out)}
    if not errors:
        return json_response({"data": out, "meta": meta}, status)
    if not out:
        raise ApiError(422, "None of the categories could be saved", errors=errors)
    body = {
        "data": out,
        "errors": {
            "status": 422,
            "title": "Some categories could not be saved",
            "type": V3_ERROR_TYPE,
            "errors": errors,
        },
        "meta": meta,
    }
    return json_response(body, 207)


@routes.post("/v3/catalog/trees/categories", scope=SCOPE)
async def create_tree_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await array_body(request, 1000, "category")
    out, errors = [], {}
    for i, item in enumerate(items):
        body = _tree_body(item) if isinstance(item, dict) else item
        if isinstance(body, dict):
            body.setdefault("tree_id", 1)
            if collection(store, "category_trees").get(body["tree_id"]) is None:
                errors[f"{i}.tree_id"] = f"The tree {body['tree_id']} does not exist"
                continue
        _status, fields, errs = _check_category(store, body, None)
        if errs:
            errors.update({f"{i}.{k}": v for k, v in errs.items()})
            continue
        out.append(_tree_view(store, _create_category(store, fields)))
    return _multi(out, errors, len(items), 201)


@routes.put("/v3/catalog/trees/categories", scope=SCOPE)
async def update_tree_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await array_body(request, 1000, "category")
    cats = collection(store, "categories")
    out, errors = [], {}
    for i, item in enumerate(items):
        cid = item.get("category_id") if isinstance(item, dict) else None
        cat = cats.get(cid) if isinstance(cid, int) else None
        if cat is None:
            errors[f"{i}.category_id"] = f"The category {cid} was not found"
            continue
        _status, fields, errs = _check_category(store, _tree_body(item), cat)
        if errs:
            errors.update({f"{i}.{k}": v for k, v in errs.items()})
            continue
        out.append(_tree_view(store, cats.update(cat["id"], fields)))
    return _multi(out, errors, len(items), 200)


@routes.delete("/v3/catalog/trees/categories", scope=SCOPE)
async def delete_tree_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    query = {k: v for k, v in query_of(request).items() if k.endswith(":in")}
    if not query:
        raise ApiError(
            422, "A filter is required to delete categories", errors={"category_id:in": "missing"}
        )
    rows = _tree_rows(store, query)
    request["items"] = len(rows)
    for c in rows:
        _delete_category(store, c["id"])
    return json_response({"meta": {"total": len(rows), "success": len(rows), "failed": 0}}, 202)


# Brands -------------------------------------------------------------------------------


def _brand_taken(store: Store, name: str, own: int | None) -> bool:
    key = name.strip().lower()
    return any(
        b["name"].strip().lower() == key and b["id"] != own for b in collection(store, "brands")
    )


def _brands(store: Store, query: Mapping[str, str]) -> list[Record]:
    preds = build_predicates(query, {"id": parse_int, "name": parse_str, "page_title": parse_str})
    rows = apply(collection(store, "brands").items.values(), preds)
    if query.get("sort") == "name":
        return sort_records(rows, "name", query.get("direction"), ("name",))
    if (query.get("direction") or "").lower() == "desc":
        rows.reverse()
    return rows


@routes.get("/v3/catalog/brands", scope=SCOPE)
async def list_brands(request: web.Request) -> web.Response:
    query = query_of(request)
    return v3_page(query, _brands(store_of(request), query), render=renderer(query))


@routes.get(r"/v3/catalog/brands/{brand_id:\d+}", scope=SCOPE)
async def get_brand(request: web.Request) -> web.Response:
    brand = get_or_404(col_of(request, "brands"), int_param(request, "brand_id"), "brand")
    return data(renderer(query_of(request))(brand))


def _check_brand(store: Store, body: dict[str, Any], current: Record | None) -> dict[str, Any]:
    fields, errors = validate(
        body,
        BRAND_FIELDS,
        required=("name",) if current is None else (),
        lengths={"name": (1, 255), "page_title": (0, 255), "search_keywords": (0, 255)},
    )
    if errors:
        raise ApiError(422, "The brand is not valid", errors=errors)
    name = fields.get("name")
    if name is not None and _brand_taken(store, name, current["id"] if current else None):
        raise ApiError(
            409,
            "The brand could not be saved",
            errors={"name": f"The brand name '{name}' is a duplicate"},
        )
    return fields


@routes.post("/v3/catalog/brands", scope=SCOPE)
async def create_brand(request: web.Request) -> web.Response:
    store = store_of(request)
    fields = _check_brand(store, await object_body(request), None)
    brands = collection(store, "brands")
    rec = brand_record(brands.next_id, fields["name"])
    rec.update(fields)
    return data(render_v3(brands.insert(rec, stamp=False)))


@routes.put(r"/v3/catalog/brands/{brand_id:\d+}", scope=SCOPE)
async def update_brand(request: web.Request) -> web.Response:
    store = store_of(request)
    brands = collection(store, "brands")
    brand = get_or_404(brands, int_param(request, "brand_id"), "brand")
    fields = _check_brand(store, await object_body(request), brand)
    return data(render_v3(brands.update(brand["id"], fields)))


def _delete_brand(store: Store, brand_id: int) -> None:
    if collection(store, "brands").delete(brand_id) is None:
        return
    products = collection(store, "products")
    for p in products.where("brand_id", brand_id):
        products.update(p["id"], {"brand_id": 0})


@routes.delete(r"/v3/catalog/brands/{brand_id:\d+}", scope=SCOPE)
async def delete_brand(request: web.Request) -> web.Response:
    store = store_of(request)
    get_or_404(collection(store, "brands"), int_param(request, "brand_id"), "brand")
    _delete_brand(store, int_param(request, "brand_id"))
    return no_content()


@routes.delete("/v3/catalog/brands", scope=SCOPE)
async def delete_brands(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    if not any(k.split(":")[0] in ("id", "name", "page_title") for k in query):
        raise ApiError(422, "A filter is required to delete brands", errors={"name": "missing"})
    rows = _brands(store, query)
    request["items"] = len(rows)
    for b in rows:
        _delete_brand(store, b["id"])
    return no_content()
