"""The round trip: the tap reads products, a stream map raises every price by 10%, the
target writes them back, and the tap reads the new prices."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from target_bigcommerce.sinks import SINKS
from tests.emulator_process import Emulator
from tests.target.support import SUMMARY, TAP, TARGET, config_for, write_config, writes

PRICE_UP_10 = "float(int(float(price) * 110 + 0.5) / 100)"


def tap_catalog(
    config_path: Path, tmp_path: Path, streams: frozenset[str] = frozenset({"products"})
) -> Path:
    """The tap's catalog with only ``streams`` selected."""
    found = subprocess.run(
        [TAP, "--config", str(config_path), "--discover"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    catalog = json.loads(found.stdout)
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            if entry["breadcrumb"] == []:
                entry["metadata"]["selected"] = stream["tap_stream_id"] in streams
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    return path


def read_prices(config_path: Path, catalog: Path) -> dict[int, Decimal]:
    out = subprocess.run(
        [TAP, "--config", str(config_path), "--catalog", str(catalog)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    prices: dict[int, Decimal] = {}
    for line in out.splitlines():
        message: dict[str, Any] = json.loads(line, parse_float=Decimal)
        if message["type"] == "RECORD" and message["stream"] == "products":
            prices[int(message["record"]["id"])] = message["record"]["price"]
    return prices


def test_tap_map_target_tap(emulator: Emulator, tmp_path: Path) -> None:
    tap_config = write_config(tmp_path, config_for(emulator, tmp_path))
    catalog = tap_catalog(tap_config, tmp_path)
    before = read_prices(tap_config, catalog)
    assert len(before) == len(emulator.collection("products"))

    target_config = tmp_path / "target.json"
    target_config.write_text(
        json.dumps(
            {
                **config_for(emulator, tmp_path),
                # The SDK's stream maps, on the target: every price up by 10%, to the cent.
                "stream_maps": {"products": {"price": PRICE_UP_10}},
            }
        )
    )
    tap = subprocess.Popen(
        [TAP, "--config", str(tap_config), "--catalog", str(catalog)],
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "tap.err").open("w"),
    )
    try:
        target = subprocess.run(
            [TARGET, "--config", str(target_config)],
            stdin=tap.stdout,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        assert tap.stdout is not None
        tap.stdout.close()
        tap_status = tap.wait(timeout=60)
    assert target.returncode == 0, target.stderr[-3000:]
    assert tap_status == 0, (tmp_path / "tap.err").read_text()[-3000:]
    summary = json.loads(SUMMARY.findall(target.stderr)[-1])["streams"]["products"]
    assert summary["updated"] == len(before) and summary["rejected"] == 0
    # The tap's STATE went through the target once the writes were done.
    assert any("bookmarks" in json.loads(line) for line in target.stdout.splitlines())

    after = read_prices(tap_config, catalog)
    expected = {pid: int(float(price) * 110 + 0.5) / 100 for pid, price in before.items()}
    assert {pid: float(p) for pid, p in after.items()} == expected
    assert all(after[pid] > before[pid] for pid in before if before[pid] > 0)


def test_tap_output_fed_back_as_is_writes_nothing(emulator: Emulator, tmp_path: Path) -> None:
    """Every stream the target accepts, read by the tap and written back untouched: the
    comparison sees the store already holds it all."""
    tap_config = write_config(tmp_path, config_for(emulator, tmp_path))
    catalog = tap_catalog(tap_config, tmp_path, frozenset(SINKS))
    tap_out = subprocess.run(
        [TAP, "--config", str(tap_config), "--catalog", str(catalog)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    seq = int(emulator.stats()["last_seq"])
    target = subprocess.run(
        [TARGET, "--config", str(tap_config)],
        input=tap_out,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert target.returncode == 0, target.stderr[-3000:]
    summary = json.loads(SUMMARY.findall(target.stderr)[-1])["streams"]
    assert set(summary) == set(SINKS)
    for stream, counts in summary.items():
        assert counts["unchanged"] > 0, stream
        assert counts["created"] == counts["updated"] == counts["rejected"] == 0, (stream, counts)
    assert writes(emulator, seq) == []
