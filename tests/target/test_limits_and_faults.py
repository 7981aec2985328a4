"""Batch sizes and concurrency caps, read back from the emulator's request log; 429 storms
and 5xx bursts survived with every record applied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.emulator_process import Emulator, running_emulator
from tests.target.support import (
    max_overlap,
    records,
    run_target,
    schema_message,
    state,
    writes,
)

CURRENCIES = ["usd", "eur", "gbp", "aud", "cad", "nzd", "jpy", "chf", "sek", "nok"]


@pytest.fixture
def slow_emulator() -> Iterator[Emulator]:
    """Every answer takes ~40 ms, so requests sent together really overlap."""
    with running_emulator(
        "--size", "small", "--seed", "7", "--quota", "0", "--latency-ms", "40"
    ) as emu:
        yield emu


def test_batch_sizes_and_concurrency_caps(slow_emulator: Emulator, tmp_path: Path) -> None:
    emu = slow_emulator
    products = emu.collection("products")
    customers = emu.collection("customers")
    variants = emu.collection("product_variants")
    lists = [p["id"] for p in emu.collection("price_lists")]
    new_customers = [
        {"email": f"cap{i}@example.com", "first_name": "Cap", "last_name": str(i)}
        for i in range(25)
    ]
    prices = [
        {"price_list_id": pl, "variant_id": v["id"], "currency": cur, "price": 10 + i % 7}
        for pl in lists
        for cur in CURRENCIES
        for i, v in enumerate(variants)
    ]
    assert len(prices) > 2 * 1000  # at least two full batches in a price list
    lines = [
        schema_message("products"),
        *records("products", [{"id": p["id"], "price": p["price"] + 1} for p in products]),
        schema_message("product_variants"),
        *records("product_variants", [{"id": v["id"], "weight": 3.25} for v in variants]),
        schema_message("customers"),
        *records("customers", [{"id": c["id"], "notes": "capped"} for c in customers]),
        *records("customers", new_customers),
        schema_message("price_list_records"),
        *records("price_list_records", prices),
        state({"done": True}),
    ]
    run = run_target(emu, tmp_path, lines, max_concurrency=8)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.summary["customers"]["created"] == 25
    assert run.summary["customers"]["updated"] == len(customers)
    assert run.summary["products"]["updated"] == len(products)
    assert run.summary["price_list_records"]["rejected"] == 0

    log = writes(emu)
    assert all(e["status"] == 200 for e in log), {e["status"] for e in log}

    def entries(method: str, endpoint: str) -> list[dict]:
        return [e for e in log if e["endpoint"] == f"{method} {endpoint}"]

    product_puts = entries("PUT", "/v3/catalog/products")
    assert max(e["items"] for e in product_puts) == 10
    assert sum(e["items"] for e in product_puts) == len(products)
    assert max_overlap(product_puts) > 1  # the batches really ran side by side

    variant_puts = entries("PUT", "/v3/catalog/variants")
    assert max(e["items"] for e in variant_puts) == 50
    assert sum(e["items"] for e in variant_puts) == len(variants)

    customer_writes = entries("PUT", "/v3/customers") + entries("POST", "/v3/customers")
    assert max(e["items"] for e in customer_writes) == 10
    assert 1 < max_overlap(customer_writes) <= 3

    record_puts = [
        e
        for e in log
        if e["method"] == "PUT" and e["endpoint"].endswith("/records") and e["items"] is not None
    ]
    assert max(e["items"] for e in record_puts) == 1000
    assert sum(e["items"] for e in record_puts) == len(prices)
    assert 1 < max_overlap(record_puts) <= 2


@pytest.fixture
def short_window_emulator() -> Iterator[Emulator]:
    """A generous quota over a 1 s window: after a 429 the shared rate limiter waits for the
    window's reset, which is then at most a second away (30 s with the default window)."""
    with running_emulator(
        "--size", "small", "--seed", "7", "--quota", "100000", "--window-ms", "1000"
    ) as emu:
        yield emu


def test_429_storm_and_5xx_bursts_lose_nothing(
    short_window_emulator: Emulator, tmp_path: Path
) -> None:
    emulator = short_window_emulator
    products = emulator.collection("products")
    customers = emulator.collection("customers")
    storm = emulator.fault(
        "429", count=6, method="PUT", path="^/v3/catalog/products$", retry_after_ms=200
    )
    bare = emulator.fault("429-no-headers", count=2, method="PUT", path="^/v3/customers$")
    bursts = [
        emulator.fault("500", count=2, method="POST", path="^/v3/customers$"),
        emulator.fault("502", count=1, method="PUT", path="^/v3/customers$"),
        emulator.fault("503", count=2, method="GET", path="^/v3/customers$"),
        emulator.fault("reset", count=1, method="PUT", path="^/v3/catalog/products$"),
    ]
    new = [
        {"email": f"storm{i}@example.com", "first_name": "S", "last_name": str(i)}
        for i in range(12)
    ]
    lines = [
        schema_message("products"),
        *records("products", [{"id": p["id"], "price": 500 + p["id"]} for p in products]),
        schema_message("customers"),
        *records("customers", [{"id": c["id"], "company": "Stormy"} for c in customers]),
        *records("customers", new),
        state({"done": True}),
    ]
    run = run_target(emulator, tmp_path, lines, retry_backoff=0.05, max_concurrency=4)
    assert run.returncode == 0, run.stderr[-3000:]
    fired = {f["id"]: f["fired"] for f in emulator.control("GET", "/faults")}
    for fault in [storm, bare, *bursts]:
        assert fired[fault["id"]] == fault["count"], fault
    assert run.summary["products"]["updated"] == len(products)
    assert run.summary["customers"] == {
        "created": 12, "updated": len(customers), "unchanged": 0, "skipped": 0, "rejected": 0
    }  # fmt: skip
    assert run.dead == []
    assert all(p["price"] == 500 + p["id"] for p in emulator.collection("products"))
    after = emulator.collection("customers")
    emails = [c["email"] for c in after]
    assert len(emails) == len(set(emails)) == len(customers) + 12  # nothing doubled
    assert all(c["company"] == "Stormy" for c in after if c["id"] <= len(customers))
    assert run.states == [{"done": True}]
