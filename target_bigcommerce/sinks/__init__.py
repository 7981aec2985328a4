"""One sink per stream, by the tap's stream names."""

from __future__ import annotations

from target_bigcommerce.sinks.base import BigCommerceSink
from target_bigcommerce.sinks.catalog import (
    BrandsSink,
    CategoriesSink,
    ProductCustomFieldsSink,
    ProductsSink,
    ProductVariantsSink,
)
from target_bigcommerce.sinks.customers import CustomerAddressesSink, CustomersSink
from target_bigcommerce.sinks.inventory import InventoryItemsSink
from target_bigcommerce.sinks.pricing import PriceListRecordsSink

SINKS: dict[str, type[BigCommerceSink]] = {
    "products": ProductsSink,
    "product_variants": ProductVariantsSink,
    "product_custom_fields": ProductCustomFieldsSink,
    "categories": CategoriesSink,
    "brands": BrandsSink,
    "customers": CustomersSink,
    "customer_addresses": CustomerAddressesSink,
    "price_list_records": PriceListRecordsSink,
    "inventory_items": InventoryItemsSink,
}

__all__ = ["SINKS", "BigCommerceSink"]
