"""Price list streams: the lists, their price records and their assignments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream, Record, UnsortedIncrementalStream
from tap_bigcommerce.streams.paging import ListEndpoint, offset_pages

SCOPE = "store_v2_products"
PRICE_LISTS = "/v3/pricelists"


class PriceListsStream(UnsortedIncrementalStream):
    name = "price_lists"
    path = PRICE_LISTS
    required_scope = SCOPE
    replication_key = "date_modified"
    # Filters on date_modified, documents no sort.
    since_param = "date_modified:min"


class PriceListRecordsStream(UnsortedIncrementalStream):
    """Every price list's records changed since the bookmark.

    Not a child of ``price_lists``: a record can change without its list changing, so the
    records of every list are read (``date_modified:min`` on each), whatever the lists'
    own bookmark. One request lists the price lists, then one per 250 records of each.
    """

    name = "price_list_records"
    path = PRICE_LISTS + "/{price_list_id}/records"
    params: ClassVar = {"include": "bulk_pricing_tiers,sku"}
    required_scope = SCOPE
    primary_keys: ClassVar[list[str]] = ["store_hash", "price_list_id", "variant_id", "currency"]
    replication_key = "date_modified"
    since_param = "date_modified:min"

    def price_list_ids(self) -> list[int]:
        lists = ListEndpoint(self._bc_tap.client, PRICE_LISTS)
        pages = offset_pages(lists, self.page_size, self._bc_tap.executor, 2 * self.concurrency)
        return sorted({int(r["id"]) for page in pages for r in page})

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        for price_list_id in self.price_list_ids():
            path = self.path.replace("{price_list_id}", str(price_list_id))
            yield from self.read_changed_since(self.endpoint(path), context)


class PriceListAssignmentsStream(BigCommerceStream):
    """Full table: assignments carry no timestamps."""

    name = "price_list_assignments"
    path = PRICE_LISTS + "/assignments"
    required_scope = SCOPE


STREAMS: list[type[BigCommerceStream]] = [
    PriceListsStream,
    PriceListRecordsStream,
    PriceListAssignmentsStream,
]
