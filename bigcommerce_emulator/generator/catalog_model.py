"""The catalog's record shapes: defaults for each resource and the values derived from others.

Shared by the seeded generator, the control-API factories and the write routes, so that a
product created through the API has the same fields as a generated one.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from bigcommerce_emulator.store import Record, Store

CDN = "https://cdn11.bigcommerce.com"

# Collections of the catalog area and the fields each one indexes.
COLLECTIONS: dict[str, tuple[str, ...]] = {
    # ``_name_key`` (the lower-cased name) makes the duplicate-name check an index lookup.
    "products": ("sku", "brand_id", "name", "_name_key"),
    "product_variants": ("product_id", "sku"),
    "product_images": ("product_id",),
    "product_custom_fields": ("product_id",),
    "product_options": ("product_id",),
    "product_modifiers": ("product_id",),
    "product_bulk_pricing_rules": ("product_id",),
    "product_videos": ("product_id",),
    "product_reviews": ("product_id",),
    "categories": ("parent_id",),
    "category_trees": (),
    "brands": (),
}

ZERO = Decimal("0")


def collection(store: Store, name: str) -> Any:
    return store.collection(name, index_on=COLLECTIONS.get(name, ()))


def name_key(name: str) -> str:
    return name.strip().lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category_uuid(store_hash: str, category_id: int) -> str:
    # Stable per store and category, like the real UUIDs that never change.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bc-emulator:{store_hash}:category:{category_id}"))


def product_defaults() -> Record:
    """Every product field the API returns, at the value the API gives a new product."""
    return {
        "name": "",
        "type": "physical",
        "sku": "",
        "description": "",
        "weight": ZERO,
        "width": ZERO,
        "depth": ZERO,
        "height": ZERO,
        "price": ZERO,
        "cost_price": ZERO,
        "retail_price": ZERO,
        "sale_price": ZERO,
        "map_price": ZERO,
        "tax_class_id": 0,
        "product_tax_code": "",
        "calculated_price": ZERO,
        "categories": [],
        "brand_id": 0,
        "option_set_id": 0,
        "option_set_display": "right",
        "inventory_level": 0,
        "inventory_warning_level": 0,
        "inventory_tracking": "none",
        "reviews_rating_sum": 0,
        "reviews_count": 0,
        "total_sold": 0,
        "fixed_cost_shipping_price": ZERO,
        "is_free_shipping": False,
        "is_visible": True,
        "is_featured": False,
        "related_products": [-1],
        "warranty": "",
        "bin_picking_number": "",
        "layout_file": "product.html",
        "upc": "",
        "mpn": "",
        "gtin": "",
        "search_keywords": "",
        "availability": "available",
        "availability_description": "",
        "gift_wrapping_options_type": "any",
        "gift_wrapping_options_list": [],
        "sort_order": 0,
        "condition": "New",
        "is_condition_shown": False,
        "order_quantity_minimum": 0,
        "order_quantity_maximum": 0,
        "page_title": "",
        "meta_keywords": [],
        "meta_description": "",
        "view_count": 0,
        "preorder_release_date": None,
        "preorder_message": "",
        "is_preorder_only": False,
        "is_price_hidden": False,
        "price_hidden_label": "",
        "custom_url": {"url": "/", "is_customized": False},
        "base_variant_id": 0,
        "open_graph_type": "product",
        "open_graph_title": "",
        "open_graph_description": "",
        "open_graph_use_meta_description": True,
        "open_graph_use_product_name": True,
        "open_graph_use_image": True,
        "_channels": [1],
    }


def variant_defaults() -> Record:
    return {
        "product_id": 0,
        "sku": "",
        "sku_id": None,
        "price": None,
        "calculated_price": ZERO,
        "sale_price": None,
        "retail_price": None,
        "map_price": None,
        "weight": None,
        "calculated_weight": ZERO,
        "width": None,
        "height": None,
        "depth": None,
        "is_free_shipping": False,
        "fixed_cost_shipping_price": None,
        "purchasing_disabled": False,
        "purchasing_disabled_message": "",
        "image_url": "",
        "cost_price": None,
        "upc": "",
        "mpn": "",
        "gtin": "",
        "inventory_level": 0,
        "inventory_warning_level": 0,
        "bin_picking_number": "",
        "option_values": [],
    }


def calculated_price(price: Decimal | None, sale_price: Decimal | None) -> Decimal:
    p = price or ZERO
    if sale_price is not None and ZERO < sale_price < p:
        return sale_price
    return p


def refresh_variant(variant: Record, product: Record) -> None:
    """Derived variant fields: the price and weight a shopper sees."""
    price = variant.get("price")
    sale = variant.get("sale_price")
    if price is None:
        price, sale = product.get("price"), product.get("sale_price")
    variant["calculated_price"] = calculated_price(price, sale)
    weight = variant.get("weight")
    variant["calculated_weight"] = weight if weight is not None else product.get("weight", ZERO)


def image_urls(store_hash: str, product_id: int, image_id: int, file_slug: str) -> Record:
    path = f"products/{product_id}/images/{image_id}/{file_slug}.jpg"
    base = f"{CDN}/s-{store_hash}"
    return {
        "image_url": f"{base}/product_images/{file_slug}.jpg",
        "url_zoom": f"{base}/images/stencil/1280x1280/{path}",
        "url_standard": f"{base}/images/stencil/500x659/{path}",
        "url_thumbnail": f"{base}/images/stencil/100x100/{path}",
        "url_tiny": f"{base}/images/stencil/44x44/{path}",
    }
