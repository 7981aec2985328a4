"""Rejected records land in the dead-letter file with the API's reason; the run goes on."""

from __future__ import annotations

from pathlib import Path

from tests.emulator_process import Emulator
from tests.target.support import by_id, records, run_target, schema_message, state


def test_207_partial_batch_and_409_inside_it(emulator: Emulator, tmp_path: Path) -> None:
    products = by_id(emulator.collection("products"))
    rows = [
        {"id": 1, "price": 11.11},
        # Negative stock: the documented 207 case (product saved, stock not).
        {"id": 2, "price": 22.22, "inventory_level": -5},
        # Another product's SKU: refused with 409 inside the same batch.
        {"id": 3, "sku": products[4]["sku"]},
        {"id": 5, "price": 55.55},
    ]
    lines = [schema_message("products"), *records("products", rows), state({"s": 1})]
    run = run_target(emulator, tmp_path, lines, max_failed_records=5)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.summary["products"]["rejected"] == 2
    assert run.summary["products"]["updated"] == 2
    dead = {d["record"]["id"]: d for d in run.dead}
    assert set(dead) == {2, 3}
    assert dead[2]["http_status"] == 207 and "inventory" in dead[2]["error"].lower()
    assert dead[2]["record"] == {"id": 2, "price": 22.22, "inventory_level": -5}
    assert dead[3]["status"] == 409 and products[4]["sku"] in dead[3]["error"]
    after = by_id(emulator.collection("products"))
    assert after[1]["price"] == 11.11 and after[5]["price"] == 55.55
    assert after[3]["sku"] == products[3]["sku"]
    # Every record was written or dead-lettered, so the STATE is acknowledged.
    assert run.states == [{"s": 1}]


def test_422_in_all_or_nothing_batch_rejects_only_the_bad_record(
    emulator: Emulator, tmp_path: Path
) -> None:
    rows = [
        {"email": f"ok{i}@example.com", "first_name": "Ok", "last_name": str(i)} for i in range(6)
    ]
    rows.insert(3, {"email": "not-an-email", "first_name": "Bad", "last_name": "Row"})
    lines = [schema_message("customers"), *records("customers", rows), state({"s": 1})]
    run = run_target(emulator, tmp_path, lines)
    # max_failed_records defaults to 0: one rejection fails the run, after finishing it.
    assert run.returncode == 1
    assert run.summary["customers"] == {
        "created": 6, "updated": 0, "unchanged": 0, "skipped": 0, "rejected": 1
    }  # fmt: skip
    assert len(run.dead) == 1
    assert run.dead[0]["status"] == 422
    assert run.dead[0]["record"]["email"] == "not-an-email"
    assert "email" in run.dead[0]["error"]
    emails = {c["email"] for c in emulator.collection("customers")}
    assert {f"ok{i}@example.com" for i in range(6)} <= emails
    assert run.states == [{"s": 1}]


def test_409_on_create_and_404_for_a_vanished_id(emulator: Emulator, tmp_path: Path) -> None:
    taken = emulator.collection("brands")[0]["name"]
    products = by_id(emulator.collection("products"))
    lines = [
        schema_message("products"),
        *records(
            "products",
            [
                {"id": 999_999, "price": 1},
                # Not a number: the schema check lets it through, the API refuses it.
                {"id": 2, "price": "abc"},
                # A new product (unknown SKU) whose name another product holds: 409.
                {
                    "sku": "TG-DUP-NAME",
                    "name": products[1]["name"],
                    "type": "physical",
                    "weight": 1,
                    "price": 1,
                },
            ],  # fmt: skip
        ),
        schema_message("brands"),
        *records("brands", [{"id": 424_242, "name": taken}]),
    ]
    run = run_target(emulator, tmp_path, lines, max_failed_records=10)
    assert run.returncode == 0, run.stderr[-2000:]
    statuses = sorted((d["stream"], d["status"]) for d in run.dead)
    assert statuses == [("brands", 404), ("products", 404), ("products", 409), ("products", 422)]
    bad_price = next(d for d in run.dead if d["record"].get("id") == 2)
    assert "price" in bad_price["error"]
    vanished = next(d for d in run.dead if d["record"].get("id") == 999_999)
    assert "999999" in vanished["error"]
    dup = next(d for d in run.dead if d["record"].get("sku") == "TG-DUP-NAME")
    assert "name" in dup["error"].lower()
    assert not [p for p in emulator.collection("products") if p["sku"] == "TG-DUP-NAME"]


def test_records_refused_before_any_request_have_status_0(
    emulator: Emulator, tmp_path: Path
) -> None:
    rows = [
        {"price_list_id": 1, "variant_id": 1, "price": 3},
        {"price_list_id": 999, "variant_id": 1, "currency": "usd", "price": 3},
        {"price_list_id": 1, "variant_id": 1, "currency": "usd", "price": 3.5},
    ]
    lines = [
        schema_message("price_list_records"),
        *records("price_list_records", rows),
        schema_message("product_variants"),
        *records("product_variants", [{"sku": "TG-ORPHAN", "price": 1}]),
    ]
    run = run_target(emulator, tmp_path, lines, dry_run=True)
    # A dry run refuses the same records as a real run would before sending them.
    assert run.summary["product_variants"]["rejected"] == 1
    assert run.dead == []  # and leaves no dead-letter file
    run = run_target(emulator, tmp_path, lines)
    assert run.returncode == 1
    assert [(d["status"], d["error"]) for d in run.dead] == [
        (0, "price_list_records record has no currency"),
        (404, "price list 999 does not exist"),
        (0, "a new variant needs product_id (and sku, option_values)"),
    ]
    assert run.summary["price_list_records"]["rejected"] == 2
    assert (
        run.summary["price_list_records"]["created"] + run.summary["price_list_records"]["updated"]
        == 1
    )
