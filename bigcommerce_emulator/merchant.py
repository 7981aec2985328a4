"""Changes to a store's records as a merchant makes them in the control panel.

Used by the control API and by triggers, so tests can change data between syncs or in
the middle of one. Every change bumps ``date_modified`` unless the change sets it.
"""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.filters import parse_date
from bigcommerce_emulator.generator.factories import factory_for
from bigcommerce_emulator.store import Collection, Record, Store, now


class ChangeError(ValueError):
    """A control request that cannot be applied; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def collection_of(store: Store, name: str) -> Collection:
    col = store.collections.get(name)
    if col is None:
        raise ChangeError(f"store {store.store_hash} has no collection {name!r}", 404)
    return col


def _record(col: Collection, record_id: Any) -> Record:
    try:
        rid = int(record_id)
    except (TypeError, ValueError) as exc:
        raise ChangeError(f"record id must be an integer, not {record_id!r}") from exc
    rec = col.get(rid)
    if rec is None:
        raise ChangeError(f"{col.name} has no record with id {rid}", 404)
    return rec


def _coerce(field: str, current: Any, value: Any) -> Any:
    """Store the value in the field's internal type (aware datetime, Decimal)."""
    if value is None:
        return None
    if isinstance(current, datetime) and isinstance(value, str):
        try:
            return parse_date(value)
        except ApiError as exc:
            raise ChangeError(f"field {field!r}: not a date: {value!r}") from exc
    if isinstance(current, Decimal) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ChangeError(f"field {field!r}: not a number: {value!r}") from exc
    return value


def update_record(store: Store, name: str, record_id: Any, changes: dict[str, Any]) -> Record:
    col = collection_of(store, name)
    rec = _record(col, record_id)
    if "id" in changes:
        raise ChangeError("field 'id' cannot be changed")
    typed = {k: _coerce(k, rec.get(k), v) for k, v in changes.items()}
    # An explicit date_modified is kept (to set up history); otherwise the change bumps it.
    explicit = "date_modified" in typed
    return col.update(rec["id"], typed, touch=not explicit)


def delete_record(store: Store, name: str, record_id: Any) -> Record:
    col = collection_of(store, name)
    rec = _record(col, record_id)
    col.delete(rec["id"])
    return rec


def create_record(store: Store, name: str, fields: dict[str, Any], seed: int | None) -> Record:
    factory = factory_for(name)
    if factory is None:
        raise ChangeError(f"no factory registered for collection {name!r}; cannot create records")
    rng = random.Random(f"{store.seed}:create:{name}:{seed}")  # noqa: S311
    return factory(store, rng, dict(fields))


def touch_records(
    store: Store,
    name: str,
    *,
    ids: list[Any] | None = None,
    fraction: float | None = None,
    seed: int = 0,
) -> list[int]:
    """Bump ``date_modified`` of the given ids, or of a seeded random fraction of records."""
    col = collection_of(store, name)
    if ids is not None:
        chosen = [_record(col, i)["id"] for i in ids]
    elif fraction is not None:
        if not 0 < fraction <= 1:
            raise ChangeError("fraction must be in (0, 1]")
        all_ids = sorted(col.items)
        k = max(1, round(len(all_ids) * fraction)) if all_ids else 0
        chosen = sorted(random.Random(seed).sample(all_ids, k))  # noqa: S311
    else:
        raise ChangeError("give 'ids' or 'fraction'")
    stamp = now()
    for rid in chosen:
        # Records without a modification time (a few resources have none) are left as they are.
        if "date_modified" in col.items[rid]:
            col.update(rid, {"date_modified": stamp}, touch=False)
    return chosen
