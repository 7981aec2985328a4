"""The benchmark scenarios of issue 7, each run against a live emulator process.

Every scenario sets the emulator's latency and quota, clears its request counts, runs the
tap (or the target) as a real subprocess and turns what the emulator counted and what the
child used into one result row per run.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import (
    ProcessResult,
    StreamCost,
    pages,
    quota_min_time_s,
    ratio,
    rounded,
    run_process,
    tap_lower_bound,
)
from tests.emulator_process import Emulator, start_emulator

BIN = Path(sys.executable).parent
LATENCY_MS = 100
WINDOW_MS = 30_000
STANDARD_QUOTA = 150
PRO_QUOTA = 450
# The store of issue 7 (the emulator's --size large).
BASE_SIZES = {"products": 10_000, "customers": 20_000, "orders": 50_000}
SCALE_FACTOR = 5  # bench/run.py --scale-factor changes it

# The full-sync selection: three parents with their bulk-included children, and two lists.
FULL_COSTS: tuple[StreamCost, ...] = (
    StreamCost("products", "list"),
    StreamCost("product_variants", "included", "products"),
    StreamCost("customers", "list"),
    StreamCost("customer_addresses", "included", "customers"),
    StreamCost("orders", "list"),
    StreamCost("order_products", "included", "orders"),
    StreamCost("categories", "list"),
    StreamCost("brands", "list"),
)
INCREMENTAL_STREAMS = ("products", "customers", "orders")
TOUCH_FRACTION = 0.01

# The target's documented batch sizes and look-up width (issue 5).
LOOKUP_WIDTH = 250
PRODUCT_BATCH = 10
INVENTORY_BATCH = 2000
UPSERT_PRODUCTS = 10_000
UPSERT_LEVELS = 20_000
TARGET_CONCURRENCY = 4


@dataclass
class Conditions:
    latency_ms: int
    quota: int  # 0: unlimited
    concurrency: int
    window_ms: int = WINDOW_MS


@dataclass
class Bench:
    """One emulator store and a scratch directory shared by the scenarios of a run."""

    emulator: Emulator
    workdir: Path
    scale: float
    scale_factor: int = SCALE_FACTOR
    log: Callable[[str], None] = print
    _catalog: dict[str, Any] | None = field(default=None, repr=False)
    _extra: list[Emulator] = field(default_factory=list, repr=False)

    # Emulator --------------------------------------------------------------------
    def counts(self, emulator: Emulator | None = None) -> dict[str, int]:
        emu = emulator or self.emulator
        sizes: dict[str, int] = emu.control("GET", f"/stores/{emu.store_hash}/collections")
        return sizes

    def prepare(self, cond: Conditions, emulator: Emulator | None = None) -> None:
        emu = emulator or self.emulator
        jitter = cond.latency_ms // 10
        emu.control("POST", "/latency", json={"ms": cond.latency_ms, "jitter_ms": jitter})
        emu.set_quota(cond.quota, cond.window_ms)  # also starts a fresh window
        emu.control("DELETE", "/requests", params={"store_hash": emu.store_hash})

    # Tap -------------------------------------------------------------------------
    def catalog(self, streams: Sequence[str]) -> Path:
        if self._catalog is None:
            cfg = self._write("discover-config.json", self.tap_config(self.emulator, 1))
            cmd = [str(BIN / "tap-bigcommerce"), "--config", str(cfg), "--discover"]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if done.returncode != 0:
                raise RuntimeError(f"tap discovery failed:\n{done.stderr[-2000:]}")
            self._catalog = json.loads(done.stdout)
        catalog = json.loads(json.dumps(self._catalog))
        wanted = set(streams)
        for entry in catalog["streams"]:
            for meta in entry["metadata"]:
                if meta["breadcrumb"] == []:
                    meta["metadata"]["selected"] = entry["tap_stream_id"] in wanted
        return self._write(f"catalog-{'-'.join(sorted(wanted))}.json", catalog)

    @staticmethod
    def tap_config(emulator: Emulator, concurrency: int) -> dict[str, Any]:
        return {
            "store_hash": emulator.store_hash,
            "access_token": emulator.token,
            "api_url": emulator.base_url,
            "max_concurrency": concurrency,
        }

    def run_tap(
        self,
        streams: Sequence[str],
        cond: Conditions,
        *,
        state: bytes | None = None,
        emulator: Emulator | None = None,
    ) -> ProcessResult:
        emu = emulator or self.emulator
        cfg = self._write(
            f"tap-config-c{cond.concurrency}.json", self.tap_config(emu, cond.concurrency)
        )
        cmd = [
            str(BIN / "tap-bigcommerce"),
            "--config",
            str(cfg),
            "--catalog",
            str(self.catalog(streams)),
        ]
        if state is not None:
            state_path = self.workdir / "state.json"
            state_path.write_bytes(json.dumps(json.loads(state)["value"]).encode())
            cmd += ["--state", str(state_path)]
        result = run_process(cmd, server_pid=emu.process.pid)
        if result.returncode != 0:
            raise RuntimeError(f"tap exited {result.returncode}:\n{result.stderr_tail}")
        return result

    def _write(self, name: str, body: Any) -> Path:
        path = self.workdir / name
        path.write_text(json.dumps(body))
        return path

    # Extra stores ------------------------------------------------------------------
    @contextmanager
    def sized_emulator(self, factor: int) -> Iterator[Emulator]:
        sizes = {k: round(v * self.scale * factor) for k, v in BASE_SIZES.items()}
        args = [f"--{k}={v}" for k, v in sizes.items()]
        emu = start_emulator(
            *args, "--quota", "0", store_hash="scale", token="scale-token", timeout=3600
        )
        try:
            yield emu
        finally:
            emu.stop()


# Rows -------------------------------------------------------------------------------
def row(
    scenario: str,
    run: ProcessResult,
    stats: dict[str, Any],
    cond: Conditions,
    lower: dict[str, int],
    *,
    variant: str = "",
    records: int | None = None,
) -> dict[str, Any]:
    requests = int(stats.get("total", 0))
    lower_total = sum(lower.values())
    min_time = quota_min_time_s(
        requests,
        quota=cond.quota,
        window_s=cond.window_ms / 1000.0,
        latency_s=cond.latency_ms / 1000.0,
        concurrency=cond.concurrency,
    )
    n_records = run.total_records if records is None else records
    return {
        "scenario": scenario,
        "variant": variant,
        "latency_ms": cond.latency_ms,
        "quota": cond.quota,
        "window_s": cond.window_ms / 1000.0,
        "max_concurrency": cond.concurrency,
        "records": n_records,
        "records_by_stream": dict(sorted(run.records.items())),
        "requests": requests,
        "requests_by_endpoint": dict(sorted(stats.get("by_endpoint", {}).items())),
        "lower_bound": lower_total,
        "lower_bound_by_stream": lower,
        "requests_ratio": ratio(requests, lower_total),
        **rounded(
            {
                "wall_s": run.wall_s,
                "min_time_s": min_time,
                "cpu_s": run.cpu_s,
                "peak_rss_mib": run.peak_rss_mib,
                "records_per_s": n_records / run.wall_s if run.wall_s else 0.0,
                "records_per_cpu_s": n_records / run.cpu_s if run.cpu_s else 0.0,
            },
            2,
        ),
        "time_ratio": ratio(run.wall_s, min_time),
        "status_429": int(stats.get("by_status", {}).get("429", 0)),
        "emulator_cpu_s": None if run.server_cpu_s is None else round(run.server_cpu_s, 2),
        # Runnable processes on the machine (1-minute average) as the run ended: above the
        # core count, other work was taking CPU from the tap and the emulator.
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "max_in_flight": int(stats.get("store_max_in_flight", 0)),
    }


def _streams(costs: Sequence[StreamCost]) -> list[str]:
    return [c.stream for c in costs]


# Scenarios --------------------------------------------------------------------------
def full_sync(
    bench: Bench, name: str, cond: Conditions, variant: str = "", emulator: Emulator | None = None
) -> tuple[dict[str, Any], ProcessResult]:
    emu = emulator or bench.emulator
    bench.prepare(cond, emu)
    lower = tap_lower_bound(FULL_COSTS, bench.counts(emu))
    run = bench.run_tap(_streams(FULL_COSTS), cond, emulator=emu)
    return row(name, run, emu.stats(), cond, lower, variant=variant), run


def full_standard(bench: Bench) -> list[dict[str, Any]]:
    cond = Conditions(LATENCY_MS, STANDARD_QUOTA, 8)
    return [full_sync(bench, "full-standard", cond)[0]]


def full_pro(bench: Bench) -> list[dict[str, Any]]:
    cond = Conditions(LATENCY_MS, PRO_QUOTA, 8)
    return [full_sync(bench, "full-pro", cond)[0]]


def full_unlimited(bench: Bench) -> list[dict[str, Any]]:
    rows = []
    for concurrency in (1, 8):
        cond = Conditions(LATENCY_MS, 0, concurrency)
        rows.append(full_sync(bench, "full-unlimited", cond, f"c={concurrency}")[0])
    one, eight = rows
    speedup = ratio(one["wall_s"], eight["wall_s"])
    for r in rows:
        r["speedup_8_over_1"] = speedup
    return rows


def incremental(bench: Bench) -> list[dict[str, Any]]:
    cond = Conditions(LATENCY_MS, STANDARD_QUOTA, 8)
    # The previous run, unmeasured: its last STATE is where the measured run starts.
    bench.prepare(Conditions(LATENCY_MS, 0, 8))
    base = bench.run_tap(_streams(FULL_COSTS), Conditions(LATENCY_MS, 0, 8))
    if base.last_state is None:
        raise RuntimeError("the full run before the incremental one wrote no STATE")
    touched = {
        name: len(bench.emulator.touch(name, fraction=TOUCH_FRACTION, seed=7))
        for name in INCREMENTAL_STREAMS
    }
    counts = bench.counts()
    bench.prepare(cond)
    lower = {
        c.stream: pages(touched[c.stream])
        if c.stream in touched
        else tap_lower_bound([c], counts)[c.stream]
        for c in FULL_COSTS
    }
    run = bench.run_tap(_streams(FULL_COSTS), cond, state=base.last_state)
    out = row("incremental", run, bench.emulator.stats(), cond, lower, variant="1% changed")
    out["changed"] = touched
    return [out]


# Runs of the cpu scenario, and as many of the one-record run that measures start-up:
# CPU seconds are the least of each (a shared machine only ever adds to them), and the two
# kinds alternate so that a slow spell of the machine weighs on both alike. The sync's own
# CPU is the difference of two small figures (about 0.3 s and 0.4 s), so one noisy run
# moved it by a third; requests and records come from the first run.
CPU_RUNS = 7


def cpu(bench: Bench) -> list[dict[str, Any]]:
    cond = Conditions(0, 0, 8)
    bench.prepare(cond)
    lower = tap_lower_bound([StreamCost("products", "list")], bench.counts())
    run = bench.run_tap(["products"], cond)
    out = row("cpu", run, bench.emulator.stats(), cond, lower, variant="products")
    runs = [run.cpu_s]
    # What every run costs before its first record (interpreter, imports, catalog): a run
    # of the one-record store_info stream, so the sync's own CPU can be told apart.
    startups: list[float] = []
    for i in range(CPU_RUNS):
        startups.append(bench.run_tap(["store_info"], cond).cpu_s)
        if i + 1 < CPU_RUNS:
            runs.append(bench.run_tap(["products"], cond).cpu_s)
    cpu_s, startup = min(runs), min(startups)
    sync_cpu = max(cpu_s - startup, 1e-6)
    out["cpu_s"] = round(cpu_s, 2)
    out["records_per_cpu_s"] = round(run.total_records / cpu_s, 2)
    out["cpu_runs"] = CPU_RUNS
    out["startup_cpu_s"] = round(startup, 2)
    out["sync_cpu_s"] = round(sync_cpu, 3)
    out["records_per_sync_cpu_s"] = round(run.total_records / sync_cpu)
    return [out]


def upsert(bench: Bench) -> list[dict[str, Any]]:
    """target-bigcommerce updating every product's price and 20,000 stock levels."""
    cond = Conditions(LATENCY_MS, PRO_QUOTA, TARGET_CONCURRENCY)
    emu = bench.emulator
    n_products = max(1, round(UPSERT_PRODUCTS * bench.scale))
    n_levels = max(1, round(UPSERT_LEVELS * bench.scale))
    products = emu.collection("products")[:n_products]
    # Levels as a warehouse export lists them, by location: the target looks them up per
    # location within each batch it drains.
    levels = sorted(
        emu.collection("inventory_items")[:n_levels],
        key=lambda lv: (lv["location_id"], lv["variant_id"]),
    )
    messages = bench.workdir / "upsert.jsonl"
    with messages.open("w") as out:
        out.write(
            json.dumps(_schema("products", {"id": "integer", "price": "number"}, ["id"])) + "\n"
        )
        for p in products:
            price = round(float(p["price"]) * 1.1 + 0.01, 2)
            out.write(json.dumps(_record("products", {"id": p["id"], "price": price})) + "\n")
        inv_props = {"location_id": "integer", "variant_id": "integer", "quantity": "integer"}
        out.write(
            json.dumps(_schema("inventory_items", inv_props, ["location_id", "variant_id"])) + "\n"
        )
        for lv in levels:
            body = {
                "location_id": lv["location_id"],
                "variant_id": lv["variant_id"],
                "quantity": int(lv["total_inventory_onhand"]) + 1,
            }
            out.write(json.dumps(_record("inventory_items", body)) + "\n")
        out.write(json.dumps({"type": "STATE", "value": {"bench": "upsert"}}) + "\n")
    per_location: dict[int, int] = {}
    for lv in levels:
        per_location[lv["location_id"]] = per_location.get(lv["location_id"], 0) + 1
    lower = {
        "products lookups": pages(len(products), LOOKUP_WIDTH),
        "products writes": math.ceil(len(products) / PRODUCT_BATCH),
        "inventory lookups": sum(pages(n, LOOKUP_WIDTH) for n in per_location.values()),
        "inventory writes": math.ceil(len(levels) / INVENTORY_BATCH),
    }
    config = {
        **bench.tap_config(emu, TARGET_CONCURRENCY),
        "dead_letter_path": str(bench.workdir / "dead-letter.jsonl"),
    }
    cfg = bench._write("target-config.json", config)
    bench.prepare(cond)
    run = run_process(
        [str(BIN / "target-bigcommerce"), "--config", str(cfg)],
        stdin_path=messages,
        server_pid=emu.process.pid,
    )
    if run.returncode != 0:
        raise RuntimeError(f"target exited {run.returncode}:\n{run.stderr_tail}")
    n = len(products) + len(levels)
    out_row = row("upsert", run, emu.stats(), cond, lower, variant="target", records=n)
    out_row["records_by_stream"] = {"products": len(products), "inventory_items": len(levels)}
    return [out_row]


def scale(bench: Bench) -> list[dict[str, Any]]:
    cond = Conditions(LATENCY_MS, 0, 8)
    # 1x is the bench's own store; the larger one gets an emulator of its own.
    rows = [full_sync(bench, "scale", cond, "1x")[0]]
    with bench.sized_emulator(bench.scale_factor) as emu:
        rows.append(full_sync(bench, "scale", cond, f"{bench.scale_factor}x", emulator=emu)[0])
    small, big = rows
    growth = ratio(big["peak_rss_mib"] - small["peak_rss_mib"], small["peak_rss_mib"])
    for r in rows:
        r["rss_growth"] = growth
    return rows


def _schema(stream: str, props: dict[str, str], keys: list[str]) -> dict[str, Any]:
    properties = {k: {"type": [t, "null"]} for k, t in props.items()}
    return {
        "type": "SCHEMA",
        "stream": stream,
        "schema": {"type": "object", "properties": properties},
        "key_properties": keys,
    }


def _record(stream: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"type": "RECORD", "stream": stream, "record": record}


SCENARIOS: dict[str, Callable[[Bench], list[dict[str, Any]]]] = {
    "full-standard": full_standard,
    "full-pro": full_pro,
    "full-unlimited": full_unlimited,
    "incremental": incremental,
    "cpu": cpu,
    "upsert": upsert,
    "scale": scale,
}
