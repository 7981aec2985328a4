"""Print a short report from the demo's DuckDB file: what a newcomer sees after `make demo`."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import duckdb

SCHEMA = "bigcommerce"
METRIC = re.compile(r"METRIC: (\{.*\})")


def records_this_run(log: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    if not log.exists():
        return counts
    for line in log.read_text(errors="replace").splitlines():
        m = METRIC.search(line)
        if "tap-bigcommerce" not in line or not m:
            continue
        try:
            metric = json.JSONDecoder().raw_decode(m.group(1))[0]
        except json.JSONDecodeError:
            continue
        if metric.get("metric") == "record_count":
            counts[metric["tags"].get("stream", "?")] += int(metric.get("value", 0))
    return counts


def table(title: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(h)), *(len(f"{r[i]}") for r in rows)) for i, h in enumerate(header)]
    print("  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    for r in rows:
        print("  " + "  ".join(f"{v}".ljust(w) for v, w in zip(r, widths, strict=True)))


def main(db_path: str, log_path: str | None = None) -> None:
    con = duckdb.connect(db_path, read_only=True)
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1",
            [SCHEMA],
        ).fetchall()
    ]
    synced = records_this_run(Path(log_path)) if log_path else Counter()
    rows = [
        (t, con.execute(f'select count(*) from {SCHEMA}."{t}"').fetchone()[0], synced.get(t, 0))  # type: ignore[index]
        for t in tables
    ]
    table(
        "Tables in the warehouse (rows now, and records synced by this run):",
        ("table", "rows", "this run"),
        rows,
    )
    revenue = con.execute(
        f"""
        select strftime(date_trunc('month', date_created), '%Y-%m') as month,
               count(*) as orders, round(sum(total_inc_tax), 2) as revenue
        from {SCHEMA}.orders
        where status not in ('Cancelled', 'Refunded', 'Declined', 'Incomplete')
        group by 1 order by 1 desc limit 12
        """
    ).fetchall()
    table("Revenue by month (last 12 months with orders):", ("month", "orders", "revenue"), revenue)
    top = con.execute(
        f"""
        select name, sum(quantity) as units, round(sum(total_inc_tax), 2) as revenue
        from {SCHEMA}.order_products group by 1 order by 3 desc limit 10
        """
    ).fetchall()
    table("Top 10 products by revenue:", ("product", "units", "revenue"), top)
    print(f"\nQuery it yourself: duckdb {db_path}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
