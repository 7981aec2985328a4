"""Deterministic, seeded store data with realistic shapes and relations.

``populate`` runs each area's generator in dependency order (catalog before orders, and so
on). Every generator takes the store, a ``random.Random`` seeded from the store's seed and
the area name, and the requested sizes, and fills the store's collections.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from bigcommerce_emulator.store import Store

NAMED_SIZES: dict[str, tuple[int, int, int]] = {
    # products, customers, orders
    "tiny": (6, 8, 12),
    "small": (40, 60, 150),
    "medium": (1_000, 2_000, 5_000),
    "large": (10_000, 20_000, 50_000),
    "xlarge": (20_000, 40_000, 100_000),
}


@dataclass(frozen=True)
class Sizes:
    products: int
    customers: int
    orders: int
    variants_per_product: int = 3
    items_per_order: int = 3

    @classmethod
    def named(cls, name: str) -> Sizes:
        if name not in NAMED_SIZES:
            raise ValueError(f"unknown size {name!r}; expected one of {', '.join(NAMED_SIZES)}")
        p, c, o = NAMED_SIZES[name]
        return cls(p, c, o)


Generator = Callable[[Store, random.Random, Sizes], None]


def area_generators() -> list[tuple[str, Generator]]:
    # Imported here so each area module can import this package's Sizes freely.
    from bigcommerce_emulator.generator import (
        catalog,
        channels,
        content,
        customers,
        inventory,
        marketing,
        orders,
        pricing,
        store_info,
        webhooks,
    )

    return [
        ("store_info", store_info.generate),
        ("channels", channels.generate),
        ("catalog", catalog.generate),
        ("customers", customers.generate),
        ("orders", orders.generate),
        ("pricing", pricing.generate),
        ("inventory", inventory.generate),
        ("marketing", marketing.generate),
        ("content", content.generate),
        ("webhooks", webhooks.generate),
    ]


def populate(store: Store, sizes: Sizes, seed: int) -> None:
    store.sizes = sizes
    for area, generate in area_generators():
        # One stream of randomness per area, so that adding fields to one area
        # leaves every other area's data unchanged for the same seed.
        generate(store, random.Random(f"{seed}:{area}"), sizes)  # noqa: S311


_generators = area_generators  # the earlier private name
