"""Seeded web pages, blog posts and storefront redirects."""

from __future__ import annotations

import random
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.store_info import random_date
from bigcommerce_emulator.store import Record, Store

PAGE_NAMES = (
    "About Us",
    "Shipping & Returns",
    "Contact Us",
    "Privacy Policy",
    "Size Guide",
    "FAQ",
    "Careers",
    "Store Locator",
)
TOPICS = ("Care guide", "New arrivals", "Behind the scenes", "Gift ideas", "Style notes")
TAGS = ("news", "guides", "sale", "style", "community")


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def collections(store: Store) -> None:
    store.collection("pages", index_on=("channel_id",))
    store.collection("blog_posts", index_on=("url",))
    store.collection("redirects", index_on=("site_id",))


def new_page(rng: random.Random, pid: int, name: str, channel_id: int) -> Record:
    ptype = "contact_form" if name == "Contact Us" else rng.choice(("page", "page", "raw"))
    rec: Record = {
        "id": pid,
        "channel_id": channel_id,
        "name": name,
        "is_visible": rng.random() < 0.9,
        "parent_id": 0,
        "sort_order": pid,
        "type": ptype,
        "is_homepage": False,
        "is_customers_only": False,
        "url": f"/{slug(name)}/",
        "meta_title": name,
        "meta_keywords": None,
        "meta_description": f"{name} at our store",
        "search_keywords": None,
        "body": f"<h1>{name}</h1><p>Everything you need to know.</p>",
    }
    if ptype == "contact_form":
        rec["email"] = "support@example.com"
        rec["contact_fields"] = "fullname,phone,companyname,orderno,rma"
    return rec


def new_blog_post(rng: random.Random, bid: int) -> Record:
    title = f"{rng.choice(TOPICS)} #{bid}"
    published = random_date(rng)
    return {
        "id": bid,
        "title": title,
        "url": f"/blog/{slug(title)}/",
        "preview_url": f"/blog/{slug(title)}/",
        "body": f"<p>{title}: notes from the team.</p>",
        "tags": sorted(rng.sample(TAGS, rng.randint(0, 2))),
        "summary": f"<p>{title}</p>",
        "is_published": rng.random() < 0.8,
        "published_date": published,
        "meta_description": None,
        "meta_keywords": None,
        "author": rng.choice(("Store team", "Ana Ortiz", "Ben Smith")),
        "thumbnail_path": None,
    }


def new_redirect(
    rng: random.Random, rid: int, site_id: int, entities: dict[str, list[int]]
) -> Record:
    kind = rng.choice(("product", "category", "brand", "page", "url"))
    ids = entities.get(kind) or []
    if kind != "url" and not ids:
        kind = "url"
    to: dict[str, Any] = (
        {"type": "url", "url": f"https://example.com/landing-{rid}"}
        if kind == "url"
        else {"type": kind, "entity_id": rng.choice(ids)}
    )
    return {"id": rid, "site_id": site_id, "from_path": f"/old-path-{rid}/", "to": to}


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    channel = next(iter(store.collection("channels")), None)
    channel_id = channel["id"] if channel else 1
    pages = [new_page(rng, i + 1, name, channel_id) for i, name in enumerate(PAGE_NAMES)]
    n_posts = max(5, min(sizes.products // 4, 300))
    posts = [new_blog_post(rng, i + 1) for i in range(n_posts)]
    site = next(iter(store.collection("sites")), None)
    site_id = site["id"] if site else 1000
    entities = {
        "product": [p["id"] for p in store.collection("products")][:200],
        "category": [c["id"] for c in store.collection("categories")][:200],
        "brand": [b["id"] for b in store.collection("brands")][:200],
        "page": [p["id"] for p in pages],
    }
    redirects = [new_redirect(rng, i + 1, site_id, entities) for i in range(max(5, n_posts // 2))]
    store.collection("pages").bulk_load(pages)
    store.collection("blog_posts").bulk_load(posts)
    store.collection("redirects").bulk_load(redirects)


def make_page(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    collections(store)
    col = store.collection("pages")
    rec = new_page(rng, col.next_id, f"Page {col.next_id}", 1)
    rec.update(fields)
    return col.insert(rec, stamp=False)


def make_blog_post(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    collections(store)
    col = store.collection("blog_posts")
    rec = new_blog_post(rng, col.next_id)
    rec.update(fields)
    return col.insert(rec, stamp=False)


register_factory("pages", make_page)
register_factory("blog_posts", make_blog_post)
