"""The shared client against the emulator: pacing under a quota, retries, error messages."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tap_bigcommerce.auth.base import StaticTokenAuthenticator
from tap_bigcommerce.client import (
    ApiError,
    AuthError,
    BigCommerceClient,
    ConfigError,
    RateLimiter,
    RetriesExhausted,
)
from tests.emulator_process import Emulator

PATH = "/v2/order_statuses"


def make_client(emu: Emulator, token: str | None = None, **kw: object) -> BigCommerceClient:
    auth = StaticTokenAuthenticator(emu.store_hash, token or emu.token)
    opts: dict[str, object] = {"backoff_factor_s": 0.05, "limiter": RateLimiter(), **kw}
    return BigCommerceClient(api_url=emu.base_url, authenticator=auth, **opts)  # type: ignore[arg-type]


def _statuses(emu: Emulator, since: int) -> list[int]:
    return [e["status"] for e in emu.requests_log(since)]


def _seq(emu: Emulator) -> int:
    return max((e["seq"] for e in emu.requests_log()), default=0)


def test_paces_under_a_small_quota_without_any_429(emulator: Emulator) -> None:
    emulator.set_quota(10, window_ms=1000)
    client = make_client(emulator)
    since = _seq(emulator)
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: client.get_json(PATH), range(35)))
    elapsed = time.monotonic() - started
    assert all(isinstance(r, list) and r for r in results)
    statuses = _statuses(emulator, since)
    assert statuses.count(429) == 0, statuses
    assert len(statuses) == 35
    # 35 requests at 10 per second need three full windows.
    assert elapsed >= 2.5


def test_adapts_when_another_client_spends_the_quota(emulator: Emulator) -> None:
    emulator.set_quota(12, window_ms=1000)
    theirs = make_client(emulator)  # another app: its own limiter, the same store quota
    for _ in range(7):
        theirs.get_json(PATH)
    ours = make_client(emulator)
    since = _seq(emulator)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ours.get_json(PATH), range(20)))
    assert all(isinstance(r, list) for r in results)
    # Our first answer said only 5 were left: no request of ours was refused.
    assert _statuses(emulator, since) == [200] * 20


def test_two_clients_at_once_settle_on_the_shared_quota(emulator: Emulator) -> None:
    emulator.set_quota(12, window_ms=1000)
    ours, theirs = make_client(emulator), make_client(emulator)
    since = _seq(emulator)
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(c.get_json, PATH) for _ in range(15) for c in (ours, theirs)]
        results = [f.result() for f in futures]
    assert all(isinstance(r, list) for r in results)
    statuses = _statuses(emulator, since)
    assert statuses.count(200) == 30
    # Both start blind; once each has seen the other spend, they spread their requests.
    assert statuses.count(429) <= 6, statuses
    assert ours.limiter.shared or theirs.limiter.shared


@pytest.mark.parametrize(
    ("kind", "count"),
    [("500", 3), ("502", 2), ("503", 2), ("reset", 2), ("truncated", 2), ("malformed", 2)],
)
def test_recovers_from_transient_faults(emulator: Emulator, kind: str, count: int) -> None:
    client = make_client(emulator)
    clean = client.get_json(PATH)
    emulator.fault(kind, count, path=PATH)
    since = _seq(emulator)
    assert client.get_json(PATH) == clean
    assert len(emulator.requests_log(since)) == count + 1


def test_429_waits_for_the_retry_headers(emulator: Emulator) -> None:
    client = make_client(emulator)
    emulator.fault("429", 1, path=PATH, retry_after_ms=600)
    started = time.monotonic()
    assert client.get_json(PATH)
    # X-Retry-After says 1 s (rounded up), longer than the 0.6 s reset: the longer wins.
    assert time.monotonic() - started >= 0.95


def test_429_without_headers_backs_off_and_recovers(emulator: Emulator) -> None:
    client = make_client(emulator)
    emulator.fault("429-no-headers", 3, path=PATH)
    since = _seq(emulator)
    assert client.get_json(PATH)
    assert _statuses(emulator, since).count(429) == 3


def test_gives_up_after_bounded_retries_with_a_clear_error(emulator: Emulator) -> None:
    client = make_client(emulator, max_retries=2)
    emulator.fault("500", 10, path=PATH)
    with pytest.raises(RetriesExhausted) as err:
        client.get_json(PATH)
    message = str(err.value)
    assert PATH in message and "3 attempts" in message and emulator.store_hash in message
    assert emulator.token not in message


def test_rejected_token_names_the_store_and_hides_the_token(emulator: Emulator) -> None:
    client = make_client(emulator, token="wrong-secret-token")
    with pytest.raises(AuthError) as err:
        client.get_json(PATH)
    message = str(err.value)
    assert emulator.store_hash in message and "rejected" in message
    assert "wrong-secret-token" not in message and "wrong-secret-token" not in repr(client)


def test_unknown_store_is_a_configuration_error(emulator: Emulator) -> None:
    auth = StaticTokenAuthenticator("nosuchstore", emulator.token)
    client = BigCommerceClient(api_url=emulator.base_url, authenticator=auth)
    with pytest.raises(ConfigError, match="store_hash: no store 'nosuchstore'"):
        client.get_json(PATH)


def test_server_clock_comes_from_the_date_header(emulator: Emulator) -> None:
    from datetime import UTC, datetime, timedelta

    client = make_client(emulator)
    assert client.server_now() is None
    client.get_json(PATH)
    server = client.server_now()
    assert server is not None
    local = datetime.now(UTC)
    # One second is taken off for the header's resolution: never ahead of the store.
    assert local - timedelta(seconds=3) <= server <= local


def test_429_waits_what_it_states_not_the_window_learned_before(emulator: Emulator) -> None:
    # The injected 429 comes back at once; the requests in flight with it answer 100 ms
    # later with the window's older figures (reset ~3.8 s away). The 429 said 2 s, and
    # that is what is waited.
    emulator.control("POST", "/latency", json={"ms": 100, "jitter_ms": 0})
    emulator.set_quota(1000, window_ms=4000)
    client = make_client(emulator)
    client.get_json(PATH)
    emulator.fault("429", 1, path=PATH, retry_after_ms=1500)  # X-Retry-After: 2
    since = _seq(emulator)
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: client.get_json(PATH), range(16)))
    elapsed = time.monotonic() - started
    assert all(isinstance(r, list) and r for r in results)
    assert _statuses(emulator, since).count(429) == 1
    # 2 s stated + about three rounds of 100 ms; waiting for the old reset takes 3.8 s+.
    assert 1.95 <= elapsed < 3.3, elapsed


def test_after_a_429_the_next_answer_sets_the_window(emulator: Emulator) -> None:
    # After the stated wait the limiter starts a window of its own (4 s from then); the
    # server's is older and resets ~0.5 s later. Its first answer must replace the guess,
    # or the last requests of the server's window are spread over the guessed one.
    emulator.control("POST", "/latency", json={"ms": 90, "jitter_ms": 0})
    emulator.set_quota(20, window_ms=4000)
    client = make_client(emulator)
    started = time.monotonic()
    for _ in range(16):  # ~1.5 s
        client.get_json(PATH)
    emulator.fault("429", 1, path=PATH, retry_after_ms=2000)  # spends no quota
    since = _seq(emulator)
    for _ in range(6):  # 4 left in the server's window, 2 in the next one
        assert client.get_json(PATH)
    elapsed = time.monotonic() - started
    assert _statuses(emulator, since).count(429) == 1
    # About 4.5 s; spreading over the guessed window (ending ~7.5 s) takes 9 s.
    assert elapsed < 6.5, elapsed


def test_429_without_headers_does_not_wait_for_the_learned_reset(emulator: Emulator) -> None:
    emulator.set_quota(1000, window_ms=30_000)
    client = make_client(emulator)
    client.get_json(PATH)  # the limiter learns a reset ~30 s away
    emulator.fault("429-no-headers", 1, path=PATH)
    started = time.monotonic()
    assert client.get_json(PATH)
    assert client.get_json(PATH)
    # A back-off (0.05 s factor here), then one probe: not the rest of the 30 s window.
    assert time.monotonic() - started < 5.0


def test_a_missing_resource_on_the_first_request_is_not_an_unknown_store(
    emulator: Emulator,
) -> None:
    client = make_client(emulator)
    missing = "/v3/pricelists/987654/records"
    since = _seq(emulator)
    with pytest.raises(ApiError) as err:
        client.get_json(missing)
    assert err.value.status == 404 and not isinstance(err.value, ConfigError)
    assert missing in str(err.value)
    # One store-level request confirmed the store exists; later 404s need no check.
    assert [e["path"].split(emulator.store_hash, 1)[-1] for e in emulator.requests_log(since)] == [
        missing,
        "/v2/time",
    ]
    with pytest.raises(ApiError):
        client.get_json(missing)
    assert len(emulator.requests_log(since)) == 3
    assert client.get_json(PATH)
