"""price_list_records: upserts by (price list, variant or SKU, currency).

Written with the per-list batch upsert (1,000 records, at most 2 requests at once). In its
non-strict mode the API applies the valid records of a batch and answers 422 with
``batch_errors`` naming the others; only those are rejected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import requests

from tap_bigcommerce.client.errors import ApiError
from target_bigcommerce.encoding import to_json_value
from target_bigcommerce.matching import lookup_in
from target_bigcommerce.sinks.base import BigCommerceSink, RecordError
from target_bigcommerce.writing import EXPECT, Failure, Item, Verdict, describe_error

RECORD_BATCH = 1000
RECORD_CAP = ("pricelist_records", 2)
PRICE_FIELDS = frozenset({"price", "sale_price", "retail_price", "map_price", "bulk_pricing_tiers"})


def _records_path(price_list_id: int) -> str:
    return f"/v3/pricelists/{price_list_id}/records"


class PriceListRecordsSink(BigCommerceSink):
    match_keys = ("variant_id", "sku")
    allowed_keys = ("variant_id", "sku")
    identity_keys = frozenset()
    writable = PRICE_FIELDS
    drain_size = 2 * RECORD_BATCH

    def key_value(self, record: Mapping[str, Any], key: str) -> Any:
        value = super().key_value(record, key)
        if value is None:
            return None
        return (
            to_json_value(record.get("price_list_id")),
            value,
            str(record.get("currency") or "").lower(),
        )

    def prepare(self, item: Item) -> None:
        record = item.record
        if record.get("price_list_id") in (None, ""):
            raise RecordError("price_list_records record has no price_list_id")
        if not record.get("currency"):
            raise RecordError("price_list_records record has no currency")
        if item.key is None:
            raise RecordError("price_list_records record has neither variant_id nor sku")

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        by_list: dict[int, list[Item]] = defaultdict(list)
        for item in items:
            by_list[int(item.key_value[0])].append(item)
        # Which price lists exist, from the list endpoint (one request for up to 250).
        known = {
            int(r["id"]) for r in lookup_in(self.client, "/v3/pricelists", "id", list(by_list))
        }
        out: dict[Any, Mapping[str, Any]] = {}
        for list_id, group in by_list.items():
            if list_id not in known:
                for item in group:
                    self._reject(item, 404, f"price list {list_id} does not exist")
                continue
            values = [i.key_value[1] for i in group]
            # Records carry their SKU and tiers only when asked to.
            extra = {"include": "sku,bulk_pricing_tiers"}
            try:
                rows = lookup_in(self.client, _records_path(list_id), key, values, extra)
            except ApiError as exc:
                if exc.status != 404:
                    raise
                for item in group:
                    self._reject(item, 404, f"price list {list_id} does not exist")
                continue
            for row in rows:
                ident = (list_id, row.get(key), str(row.get("currency") or "").lower())
                out.setdefault(ident, row)
        return out

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        by_list: dict[int, list[Item]] = defaultdict(list)
        for item in [*updates, *creates]:
            record = item.record
            ident = {item.key or "variant_id": item.key_value[1], "currency": item.key_value[2]}
            # A price is required on every upserted record; keep the one the record gives.
            price = (
                {"price": to_json_value(record["price"])} if record.get("price") is not None else {}
            )
            item.payload = {**ident, **price, **item.payload}
            by_list[int(item.key_value[0])].append(item)
        for list_id, items in by_list.items():
            path = _records_path(list_id)

            def put(batch: list[Item], path: str = path) -> requests.Response:
                return self.client.request("PUT", path, json=self.bodies(batch), expect=EXPECT)

            writer.run(
                items,
                size=RECORD_BATCH,
                concurrency=min(self.settings.max_concurrency, RECORD_CAP[1]),
                send=put,
                interpret=_batch_errors_verdict,
                cap=RECORD_CAP,
            )


def _batch_errors_verdict(batch: list[Item], response: requests.Response) -> Verdict | None:
    """Map ``batch_errors`` (identified by variant_id or sku and currency) to records."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    errors = body.get("batch_errors") if isinstance(body, Mapping) else None
    if not errors:
        return None
    failures: list[Failure] = []
    claimed: set[int] = set()
    for error in errors:
        data = error.get("data") or {}
        currency = str(data.get("currency") or "").lower()
        match = None
        for item in batch:
            if id(item) in claimed:
                continue
            p = item.payload
            same_currency = str(p.get("currency") or "").lower() == currency
            same_variant = "variant_id" in data and p.get("variant_id") == data["variant_id"]
            same_sku = "sku" in data and p.get("sku") == data["sku"]
            if same_currency and (same_variant or same_sku):
                match = item
                break
        if match is None:
            return None  # cannot tell which record: fall back to splitting the batch
        claimed.add(id(match))
        failures.append(Failure(match, response.status_code, describe_error(error)))
    return Verdict(failures)
