"""Catalog streams: products (with their included children), categories, trees, brands."""

from __future__ import annotations

from typing import ClassVar

from tap_bigcommerce.streams.base import BigCommerceStream, ChildStream
from tap_bigcommerce.streams.paging import KeysetSpec

SCOPE = "store_v2_products"

V3_KEYSET = KeysetSpec(
    since_param="date_modified:min",
    until_param="date_modified:max",
    sort_modified_asc={"sort": "date_modified", "direction": "asc"},
    sort_id_asc={"sort": "id", "direction": "asc"},
    sort_id_desc={"sort": "id", "direction": "desc"},
    id_min_param="id:min",
    id_max_param="id:max",
)


class ProductsStream(BigCommerceStream):
    name = "products"
    path = "/v3/catalog/products"
    # options and modifiers are not included: the API caps such pages at 10 products.
    params: ClassVar = {"include": "variants,images,custom_fields,bulk_pricing_rules"}
    required_scope = SCOPE
    replication_key = "date_modified"
    keyset = V3_KEYSET
    included_keys = ("variants", "images", "custom_fields", "bulk_pricing_rules")


class _ProductChild(ChildStream):
    parent_stream_type = ProductsStream
    path = "/v3/catalog/products"
    required_scope = SCOPE
    parent_field = "product_id"


class ProductVariantsStream(_ProductChild):
    name = "product_variants"
    included_from = "variants"


class ProductImagesStream(_ProductChild):
    name = "product_images"
    included_from = "images"


class ProductCustomFieldsStream(_ProductChild):
    name = "product_custom_fields"
    included_from = "custom_fields"


class ProductBulkPricingRulesStream(_ProductChild):
    name = "product_bulk_pricing_rules"
    included_from = "bulk_pricing_rules"


class ProductOptionsStream(_ProductChild):
    name = "product_options"
    path = "/v3/catalog/products/{parent_id}/options"


class ProductModifiersStream(_ProductChild):
    name = "product_modifiers"
    path = "/v3/catalog/products/{parent_id}/modifiers"


class CategoriesStream(BigCommerceStream):
    name = "categories"
    path = "/v3/catalog/categories"
    required_scope = SCOPE


class CategoryTreesStream(BigCommerceStream):
    name = "category_trees"
    path = "/v3/catalog/trees"
    required_scope = SCOPE


class BrandsStream(BigCommerceStream):
    name = "brands"
    path = "/v3/catalog/brands"
    required_scope = SCOPE


STREAMS: list[type[BigCommerceStream]] = [
    ProductsStream,
    ProductVariantsStream,
    ProductImagesStream,
    ProductCustomFieldsStream,
    ProductBulkPricingRulesStream,
    ProductOptionsStream,
    ProductModifiersStream,
    CategoriesStream,
    CategoryTreesStream,
    BrandsStream,
]
