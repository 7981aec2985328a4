"""Catalog streams: products, product_variants, categories, brands, product_custom_fields.

Writable fields are the spec's request properties for each endpoint (nested children such
as variants, images and custom fields are written through their own streams).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import requests

from target_bigcommerce.encoding import to_json_value
from target_bigcommerce.matching import index_by, list_all, lookup_each, lookup_in
from target_bigcommerce.sinks.base import BigCommerceSink, RecordError
from target_bigcommerce.writing import EXPECT, Item

PRODUCTS = "/v3/catalog/products"
VARIANTS = "/v3/catalog/variants"
CATEGORIES = "/v3/catalog/categories"
BRANDS = "/v3/catalog/brands"

PRODUCT_BATCH = 10
VARIANT_BATCH = 50

PRODUCT_FIELDS = frozenset(
    {
        "name", "type", "sku", "description", "weight", "width", "depth", "height", "price",
        "cost_price", "retail_price", "sale_price", "map_price", "tax_class_id",
        "product_tax_code", "categories", "brand_id", "inventory_level",
        "inventory_warning_level", "inventory_tracking", "fixed_cost_shipping_price",
        "is_free_shipping", "is_visible", "is_featured", "related_products", "warranty",
        "bin_picking_number", "layout_file", "upc", "search_keywords",
        "availability_description", "availability", "gift_wrapping_options_type",
        "gift_wrapping_options_list", "sort_order", "condition", "is_condition_shown",
        "order_quantity_minimum", "order_quantity_maximum", "page_title", "meta_keywords",
        "meta_description", "preorder_release_date", "preorder_message", "is_preorder_only",
        "is_price_hidden", "price_hidden_label", "custom_url", "open_graph_type",
        "open_graph_title", "open_graph_description", "open_graph_use_meta_description",
        "open_graph_use_product_name", "open_graph_use_image", "gtin", "mpn",
    }
)  # fmt: skip
VARIANT_FIELDS = frozenset(
    {
        "cost_price", "price", "sale_price", "retail_price", "weight", "width", "height",
        "depth", "is_free_shipping", "fixed_cost_shipping_price", "purchasing_disabled",
        "purchasing_disabled_message", "upc", "inventory_level", "inventory_warning_level",
        "bin_picking_number", "sku", "mpn", "gtin", "image_url",
    }
)  # fmt: skip
VARIANT_CREATE_ONLY = frozenset({"product_id", "option_values"})
CATEGORY_FIELDS = frozenset(
    {
        "parent_id", "name", "description", "views", "sort_order", "page_title",
        "search_keywords", "meta_keywords", "meta_description", "layout_file", "is_visible",
        "default_product_sort", "image_url", "custom_url",
    }
)  # fmt: skip
BRAND_FIELDS = frozenset(
    {"name", "page_title", "meta_keywords", "meta_description", "search_keywords", "image_url",
     "custom_url"}
)  # fmt: skip


class ProductsSink(BigCommerceSink):
    match_keys = ("id", "sku", "name")
    allowed_keys = ("id", "sku", "name")
    writable = PRODUCT_FIELDS

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        values = [i.key_value for i in items]
        if key == "name":
            return index_by(lookup_each(self.client, PRODUCTS, "name", values), "name")
        return index_by(lookup_in(self.client, PRODUCTS, key, values), key)

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        concurrency = self.settings.max_concurrency

        def put(batch: list[Item]) -> requests.Response:
            body = [{"id": i.existing["id"], **i.payload} for i in batch if i.existing]
            return self.client.request("PUT", PRODUCTS, json=body, expect=EXPECT)

        def post(batch: list[Item]) -> requests.Response:
            return self.client.request("POST", PRODUCTS, json=batch[0].payload, expect=EXPECT)

        writer.run(updates, size=PRODUCT_BATCH, concurrency=concurrency, send=put)
        writer.run(creates, size=1, concurrency=concurrency, send=post)


class ProductVariantsSink(BigCommerceSink):
    match_keys = ("id", "sku")
    allowed_keys = ("id", "sku")
    writable = VARIANT_FIELDS
    parent_streams = ("products",)

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        values = [i.key_value for i in items]
        return index_by(lookup_in(self.client, VARIANTS, key, values), key)

    def check_create(self, item: Item) -> None:
        if item.record.get("product_id") in (None, ""):
            raise RecordError("a new variant needs product_id (and sku, option_values)")

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        concurrency = self.settings.max_concurrency
        for item in creates:
            record = item.record
            item.payload.update(
                {
                    k: to_json_value(record[k])
                    for k in VARIANT_CREATE_ONLY
                    if record.get(k) is not None
                }
            )

        def put(batch: list[Item]) -> requests.Response:
            body = [{"id": i.existing["id"], **i.payload} for i in batch if i.existing]
            return self.client.request("PUT", VARIANTS, json=body, expect=EXPECT)

        def post(batch: list[Item]) -> requests.Response:
            item = batch[0]
            path = f"{PRODUCTS}/{int(item.payload['product_id'])}/variants"
            body = {k: v for k, v in item.payload.items() if k != "product_id"}
            return self.client.request("POST", path, json=body, expect=EXPECT)

        writer.run(updates, size=VARIANT_BATCH, concurrency=concurrency, send=put)
        writer.run(creates, size=1, concurrency=concurrency, send=post)


class _NamedSink(BigCommerceSink):
    """Categories and brands: one record per request, matched on id or name."""

    match_keys = ("id", "name")
    allowed_keys = ("id", "name")
    path: ClassVar[str] = ""

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        values = [i.key_value for i in items]
        if key == "name":
            # No name:in filter is documented; a full listing costs one request per 250.
            wanted = set(values)
            return index_by(
                (r for r in list_all(self.client, self.path) if r.get("name") in wanted), "name"
            )
        return index_by(lookup_in(self.client, self.path, "id", values), "id")

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        concurrency = self.settings.max_concurrency

        def put(batch: list[Item]) -> requests.Response:
            item = batch[0]
            assert item.existing is not None
            path = f"{self.path}/{int(item.existing['id'])}"
            return self.client.request("PUT", path, json=item.payload, expect=EXPECT)

        def post(batch: list[Item]) -> requests.Response:
            return self.client.request("POST", self.path, json=batch[0].payload, expect=EXPECT)

        writer.run(updates, size=1, concurrency=concurrency, send=put)
        writer.run(creates, size=1, concurrency=concurrency, send=post)


class CategoriesSink(_NamedSink):
    writable = CATEGORY_FIELDS
    path = CATEGORIES


class BrandsSink(_NamedSink):
    writable = BRAND_FIELDS
    path = BRANDS


class ProductCustomFieldsSink(BigCommerceSink):
    """Matched on id, else on (product_id, name): a product's field names are unique."""

    match_keys = ("id", "name")
    allowed_keys = ("id", "name")
    writable = frozenset({"name", "value"})
    parent_streams = ("products",)

    def key_value(self, record: Mapping[str, Any], key: str) -> Any:
        value = super().key_value(record, key)
        if key == "name" and value is not None:
            return (to_json_value(record.get("product_id")), value)
        return value

    def prepare(self, item: Item) -> None:
        if item.record.get("product_id") in (None, ""):
            raise RecordError("product_custom_fields record has no product_id")

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        product_ids = [to_json_value(i.record["product_id"]) for i in items]
        found: dict[Any, Mapping[str, Any]] = {}
        for product in lookup_in(
            self.client, PRODUCTS, "id", product_ids, {"include": "custom_fields"}
        ):
            for field in product.get("custom_fields") or []:
                row = {**field, "product_id": product["id"]}
                ident = row["id"] if key == "id" else (product["id"], row.get("name"))
                found.setdefault(ident, row)
        return found

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        writer = self.writer()
        concurrency = self.settings.max_concurrency

        def base(item: Item) -> str:
            return f"{PRODUCTS}/{int(to_json_value(item.record['product_id']))}/custom-fields"

        def put(batch: list[Item]) -> requests.Response:
            item = batch[0]
            assert item.existing is not None
            path = f"{base(item)}/{int(item.existing['id'])}"
            return self.client.request("PUT", path, json=item.payload, expect=EXPECT)

        def post(batch: list[Item]) -> requests.Response:
            return self.client.request("POST", base(batch[0]), json=batch[0].payload, expect=EXPECT)

        writer.run(updates, size=1, concurrency=concurrency, send=put)
        writer.run(creates, size=1, concurrency=concurrency, send=post)
