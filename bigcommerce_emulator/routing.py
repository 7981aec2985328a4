"""Route declarations for the store API.

Each module under ``routes/`` builds a ``Routes`` table; every route names the OAuth scope
that guards it and, where BigCommerce documents one, a concurrency cap. The app mounts
each path under ``/stores/{store_hash}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bigcommerce_emulator.store import Collection, Record, Store

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str  # e.g. "/v3/catalog/products/{product_id}"
    handler: Handler
    scope: str  # e.g. "store_v2_products"; GETs also accept "<scope>_read_only"
    cap_group: str | None = None
    cap: int | None = None

    @property
    def version(self) -> str:
        return "v2" if self.path.startswith("/v2/") else "v3"


class Routes:
    def __init__(self) -> None:
        self.specs: list[RouteSpec] = []

    def route(
        self, method: str, path: str, *, scope: str, cap: tuple[str, int] | None = None
    ) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            group, n = cap if cap else (None, None)
            self.specs.append(RouteSpec(method.upper(), path, fn, scope, group, n))
            return fn

        return register

    def get(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, **kw)


def store_of(request: web.Request) -> Store:
    store: Store = request["store"]
    return store


def query_of(request: web.Request) -> dict[str, str]:
    """The query string as a plain dict (the last value wins for repeated keys)."""
    return {k: v for k, v in request.query.items()}


def record_or_404(collection: Collection, record_id: int, message: str) -> Record:
    """The record with this id, or the API's 404 answer with ``message``."""
    from bigcommerce_emulator.errors import ApiError

    rec = collection.get(record_id)
    if rec is None:
        raise ApiError(404, message)
    return rec


def int_param(request: web.Request, name: str) -> int:
    from bigcommerce_emulator.errors import ApiError

    try:
        return int(request.match_info[name])
    except ValueError as exc:
        raise ApiError(404, "The requested resource was not found") from exc
