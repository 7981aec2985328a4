"""inventory_items: absolute stock levels by location, written as absolute adjustments.

A record names a location (``location_id``) and an item (``variant_id``, ``sku`` or
``product_id``, top level or under ``identity``) and the level to set (``quantity``, else
``total_inventory_onhand``); a record as the tap writes it, with its levels under
``locations``, stands for one record per location. A record whose level already holds is
counted unchanged; a level the location did not track yet is counted created.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import requests

from target_bigcommerce.encoding import to_json_value
from target_bigcommerce.matching import lookup_in
from target_bigcommerce.sinks.base import BigCommerceSink, RecordError
from target_bigcommerce.writing import EXPECT, Item

ITEMS = "/v3/inventory/items"
ADJUST = "/v3/inventory/adjustments/absolute"
ADJUSTMENT_BATCH = 2000
QUANTITY_FIELDS = ("quantity", "total_inventory_onhand")


def _field(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name)
    if value in (None, ""):
        identity = record.get("identity")
        if isinstance(identity, Mapping):
            value = identity.get(name)
    return None if value in (None, "") else to_json_value(value)


class InventoryItemsSink(BigCommerceSink):
    match_keys = ("variant_id", "sku", "product_id")
    allowed_keys = ("variant_id", "sku", "product_id")
    identity_keys = frozenset()
    drain_size = ADJUSTMENT_BATCH
    parent_streams = ("products", "product_variants")

    def process_record(self, record: dict, context: dict) -> None:
        # The tap writes one record per item with its levels under ``locations``: each
        # level is a record of its own here.
        levels = record.get("locations")
        if record.get("location_id") is None and isinstance(levels, list) and levels:
            base = {k: v for k, v in record.items() if k != "locations"}
            for level in levels:
                if isinstance(level, Mapping):
                    flat = {
                        "location_id": level.get("location_id"),
                        "quantity": level.get("total_inventory_onhand"),
                    }
                    super().process_record({**base, **flat}, context)
            return
        super().process_record(record, context)

    def key_value(self, record: Mapping[str, Any], key: str) -> Any:
        value = _field(record, key)
        if value is None:
            return None
        return (_field(record, "location_id"), value)

    def prepare(self, item: Item) -> None:
        if _field(item.record, "location_id") is None:
            raise RecordError("inventory_items record has no location_id")
        if item.key is None:
            raise RecordError("inventory_items record has none of variant_id, sku, product_id")
        if self._quantity(item.record) is None:
            raise RecordError("inventory_items record has no quantity (or total_inventory_onhand)")

    @staticmethod
    def _quantity(record: Mapping[str, Any]) -> Any:
        for name in QUANTITY_FIELDS:
            if record.get(name) is not None:
                return to_json_value(record[name])
        return None

    def desired(self, record: Mapping[str, Any]) -> dict[str, Any]:
        return {"quantity": self._quantity(record)}

    def current(self, existing: Mapping[str, Any]) -> Mapping[str, Any]:
        return {"quantity": existing.get("total_inventory_onhand")}

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        by_location: dict[Any, list[Any]] = defaultdict(list)
        for item in items:
            by_location[item.key_value[0]].append(item.key_value[1])
        out: dict[Any, Mapping[str, Any]] = {}
        for location_id, values in by_location.items():
            rows = lookup_in(self.client, ITEMS, key, values, {"location_id:in": location_id})
            for row in rows:
                identity = row.get("identity") or {}
                for level in row.get("locations") or []:
                    if level.get("location_id") == location_id:
                        out.setdefault((location_id, identity.get(key)), level)
        return out

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        items = [*updates, *creates]
        for item in items:
            location_id, value = item.key_value
            item.payload = {
                "location_id": location_id,
                item.key or "variant_id": value,
                "quantity": self._quantity(item.record),
            }

        def put(batch: list[Item]) -> requests.Response:
            body = {"reason": self.settings.inventory_reason, "items": self.bodies(batch)}
            return self.client.request("PUT", ADJUST, json=body, expect=EXPECT)

        writer.run(
            items, size=ADJUSTMENT_BATCH, concurrency=self.settings.max_concurrency, send=put
        )
