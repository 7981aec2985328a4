"""The per-store request quota over real HTTP: 429 with X-Retry-After once it is spent,
the four X-Rate-Limit-* headers on every answer, the window reset, one quota shared by
every client of a store, and stores independent of each other."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from tests.emulator.framework_support import plain_get_route
from tests.emulator_process import Emulator, running_emulator

RATE_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator(
        "--size", "tiny", "--quota", "5", "--window-ms", "60000",
        "--store-hash", "second", "--token", "second-token",
    ) as e:  # fmt: skip
        yield e


@pytest.fixture
def path(emu: Emulator) -> str:
    # A fresh window for each test.
    emu.set_quota(5, 60_000)
    emu.control("POST", "/stores/second/quota", json={"quota": 5, "window_ms": 60_000})
    return plain_get_route().path


def test_quota_spent_gives_429_with_retry_after_and_headers(emu: Emulator, path: str) -> None:
    lefts = []
    for _ in range(5):
        r = emu.api("GET", path)
        assert r.status_code in (200, 204)
        for h in RATE_HEADERS:
            assert h in r.headers, h
        assert r.headers["X-Rate-Limit-Requests-Quota"] == "5"
        assert r.headers["X-Rate-Limit-Time-Window-Ms"] == "60000"
        lefts.append(int(r.headers["X-Rate-Limit-Requests-Left"]))
    assert lefts == [4, 3, 2, 1, 0]
    r = emu.api("GET", path)
    assert r.status_code == 429
    for h in RATE_HEADERS:
        assert h in r.headers, h
    assert r.headers["X-Rate-Limit-Requests-Left"] == "0"
    reset_ms = int(r.headers["X-Rate-Limit-Time-Reset-Ms"])
    assert 0 < reset_ms <= 60_000
    retry_s = int(r.headers["X-Retry-After"])
    assert retry_s == -(-reset_ms // 1000)
    body = r.json()
    assert body[0]["status"] == 429 if isinstance(body, list) else body["status"] == 429


def test_window_resets(emu: Emulator, path: str) -> None:
    emu.set_quota(2, 400)
    assert emu.api("GET", path).status_code in (200, 204)
    assert emu.api("GET", path).status_code in (200, 204)
    refused = emu.api("GET", path)
    assert refused.status_code == 429
    # Wait exactly as long as the server says, then the window has rolled over.
    time.sleep(int(refused.headers["X-Rate-Limit-Time-Reset-Ms"]) / 1000 + 0.05)
    r = emu.api("GET", path)
    assert r.status_code in (200, 204)
    assert r.headers["X-Rate-Limit-Requests-Left"] == "1"


def test_quota_is_shared_by_every_client_of_the_store(emu: Emulator, path: str) -> None:
    emu.add_token("second-app", None)
    other_client = requests.Session()
    url = f"{emu.base_url}/stores/{emu.store_hash}{path}"
    for i in range(5):
        if i % 2:
            r = emu.api("GET", path)
        else:
            r = other_client.get(url, headers={"X-Auth-Token": "second-app"}, timeout=30)
        assert r.status_code in (200, 204)
    assert emu.api("GET", path).status_code == 429
    r = other_client.get(url, headers={"X-Auth-Token": "second-app"}, timeout=30)
    assert r.status_code == 429


def test_stores_have_independent_quotas(emu: Emulator, path: str) -> None:
    for _ in range(5):
        assert emu.api("GET", path).status_code in (200, 204)
    assert emu.api("GET", path).status_code == 429
    second = f"{emu.base_url}/stores/second{path}"
    r = emu.session.get(second, headers={"X-Auth-Token": "second-token"}, timeout=30)
    assert r.status_code in (200, 204)
    assert r.headers["X-Rate-Limit-Requests-Left"] == "4"


def test_refused_requests_do_not_spend_the_next_window(emu: Emulator, path: str) -> None:
    emu.set_quota(1, 300)
    assert emu.api("GET", path).status_code in (200, 204)
    last = None
    for _ in range(3):
        last = emu.api("GET", path)
        assert last.status_code == 429
    assert last is not None
    time.sleep(int(last.headers["X-Rate-Limit-Time-Reset-Ms"]) / 1000 + 0.05)
    assert emu.api("GET", path).status_code in (200, 204)


def test_zero_quota_is_unlimited() -> None:
    with running_emulator("--size", "tiny", "--quota", "0") as e:
        path = plain_get_route().path
        for _ in range(20):
            r = e.api("GET", path)
            assert r.status_code in (200, 204)
            for h in RATE_HEADERS:
                assert h in r.headers
