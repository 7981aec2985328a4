"""The benchmark's table and its verdict against the targets of issue 7."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Row = dict[str, Any]

COLUMNS: tuple[tuple[str, str, Callable[[Row], str]], ...] = (
    ("scenario", "<", lambda r: str(r["scenario"])),
    ("variant", "<", lambda r: str(r.get("variant", ""))),
    ("records", ">", lambda r: f"{r['records']:,}"),
    ("requests", ">", lambda r: f"{r['requests']:,}"),
    ("lower bound", ">", lambda r: f"{r['lower_bound']:,}"),
    ("req/bound", ">", lambda r: _num(r["requests_ratio"], 3)),
    ("wall s", ">", lambda r: f"{r['wall_s']:.1f}"),
    ("min s", ">", lambda r: f"{r['min_time_s']:.1f}"),
    ("wall/min", ">", lambda r: _num(r["time_ratio"], 2)),
    ("records/s", ">", lambda r: f"{r['records_per_s']:,.0f}"),
    ("CPU s", ">", lambda r: f"{r['cpu_s']:.2f}"),
    ("records/CPU s", ">", lambda r: f"{r['records_per_cpu_s']:,.0f}"),
    ("peak RSS MiB", ">", lambda r: f"{r['peak_rss_mib']:.0f}"),
    ("429s", ">", lambda r: str(r["status_429"])),
    ("emulator CPU s", ">", lambda r: _num(r.get("emulator_cpu_s"), 1)),
)

# Targets of issue 7.
MAX_REQUEST_RATIO = 1.05
MAX_QUOTA_TIME_RATIO = 1.10
MAX_UPSERT_TIME_RATIO = 1.15
MIN_SPEEDUP = 5.0
MIN_RECORDS_PER_CPU_S = 30_000
MAX_RSS_GROWTH = 0.10
QUOTA_BOUND = ("full-standard", "full-pro")


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(rows: Sequence[Row], markdown: bool = False) -> str:
    """Rows as an aligned text table (or a Markdown one)."""
    cells = [[fmt(r) for _, _, fmt in COLUMNS] for r in rows]
    heads = [name for name, _, _ in COLUMNS]
    if markdown:
        lines = ["| " + " | ".join(heads) + " |"]
        lines.append("| " + " | ".join("---:" if a == ">" else "---" for _, a, _ in COLUMNS) + " |")
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines)
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(heads)
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(w) if a == "<" else v.rjust(w)
            for v, w, (_, a, _) in zip(values, widths, COLUMNS, strict=True)
        )

    return "\n".join([line(heads), line(["-" * w for w in widths]), *(line(c) for c in cells)])


def checks(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Each target of issue 7 that these rows can judge, with what was measured."""
    out: list[dict[str, Any]] = []

    def add(target: str, ok: bool, measured: str) -> None:
        out.append({"target": target, "ok": ok, "measured": measured})

    for r in rows:
        label = f"{r['scenario']} {r.get('variant', '')}".strip()
        if r["requests_ratio"] is not None:
            add(
                f"{label}: requests <= {MAX_REQUEST_RATIO} x lower bound",
                r["requests_ratio"] <= MAX_REQUEST_RATIO,
                f"{r['requests']} / {r['lower_bound']} = {r['requests_ratio']}",
            )
        if r["quota"] > 0:
            add(f"{label}: no 429 under quota", r["status_429"] == 0, f"{r['status_429']} x 429")
        if r["scenario"] in QUOTA_BOUND:
            add(
                f"{label}: wall <= {MAX_QUOTA_TIME_RATIO} x quota-bound minimum",
                (r["time_ratio"] or 0) <= MAX_QUOTA_TIME_RATIO,
                f"{r['wall_s']} s / {r['min_time_s']} s = {r['time_ratio']}",
            )
        if r["scenario"] == "upsert":
            add(
                f"{label}: wall <= {MAX_UPSERT_TIME_RATIO} x quota-bound minimum",
                (r["time_ratio"] or 0) <= MAX_UPSERT_TIME_RATIO,
                f"{r['wall_s']} s / {r['min_time_s']} s = {r['time_ratio']}",
            )
        if r["scenario"] == "cpu":
            per_sync: float = r.get("records_per_sync_cpu_s") or r["records_per_cpu_s"]
            add(
                f"cpu: >= {MIN_RECORDS_PER_CPU_S:,} records per CPU second (start-up excluded)",
                per_sync >= MIN_RECORDS_PER_CPU_S,
                f"{r['records']} records / ({r['cpu_s']} - {r.get('startup_cpu_s', 0)} start-up)"
                f" CPU s = {per_sync:,.0f} (with start-up {r['records_per_cpu_s']:,.0f})",
            )
    unlimited = [r for r in rows if r["scenario"] == "full-unlimited"]
    if len(unlimited) == 2:
        speedup = unlimited[0].get("speedup_8_over_1") or 0
        add(
            f"full-unlimited: concurrency 8 >= {MIN_SPEEDUP} x faster than 1",
            speedup >= MIN_SPEEDUP,
            f"{speedup} x",
        )
    scaled = [r for r in rows if r["scenario"] == "scale"]
    if len(scaled) == 2:
        growth = scaled[0].get("rss_growth")
        add(
            f"scale: peak RSS grows < {MAX_RSS_GROWTH:.0%} from 1x to {scaled[1]['variant']}",
            growth is not None and growth < MAX_RSS_GROWTH,
            f"{scaled[0]['peak_rss_mib']} -> {scaled[1]['peak_rss_mib']} MiB ({growth})",
        )
    return out
