"""Latency must not serialise requests, and documented concurrency caps answer 429."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from tests.emulator.framework_support import capped_route, concrete, plain_get_route
from tests.emulator_process import Emulator, running_emulator


async def _burst(emu: Emulator, path: str, n: int) -> list[tuple[int, dict[str, str]]]:
    url = f"{emu.base_url}/stores/{emu.store_hash}{path}"
    headers = {"X-Auth-Token": emu.token}
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one() -> tuple[int, dict[str, str]]:
            async with session.get(url, headers=headers) as r:
                await r.read()
                return r.status, dict(r.headers)

        return await asyncio.gather(*(one() for _ in range(n)))


def _max_overlap(log: list[dict[str, Any]]) -> int:
    events = sorted([(e["started"], 1) for e in log] + [(e["ended"], -1) for e in log])
    depth = best = 0
    for _, step in events:
        depth += step
        best = max(best, depth)
    return best


def test_latency_does_not_serialise_64_concurrent_clients() -> None:
    with running_emulator("--size", "tiny", "--quota", "0", "--latency-ms", "100") as emu:
        path = plain_get_route().path
        since = emu.stats()["last_seq"]
        results = asyncio.run(_burst(emu, path, 64))
        assert all(status in (200, 204) for status, _ in results)
        log = emu.requests_log(since=since)
        assert len(log) == 64
        # Each request was held ~100 ms; had they been served one at a time, none would overlap.
        assert all(e["ended"] - e["started"] >= 0.08 for e in log)
        assert _max_overlap(log) >= 48
        assert emu.stats()["store_max_in_flight"] >= 48


def test_documented_concurrency_cap_answers_429() -> None:
    route = capped_route()
    assert route.cap is not None
    with running_emulator("--size", "tiny", "--quota", "0", "--latency-ms", "400") as emu:
        # The cap is checked before the handler, so any id holds a slot for the latency.
        path = concrete(route.path)
        n = route.cap + 16
        results = asyncio.run(_burst(emu, path, n))
        served = [s for s, _ in results if s != 429]
        refused = [h for s, h in results if s == 429]
        assert refused, f"{n} concurrent requests to a route capped at {route.cap} all served"
        assert len(served) <= route.cap
        assert all("X-Retry-After" in h and "X-Rate-Limit-Requests-Left" in h for h in refused)
        # Once the burst is over the cap frees up again.
        assert emu.api("GET", path).status_code != 429
