"""Customer streams: customers (matched on id, else email) and customer_addresses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from target_bigcommerce.encoding import to_json_value
from target_bigcommerce.matching import index_by, lookup_in
from target_bigcommerce.sinks.base import BigCommerceSink, RecordError
from target_bigcommerce.writing import EXPECT, Item

CUSTOMERS = "/v3/customers"
ADDRESSES = "/v3/customers/addresses"
CUSTOMER_BATCH = 10
ADDRESS_BATCH = 10
# Documented: at most 3 concurrent customer writes, and 3 concurrent address updates.
CUSTOMER_CAP = ("customers", 3)
ADDRESS_UPDATE_CAP = ("customer_addresses_update", 3)
ADDRESS_CREATE_CAP = ("customer_addresses_create", 10)

CUSTOMER_FIELDS = frozenset(
    {
        "email", "first_name", "last_name", "company", "phone", "notes",
        "tax_exempt_category", "customer_group_id",
        "accepts_product_review_abandoned_cart_emails", "channel_ids",
    }
)  # fmt: skip
ADDRESS_FIELDS = frozenset(
    {
        "first_name", "last_name", "company", "address1", "address2", "city",
        "state_or_province", "postal_code", "country_code", "phone", "address_type",
    }
)  # fmt: skip
# What makes an address unique for the API (with customer_id).
ADDRESS_CORE = (
    "first_name", "last_name", "company", "phone", "address_type", "address1", "address2",
    "city", "country_code", "state_or_province", "postal_code",
)  # fmt: skip


def _email(value: Any) -> str | None:
    # The API stores and compares email addresses case-insensitively.
    return str(value).strip().lower() if value not in (None, "") else None


class CustomersSink(BigCommerceSink):
    match_keys = ("id", "email")
    allowed_keys = ("id", "email")
    writable = CUSTOMER_FIELDS

    def key_value(self, record: Mapping[str, Any], key: str) -> Any:
        if key == "email":
            return _email(record.get("email"))
        return super().key_value(record, key)

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        values = [i.key_value for i in items]
        found = lookup_in(self.client, CUSTOMERS, key, values)
        if key == "email":
            return {_email(r.get("email")): r for r in found if r.get("email")}
        return index_by(found, key)

    def current(self, existing: Mapping[str, Any]) -> Mapping[str, Any]:
        return {**existing, "email": _email(existing.get("email"))}

    def desired(self, record: Mapping[str, Any]) -> dict[str, Any]:
        out = super().desired(record)
        if "email" in out:
            out["email"] = _email(out["email"])
        return out

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        concurrency = min(self.settings.max_concurrency, CUSTOMER_CAP[1])

        def put(batch: list[Item]) -> requests.Response:
            body = [{"id": i.existing["id"], **i.payload} for i in batch if i.existing]
            return self.client.request("PUT", CUSTOMERS, json=body, expect=EXPECT)

        def post(batch: list[Item]) -> requests.Response:
            return self.client.request("POST", CUSTOMERS, json=self.bodies(batch), expect=EXPECT)

        writer.run(
            updates, size=CUSTOMER_BATCH, concurrency=concurrency, send=put, cap=CUSTOMER_CAP
        )
        writer.run(
            creates, size=CUSTOMER_BATCH, concurrency=concurrency, send=post, cap=CUSTOMER_CAP
        )


class CustomerAddressesSink(BigCommerceSink):
    """Matched on id, else on the address itself (customer_id plus the core fields)."""

    match_keys = ("id", "address")
    allowed_keys = ("id", "address")
    writable = ADDRESS_FIELDS
    parent_streams = ("customers",)

    def key_value(self, record: Mapping[str, Any], key: str) -> Any:
        if key == "address":
            if record.get("customer_id") in (None, ""):
                return None
            return self._address_key(record)
        return super().key_value(record, key)

    @staticmethod
    def _address_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
        defaults = {"address_type": "residential"}
        return (
            int(to_json_value(record["customer_id"])),
            *(str(record.get(k) or defaults.get(k, "")) for k in ADDRESS_CORE),
        )

    def prepare(self, item: Item) -> None:
        if item.key != "id" and item.record.get("customer_id") in (None, ""):
            raise RecordError("customer_addresses record has neither id nor customer_id")

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        if key == "id":
            return index_by(
                lookup_in(self.client, ADDRESSES, "id", [i.key_value for i in items]), "id"
            )
        customer_ids = [i.key_value[0] for i in items]
        found = lookup_in(self.client, ADDRESSES, "customer_id", customer_ids)
        out: dict[Any, Mapping[str, Any]] = {}
        for row in found:
            out.setdefault(self._address_key(row), row)
        return out

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        for item in creates:
            item.payload["customer_id"] = int(to_json_value(item.record["customer_id"]))

        def put(batch: list[Item]) -> requests.Response:
            body = [{"id": i.existing["id"], **i.payload} for i in batch if i.existing]
            return self.client.request("PUT", ADDRESSES, json=body, expect=EXPECT)

        def post(batch: list[Item]) -> requests.Response:
            return self.client.request("POST", ADDRESSES, json=self.bodies(batch), expect=EXPECT)

        writer.run(
            updates,
            size=ADDRESS_BATCH,
            concurrency=min(self.settings.max_concurrency, ADDRESS_UPDATE_CAP[1]),
            send=put,
            cap=ADDRESS_UPDATE_CAP,
        )
        writer.run(
            creates,
            size=ADDRESS_BATCH,
            concurrency=min(self.settings.max_concurrency, ADDRESS_CREATE_CAP[1]),
            send=post,
            cap=ADDRESS_CREATE_CAP,
        )
