"""Part 1: the tap under faults against a store of a few thousand records; the whole output
is compared with the emulator's data afterwards."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.emulator_process import Emulator
from tests.faults.coverage import duplicates, missing
from tests.faults.injector import Burst, FaultInjector
from tests.faults.oauth import emulator_with_app, refresh_config, seed_token
from tests.faults.results import Case
from tests.faults.scenarios import BIG_STORE_ARGS, SPECS, STREAMS, tap_config
from tests.faults.tap_process import TapOutput, assert_own_error, run_tap
from tests.tap.canon import mismatches

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def store() -> Iterator[Emulator]:
    with emulator_with_app(*BIG_STORE_ARGS) as emu:
        yield emu


@pytest.fixture(scope="module")
def stored(store: Emulator) -> dict[str, dict[int, dict[str, Any]]]:
    return {s: {int(r["id"]): r for r in store.collection(s)} for s in STREAMS}


def check_complete(run: TapOutput, stored: dict[str, dict[int, dict[str, Any]]], row: Case) -> None:
    """No record missing or invented, content equal, duplicates only at the boundary."""
    records = 0
    for stream in STREAMS:
        lost, extra = missing([run], stream, set(stored[stream]))
        assert not lost, f"{stream}: {len(lost)} records never emitted, e.g. {sorted(lost)[:5]}"
        assert not extra, f"{stream}: records the store does not have: {sorted(extra)[:5]}"
        latest = {int(r["id"]): r for r in run.records(stream)}
        for rid, record in latest.items():
            diff = mismatches(record, stored[stream][rid])
            assert not diff, f"{stream} {rid}: {diff[:3]}"
        records += len(latest)
    check_bookmarks(run, stored)
    dups = duplicates([run], SPECS)
    assert not dups.violations, dups.violations[:5]
    row.add(records=records, duplicates=dups.total)


def mixed(seed: int) -> list[Burst]:
    rng = random.Random(seed)
    kinds = ["500", "502", "503", "reset", "truncated", "malformed", "429", "429-no-headers"]
    return [Burst(rng.choice(kinds), rng.randint(1, 3)) for _ in range(12)]


CASES: dict[str, tuple[Callable[[], list[Burst]], dict[str, Any], str]] = {
    "429 storm with rate-limit headers": (
        lambda: [Burst("429", 3, {"retry_after_ms": 1000}) for _ in range(5)],
        {},
        "5 bursts x 3 `429` (X-Retry-After 1 s)",
    ),
    "429 storm without headers": (
        lambda: [Burst("429-no-headers", 3) for _ in range(5)],
        {},
        "5 bursts x 3 bare `429`",
    ),
    "500/502/503 bursts": (
        lambda: [Burst(k, 4) for k in ("500", "502", "503") * 3],
        {},
        "9 bursts x 4 of `500`, `502`, `503`",
    ),
    "connection resets": (
        lambda: [Burst("reset", 3) for _ in range(8)],
        {},
        "8 bursts x 3 TCP resets",
    ),
    "slower than request_timeout": (
        lambda: [Burst("slow", 2, {"delay_ms": 2500}) for _ in range(4)],
        {"request_timeout": 1},
        "4 bursts x 2 answers 2.5 s late (timeout 1 s)",
    ),
    "truncated JSON bodies": (
        lambda: [Burst("truncated", 3) for _ in range(6)],
        {},
        "6 bursts x 3 bodies cut in half",
    ),
    "malformed JSON bodies": (
        lambda: [Burst("malformed", 3) for _ in range(6)],
        {},
        "6 bursts x 3 half bodies + `<html>`",
    ),
    "every kind mixed at random": (
        lambda: mixed(8),
        {},
        "12 random bursts of 1-3 (5xx, resets, broken bodies, 429s)",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_tap_survives_transient_faults(
    name: str,
    store: Emulator,
    stored: dict[str, dict[int, dict[str, Any]]],
    reliability: Callable[..., Case],
) -> None:
    make_bursts, extra, described = CASES[name]
    row = reliability(
        "1 tap",
        name,
        faults=described + ", every 8 requests",
        checked="exit 0; every record of 8 streams emitted and equal to the store; "
        "duplicates only at the bookmark boundary",
    )
    with FaultInjector(store, make_bursts(), every=8) as injector:
        run = run_tap(tap_config(store, **extra), STREAMS, label=f"faults {name}")
        injector.stop()
        fired = injector.fired()
    assert not injector.errors, injector.errors
    row.runs += 1
    assert run.returncode == 0, run.tail()
    assert fired >= injector.armed > 0, (fired, injector.armed)
    # Each fault costs at most a stated wait (1 s) or a short backoff, never a whole window.
    assert run.seconds < 60, run.seconds
    row.add(faults_fired=fired, seconds_run=round(run.seconds, 1))
    check_complete(run, stored, row)


@pytest.mark.parametrize("event", ["injected 401", "live token revoked"])
def test_401_mid_sync_with_refresh_recovers(
    event: str,
    store: Emulator,
    stored: dict[str, dict[int, dict[str, Any]]],
    tmp_path: Path,
    reliability: Callable[..., Case],
) -> None:
    row = reliability(
        "1 tap",
        f"401 mid-sync, OAuth refresh available ({event})",
        faults="one `401` after the 20th request"
        if event == "injected 401"
        else "the live access token revoked at the 21st request (every request in "
        "flight gets `401`)",
        checked="exit 0 after one refresh; rotated token saved; every record emitted and "
        "equal to the store",
    )
    file = tmp_path / "OAuthSettings.txt"
    first = seed_token(store, file)
    before = store.control("GET", "/oauth/stats")["counts"].get("refresh_token", 0)
    # Placed by the emulator at an exact request: armed from outside once 20 requests were
    # seen, it raced the tap, which could finish first.
    store.clear_faults()
    store.control("DELETE", "/triggers")
    if event == "injected 401":
        store.fault("401", 1, after=20)
    else:
        store.trigger({"op": "revoke_token", "token": first.access_token}, after=21)
    try:
        run = run_tap(tap_config(store, **refresh_config(store, file)), STREAMS, label="401 oauth")
        faults = store.control("GET", "/faults")
        triggers = store.control("GET", "/triggers")
    finally:
        store.clear_faults()
        store.control("DELETE", "/triggers")
    row.runs += 1
    fired = [f["fired"] for f in faults] + [int(t["fired"]) for t in triggers]
    # Exactly the one fault or trigger armed above, and it took effect.
    # Shown without the triggers' actions: a revoke_token action holds the live token.
    shown = (faults, [(t["fired"], t["error"]) for t in triggers])
    assert fired == [1] and not any(t["error"] for t in triggers), shown
    assert run.returncode == 0, run.tail()
    refreshes = store.control("GET", "/oauth/stats")["counts"].get("refresh_token", 0) - before
    assert refreshes == 1, refreshes
    assert "refreshed the OAuth token" in run.stderr
    from tap_bigcommerce.auth.settings_file import SettingsFile
    from tests.auth.oauth_helpers import CLIENT_ID, CLIENT_SECRET

    saved = SettingsFile(file, CLIENT_SECRET, CLIENT_ID).read()
    assert saved is not None and saved.access_token != first.access_token
    assert saved.refresh_token != first.refresh_token  # rotated, and persisted
    row.add(refreshes=refreshes)
    check_complete(run, stored, row)


def _instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_bookmarks(run: TapOutput, stored: dict[str, dict[int, dict[str, Any]]]) -> None:
    """No STATE carries a bookmark past a store record that was not emitted before it."""
    emitted: dict[str, set[int]] = {s.name: set() for s in SPECS}
    for msg in run.messages:
        if msg.type == "RECORD" and msg.stream in emitted:
            emitted[msg.stream].add(int(msg.record["id"]))
        elif msg.type == "STATE":
            for spec in SPECS:
                entry = (msg.value.get("bookmarks") or {}).get(spec.name) or {}
                mark = entry.get("replication_key_value")
                if spec.replication_key is None or mark is None:
                    continue
                passed = {
                    rid
                    for rid, r in stored[spec.name].items()
                    if _instant(r[spec.replication_key]) < _instant(mark)
                }
                skipped = passed - emitted[spec.name]
                assert not skipped, f"{spec.name}: bookmark {mark} passed {sorted(skipped)[:5]}"


@pytest.mark.parametrize("mode", ["store token", "OAuth, refresh token revoked"])
def test_401_without_refresh_fails_fast(
    mode: str,
    store: Emulator,
    stored: dict[str, dict[int, dict[str, Any]]],
    tmp_path: Path,
    reliability: Callable[..., Case],
) -> None:
    oauth = mode.startswith("OAuth")
    row = reliability(
        "1 tap",
        f"401 mid-sync, no refresh ({mode})",
        faults="`401` on every request after the 20th"
        if not oauth
        else "refresh token revoked before the run, `401` on every request after the 20th",
        checked="non-zero exit within 30 s; one clear error naming the store (and, for "
        "OAuth, the two headless options); no token printed; no bookmark past the output",
    )
    config = tap_config(store)
    if oauth:
        file = tmp_path / "OAuthSettings.txt"
        token = seed_token(store, file)
        config = tap_config(store, **refresh_config(store, file))
        store.control("POST", "/oauth/revoke", json={"token": token.refresh_token})
    # Armed before the run and fired by the emulator itself from the 21st request: a fault
    # armed from outside once 20 requests were seen raced the tap, which could finish first.
    store.clear_faults()
    store.fault("401", 1000, after=20)
    try:
        run = run_tap(config, STREAMS, label=f"401 {mode}")
        (fault,) = store.control("GET", "/faults")
    finally:
        store.clear_faults()
    row.runs += 1
    assert fault["fired"] >= 1, fault
    assert run.returncode != 0
    assert run.seconds < 30, run.seconds
    assert f"store {store.store_hash!r} rejected the access token" in run.stderr, run.tail()
    if oauth:
        assert "oauth_verifier" in run.stderr and "tap-bigcommerce-auth login" in run.stderr
    assert_own_error(run.stderr)
    check_bookmarks(run, stored)
    row.add(
        seconds_to_fail=round(run.seconds, 1),
        records_before_failing=sum(1 for m in run.messages if m.type == "RECORD"),
    )
