"""The store and streams the tap cases run against."""

from __future__ import annotations

from typing import Any

from tests.emulator_process import Emulator
from tests.faults.coverage import StreamSpec

# A store of a few thousand records: 400 products (1,200 variants), 800 customers (~1,100
# addresses), 1,200 orders (~3,600 line items), plus brands and categories.
BIG_STORE = ("--products", "400", "--customers", "800", "--orders", "1200", "--seed", "11")
# No quota, but 3-second windows: a 429 that states no wait costs at most one window.
BIG_STORE_ARGS = (*BIG_STORE, "--quota", "0", "--window-ms", "3000")

SPECS = [
    StreamSpec("products", replication_key="date_modified"),
    StreamSpec("product_variants", parent="products", parent_field="product_id"),
    StreamSpec("customers", replication_key="date_modified"),
    StreamSpec("customer_addresses", parent="customers", parent_field="customer_id"),
    StreamSpec("orders", replication_key="date_modified"),
    StreamSpec("order_products", parent="orders", parent_field="order_id"),
    StreamSpec("brands"),
    StreamSpec("categories"),
]
STREAMS = [s.name for s in SPECS]


def tap_config(emu: Emulator, **extra: Any) -> dict[str, Any]:
    return {
        "store_hash": emu.store_hash,
        "access_token": emu.token,
        "api_url": emu.base_url,
        "page_size": 50,
        "max_concurrency": 4,
        "request_timeout": 10,
        "max_retries": 8,
        "retry_backoff": 0.05,
        **extra,
    }


def store_ids(emu: Emulator, streams: list[str]) -> dict[str, set[int]]:
    return {s: {int(r["id"]) for r in emu.collection(s)} for s in streams}
