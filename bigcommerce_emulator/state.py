"""Everything one emulator process holds: its stores, faults, OAuth apps and settings."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bigcommerce_emulator.faults import Fault
from bigcommerce_emulator.generator import Sizes, populate
from bigcommerce_emulator.quota import Quota
from bigcommerce_emulator.scopes import all_scopes
from bigcommerce_emulator.stats import StoreStats
from bigcommerce_emulator.store import Store, Token
from bigcommerce_emulator.triggers import Trigger
from bigcommerce_emulator.triggers import before_request as fire_triggers

# Called before each store request is served: (state, store, method, path).
BeforeRequestHook = Callable[["EmulatorState", Store, str, str], None]


@dataclass
class Latency:
    ms: int = 0
    jitter_ms: int = 0

    def sample(self, rng: random.Random) -> float:
        if self.ms <= 0:
            return 0.0
        return max(0.0, self.ms + rng.uniform(-self.jitter_ms, self.jitter_ms)) / 1000.0


@dataclass
class EmulatorState:
    latency: Latency = field(default_factory=Latency)
    stores: dict[str, Store] = field(default_factory=dict)
    stats: dict[str, StoreStats] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    before_request: list[BeforeRequestHook] = field(default_factory=list)
    # OAuth: registered apps and their settings live with the OAuth routes.
    oauth: dict[str, Any] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(0))  # noqa: S311

    def __post_init__(self) -> None:
        self.before_request.append(fire_triggers)

    def create_store(
        self,
        store_hash: str,
        *,
        seed: int = 1,
        sizes: Sizes | None = None,
        quota: int = 150,
        window_ms: int = 30_000,
        tokens: dict[str, frozenset[str]] | None = None,
    ) -> Store:
        store = Store(store_hash=store_hash, seed=seed, quota=Quota(quota, window_ms))
        for value, scopes in (tokens or {}).items():
            store.tokens[value] = Token(value, scopes)
        populate(store, sizes or Sizes.named("small"), seed)
        self.stores[store_hash] = store
        self.stats[store_hash] = StoreStats()
        return store

    def reset_store(
        self, store_hash: str, *, seed: int | None = None, sizes: Sizes | None = None
    ) -> Store:
        """Reseed a store's data, keeping its tokens and quota settings."""
        old = self.stores[store_hash]
        new_seed = seed if seed is not None else old.seed
        store = Store(store_hash=store_hash, seed=new_seed, quota=old.quota)
        store.tokens = old.tokens
        store.quota.configure()
        populate(store, sizes or old.sizes or Sizes.named("small"), store.seed)
        self.stores[store_hash] = store
        # Counts restart; sequence numbers keep growing so a reader's ``since`` stays valid.
        self.stats[store_hash].clear()
        return store

    def add_token(self, store_hash: str, value: str, scopes: frozenset[str] | None = None) -> Token:
        token = Token(value, scopes if scopes is not None else all_scopes())
        self.stores[store_hash].tokens[value] = token
        return token
