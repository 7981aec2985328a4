"""Rendered records kept between requests, dropped whole by any write to the store.

Rendering a page of 250 orders or products (dates, money, children) costs tens of
milliseconds of the single-threaded emulator, so a benchmark would time the emulator
instead of the client. Entries are the encoded JSON of one record in one output shape;
``msgspec.Raw`` embeds them in a page unchanged, and bytes cannot be mutated by a handler.
Any write anywhere in the store bumps ``generation`` and empties the cache, which stays
correct when a child changes without touching its parent.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import msgspec

Record = dict[str, Any]

# Enough for every order of the large store twice over; least recently used goes first.
DEFAULT_BUDGET_BYTES = 512 * 1024 * 1024


class RenderCache:
    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self.generation = 0
        self._filled_at = 0
        self._entries: OrderedDict[Hashable, msgspec.Raw] = OrderedDict()
        self._bytes = 0

    def invalidate(self) -> None:
        self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)

    def renderer(
        self, shape: Hashable, render: Callable[[Record], Any]
    ) -> Callable[[Record], msgspec.Raw]:
        """``render`` memoised per record id; ``shape`` names everything else it depends on."""

        def cached(rec: Record) -> msgspec.Raw:
            if self._filled_at != self.generation:
                self._entries.clear()
                self._bytes = 0
                self._filled_at = self.generation
            key = (shape, rec["id"])
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
            encoded = msgspec.json.encode(render(rec))
            # A render may read the store lazily; only keep it if nothing wrote meanwhile.
            raw = msgspec.Raw(encoded)
            if self._filled_at == self.generation:
                self._entries[key] = raw
                self._bytes += len(encoded)
                while self._bytes > self.budget_bytes and self._entries:
                    _, old = self._entries.popitem(last=False)
                    self._bytes -= len(old)
            return raw

        return cached
