"""Request-body and query helpers shared by the store-API routes (customers, orders, payments,
content, price lists)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import parse_date, parse_int
from bigcommerce_emulator.store import Collection, Record


async def json_body(request: web.Request) -> Any:
    if not request.can_read_body:
        raise ApiError(400, "The request body is required")
    return await request.json()


async def object_body(request: web.Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(422, "The request body must be a JSON object")
    request["items"] = 1
    return body


def v2_object(body: Any) -> dict[str, Any]:
    """A v2 write body, which must be a JSON object (400 otherwise)."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object")
    return body


def v2_require(body: Mapping[str, Any], fields: Iterable[str]) -> None:
    """A v2 create names the first required field missing from ``body`` (400)."""
    missing = [f for f in fields if f not in body]
    if missing:
        raise ApiError(400, f"The required field '{missing[0]}' was not supplied")


def v2_one_of(body: Mapping[str, Any], field: str, choices: tuple[str, ...]) -> None:
    """A v2 write may set ``field`` only to one of ``choices`` (400 otherwise)."""
    if field in body and body[field] not in choices:
        raise ApiError(400, f"The field '{field}' must be one of {', '.join(choices)}")


async def json_array(request: web.Request, what: str) -> list[Any]:
    """A JSON array of ``what``, counted as the request's items; 422 for any other body."""
    body = await request.json()
    if not isinstance(body, list):
        errors = {"body": f"must be a JSON array of {what}"}
        raise ApiError(422, "JSON data is missing or invalid", errors=errors)
    request["items"] = len(body)
    return body


async def batch_body(request: web.Request, cap: int | None) -> list[dict[str, Any]]:
    """A JSON array of objects; 413 when it holds more than the documented batch cap."""
    body = await json_body(request)
    if not isinstance(body, list) or not all(isinstance(x, dict) for x in body):
        raise ApiError(422, "The request body must be a JSON array of objects")
    request["items"] = len(body)
    if cap is not None and len(body) > cap:
        raise ApiError(
            413,
            "The request payload is too large. "
            f"The maximum number of items allowed in the array is {cap}.",
        )
    if not body:
        raise ApiError(422, "The request body must contain at least one item")
    return body


def id_list(query: Mapping[str, str], key: str = "id:in") -> list[int] | None:
    raw = query.get(key)
    if raw is None:
        return None
    return [parse_int(p) for p in raw.split(",") if p.strip()]


def str_list(raw: str) -> list[str]:
    return [p.strip() for p in raw.split(",") if p.strip()]


def date_window(query: Mapping[str, str], name: str) -> tuple[datetime | None, datetime | None]:
    """The inclusive ``name:min``/``name:max`` (or exact ``name``) bounds from a v3 query."""
    lo = hi = None
    if f"{name}:min" in query:
        lo = parse_date(query[f"{name}:min"])
    if f"{name}:max" in query:
        hi = parse_date(query[f"{name}:max"])
    if name in query:
        lo = hi = parse_date(query[name])
    return lo, hi


def narrow(
    col: Collection, ids: Iterable[int] | None, lo: datetime | None, hi: datetime | None
) -> list[Record]:
    """Candidates before predicates: by id, by modification window, or all in id order."""
    if ids is not None:
        return [r for i in sorted(set(ids)) if (r := col.get(i)) is not None]
    if lo is not None or hi is not None:
        return col.modified_between(lo, hi)
    return [col.items[i] for i in sorted(col.items)]


def require_fields(item: Mapping[str, Any], fields: Iterable[str], where: str) -> dict[str, str]:
    return {
        f"{where}.{f}": f"{f} is required"
        for f in fields
        if item.get(f) is None or (isinstance(item.get(f), str) and not item[f].strip())
    }


def sort_by(records: list[Record], key: Callable[[Record], Any], desc: bool) -> list[Record]:
    return sorted(records, key=key, reverse=desc)
