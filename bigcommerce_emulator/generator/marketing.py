"""Seeded coupons, gift certificates, banners, promotions and promotion codes."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.store_info import random_date
from bigcommerce_emulator.store import Record, Store

COUPON_TYPES = (
    "per_item_discount",
    "per_total_discount",
    "shipping_discount",
    "free_shipping",
    "percentage_discount",
)
WORDS = ("SPRING", "SUMMER", "WELCOME", "VIP", "FLASH", "HOLIDAY", "BACK2SCHOOL", "THANKS")
TEMPLATES = ("birthday.html", "girl.html", "boy.html", "celebration.html", "christmas.html")
NAMES = ("Alex Kim", "Maria Lopez", "Sam Patel", "Jo Martin", "Lee Chen", "Riley Brown")


def collections(store: Store) -> None:
    store.collection("coupons", index_on=("code",))
    store.collection("gift_certificates", index_on=("code",))
    store.collection("banners")
    store.collection("promotions")
    store.collection("promotion_codes", index_on=("promotion_id", "code"))


def new_coupon(rng: random.Random, cid: int) -> Record:
    ctype = rng.choice(COUPON_TYPES)
    created = random_date(rng)
    amount = Decimal(rng.choice((5, 10, 15, 20, 25)))
    return {
        "id": cid,
        "name": f"{rng.choice(WORDS).title()} coupon {cid}",
        "type": ctype,
        "amount": Decimal(0) if ctype == "free_shipping" else amount,
        "min_purchase": Decimal(rng.choice((0, 0, 25, 50))),
        "expires": random_date(rng, created) if rng.random() < 0.5 else "",
        "enabled": rng.random() < 0.85,
        "code": f"{rng.choice(WORDS)}{cid:04d}",
        "applies_to": {"entity": "categories", "ids": [0]},
        "num_uses": rng.randint(0, 40),
        "max_uses": rng.choice((0, 100, 500)),
        "max_uses_per_customer": rng.choice((0, 1)),
        "restricted_to": {},
        "shipping_methods": [],
        "date_created": created,
    }


def new_gift_certificate(rng: random.Random, gid: int, order_ids: list[int]) -> Record:
    amount = Decimal(rng.choice((25, 50, 75, 100, 150)))
    purchased = random_date(rng)
    to_name, from_name = rng.sample(NAMES, 2)
    return {
        "id": gid,
        "to_name": to_name,
        "to_email": to_name.lower().replace(" ", ".") + "@example.com",
        "from_name": from_name,
        "from_email": from_name.lower().replace(" ", ".") + "@example.com",
        "amount": amount,
        "customer_id": 0,
        "order_id": rng.choice(order_ids) if order_ids else 0,
        "balance": (amount * Decimal(rng.choice(("1", "1", "0.5", "0")))).quantize(Decimal("0.01")),
        "purchase_date": purchased,
        "expiry_date": purchased + timedelta(days=365),
        "template": rng.choice(TEMPLATES),
        "message": "Enjoy!",
        "code": "{:04X}-{:04X}-{:04X}-{:04X}".format(*tuple(rng.getrandbits(16) for _ in range(4))),
        "status": rng.choice(("active", "active", "pending", "disabled", "expired")),
        "currency_code": "USD",
    }


def new_banner(rng: random.Random, bid: int) -> Record:
    created = random_date(rng)
    custom = rng.random() < 0.4
    return {
        "id": bid,
        "name": f"Banner {bid}",
        "content": f"<p>{rng.choice(WORDS).title()} sale: up to 30% off</p>",
        "page": rng.choice(("home_page", "category_page", "brand_page", "search_page")),
        "location": rng.choice(("top", "bottom")),
        "date_type": "custom" if custom else "always",
        "date_from": str(int(created.timestamp())) if custom else "0",
        "date_to": str(int((created + timedelta(days=30)).timestamp())) if custom else "0",
        "visible": "1",
        "item_id": "0",
        "date_created": created,
    }


def new_promotion(rng: random.Random, pid: int, channels: list[int], coupon: bool) -> Record:
    start = random_date(rng)
    percent = rng.choice((5, 10, 15, 20))
    rec: Record = {
        "id": pid,
        "redemption_type": "COUPON" if coupon else "AUTOMATIC",
        "name": f"{rng.choice(WORDS).title()} {percent}% off",
        "display_name": f"{percent}% off your order",
        "channels": [{"id": c} for c in channels],
        "customer": {"group_ids": [], "minimum_order_count": 0, "excluded_group_ids": []},
        "rules": [
            {
                "action": {"cart_value": {"discount": {"percentage_amount": str(percent)}}},
                "apply_once": True,
                "stop": False,
            }
        ],
        "current_uses": rng.randint(0, 200),
        "max_uses": rng.choice((0, 1000)),
        "status": rng.choice(("ENABLED", "ENABLED", "DISABLED")),
        "start_date": start,
        "end_date": start + timedelta(days=rng.choice((14, 30, 90))),
        "stop": False,
        "can_be_used_with_other_promotions": True,
        "currency_code": "USD",
        "notifications": [],
        "created_from": "api",
        "priority": pid,
    }
    if coupon:
        rec["coupon_type"] = "SINGLE"
        rec["coupon_overrides_other_promotions"] = False
        rec["multiple_codes"] = {"has_multiple_codes": False}
    return rec


def new_promotion_code(rng: random.Random, cid: int, promo: Record) -> Record:
    return {
        "id": cid,
        "promotion_id": promo["id"],
        "code": f"PROMO{promo['id']:03d}{cid:03d}",
        "current_uses": rng.randint(0, 20),
        "max_uses": rng.choice((0, 100)),
        "max_uses_per_customer": rng.choice((0, 1)),
        "created": promo["start_date"],
    }


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    n = max(4, min(sizes.orders // 10, 200))
    order_ids = [o["id"] for o in store.collection("orders")][:500]
    channels = [c["id"] for c in store.collection("channels")][:1] or [1]
    coupons = [new_coupon(rng, i + 1) for i in range(n)]
    certificates = [new_gift_certificate(rng, i + 1, order_ids) for i in range(n)]
    banners = [new_banner(rng, i + 1) for i in range(max(3, n // 4))]
    promotions = [new_promotion(rng, i + 1, channels, i % 2 == 1) for i in range(max(4, n // 2))]
    codes = [
        new_promotion_code(rng, i + 1, p)
        for i, p in enumerate(p for p in promotions if p["redemption_type"] == "COUPON")
    ]
    store.collection("coupons").bulk_load(coupons)
    store.collection("gift_certificates").bulk_load(certificates)
    store.collection("banners").bulk_load(banners)
    store.collection("promotions").bulk_load(promotions)
    store.collection("promotion_codes").bulk_load(codes)


def _factory(name: str, make: Any) -> Any:
    def build(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
        collections(store)
        col = store.collection(name)
        rec: Record = make(rng, col.next_id)
        rec.update(fields)
        return col.insert(rec, stamp=False)

    return build


register_factory("coupons", _factory("coupons", new_coupon))
register_factory("banners", _factory("banners", new_banner))
register_factory(
    "gift_certificates", _factory("gift_certificates", lambda r, i: new_gift_certificate(r, i, []))
)
register_factory("promotions", _factory("promotions", lambda r, i: new_promotion(r, i, [1], False)))
