"""Seeded sales channels, the sites of the storefront channels, and their routes."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.store_info import random_date
from bigcommerce_emulator.store import Record, Store

# name, type, platform, status
CHANNELS: tuple[tuple[str, str, str, str], ...] = (
    ("Default Storefront", "storefront", "bigcommerce", "active"),
    ("Amazon US", "marketplace", "amazon", "connected"),
    ("Facebook Shop", "marketing", "facebook", "active"),
    ("Square POS", "pos", "square", "inactive"),
    ("Wholesale Storefront", "storefront", "bigcommerce", "prelaunch"),
    ("eBay", "marketplace", "ebay", "disconnected"),
)
FIRST_SITE_ID = 1000
ROUTE_TYPES: tuple[tuple[str, str], ...] = (
    ("product", "/{slug}/"),
    ("brand", "/brands/{slug}/"),
    ("category", "/{slug}/"),
    ("page", "/{slug}/"),
    ("blog", "/blog/{slug}/"),
    ("home", "/"),
    ("cart", "/cart.php"),
    ("checkout", "/checkout"),
    ("search", "/search.php"),
    ("account", "/account.php"),
    ("login", "/login.php"),
)


def collections(store: Store) -> None:
    store.collection("channels", index_on=("name",))
    store.collection("sites", index_on=("channel_id",))
    store.collection("site_routes", index_on=("site_id",))


def new_channel(rng: random.Random, cid: int, spec: tuple[str, str, str, str]) -> Record:
    name, ctype, platform, status = spec
    created = random_date(rng)
    return {
        "id": cid,
        "external_id": ""
        if platform == "bigcommerce"
        else f"{platform}-{rng.randint(10**5, 10**6)}",
        "is_listable_from_ui": ctype != "storefront",
        "is_enabled": status in ("active", "connected", "prelaunch"),
        "is_visible": status != "archived",
        "status": status,
        "name": name,
        "type": ctype,
        "platform": platform,
        "date_created": created,
        "date_modified": random_date(rng, created),
        "icon_url": f"https://s3.amazonaws.com/bc-channel-icons/{platform}.svg",
    }


def new_site(sid: int, channel: Record, created: datetime, url: str) -> Record:
    return {
        "id": sid,
        "url": url,
        "channel_id": channel["id"],
        "created_at": created,
        "updated_at": created,
        "ssl_status": "shared",
        "urls": [
            {"url": url, "type": "primary", "created_at": created, "updated_at": created},
            {
                "url": url.replace("https://", "https://checkout."),
                "type": "checkout",
                "created_at": created,
                "updated_at": created,
            },
        ],
        "is_checkout_url_customized": False,
    }


def site_routes(site_id: int, first_id: int) -> list[Record]:
    return [
        {"id": first_id + i, "site_id": site_id, "type": t, "matching": "*", "route": r}
        for i, (t, r) in enumerate(ROUTE_TYPES)
    ]


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    count = 3 if sizes.products < 100 else len(CHANNELS)
    channels = [new_channel(rng, i + 1, CHANNELS[i]) for i in range(count)]
    sites: list[Record] = []
    routes: list[Record] = []
    for ch in channels:
        if ch["type"] != "storefront":
            continue
        sid = FIRST_SITE_ID + len(sites)
        slug = ch["name"].lower().replace(" ", "-")
        sites.append(new_site(sid, ch, ch["date_created"], f"https://{slug}.example.com"))
        routes.extend(site_routes(sid, len(routes) + 1))
    # The default storefront always has a site (generate keeps it first).
    store.collection("channels").bulk_load(channels)
    store.collection("sites").bulk_load(sites)
    store.collection("site_routes").bulk_load(routes)


def make_channel(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    collections(store)
    col = store.collection("channels")
    spec = (f"Channel {col.next_id}", "marketplace", "custom", "active")
    rec = new_channel(rng, col.next_id, spec)
    rec.update(fields)
    return col.insert(rec)


register_factory("channels", make_channel)


LISTED_TYPES = ("marketplace", "marketing", "pos")
LISTING_STATES = ("active", "active", "active", "pending", "disabled", "error")


def ensure_listings(store: Store, channel: Record) -> None:
    """Seed a selling channel's product listings the first time they are asked for.

    Channels are generated before the catalog, so listings are made on first use, from
    the store's seed and the channel id alone (the same store lists the same products).
    """
    if channel.get("_listings_seeded"):
        return
    channel["_listings_seeded"] = True
    if channel.get("type") not in LISTED_TYPES:
        return
    rng = random.Random(f"{store.seed}:listings:{channel['id']}")  # noqa: S311
    col = store.collection("channel_listings", index_on=("channel_id",))
    variants = store.collection("product_variants")
    rows: list[Record] = []
    for product in store.collection("products"):
        if rng.random() >= 0.4:
            continue
        created = max(random_date(rng), channel["date_created"])
        modified = random_date(rng, created)
        state = rng.choice(LISTING_STATES)
        rows.append(
            {
                "id": col.next_id + len(rows),
                "channel_id": channel["id"],
                "external_id": f"{channel['platform']}-{rng.randint(10**6, 10**7)}",
                "product_id": product["id"],
                "state": state,
                "name": product.get("name", f"Product {product['id']}"),
                "date_created": created,
                "date_modified": modified,
                "variants": [
                    {
                        "channel_id": channel["id"],
                        "product_id": product["id"],
                        "variant_id": v["id"],
                        "external_id": f"{channel['platform']}-v{v['id']}",
                        "state": state,
                        "name": v.get("sku") or product.get("name", ""),
                        "date_created": created,
                        "date_modified": modified,
                    }
                    for v in variants.where("product_id", product["id"])
                ],
            }
        )
    for row in rows:
        col.insert(row, stamp=False)
