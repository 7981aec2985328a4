"""Seeded store profile (``/v2/store``) and the store's currencies."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.store import Record, Store

EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_S = int((datetime(2026, 11, 1, tzinfo=UTC) - EPOCH).total_seconds())

# code, name, symbol, rate against USD, token location, country
CURRENCIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("USD", "US Dollar", "$", "1.0000000000", "left", "US"),
    ("EUR", "Euro", "€", "0.9210000000", "left", "DE"),
    ("GBP", "British Pound", "£", "0.7890000000", "left", "GB"),
    ("CAD", "Canadian Dollar", "$", "1.3640000000", "left", "CA"),
    ("AUD", "Australian Dollar", "$", "1.5120000000", "left", "AU"),
)


def random_date(rng: random.Random, after: datetime | None = None) -> datetime:
    """A whole-second UTC time between 2023-01-01 and 2026-11-01 (after ``after`` if given)."""
    lo = int((after - EPOCH).total_seconds()) if after else 0
    return EPOCH + timedelta(seconds=rng.randint(min(lo, SPAN_S), SPAN_S))


def currency_count(sizes: Sizes) -> int:
    return 3 if sizes.products < 100 else len(CURRENCIES)


def new_currency(rng: random.Random, cid: int, spec: tuple[str, ...], default: bool) -> Record:
    code, name, symbol, rate, location, country = spec
    return {
        "id": cid,
        "is_default": default,
        "country_iso2": country,
        "default_for_country_codes": [country],
        "currency_code": code,
        "currency_exchange_rate": rate,
        "auto_update": not default and rng.random() < 0.5,
        "token_location": location,
        "token": symbol,
        "decimal_token": ".",
        "thousands_token": ",",
        "decimal_places": 2,
        "name": name,
        "enabled": True,
        "is_transactional": True,
        "use_default_name": True,
        "last_updated": random_date(rng),
    }


def store_profile(store: Store, rng: random.Random) -> Record:
    name = rng.choice(["Northwind Outfitters", "Cedar & Pine Goods", "Blue Harbor Supply"])
    domain = name.lower().replace(" & ", "-").replace(" ", "-") + ".example.com"
    return {
        "id": 1,
        "account_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "domain": domain,
        "secure_url": f"https://{domain}",
        "control_panel_base_url": f"https://store-{store.store_hash}.mybigcommerce.com",
        "status": "live",
        "name": name,
        "first_name": rng.choice(["Ana", "Ben", "Chloe", "Dev"]),
        "last_name": rng.choice(["Ortiz", "Nguyen", "Smith", "Kowalski"]),
        "address": "12 Market Street\nAustin, TX 78701\nUnited States",
        "country": "United States",
        "country_code": "US",
        "infrastructure_region": "us-central1",
        "phone": "512-555-0100",
        "admin_email": f"admin@{domain}",
        "order_email": f"orders@{domain}",
        "favicon_url": f"https://cdn11.bigcommerce.com/s-{store.store_hash}/product_images/favicon.ico",
        "timezone": {
            "name": "America/Chicago",
            "raw_offset": -21600,
            "dst_offset": -18000,
            "dst_correction": True,
            "date_format": {
                "display": "M jS Y",
                "export": "M jS Y",
                "extended_display": "M jS Y @ g:i A",
            },
        },
        "language": "en",
        "currency": "USD",
        "currency_symbol": "$",
        "decimal_separator": ".",
        "thousands_separator": ",",
        "decimal_places": 2,
        "currency_symbol_location": "left",
        "weight_units": "LBS",
        "dimension_units": "Inches",
        "dimension_decimal_places": 2,
        "dimension_decimal_token": ".",
        "dimension_thousands_token": ",",
        "plan_name": "Standard",
        "plan_level": "Standard",
        "plan_is_trial": False,
        "industry": "Apparel & Accessories",
        "logo": {"url": f"https://cdn11.bigcommerce.com/s-{store.store_hash}/images/logo.png"},
        "is_price_entered_with_tax": False,
        "store_id": rng.randint(1_000_000, 9_999_999),
        "default_channel_id": 1,
        "default_site_id": 1000,
        "active_comparison_modules": [],
        "features": {
            "stencil_enabled": True,
            "sitewidehttps_enabled": True,
            "facebook_catalog_id": "",
            "checkout_type": "optimized",
            "wishlists_enabled": True,
            "graphql_storefront_api_enabled": True,
            "shopper_consent_tracking_enabled": False,
            "multi_storefront_enabled": True,
            "storefront_limits": {"active": 5, "total_including_inactive": 10},
        },
    }


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    store.collection("store_info").bulk_load([store_profile(store, rng)])
    currencies = [
        new_currency(rng, i + 1, spec, i == 0)
        for i, spec in enumerate(CURRENCIES[: currency_count(sizes)])
    ]
    store.collection("currencies", index_on=("currency_code",)).bulk_load(currencies)


def make_currency(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    col = store.collection("currencies", index_on=("currency_code",))
    used = {c["currency_code"] for c in col}
    spare = [c for c in CURRENCIES if c[0] not in used] or [
        ("NZD", "New Zealand Dollar", "$", "1.6500000000", "left", "NZ")
    ]
    rec = new_currency(rng, col.next_id, spare[0], False)
    rec.update(fields)
    if "currency_exchange_rate" in rec:
        rec["currency_exchange_rate"] = str(Decimal(str(rec["currency_exchange_rate"])))
    return col.insert(rec, stamp=False)


register_factory("currencies", make_currency)
