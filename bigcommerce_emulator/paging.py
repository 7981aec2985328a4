"""List envelopes: v3 ``{data, meta.pagination}``, v3 cursor pages, and v2 bare arrays."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import msgspec
from aiohttp import web

from bigcommerce_emulator.errors import ApiError, error_response
from bigcommerce_emulator.render import render_v2, render_v3
from bigcommerce_emulator.store import Record

V3_DEFAULT_LIMIT = 50
V2_DEFAULT_LIMIT = 50
MAX_LIMIT = 250


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ApiError(422, f"The '{name}' parameter must be an integer") from exc


def json_response(payload: Any, status: int = 200) -> web.Response:
    # msgspec: encoding a page of 250 orders with json.dumps took a third of the
    # emulator's CPU, enough to make it, not the client, the bottleneck of a benchmark.
    return web.Response(
        status=status,
        body=msgspec.json.encode(payload),
        content_type="application/json",
        charset="utf-8",
    )


def _links(query: Mapping[str, str], page: int, total_pages: int, limit: int) -> dict[str, str]:
    # The real links repeat the request's other parameters and always name page and limit.
    def qs(p: int) -> str:
        q = {k: v for k, v in query.items() if k not in ("page", "limit")}
        q["page"] = str(p)
        q["limit"] = str(limit)
        return "?" + urlencode(q)

    links = {"current": qs(page)}
    if page > 1:
        links["previous"] = qs(page - 1)
    if page < total_pages:
        links["next"] = qs(page + 1)
    return links


def v3_page(
    query: Mapping[str, str],
    records: list[Record],
    *,
    render: Callable[[Record], Any] = render_v3,
    default_limit: int = V3_DEFAULT_LIMIT,
    max_limit: int = MAX_LIMIT,
    extra_meta: dict[str, Any] | None = None,
) -> web.Response:
    """Offset pagination: a limit above the maximum is clamped, as v3 does."""
    limit = _int_param(query, "limit", default_limit)
    limit = max(1, min(limit, max_limit))
    page = max(1, _int_param(query, "page", 1))
    total = len(records)
    total_pages = max(1, math.ceil(total / limit)) if total else 0
    chunk = records[(page - 1) * limit : page * limit]
    meta: dict[str, Any] = {
        "pagination": {
            "total": total,
            "count": len(chunk),
            "per_page": limit,
            "current_page": page,
            "total_pages": total_pages,
            "links": _links(query, page, total_pages, limit),
        }
    }
    if extra_meta:
        meta.update(extra_meta)
    return json_response({"data": [render(r) for r in chunk], "meta": meta})


def _encode_cursor(record_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"id": record_id}).encode()).decode()


def _decode_cursor(cursor: str) -> int:
    try:
        return int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(400, "Invalid cursor") from exc


# Public names for routes that build cursor metadata themselves.
encode_cursor = _encode_cursor
decode_cursor = _decode_cursor


def v3_cursor_page(
    query: Mapping[str, str],
    records: list[Record],
    *,
    render: Callable[[Record], Any] = render_v3,
    default_limit: int = V3_DEFAULT_LIMIT,
    max_limit: int = MAX_LIMIT,
) -> web.Response:
    """Cursor pagination over records already sorted in the requested order.

    ``after``/``before`` name a record's position by id, so records inserted or deleted
    elsewhere in the set do not shift the pages.
    """
    if "after" in query and "before" in query:
        raise ApiError(400, "The 'after' and 'before' parameters cannot be used together")
    limit = max(1, min(_int_param(query, "limit", default_limit), max_limit))
    ids = [r["id"] for r in records]
    if "after" in query:
        anchor = _decode_cursor(query["after"])
        start = ids.index(anchor) + 1 if anchor in ids else _after_missing(records, anchor)
        chunk = records[start : start + limit]
        has_prev, has_next = start > 0, start + limit < len(records)
    elif "before" in query:
        anchor = _decode_cursor(query["before"])
        end = ids.index(anchor) if anchor in ids else _after_missing(records, anchor)
        start = max(0, end - limit)
        chunk = records[start:end]
        has_prev, has_next = start > 0, end < len(records)
    else:
        chunk = records[:limit]
        has_prev, has_next = False, limit < len(records)
    cursor: dict[str, Any] = {"count": len(chunk), "per_page": limit, "links": {}}
    if chunk:
        cursor["start_cursor"] = _encode_cursor(chunk[0]["id"])
        cursor["end_cursor"] = _encode_cursor(chunk[-1]["id"])
        base = {k: v for k, v in query.items() if k not in ("after", "before")}
        if has_next:
            cursor["links"]["next"] = "?" + urlencode({**base, "after": cursor["end_cursor"]})
        if has_prev:
            cursor["links"]["previous"] = "?" + urlencode(
                {**base, "before": cursor["start_cursor"]}
            )
    return json_response(
        {"data": [render(r) for r in chunk], "meta": {"cursor_pagination": cursor}}
    )


def _after_missing(records: list[Record], anchor: int) -> int:
    # The anchor record was deleted: resume at the first id above it.
    for i, r in enumerate(records):
        if r["id"] > anchor:
            return i
    return len(records)


def v2_page(
    query: Mapping[str, str],
    records: list[Record],
    *,
    render: Callable[[Record], Any] = render_v2,
    default_limit: int = V2_DEFAULT_LIMIT,
    max_limit: int = MAX_LIMIT,
) -> web.Response:
    """v2 paging: a bare array, 204 with an empty body past the end, 413 over the limit."""
    limit = _int_param(query, "limit", default_limit)
    if limit > max_limit:
        return error_response(
            "v2", 413, f"The limit parameter can not be greater than {max_limit}."
        )
    limit = max(1, limit)
    page = max(1, _int_param(query, "page", 1))
    chunk = records[(page - 1) * limit : page * limit]
    if not chunk:
        return web.Response(status=204)
    return json_response([render(r) for r in chunk])


def v2_count(records: list[Record]) -> web.Response:
    return json_response({"count": len(records)})
