"""The control API under ``/__emulator/``: a path the real API never uses.

Tests and benchmarks use it to create and reseed stores, add tokens, change records as a
merchant would, inject faults, and read request counts and the request log.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bigcommerce_emulator import faults as faults_mod
from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.state import EmulatorState

PREFIX = "/__emulator"


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(payload, default=str), content_type="application/json"
    )


def _bad(message: str, status: int = 400) -> web.Response:
    return _json({"error": message}, status)


def sizes_from(body: dict[str, Any], default: Sizes | None = None) -> Sizes:
    base = Sizes.named(body["size"]) if "size" in body else (default or Sizes.named("small"))
    return Sizes(
        products=int(body.get("products", base.products)),
        customers=int(body.get("customers", base.customers)),
        orders=int(body.get("orders", base.orders)),
        variants_per_product=int(body.get("variants_per_product", base.variants_per_product)),
        items_per_order=int(body.get("items_per_order", base.items_per_order)),
    )


def register(app: web.Application, state: EmulatorState) -> None:
    r = web.RouteTableDef()

    @r.get(PREFIX + "/health")
    async def health(request: web.Request) -> web.Response:
        return _json({"ok": True, "stores": sorted(state.stores)})

    @r.post(PREFIX + "/stores")
    async def create_store(request: web.Request) -> web.Response:
        body = await request.json()
        store_hash = body.get("store_hash")
        if not store_hash:
            return _bad("store_hash is required")
        tokens = {
            t["token"]: frozenset(t["scopes"]) if "scopes" in t else None
            for t in body.get("tokens", [])
        }
        store = state.create_store(
            store_hash,
            seed=int(body.get("seed", 1)),
            sizes=sizes_from(body),
            quota=int(body.get("quota", 150)),
            window_ms=int(body.get("window_ms", 30_000)),
        )
        for value, scopes in tokens.items():
            state.add_token(store_hash, value, scopes)
        return _json({"store_hash": store.store_hash}, 201)

    @r.post(PREFIX + "/stores/{store_hash}/reset")
    async def reset_store(request: web.Request) -> web.Response:
        store_hash = request.match_info["store_hash"]
        if store_hash not in state.stores:
            return _bad("unknown store", 404)
        body = await request.json() if request.can_read_body else {}
        seed = body.get("seed")
        sizes = sizes_from(body, state.stores[store_hash].sizes) if body else None
        state.reset_store(store_hash, seed=int(seed) if seed is not None else None, sizes=sizes)
        return _json({"store_hash": store_hash})

    @r.post(PREFIX + "/stores/{store_hash}/tokens")
    async def add_token(request: web.Request) -> web.Response:
        store_hash = request.match_info["store_hash"]
        if store_hash not in state.stores:
            return _bad("unknown store", 404)
        body = await request.json()
        scopes = frozenset(body["scopes"]) if "scopes" in body else None
        state.add_token(store_hash, str(body["token"]), scopes)
        return _json({"ok": True}, 201)

    @r.post(PREFIX + "/stores/{store_hash}/quota")
    async def set_quota(request: web.Request) -> web.Response:
        store_hash = request.match_info["store_hash"]
        if store_hash not in state.stores:
            return _bad("unknown store", 404)
        body = await request.json()
        state.stores[store_hash].quota.configure(body.get("quota"), body.get("window_ms"))
        return _json({"ok": True})

    @r.get(PREFIX + "/stores/{store_hash}/collections/{name}")
    async def dump_collection(request: web.Request) -> web.Response:
        store = state.stores.get(request.match_info["store_hash"])
        if store is None:
            return _bad("unknown store", 404)
        col = store.collections.get(request.match_info["name"])
        if col is None:
            return _bad("unknown collection", 404)
        return _json([render_v3(r) for r in col])

    @r.get(PREFIX + "/stats")
    async def stats(request: web.Request) -> web.Response:
        return _json({"stores": {h: s.summary() for h, s in state.stats.items()}})

    @r.get(PREFIX + "/requests")
    async def request_log(request: web.Request) -> web.Response:
        store_hash = request.query.get("store_hash")
        since = int(request.query.get("since", "0"))
        out = []
        for h, s in state.stats.items():
            if store_hash and h != store_hash:
                continue
            out.extend({**e, "store_hash": h} for e in s.log if e["seq"] > since)
        return _json(out)

    @r.post(PREFIX + "/faults")
    async def add_fault(request: web.Request) -> web.Response:
        try:
            fault = faults_mod.from_json(await request.json())
        except (ValueError, KeyError) as exc:
            return _bad(str(exc))
        state.faults.append(fault)
        return _json(fault.to_json(), 201)

    @r.get(PREFIX + "/faults")
    async def list_faults(request: web.Request) -> web.Response:
        return _json([f.to_json() for f in state.faults])

    @r.delete(PREFIX + "/faults")
    async def clear_faults(request: web.Request) -> web.Response:
        state.faults.clear()
        return _json({"ok": True})

    app.add_routes(r)
