"""The seeded catalog: the same seed gives the same store, relations hold, SKUs are unique,
and the large size generates and serves fast."""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator import catalog as catalog_gen
from bigcommerce_emulator.quota import Quota
from bigcommerce_emulator.routes.catalog_product_view import list_products, render_product
from bigcommerce_emulator.store import Store
from tests.emulator_process import Emulator, running_emulator

PAGE = {"include": "variants,images,custom_fields,bulk_pricing_rules", "limit": "250"}


def _catalog(seed: int, products: int, variants: int = 3) -> Store:
    store = Store(store_hash="gen", seed=seed, quota=Quota(0, 1000))
    sizes = Sizes(products, 1, 1, variants_per_product=variants)
    catalog_gen.generate(store, random.Random(f"{seed}:catalog"), sizes)  # noqa: S311
    return store


def _pages(emu: Emulator) -> list[Any]:
    paths = ["/v3/catalog/products", "/v3/catalog/categories", "/v3/catalog/brands"]
    return [emu.api("GET", p, params=PAGE if "products" in p else {}).json() for p in paths]


def test_same_seed_same_catalog_over_http(shared_emulator: Emulator) -> None:
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as twin:
        assert _pages(twin) == _pages(shared_emulator)
    with running_emulator("--size", "small", "--seed", "8", "--quota", "0") as other:
        assert _pages(other)[0]["data"] != _pages(shared_emulator)[0]["data"]


def test_relations_and_uniqueness() -> None:
    store = _catalog(4, 300, variants=4)
    products = list(store.collections["products"])
    variants = list(store.collections["product_variants"])
    categories = store.collections["categories"]
    brands = store.collections["brands"]
    assert len(variants) == 4 * len(products)
    skus = [p["sku"] for p in products] + [v["sku"] for v in variants if v["option_values"]]
    assert len(skus) == len(set(skus))
    assert len({p["name"] for p in products}) == len(products)
    per_product = Counter(v["product_id"] for v in variants)
    for p in products:
        assert all(categories.get(c) is not None for c in p["categories"])
        assert p["brand_id"] == 0 or brands.get(p["brand_id"]) is not None
        assert p["date_created"] <= p["date_modified"]
        assert per_product[p["id"]] == 4
        mine = store.collections["product_variants"].where("product_id", p["id"])
        assert p["inventory_level"] == sum(v["inventory_level"] for v in mine)
        assert p["price"].as_tuple().exponent == -2, "prices are money with cents"
    options = {o["id"]: o for o in store.collections["product_options"]}
    for v in variants:
        for ov in v["option_values"]:
            opt = options[ov["option_id"]]
            assert opt["product_id"] == v["product_id"]
            assert ov["id"] in {x["id"] for x in opt["option_values"]}
    value_ids = [x["id"] for o in options.values() for x in o["option_values"]]
    value_ids += [
        x["id"] for m in store.collections["product_modifiers"] for x in m["option_values"]
    ]
    assert len(value_ids) == len(set(value_ids))
    for name in ("product_images", "product_custom_fields", "product_bulk_pricing_rules"):
        assert len(store.collections[name]) > 0, name


def test_one_variant_per_product_is_the_base_variant() -> None:
    store = _catalog(2, 20, variants=1)
    for p in store.collections["products"]:
        (v,) = store.collections["product_variants"].where("product_id", p["id"])
        assert v["sku"] == p["sku"] and v["option_values"] == []
        assert p["base_variant_id"] == v["id"] and p["inventory_tracking"] == "product"


def test_large_catalog_generates_and_pages_fast() -> None:
    started = time.perf_counter()
    store = _catalog(1, 10_000)
    generated = time.perf_counter() - started
    assert len(store.collections["product_variants"]) == 30_000
    # Generous bounds: the suite runs on two shared cores beside other tests.
    assert generated < 15, f"generating 10,000 products took {generated:.1f}s"
    query = {"include": "variants,images,custom_fields", "date_modified:min": "2025-01-01"}
    started = time.perf_counter()
    rows = list_products(store, {**query, "sort": "date_modified"})
    page = [
        render_product(store, p, ["variants", "images", "custom_fields"], {}) for p in rows[:250]
    ]
    served = time.perf_counter() - started
    assert len(page) == 250 and all(len(p["variants"]) == 3 for p in page)
    assert served < 1.5, f"a page of 250 products with includes took {served:.2f}s"
