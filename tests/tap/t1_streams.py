"""The streams T1 owns, and the minimum requests a full sync of the small store needs."""

from __future__ import annotations

PARENTS = [
    "products",
    "categories",
    "category_trees",
    "brands",
    "customers",
    "customer_groups",
    "customer_attributes",
    "customer_attribute_values",
    "subscribers",
    "orders",
    "refunds",
    "order_statuses",
]
INCLUDED_CHILDREN = [
    "product_variants",
    "product_images",
    "product_custom_fields",
    "product_bulk_pricing_rules",
    "customer_addresses",
    "order_products",
    "order_shipping_addresses",
    "order_fees",
]
PER_PARENT_CHILDREN = {
    # stream: (parent collection, request path suffix)
    "product_options": ("products", "/options"),
    "product_modifiers": ("products", "/modifiers"),
    "order_coupons": ("orders", "/coupons"),
    "order_shipments": ("orders", "/shipments"),
    "order_taxes": ("orders", "/taxes"),
    "order_messages": ("orders", "/messages"),
    "order_transactions": ("orders", "/transactions"),
}
ALL = PARENTS + INCLUDED_CHILDREN + list(PER_PARENT_CHILDREN)
