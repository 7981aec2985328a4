"""Error responses in the shapes the real API uses for v2 and v3."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

V3_ERROR_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


class ApiError(Exception):
    """Raised by handlers; the app turns it into the versioned error body."""

    def __init__(
        self,
        status: int,
        title: str,
        *,
        errors: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.errors = errors or {}
        self.headers = headers or {}


def v3_error_body(status: int, title: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    return {"status": status, "title": title, "type": V3_ERROR_TYPE, "errors": errors or {}}


def v2_error_body(status: int, message: str, details: dict[str, Any] | None = None) -> list[Any]:
    body: dict[str, Any] = {"status": status, "message": message}
    if details:
        body["details"] = details
    return [body]


def error_response(
    version: str,
    status: int,
    title: str,
    errors: dict[str, str] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **more_headers: str,
) -> web.Response:
    if version == "v2":
        payload: Any = v2_error_body(status, title, errors)
    else:
        payload = v3_error_body(status, title, errors)
    return web.Response(
        status=status,
        text=json.dumps(payload),
        content_type="application/json",
        headers={**(headers or {}), **more_headers},
    )
