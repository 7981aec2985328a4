"""Seeded webhook subscriptions, as apps and integrations leave them on a store."""

from __future__ import annotations

import random
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.store_info import random_date
from bigcommerce_emulator.store import Record, Store

SCOPES = (
    "store/order/created",
    "store/order/updated",
    "store/product/updated",
    "store/customer/created",
    "store/inventory/updated",
    "store/cart/abandoned",
)


def new_hook(rng: random.Random, hid: int, store_hash: str, scope: str) -> Record:
    created = int(random_date(rng).timestamp())
    return {
        "id": hid,
        "client_id": f"{rng.getrandbits(120):030x}",
        "store_hash": store_hash,
        "scope": scope,
        "destination": f"https://hooks.example.com/bigcommerce/{scope.replace('/', '-')}",
        "headers": None,
        "is_active": rng.random() < 0.8,
        "created_at": created,
        "updated_at": created + rng.randint(0, 86_400 * 30),
    }


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    count = 3 if sizes.products < 100 else len(SCOPES)
    hooks = [new_hook(rng, i + 1, store.store_hash, SCOPES[i]) for i in range(count)]
    store.collection("webhooks", index_on=("scope",)).bulk_load(hooks)


def make_hook(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    col = store.collection("webhooks", index_on=("scope",))
    rec = new_hook(rng, col.next_id, store.store_hash, rng.choice(SCOPES))
    rec.update(fields)
    return col.insert(rec, stamp=False)


register_factory("webhooks", make_hook)
