"""Create and update for every stream, then the same input again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.emulator_process import Emulator
from tests.target.support import (
    by_id,
    last_seq,
    records,
    run_target,
    schema_message,
    state,
    writes,
)


def load_twice(
    emu: Emulator, tmp_path: Path, stream: str, rows: list[dict[str, Any]], **extra: Any
) -> dict[str, int]:
    """Run the input twice; return the first run's counts after checking the second."""
    lines = [schema_message(stream, **extra), *records(stream, rows), state({"run": 1})]
    first = run_target(emu, tmp_path, lines)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.states == [{"run": 1}]
    assert first.dead == []
    seq = last_seq(emu)
    second = run_target(emu, tmp_path, lines)
    assert second.returncode == 0, second.stderr[-2000:]
    counts = second.summary[stream]
    assert counts["unchanged"] == len(rows), counts
    assert counts["created"] == counts["updated"] == counts["rejected"] == 0
    assert writes(emu, seq) == [], "an unchanged record was written again"
    return first.summary[stream]


def test_products_update_by_id_and_sku_and_create(emulator: Emulator, tmp_path: Path) -> None:
    before = by_id(emulator.collection("products"))
    p1, p2, p3 = before[1], before[2], before[3]
    rows = [
        {"id": 1, "price": 123.45, "name": p1["name"]},
        {"id": 2, "is_visible": not p2["is_visible"]},
        # A date-time (the SDK hands it over as a datetime) and a Decimal price.
        {"sku": p3["sku"], "description": "<p>Rewritten</p>",
         "preorder_release_date": "2027-01-15T09:30:00+00:00", "retail_price": 1234.5678},
        {"sku": "TG-NEW-1", "name": "Target Test Lamp", "type": "physical", "weight": 2.5,
         "price": 19.99, "categories": p1["categories"]},
    ]  # fmt: skip
    counts = load_twice(emulator, tmp_path, "products", rows)
    assert counts == {"created": 1, "updated": 3, "unchanged": 0, "skipped": 0, "rejected": 0}
    after = by_id(emulator.collection("products"))
    assert after[1]["price"] == 123.45
    assert after[2]["is_visible"] is (not p2["is_visible"])
    assert after[3]["description"] == "<p>Rewritten</p>"
    assert after[3]["preorder_release_date"] == "2027-01-15T09:30:00+00:00"
    assert after[3]["retail_price"] == 1234.5678
    new = [p for p in after.values() if p["sku"] == "TG-NEW-1"]
    assert len(new) == 1 and new[0]["price"] == 19.99 and new[0]["name"] == "Target Test Lamp"


def test_product_variants(emulator: Emulator, tmp_path: Path) -> None:
    variants = by_id(emulator.collection("product_variants"))
    v1, v2 = variants[1], variants[2]
    options = [o for o in emulator.collection("product_options") if o["product_id"] == 1]
    rows = [
        {"id": 1, "price": 77.7},
        {"sku": v2["sku"], "weight": 9.25},
        {"product_id": 1, "sku": "TG-VAR-NEW", "price": 5,
         "option_values": [{"option_display_name": options[0]["display_name"], "label": "Teal"}]},
    ]  # fmt: skip
    counts = load_twice(emulator, tmp_path, "product_variants", rows)
    assert (counts["created"], counts["updated"]) == (1, 2)
    after = by_id(emulator.collection("product_variants"))
    assert after[1]["price"] == 77.7 and after[1]["sku"] == v1["sku"]
    assert after[2]["weight"] == 9.25
    assert [v for v in after.values() if v["sku"] == "TG-VAR-NEW"][0]["product_id"] == 1


def test_customers_by_id_and_email(emulator: Emulator, tmp_path: Path) -> None:
    customers = by_id(emulator.collection("customers"))
    c2 = customers[2]
    rows = [
        {"id": 1, "company": "Renamed Ltd"},
        {"email": c2["email"].upper(), "phone": "555-000-1111"},
        {"email": "new.person@example.com", "first_name": "New", "last_name": "Person"},
    ]
    counts = load_twice(emulator, tmp_path, "customers", rows)
    assert (counts["created"], counts["updated"]) == (1, 2)
    after = by_id(emulator.collection("customers"))
    assert after[1]["company"] == "Renamed Ltd"
    assert after[2]["phone"] == "555-000-1111"
    assert [c for c in after.values() if c["email"] == "new.person@example.com"]


def test_customer_addresses(emulator: Emulator, tmp_path: Path) -> None:
    a1 = by_id(emulator.collection("customer_addresses"))[1]
    new = {
        "customer_id": 3, "first_name": "Ada", "last_name": "Byron", "address1": "1 Loop Road",
        "city": "London", "state_or_province": "London", "postal_code": "N1 1AA",
        "country_code": "GB",
    }  # fmt: skip
    rows = [{"id": 1, "city": "Sydney", "customer_id": a1["customer_id"]}, new]
    counts = load_twice(emulator, tmp_path, "customer_addresses", rows)
    assert (counts["created"], counts["updated"]) == (1, 1)
    after = emulator.collection("customer_addresses")
    assert by_id(after)[1]["city"] == "Sydney"
    assert [a for a in after if a["customer_id"] == 3 and a["address1"] == "1 Loop Road"]


def test_categories_and_brands(emulator: Emulator, tmp_path: Path) -> None:
    category = emulator.collection("categories")[0]
    brand = emulator.collection("brands")[0]
    lines = [
        schema_message("categories"),
        *records(
            "categories",
            [
                {"id": category["id"], "description": "<p>New words</p>"},
                {"name": "Target Test Category", "parent_id": 0},
            ],
        ),
        schema_message("brands"),
        *records(
            "brands", [{"name": brand["name"], "page_title": "Retitled"}, {"name": "TG Brand"}]
        ),
    ]
    first = run_target(emulator, tmp_path, lines)
    assert first.returncode == 0, first.stderr[-2000:]
    for stream in ("categories", "brands"):
        assert (first.summary[stream]["created"], first.summary[stream]["updated"]) == (1, 1)
    cats = emulator.collection("categories")
    assert by_id(cats)[category["id"]]["description"] == "<p>New words</p>"
    assert [c for c in cats if c["name"] == "Target Test Category"]
    brands = emulator.collection("brands")
    assert by_id(brands)[brand["id"]]["page_title"] == "Retitled"
    assert [b for b in brands if b["name"] == "TG Brand"]

    seq = last_seq(emulator)
    second = run_target(emulator, tmp_path, lines)
    assert second.returncode == 0
    assert second.summary["categories"]["unchanged"] == second.summary["brands"]["unchanged"] == 2
    assert writes(emulator, seq) == []


def test_product_custom_fields(emulator: Emulator, tmp_path: Path) -> None:
    field = emulator.collection("product_custom_fields")[0]
    rows = [
        {"id": field["id"], "product_id": field["product_id"], "value": "Dry clean"},
        {"product_id": 2, "name": "Origin", "value": "Portugal"},
    ]
    counts = load_twice(emulator, tmp_path, "product_custom_fields", rows)
    assert (counts["created"], counts["updated"]) == (1, 1)
    after = emulator.collection("product_custom_fields")
    assert by_id(after)[field["id"]]["value"] == "Dry clean"
    assert [f for f in after if f["product_id"] == 2 and f["name"] == "Origin"]


def test_price_list_records(emulator: Emulator, tmp_path: Path) -> None:
    existing = emulator.collection("price_list_records")
    rec = existing[0]
    taken = {(r["price_list_id"], r["variant_id"], r["currency"]) for r in existing}
    variant = next(
        v["id"]
        for v in emulator.collection("product_variants")
        if (rec["price_list_id"], v["id"], "usd") not in taken
    )
    rows = [
        {"price_list_id": rec["price_list_id"], "variant_id": rec["variant_id"],
         "currency": rec["currency"], "price": 10.5},
        {"price_list_id": rec["price_list_id"], "variant_id": variant, "currency": "usd",
         "price": 42, "sale_price": 40},
    ]  # fmt: skip
    counts = load_twice(emulator, tmp_path, "price_list_records", rows)
    assert (counts["created"], counts["updated"]) == (1, 1)
    after = {
        (r["price_list_id"], r["variant_id"], r["currency"]): r
        for r in emulator.collection("price_list_records")
    }
    assert after[(rec["price_list_id"], rec["variant_id"], rec["currency"])]["price"] == 10.5
    assert after[(rec["price_list_id"], variant, "usd")]["sale_price"] == 40


def test_inventory_items_absolute_levels(emulator: Emulator, tmp_path: Path) -> None:
    items = emulator.collection("inventory_items")
    first = items[0]
    tracked = {(i["location_id"], i["variant_id"]) for i in items}
    untracked = next(
        v for v in emulator.collection("product_variants") if (2, v["id"]) not in tracked
    )
    rows = [
        # As the tap writes it: levels under ``locations``.
        {"variant_id": first["variant_id"], "sku": first["sku"],
         "locations": [{"location_id": first["location_id"], "total_inventory_onhand": 321}]},
        {"sku": untracked["sku"], "location_id": 2, "quantity": 7},
    ]  # fmt: skip
    nullable_int = {"type": ["integer", "null"]}
    extra = {"location_id": nullable_int, "quantity": nullable_int}
    counts = load_twice(emulator, tmp_path, "inventory_items", rows, **extra)
    assert (counts["created"], counts["updated"]) == (1, 1)
    after = {(i["location_id"], i["variant_id"]): i for i in emulator.collection("inventory_items")}
    assert after[(first["location_id"], first["variant_id"])]["total_inventory_onhand"] == 321
    assert after[(2, untracked["id"])]["total_inventory_onhand"] == 7
