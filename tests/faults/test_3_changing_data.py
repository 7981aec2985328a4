"""Part 3: records created, modified and deleted while the tap pages through them, at
random, over 20+ runs (each run incremental from the one before): every record that existed
for the whole sync (and was due in it) is emitted, and every record modified or created
during the sync is emitted, in its new version, in this run or the next."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator
from tests.faults.results import Case
from tests.faults.tap_process import TapOutput, run_tap

pytestmark = pytest.mark.faults

RUNS_WITH_CHANGES = 21
LISTS = {  # stream -> (list path the tap pages through, a field a merchant edits)
    "products": ("^/v3/catalog/products$", "name"),
    "customers": ("^/v3/customers$", "notes"),
    "orders": ("^/v2/orders$", "staff_notes"),
}
STREAMS = list(LISTS)


@pytest.fixture(scope="module")
def store() -> Iterator[Emulator]:
    args = ("--products", "150", "--customers", "150", "--orders", "200", "--seed", "9")
    with running_emulator(*args, "--quota", "0") as emu:
        yield emu


def instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def snapshot(emu: Emulator) -> dict[str, dict[int, datetime]]:
    return {
        s: {int(r["id"]): instant(r["date_modified"]) for r in emu.collection(s)} for s in STREAMS
    }


def bookmark(state: dict[str, Any] | None, stream: str) -> datetime | None:
    value = (((state or {}).get("bookmarks") or {}).get(stream) or {}).get("replication_key_value")
    return instant(value) if value else None


def arm_changes(emu: Emulator, rng: random.Random, run_no: int) -> int:
    """Three to seven merchant changes, each at a random page of a random list."""
    armed = 0
    for _ in range(rng.randint(3, 7)):
        stream = rng.choice(STREAMS)
        path, field = LISTS[stream]
        ids = [int(r["id"]) for r in emu.collection(stream)]
        op = rng.choice(["update", "update", "touch", "delete", "create"])
        action: dict[str, Any] = {"op": op, "collection": stream}
        if op == "update":
            action |= {"id": rng.choice(ids), "changes": {field: f"run {run_no} change {armed}"}}
        elif op == "touch":
            action["ids"] = rng.sample(ids, 3)
        elif op == "delete":
            action["id"] = rng.choice(ids)
        else:
            action["changes"] = {}
        emu.trigger(action, after=rng.randint(1, 6), method="GET", path=path)
        armed += 1
    return armed


def versions(run: TapOutput, stream: str) -> dict[int, list[datetime]]:
    out: dict[int, list[datetime]] = {}
    for record in run.records(stream):
        out.setdefault(int(record["id"]), []).append(instant(record["date_modified"]))
    return out


def test_changes_while_paging_are_never_lost(
    store: Emulator, reliability: Callable[..., Case]
) -> None:
    row = reliability(
        "3 changing data",
        "creates, updates, touches and deletes fired at random pages of products, "
        "customers and orders",
        faults=f"{RUNS_WITH_CHANGES} runs, each after touching 10-40% of every list, with 3-7 "
        "changes at random pages (emulator triggers); page size 10-40, 1-4 threads",
        checked="every record that existed for the whole sync and was due in it is emitted; "
        "every record created or modified during a run is emitted in its new version in "
        "that run or the next; the last run exits 0",
    )
    rng = random.Random(3)
    state: dict[str, Any] | None = None
    pending: dict[str, dict[int, datetime]] = {s: {} for s in STREAMS}  # due by the next run
    totals = {"changes_fired": 0, "records_checked": 0, "late_by_one_run": 0}
    for run_no in range(RUNS_WITH_CHANGES + 1):
        changing = run_no < RUNS_WITH_CHANGES
        if changing and run_no > 0:
            for stream in STREAMS:
                store.touch(stream, fraction=rng.uniform(0.1, 0.4), seed=rng.randint(1, 10**6))
        before = snapshot(store)
        if changing:
            arm_changes(store, rng, run_no)
        config = {
            "store_hash": store.store_hash,
            "access_token": store.token,
            "api_url": store.base_url,
            "page_size": rng.choice([10, 15, 25, 40]),
            "max_concurrency": rng.choice([1, 2, 4]),
            "retry_backoff": 0.05,
        }
        run = run_tap(config, STREAMS, state=state, label=f"changing data run {run_no}")
        fired = [t for t in store.control("GET", "/triggers") if t["fired"]]
        store.control("DELETE", "/triggers")
        assert run.returncode == 0, run.tail()
        after = snapshot(store)
        totals["changes_fired"] += len(fired)
        for stream in STREAMS:
            seen = versions(run, stream)
            start = bookmark(state, stream)
            # Existed for the whole sync, and due in it (at or after the starting bookmark).
            due = {
                rid
                for rid, modified in before[stream].items()
                if rid in after[stream] and (start is None or modified >= start)
            }
            lost = due - set(seen)
            assert not lost, (
                f"run {run_no}: {stream} {sorted(lost)[:5]} existed and were not emitted"
            )
            # Changed last run: must be out by now, in that version or newer.
            for rid, modified in pending[stream].items():
                if rid in after[stream] and not any(v >= modified for v in seen.get(rid, [])):
                    raise AssertionError(
                        f"run {run_no}: {stream} {rid} modified at {modified} during the "
                        "previous run was emitted in neither run"
                    )
            # Created or modified during this run: out now, or due in the next run.
            pending[stream] = {}
            for rid, modified in after[stream].items():
                if before[stream].get(rid) == modified:
                    continue
                if any(v >= modified for v in seen.get(rid, [])):
                    continue
                pending[stream][rid] = modified
                totals["late_by_one_run"] += 1
            totals["records_checked"] += len(due)
        state = run.last_state or state
        row.runs += 1
    assert all(not p for p in pending.values()), "the last run (no changes) left changes behind"
    assert totals["changes_fired"] >= RUNS_WITH_CHANGES * 2, totals
    row.add(**totals)
