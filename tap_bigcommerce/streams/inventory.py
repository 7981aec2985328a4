"""Inventory streams: locations, and stock per variant and location."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream, Record

SCOPE = "store_inventory"


class LocationsStream(BigCommerceStream):
    name = "locations"
    path = "/v3/inventory/locations"
    # The Locations API has its own scope ("Store Locations"), apart from inventory's.
    required_scope = "store_locations"


class InventoryItemsStream(BigCommerceStream):
    """One record per variant and location, from ``/v3/inventory/items`` (one item per
    variant with a list of locations): the item's ``identity`` (sku, variant_id, product_id,
    sku_id), the location's counts and its ``settings`` side by side, so a warehouse gets a
    row per stock level. Full table: the endpoint has no time filter."""

    name = "inventory_items"
    path = "/v3/inventory/items"
    required_scope = SCOPE
    primary_keys: ClassVar[list[str]] = ["store_hash", "variant_id", "location_id"]

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        for items in super().pages(context):
            yield [row for item in items for row in self.rows(item)]

    def normalize(self, record: Record) -> Record:
        # The API's items are split into rows first; each row is normalised (rows()).
        return record

    def rows(self, item: Record) -> Iterator[Record]:
        identity: dict[str, Any] = item.get("identity") or {}
        for location in item.get("locations") or []:
            row: Record = {**identity, **{k: v for k, v in location.items() if k != "settings"}}
            row.update(location.get("settings") or {})
            yield super().normalize(row)


STREAMS: list[type[BigCommerceStream]] = [LocationsStream, InventoryItemsStream]
