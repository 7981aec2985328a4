"""An incremental keyset read stops once it has emitted as many records as the list holds.

The list's total is known from the first v3 page (``meta.pagination.total``) or the v2
``/count``; with it the sequential keyset read does not ask for a page that could only come
back short or empty. That loses nothing: the read goes in (date_modified, id) order and a
change stamps a record with the present, so every record not read yet sorts after the last
one emitted. The bookmark (that record's time) never passes it, and the next run, whose
filter on the bookmark is inclusive, reads it: a record changed during the run is at worst
delayed to the next run. Records are counted by distinct id, so a record changed mid-read
and met again does not stand in for one not read yet.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.emulator_process import Emulator
from tests.tap.tap_runner import TapRun, base_config, run_tap

PAGE = 10


def _bookmark(state: dict[str, Any] | None, stream: str) -> str:
    assert state is not None
    return str(state["bookmarks"][stream]["replication_key_value"])


def _first_run(emulator: Emulator, stream: str) -> dict[str, Any]:
    run = run_tap(base_config(emulator), streams=[stream])
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.last_state is not None
    return run.last_state


def _chosen(emulator: Emulator, stream: str, bookmark: str, n: int) -> list[int]:
    """``n`` ids, among them every record at the bookmark's second: once they are all
    changed, the set a run from that bookmark reads is exactly these."""
    records = sorted(emulator.collection(stream), key=lambda r: (r["date_modified"], r["id"]))
    boundary = [r["id"] for r in records if r["date_modified"] == bookmark]
    others = [r["id"] for r in records if r["date_modified"] < bookmark]
    assert all(r["date_modified"] <= bookmark for r in records)
    assert len(boundary) <= n
    return sorted(boundary + others[: n - len(boundary)])


def _made(emulator: Emulator, since: int) -> Counter[str]:
    prefix = f"/stores/{emulator.store_hash}"
    return Counter(e["path"].split(prefix, 1)[1] for e in emulator.requests_log(since))


def _last_seq(emulator: Emulator) -> int:
    return max((e["seq"] for e in emulator.requests_log()), default=0)


@pytest.mark.parametrize("max_concurrency", [1, 4])
def test_orders_changed_in_one_second_are_read_in_count_plus_two_pages(
    emulator: Emulator, max_concurrency: int
) -> None:
    # The bench's incremental case in small: 2 pages of orders touched in one second. The
    # first page is full and of one second, so the count is asked (v2 pages carry no total,
    # and 20 is a multiple of the page: no short page would show the end); the second page
    # walks that second by id and brings the 20th order, and the read ends there. Before,
    # it asked the tie walk again (empty) and the next second (empty): 4 pages.
    state = _first_run(emulator, "orders")
    changed = _chosen(emulator, "orders", _bookmark(state, "orders"), 2 * PAGE)
    assert emulator.touch("orders", ids=changed)
    stamps = {o["date_modified"] for o in emulator.collection("orders") if o["id"] in changed}
    assert len(stamps) == 1
    since = _last_seq(emulator)
    cfg = base_config(emulator, page_size=PAGE, max_concurrency=max_concurrency)
    run = run_tap(cfg, streams=["orders"], state=state)
    assert run.returncode == 0, run.stderr[-2000:]
    assert sorted(run.ids("orders")) == changed
    assert _made(emulator, since) == {"/v2/orders/count": 1, "/v2/orders": 2}
    assert _bookmark(run.last_state, "orders") == stamps.pop()


def test_a_full_first_page_holding_the_total_is_the_only_request(emulator: Emulator) -> None:
    # v3 says on the first page that it holds every match: no page is asked after it.
    state = _first_run(emulator, "products")
    changed = _chosen(emulator, "products", _bookmark(state, "products"), PAGE)
    assert emulator.touch("products", ids=changed)
    since = _last_seq(emulator)
    run = run_tap(base_config(emulator, page_size=PAGE), streams=["products"], state=state)
    assert run.returncode == 0, run.stderr[-2000:]
    assert sorted(run.ids("products")) == changed
    assert _made(emulator, since) == {"/v3/catalog/products": 1}


def _stamp(emulator: Emulator, ids: list[int], when: datetime) -> None:
    for oid in ids:
        emulator.update_record("orders", oid, date_modified=when.isoformat())


def _versions(runs: list[TapRun], oid: int) -> list[dict[str, Any]]:
    return [r for run in runs for r in run.records["orders"] if r["id"] == oid]


@pytest.mark.parametrize("when", ["behind the reader", "ahead of the reader"])
def test_orders_changed_during_the_read_are_not_lost_over_two_runs(
    emulator: Emulator, when: str
) -> None:
    """Orders changed while the run reads are emitted by it or by the next run.

    20 orders share a past second T (fixed, so the changes made during the read land in a
    later second). Before the second page is served, a trigger changes either an order
    already emitted plus one outside the set (behind the reader: the 20th distinct order
    still comes on page 2, the read stops there, and both wait for the next run, which
    starts at T) or an order not read yet (ahead: page 2 comes back short, so the read goes
    on and meets it at its new time).
    """
    state = _first_run(emulator, "orders")
    bookmark = _bookmark(state, "orders")
    changed = _chosen(emulator, "orders", bookmark, 2 * PAGE)
    second_t = datetime.fromisoformat(bookmark) + timedelta(hours=1)
    _stamp(emulator, changed, second_t)
    if when == "behind the reader":
        # The lowest id of the set is on page 1; the oldest order is in no page at all.
        oldest = min(emulator.collection("orders"), key=lambda o: (o["date_modified"], o["id"]))
        mid_run = [changed[0], oldest["id"]]
    else:
        mid_run = [changed[-1]]  # page 2 would have held it
    for oid in mid_run:
        emulator.trigger(
            {"op": "update", "collection": "orders", "id": oid, "changes": {"staff_notes": "mid"}},
            after=2,
            method="GET",
            path="^/v2/orders$",
        )
    cfg = base_config(emulator, page_size=PAGE, max_concurrency=1)
    since = _last_seq(emulator)
    first = run_tap(cfg, streams=["orders"], state=state)
    assert first.returncode == 0, first.stderr[-2000:]
    assert all(t["fired"] and not t["error"] for t in emulator.control("GET", "/triggers"))
    made = _made(emulator, since)
    if when == "behind the reader":
        # Stopped at the 20th distinct order, before meeting the two changed ones: they
        # sort after the bookmark (T), so the next run reads them (checked below).
        assert made == {"/v2/orders/count": 1, "/v2/orders": 2}, made
        assert mid_run[1] not in first.ids("orders")
    else:
        # Page 2 came back short (9): the tie walk ends, the next second is read.
        assert made == {"/v2/orders/count": 1, "/v2/orders": 3}, made
    assert _bookmark(first.last_state, "orders") >= second_t.isoformat()

    second = run_tap(cfg, streams=["orders"], state=first.last_state)
    assert second.returncode == 0, second.stderr[-2000:]
    emitted = set(first.ids("orders")) | set(second.ids("orders"))
    assert set(changed) | set(mid_run) <= emitted
    for oid in mid_run:
        assert _versions([first, second], oid)[-1]["staff_notes"] == "mid", oid
