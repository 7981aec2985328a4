"""Variant options and modifiers, with their values:
``/v3/catalog/products/{product_id}/options[/{option_id}[/values[/{value_id}]]]`` and the
same under ``modifiers``. Values live inside their option, as the API returns them; value
ids share one id space across options and modifiers. A duplicate display name on the same
product is a ``409``; every write bumps the product's ``date_modified``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.generator.catalog_model import collection
from bigcommerce_emulator.paging import v3_page
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routes.catalog_common import (
    BOOL,
    INT,
    OBJ,
    STR,
    Kind,
    data,
    no_content,
    object_body,
    product_or_404,
    product_path,
    renderer,
    select_fields,
    touch_product,
    validate,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, store_of
from bigcommerce_emulator.store import Record, Store

routes = Routes()
SCOPE = "store_v2_products"

OPTION_TYPES = ("radio_buttons", "rectangles", "dropdown", "product_list",
                "product_list_with_images", "swatch")  # fmt: skip
MODIFIER_TYPES = ("date", "checkbox", "file", "text", "multi_line_text", "numbers_only_text",
                  *OPTION_TYPES)  # fmt: skip
VALUE_KINDS: dict[str, Kind] = {
    "label": STR,
    "sort_order": INT,
    "value_data": OBJ,
    "is_default": BOOL,
    "adjusters": OBJ,
}


@dataclass(frozen=True)
class OptionKind:
    segment: str
    collection: str
    what: str
    kinds: dict[str, Kind]
    required: tuple[str, ...]
    modifier: bool


KINDS = (
    OptionKind(
        "options",
        "product_options",
        "option",
        {"display_name": STR, "type": OPTION_TYPES, "sort_order": INT, "config": OBJ},
        ("display_name", "type"),
        False,
    ),
    OptionKind(
        "modifiers",
        "product_modifiers",
        "modifier",
        {
            "display_name": STR,
            "type": MODIFIER_TYPES,
            "required": BOOL,
            "sort_order": INT,
            "config": OBJ,
        },
        ("display_name", "type", "required"),
        True,
    ),
)


def _value(
    store: Store, kind: OptionKind, option_id: int, body: Any, current: Record | None
) -> Record:
    from bigcommerce_emulator.generator.catalog_products import next_value_id

    if not isinstance(body, dict):
        raise ApiError(422, "The option value is not valid", errors={"body": "must be an object"})
    fields, errors = validate(
        body,
        VALUE_KINDS,
        required=("label", "sort_order") if current is None else (),
        nullable=("value_data",),
    )
    if errors:
        raise ApiError(422, "The option value is not valid", errors=errors)
    if current is not None:
        current.update(fields)
        return current
    # The create/update answers document value_data as a (non-null) object.
    rec: Record = {"id": next_value_id(store), "is_default": False, "value_data": {}, **fields}
    if kind.modifier:
        rec["option_id"] = option_id
        rec.setdefault(
            "adjusters",
            {
                "price": {"adjuster": "relative", "adjuster_value": 0},
                "weight": {"adjuster": "relative", "adjuster_value": 0},
                "image_url": "",
                "purchasing_disabled": {"status": False, "message": ""},
            },
        )
    return rec


def _option_or_404(store: Store, kind: OptionKind, product_id: int, option_id: int) -> Record:
    rec = collection(store, kind.collection).get(option_id)
    if rec is None or rec["product_id"] != product_id:
        raise ApiError(404, f"The {kind.what} with id {option_id} was not found")
    return rec


def _check_name(
    store: Store, kind: OptionKind, product_id: int, name: str, own: int | None
) -> None:
    for o in collection(store, kind.collection).where("product_id", product_id):
        if o["display_name"] == name and o["id"] != own:
            raise ApiError(
                409,
                f"The {kind.what} could not be saved",
                errors={"display_name": f"A {kind.what} named '{name}' already exists"},
            )


def _render_value(query: dict[str, str]) -> Any:
    def render(v: Record) -> Any:
        out: dict[str, Any] = render_v3(v)
        select_fields(out, query)
        return out

    return render


def _register(kind: OptionKind) -> None:
    base = rf"/v3/catalog/products/{{product_id:\d+}}/{kind.segment}"
    one = base + r"/{option_id:\d+}"
    values = one + "/values"
    value = values + r"/{value_id:\d+}"

    async def list_(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        query = query_of(request)
        rows = collection(store, kind.collection).where("product_id", pid)
        return v3_page(query, rows, render=renderer(query))

    async def get_(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        return data(renderer(query_of(request))(rec))

    async def create_(request: web.Request) -> web.Response:
        store = store_of(request)
        product = product_or_404(store, int_param(request, "product_id"))
        body = await object_body(request)
        fields, errors = validate(body, kind.kinds, required=kind.required)
        raw_values = body.get("option_values", [])
        if not isinstance(raw_values, list):
            errors["option_values"] = "option_values must be an array"
        elif not kind.modifier and not raw_values:
            errors["option_values"] = "an option needs at least one value"
        if errors:
            raise ApiError(422, f"The {kind.what} is not valid", errors=errors)
        _check_name(store, kind, product["id"], fields["display_name"], None)
        c = collection(store, kind.collection)
        rec: Record = {"product_id": product["id"], "sort_order": 0, "config": {}, **fields}
        rec = c.insert(rec, stamp=False)
        rec["name"] = f"{rec['display_name']}{rec['id']}"
        rec["option_values"] = []
        for v in raw_values:
            rec["option_values"].append(_value(store, kind, rec["id"], v, None))
        touch_product(store, product["id"])
        return data(renderer({})(rec))

    async def update_(request: web.Request) -> web.Response:
        store = store_of(request)
        product = product_or_404(store, int_param(request, "product_id"))
        current = _option_or_404(store, kind, product["id"], int_param(request, "option_id"))
        body = await object_body(request)
        fields, errors = validate(body, kind.kinds)
        if errors:
            raise ApiError(422, f"The {kind.what} is not valid", errors=errors)
        if "display_name" in fields:
            _check_name(store, kind, product["id"], fields["display_name"], current["id"])
        collection(store, kind.collection).update(current["id"], fields, touch=False)
        touch_product(store, product["id"])
        return data(renderer({})(current))

    async def delete_(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        collection(store, kind.collection).delete(rec["id"])
        if not kind.modifier:
            # Variants built from this option's values go with it, as in the control panel.
            variants = collection(store, "product_variants")
            for v in variants.where("product_id", pid):
                if any(ov["option_id"] == rec["id"] for ov in v["option_values"]):
                    variants.delete(v["id"])
        touch_product(store, pid)
        return no_content()

    async def list_values(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        query = query_of(request)
        return v3_page(query, rec["option_values"], render=_render_value(query))

    def _value_or_404(rec: Record, value_id: int) -> Record:
        v = next((v for v in rec["option_values"] if v["id"] == value_id), None)
        if v is None:
            raise ApiError(404, f"The {kind.what} value with id {value_id} was not found")
        return v

    async def get_value(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        v = _value_or_404(rec, int_param(request, "value_id"))
        return data(_render_value(query_of(request))(v))

    async def create_value(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        v = _value(store, kind, rec["id"], await object_body(request), None)
        rec["option_values"].append(v)
        touch_product(store, pid)
        return data(_render_value({})(v))

    async def update_value(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        current = _value_or_404(rec, int_param(request, "value_id"))
        v = _value(store, kind, rec["id"], await object_body(request), current)
        if not kind.modifier:
            for variant in collection(store, "product_variants").where("product_id", pid):
                for ov in variant["option_values"]:
                    if ov["id"] == v["id"]:
                        ov["label"] = v["label"]
        touch_product(store, pid)
        return data(_render_value({})(v))

    async def delete_value(request: web.Request) -> web.Response:
        store, pid = product_path(request)
        rec = _option_or_404(store, kind, pid, int_param(request, "option_id"))
        value_id = int_param(request, "value_id")
        rec["option_values"] = [v for v in rec["option_values"] if v["id"] != value_id]
        touch_product(store, pid)
        return no_content()

    routes.get(base, scope=SCOPE)(list_)
    routes.post(base, scope=SCOPE)(create_)
    routes.get(one, scope=SCOPE)(get_)
    routes.put(one, scope=SCOPE)(update_)
    routes.delete(one, scope=SCOPE)(delete_)
    routes.get(values, scope=SCOPE)(list_values)
    routes.post(values, scope=SCOPE)(create_value)
    routes.get(value, scope=SCOPE)(get_value)
    routes.put(value, scope=SCOPE)(update_value)
    routes.delete(value, scope=SCOPE)(delete_value)


for _kind in KINDS:
    _register(_kind)
