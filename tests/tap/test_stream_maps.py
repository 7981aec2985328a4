"""The tap's own stream maps (SDK ``stream_maps`` setting) still shape what it writes:
records skip the message objects on the common path, so the mapped path is tested here."""

from __future__ import annotations

from tests.emulator_process import Emulator
from tests.tap.tap_runner import base_config, run_tap


def test_stream_maps_rename_drop_and_compute(shared_emulator: Emulator) -> None:
    maps = {"brands": {"__alias__": "brand_list", "image_url": "__NULL__", "loud": "name.upper()"}}
    run = run_tap(base_config(shared_emulator, stream_maps=maps), streams=["brands"])
    assert run.returncode == 0, run.stderr[-2000:]
    stored = {b["id"]: b for b in shared_emulator.collection("brands")}
    out = run.records.get("brand_list", [])
    assert "brands" not in run.records
    assert sorted(r["id"] for r in out) == sorted(stored)
    for record in out:
        assert "image_url" not in record
        assert record["loud"] == stored[record["id"]]["name"].upper()
        assert record["store_hash"] == shared_emulator.store_hash


def test_without_stream_maps_records_go_out_under_their_name(shared_emulator: Emulator) -> None:
    run = run_tap(base_config(shared_emulator), streams=["brands"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.records["brands"]) == len(shared_emulator.collection("brands"))
    assert all("image_url" in r for r in run.records["brands"])
