"""Incremental T2 streams (channels, price lists, price list records): a second run with the
first run's state emits only what changed in between, using the endpoint's own filter; a
killed run resumed from its last STATE misses nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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

    since = max((e["seq"] for e in emulator.requests_log()), default=0)
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
    # The bookmark moved, to the newest time seen or, the changes being this recent, to
    # the start of the run (less the clock allowance): never past a change it may not
    # have read.
    assert resumed.last_state is not None
    moved = _bookmark(resumed.last_state, stream)
    newest = max(r["date_modified"] for r in resumed.records[stream])
    assert bookmark < moved <= newest


def test_records_changed_while_paging_are_read_by_the_next_run(emulator: Emulator) -> None:
    stream = "price_list_records"
    records = sorted(emulator.collection(stream), key=lambda r: r["id"])
    lists = sorted({r["price_list_id"] for r in records})
    assert len(lists) >= 2
    early = next(r for r in records if r["price_list_id"] == lists[0])
    late = [r for r in records if r["price_list_id"] == lists[-1]][-1]
    first_list_path = f"/v3/pricelists/{lists[0]}/records$"
    # ``early`` changes after it was emitted; ``late`` changes later (an hour on, so the
    # order does not hang on the clock's second) and is read in the same run with that
    # newer time. A bookmark at the newest time seen would skip ``early`` from then on.
    later = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0).isoformat()
    changes = [
        (early, {"price": 1.25}, 3),
        (late, {"price": 2.5, "date_modified": later}, 4),
    ]
    for record, change, after in changes:
        emulator.trigger(
            {"op": "update", "collection": stream, "id": record["id"], "changes": change},
            after=after,
            method="GET",
            path=first_list_path,
        )
    cfg = base_config(emulator, page_size=10, max_concurrency=1)
    first = run_tap(cfg, streams=[stream])
    assert first.returncode == 0, first.stderr[-2000:]
    assert [t["fired"] for t in emulator.control("GET", "/triggers")] == [True, True]
    by_key = {price_key(r): r for r in first.records[stream]}
    assert by_key[price_key(early)]["price"] != 1.25  # read before its change
    assert by_key[price_key(late)]["price"] == 2.5  # read after its change

    assert by_key[price_key(late)]["date_modified"] == later
    # The bookmark stops at the run's start, not at the newest time it saw.
    assert first.last_state is not None
    assert _bookmark(first.last_state, stream) < later

    second = run_tap(cfg, streams=[stream], state=first.last_state)
    assert second.returncode == 0, second.stderr[-2000:]
    again = {price_key(r): r for r in second.records[stream]}
    assert again[price_key(early)]["price"] == 1.25


def test_a_record_deleted_while_paging_does_not_hide_another(emulator: Emulator) -> None:
    stream = "price_list_records"
    records = sorted(emulator.collection(stream), key=lambda r: r["id"])
    first_list = records[0]["price_list_id"]
    in_list = [r for r in records if r["price_list_id"] == first_list]
    assert len(in_list) > 20
    # Deleted (from page 1) as page 2 is asked for: page 2 then starts one record later,
    # and the record that moved up onto page 1 would never be read.
    emulator.trigger(
        {"op": "delete", "collection": stream, "id": in_list[0]["id"]},
        after=2,
        method="GET",
        path=f"/v3/pricelists/{first_list}/records$",
    )
    since = max((e["seq"] for e in emulator.requests_log()), default=0)
    cfg = base_config(emulator, page_size=10, max_concurrency=1)
    run = run_tap(cfg, streams=[stream])
    assert run.returncode == 0, run.stderr[-2000:]
    remaining = {price_key(r) for r in emulator.collection(stream)}
    assert price_key(in_list[0]) not in remaining
    assert remaining <= {price_key(r) for r in run.records[stream]}
    # The list was read twice: once while it changed, once more after.
    path = f"/stores/{emulator.store_hash}/v3/pricelists/{first_list}/records"
    made = [e for e in emulator.requests_log(since) if e["path"] == path]
    pages = -(-len(in_list) // 10)
    assert pages + -(-(len(in_list) - 1) // 10) == len(made)


def test_a_set_that_keeps_changing_fails_the_run_clearly(emulator: Emulator) -> None:
    stream = "price_list_records"
    records = sorted(emulator.collection(stream), key=lambda r: r["id"])
    first_list = records[0]["price_list_id"]
    in_list = [r for r in records if r["price_list_id"] == first_list]
    pages = -(-len(in_list) // 10)
    assert pages >= 3 and -(-(len(in_list) - 3) // 10) == pages
    path = f"/v3/pricelists/{first_list}/records$"
    # One deletion during each of the three reads (as each read asks for its page 2).
    for attempt, record in enumerate(in_list[:3]):
        emulator.trigger(
            {"op": "delete", "collection": stream, "id": record["id"]},
            after=attempt * pages + 2,
            method="GET",
            path=path,
        )
    run = run_tap(base_config(emulator, page_size=10, max_concurrency=1), streams=[stream])
    assert run.returncode != 0
    assert [t["fired"] for t in emulator.control("GET", "/triggers")] == [True, True, True]
    message = run.stderr.strip().splitlines()[-1]
    assert f"/v3/pricelists/{first_list}/records" in message, message
    assert "kept being added or deleted" in message, message
    # No bookmark was written for a read that did not complete.
    assert all(
        "replication_key_value" not in s.get("bookmarks", {}).get(stream, {}) for s in run.states
    )
