"""Seeded price lists, their records for real catalog variants, and their assignments."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.store_info import random_date
from bigcommerce_emulator.store import Record, Store

LIST_NAMES = ("Wholesale", "VIP Customers", "Outlet", "Staff", "Spring Sale", "Distributors")
CENT = Decimal("0.01")


def record_key(price_list_id: int, variant_id: int, currency: str) -> str:
    """The identity of a price record: one per list, variant and currency."""
    return f"{price_list_id}:{variant_id}:{currency.upper()}"


def collections(store: Store) -> None:
    store.collection("price_lists", index_on=("name",))
    store.collection("price_list_records", index_on=("price_list_id", "_key", "variant_id"))
    store.collection("price_list_assignments", index_on=("price_list_id",))


def variant_base_price(variant: Record) -> Decimal:
    for field in ("price", "calculated_price"):
        value = variant.get(field)
        if value is not None:
            return Decimal(str(value))
    return Decimal("20.00")


def new_record(
    rng: random.Random, rid: int, price_list: Record, variant: Record, currency: str, rate: Decimal
) -> Record:
    base = (variant_base_price(variant) * rate).quantize(CENT)
    price = (base * Decimal(rng.choice(("0.80", "0.85", "0.90", "0.95")))).quantize(CENT)
    on_sale = rng.random() < 0.2
    sale = (price * Decimal("0.9")).quantize(CENT) if on_sale else None
    created = random_date(rng, price_list["date_created"])
    tiers: list[dict[str, Any]] = []
    if rng.random() < 0.15:
        tiers = [
            {"quantity_min": 10, "quantity_max": 49, "type": "percent", "amount": Decimal("5")},
            {"quantity_min": 50, "quantity_max": None, "type": "percent", "amount": Decimal("10")},
        ]
    return {
        "id": rid,
        "_key": record_key(price_list["id"], variant["id"], currency),
        "price_list_id": price_list["id"],
        "variant_id": variant["id"],
        "product_id": variant.get("product_id"),
        "sku": variant.get("sku") or "",
        "currency": currency.lower(),
        "price": price,
        "sale_price": sale,
        "retail_price": base if rng.random() < 0.3 else None,
        "map_price": None,
        "calculated_price": sale if sale is not None else price,
        "bulk_pricing_tiers": tiers,
        "date_created": created,
        "date_modified": random_date(rng, created),
    }


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    variants = list(store.collection("product_variants"))
    currencies = [c for c in store.collection("currencies") if c.get("enabled", True)]
    rates = {
        c["currency_code"]: Decimal(str(c.get("currency_exchange_rate") or "1")) for c in currencies
    } or {"USD": Decimal(1)}
    n_lists = 2 if sizes.products < 100 else 4
    lists: list[Record] = []
    for i in range(n_lists):
        created = random_date(rng)
        lists.append(
            {
                "id": i + 1,
                "name": LIST_NAMES[i],
                "active": i != n_lists - 1,
                "date_created": created,
                "date_modified": random_date(rng, created),
            }
        )
    records: list[Record] = []
    codes = list(rates)
    for pl in lists:
        # Each list prices part of the catalogue, in the default currency and sometimes more.
        share = rng.uniform(0.3, 0.7) if len(variants) < 5_000 else rng.uniform(0.1, 0.3)
        list_codes = codes[:1] + [c for c in codes[1:] if rng.random() < 0.5][:1]
        for variant in variants:
            if rng.random() >= share:
                continue
            for code in list_codes:
                records.append(new_record(rng, len(records) + 1, pl, variant, code, rates[code]))
    groups = [g["id"] for g in store.collection("customer_groups")]
    channels = [c["id"] for c in store.collection("channels") if c.get("type") == "storefront"]
    channels = channels or [1]
    assignments: list[Record] = []
    used: set[tuple[int | None, int]] = set()
    for pl in lists:
        group = rng.choice(groups) if groups else None
        channel = rng.choice(channels)
        if (group, channel) in used:
            continue
        used.add((group, channel))
        assignment: Record = {"id": len(assignments) + 1, "price_list_id": pl["id"]}
        if group is not None:
            assignment["customer_group_id"] = group
        assignment["channel_id"] = channel
        assignments.append(assignment)
    store.collection("price_lists").bulk_load(lists)
    store.collection("price_list_records").bulk_load(records)
    store.collection("price_list_assignments").bulk_load(assignments)


def make_price_list(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    collections(store)
    col = store.collection("price_lists")
    rec: Record = {"name": f"Price List {col.next_id}", "active": True}
    rec.update(fields)
    return col.insert(rec)


def make_price_list_record(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    collections(store)
    lists = list(store.collection("price_lists")) or [make_price_list(store, rng, {})]
    price_list = (
        store.collection("price_lists").get(int(fields.get("price_list_id", 0))) or lists[0]
    )
    variants = store.collection("product_variants")
    variant = variants.get(int(fields.get("variant_id", 0))) if "variant_id" in fields else None
    if variant is None:
        candidates = list(variants)
        if not candidates:
            raise ValueError("price_list_records need a catalog variant; the store has none")
        variant = rng.choice(candidates)
    currency = str(fields.get("currency", "usd"))
    col = store.collection("price_list_records")
    rec = new_record(rng, col.next_id, price_list, variant, currency, Decimal(1))
    rec.update({k: v for k, v in fields.items() if k not in ("price_list_id", "variant_id")})
    rec["_key"] = record_key(price_list["id"], variant["id"], rec["currency"])
    return col.insert(rec)


register_factory("price_lists", make_price_list)
register_factory("price_list_records", make_price_list_record)
