"""Store-level streams: the store's profile and its currencies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream, Record

SCOPE = "store_v2_information"


class StoreInfoStream(BigCommerceStream):
    """One record: the store's profile (``GET /v2/store`` answers a single object)."""

    name = "store_info"
    path = "/v2/store"
    required_scope = SCOPE
    primary_keys: ClassVar[list[str]] = ["store_hash"]

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        # Not a list: one request, no paging parameters.
        yield self.endpoint().fetch({}).records


class CurrenciesStream(BigCommerceStream):
    name = "currencies"
    path = "/v2/currencies"
    required_scope = SCOPE


STREAMS: list[type[BigCommerceStream]] = [StoreInfoStream, CurrenciesStream]
