"""Seeded inventory locations and stock per (location, variant).

The default location's stock is the catalog variant's ``inventory_level``; other locations
hold their own levels.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.store_info import random_date
from bigcommerce_emulator.store import Record, Store

DEFAULT_LOCATION_ID = 1
# code, label, type, city, state, zip, lat, lon
LOCATIONS: tuple[tuple[str, str, str, str, str, str, float, float], ...] = (
    ("BC-LOCATION-1", "Default location", "PHYSICAL", "Austin", "TX", "78701", 30.27, -97.74),
    ("WH-EAST", "East warehouse", "PHYSICAL", "Newark", "NJ", "07102", 40.73, -74.17),
    ("WH-WEST", "West warehouse", "PHYSICAL", "Reno", "NV", "89501", 39.53, -119.81),
    ("DROPSHIP", "Drop-ship partner", "VIRTUAL", "Chicago", "IL", "60601", 41.88, -87.63),
)


def item_key(location_id: int, variant_id: int) -> str:
    return f"{location_id}:{variant_id}"


def collections(store: Store) -> None:
    store.collection("locations", index_on=("code",))
    store.collection("inventory_items", index_on=("_key", "variant_id"))


def new_location(lid: int, spec: tuple[Any, ...], created: datetime) -> Record:
    code, label, type_id, city, state, zip_code, lat, lon = spec
    hours = {"open": True, "opening": "09:00", "closing": "17:00"}
    closed = {"open": False, "opening": "00:00", "closing": "00:00"}
    days = ("monday", "tuesday", "wednesday", "thursday", "friday")
    return {
        "id": lid,
        "code": code,
        "label": label,
        "managed_by_external_source": False,
        "type_id": type_id,
        "enabled": True,
        "operating_hours": {
            d: dict(hours if d in days else closed)
            for d in ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
        },
        "time_zone": "America/Chicago",
        "created_at": created,
        "updated_at": created,
        "address": {
            "address1": f"{100 + lid} Commerce Way",
            "address2": "",
            "city": city,
            "state": state,
            "zip": zip_code,
            "email": f"{code.lower()}@example.com",
            "phone": "555-0100",
            "geo_coordinates": {"latitude": lat, "longitude": lon},
            "country_code": "US",
        },
        "storefront_visibility": type_id == "PHYSICAL",
        "special_hours": [],
    }


def new_item(iid: int, location_id: int, variant: Record, onhand: int, safety: int) -> Record:
    return {
        "id": iid,
        "_key": item_key(location_id, variant["id"]),
        "location_id": location_id,
        "variant_id": variant["id"],
        "product_id": variant.get("product_id"),
        "sku": variant.get("sku") or "",
        "total_inventory_onhand": onhand,
        "safety_stock": safety,
        "is_in_stock": onhand > safety,
        "warning_level": 5,
        "bin_picking_number": "",
    }


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    count = 2 if sizes.products < 100 else len(LOCATIONS)
    locations = [new_location(i + 1, LOCATIONS[i], random_date(rng)) for i in range(count)]
    items: list[Record] = []
    for variant in store.collection("product_variants"):
        level = variant.get("inventory_level")
        onhand = int(level) if isinstance(level, int) else rng.randint(0, 120)
        items.append(new_item(len(items) + 1, DEFAULT_LOCATION_ID, variant, onhand, 0))
        for loc in locations[1:]:
            if rng.random() < 0.35:
                items.append(new_item(len(items) + 1, loc["id"], variant, rng.randint(0, 300), 2))
    store.collection("locations").bulk_load(locations)
    store.collection("inventory_items").bulk_load(items)


def make_location(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    collections(store)
    col = store.collection("locations")
    lid = col.next_id
    spec = (f"LOC-{lid}", f"Location {lid}", "PHYSICAL", "Denver", "CO", "80202", 39.74, -104.99)
    rec = new_location(lid, spec, random_date(rng))
    rec.update(fields)
    return col.insert(rec, stamp=False)


register_factory("locations", make_location)
