"""A token without a T2 stream's scope fails the run with a message naming the stream and
the scope it needs, and never the token."""

from __future__ import annotations

from tests.emulator_process import Emulator
from tests.tap.tap_runner import base_config, run_tap

LIMITED_TOKEN = "limited-token-0123456789"


def test_missing_scope_names_the_stream_and_the_scope(emulator: Emulator) -> None:
    emulator.add_token(LIMITED_TOKEN, scopes=["store_v2_marketing_read_only"])
    cfg = {**base_config(emulator), "access_token": LIMITED_TOKEN}
    run = run_tap(cfg, streams=["store_info", "coupons"])
    assert run.returncode != 0
    # Streams sync in name order: the one the token can read came out first.
    assert len(run.records["coupons"]) == len(emulator.collection("coupons"))
    assert run.records.get("store_info", []) == []
    message = run.stderr.strip().splitlines()[-1]
    assert "'store_info'" in message and "store_v2_information" in message, message
    assert LIMITED_TOKEN not in run.stderr
