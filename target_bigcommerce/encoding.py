"""Turning the SDK's parsed records into JSON payloads, and comparing them with the store.

The SDK reads JSON numbers as ``Decimal`` and date-time strings as ``datetime``; neither is
JSON-serialisable, and a ``Decimal`` never equals the float the API answers with, so both
directions go through this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil import parser as date_parser


def to_json_value(value: Any) -> Any:
    """A JSON-ready copy: integral decimals become ints, others floats; dates ISO 8601."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < Decimal(2**53):
            return int(value)
        return float(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """One compact JSON line."""
    return json.dumps(to_json_value(value), separators=(",", ":"), default=str)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and len(value) >= 10 and value[:4].isdigit():
        try:
            parsed = date_parser.isoparse(value)
        except (ValueError, OverflowError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def same(desired: Any, current: Any) -> bool:
    """Whether the store's ``current`` value already satisfies ``desired``.

    Numbers compare by value (``Decimal('21.99') == 21.99``), date-times by instant, lists
    of scalars as sets (category ids come back in any order), objects on the keys the
    record gives; empty strings, lists and objects count as equal to None or missing.
    """
    if desired is None or desired == "" or desired == [] or desired == {}:
        return current is None or current == "" or current == [] or current == {}
    d_num, c_num = _number(desired), _number(current)
    if d_num is not None and c_num is not None:
        return d_num == c_num
    if isinstance(desired, bool) or isinstance(current, bool):
        return desired is current or desired == current
    d_time = _moment(desired) if isinstance(desired, datetime) else None
    if d_time is not None:
        c_time = _moment(current)
        return c_time is not None and c_time == d_time
    if isinstance(desired, Mapping):
        if not isinstance(current, Mapping):
            return False
        return all(same(v, current.get(k)) for k, v in desired.items())
    if isinstance(desired, list | tuple):
        if not isinstance(current, list | tuple) or len(desired) != len(current):
            return False
        if all(not isinstance(v, Mapping | list) for v in desired):
            return _scalar_key_set(desired) == _scalar_key_set(current)
        return all(same(d, c) for d, c in zip(desired, current, strict=True))
    if isinstance(desired, str) and isinstance(current, str):
        if desired == current:
            return True
        d_time, c_time = _moment(desired), _moment(current)
        return d_time is not None and d_time == c_time
    return bool(desired == current)


def _scalar_key_set(values: Any) -> list[str]:
    out = []
    for v in values:
        n = _number(v)
        out.append(str(n.normalize()) if n is not None else repr(v))
    return sorted(out)


def changed_fields(desired: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """The fields of ``desired`` whose value the store does not already hold."""
    return [k for k, v in desired.items() if not same(v, current.get(k))]
