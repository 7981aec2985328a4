"""Render internal records the way each API version writes them.

v2 writes dates as RFC 2822 (``Tue, 20 Nov 2012 00:00:00 +0000``) and money as decimal
strings with four places (``"12.5000"``); v3 writes ISO 8601 dates and JSON numbers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any


def v2_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC).replace(tzinfo=None)).replace("-0000", "+0000")


def v3_date(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


def v2_money(d: Decimal) -> str:
    return f"{d:.4f}"


def render_v2(obj: Any) -> Any:
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
