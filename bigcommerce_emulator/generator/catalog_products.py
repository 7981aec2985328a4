"""Seeded products with their variants, options, images, custom fields, modifiers,
bulk pricing rules, videos and reviews.

Built as plain lists and bulk-loaded, so the large size (10,000 products with three
variants each) generates in a couple of seconds. Variants are the combinations of the
product's option values, each with its own SKU; a product without options has one base
variant carrying the product's SKU, as BigCommerce does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.catalog import Taxonomy
from bigcommerce_emulator.generator.catalog_model import (
    ZERO,
    calculated_price,
    collection,
    image_urls,
    name_key,
    product_defaults,
    refresh_variant,
    slug,
    variant_defaults,
)
from bigcommerce_emulator.generator.catalog_words import (
    ADJECTIVES,
    COLORS,
    CUSTOM_FIELDS,
    DEPARTMENTS,
    MATERIALS,
    MODIFIERS,
    REVIEW_TITLES,
    SIZES,
)
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.store import Record, Store, now

EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN_S = int((END - EPOCH).total_seconds())
CENT = Decimal("0.01")
VIDEO_ID_CHARS = "abcdefghijkLMNOPQRST0123456789_-"


def _money(rng: random.Random, lo: float, hi: float) -> Decimal:
    # Prices end in .99, .95, .50 or .00 as shop prices do.
    whole = int(lo + (hi - lo) * rng.random() ** 2)
    return Decimal(f"{whole}.{rng.choice(('99', '95', '50', '00'))}")


class _Ids:
    """Id counters per collection, continuing after whatever the store already holds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.next: dict[str, int] = {}

    def take(self, name: str) -> int:
        n = self.next.get(name) or self._first(name)
        self.next[name] = n + 1
        return n

    def _first(self, name: str) -> int:
        if name != VALUE_IDS:
            return int(collection(self.store, name).next_id)
        return next_value_id(self.store)


VALUE_IDS = "option_values"


def next_value_id(store: Store) -> int:
    """Option and modifier values share one id space, as in BigCommerce."""
    top = 0
    for name in ("product_options", "product_modifiers"):
        for rec in collection(store, name):
            for v in rec.get("option_values", []):
                top = max(top, int(v["id"]))
    return top + 1


class _Batch:
    """Records of one generation run, per collection, loaded at the end."""

    def __init__(self) -> None:
        self.records: dict[str, list[Record]] = {}

    def add(self, name: str, rec: Record) -> Record:
        self.records.setdefault(name, []).append(rec)
        return rec

    def load(self, store: Store) -> None:
        for name, recs in self.records.items():
            col = collection(store, name)
            if len(col):
                for r in recs:
                    col.insert(r, stamp=False)
            else:
                col.bulk_load(recs)


def _option_plan(dept: str, n: int) -> list[tuple[str, str, list[tuple[str, str, str | None]]]]:
    """Options (display name, type, [(label, sku code, swatch colour)]) giving n variants."""
    if n <= 1:
        return []
    Plan = tuple[str, str, list[tuple[str, str, str | None]]]
    size: Plan = ("Size", "rectangles", [(label, code, None) for label, code in SIZES])
    color: Plan = ("Color", "swatch", [(label, code, hex_) for label, code, hex_ in COLORS])
    first, second = (size, color) if dept == "Apparel" else (color, size)
    if n <= len(first[2]):
        return [(first[0], first[1], first[2][:n])]
    a = min(len(first[2]), max(2, math.isqrt(n)))
    b = math.ceil(n / a)
    return [(first[0], first[1], first[2][:a]), (second[0], second[1], second[2][:b])]


def build_product(
    store: Store,
    rng: random.Random,
    ids: _Ids,
    batch: _Batch,
    tax: Taxonomy,
    variants_per_product: int,
    overrides: dict[str, Any] | None = None,
) -> Record:
    pid = ids.take("products")
    d = rng.randrange(len(tax.departments))
    dept, _subs, nouns, p_lo, p_hi, w_lo, w_hi = DEPARTMENTS[d % len(DEPARTMENTS)]
    noun, prefix = rng.choice(nouns)
    dept_id, subs = tax.departments[d]
    sub_id, leaves = rng.choice(subs)
    cats = [rng.choice(leaves)] if leaves and rng.random() < 0.5 else [sub_id]
    if rng.random() < 0.3:
        cats.append(dept_id)
    name = f"{rng.choice(ADJECTIVES)} {rng.choice(MATERIALS)} {noun} {100 + pid}"
    sku = f"{prefix}-{pid:05d}"
    created = EPOCH + timedelta(seconds=rng.randrange(SPAN_S - 86_400 * 30))
    modified = created + timedelta(seconds=rng.randrange(int((END - created).total_seconds())))
    price = _money(rng, p_lo, p_hi)
    sale = (price * Decimal("0.8")).quantize(CENT) if rng.random() < 0.15 else ZERO
    weight = Decimal(str(round(rng.uniform(w_lo, w_hi), 2)))
    product = {"id": pid, **product_defaults()}
    product.update(
        name=name,
        sku=sku,
        description=f"<p>{name}: a {noun.lower()} from our {dept.lower()} range.</p>",
        type="digital" if rng.random() < 0.03 else "physical",
        weight=weight,
        width=Decimal(rng.randint(2, 80)),
        height=Decimal(rng.randint(2, 80)),
        depth=Decimal(rng.randint(1, 40)),
        price=price,
        cost_price=(price * Decimal(str(round(rng.uniform(0.35, 0.7), 2)))).quantize(CENT),
        retail_price=(price * Decimal("1.2")).quantize(CENT) if rng.random() < 0.3 else ZERO,
        sale_price=sale,
        calculated_price=calculated_price(price, sale),
        categories=cats,
        brand_id=rng.choice(tax.brand_ids) if tax.brand_ids and rng.random() < 0.85 else 0,
        inventory_warning_level=rng.choice((0, 5, 10)),
        total_sold=rng.randint(0, 900),
        is_free_shipping=rng.random() < 0.1,
        is_visible=rng.random() > 0.08,
        is_featured=rng.random() < 0.1,
        upc=f"{rng.randrange(10**11, 10**12)}" if rng.random() < 0.5 else "",
        mpn=f"MPN-{pid:06d}" if rng.random() < 0.4 else "",
        search_keywords=f"{noun.lower()}, {dept.lower()}",
        condition=rng.choices(("New", "Used", "Refurbished"), (0.9, 0.05, 0.05))[0],
        sort_order=rng.randint(0, 10),
        page_title=name,
        custom_url={"url": f"/{slug(name)}/", "is_customized": False},
        view_count=rng.randint(0, 50_000),
        date_created=created,
        date_modified=modified,
    )
    if rng.random() < 0.1:
        product["date_last_imported"] = created + (modified - created) / 2
    if overrides:
        product.update(overrides)
    product["_name_key"] = name_key(product["name"])
    _variants(store, rng, ids, batch, product, dept, variants_per_product)
    _children(store, rng, ids, batch, product, noun)
    return batch.add("products", product)


def _variants(
    store: Store, rng: random.Random, ids: _Ids, batch: _Batch, product: Record, dept: str, n: int
) -> None:
    pid = product["id"]
    plan = _option_plan(dept, n)
    options = []
    for order, (display, kind, values) in enumerate(plan):
        oid = ids.take("product_options")
        vals = []
        for k, (label, code, hex_) in enumerate(values):
            vals.append(
                {
                    "id": ids.take(VALUE_IDS),
                    "label": label,
                    "sort_order": k,
                    "value_data": {"colors": [f"#{hex_}"]} if hex_ else None,
                    "is_default": False,
                    "_code": code,
                }
            )
        opt = {
            "id": oid,
            "product_id": pid,
            "name": f"{display}{oid}",
            "display_name": display,
            "type": kind,
            "sort_order": order,
            "config": {},
            "option_values": vals,
        }
        options.append(batch.add("product_options", opt))
    combos: list[list[tuple[Record, Record]]] = [[]]
    for opt in options:
        combos = [c + [(opt, v)] for c in combos for v in opt["option_values"]]
    combos = combos[: max(1, n)]
    total = 0
    first_id = 0
    for combo in combos:
        vid = ids.take("product_variants")
        first_id = first_id or vid
        code = "-".join(v["_code"] for _, v in combo)
        level = rng.choice((0, rng.randint(1, 40), rng.randint(40, 400)))
        total += level
        v = {"id": vid, **variant_defaults()}
        bump = Decimal(rng.choice((0, 0, 0, 2, 5)))
        v.update(
            id=vid,
            product_id=pid,
            sku=f"{product['sku']}-{code}" if code else product["sku"],
            sku_id=vid + 1000,
            price=product["price"] + bump,
            sale_price=ZERO,
            retail_price=product["retail_price"],
            map_price=ZERO,
            weight=product["weight"],
            width=product["width"],
            height=product["height"],
            depth=product["depth"],
            fixed_cost_shipping_price=ZERO,
            cost_price=product["cost_price"],
            upc="",
            inventory_level=level,
            inventory_warning_level=product["inventory_warning_level"],
            option_values=[
                {
                    "id": val["id"],
                    "label": val["label"],
                    "option_id": opt["id"],
                    "option_display_name": opt["display_name"],
                }
                for opt, val in combo
            ],
        )
        refresh_variant(v, product)
        batch.add("product_variants", v)
    product["base_variant_id"] = first_id
    product["inventory_level"] = total
    product["inventory_tracking"] = "variant" if options else "product"


def _children(
    store: Store, rng: random.Random, ids: _Ids, batch: _Batch, product: Record, noun: str
) -> None:
    pid = product["id"]
    # The first products of a store show every kind of child, so that each sub-resource
    # endpoint has records to serve even in the smallest store.
    rich = pid <= 3
    created, modified = product["date_created"], product["date_modified"]
    span = max(1, int((modified - created).total_seconds()))
    for k in range(max(rich, rng.choice((0, 1, 1, 2, 2, 3, 4)))):
        iid = ids.take("product_images")
        img = {
            "id": iid,
            "product_id": pid,
            "is_thumbnail": k == 0,
            "sort_order": k,
            "description": f"{product['name']} view {k + 1}",
            **image_urls(store.store_hash, pid, iid, f"{slug(noun)}-{pid}-{k + 1}__{iid}"),
            "date_modified": created + timedelta(seconds=rng.randrange(span)),
        }
        batch.add("product_images", img)
    for fname, choices in rng.sample(CUSTOM_FIELDS, max(rich, rng.choice((0, 1, 2, 2, 3)))):
        cf = {"id": ids.take("product_custom_fields"), "product_id": pid}
        cf.update(name=fname, value=rng.choice(choices))
        batch.add("product_custom_fields", cf)
    if rng.random() < 0.15 or rich:
        tiers = [(5, 9, 5), (10, 24, 10), (25, 0, 15)][: rng.randint(2, 3)]
        for k, (qmin, qmax, pct) in enumerate(tiers):
            rule = {
                "id": ids.take("product_bulk_pricing_rules"),
                "product_id": pid,
                "quantity_min": qmin,
                "quantity_max": 0 if k == len(tiers) - 1 else qmax,
                "type": "percent",
                "amount": pct,
            }
            batch.add("product_bulk_pricing_rules", rule)
    if rng.random() < 0.2 or rich:
        mname, mtype = MODIFIERS[1] if rich else rng.choice(MODIFIERS)
        mid = ids.take("product_modifiers")
        values = []
        if mtype == "checkbox":
            for k, label in enumerate(("Yes", "No")):
                values.append(
                    {
                        "id": ids.take(VALUE_IDS),
                        "option_id": mid,
                        "label": label,
                        "sort_order": k,
                        "value_data": {"checked_value": label == "Yes"},
                        "is_default": label == "No",
                        "adjusters": {
                            "price": {
                                "adjuster": "relative",
                                "adjuster_value": 4.99 if label == "Yes" else 0,
                            },
                            "weight": {"adjuster": "relative", "adjuster_value": 0},
                            "image_url": "",
                            "purchasing_disabled": {"status": False, "message": ""},
                        },
                    }
                )
        config: dict[str, Any] = {}
        if mtype == "text":
            config = {"text_characters_limited": True, "text_min_length": 0, "text_max_length": 80}
        elif mtype == "checkbox":
            config = {"checked_by_default": False, "checkbox_label": mname}
        batch.add(
            "product_modifiers",
            {
                "id": mid,
                "product_id": pid,
                "name": f"{mname}{mid}",
                "display_name": mname,
                "type": mtype,
                "required": False,
                "sort_order": 0,
                "config": config,
                "option_values": values,
            },
        )
    if rng.random() < 0.05 or rich:
        batch.add(
            "product_videos",
            {
                "id": ids.take("product_videos"),
                "product_id": pid,
                "title": f"{product['name']} in use",
                "description": "",
                "sort_order": 0,
                "type": "youtube",
                "video_id": "".join(
                    rng.choice("abcdefghijkLMNOPQRST0123456789_-") for _ in range(11)
                ),
                "length": f"0{rng.randint(0, 5)}:{rng.randint(10, 59)}",
            },
        )
    rating_sum = count = 0
    for _ in range(max(rich, rng.choice((0, 0, 0, 1, 2, 3)))):
        rating = rng.choices((1, 2, 3, 4, 5), (1, 1, 2, 4, 6))[0]
        when = created + timedelta(seconds=rng.randrange(span))
        batch.add(
            "product_reviews",
            {
                "id": ids.take("product_reviews"),
                "product_id": pid,
                "title": rng.choice(REVIEW_TITLES),
                "text": "Arrived quickly and works as expected.",
                "status": "approved",
                "rating": rating,
                "email": f"reviewer{rng.randint(1, 9999)}@example.com",
                "name": "Verified buyer",
                "date_reviewed": when,
                "date_created": when,
                "date_modified": when,
            },
        )
        rating_sum += rating
        count += 1
    product["reviews_rating_sum"] = rating_sum
    product["reviews_count"] = count


def generate_products(store: Store, rng: random.Random, sizes: Sizes, tax: Taxonomy) -> None:
    ids = _Ids(store)
    batch = _Batch()
    for _ in range(sizes.products):
        build_product(store, rng, ids, batch, tax, sizes.variants_per_product)
    batch.load(store)


def taxonomy_of(store: Store) -> Taxonomy:
    """The store's current categories and brands, for products created later."""
    cats = collection(store, "categories")
    tax = Taxonomy(brand_ids=sorted(collection(store, "brands").items))
    for dept in cats.where("parent_id", 0):
        subs = [
            (sub["id"], [leaf["id"] for leaf in cats.where("parent_id", sub["id"])])
            for sub in cats.where("parent_id", dept["id"])
        ]
        tax.departments.append((dept["id"], subs or [(dept["id"], [])]))
    return tax


def _coerced(fields: dict[str, Any], like: Record) -> dict[str, Any]:
    """Control-API values in the stored types: Decimal money, aware datetimes."""
    from bigcommerce_emulator.filters import parse_date

    out = dict(fields)
    for k, v in fields.items():
        current = like.get(k)
        if isinstance(current, Decimal) and isinstance(v, int | float | str):
            out[k] = Decimal(str(v))
        elif isinstance(current, datetime) and isinstance(v, str):
            out[k] = parse_date(v)
    return out


def _make_product(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    """A product as a merchant adds it now, with variants and children like the seeded ones."""
    tax = taxonomy_of(store)
    if not tax.departments:
        raise ValueError("the store has no categories to place a new product in")
    ids = _Ids(store)
    batch = _Batch()
    n = store.sizes.variants_per_product if store.sizes else 3
    t = now()
    sample = {**product_defaults(), "date_created": t, "date_modified": t}
    overrides = {"date_created": t, "date_modified": t, **_coerced(fields, sample)}
    product = build_product(store, rng, ids, batch, tax, n, overrides=overrides)
    for img in batch.records.get("product_images", []):
        img["date_modified"] = min(t, product["date_modified"])
    batch.load(store)
    return product


def _make_child(name: str) -> Callable[[Store, random.Random, dict[str, Any]], Record]:
    """Factories for a product's custom fields and images: ``product_id`` names the product,
    and the product's ``date_modified`` moves, as it does when the API adds one."""

    def make(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
        products = collection(store, "products")
        pid = fields.get("product_id")
        product = products.get(int(pid)) if isinstance(pid, int | str) else None
        if product is None:
            raise ValueError(f"{name} needs the product_id of an existing product")
        c = collection(store, name)
        rec: Record = {"id": c.next_id, "product_id": product["id"]}
        if name == "product_custom_fields":
            fname, choices = rng.choice(CUSTOM_FIELDS)
            rec.update(name=fname, value=rng.choice(choices))
        else:
            file_slug = f"image-{product['id']}-{rec['id']}"
            rec.update(is_thumbnail=False, sort_order=len(c.where("product_id", product["id"])),
                       description="", **image_urls(store.store_hash, product["id"], rec["id"],
                                                    file_slug), date_modified=now())  # fmt: skip
        rec.update({k: v for k, v in fields.items() if k != "product_id"})
        c.insert(rec, stamp=False)
        products.update(product["id"], {})
        return rec

    return make


register_factory("products", _make_product)
register_factory("product_custom_fields", _make_child("product_custom_fields"))
register_factory("product_images", _make_child("product_images"))
