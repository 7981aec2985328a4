"""`meltano run tap-bigcommerce target-postgres`, exactly as a user types it.

A real PostgreSQL server, the emulator over HTTP, the plugins installed by `meltano install`
from meltano.yml; then a second, incremental run after the store changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.e2e.meltano_project import ROOT, meltano
from tests.e2e.postgres import Postgres, running_postgres
from tests.emulator_process import Emulator, running_emulator

pytestmark = pytest.mark.e2e
SCHEMA = "bigcommerce"


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Emulator, Postgres, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("meltano")
    with (
        running_emulator("--size", "tiny", "--seed", "11", "--quota", "0") as emu,
        running_postgres() as pg,
    ):
        env = {
            "MELTANO_DATABASE_URI": f"sqlite:///{tmp}/meltano.db",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "MELTANO_ENVIRONMENT": "dev",
            "TAP_BIGCOMMERCE_API_URL": emu.base_url,
            "TAP_BIGCOMMERCE_STORE_HASH": emu.store_hash,
            "TAP_BIGCOMMERCE_ACCESS_TOKEN": emu.token,
            "TAP_BIGCOMMERCE_START_DATE": "2020-01-01T00:00:00Z",
            "TARGET_POSTGRES_HOST": pg.host,
            "TARGET_POSTGRES_PORT": str(pg.port),
            "TARGET_POSTGRES_USER": pg.user,
            # trust authentication: any password passes, but target-postgres requires one.
            "TARGET_POSTGRES_PASSWORD": "unused",
            "TARGET_POSTGRES_DATABASE": pg.database,
            "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": SCHEMA,
        }
        meltano("install", env=env, timeout=900)
        yield emu, pg, env


def _catalog(emu: Emulator, tmp: Path) -> dict[str, list[str]]:
    """Each stream's key properties, from the tap's own discovery."""
    cfg = tmp / "tap.json"
    cfg.write_text(
        json.dumps(
            {"api_url": emu.base_url, "store_hash": emu.store_hash, "access_token": emu.token}
        )
    )
    out = subprocess.run(
        [str(Path(sys.executable).parent / "tap-bigcommerce"), "--config", str(cfg), "--discover"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return {s["tap_stream_id"]: s["key_properties"] for s in json.loads(out)["streams"]}


def _rows(pg: Postgres, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(pg.dsn) as conn:
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def _table_count(pg: Postgres, table: str) -> int:
    exists = _rows(
        pg,
        "select 1 from information_schema.tables where table_schema = %s and table_name = %s",
        SCHEMA,
        table,
    )
    if not exists:
        return 0
    return int(_rows(pg, f'select count(*) from {SCHEMA}."{table}"')[0][0])


def _expected_rows(emu: Emulator, stream: str) -> int:
    if stream == "blog_tags":
        # Not stored: the API derives one row per distinct tag of the blog posts.
        return len({t for post in emu.collection("blog_posts") for t in post.get("tags") or []})
    return len(emu.collection(stream))


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_full_then_incremental_run(
    stack: tuple[Emulator, Postgres, dict[str, str]], tmp_path: Path
) -> None:
    emu, pg, env = stack
    keys = _catalog(emu, tmp_path)
    assert {"products", "orders", "customers", "order_products"} <= set(keys)

    run1 = meltano("run", "tap-bigcommerce", "target-postgres", env=env)

    # Every table holds exactly what the store holds.
    for stream in keys:
        assert _table_count(pg, stream) == _expected_rows(emu, stream), stream
    assert run1.record_counts()["products"] == len(emu.collection("products"))

    # A sample of values survives the trip, normalised (v2 money strings -> numbers,
    # RFC 2822 -> timestamps).
    order = emu.collection("orders")[0]
    db_total, db_modified = _rows(
        pg,
        f"select total_inc_tax, date_modified from {SCHEMA}.orders where id = %s",
        order["id"],
    )[0]
    assert float(db_total) == pytest.approx(float(order["total_inc_tax"]))
    # target-postgres stores UTC timestamps without a zone.
    assert db_modified.replace(tzinfo=UTC) == _ts(order["date_modified"])
    product = emu.collection("products")[-1]
    (db_name, db_price) = _rows(
        pg, f"select name, price from {SCHEMA}.products where id = %s", product["id"]
    )[0]
    assert (db_name, float(db_price)) == (product["name"], pytest.approx(float(product["price"])))

    # The merchant changes a few records; the next run re-sends only those (plus, at
    # most, records sharing the previous bookmark's second: the `:min` filters are inclusive).
    before = {s: emu.collection(s) for s in ("products", "customers", "orders")}
    changed = {
        "products": before["products"][:3],
        "customers": before["customers"][:2],
        "orders": before["orders"][:4],
    }
    for stream, records in changed.items():
        for rec in records:
            emu.control(
                "PATCH",
                f"/stores/{emu.store_hash}/collections/{stream}/{rec['id']}",
                json={},
            )
    new_name = "Renamed by the merchant"
    emu.control(
        "PATCH",
        f"/stores/{emu.store_hash}/collections/products/{changed['products'][0]['id']}",
        json={"name": new_name},
    )

    run2 = meltano("run", "tap-bigcommerce", "target-postgres", env=env)
    counts = run2.record_counts()
    for stream, records in changed.items():
        newest = max(_ts(r["date_modified"]) for r in before[stream])
        boundary = sum(1 for r in before[stream] if _ts(r["date_modified"]) == newest)
        assert len(records) <= counts[stream] <= len(records) + boundary, (stream, counts[stream])
    # Line items are read only for the orders that changed.
    assert counts["order_products"] < len(emu.collection("order_products"))

    # The change landed, and no key is duplicated anywhere.
    (name,) = _rows(
        pg, f"select name from {SCHEMA}.products where id = %s", changed["products"][0]["id"]
    )[0]
    assert name == new_name
    for stream, key in keys.items():
        if _table_count(pg, stream) == 0:
            continue
        cols = ", ".join(f'"{k}"' for k in key)
        dupes = _rows(
            pg,
            f'select {cols}, count(*) from {SCHEMA}."{stream}" group by {cols} having count(*) > 1',
        )
        assert dupes == [], stream
        assert _table_count(pg, stream) == _expected_rows(emu, stream), stream
    assert ROOT.joinpath("meltano.yml").exists()
