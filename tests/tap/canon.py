"""Compare tap records with the emulator's stored records after normalisation."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any


def _as_datetime(value: str) -> datetime | None:
    if len(value) < 16:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def canon(value: Any) -> Any:
    """One comparable form: dates as UTC datetimes, numbers as rounded floats."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return round(float(value), 6)
    if isinstance(value, str):
        dt = _as_datetime(value)
        if dt is not None:
            return dt
        try:
            if value.strip() and any(c.isdigit() for c in value):
                return round(float(Decimal(value)), 6)
        except ArithmeticError:
            pass
        return value
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canon(v) for v in value]
    return value


def mismatches(tap: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    """Fields both sides have whose values differ after normalisation."""
    out = []
    for key, value in tap.items():
        if key == "store_hash" or key not in stored:
            continue
        if canon(value) != canon(stored[key]) and not (value is None and stored[key] == ""):
            out.append(f"{key}: tap {value!r} != emulator {stored[key]!r}")
    return out
