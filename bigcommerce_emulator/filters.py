"""The documented list-filter grammar: ``field``, ``field:in``, ``:not_in``, ``:min``,
``:max``, ``:greater``, ``:less``, ``:like``, applied to internal records.

Each list route declares the filters it documents; any other query key is ignored, as
the real API ignores unknown parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, time
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.store import Record, now

Parser = Callable[[str], Any]

OPS = ("in", "not_in", "min", "max", "greater", "less", "like")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_int(v: str) -> int:
    try:
        return int(v)
    except ValueError as exc:
        raise ApiError(422, f"Invalid integer value: {v}") from exc


def parse_decimal(v: str) -> Decimal:
    try:
        return Decimal(v)
    except InvalidOperation as exc:
        raise ApiError(422, f"Invalid number value: {v}") from exc


def parse_str(v: str) -> str:
    return v


def parse_bool(v: str) -> bool:
    if v.lower() in ("1", "true"):
        return True
    if v.lower() in ("0", "false"):
        return False
    raise ApiError(422, f"Invalid boolean value: {v}")


def parse_date(v: str) -> datetime:
    """ISO 8601, RFC 2822 or a Unix timestamp, as v2 and v3 accept.

    Documented oddity: a date-only value (``2024-01-31``) gets the current time of day
    added, rather than midnight.
    """
    v = v.strip()
    if DATE_ONLY.match(v):
        d = datetime.strptime(v, "%Y-%m-%d").replace(tzinfo=UTC)
        t = now()
        return datetime.combine(d.date(), time(t.hour, t.minute, t.second), tzinfo=UTC)
    if v.isdigit():
        return datetime.fromtimestamp(int(v), tz=UTC)
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(v)
        except (TypeError, ValueError) as exc:
            raise ApiError(422, f"Invalid date value: {v}") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _split(v: str) -> list[str]:
    return [p for p in v.split(",") if p != ""]


def _like(value: Any, pattern: str) -> bool:
    # A substring match; SQL-style `%` wildcards around the term are accepted too.
    return isinstance(value, str) and pattern.strip("%").lower() in value.lower()


def build_predicates(
    query: Mapping[str, str],
    fields: Mapping[str, Parser],
    *,
    getters: Mapping[str, Callable[[Record], Any]] | None = None,
) -> list[Callable[[Record], bool]]:
    """Turn the query string into predicates over records.

    ``fields`` maps a filter name to its value parser; a name may be filtered with any of
    the documented operators. ``getters`` overrides how a field is read from a record.
    """
    preds: list[Callable[[Record], bool]] = []
    getters = getters or {}
    for key, raw in query.items():
        name, _, op = key.partition(":")
        if name not in fields or (op and op not in OPS):
            continue
        parse = fields[name]
        get = getters.get(name) or _field_getter(name)
        preds.append(_predicate(get, op, raw, parse))
    return preds


def v2_bounds(
    query: Mapping[str, str], fields: Mapping[str, Parser]
) -> list[Callable[[Record], bool]]:
    """The v2 API's inclusive ``min_<field>`` and ``max_<field>`` filters."""
    preds: list[Callable[[Record], bool]] = []
    for name, parse in fields.items():
        if f"min_{name}" in query:
            preds.append(_at_least(name, parse(query[f"min_{name}"])))
        if f"max_{name}" in query:
            preds.append(_at_most(name, parse(query[f"max_{name}"])))
    return preds


def _at_least(name: str, bound: Any) -> Callable[[Record], bool]:
    return lambda r: bool(r[name] >= bound)


def _at_most(name: str, bound: Any) -> Callable[[Record], bool]:
    return lambda r: bool(r[name] <= bound)


def _field_getter(name: str) -> Callable[[Record], Any]:
    def get(r: Record) -> Any:
        return r.get(name)

    return get


def _predicate(
    get: Callable[[Record], Any], op: str, raw: str, parse: Parser
) -> Callable[[Record], bool]:
    if op == "":
        want = parse(raw)
        return lambda r: get(r) == want
    if op == "in":
        wants = {parse(p) for p in _split(raw)}
        return lambda r: get(r) in wants
    if op == "not_in":
        nots = {parse(p) for p in _split(raw)}
        return lambda r: get(r) not in nots
    if op == "like":
        return lambda r: _like(get(r), raw)
    bound = parse(raw)
    if op == "min":
        return lambda r: get(r) is not None and get(r) >= bound
    if op == "max":
        return lambda r: get(r) is not None and get(r) <= bound
    if op == "greater":
        return lambda r: get(r) is not None and get(r) > bound
    return lambda r: get(r) is not None and get(r) < bound  # less


def apply(records: Iterable[Record], preds: list[Callable[[Record], bool]]) -> list[Record]:
    if not preds:
        return list(records)
    return [r for r in records if all(p(r) for p in preds)]


def sort_records(
    records: list[Record],
    sort: str | None,
    direction: str | None,
    allowed: Iterable[str],
    *,
    default: str = "id",
) -> list[Record]:
    """Stable sort by one documented field; ties keep id order, as the API does."""
    key = sort if sort in set(allowed) else default
    reverse = (direction or "asc").lower() == "desc"

    def k(r: Record) -> tuple[bool, Any]:
        v = r.get(key)
        return (v is None, v if v is not None else 0)

    return sorted(records, key=k, reverse=reverse)
