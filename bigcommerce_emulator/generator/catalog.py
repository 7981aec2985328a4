"""Seeded data for the catalog area: brands, a category tree of depth three, and products.

Products and their children are built in ``catalog_products``; this module lays out the
taxonomy they point at and registers the control API's factories.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.catalog_model import COLLECTIONS, collection, slug
from bigcommerce_emulator.generator.catalog_words import (
    BRAND_PARTS_A,
    BRAND_PARTS_B,
    DEPARTMENTS,
    LEAF_WORDS,
)
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.store import Record, Store


@dataclass
class Taxonomy:
    """What the product generator needs to know about the categories and brands."""

    brand_ids: list[int] = field(default_factory=list)
    # Per department index: (department id, [(subcategory id, [leaf ids])]).
    departments: list[tuple[int, list[tuple[int, list[int]]]]] = field(default_factory=list)


def category_record(
    category_id: int, parent_id: int, name: str, url: str, sort_order: int, rng: random.Random
) -> Record:
    return {
        "id": category_id,
        "parent_id": parent_id,
        "name": name,
        "description": f"<p>Shop our {name.lower()} range.</p>",
        "views": rng.randint(0, 25_000),
        "sort_order": sort_order,
        "page_title": "",
        "meta_keywords": [],
        "meta_description": "",
        "layout_file": "category.html",
        "image_url": "",
        "is_visible": rng.random() > 0.05,
        "search_keywords": "",
        "default_product_sort": "use_store_settings",
        "custom_url": {"url": url, "is_customized": False},
        "_tree_id": 1,
    }


def brand_record(brand_id: int, name: str) -> Record:
    return {
        "id": brand_id,
        "name": name,
        "page_title": name,
        "meta_keywords": [],
        "meta_description": "",
        "search_keywords": name.lower(),
        "image_url": "",
        "custom_url": {"url": f"/brands/{slug(name)}/", "is_customized": False},
    }


def _brands(rng: random.Random, count: int) -> list[Record]:
    names = [f"{a} {b}" for a in BRAND_PARTS_A for b in BRAND_PARTS_B]
    rng.shuffle(names)
    return [brand_record(i + 1, n) for i, n in enumerate(names[:count])]


def _categories(rng: random.Random, departments: int) -> tuple[list[Record], Taxonomy]:
    records: list[Record] = []
    tax = Taxonomy()
    next_id = 18  # real stores start their own categories after the sample ones

    def add(parent: int, name: str, url: str, order: int) -> int:
        nonlocal next_id
        next_id += 1
        records.append(category_record(next_id, parent, name, url, order, rng))
        return next_id

    for d, (dept, subs, *_rest) in enumerate(DEPARTMENTS[:departments]):
        dept_url = f"/{slug(dept)}/"
        dept_id = add(0, dept, dept_url, d)
        sub_list: list[tuple[int, list[int]]] = []
        for s, sub in enumerate(subs):
            sub_url = f"{dept_url}{slug(sub)}/"
            sub_id = add(dept_id, sub, sub_url, s)
            leaves = [
                add(sub_id, leaf, f"{sub_url}{slug(leaf)}/", k)
                for k, leaf in enumerate(rng.sample(LEAF_WORDS, rng.randint(0, 2)))
            ]
            sub_list.append((sub_id, leaves))
        tax.departments.append((dept_id, sub_list))
    return records, tax


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    from bigcommerce_emulator.generator.catalog_products import generate_products

    for name in COLLECTIONS:
        collection(store, name)  # created up front, with their indexes, even when empty
    brands = _brands(rng, max(3, min(300, sizes.products // 25)))
    collection(store, "brands").bulk_load(brands)
    categories, tax = _categories(rng, max(2, min(len(DEPARTMENTS), 2 + sizes.products // 10)))
    collection(store, "categories").bulk_load(categories)
    collection(store, "category_trees").bulk_load([{"id": 1, "name": "Default", "channels": [1]}])
    tax.brand_ids = [b["id"] for b in brands]
    generate_products(store, rng, sizes, tax)


def _make_brand(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    col = collection(store, "brands")
    taken = {b["name"] for b in col}
    name = fields.get("name") or next(
        n for n in (f"{a} {b}" for a in BRAND_PARTS_A for b in BRAND_PARTS_B) if n not in taken
    )
    rec = brand_record(col.next_id, str(name))
    rec.update(fields)
    return col.insert(rec, stamp=False)


def _make_category(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    col = collection(store, "categories")
    parent = int(fields.get("parent_id", 0))
    name = str(fields.get("name") or f"{rng.choice(LEAF_WORDS)} {col.next_id}")
    rec = category_record(col.next_id, parent, name, f"/{slug(name)}-{col.next_id}/", 0, rng)
    rec.update(fields)
    return col.insert(rec, stamp=False)


register_factory("brands", _make_brand)
register_factory("categories", _make_category)
