"""Record normalisation driven by the stream's schema, compiled once per stream.

The API writes v2 dates as RFC 2822 and v2 money as decimal strings; the tap emits every
date-time as ISO 8601 in UTC, every number as a number (``Decimal`` for strings, so no
precision is lost; the msgspec writer prints it as a JSON number) and every integer as an
integer. Only fields the schema says need a look are visited, so a v3 record already in
shape costs a few dictionary lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

Converter = Callable[[Any], Any]
Plan = list[tuple[str, Converter]]

_UTC_SUFFIX = "+00:00"


class NormalizationError(ValueError):
    """A value the schema says is a date, number or integer could not be read as one."""


def utc_iso(value: datetime) -> str:
    """ISO 8601 in UTC, with seconds and an explicit +00:00 offset."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def parse_api_datetime(value: str) -> datetime:
    """ISO 8601 (v3) or RFC 2822 (v2) to an aware UTC datetime."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError) as exc:
            raise NormalizationError(f"not a date-time: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # Fast path: v3 already writes ISO 8601 in UTC.
    if len(value) == 25 and value.endswith(_UTC_SUFFIX) and value[10] == "T":
        return value
    if value == "" or value.startswith("0000-00-00"):
        return None  # v2 writes an empty string (or a zero date) for "never"
    return utc_iso(parse_api_datetime(value))


def to_number(value: Any) -> Any:
    if isinstance(value, str):
        if value == "":
            return None
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise NormalizationError(f"not a number: {value!r}") from exc
    return value


def to_integer(value: Any) -> Any:
    if isinstance(value, str):
        if value == "":
            return None
        try:
            return int(value)
        except ValueError as exc:
            raise NormalizationError(f"not an integer: {value!r}") from exc
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_text(value: Any) -> Any:
    """A number where the schema says string (fields the spec types "string or number")."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _types(schema: Mapping[str, Any]) -> set[str]:
    t = schema.get("type", [])
    types = {t} if isinstance(t, str) else set(t)
    for option in schema.get("anyOf", []) or []:
        types |= _types(option)
    return types


def _converter(schema: Mapping[str, Any], scalars: bool) -> Converter | None:
    types = _types(schema)
    if "string" in types and schema.get("format") == "date-time":
        return to_datetime
    if scalars and "integer" in types and "string" not in types:
        return to_integer
    if scalars and "number" in types and "string" not in types:
        return to_number
    if scalars and types - {"null"} == {"string"} and "enum" not in schema:
        return to_text
    if "object" in types and isinstance(schema.get("properties"), Mapping):
        plan = compile_plan(schema, scalars=scalars)
        if plan:
            return lambda v: apply_plan(plan, v) if isinstance(v, dict) else v
    if "array" in types and isinstance(schema.get("items"), Mapping):
        item = _converter(schema["items"], scalars)
        if item is not None:
            convert = item
            return lambda v: [convert(x) for x in v] if isinstance(v, list) else v
    return None


def compile_plan(schema: Mapping[str, Any], *, scalars: bool = True) -> Plan:
    """The (field, converter) pairs of an object schema that may need converting.

    ``scalars=False`` skips numbers and integers: v3 writes them as JSON numbers already,
    so only its dates are looked at.
    """
    plan: Plan = []
    for name, prop in (schema.get("properties") or {}).items():
        if isinstance(prop, Mapping):
            conv = _converter(prop, scalars)
            if conv is not None:
                plan.append((name, conv))
    return plan


def apply_plan(plan: Plan, record: dict[str, Any]) -> dict[str, Any]:
    """Convert ``record`` in place and return it."""
    for name, conv in plan:
        value = record.get(name)
        if value is not None:
            record[name] = conv(value)
    return record
