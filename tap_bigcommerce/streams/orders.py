"""Order streams: orders (with line items, shipping addresses and fees included), the
per-order children, refunds and order statuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from tap_bigcommerce.streams.base import (
    BigCommerceStream,
    ChildStream,
    Record,
    UnsortedIncrementalStream,
)
from tap_bigcommerce.streams.paging import KeysetSpec

SCOPE = "store_v2_orders"
TRANSACTIONS_SCOPE = "store_v2_transactions"


class OrdersStream(BigCommerceStream):
    name = "orders"
    path = "/v2/orders"
    params: ClassVar = {
        "include": "consignments.line_items,fees",
        "consignment_structure": "object",
    }
    required_scope = SCOPE
    replication_key = "date_modified"
    keyset = KeysetSpec(
        since_param="min_date_modified",
        until_param="max_date_modified",
        sort_modified_asc={"sort": "date_modified:asc"},
        sort_id_asc={"sort": "id:asc"},
        sort_id_desc={"sort": "id:desc"},
        id_min_param="min_id",
        id_max_param="max_id",
        count_path="/v2/orders/count",
    )
    # Links to sub-resources (not data) are dropped along with the included lists.
    included_keys = ("consignments", "fees", "products", "shipping_addresses", "coupons")


class _OrderChild(ChildStream):
    parent_stream_type = OrdersStream
    required_scope = SCOPE
    parent_field = "order_id"


def _shipping(included: Mapping[str, Any]) -> list[Record]:
    consignments = included.get("consignments")
    if not isinstance(consignments, dict):
        return []
    shipping = consignments.get("shipping")
    return [c for c in shipping if isinstance(c, dict)] if isinstance(shipping, list) else []


class OrderProductsStream(_OrderChild):
    name = "order_products"
    path = "/v2/orders"
    included_from = "consignments"

    def extract(self, parent_id: int, included: Mapping[str, Any]) -> list[Record]:
        out: list[Record] = []
        for consignment in _shipping(included):
            out.extend(x for x in consignment.get("line_items") or [] if isinstance(x, dict))
        return out


class OrderShippingAddressesStream(_OrderChild):
    name = "order_shipping_addresses"
    path = "/v2/orders"
    included_from = "consignments"

    def extract(self, parent_id: int, included: Mapping[str, Any]) -> list[Record]:
        return [
            {k: v for k, v in c.items() if k not in ("line_items", "shipping_quotes")}
            for c in _shipping(included)
        ]


class OrderFeesStream(_OrderChild):
    name = "order_fees"
    path = "/v2/orders"
    included_from = "fees"


class OrderCouponsStream(_OrderChild):
    name = "order_coupons"
    path = "/v2/orders/{parent_id}/coupons"


class OrderShipmentsStream(_OrderChild):
    name = "order_shipments"
    path = "/v2/orders/{parent_id}/shipments"


class OrderTaxesStream(_OrderChild):
    name = "order_taxes"
    path = "/v2/orders/{parent_id}/taxes"


class OrderMessagesStream(_OrderChild):
    name = "order_messages"
    path = "/v2/orders/{parent_id}/messages"


class OrderTransactionsStream(_OrderChild):
    name = "order_transactions"
    path = "/v3/orders/{parent_id}/transactions"
    required_scope = TRANSACTIONS_SCOPE
    coerce_scalars = True  # order_id comes as a string


class RefundsStream(UnsortedIncrementalStream):
    name = "refunds"
    path = "/v3/orders/payment_actions/refunds"
    required_scope = TRANSACTIONS_SCOPE
    # Refunds never change once made: their creation time is the bookmark. The endpoint
    # filters on it but documents no sort.
    replication_key = "created"
    since_param = "created:min"


class OrderStatusesStream(BigCommerceStream):
    name = "order_statuses"
    path = "/v2/order_statuses"
    required_scope = SCOPE


STREAMS: list[type[BigCommerceStream]] = [
    OrdersStream,
    OrderProductsStream,
    OrderShippingAddressesStream,
    OrderFeesStream,
    OrderCouponsStream,
    OrderShipmentsStream,
    OrderTaxesStream,
    OrderMessagesStream,
    OrderTransactionsStream,
    RefundsStream,
    OrderStatusesStream,
]
