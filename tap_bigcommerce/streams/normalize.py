"""Record normalisation driven by the stream's schema, compiled once per stream.

The API writes v2 dates as RFC 2822 and v2 money as decimal strings; the tap emits every
date-time as ISO 8601 in UTC, every number as a number (a float where it holds the
string's value exactly, ``Decimal`` otherwise, so no precision is lost; the msgspec writer
prints both as JSON numbers) and every integer as an integer. Only fields the schema says
need a look are visited, so a v3 record already in shape costs a few dictionary lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

Converter = Callable[[Any], Any]

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


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}


def _v2_utc(value: str) -> str | None:
    """ISO 8601 for the one form v2 writes ("Tue, 20 Nov 2012 00:00:00 +0000"), or None
    for anything else. The general RFC 2822 parser costs ten times as much, and every v2
    record has two or more dates."""
    parts = value.split(" ")
    if len(parts) != 6 or parts[5] != "+0000":
        return None
    month = _MONTHS.get(parts[2])
    clock = parts[4].split(":")
    if month is None or len(clock) != 3:
        return None
    try:
        # The constructor checks every range (no 31 November), as the parser would.
        hour, minute, second = (int(x) for x in clock)
        stamp = datetime(int(parts[3]), month, int(parts[1]), hour, minute, second)
    except ValueError:
        return None
    return stamp.isoformat() + _UTC_SUFFIX


def to_datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # Fast path: v3 already writes ISO 8601 in UTC.
    if len(value) == 25 and value.endswith(_UTC_SUFFIX) and value[10] == "T":
        return value
    if value == "" or value.startswith("0000-00-00"):
        return None  # v2 writes an empty string (or a zero date) for "never"
    return _v2_utc(value) or utc_iso(parse_api_datetime(value))


# A decimal string of at most 15 characters has at most 15 significant digits, which a
# float holds exactly (DBL_DIG): printed back, it is the same number. Longer ones stay
# Decimal. A float costs a tenth of a Decimal to write (msgspec writes a Decimal through
# its text), and v2 orders carry about 30 money fields each.
_FLOAT_EXACT_CHARS = 15
_DIGITS = frozenset("0123456789")


def to_number(value: Any) -> Any:
    if isinstance(value, str):
        if value == "":
            return None
        if len(value) <= _FLOAT_EXACT_CHARS and value[-1] in _DIGITS:
            try:
                return float(value)
            except ValueError as exc:
                raise NormalizationError(f"not a number: {value!r}") from exc
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise NormalizationError(f"not a number: {value!r}") from exc
        if not number.is_finite():
            raise NormalizationError(f"not a number: {value!r}")
        return number
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


@dataclass(frozen=True)
class Plan:
    """The fields of an object schema that may need converting, grouped by kind.

    Grouping lets ``apply_plan`` convert scalars inline, without a function call per
    field: a v2 order has about 60 such fields, and a call each was most of the tap's
    CPU on orders.
    """

    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    # Fields the spec types "string or number": a number becomes text.
    texts: tuple[str, ...] = ()
    nested: tuple[tuple[str, Converter], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dates or self.numbers or self.integers or self.texts or self.nested)


def _kind(schema: Mapping[str, Any], scalars: bool) -> str | Converter | None:
    types = _types(schema)
    if "string" in types and schema.get("format") == "date-time":
        return "dates"
    if scalars and "integer" in types and "string" not in types:
        return "integers"
    if scalars and "number" in types and "string" not in types:
        return "numbers"
    if scalars and types - {"null"} == {"string"} and "enum" not in schema:
        return "texts"
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


_SCALAR_CONVERTERS: dict[str, Converter] = {
    "dates": to_datetime,
    "numbers": to_number,
    "integers": to_integer,
    "texts": to_text,
}


def _converter(schema: Mapping[str, Any], scalars: bool) -> Converter | None:
    """One value's converter (array items)."""
    kind = _kind(schema, scalars)
    if isinstance(kind, str):
        return _SCALAR_CONVERTERS[kind]
    return kind


def compile_plan(schema: Mapping[str, Any], *, scalars: bool = True) -> Plan:
    """The fields of an object schema that may need converting.

    ``scalars=False`` skips numbers and integers: v3 writes them as JSON numbers already,
    so only its dates are looked at.
    """
    groups: dict[str, list[str]] = {kind: [] for kind in _SCALAR_CONVERTERS}
    nested: list[tuple[str, Converter]] = []
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping):
            continue
        kind = _kind(prop, scalars)
        if isinstance(kind, str):
            groups[kind].append(name)
        elif kind is not None:
            nested.append((name, kind))
    return Plan(
        dates=tuple(groups["dates"]),
        numbers=tuple(groups["numbers"]),
        integers=tuple(groups["integers"]),
        texts=tuple(groups["texts"]),
        nested=tuple(nested),
    )


def apply_plan(plan: Plan, record: dict[str, Any]) -> dict[str, Any]:
    """Convert ``record`` in place and return it.

    Same results as calling ``to_number`` / ``to_integer`` / ``to_text`` on each field,
    written out inline because this runs for every field of every record.
    """
    get = record.get
    name = ""
    value: Any = None
    try:
        for name in plan.numbers:
            value = get(name)
            if value.__class__ is str:
                if 0 < len(value) <= _FLOAT_EXACT_CHARS and value[-1] in _DIGITS:
                    record[name] = float(value)
                else:
                    record[name] = to_number(value)
        for name in plan.integers:
            value = get(name)
            if value.__class__ is str:
                record[name] = int(value) if value else None
            elif value.__class__ is float and value.is_integer():
                record[name] = int(value)
    except NormalizationError as exc:
        raise NormalizationError(f"{name}: {exc}") from exc
    except ValueError as exc:
        kind = "a number" if name in plan.numbers else "an integer"
        raise NormalizationError(f"{name}: not {kind}: {value!r}") from exc
    for name in plan.texts:
        value = get(name)
        if value.__class__ in _NUMBER_CLASSES:
            record[name] = str(value)
    for name in plan.dates:
        value = get(name)
        if value is not None:
            record[name] = to_datetime(value)
    for name, convert in plan.nested:
        value = get(name)
        if value is not None:
            record[name] = convert(value)
    return record


# bool is a subclass of int but not one of these classes: True stays True.
_NUMBER_CLASSES = frozenset({int, float, Decimal})
