"""Bounds read from a list query, for narrowing candidates by index before predicates run.

The predicates still apply every filter; these only choose which records they see, so a
bound here may be wider than the filter but never narrower.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bigcommerce_emulator.filters import parse_int
from bigcommerce_emulator.store import Record

# (query key, added to its value, bounds the low end / high end / both)
_ID_KEYS = (
    ("id", 0, None),
    ("id:min", 0, True),
    ("id:greater", 1, True),
    ("id:max", 0, False),
    ("id:less", -1, False),
)


def id_range(query: Mapping[str, str]) -> tuple[int | None, int | None]:
    """The inclusive id range that the v3 id filters allow; call after the predicates have
    been built, so that a malformed value is reported by them first."""
    lo: int | None = None
    hi: int | None = None
    for key, shift, low in _ID_KEYS:
        if key not in query:
            continue
        v = parse_int(query[key]) + shift
        if low is not False:
            lo = v if lo is None else max(lo, v)
        if low is not True:
            hi = v if hi is None else min(hi, v)
    return lo, hi


def span_size(span: tuple[int, int]) -> int:
    return span[1] - span[0]


def modified_within(r: Record, lo: datetime | None, hi: datetime | None) -> bool:
    """What ``Collection.modified_between`` selects, as a predicate."""
    dm = r.get("date_modified")
    return isinstance(dm, datetime) and (lo is None or dm >= lo) and (hi is None or dm <= hi)
