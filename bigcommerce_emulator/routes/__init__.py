"""Every store-API route table, by API area."""

from __future__ import annotations

from bigcommerce_emulator.routes import (
    catalog_products,
    catalog_taxonomy,
    channels,
    content,
    customers,
    inventory,
    marketing,
    orders,
    payments,
    price_lists,
    store_info,
    webhooks,
)
from bigcommerce_emulator.routing import RouteSpec

ROUTE_TABLES = (
    store_info.routes,
    channels.routes,
    catalog_taxonomy.routes,
    catalog_products.routes,
    customers.routes,
    orders.routes,
    payments.routes,
    price_lists.routes,
    inventory.routes,
    marketing.routes,
    content.routes,
    webhooks.routes,
)


def all_routes() -> list[RouteSpec]:
    return [spec for table in ROUTE_TABLES for spec in table.specs]
