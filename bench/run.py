"""`make bench`: run the benchmark scenarios against a live emulator and report.

    .venv/bin/python bench/run.py [--scenario NAME ...] [--scale F] [--output PATH]

Starts the emulator with the store of issue 7 (10,000 products, 20,000 customers, 50,000
orders; ``--scale`` multiplies those, for a quick check), runs each scenario, prints a
table and writes every row to ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import checks, table  # noqa: E402
from bench.scenarios import BASE_SIZES, SCALE_FACTOR, SCENARIOS, Bench  # noqa: E402
from tests.emulator_process import start_emulator  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results.json"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="run only this scenario (repeatable); default: all, in the issue's order",
    )
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the store sizes (and upsert volumes) by this, e.g. 0.05 for a quick check",
    )
    p.add_argument(
        "--scale-factor",
        type=int,
        default=SCALE_FACTOR,
        help=f"store size multiple of the scale scenario's second run (default {SCALE_FACTOR})",
    )
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results JSON file")
    args = p.parse_args(argv)
    if args.scale <= 0:
        p.error(f"--scale: {args.scale} must be positive")
    return args


def run(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    names = args.scenario or list(SCENARIOS)
    sizes = {k: max(1, round(v * args.scale)) for k, v in BASE_SIZES.items()}
    started = time.monotonic()
    emu_args = [f"--{k}={v}" for k, v in sizes.items()]
    print(f"starting the emulator ({', '.join(f'{v} {k}' for k, v in sizes.items())})", flush=True)
    emulator = start_emulator(
        *emu_args, "--quota", "0", store_hash="bench", token="bench-token", timeout=3600
    )
    rows: list[dict[str, Any]] = []
    reference_s = reference_loop_cpu_s()
    print(f"machine: a reference Python loop takes {reference_s:.2f} CPU s here", flush=True)
    command = (
        "make bench"
        if args.scale == 1.0 and not args.scenario and args.scale_factor == SCALE_FACTOR
        else " ".join(["bench/run.py", *(sys.argv[1:] if argv is None else argv)])
    )

    def result() -> dict[str, Any]:
        return {
            "command": command,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "cpus": _cpus(),
                "reference_loop_cpu_s": reference_s,
            },
            "store": sizes,
            "scale": args.scale,
            "elapsed_s": round(time.monotonic() - started, 1),
            "rows": rows,
            "checks": checks(rows),
        }

    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            bench = Bench(
                emulator=emulator,
                workdir=Path(tmp),
                scale=args.scale,
                scale_factor=args.scale_factor,
            )
            for name in names:
                t0 = time.monotonic()
                print(f"scenario {name} ...", flush=True)
                new = SCENARIOS[name](bench)
                rows.extend(new)
                print(table(new), flush=True)
                print(f"  ({time.monotonic() - t0:.0f} s)", flush=True)
                # Written after every scenario, so a long run keeps what it measured.
                args.output.write_text(json.dumps(result(), indent=2) + "\n")
    finally:
        emulator.stop()
    final = result()
    args.output.write_text(json.dumps(final, indent=2) + "\n")
    print()
    print(table(rows))
    print()
    for check in final["checks"]:
        print(f"{'PASS' if check['ok'] else 'FAIL'}  {check['target']}: {check['measured']}")
    print(f"\nwrote {args.output}")
    return final


def reference_loop_cpu_s(repeats: int = 3) -> float:
    """CPU seconds of a fixed pure-Python loop (least of ``repeats``): records per CPU
    second depend on the machine, and this tells two machines' runs apart."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        total = 0
        for i in range(5_000_000):
            total += i
        best = min(best, time.process_time() - start)
    return round(best, 3)


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    run()
