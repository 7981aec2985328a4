"""Incremental T2 streams (channels, price lists, price list records): a second run with the
first run's state emits only what changed in between, using the endpoint's own filter; a
killed run resumed from its last STATE misses nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from tests.emulator_process import Emulator
from tests.tap.tap_runner import base_config, run_tap, run_tap_killed

INCREMENTAL = ["channels", "price_lists", "price_list_records"]
Record = dict[str, Any]


def price_key(r: Record) -> tuple[int, int, str]:
    return (r["price_list_id"], r["variant_id"], r["currency"])


KEYS: dict[str, Callable[[Record], Any]] = {
    "channels": lambda r: r["id"],
    "price_lists": lambda r: r["id"],
    "price_list_records": price_key,
}


def _bookmark(state: dict[str, Any], stream: str) -> str:
    return str(state["bookmarks"][stream]["replication_key_value"])


def test_second_run_emits_only_records_changed_in_between(emulator: Emulator) -> None:
    cfg = base_config(emulator)
    first = run_tap(cfg, streams=INCREMENTAL)
    assert first.returncode == 0, first.stderr[-2000:]
    state = first.last_state
    assert state is not None
    for stream in INCREMENTAL:
        assert len(first.records[stream]) == len(emulator.collection(stream)), stream

    channel = emulator.collection("channels")[0]
    price_list = emulator.collection("price_lists")[-1]
    price_records = emulator.collection("price_list_records")
    changed_records = [price_records[3], price_records[-1]]
    emulator.update_record("channels", channel["id"], name="Renamed channel")
    emulator.update_record("price_lists", price_list["id"], name="Renamed list")
    for rec in changed_records:
        emulator.update_record("price_list_records", rec["id"], price=12.5)
    changed = {
        "channels": {channel["id"]},
        "price_lists": {price_list["id"]},
        "price_list_records": {price_key(r) for r in changed_records},
    }

    since = max(e["seq"] for e in emulator.requests_log())
    second = run_tap(cfg, streams=INCREMENTAL, state=state)
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.last_state is not None
    for stream in INCREMENTAL:
        key = KEYS[stream]
        emitted = {key(r): r for r in second.records[stream]}
        assert changed[stream] <= set(emitted), stream
        # Anything else can only sit on the old bookmark (the :min filter is inclusive).
        boundary = _bookmark(state, stream)
        extra = [r for k, r in emitted.items() if k not in changed[stream]]
        assert all(r["date_modified"] == boundary for r in extra), (stream, extra[:2])
        assert _bookmark(second.last_state, stream) > boundary, stream
    assert next(iter(second.records["channels"]))["name"] == "Renamed channel"
    repriced = [
        r
        for r in second.records["price_list_records"]
        if price_key(r) in changed["price_list_records"]
    ]
    assert {r["price"] for r in repriced} == {12.5}

    # Every list request of the second run carried the endpoint's own filter at the bookmark.
    prefix = f"/stores/{emulator.store_hash}"
    for entry in emulator.requests_log(since):
        path = entry["path"].split(prefix, 1)[1]
        if path == "/v3/channels" or path.endswith("/records"):
            stream = "channels" if path == "/v3/channels" else "price_list_records"
            query = {k: v[-1] for k, v in parse_qs(entry["query"]).items()}
            assert query.get("date_modified:min") == _bookmark(state, stream), (path, query)


def test_killed_run_resumes_from_its_last_state_without_gaps(emulator: Emulator) -> None:
    cfg = base_config(emulator, page_size=10, max_concurrency=1)
    stream = "price_list_records"
    first = run_tap(cfg, streams=[stream])
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.last_state is not None
    bookmark = _bookmark(first.last_state, stream)
    touched = set(emulator.touch(stream, fraction=0.6, seed=3))
    changed = {price_key(r) for r in emulator.collection(stream) if r["id"] in touched}
    assert len(changed) > 40

    killed = run_tap_killed(
        cfg, streams=[stream], stream=stream, kill_after=25, state=first.last_state
    )
    assert killed.returncode != 0
    got_first = {price_key(r) for r in killed.records[stream]}
    assert 0 < len(got_first) < len(changed)
    # Read in id order, not by time: no STATE of the killed run moved the bookmark.
    assert killed.last_state is not None
    assert killed.last_state["bookmarks"][stream].get("replication_key_value") == bookmark

    resumed = run_tap(cfg, streams=[stream], state=killed.last_state)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert changed <= got_first | {price_key(r) for r in resumed.records[stream]}
    assert resumed.last_state is not None
    newest = max(r["date_modified"] for r in resumed.records[stream])
    assert _bookmark(resumed.last_state, stream) == newest
