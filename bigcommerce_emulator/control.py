"""The control API under ``/__emulator/``: a path the real API never uses.

Tests and benchmarks use it to create and reseed stores, add tokens, change records as a
merchant would, inject faults, arm triggers, and read request counts and the request log.
Answers are JSON; a bad request gets ``400 {"error": "..."}`` naming what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from aiohttp import web

from bigcommerce_emulator import faults as faults_mod
from bigcommerce_emulator import merchant, triggers
from bigcommerce_emulator.generator import Sizes, factories
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.state import EmulatorState
from bigcommerce_emulator.store import Store

PREFIX = "/__emulator"

ControlHandler = Callable[[web.Request], Awaitable[web.Response]]


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(payload, default=str), content_type="application/json"
    )


def _bad(message: str, status: int = 400) -> web.Response:
    return _json({"error": message}, status)


def _guarded(fn: ControlHandler) -> ControlHandler:
    """Turn bad input into a one-line JSON error instead of a 500."""

    async def wrapper(request: web.Request) -> web.Response:
        try:
            return await fn(request)
        except merchant.ChangeError as exc:
            return _bad(str(exc), exc.status)
        except json.JSONDecodeError:
            return _bad("the request body is not valid JSON")
        except KeyError as exc:
            return _bad(f"missing field {exc}")
        except (TypeError, ValueError) as exc:
            return _bad(str(exc))

    return wrapper


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    raw = await request.text()
    if not raw.strip():
        return {}
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    return body


def sizes_from(body: dict[str, Any], default: Sizes | None = None) -> Sizes:
    base = Sizes.named(body["size"]) if "size" in body else (default or Sizes.named("small"))
    return Sizes(
        products=int(body.get("products", base.products)),
        customers=int(body.get("customers", base.customers)),
        orders=int(body.get("orders", base.orders)),
        variants_per_product=int(body.get("variants_per_product", base.variants_per_product)),
        items_per_order=int(body.get("items_per_order", base.items_per_order)),
    )


class _Armed(Protocol):
    def to_json(self) -> dict[str, Any]: ...


ArmedT = TypeVar("ArmedT", bound=_Armed)


def _register_armed(
    r: web.RouteTableDef,
    path: str,
    armed: list[ArmedT],
    parse: Callable[[dict[str, Any]], ArmedT],
) -> None:
    """Faults and triggers alike: POST arms one, GET lists them, DELETE clears them all."""

    @r.post(PREFIX + path)
    @_guarded
    async def add(request: web.Request) -> web.Response:
        item = parse(await _body(request))
        armed.append(item)
        return _json(item.to_json(), 201)

    @r.get(PREFIX + path)
    async def list_all(request: web.Request) -> web.Response:
        return _json([item.to_json() for item in armed])

    @r.delete(PREFIX + path)
    async def clear(request: web.Request) -> web.Response:
        armed.clear()
        return _json({"ok": True})


def register(app: web.Application, state: EmulatorState) -> None:
    r = web.RouteTableDef()

    def store_or_404(request: web.Request) -> Store:
        store_hash = request.match_info["store_hash"]
        store = state.stores.get(store_hash)
        if store is None:
            raise merchant.ChangeError(f"unknown store {store_hash!r}", 404)
        return store

    @r.get(PREFIX + "/health")
    async def health(request: web.Request) -> web.Response:
        return _json({"ok": True, "stores": sorted(state.stores)})

    # Stores, tokens, quota, latency -------------------------------------------------------
    @r.post(PREFIX + "/stores")
    @_guarded
    async def create_store(request: web.Request) -> web.Response:
        body = await _body(request)
        store_hash = body.get("store_hash")
        if not store_hash or not isinstance(store_hash, str):
            return _bad("store_hash is required")
        if store_hash in state.stores:
            return _bad(f"store {store_hash!r} already exists", 409)
        store = state.create_store(
            store_hash,
            seed=int(body.get("seed", 1)),
            sizes=sizes_from(body),
            quota=int(body.get("quota", 150)),
            window_ms=int(body.get("window_ms", 30_000)),
        )
        for t in body.get("tokens", []):
            scopes = frozenset(t["scopes"]) if "scopes" in t else None
            state.add_token(store_hash, str(t["token"]), scopes)
        return _json({"store_hash": store.store_hash}, 201)

    @r.get(PREFIX + "/stores")
    async def list_stores(request: web.Request) -> web.Response:
        return _json(
            {
                h: {
                    "seed": s.seed,
                    "quota": s.quota.limit,
                    "window_ms": s.quota.window_ms,
                    "collections": {n: len(c) for n, c in sorted(s.collections.items())},
                }
                for h, s in state.stores.items()
            }
        )

    @r.post(PREFIX + "/stores/{store_hash}/reset")
    @_guarded
    async def reset_store(request: web.Request) -> web.Response:
        store = store_or_404(request)
        body = await _body(request)
        seed = body.get("seed")
        sized = any(k in body for k in ("size", "products", "customers", "orders"))
        sizes = sizes_from(body, store.sizes) if sized else None
        state.reset_store(
            store.store_hash, seed=int(seed) if seed is not None else None, sizes=sizes
        )
        return _json({"store_hash": store.store_hash})

    @r.post(PREFIX + "/stores/{store_hash}/tokens")
    @_guarded
    async def add_token(request: web.Request) -> web.Response:
        store = store_or_404(request)
        body = await _body(request)
        if not body.get("token"):
            return _bad("token is required")
        scopes = body.get("scopes")
        if scopes is not None and not isinstance(scopes, list):
            return _bad("scopes must be a list of scope names")
        state.add_token(
            store.store_hash, str(body["token"]), frozenset(scopes) if scopes is not None else None
        )
        return _json({"ok": True}, 201)

    @r.post(PREFIX + "/stores/{store_hash}/quota")
    @_guarded
    async def set_quota(request: web.Request) -> web.Response:
        store = store_or_404(request)
        body = await _body(request)
        quota, window = body.get("quota"), body.get("window_ms")
        store.quota.configure(
            int(quota) if quota is not None else None, int(window) if window is not None else None
        )
        return _json({"quota": store.quota.limit, "window_ms": store.quota.window_ms})

    @r.post(PREFIX + "/latency")
    @_guarded
    async def set_latency(request: web.Request) -> web.Response:
        body = await _body(request)
        state.latency.ms = int(body.get("ms", state.latency.ms))
        state.latency.jitter_ms = int(body.get("jitter_ms", state.latency.jitter_ms))
        return _json({"ms": state.latency.ms, "jitter_ms": state.latency.jitter_ms})

    # Records, as a merchant changes them ----------------------------------------------------
    collections = PREFIX + "/stores/{store_hash}/collections"

    @r.get(collections)
    @_guarded
    async def list_collections(request: web.Request) -> web.Response:
        store = store_or_404(request)
        return _json({n: len(c) for n, c in sorted(store.collections.items())})

    @r.get(collections + "/{name}")
    @_guarded
    async def dump_collection(request: web.Request) -> web.Response:
        store = store_or_404(request)
        col = merchant.collection_of(store, request.match_info["name"])
        return _json([render_v3(rec) for rec in col])

    @r.get(collections + r"/{name}/{record_id:\d+}")
    @_guarded
    async def get_record(request: web.Request) -> web.Response:
        store = store_or_404(request)
        col = merchant.collection_of(store, request.match_info["name"])
        rec = col.get(int(request.match_info["record_id"]))
        if rec is None:
            return _bad(f"{col.name} has no record with id {request.match_info['record_id']}", 404)
        return _json(render_v3(rec))

    @r.patch(collections + "/{name}/{record_id}")
    @_guarded
    async def patch_record(request: web.Request) -> web.Response:
        store = store_or_404(request)
        rec = merchant.update_record(
            store, request.match_info["name"], request.match_info["record_id"], await _body(request)
        )
        return _json(render_v3(rec))

    @r.delete(collections + "/{name}/{record_id}")
    @_guarded
    async def delete_record(request: web.Request) -> web.Response:
        store = store_or_404(request)
        merchant.delete_record(store, request.match_info["name"], request.match_info["record_id"])
        return web.Response(status=204)

    @r.post(collections + "/{name}")
    @_guarded
    async def create_record(request: web.Request) -> web.Response:
        store = store_or_404(request)
        body = await _body(request)
        seed = body.pop("_seed", None)
        rec = merchant.create_record(store, request.match_info["name"], body, seed)
        return _json(render_v3(rec), 201)

    @r.post(collections + "/{name}/touch")
    @_guarded
    async def touch(request: web.Request) -> web.Response:
        store = store_or_404(request)
        body = await _body(request)
        fraction = body.get("fraction")
        ids = merchant.touch_records(
            store,
            request.match_info["name"],
            ids=body.get("ids"),
            fraction=float(fraction) if fraction is not None else None,
            seed=int(body.get("seed", 0)),
        )
        return _json({"ids": ids, "count": len(ids)})

    @r.get(PREFIX + "/factories")
    async def list_factories(request: web.Request) -> web.Response:
        return _json(factories.registered())

    # Faults and triggers ---------------------------------------------------------------------
    _register_armed(r, "/faults", state.faults, faults_mod.from_json)
    _register_armed(r, "/triggers", state.triggers, lambda b: triggers.from_json(b, state.stores))

    # Counts and the request log ---------------------------------------------------------------
    @r.get(PREFIX + "/stats")
    async def stats(request: web.Request) -> web.Response:
        only = request.query.get("store_hash")
        return _json(
            {"stores": {h: s.summary() for h, s in state.stats.items() if not only or h == only}}
        )

    @r.get(PREFIX + "/requests")
    @_guarded
    async def request_log(request: web.Request) -> web.Response:
        store_hash = request.query.get("store_hash")
        since = int(request.query.get("since", "0"))
        out: list[dict[str, Any]] = []
        for h, s in state.stats.items():
            if store_hash and h != store_hash:
                continue
            out.extend({**e, "store_hash": h} for e in s.log if e["seq"] > since)
        return _json(out)

    @r.delete(PREFIX + "/requests")
    async def clear_requests(request: web.Request) -> web.Response:
        store_hash = request.query.get("store_hash")
        for h, s in state.stats.items():
            if not store_hash or h == store_hash:
                s.clear()
        return _json({"ok": True})

    app.add_routes(r)
