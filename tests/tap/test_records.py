"""Every T1 stream's records equal the emulator's data (count and content), and a full
sync makes the minimum number of requests."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest

from tests.emulator_process import Emulator
from tests.tap.canon import mismatches
from tests.tap.t1_streams import ALL, PARENTS, PER_PARENT_CHILDREN
from tests.tap.tap_runner import TapRun, base_config, run_tap


@pytest.fixture(scope="module")
def full_sync(shared_emulator: Emulator) -> tuple[TapRun, list[dict[str, Any]]]:
    since = max((e["seq"] for e in shared_emulator.requests_log()), default=0)
    run = run_tap(base_config(shared_emulator, max_concurrency=4), streams=ALL)
    assert run.returncode == 0, run.stderr[-3000:]
    return run, shared_emulator.requests_log(since)


@pytest.mark.parametrize("stream", ALL)
def test_records_equal_emulator_data(
    full_sync: tuple[TapRun, list[dict[str, Any]]], shared_emulator: Emulator, stream: str
) -> None:
    run, _ = full_sync
    stored = {r["id"]: r for r in shared_emulator.collection(stream)}
    emitted = run.records.get(stream, [])
    assert stored, f"the emulator has no {stream} to compare with"
    assert sorted(r["id"] for r in emitted) == sorted(stored), stream
    for record in emitted:
        assert record["store_hash"] == shared_emulator.store_hash
        assert isinstance(record["id"], int)
        assert mismatches(record, stored[record["id"]]) == [], (stream, record["id"])


def test_timestamps_are_iso_utc(full_sync: tuple[TapRun, list[dict[str, Any]]]) -> None:
    run, _ = full_sync
    order = run.records["orders"][0]
    # v2 writes RFC 2822; the tap emits ISO 8601 in UTC.
    assert order["date_created"].endswith("+00:00") and "T" in order["date_created"]
    assert isinstance(order["total_inc_tax"], float | int)


def test_full_sync_makes_the_minimum_requests(
    full_sync: tuple[TapRun, list[dict[str, Any]]], shared_emulator: Emulator
) -> None:
    run, log = full_sync
    paths = Counter(
        e["path"].split(f"/stores/{shared_emulator.store_hash}", 1)[1]
        for e in log
        if e.get("status") != 0
    )
    assert all(e["status"] == 200 or e["status"] == 204 for e in log), Counter(
        e["status"] for e in log
    )
    # One request per 250 records of each list (the small store fits in one page each);
    # products include variants/images/custom fields/bulk pricing, orders include line
    # items, shipping addresses and fees.
    list_paths = {
        "/v3/catalog/products": "products",
        "/v3/catalog/categories": "categories",
        "/v3/catalog/trees": "category_trees",
        "/v3/catalog/brands": "brands",
        "/v3/customers": "customers",
        "/v2/customer_groups": "customer_groups",
        "/v3/customers/attributes": "customer_attributes",
        "/v3/customers/attribute-values": "customer_attribute_values",
        "/v3/customers/subscribers": "subscribers",
        "/v2/orders": "orders",
        "/v3/orders/payment_actions/refunds": "refunds",
        "/v2/order_statuses": "order_statuses",
    }
    for path, stream in list_paths.items():
        expected = max(1, math.ceil(len(shared_emulator.collection(stream)) / 250))
        assert paths[path] == expected, (path, paths[path], expected)
    # v2 lists without a total are counted before they are read (and after, unless one
    # short page held them all), so that a deletion while paging is noticed.
    assert len(shared_emulator.collection("customer_groups")) < 250
    assert paths["/v2/customer_groups/count"] == 1
    assert set(list_paths.values()) == set(PARENTS)
    # No bulk path exists for these: exactly one request per parent record.
    for stream, (parent, suffix) in PER_PARENT_CHILDREN.items():
        n_parents = len(shared_emulator.collection(parent))
        made = sum(n for p, n in paths.items() if p.endswith(suffix) and f"/{parent}/" in p)
        assert made == n_parents, (stream, made, n_parents)
    assert sum(paths.values()) == len(list_paths) + 1 + sum(
        len(shared_emulator.collection(p)) for p, _ in PER_PARENT_CHILDREN.values()
    )


def test_a_sync_under_a_small_quota_sees_no_429(emulator: Emulator) -> None:
    emulator.set_quota(40, window_ms=1000)
    since = max((e["seq"] for e in emulator.requests_log()), default=0)
    run = run_tap(base_config(emulator, max_concurrency=8), streams=["orders", "order_coupons"])
    assert run.returncode == 0, run.stderr[-2000:]
    statuses = [e["status"] for e in emulator.requests_log(since)]
    # 1 page of orders + 150 coupon requests at 40 per second, all paced, none refused.
    assert len(statuses) == 151 and set(statuses) <= {200, 204}, Counter(statuses)


def test_parallel_multi_page_reads_make_the_stated_requests(shared_emulator: Emulator) -> None:
    # 10 records a page turns the small store into multi-page reads that go parallel.
    since = max((e["seq"] for e in shared_emulator.requests_log()), default=0)
    cfg = base_config(shared_emulator, page_size=10, max_concurrency=4)
    run = run_tap(cfg, streams=["products", "customers", "orders"])
    assert run.returncode == 0, run.stderr[-3000:]
    made = Counter(
        e["path"].split(f"/stores/{shared_emulator.store_hash}", 1)[1]
        for e in shared_emulator.requests_log(since)
    )
    sizes = {s: len(shared_emulator.collection(s)) for s in ("products", "customers", "orders")}
    assert sizes == {"products": 40, "customers": 60, "orders": 150}
    assert {s: len(set(run.ids(s))) for s in sizes} == sizes
    assert made == {
        # The first page (date_modified order); its ids span less than the 40 records,
        # so one request finds the highest id; ids 1-40 in four windows of 10 (the last
        # open above); the closing sweep from the freeze time.
        "/v3/catalog/products": 1 + 1 + 4 + 1,
        # No id filters: the first page, then one time range (too few pages to split)
        # walked by keyset, 9 new records a request (the :min filter re-reads the last
        # one), and the sweep.
        "/v3/customers": 1 + 6 + 1,
        # v2 has no total: the count. The first page's ids span the 150 orders (ids
        # 101-250), so no request for the highest id: 15 windows of 10 ids (the first
        # open below, the last open above), and the sweep.
        "/v2/orders/count": 1,
        "/v2/orders": 1 + 15 + 1,
    }, made
