"""The benchmark harness itself: a tiny store, one scenario, fields computed and consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.measure import StreamCost, pages, quota_min_time_s, tap_lower_bound
from bench.run import run
from bench.scenarios import FULL_COSTS


def test_quota_bound_minimum_time() -> None:
    # 320 requests at 150 per 30 s: the 301st request waits for the third window.
    assert quota_min_time_s(
        320, quota=150, window_s=30, latency_s=0.1, concurrency=8
    ) == pytest.approx(60 + 3 * 0.1)
    assert quota_min_time_s(
        150, quota=150, window_s=30, latency_s=0.1, concurrency=8
    ) == pytest.approx(19 * 0.1)
    # No quota: round trips only.
    assert quota_min_time_s(
        16, quota=0, window_s=30, latency_s=0.1, concurrency=8
    ) == pytest.approx(0.2)
    assert quota_min_time_s(0, quota=150, window_s=30, latency_s=0.1, concurrency=8) == 0.0


def test_lower_bound_counts_pages_not_included_children() -> None:
    costs = [
        StreamCost("orders", "list"),
        StreamCost("order_products", "included", "orders"),
        StreamCost("order_taxes", "per_parent", "orders"),
        StreamCost("brands", "list"),
    ]
    counts = {"orders": 501, "order_products": 1500, "brands": 0}
    assert tap_lower_bound(costs, counts) == {
        "orders": 3,
        "order_products": 0,
        "order_taxes": 501,
        "brands": 1,  # an empty list still takes a request to learn it is empty
    }
    assert pages(250) == 1 and pages(251) == 2


def test_one_scenario_on_a_tiny_store(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = run(["--scenario", "full-standard", "--scale", "0.002", "--output", str(out)])

    assert json.loads(out.read_text()) == result
    assert result["store"] == {"products": 20, "customers": 40, "orders": 100}
    assert result["machine"]["reference_loop_cpu_s"] > 0
    (row,) = result["rows"]
    assert row["scenario"] == "full-standard"
    # Every selected stream wrote records, and their sum is the total.
    assert set(row["records_by_stream"]) == {c.stream for c in FULL_COSTS}
    assert row["records"] == sum(row["records_by_stream"].values())
    assert row["records_by_stream"]["orders"] == 100
    assert row["records_by_stream"]["products"] == 20
    # Requests come from the emulator's own counts and cannot beat the lower bound.
    assert row["requests"] == sum(row["requests_by_endpoint"].values())
    assert row["lower_bound"] == sum(row["lower_bound_by_stream"].values())
    assert row["requests"] >= row["lower_bound"] > 0
    assert row["requests_ratio"] == round(row["requests"] / row["lower_bound"], 3)
    expected_min = quota_min_time_s(
        row["requests"], quota=150, window_s=30.0, latency_s=0.1, concurrency=8
    )
    assert row["min_time_s"] == pytest.approx(expected_min, abs=0.01)
    assert row["wall_s"] >= row["min_time_s"]
    assert row["time_ratio"] == pytest.approx(row["wall_s"] / row["min_time_s"], rel=0.01)
    assert row["cpu_s"] > 0 and row["peak_rss_mib"] > 10
    assert row["records_per_s"] == pytest.approx(row["records"] / row["wall_s"], rel=0.01)
    assert row["status_429"] == 0
    targets = {c["target"] for c in result["checks"]}
    assert "full-standard: no 429 under quota" in targets
