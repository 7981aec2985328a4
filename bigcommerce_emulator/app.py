"""The aiohttp application: every store route wrapped in the real API's gatekeeping.

Order of checks for a store request, as BigCommerce applies them: unknown store (404),
token (401), scope (403), injected fault, quota (429), documented concurrency cap (429),
then latency and the handler. Every answer carries the four ``X-Rate-Limit-*`` headers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import struct
import time
from typing import Any

from aiohttp import web

from bigcommerce_emulator import control, oauth
from bigcommerce_emulator.errors import ApiError, error_response
from bigcommerce_emulator.faults import Fault, take
from bigcommerce_emulator.routes import all_routes
from bigcommerce_emulator.routing import RouteSpec
from bigcommerce_emulator.scopes import allows
from bigcommerce_emulator.state import EmulatorState
from bigcommerce_emulator.store import Store, Token

log = logging.getLogger(__name__)

STATE_KEY = web.AppKey("state", EmulatorState)
STORE_PREFIX = "/stores/{store_hash}"


def _token_ok(store: Store, value: str | None) -> Token | None:
    token = store.tokens.get(value or "")
    if token is None or token.revoked:
        return None
    if token.expires_at is not None and time.time() >= token.expires_at:
        return None
    return token


async def _apply_fault(
    fault: Fault, request: web.Request, spec: RouteSpec, rate_headers: dict[str, str]
) -> web.StreamResponse | None:
    """Serve a faulty answer, or return None to serve the real one after a delay."""
    kind = fault.kind
    if kind in ("500", "502", "503"):
        return error_response(
            spec.version, int(kind), "Injected server error", headers=rate_headers
        )
    if kind == "401":
        return error_response(spec.version, 401, "Unauthorized", headers=rate_headers)
    if kind == "429":
        retry_s = max(1, -(-fault.retry_after_ms // 1000))
        headers = {
            **rate_headers,
            "X-Rate-Limit-Requests-Left": "0",
            "X-Rate-Limit-Time-Reset-Ms": str(fault.retry_after_ms),
            "X-Retry-After": str(retry_s),
        }
        return error_response(spec.version, 429, "Too many requests", headers=headers)
    if kind == "429-no-headers":
        return web.Response(status=429, text="Too Many Requests")
    if kind == "reset":
        transport = request.transport
        if transport is not None:
            sock = transport.get_extra_info("socket")
            if sock is not None:
                # Linger 0 makes close() send a TCP RST, as a dropping proxy does.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        raise asyncio.CancelledError
    if kind == "slow":
        await asyncio.sleep(fault.delay_ms / 1000.0)
        return None
    return None  # truncated / malformed are applied to the real body


async def _mangle_body(
    fault: Fault, request: web.Request, response: web.StreamResponse
) -> web.StreamResponse:
    body = response.body if isinstance(response, web.Response) else None
    raw = bytes(body) if isinstance(body, bytes | bytearray) else b"{}"
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-type", "content-length")
    }
    if fault.kind == "malformed":
        # Half a JSON document followed by an HTML error page, as a failing proxy sends.
        return web.Response(
            status=200,
            body=raw[: max(1, len(raw) // 2)] + b"<html>",
            content_type="application/json",
            headers=headers,
        )
    # truncated: promise the whole body, send half, then drop the connection.
    stream = web.StreamResponse(status=response.status, headers=headers)
    stream.content_length = len(raw)
    stream.content_type = "application/json"
    await stream.prepare(request)
    await stream.write(raw[: len(raw) // 2])
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError


def _endpoint(state: EmulatorState, spec: RouteSpec) -> Any:
    endpoint_key = f"{spec.method} {spec.path}"

    async def handle(request: web.Request) -> web.StreamResponse:
        store_hash = request.match_info["store_hash"]
        store = state.stores.get(store_hash)
        if store is None:
            return error_response(spec.version, 404, "Store not found")
        stats = state.stats[store_hash]
        started = stats.start(endpoint_key)
        status = 500
        try:
            response = await _serve(state, spec, request)
            status = response.status
            return response
        except asyncio.CancelledError:
            status = 0  # connection dropped on purpose
            raise
        finally:
            stats.finish(
                endpoint_key,
                method=spec.method,
                path=request.path,
                query=request.query_string,
                status=status,
                started=started,
                items=request.get("items"),
            )

    return handle


async def _serve(state: EmulatorState, spec: RouteSpec, request: web.Request) -> web.StreamResponse:
    store_hash = request.match_info["store_hash"]
    rel_path = request.path[len(f"/stores/{store_hash}") :]
    for hook in list(state.before_request):
        hook(state, state.stores[store_hash], spec.method, rel_path)
    # A hook may have reseeded the store: read it only now.
    store = state.stores[store_hash]
    request["store"] = store

    token = _token_ok(store, request.headers.get("X-Auth-Token"))
    if token is None:
        return error_response(spec.version, 401, "Unauthorized", headers=store.quota.peek())
    if not allows(token.scopes, spec.scope, spec.method):
        return error_response(
            spec.version,
            403,
            "You don't have a required scope to access the endpoint",
            {"scope": spec.scope},
            headers=store.quota.peek(),
        )

    fault = take(state.faults, store_hash, spec.method, rel_path)
    # An injected 429 stands in for the gateway refusing: it spends no quota.
    if fault is not None and fault.kind.startswith("429"):
        allowed, rate_headers = True, store.quota.peek()
    else:
        allowed, rate_headers = store.quota.take()
    if fault is not None:
        faulty = await _apply_fault(fault, request, spec, rate_headers)
        if faulty is not None:
            return faulty
    if not allowed:
        reset_ms = int(rate_headers["X-Rate-Limit-Time-Reset-Ms"])
        return error_response(
            spec.version,
            429,
            "Too many requests",
            headers={**rate_headers, "X-Retry-After": str(max(1, -(-reset_ms // 1000)))},
        )

    cap_group = spec.cap_group
    capped = cap_group is not None and spec.cap is not None
    if capped:
        assert cap_group is not None and spec.cap is not None
        if store.in_flight.get(cap_group, 0) >= spec.cap:
            return error_response(
                spec.version,
                429,
                f"Too many concurrent requests (limit {spec.cap})",
                headers={**rate_headers, "X-Retry-After": "1"},
            )
        store.in_flight[cap_group] = store.in_flight.get(cap_group, 0) + 1
    try:
        delay = state.latency.sample(state.rng)
        if delay:
            await asyncio.sleep(delay)
        response = await _call(spec, request)
    finally:
        if capped:
            assert cap_group is not None
            store.in_flight[cap_group] -= 1
    for k, v in rate_headers.items():
        response.headers[k] = v
    if fault is not None and fault.kind in ("truncated", "malformed"):
        return await _mangle_body(fault, request, response)
    return response


async def _call(spec: RouteSpec, request: web.Request) -> web.StreamResponse:
    """Run the handler, turning every failure into the versioned error body."""
    try:
        return await spec.handler(request)
    except ApiError as err:
        return error_response(spec.version, err.status, err.title, err.errors, headers=err.headers)
    except json.JSONDecodeError:
        return error_response(spec.version, 400, "The request payload is not valid JSON")
    except web.HTTPException as exc:
        return error_response(spec.version, exc.status, exc.reason)
    except asyncio.CancelledError:
        raise
    except Exception:
        # A handler bug must show as a 500 with the real error shape, and in the log.
        log.exception("handler %s %s failed", spec.method, spec.path)
        return error_response(spec.version, 500, "Internal Server Error")


@web.middleware
async def _json_routing_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """An unknown store path or method answers in the API's error shape, not aiohttp's text."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except web.HTTPException as exc:
        if exc.status not in (404, 405) or not request.path.startswith("/stores/"):
            raise
        version = "v2" if "/v2/" in request.path else "v3"
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else {}
        return error_response(version, exc.status, str(exc.reason), headers=headers)


@web.middleware
async def _writes_drop_renders(request: web.Request, handler: Any) -> web.StreamResponse:
    """Any write request empties every store's render cache once it is done.

    Collection writes already do; this also covers handlers that change a record in place.
    """
    try:
        response: web.StreamResponse = await handler(request)
        return response
    finally:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            for store in request.app[STATE_KEY].stores.values():
                store.renders.invalidate()


def make_app(state: EmulatorState) -> web.Application:
    app = web.Application(
        client_max_size=64 * 1024 * 1024,
        middlewares=[_json_routing_errors, _writes_drop_renders],
    )
    app[STATE_KEY] = state
    for spec in all_routes():
        app.router.add_route(spec.method, STORE_PREFIX + spec.path, _endpoint(state, spec))
    control.register(app, state)
    oauth.register(app, state)
    return app
