"""Helpers shared by the catalog routes: bodies, field validation, field selection, and the
way a change to a product's child bumps the product.

Batch write answers (products, variants, tree categories) use one shape throughout:
every failed item is reported under ``errors`` with keys ``"<index>.<field>"``, where
``index`` is the item's position in the request array. All items fine: ``200``. Some
failed: ``207`` with ``data`` holding the items written and ``errors`` the
``errorMultiStatus`` object. All failed: the items' common status (``404``, ``409`` or
``422``; ``422`` when they differ) with the v3 error body and the same keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import V3_ERROR_TYPE, ApiError
from bigcommerce_emulator.filters import parse_date
from bigcommerce_emulator.generator.catalog_model import collection, refresh_variant
from bigcommerce_emulator.paging import json_response
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.routing import int_param, store_of
from bigcommerce_emulator.store import Collection, Record, Store, now

# Field kinds: how a write body's value is checked and stored.
STR, NUM, INT, BOOL, INTS, STRS, DATE, OBJ = (
    "str",
    "num",
    "int",
    "bool",
    "ints",
    "strs",
    "date",
    "obj",
)
Kind = str | tuple[str, ...]  # a tuple is an enum of allowed strings


def col(request: web.Request, name: str) -> Collection:
    c: Collection = collection(store_of(request), name)
    return c


async def json_body(request: web.Request) -> Any:
    if not request.can_read_body:
        raise ApiError(422, "The request body is required", errors={"body": "missing"})
    return await request.json()


async def object_body(request: web.Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(422, "JSON data is missing or invalid", errors={"body": "must be an object"})
    request["items"] = 1
    return body


async def array_body(request: web.Request, cap: int, what: str) -> list[Any]:
    body = await json_body(request)
    if not isinstance(body, list):
        raise ApiError(422, "JSON data is missing or invalid", errors={"body": "must be an array"})
    request["items"] = len(body)
    if len(body) > cap:
        raise ApiError(
            413,
            f"The request payload is too large. The maximum items allowed in the array is {cap}.",
        )
    if not body:
        raise ApiError(422, f"At least one {what} is required", errors={"body": "empty array"})
    return body


def data(obj: Any, status: int = 200) -> web.Response:
    return json_response({"data": obj, "meta": {}}, status)


def no_content() -> web.Response:
    return web.Response(status=204)


def not_found(what: str, record_id: Any) -> ApiError:
    return ApiError(404, f"The {what} with id {record_id} was not found")


def get_or_404(c: Collection, record_id: int, what: str) -> Record:
    rec = c.get(record_id)
    if rec is None:
        raise not_found(what, record_id)
    return rec


def _check(name: str, kind: Kind, value: Any, nullable: bool) -> tuple[Any, str | None]:
    """(stored value, error message or None) for one write-body field."""
    if value is None:
        return (None, None) if nullable else (None, f"{name} must not be null")
    if isinstance(kind, tuple):
        if value not in kind:
            return None, f"{name} must be one of: {', '.join(kind)}"
        return value, None
    if kind == STR:
        return (value, None) if isinstance(value, str) else (None, f"{name} must be a string")
    if kind == BOOL:
        return (value, None) if isinstance(value, bool) else (None, f"{name} must be a boolean")
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"{name} must be an integer"
        return value, None
    if kind == NUM:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, f"{name} must be a number"
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            return None, f"{name} must be a number"
        if not d.is_finite() or d < 0:
            return None, f"{name} must be a number of at least 0"
        return d, None
    if kind == INTS:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            return None, f"{name} must be an array of integers"
        return list(value), None
    if kind == STRS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"{name} must be an array of strings"
        return list(value), None
    if kind == DATE:
        try:
            return (parse_date(value), None) if isinstance(value, str) else (None, f"{name}: date")
        except ApiError:
            return None, f"{name} must be an ISO 8601 date"
    if kind == OBJ:
        return (value, None) if isinstance(value, dict) else (None, f"{name} must be an object")
    raise AssertionError(kind)


def validate(
    body: Mapping[str, Any],
    kinds: Mapping[str, Kind],
    *,
    required: Iterable[str] = (),
    lengths: Mapping[str, tuple[int, int]] | None = None,
    nullable: Iterable[str] = (),
) -> tuple[dict[str, Any], dict[str, str]]:
    """The body's known fields in stored form, and errors keyed by field name.

    Unknown and read-only fields are ignored, as the real API ignores them.
    """
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    nulls = set(nullable)
    for f in required:
        v = body.get(f)
        if v is None or (isinstance(v, str) and not v.strip() and f != "sku"):
            errors[f] = f"{f} is required"
    for f, kind in kinds.items():
        if f not in body or f in errors:
            continue
        value, err = _check(f, kind, body[f], f in nulls)
        if err:
            errors[f] = err
            continue
        if lengths and f in lengths and isinstance(value, str):
            lo, hi = lengths[f]
            if not lo <= len(value) <= hi:
                errors[f] = f"{f} must be between {lo} and {hi} characters long"
                continue
        out[f] = value
    return out, errors


def select_fields(out: dict[str, Any], query: Mapping[str, str], keep: Iterable[str] = ()) -> None:
    """Apply ``include_fields``/``exclude_fields`` in place; the id always stays."""
    inc = query.get("include_fields")
    exc = query.get("exclude_fields")
    always = {"id", *keep}
    if inc:
        wanted = {f.strip() for f in inc.split(",") if f.strip()} | always
        for k in list(out):
            if k not in wanted:
                del out[k]
    if exc:
        for f in exc.split(","):
            f = f.strip()
            if f and f not in always:
                out.pop(f, None)


def renderer(query: Mapping[str, str], drop: Iterable[str] = ()) -> Callable[[Record], Any]:
    dropped = tuple(drop)

    def render(rec: Record) -> Any:
        out: dict[str, Any] = render_v3(rec)
        for f in dropped:
            out.pop(f, None)
        select_fields(out, query)
        return out

    return render


def product_or_404(store: Store, product_id: int) -> Record:
    return get_or_404(collection(store, "products"), product_id, "product")


def product_path(request: web.Request) -> tuple[Store, int]:
    """The store and the path's ``product_id``, answering 404 if there is no such product."""
    store = store_of(request)
    pid = int_param(request, "product_id")
    product_or_404(store, pid)
    return store, pid


def touch_product(store: Store, product_id: int) -> None:
    """A child changed: the product's date_modified moves, and variant stock adds up again."""
    products = collection(store, "products")
    product = products.get(product_id)
    if product is None:
        return
    changes: dict[str, Any] = {}
    variants = collection(store, "product_variants").where("product_id", product_id)
    if product.get("inventory_tracking") == "variant":
        changes["inventory_level"] = sum(int(v.get("inventory_level") or 0) for v in variants)
    # Only approved reviews count towards the product's rating.
    approved = [
        r
        for r in collection(store, "product_reviews").where("product_id", product_id)
        if r.get("status") == "approved"
    ]
    changes["reviews_count"] = len(approved)
    changes["reviews_rating_sum"] = sum(int(r.get("rating") or 0) for r in approved)
    products.update(product_id, changes)


def refresh_variants(store: Store, product: Record) -> None:
    for v in collection(store, "product_variants").where("product_id", product["id"]):
        refresh_variant(v, product)


def batch_answer(
    written: list[Any], failures: list[tuple[int, int, dict[str, str]]], what: str
) -> web.Response:
    """The 200 / 207 / error answer described in the module docstring.

    ``failures`` holds (index, status, {field: message}) per failed item.
    """
    if not failures:
        return data(written)
    keyed = {
        f"{index}.{field}": message
        for index, _status, errs in failures
        for field, message in errs.items()
    }
    statuses = {status for _i, status, _e in failures}
    status = statuses.pop() if len(statuses) == 1 else 422
    title = f"{len(failures)} of the {what} could not be written"
    if not written:
        raise ApiError(status, title, errors=keyed)
    body = {
        "data": written,
        "errors": {"status": status, "title": title, "type": V3_ERROR_TYPE, "errors": keyed},
        "meta": {},
    }
    return json_response(body, 207)


def stamp() -> datetime:
    return now()
