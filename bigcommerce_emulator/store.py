"""One emulated store: its data collections, API tokens and request quota."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bigcommerce_emulator.quota import Quota
from bigcommerce_emulator.render_cache import RenderCache

Record = dict[str, Any]


def now() -> datetime:
    """The store clock. BigCommerce timestamps have whole-second resolution."""
    return datetime.now(UTC).replace(microsecond=0)


class Collection:
    """Records of one resource kept in id order, with optional secondary indexes.

    Records are stored in the emulator's internal form: the API's field names, with
    ``datetime`` for dates and ``Decimal`` for money, rendered per API version on output.
    """

    def __init__(
        self,
        name: str,
        *,
        index_on: Iterable[str] = (),
        on_write: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        # Called on every change, so that the store's cached renders are dropped.
        self._on_write = on_write or (lambda: None)
        # Sorted ids, rebuilt lazily after an out-of-order insert (None: stale).
        self._ids: list[int] | None = []
        self.items: dict[int, Record] = {}
        self.next_id = 1
        self._index_fields = tuple(index_on)
        self._indexes: dict[str, dict[Any, set[int]]] = {f: {} for f in self._index_fields}
        # Sorted (date_modified, id) keys, kept for fast keyset/time-window queries.
        self._by_modified: list[tuple[datetime, int]] = []

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.items.values())

    def get(self, record_id: int) -> Record | None:
        return self.items.get(record_id)

    def _sorted_ids(self) -> list[int]:
        if self._ids is None:
            self._ids = sorted(self.items)
        return self._ids

    def in_id_order(self) -> list[Record]:
        return [self.items[i] for i in self._sorted_ids()]

    def id_span(self, lo: int | None = None, hi: int | None = None) -> tuple[int, int]:
        """The slice of the id order with lo <= id <= hi."""
        ids = self._sorted_ids()
        start = 0 if lo is None else bisect.bisect_left(ids, lo)
        end = len(ids) if hi is None else bisect.bisect_right(ids, hi)
        return start, max(start, end)

    def ids_between(self, lo: int | None = None, hi: int | None = None) -> list[Record]:
        """Records with lo <= id <= hi, in id order."""
        start, end = self.id_span(lo, hi)
        return [self.items[i] for i in self._sorted_ids()[start:end]]

    def modified_span(
        self, lo: datetime | None = None, hi: datetime | None = None
    ) -> tuple[int, int]:
        """The slice of the (date_modified, id) order with lo <= date_modified <= hi."""
        keys = self._by_modified
        start = 0 if lo is None else bisect.bisect_left(keys, (lo, -1))
        end = len(keys) if hi is None else bisect.bisect_right(keys, (hi, 1 << 62))
        return start, max(start, end)

    def _index_add(self, rec: Record) -> None:
        for f in self._index_fields:
            self._indexes[f].setdefault(rec.get(f), set()).add(rec["id"])
        dm = rec.get("date_modified")
        if isinstance(dm, datetime):
            bisect.insort(self._by_modified, (dm, rec["id"]))

    def _index_remove(self, rec: Record) -> None:
        for f in self._index_fields:
            ids = self._indexes[f].get(rec.get(f))
            if ids is not None:
                ids.discard(rec["id"])
        dm = rec.get("date_modified")
        if isinstance(dm, datetime):
            i = bisect.bisect_left(self._by_modified, (dm, rec["id"]))
            if i < len(self._by_modified) and self._by_modified[i] == (dm, rec["id"]):
                del self._by_modified[i]

    def insert(self, rec: Record, *, stamp: bool = True) -> Record:
        """Add a record, assigning the next id unless it carries one."""
        self._on_write()
        if "id" not in rec or rec["id"] is None:
            rec["id"] = self.next_id
        self.next_id = max(self.next_id, int(rec["id"]) + 1)
        if stamp:
            t = now()
            rec.setdefault("date_created", t)
            rec["date_modified"] = t
        if self._ids is not None:
            if rec["id"] in self.items or (self._ids and rec["id"] <= self._ids[-1]):
                self._ids = None
            else:
                self._ids.append(rec["id"])
        self.items[rec["id"]] = rec
        self._index_add(rec)
        return rec

    def bulk_load(self, records: Iterable[Record]) -> None:
        """Generator fast path: records already carry ids and dates."""
        self._on_write()
        self._ids = None
        for rec in records:
            self.items[rec["id"]] = rec
            self.next_id = max(self.next_id, int(rec["id"]) + 1)
            for f in self._index_fields:
                self._indexes[f].setdefault(rec.get(f), set()).add(rec["id"])
        self._by_modified = sorted(
            (r["date_modified"], r["id"])
            for r in self.items.values()
            if isinstance(r.get("date_modified"), datetime)
        )

    def update(self, record_id: int, changes: Record, *, touch: bool = True) -> Record:
        """Apply changes; every change bumps ``date_modified`` as the real API does."""
        self._on_write()
        rec = self.items[record_id]
        self._index_remove(rec)
        rec.update(changes)
        if touch and "date_modified" in rec:
            rec["date_modified"] = now()
        self._index_add(rec)
        return rec

    def touch(self, record_id: int) -> None:
        self.update(record_id, {})

    def delete(self, record_id: int) -> Record | None:
        self._on_write()
        rec = self.items.pop(record_id, None)
        if rec is not None:
            self._index_remove(rec)
            if self._ids is not None:
                i = bisect.bisect_left(self._ids, record_id)
                if i < len(self._ids) and self._ids[i] == record_id:
                    del self._ids[i]
                else:
                    self._ids = None
        return rec

    def delete_where(self, field_name: str, value: Any) -> None:
        """Delete the records whose ``field_name`` equals ``value``."""
        for rec in self.where(field_name, value):
            self.delete(rec["id"])

    def where(self, field_name: str, value: Any) -> list[Record]:
        """Records whose ``field_name`` equals ``value``, in id order (indexed fields are fast)."""
        index = self._indexes.get(field_name)
        if index is None:
            return [r for r in self.items.values() if r.get(field_name) == value]
        ids = index.get(value, set())
        return [self.items[i] for i in sorted(ids)]

    def iter_modified(
        self, lo: datetime | None = None, hi: datetime | None = None, *, reverse: bool = False
    ) -> Iterator[Record]:
        """``modified_between`` read lazily, for callers that stop after one page."""
        start, end = self.modified_span(lo, hi)
        keys = self._by_modified[start:end]
        items = self.items
        return (items[i] for _, i in (reversed(keys) if reverse else keys))

    def iter_ids(
        self, lo: int | None = None, hi: int | None = None, *, reverse: bool = False
    ) -> Iterator[Record]:
        """``ids_between`` read lazily."""
        start, end = self.id_span(lo, hi)
        ids = self._sorted_ids()[start:end]
        items = self.items
        return (items[i] for i in (reversed(ids) if reverse else ids))

    def modified_between(
        self, lo: datetime | None = None, hi: datetime | None = None
    ) -> list[Record]:
        """Records with lo <= date_modified <= hi, in (date_modified, id) order."""
        start, end = self.modified_span(lo, hi)
        return [self.items[i] for _, i in self._by_modified[start:end]]


@dataclass
class Token:
    value: str
    scopes: frozenset[str]
    # OAuth-issued tokens may expire (opt-in mode); None never expires.
    expires_at: float | None = None
    revoked: bool = False


@dataclass
class Store:
    store_hash: str
    seed: int
    quota: Quota
    tokens: dict[str, Token] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)
    # Counters for endpoints with documented concurrency caps, keyed by cap group.
    in_flight: dict[str, int] = field(default_factory=dict)
    # The Sizes it was generated with, kept for reseeding.
    sizes: Any = None
    # Encoded records per output shape; every write to any collection empties it.
    renders: RenderCache = field(default_factory=RenderCache)

    def revoke_token(self, value: str) -> bool:
        """Revoke one of this store's access tokens; False if it has no such token."""
        token = self.tokens.get(value)
        if token is None:
            return False
        token.revoked = True
        return True

    def collection(self, name: str, *, index_on: Iterable[str] = ()) -> Collection:
        """Get or create a collection by resource name (the tap's stream name)."""
        col = self.collections.get(name)
        if col is None:
            col = self.collections[name] = Collection(
                name, index_on=index_on, on_write=self.renders.invalidate
            )
        return col
