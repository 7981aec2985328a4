"""The stream registry: every stream the tap offers, by API area (one line per module)."""

from __future__ import annotations

from tap_bigcommerce.streams import catalog, customers, orders
from tap_bigcommerce.streams.base import BigCommerceStream

STREAM_TYPES: list[type[BigCommerceStream]] = [
    *catalog.STREAMS,
    *customers.STREAMS,
    *orders.STREAMS,
]

__all__ = ["STREAM_TYPES", "BigCommerceStream"]
