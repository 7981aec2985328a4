"""Seeded data for the channels area (to be filled in)."""

from __future__ import annotations

import random

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.store import Store


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    return None
