"""The shared rate limiter spends a window's quota as fast as concurrency allows.

Judged from the emulator's own request log: which window counted each request (the
emulator's fixed window opens with the first request after the previous one ended), when
each one started, and how many were being served at once.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tap_bigcommerce.auth.base import StaticTokenAuthenticator
from tap_bigcommerce.client import BigCommerceClient, RateLimiter
from tests.emulator_process import Emulator, running_emulator

PATH = "/v2/order_statuses"
QUOTA = 40
WINDOW_S = 2.0
LATENCY_MS = 50


@pytest.fixture(scope="module")
def paced_emulator() -> Iterator[Emulator]:
    args = ["--size", "small", "--seed", "7", "--latency-ms", str(LATENCY_MS)]
    args += ["--quota", str(QUOTA), "--window-ms", str(int(WINDOW_S * 1000))]
    with running_emulator(*args) as emu:
        yield emu


def _client(emu: Emulator) -> BigCommerceClient:
    auth = StaticTokenAuthenticator(emu.store_hash, emu.token)
    return BigCommerceClient(
        api_url=emu.base_url,
        authenticator=auth,
        max_concurrency=8,
        backoff_factor_s=0.05,
        limiter=RateLimiter(),
    )


def _run(emu: Emulator, client: BigCommerceClient, count: int) -> list[dict[str, Any]]:
    since = max((e["seq"] for e in emu.requests_log()), default=0)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: client.get_json(PATH), range(count)))
    assert all(isinstance(r, list) and r for r in results)
    return sorted(emu.requests_log(since), key=lambda e: e["started"])


def _windows(log: list[dict[str, Any]], window_s: float) -> list[list[dict[str, Any]]]:
    """The log split as the emulator counts: a window opens with the first request after
    the previous window ended."""
    windows: list[list[dict[str, Any]]] = []
    opened = float("-inf")
    for entry in log:
        if entry["started"] - opened >= window_s:
            opened = entry["started"]
            windows.append([])
        windows[-1].append(entry)
    return windows


def _served_at_once(log: list[dict[str, Any]]) -> list[int]:
    """For each request, how many requests (itself included) the server held when it began."""
    return [
        sum(1 for other in log if other["started"] <= entry["started"] < other["ended"])
        for entry in log
    ]


def test_alone_with_quota_to_spare_requests_are_never_held_back(
    paced_emulator: Emulator,
) -> None:
    # 120 requests fit a 150-request window: only latency and concurrency bound them. A
    # limiter that counted requests in flight twice took this for another client and
    # spread them over the window, one at a time.
    paced_emulator.set_quota(150, window_ms=30_000)
    client = _client(paced_emulator)
    log = _run(paced_emulator, client, 120)
    assert [e["status"] for e in log] == [200] * 120
    assert len(_windows(log, 30.0)) == 1
    at_once = _served_at_once(log)
    assert max(at_once) == 8, at_once
    assert statistics.median(at_once) >= 5, at_once
    assert not client.limiter.shared


def test_each_window_is_spent_in_a_burst_then_the_reset_is_awaited(
    paced_emulator: Emulator,
) -> None:
    paced_emulator.set_quota(QUOTA, window_ms=int(WINDOW_S * 1000))  # a fresh window
    client = _client(paced_emulator)
    log = _run(paced_emulator, client, 100)
    assert [e["status"] for e in log].count(429) == 0, [e["status"] for e in log]
    windows = _windows(log, WINDOW_S)
    # Every window's whole quota is used, none is left over for a later one.
    assert [len(w) for w in windows] == [40, 40, 20]
    for number, window in enumerate(windows):
        opened = window[0]["started"]
        # A burst: the window's requests all start in its first half (8 at a time, 50 ms
        # each, take ~0.3 s), not spread towards its end.
        offsets = [round(e["started"] - opened, 3) for e in window]
        assert offsets[-1] < WINDOW_S / 2, (number, offsets)
        if number:
            # The next window opens soon after the last one ended, not a window later.
            previous_end = windows[number - 1][0]["started"] + WINDOW_S
            assert opened - previous_end < 0.5, (number, opened - previous_end)
    assert not client.limiter.shared


def test_another_client_spending_mid_window_is_seen_and_causes_no_429(
    paced_emulator: Emulator,
) -> None:
    paced_emulator.set_quota(QUOTA, window_ms=int(WINDOW_S * 1000))
    since = max((e["seq"] for e in paced_emulator.requests_log()), default=0)
    theirs = _client(paced_emulator)  # another app: its own limiter, the same quota
    for _ in range(10):
        theirs.get_json(PATH)
    ours = _client(paced_emulator)
    ours_log = _run(paced_emulator, ours, 45)
    # The first answer says 10 more were counted than we sent: shared, and never refused.
    assert [e["status"] for e in ours_log] == [200] * 45
    assert ours.limiter.shared
    log = sorted(paced_emulator.requests_log(since), key=lambda e: e["started"])
    # Sharing, ours are spread over what is left of the window rather than sent at once,
    # but most of the 30 the other app left were still used in it.
    windows = _windows(log, WINDOW_S)
    assert len(windows) == 2 and 10 + 20 <= len(windows[0]) <= QUOTA, [len(w) for w in windows]
