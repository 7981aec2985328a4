"""Render internal records the way each API version writes them.

v2 writes dates as RFC 2822 (``Tue, 20 Nov 2012 00:00:00 +0000``) and money as decimal
strings with four places (``"12.5000"``); v3 writes ISO 8601 dates and JSON numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Types written as they are; checked first, since they are most of a page's values.
PLAIN = frozenset((str, int, bool, float, type(None)))


def v2_date(dt: datetime) -> str:
    """``email.utils.format_datetime`` in UTC with ``+0000``, without its overhead."""
    if type(dt) is not datetime:
        return format_datetime(dt.astimezone(UTC).replace(tzinfo=None)).replace("-0000", "+0000")
    u = dt.astimezone(UTC)
    return (
        f"{_DAYS[u.weekday()]}, {u.day:02d} {_MONTHS[u.month - 1]} {u.year:04d} "
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d} +0000"
    )


def v3_date(dt: datetime) -> str:
    # astimezone returns a UTC datetime unchanged; skip building the copy.
    return (dt if dt.tzinfo is UTC else dt.astimezone(UTC)).isoformat()


def v2_money(d: Decimal) -> str:
    """``f"{d:.4f}"``, at half the cost for amounts in cents, which most are.

    ``str`` of a Decimal is exact, and a point third from the end can only be a finite
    number with two places (an exponent or a NaN payload ends in digits after a letter or
    a sign): padding it is what ``.4f`` writes. (A cache keyed by the Decimal cost more:
    the first hash of a Decimal takes longer than formatting it.)
    """
    s = str(d)
    if s[-3:-2] == ".":
        return s + "00"
    return f"{d:.4f}"


def _renderer(
    on_datetime: Callable[[datetime], Any], on_decimal: Callable[[Decimal], Any]
) -> Callable[[Any], Any]:
    """A renderer for one API version: its dates and its money; every other value the
    same in both (private ``_`` keys dropped, plain values as they are, checked first
    since they are most of a page)."""

    def render(obj: Any) -> Any:
        t = type(obj)
        if t in PLAIN:
            return obj
        if t is dict:
            return {
                k: (v if type(v) in PLAIN else render(v))
                for k, v in obj.items()
                if not k.startswith("_")
            }
        if t is Decimal:
            return on_decimal(obj)
        if t is list:
            return [v if type(v) in PLAIN else render(v) for v in obj]
        if isinstance(obj, datetime):
            return on_datetime(obj)
        if isinstance(obj, Decimal):
            return on_decimal(obj)
        if isinstance(obj, date):
            return obj.isoformat()
        if isinstance(obj, dict):
            return {k: render(v) for k, v in obj.items() if not k.startswith("_")}
        if isinstance(obj, list):
            return [render(v) for v in obj]
        return obj

    return render


render_v2 = _renderer(v2_date, v2_money)
render_v3 = _renderer(v3_date, float)
