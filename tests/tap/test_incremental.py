"""Incremental runs, resuming a killed run, and records changing while a sync pages."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.emulator_process import Emulator
from tests.tap.tap_runner import base_config, catalog_for, run_tap, run_tap_killed


def _by_modified(emu: Emulator, name: str) -> list[dict[str, Any]]:
    return sorted(emu.collection(name), key=lambda r: (r["date_modified"], r["id"]))


def _bookmark(state: dict[str, Any], stream: str) -> str:
    return str(state["bookmarks"][stream]["replication_key_value"])


def test_second_run_emits_only_records_changed_in_between(emulator: Emulator) -> None:
    cfg = base_config(emulator)
    streams = [
        "products",
        "product_variants",
        "customers",
        "orders",
        "order_products",
        "subscribers",
        "customer_groups",
        "refunds",
    ]
    first = run_tap(cfg, streams=streams)
    assert first.returncode == 0, first.stderr[-2000:]
    state = first.last_state
    assert state is not None
    changed = {
        "products": [_by_modified(emulator, "products")[3]["id"]],
        "customers": [_by_modified(emulator, "customers")[5]["id"]],
        "orders": [o["id"] for o in _by_modified(emulator, "orders")[10:12]],
        "subscribers": [_by_modified(emulator, "subscribers")[2]["id"]],
        "customer_groups": [_by_modified(emulator, "customer_groups")[0]["id"]],
    }
    emulator.update_record("products", changed["products"][0], name="Renamed product")
    emulator.update_record("customers", changed["customers"][0], company="Renamed Ltd")
    for oid in changed["orders"]:
        emulator.update_record("orders", oid, staff_notes="changed")
    emulator.update_record("subscribers", changed["subscribers"][0], first_name="Changed")
    emulator.update_record("customer_groups", changed["customer_groups"][0], name="Changed")

    second = run_tap(cfg, streams=streams, state=state)
    assert second.returncode == 0, second.stderr[-2000:]
    for stream, ids in changed.items():
        emitted = {r["id"]: r for r in second.records[stream]}
        assert set(ids) <= set(emitted), stream
        # Anything else can only be the boundary second re-read (the :min filter is inclusive).
        boundary = _bookmark(state, stream)
        extra = [r for i, r in emitted.items() if i not in ids]
        assert all(r["date_modified"] == boundary for r in extra), (stream, extra[:2])
    # Refunds are bookmarked on their creation time: none were made in between.
    refund_boundary = _bookmark(state, "refunds")
    assert all(r["created"] == refund_boundary for r in second.records.get("refunds", []))
    renamed = next(r for r in second.records["products"] if r["id"] == changed["products"][0])
    assert renamed["name"] == "Renamed product"
    # Children are read only for the orders (and products) read again.
    order_ids = {r["id"] for r in second.records["orders"]}
    assert {r["order_id"] for r in second.records["order_products"]} <= order_ids
    assert {r["product_id"] for r in second.records["product_variants"]} <= {
        r["id"] for r in second.records["products"]
    }
    # The bookmark moved to the newest change.
    assert second.last_state is not None
    assert _bookmark(second.last_state, "orders") > _bookmark(state, "orders")


@pytest.mark.parametrize("concurrency", [1, 4])
def test_killed_run_resumes_from_its_last_state_without_gaps(
    emulator: Emulator, concurrency: int
) -> None:
    # With concurrency the first read of 150 orders goes by parallel id windows.
    cfg = base_config(emulator, page_size=10, max_concurrency=concurrency)
    streams = ["orders", "order_products"]
    killed = run_tap_killed(cfg, streams=streams, stream="orders", kill_after=45)
    assert killed.returncode != 0
    emitted_first = set(killed.ids("orders"))
    assert 0 < len(emitted_first) < 150
    state = killed.last_state
    assert state is not None and "orders" in state.get("bookmarks", {})
    resumed = run_tap(cfg, streams=streams, state=state)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    all_orders = {o["id"] for o in emulator.collection("orders")}
    assert emitted_first | set(resumed.ids("orders")) == all_orders
    # The resumed run started at the bookmark, not from the beginning.
    assert len(resumed.ids("orders")) < 150
    all_lines = {p["id"] for p in emulator.collection("order_products")}
    assert set(killed.ids("order_products")) | set(resumed.ids("order_products")) == all_lines


def _update_and_delete_after(
    emulator: Emulator,
    collection: str,
    path: str,
    after: int,
    updated: int,
    changes: dict[str, Any],
    deleted: int,
) -> None:
    """After the ``after``-th GET of ``path``, one record changes and another is deleted."""
    for action in (
        {"op": "update", "collection": collection, "id": updated, "changes": changes},
        {"op": "delete", "collection": collection, "id": deleted},
    ):
        emulator.trigger(action, after=after, method="GET", path=path)


def test_records_modified_or_deleted_while_paging_are_not_lost(emulator: Emulator) -> None:
    orders = _by_modified(emulator, "orders")
    moved, deleted = orders[0]["id"], orders[12]["id"]
    # After the 3rd page, the oldest order (already emitted) is modified and moves to the
    # end, and one on page 2 is deleted: page numbers would now skip a record each time.
    _update_and_delete_after(
        emulator, "orders", "^/v2/orders$", 3, moved, {"staff_notes": "x"}, deleted
    )
    cfg = base_config(emulator, page_size=10, max_concurrency=1)
    run = run_tap(cfg, streams=["orders"])
    assert run.returncode == 0, run.stderr[-2000:]
    remaining = {o["id"] for o in emulator.collection("orders")}
    assert deleted not in remaining
    assert remaining <= set(run.ids("orders"))
    # The read stops once it has emitted as many distinct orders as the count said (150,
    # the moved one counted once), so the moved order's new version may come only with the
    # next run: it sorts after the bookmark, which the next run reads from (inclusive).
    assert run.last_state is not None
    again = run_tap(cfg, streams=["orders"], state=run.last_state)
    assert again.returncode == 0, again.stderr[-2000:]
    versions = [r for r in run.records["orders"] + again.records["orders"] if r["id"] == moved]
    assert len(versions) == 2 and versions[-1]["staff_notes"] == "x"


def test_parallel_first_sync_catches_changes_made_during_it(emulator: Emulator) -> None:
    products = sorted(emulator.collection("products"), key=lambda r: r["id"])
    early = products[1]["id"]  # in the first id window, read before the change
    emulator.trigger(
        {"op": "update", "collection": "products", "id": early, "changes": {"name": "Late"}},
        after=6,
        method="GET",
        path="^/v3/catalog/products$",
    )
    cfg = base_config(emulator, page_size=5, max_concurrency=4)
    since = max((e["seq"] for e in emulator.requests_log()), default=0)
    run = run_tap(cfg, streams=["products"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert {p["id"] for p in emulator.collection("products")} <= set(run.ids("products"))
    assert [r["name"] for r in run.records["products"] if r["id"] == early][-1] == "Late"
    log = [e for e in emulator.requests_log(since) if e["path"].endswith("/v3/catalog/products")]
    queries = [e["query"] for e in log]
    # The id-window path ran: windows bounded by id:max, frozen with date_modified:max.
    assert any("id%3Amax" in q or "id:max" in q for q in queries), queries[:5]
    assert run.last_state is not None
    # 40 products, 5 per request: the first page, the highest-id probe, 8 windows, and the
    # closing sweep (which also returns the product changed mid-sync).
    assert len(log) <= 1 + 1 + 8 + 1 + 1, queries


def test_time_ranges_in_parallel_miss_nothing_while_records_change(emulator: Emulator) -> None:
    # Customers have no id range filter: a large read is cut into time ranges.
    customers = _by_modified(emulator, "customers")
    early, deleted = customers[2]["id"], customers[30]["id"]
    _update_and_delete_after(
        emulator, "customers", "^/v3/customers$", 5, early, {"company": "Late"}, deleted
    )
    since = max((e["seq"] for e in emulator.requests_log()), default=0)
    run = run_tap(base_config(emulator, page_size=10, max_concurrency=4), streams=["customers"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert {c["id"] for c in emulator.collection("customers")} <= set(run.ids("customers"))
    assert [r["company"] for r in run.records["customers"] if r["id"] == early][-1] == "Late"
    queries = [
        e["query"] for e in emulator.requests_log(since) if e["path"].endswith("/v3/customers")
    ]
    # Ranges bounded above by date_modified:max ran (more than one at once).
    bounded = [q for q in queries if "date_modified%3Amax" in q or "date_modified:max" in q]
    assert len(bounded) >= 4, queries
    # 60 customers, 10 a page: at most the pages, 3 probes, and one extra page per range
    # (range edges fall on shared seconds), plus the closing sweep.
    assert len(queries) <= 6 + 3 + 4 + 4 + 1, queries


def test_paged_list_read_again_when_a_record_is_deleted_meanwhile(emulator: Emulator) -> None:
    # Subscribers filter on date_modified but cannot sort on it: page numbers in id order.
    subscribers = sorted(emulator.collection("subscribers"), key=lambda r: r["id"])
    deleted = subscribers[1]["id"]
    emulator.trigger(
        {"op": "delete", "collection": "subscribers", "id": deleted},
        after=2,
        method="GET",
        path="^/v3/customers/subscribers$",
    )
    since = max((e["seq"] for e in emulator.requests_log()), default=0)
    run = run_tap(base_config(emulator, page_size=5, max_concurrency=1), streams=["subscribers"])
    assert run.returncode == 0, run.stderr[-2000:]
    remaining = {s["id"] for s in emulator.collection("subscribers")}
    assert deleted not in remaining
    assert remaining <= set(run.ids("subscribers"))
    pages = -(-len(subscribers) // 5)
    assert len(emulator.requests_log(since)) > pages  # the shifted list was read again
    assert "reading it again" in run.stderr


def test_a_change_in_the_runs_first_second_is_read_by_the_next_run(emulator: Emulator) -> None:
    # Subscribers filter on date_modified but cannot sort on it. ``early`` (page 1) changes
    # after it was read, stamped with the second the run started in (the API writes whole
    # seconds); ``late`` (last page) changes too, an hour on, and is read with that time.
    # A bookmark at the run's start with its microseconds (or at the newest time seen)
    # would put ``early`` behind the next run's filter.
    subscribers = sorted(emulator.collection("subscribers"), key=lambda r: r["id"])
    early, late = subscribers[0], subscribers[-1]
    cfg = base_config(emulator, page_size=5, max_concurrency=1)
    catalog = catalog_for(cfg, ["subscribers"])
    launched = datetime.now(UTC).replace(microsecond=0)  # the run starts in this second or the next
    later = (launched + timedelta(hours=1)).isoformat()
    for record, changes in (
        (early, {"first_name": "Changed", "date_modified": launched.isoformat()}),
        (late, {"first_name": "Later", "date_modified": later}),
    ):
        emulator.trigger(
            {"op": "update", "collection": "subscribers", "id": record["id"], "changes": changes},
            after=2,  # before page 2 is served
            method="GET",
            path="^/v3/customers/subscribers$",
        )
    first = run_tap(cfg, catalog=catalog)
    assert first.returncode == 0, first.stderr[-2000:]
    assert [t["fired"] for t in emulator.control("GET", "/triggers")] == [True, True]
    by_id = {r["id"]: r for r in first.records["subscribers"]}
    assert by_id[early["id"]]["first_name"] != "Changed"  # read before its change
    assert by_id[late["id"]]["date_modified"] == later
    assert first.last_state is not None
    # Whole seconds, in the API's format, before the run started.
    assert _bookmark(first.last_state, "subscribers") < launched.isoformat()

    second = run_tap(cfg, catalog=catalog, state=first.last_state)
    assert second.returncode == 0, second.stderr[-2000:]
    again = {r["id"]: r for r in second.records["subscribers"]}
    assert again[early["id"]]["first_name"] == "Changed"


def test_v2_list_read_again_when_its_count_changes_meanwhile(emulator: Emulator) -> None:
    # v2 lists carry no total: the count endpoint, asked before and after the read, tells
    # that a record on a page already read was deleted and every later one moved back.
    groups = sorted(emulator.collection("customer_groups"), key=lambda r: r["id"])
    assert len(groups) >= 5
    deleted = groups[0]["id"]
    emulator.trigger(
        {"op": "delete", "collection": "customer_groups", "id": deleted},
        after=2,  # before page 2 is served
        method="GET",
        path="^/v2/customer_groups$",
    )
    since = max((e["seq"] for e in emulator.requests_log()), default=0)
    cfg = base_config(emulator, page_size=2, max_concurrency=1)
    run = run_tap(cfg, streams=["customer_groups"])
    assert run.returncode == 0, run.stderr[-2000:]
    remaining = {g["id"] for g in emulator.collection("customer_groups")}
    assert deleted not in remaining and len(remaining) == len(groups) - 1
    assert remaining <= set(run.ids("customer_groups"))
    assert "reading it again" in run.stderr
    made = Counter(
        e["path"].rsplit("/v2/", 1)[-1]
        for e in emulator.requests_log(since)
        if "/v2/customer_groups" in e["path"]
    )
    # Each read: a count, its pages (by the count, none past the end), a count.
    pages_before, pages_after = -(-len(groups) // 2), -(-(len(groups) - 1) // 2)
    assert made == {
        "customer_groups/count": 4,
        "customer_groups": pages_before + pages_after,
    }, made
