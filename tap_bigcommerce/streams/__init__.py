"""The stream registry: every stream the tap offers, by API area (one line per module)."""

from __future__ import annotations

from tap_bigcommerce.streams import (
    catalog,
    channels,
    content,
    customers,
    inventory,
    marketing,
    orders,
    pricing,
    store,
    webhooks,
)
from tap_bigcommerce.streams.base import BigCommerceStream

STREAM_TYPES: list[type[BigCommerceStream]] = [
    *catalog.STREAMS,
    *customers.STREAMS,
    *orders.STREAMS,
    *store.STREAMS,
    *channels.STREAMS,
    *pricing.STREAMS,
    *inventory.STREAMS,
    *marketing.STREAMS,
    *content.STREAMS,
    *webhooks.STREAMS,
]

__all__ = ["STREAM_TYPES", "BigCommerceStream"]
