"""Render internal records the way each API version writes them.

v2 writes dates as RFC 2822 (``Tue, 20 Nov 2012 00:00:00 +0000``) and money as decimal
strings with four places (``"12.5000"``); v3 writes ISO 8601 dates and JSON numbers.
"""

from __future__ import annotations

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
    return dt.astimezone(UTC).isoformat()


# Formatting a Decimal costs ten dictionary look-ups, and prices repeat across a store.
_MONEY: dict[Decimal, str] = {}
_MONEY_MAX = 200_000


def v2_money(d: Decimal) -> str:
    text = _MONEY.get(d)
    if text is not None:
        return text
    if not d:
        # Equal zeros hash alike but keep their sign: -0 is written "-0.0000".
        return "-0.0000" if d.is_signed() else "0.0000"
    text = f"{d:.4f}"
    if d.is_finite():
        if len(_MONEY) >= _MONEY_MAX:
            _MONEY.clear()
        _MONEY[d] = text
    return text


def render_v2(obj: Any) -> Any:
    t = type(obj)
    if t in PLAIN:
        return obj
    if t is dict:
        return {
            k: (v if type(v) in PLAIN else render_v2(v))
            for k, v in obj.items()
            if not k.startswith("_")
        }
    if isinstance(obj, datetime):
        return v2_date(obj)
    if isinstance(obj, Decimal):
        return v2_money(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: render_v2(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [render_v2(v) for v in obj]
    return obj


def render_v3(obj: Any) -> Any:
    t = type(obj)
    if t in PLAIN:
        return obj
    if t is dict:
        return {
            k: (v if type(v) in PLAIN else render_v3(v))
            for k, v in obj.items()
            if not k.startswith("_")
        }
    if t is Decimal:
        return float(obj)
    if isinstance(obj, datetime):
        return v3_date(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: render_v3(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [render_v3(v) for v in obj]
    return obj
