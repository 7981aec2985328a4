"""Pick real routes for the framework tests from whatever the route modules register.

The framework's behaviour (auth, scopes, quota, faults, latency) is the same on every
route, so these tests use the simplest routes that exist rather than naming one area's.
"""

from __future__ import annotations

from bigcommerce_emulator.routes import all_routes
from bigcommerce_emulator.routing import RouteSpec
from tests.emulator.openapi_spec import fill, path_params

# Small, always-populated lists first; any parameterless GET route will do.
PREFERRED = ("/v3/catalog/brands", "/v2/store", "/v3/channels", "/v2/order_statuses")


def concrete(path: str) -> str:
    """The route path with every path parameter set to 1 (enough for checks before handlers)."""
    return fill(path, {name: "1" for _, _, name in path_params(path)})


def plain_get_route(version: str | None = None) -> RouteSpec:
    """A GET route without path parameters (optionally of one API version)."""
    specs = [
        s
        for s in all_routes()
        if s.method == "GET" and "{" not in s.path and (version is None or s.version == version)
    ]
    for preferred in PREFERRED:
        for s in specs:
            if s.path == preferred:
                return s
    assert specs, f"no parameterless GET {version or ''} route is registered yet"
    return specs[0]


def write_route(scope: str | None = None) -> RouteSpec:
    """A route that changes data (optionally guarded by ``scope``)."""
    specs = [s for s in all_routes() if s.method != "GET" and (scope is None or s.scope == scope)]
    assert specs, f"no write route is registered for scope {scope or 'any'}"
    return specs[0]


def capped_route() -> RouteSpec:
    """A GET route with a documented concurrency cap."""
    specs = [s for s in all_routes() if s.method == "GET" and s.cap is not None]
    assert specs, "no GET route declares a documented concurrency cap"
    specs.sort(key=lambda s: ("{" in s.path, s.cap or 0))
    return specs[0]
