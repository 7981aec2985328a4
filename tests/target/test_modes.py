"""Dry run, append-only, match keys, and the errors a bad input or setting gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from target_bigcommerce.errors import TargetConfigError
from target_bigcommerce.settings import TargetSettings
from target_bigcommerce.sinks import SINKS
from tests.emulator_process import Emulator
from tests.target.support import by_id, records, run_target, schema_message, state, writes

ALLOWED = {name: sink.allowed_keys for name, sink in SINKS.items()}


def mixed_input(emu: Emulator) -> list[dict]:
    products = by_id(emu.collection("products"))
    return [
        schema_message("products"),
        *records(
            "products",
            [
                {"id": 1, "price": 1.23},
                {"id": 2, "price": products[2]["price"]},
                {
                    "sku": "TG-DRY-1",
                    "name": "Dry Run Kettle",
                    "type": "physical",
                    "weight": 1,
                    "price": 30,
                },
            ],  # fmt: skip
        ),
        state({"n": 1}),
    ]


def test_dry_run_looks_up_everything_and_writes_nothing(emulator: Emulator, tmp_path: Path) -> None:
    before = emulator.collection("products")
    run = run_target(emulator, tmp_path, mixed_input(emulator), dry_run=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.summary["products"] == {
        "created": 1, "updated": 1, "unchanged": 1, "skipped": 0, "rejected": 0
    }  # fmt: skip
    assert "dry run" in run.stderr and "would update products id=1 (price)" in run.stderr
    assert writes(emulator) == []
    assert emulator.collection("products") == before
    # A bookmark now would make the real run skip these rows.
    assert run.states == []


def test_append_only_creates_and_leaves_existing_records(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_target(emulator, tmp_path, mixed_input(emulator), load_method="append-only")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.summary["products"] == {
        "created": 1, "updated": 0, "unchanged": 1, "skipped": 1, "rejected": 0
    }  # fmt: skip
    assert [e["endpoint"] for e in writes(emulator)] == ["POST /v3/catalog/products"]
    assert by_id(emulator.collection("products"))[1]["price"] != 1.23


def test_match_keys_setting_changes_what_identifies_a_record(
    emulator: Emulator, tmp_path: Path
) -> None:
    product = by_id(emulator.collection("products"))[4]
    # Matched on SKU alone, a stale id in the input does not matter.
    rows = [{"id": 888_888, "sku": product["sku"], "price": 4.56}]
    lines = [schema_message("products"), *records("products", rows)]
    run = run_target(emulator, tmp_path, lines, match_keys={"products": ["sku"]})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.summary["products"]["updated"] == 1
    assert by_id(emulator.collection("products"))[4]["price"] == 4.56


def test_unknown_stream_fails_at_its_schema_before_any_write(
    emulator: Emulator, tmp_path: Path
) -> None:
    lines = [
        schema_message("products"),
        *records("products", [{"id": 1, "price": 9.99}]),
        schema_message("orders"),
        *records("orders", [{"id": 1}]),
        state({"n": 1}),
    ]
    run = run_target(emulator, tmp_path, lines)
    assert run.returncode == 2
    assert "stream 'orders' cannot be written to BigCommerce" in run.stderr
    assert "Traceback" not in run.stderr
    assert writes(emulator) == []
    assert run.states == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"load_method": "merge"}, "setting load_method: 'merge' is not one of"),
        ({"match_keys": {"orders": ["id"]}}, "setting match_keys: unknown stream 'orders'"),
        ({"match_keys": {"customers": ["phone"]}}, "setting match_keys.customers: cannot match"),
        ({"max_failed_records": -1}, "setting max_failed_records: must be at least 0"),
        ({"max_concurrency": "many"}, "setting max_concurrency: expected an integer"),
    ],
)
def test_bad_settings_name_the_setting(config: dict, message: str) -> None:
    with pytest.raises(TargetConfigError, match=message.replace("(", r"\(")):
        TargetSettings.from_config(config, ALLOWED)


def test_default_settings() -> None:
    settings = TargetSettings.from_config({}, ALLOWED)
    assert settings.load_method == "upsert" and not settings.append_only
    assert settings.max_failed_records == 0 and settings.dry_run is False


def test_the_same_key_twice_in_one_input_is_applied_in_order(
    emulator: Emulator, tmp_path: Path
) -> None:
    new = {"sku": "TG-TWICE", "name": "Twice Lamp", "type": "physical", "weight": 1, "price": 10}
    rows = [new, {**new, "price": 12}, {"sku": "TG-TWICE", "price": 14}]
    lines = [schema_message("products"), *records("products", rows)]
    run = run_target(emulator, tmp_path, lines)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.summary["products"]["created"] == 1
    assert run.summary["products"]["updated"] == 2
    made = [p for p in emulator.collection("products") if p["sku"] == "TG-TWICE"]
    assert len(made) == 1 and made[0]["price"] == 14


def test_records_from_another_store_are_not_matched_on_its_ids(
    emulator: Emulator, tmp_path: Path
) -> None:
    products = by_id(emulator.collection("products"))
    # Product 1 of another store is our product 5 (same SKU): its id must not be used.
    rows = [{"store_hash": "otherstore", "id": 1, "sku": products[5]["sku"], "price": 6.54}]
    run = run_target(emulator, tmp_path, [schema_message("products"), *records("products", rows)])
    assert run.returncode == 0, run.stderr[-2000:]
    after = by_id(emulator.collection("products"))
    assert after[5]["price"] == 6.54
    assert after[1]["price"] == products[1]["price"]
