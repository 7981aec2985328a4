"""Configuration errors before any request, and clear messages for 401, 403 and a child
request that keeps failing."""

from __future__ import annotations

import pytest

from tests.emulator_process import Emulator
from tests.tap.tap_runner import base_config, run_tap


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "ERROR" in line]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("start_date", "last tuesday"),
        ("api_url", "ftp://api.example.com"),
        ("api_url", "not a url"),
        ("store_hash", "Not A Hash!"),
        ("page_size", 1000),
    ],
)
def test_malformed_settings_fail_before_any_request(
    shared_emulator: Emulator, setting: str, value: object
) -> None:
    before = len(shared_emulator.requests_log())
    run = run_tap(base_config(shared_emulator, **{setting: value}), streams=["brands"])
    assert run.returncode != 0
    errors = _error_lines(run.stderr)
    assert any(line.split("|")[-1].strip().startswith(f"{setting}:") for line in errors), errors
    assert len(shared_emulator.requests_log()) == before


def test_unknown_store_says_so(shared_emulator: Emulator) -> None:
    run = run_tap(base_config(shared_emulator, store_hash="nosuchstore"), streams=["brands"])
    assert run.returncode != 0
    assert "store_hash: no store 'nosuchstore'" in run.stderr


def test_rejected_token_names_the_store_never_the_token(shared_emulator: Emulator) -> None:
    config = base_config(shared_emulator, access_token="s3cret-wrong-token")
    run = run_tap(config, streams=["brands"])
    assert run.returncode != 0
    assert f"store '{shared_emulator.store_hash}' rejected the access token" in run.stderr
    assert "s3cret-wrong-token" not in run.stderr


def test_missing_scope_names_the_stream_and_the_scope(emulator: Emulator) -> None:
    emulator.add_token("orders-only", scopes=["store_v2_orders_read_only"])
    run = run_tap(base_config(emulator, access_token="orders-only"), streams=["products"])
    assert run.returncode != 0
    assert "Stream 'products' needs the scope store_v2_products" in run.stderr
    assert "orders-only" not in run.stderr.replace("store_v2_orders", "")


def test_a_child_request_failing_after_retries_fails_the_run(emulator: Emulator) -> None:
    emulator.fault("500", 50, path=r"^/v2/orders/\d+/coupons$")
    config = base_config(emulator, max_retries=2, page_size=50, max_concurrency=2)
    run = run_tap(config, streams=["orders", "order_coupons"])
    assert run.returncode != 0
    assert "failed after 3 attempts" in run.stderr
    # No STATE carries the orders bookmark past an order whose coupons were not read.
    assert all(
        "orders" not in s.get("bookmarks", {})
        or not s["bookmarks"]["orders"].get("replication_key_value")
        for s in run.states
    )


def test_a_fatal_error_leaves_no_queued_request_behind(emulator: Emulator) -> None:
    # A batch of orders queues one coupons request per order on the two threads. The first
    # order's answer (401 with a store token) ends the run; every other coupons request
    # takes a second, so the requests queued behind the two in flight are still waiting
    # when the error reaches the reader, and must never go out (each would be one more
    # request on the store's quota, and one more log line after the run's error).
    orders = sorted(emulator.collection("orders"), key=lambda r: (r["date_modified"], r["id"]))
    assert len(orders) > 10
    emulator.fault("401", 1, path=rf"^/v2/orders/{orders[0]['id']}/coupons$")
    emulator.fault("slow", 1000, delay_ms=1000, path=r"^/v2/orders/\d+/coupons$")
    seq = max((e["seq"] for e in emulator.requests_log()), default=0)
    config = base_config(emulator, page_size=50, max_concurrency=2)
    run = run_tap(config, streams=["orders", "order_coupons"])
    assert run.returncode != 0
    assert f"store '{emulator.store_hash}' rejected the access token" in run.stderr
    coupons = [e for e in emulator.requests_log(since=seq) if e["path"].endswith("/coupons")]
    # The first order's, and at most one more on each thread.
    assert 1 <= len(coupons) <= 3, len(coupons)
    assert run.stderr.rstrip().splitlines()[-1].startswith("tap_bigcommerce."), run.stderr[-600:]


def test_a_parent_deleted_before_its_children_are_read_is_reported(emulator: Emulator) -> None:
    orders = sorted(emulator.collection("orders"), key=lambda r: (r["date_modified"], r["id"]))
    gone = orders[-1]["id"]  # read last, so deleted before its coupons are requested
    emulator.trigger(
        {"op": "delete", "collection": "orders", "id": gone},
        after=1,
        method="GET",
        path=r"^/v2/orders/\d+/coupons$",
    )
    config = base_config(emulator, max_concurrency=1)
    run = run_tap(config, streams=["orders", "order_coupons"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"parent {gone} no longer exists" in run.stderr
    expected = {c["id"] for c in emulator.collection("order_coupons") if c["order_id"] != gone}
    assert expected <= set(run.ids("order_coupons"))
