"""Seeded data for the customers area: groups, customers, addresses, attributes, subscribers."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.people import (
    COMPANIES,
    address,
    email_for,
    ip_address,
    later,
    person,
    phone,
    spread_date,
)
from bigcommerce_emulator.store import Record, Store, now

GROUPS: tuple[tuple[str, str, str], ...] = (
    # name, discount type, amount
    ("Retail", "all", "0.0000"),
    ("Wholesale", "all", "15.0000"),
    ("VIP", "all", "10.0000"),
    ("Staff", "all", "25.0000"),
    ("Newsletter", "all", "5.0000"),
)
ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("Loyalty Tier", "string"),
    ("Lifetime Points", "number"),
    ("Date Joined", "date"),
    ("Shoe Size", "number"),
)
TIERS = ("Bronze", "Silver", "Gold", "Platinum")
CONSENTS = ((), ("marketing_newsletter",), ("marketing_newsletter", "abandoned_cart"))


def collections(store: Store) -> None:
    """Create the area's collections with the indexes the routes query by."""
    store.collection("customer_groups")
    store.collection("customers", index_on=("email", "customer_group_id"))
    store.collection("customer_addresses", index_on=("customer_id",))
    store.collection("customer_attributes")
    store.collection("customer_attribute_values", index_on=("customer_id", "attribute_id"))
    store.collection("subscribers", index_on=("email",))


def _group(i: int, name: str, amount: str, created: datetime) -> Record:
    return {
        "id": i,
        "name": name,
        "is_default": i == 1,
        "category_access": {"type": "all"},
        "discount_rules": [{"type": "all", "method": "percent", "amount": amount}],
        "date_created": created,
        "date_modified": created,
        "is_group_for_guests": False,
    }


def new_customer(rng: random.Random, cid: int, created: datetime, group_ids: list[int]) -> Record:
    first, last = person(rng)
    return {
        "id": cid,
        "email": email_for(first, last, cid),
        "first_name": first,
        "last_name": last,
        "company": rng.choice(COMPANIES),
        "phone": phone(rng) if rng.random() < 0.8 else "",
        "registration_ip_address": ip_address(rng) if rng.random() < 0.7 else "",
        "notes": "",
        "tax_exempt_category": "",
        "customer_group_id": rng.choice(group_ids) if group_ids and rng.random() < 0.6 else 0,
        "date_created": created,
        "date_modified": later(rng, created),
        "authentication": {"force_password_reset": False},
        "accepts_product_review_abandoned_cart_emails": rng.random() < 0.5,
        "store_credit_amounts": [{"amount": Decimal(rng.choice((0, 0, 0, 5, 10, 25)))}],
        "origin_channel_id": 1,
        "channel_ids": None,
        "_shopper_profile_id": f"sp-{cid:08d}",
        "_segment_ids": [],
    }


def new_address(rng: random.Random, aid: int, cust: Record) -> Record:
    rec: Record = {
        "id": aid,
        "customer_id": cust["id"],
        "first_name": cust["first_name"],
        "last_name": cust["last_name"],
        "company": cust["company"],
        "phone": cust["phone"],
        "address_type": rng.choice(("residential", "residential", "commercial")),
    }
    rec.update(address(rng))
    return rec


def _attribute_value(rng: random.Random, attr: Record) -> str:
    if attr["type"] == "number":
        return str(
            rng.randrange(1, 5000) if attr["name"] == "Lifetime Points" else rng.randrange(5, 14)
        )
    if attr["type"] == "date":
        return spread_date(rng).date().isoformat()
    return rng.choice(TIERS)


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    groups = [
        _group(i, name, amount, spread_date(rng, hi=spread_date(rng)))
        for i, (name, _, amount) in enumerate(GROUPS, start=1)
    ]
    store.collection("customer_groups").bulk_load(groups)
    group_ids = [g["id"] for g in groups]

    attrs: list[Record] = []
    for i, (name, typ) in enumerate(ATTRIBUTES, start=1):
        created = spread_date(rng)
        attrs.append(
            {"id": i, "name": name, "type": typ, "date_created": created, "date_modified": created}
        )
    store.collection("customer_attributes").bulk_load(attrs)

    customers: list[Record] = []
    addresses: list[Record] = []
    values: list[Record] = []
    subscribers: list[Record] = []
    aid = vid = sid = 1
    for cid in range(1, sizes.customers + 1):
        cust = new_customer(rng, cid, spread_date(rng), group_ids)
        customers.append(cust)
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            addresses.append(new_address(rng, aid, cust))
            aid += 1
        for attr in attrs:
            if rng.random() < 0.4:
                t = later(rng, cust["date_created"])
                values.append(
                    {
                        "id": vid,
                        "attribute_id": attr["id"],
                        "attribute_value": _attribute_value(rng, attr),
                        "customer_id": cid,
                        "date_created": t,
                        "date_modified": later(rng, t),
                    }
                )
                vid += 1
        if rng.random() < 0.45:
            t = later(rng, cust["date_created"], 5)
            subscribers.append(
                {
                    "id": sid,
                    "email": cust["email"],
                    "first_name": cust["first_name"],
                    "last_name": cust["last_name"],
                    "source": rng.choice(("storefront", "storefront", "customer", "order")),
                    "order_id": None,
                    "channel_id": 1,
                    "consents": list(rng.choice(CONSENTS[1:])),
                    "date_created": t,
                    "date_modified": later(rng, t),
                }
            )
            sid += 1
    store.collection("customers").bulk_load(customers)
    store.collection("customer_addresses").bulk_load(addresses)
    store.collection("customer_attribute_values").bulk_load(values)
    store.collection("subscribers").bulk_load(subscribers)


def make_customer(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    col = store.collection("customers")
    group_ids = [g["id"] for g in store.collection("customer_groups")]
    t = now()
    rec = new_customer(rng, col.next_id, t, group_ids)
    rec["date_modified"] = t
    rec.update(fields)
    return col.insert(rec)


def make_address(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    customers = store.collection("customers")
    cust = customers.get(int(fields.get("customer_id", 0))) or next(iter(customers), None)
    if cust is None:
        raise ValueError("customer_addresses needs a customer to belong to")
    col = store.collection("customer_addresses")
    rec = new_address(rng, col.next_id, cust)
    rec.update(fields)
    col.insert(rec, stamp=False)
    customers.touch(cust["id"])
    return rec


register_factory("customers", make_customer)
register_factory("customer_addresses", make_address)
