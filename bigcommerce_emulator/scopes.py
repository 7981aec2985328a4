"""Store-level API account scopes (OAuth scope names) and how tokens satisfy them."""

from __future__ import annotations

ALL_SCOPES: tuple[str, ...] = (
    "store_v2_products",
    "store_v2_customers",
    "store_v2_customers_login",
    "store_v2_orders",
    "store_v2_transactions",
    "store_v2_marketing",
    "store_v2_content",
    "store_v2_information",
    "store_v2_default",
    "store_channel_settings",
    "store_channel_listings",
    "store_sites",
    "store_inventory",
    "store_themes_manage",
    "store_cart",
    "store_checkout",
    "store_payments_methods_read",
    "store_storefront_api",
)


def all_scopes() -> frozenset[str]:
    return frozenset(ALL_SCOPES)


def allows(token_scopes: frozenset[str], required: str, method: str) -> bool:
    """Modify scope allows everything; ``<scope>_read_only`` allows reads only."""
    if required in token_scopes:
        return True
    return method in ("GET", "HEAD") and f"{required}_read_only" in token_scopes
