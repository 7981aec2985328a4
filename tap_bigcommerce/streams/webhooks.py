"""Webhook subscriptions of the store, and the Unix-time conversion some resources need."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from tap_bigcommerce.streams.base import BigCommerceStream, Record
from tap_bigcommerce.streams.normalize import NormalizationError, utc_iso


def unix_time_to_iso(value: Any) -> Any:
    """Unix seconds (an integer, or digits in a string) as ISO 8601 UTC; 0 means "never"."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        if not value.strip().isdigit():
            return value  # already a date string: left to the schema-driven normaliser
        value = int(value)
    if isinstance(value, int | float):
        if value == 0:
            return None
        try:
            return utc_iso(datetime.fromtimestamp(value, UTC))
        except (OverflowError, OSError, ValueError) as exc:
            raise NormalizationError(f"not a Unix time: {value!r}") from exc
    return value


def convert_unix_times(record: Record, fields: Iterable[str]) -> Record:
    for name in fields:
        if name in record:
            record[name] = unix_time_to_iso(record[name])
    return record


class WebhooksStream(BigCommerceStream):
    """Full table: ``/v3/hooks`` has no time filter. Its times are Unix seconds."""

    name = "webhooks"
    path = "/v3/hooks"
    # Any store API account may list its own hooks; the emulator files them under default.
    required_scope = "store_v2_default"
    unix_time_fields: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")

    def normalize(self, record: Record) -> Record:
        return super().normalize(convert_unix_times(record, self.unix_time_fields))


STREAMS: list[type[BigCommerceStream]] = [WebhooksStream]
