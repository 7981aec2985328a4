"""Seeded data for the orders area: statuses, orders and their children, transactions, refunds.

Orders point at real customers (about a fifth are guests, ``customer_id`` 0) and at real
product variants from the catalog collections; when the catalog is empty (an area still to
be generated), line items fall back to self-contained products. Money adds up: line totals
make the subtotal, and subtotal, shipping, tax and discounts make the total.

Records keep only what varies; the constant fields of the real API live in the
``*_DEFAULTS`` dicts that the routes merge in when rendering, which keeps the large store
quick to generate and small in memory.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, count
from typing import Any

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.factories import register_factory
from bigcommerce_emulator.generator.people import END, address, later, person, phone, spread_date
from bigcommerce_emulator.store import Record, Store, now

CENT = Decimal("0.01")
ZERO = Decimal("0")

# id, name, system description; the real store's fixed list (custom labels equal the names).
STATUSES: tuple[tuple[int, str, str], ...] = (
    (
        0,
        "Incomplete",
        "Shopper reached the payment page but did not complete the transaction.",
    ),
    (1, "Pending", "Customer started the checkout process, but did not complete it."),
    (2, "Shipped", "Order has been shipped, but receipt has not been confirmed."),
    (3, "Partially Shipped", "Only some items in the order have been shipped."),
    (4, "Refunded", "Seller has used the Refund action."),
    (
        5,
        "Cancelled",
        "Seller has cancelled an order, due to a stock inconsistency or other reasons.",
    ),
    (
        6,
        "Declined",
        "Seller has marked the order as declined for lack of manual payment, or other reasons.",
    ),
    (
        7,
        "Awaiting Payment",
        "Customer has completed checkout process, but payment has yet to be confirmed.",
    ),
    (
        8,
        "Awaiting Pickup",
        "Order has been pulled, and is awaiting customer pickup from a seller-specified location.",
    ),
    (
        9,
        "Awaiting Shipment",
        "Order has been pulled and packaged, and is awaiting collection from a shipping provider.",
    ),
    (
        10,
        "Completed",
        "Client has paid for their digital product and their file(s) are available for download.",
    ),
    (
        11,
        "Awaiting Fulfillment",
        "Customer has completed the checkout process and payment has been confirmed.",
    ),
    (
        12,
        "Manual Verification Required",
        "Order is on hold while some aspect needs to be manually confirmed.",
    ),
    (
        13,
        "Disputed",
        "Customer has opened a dispute on the payment for the order.",
    ),
    (14, "Partially Refunded", "Seller has partially refunded the order."),
)
STATUS_NAMES = {i: name for i, name, _ in STATUSES}
# Weighted towards the statuses a running store is full of.
STATUS_WEIGHTS = {
    10: 40,
    2: 15,
    11: 15,
    9: 6,
    3: 3,
    7: 4,
    1: 3,
    5: 4,
    4: 3,
    14: 3,
    6: 1,
    12: 1,
    13: 1,
    8: 1,
}
SHIPPED = {2, 3, 10}
PAID = {2, 3, 4, 9, 10, 11, 13, 14, 8}
REFUNDED = {4, 14}
TAX_RATES = {
    "US": Decimal("0.0825"),
    "CA": Decimal("0.13"),
    "GB": Decimal("0.20"),
    "AU": Decimal("0.10"),
}
METHODS = (
    ("Credit Card", "braintree", "credit_card"),
    ("PayPal", "paypalexpress", "electronic_wallet"),
    ("Credit Card", "stripe", "credit_card"),
    ("Cash on Delivery", "cod", "offline"),
)
SHIP_METHODS = (
    ("Free Shipping", ZERO),
    ("Flat Rate", Decimal("7.50")),
    ("UPS Ground", Decimal("12.40")),
    ("Express", Decimal("24.90")),
)
CARRIERS = (("ups", "UPS"), ("usps", "USPS"), ("fedex", "FedEx"), ("auspost", "Australia Post"))
# The collections of an order's children, each record holding its ``order_id``.
ORDER_CHILDREN = (
    "order_products",
    "order_shipping_addresses",
    "order_coupons",
    "order_shipments",
    "order_taxes",
    "order_fees",
    "order_messages",
    "order_transactions",
    "refunds",
)
# The fields of an order address (billing or shipping), in the real API's order.
ADDRESS_KEYS = (
    "first_name",
    "last_name",
    "company",
    "street_1",
    "street_2",
    "city",
    "state",
    "zip",
    "country",
    "country_iso2",
    "phone",
    "email",
)

ORDER_DEFAULTS: dict[str, Any] = {
    "cart_id": "",
    "shipping_cost_tax_class_id": 2,
    "handling_cost_tax_class_id": 2,
    "wrapping_cost_tax_class_id": 3,
    "base_handling_cost": ZERO,
    "handling_cost_ex_tax": ZERO,
    "handling_cost_inc_tax": ZERO,
    "handling_cost_tax": ZERO,
    "base_wrapping_cost": ZERO,
    "wrapping_cost_ex_tax": ZERO,
    "wrapping_cost_inc_tax": ZERO,
    "wrapping_cost_tax": ZERO,
    "store_credit_amount": ZERO,
    "gift_certificate_amount": ZERO,
    "currency_id": 1,
    "currency_code": "USD",
    "currency_exchange_rate": Decimal("1"),
    "default_currency_id": 1,
    "default_currency_code": "USD",
    "store_default_currency_code": "USD",
    "store_default_to_transactional_exchange_rate": Decimal("1"),
    "is_tax_inclusive_pricing": False,
    "order_source": "www",
    "channel_id": 1,
    "ebay_order_id": "0",
    "external_id": None,
    "external_merchant_id": None,
    "external_source": None,
    "ip_address_v6": "",
    "order_is_digital": False,
    "tax_provider_id": "BasicTaxProvider",
    "customer_locale": "en",
    "external_order_id": "",
    "is_deleted": False,
    "staff_notes": "",
    "customer_message": "",
    "shipping_address_count": 1,
}
PRODUCT_DEFAULTS: dict[str, Any] = {
    "order_pickup_method_id": 0,
    "type": "physical",
    "base_cost_price": ZERO,
    "cost_price_inc_tax": ZERO,
    "cost_price_ex_tax": ZERO,
    "cost_price_tax": ZERO,
    "width": ZERO,
    "height": ZERO,
    "depth": ZERO,
    "is_refunded": False,
    "quantity_refunded": 0,
    "refund_amount": ZERO,
    "return_id": 0,
    "wrapping_id": 0,
    "wrapping_name": None,
    "base_wrapping_cost": ZERO,
    "wrapping_cost_ex_tax": ZERO,
    "wrapping_cost_inc_tax": ZERO,
    "wrapping_cost_tax": ZERO,
    "wrapping_message": "",
    "event_name": None,
    "event_date": None,
    "fixed_shipping_cost": ZERO,
    "ebay_item_id": "",
    "ebay_transaction_id": "",
    "option_set_id": None,
    "parent_order_product_id": None,
    "is_bundled_product": False,
    "bin_picking_number": "",
    "external_id": None,
    "brand": "",
    "applied_discounts": [],
    "product_options": [],
    "configurable_fields": [],
    "upc": "",
    "gift_certificate_id": None,
}
# Constant parts of a seeded purchase transaction, merged in when rendering.
TRANSACTION_DEFAULTS: dict[str, Any] = {
    "test": False,
    "status": "ok",
    "fraud_review": False,
    "offline": None,
    "custom": None,
    "payment_instrument_token": None,
    "provider_instrument_token": None,
    "provider_customer_id": None,
    "avs_result": {
        "code": "M",
        "message": "Street address and postal code match",
        "street_match": "M",
        "postal_match": "M",
    },
    "cvv_result": {"code": "M", "message": "CVV matches"},
    "gift_certificate": None,
    "store_credit": None,
    "custom_provider_field_result": None,
}
ADDRESS_DEFAULTS: dict[str, Any] = {
    "cost_tax_class_id": 2,
    "base_handling_cost": ZERO,
    "handling_cost_ex_tax": ZERO,
    "handling_cost_inc_tax": ZERO,
    "handling_cost_tax": ZERO,
    "handling_cost_tax_class_id": 2,
    "shipping_zone_id": 1,
    "form_fields": [],
}


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT)


def collections(store: Store) -> None:
    store.collection("order_statuses")
    store.collection("orders", index_on=("customer_id", "status_id"))
    for name in ORDER_CHILDREN:
        store.collection(name, index_on=("order_id",))


@lru_cache(maxsize=65_536)
def _tax(price: Decimal, rate: Decimal) -> Decimal:
    return money(price * rate)


class _Ids:
    """Next ids for child collections, kept locally for the bulk fast path."""

    def __init__(self) -> None:
        self.n: defaultdict[str, Iterator[int]] = defaultdict(lambda: count(1))

    def take(self, name: str) -> int:
        return next(self.n[name])


def _catalog(
    store: Store, rng: random.Random, sizes: Sizes
) -> list[tuple[int, int, str, str, Decimal, Decimal]]:
    """(product_id, variant_id, name, sku, price, weight) choices for line items."""
    products = store.collections.get("products")
    variants = store.collections.get("product_variants")
    out: list[tuple[int, int, str, str, Decimal, Decimal]] = []
    if products is not None and variants is not None and len(variants):
        for v in variants:
            p = products.get(v.get("product_id", -1))
            if p is None:
                continue
            price = v.get("price") or v.get("calculated_price") or p.get("price") or Decimal("9.99")
            weight = (
                v.get("weight") or v.get("calculated_weight") or p.get("weight") or Decimal("1")
            )
            out.append(
                (
                    p["id"],
                    v["id"],
                    str(p.get("name", "")),
                    str(v.get("sku") or p.get("sku") or ""),
                    money(Decimal(str(price))),
                    Decimal(str(weight)),
                )
            )
    if out:
        return out
    # No catalog yet: self-contained products so that orders still make sense.
    n = max(1, sizes.products)
    return [
        (
            i,
            i,
            f"Sample Product {i}",
            f"SKU-{i:05d}",
            money(Decimal(rng.randrange(500, 25_000)) / 100),
            Decimal(rng.randrange(1, 50)) / 10,
        )
        for i in range(1, min(n, 500) + 1)
    ]


def _option(oid: int, line_id: int, value: dict[str, Any]) -> dict[str, Any]:
    """A line item's chosen option, from the variant's option value."""
    name = str(value.get("option_display_name", ""))
    label = str(value.get("label", ""))
    return {
        "id": oid,
        "option_id": value.get("option_id"),
        "order_product_id": line_id,
        "product_option_id": value.get("option_id"),
        "display_name": name,
        "display_value": label,
        "value": str(value.get("id", "")),
        "type": "Multiple choice",
        "name": name,
        "display_style": "Dropdown",
        "display_name_customer": name,
        "display_name_merchant": name,
        "display_value_customer": label,
        "display_value_merchant": label,
    }


def _billing(rng: random.Random, cust: Record | None, addr: Record | None) -> dict[str, Any]:
    if cust is None:
        first, last = person(rng)
        email = f"guest.{first}.{last}.{rng.randrange(10**6)}@example.net".lower().replace("'", "")
        email = email.encode("ascii", "ignore").decode()
        company, tel = "", phone(rng)
    else:
        first, last, email = cust["first_name"], cust["last_name"], cust["email"]
        company, tel = cust["company"], cust["phone"]
    a = addr if addr is not None else address(rng)
    return {
        "first_name": first,
        "last_name": last,
        "company": company,
        "street_1": a["address1"],
        "street_2": a["address2"],
        "city": a["city"],
        "state": a["state_or_province"],
        "zip": a["postal_code"],
        "country": a["country"],
        "country_iso2": a["country_code"],
        "phone": tel,
        "email": email,
        "form_fields": [],
    }


def build_order(
    store: Store,
    rng: random.Random,
    ids: _Ids | None,
    oid: int,
    created: datetime,
    cust: Record | None,
    lines: list[tuple[tuple[int, int, str, str, Decimal, Decimal], int]],
    status_id: int,
    *,
    coupon: bool = False,
    billing: dict[str, Any] | None = None,
) -> tuple[Record, dict[str, list[Record]]]:
    """An order and its children; ``ids`` None means take ids from the collections."""

    def from_store(name: str) -> int:
        col = store.collection(name)
        v = col.next_id
        col.next_id += 1
        return v

    nid: Callable[[str], int] = ids.take if ids is not None else from_store

    addrs = store.collections.get("customer_addresses")
    cust_addr = None
    if cust is not None and addrs is not None:
        mine = addrs.where("customer_id", cust["id"])
        cust_addr = mine[0] if mine else None
    if billing is None:
        billing = _billing(rng, cust, cust_addr)
    rate = TAX_RATES.get(billing["country_iso2"], ZERO)
    modified = later(rng, created, 45) if status_id not in (0, 1) else created
    children: dict[str, list[Record]] = {k: [] for k in ORDER_CHILDREN}

    ship_id = nid("order_shipping_addresses")
    subtotal = ZERO
    item_tax = ZERO
    qty_total = 0
    variants = store.collections.get("product_variants")
    for (pid, vid, name, sku, price, weight), qty in lines:
        line_id = nid("order_products")
        variant = variants.get(vid) if variants is not None and vid else None
        options = (
            [_option(nid("order_product_options"), line_id, ov) for ov in variant["option_values"]]
            if variant is not None
            and variant.get("product_id") == pid
            and variant.get("option_values")
            else []
        )
        line_ex = price * qty  # prices carry cents already
        tax_each = _tax(price, rate)
        subtotal += line_ex
        item_tax += tax_each * qty
        qty_total += qty
        children["order_products"].append(
            {
                "id": line_id,
                "order_id": oid,
                "product_id": pid,
                "variant_id": vid,
                "order_address_id": ship_id,
                "name": name,
                "name_customer": name,
                "name_merchant": name,
                "sku": sku,
                "base_price": price,
                "price_ex_tax": price,
                "price_inc_tax": price + tax_each,
                "price_tax": tax_each,
                "base_total": line_ex,
                "total_ex_tax": line_ex,
                "total_inc_tax": line_ex + tax_each * qty,
                "total_tax": tax_each * qty,
                "discounted_total_inc_tax": line_ex + tax_each * qty,
                "quantity": qty,
                "quantity_shipped": qty if status_id in SHIPPED else 0,
                "weight": weight,
                "product_options": options,
            }
        )
    method_name, ship_cost = rng.choice(SHIP_METHODS)
    ship_tax = money(ship_cost * rate)
    coupon_discount = ZERO
    if coupon:
        coupon_discount = money(subtotal * Decimal("0.10"))
        children["order_coupons"].append(
            {
                "id": nid("order_coupons"),
                "coupon_id": rng.randrange(1, 21),
                "order_id": oid,
                "code": f"SAVE10-{rng.randrange(1000, 9999)}",
                "amount": Decimal("10"),
                "type": 1,
                "discount": float(coupon_discount),
            }
        )
    fee = ZERO
    if rng.random() < 0.06:
        fee = Decimal(rng.choice(("2.50", "4.00", "5.00")))
        children["order_fees"].append(
            {
                "id": nid("order_fees"),
                "order_id": oid,
                "type": "custom_fee",
                "display_name_customer": "Handling fee",
                "display_name_merchant": "Handling fee",
                "source": "API",
                "base_cost": fee,
                "cost_ex_tax": fee,
                "cost_inc_tax": fee,
                "cost_tax": ZERO,
                "tax_class_id": None,
            }
        )
    total_tax = item_tax + ship_tax
    total_ex = subtotal + ship_cost + fee - coupon_discount
    total_inc = total_ex + total_tax
    shipped_at: datetime | str = ""
    if status_id in SHIPPED:
        shipped_at = min(created + timedelta(hours=rng.randrange(2, 96)), modified)
    sa = {
        "id": ship_id,
        "order_id": oid,
        **{k: billing[k] for k in ADDRESS_KEYS},
        "items_total": qty_total,
        "items_shipped": qty_total if status_id in SHIPPED else 0,
        "shipping_method": method_name,
        "base_cost": ship_cost,
        "cost_ex_tax": ship_cost,
        "cost_inc_tax": ship_cost + ship_tax,
        "cost_tax": ship_tax,
        "shipping_zone_name": billing["country"],
    }
    children["order_shipping_addresses"].append(sa)
    pay_name, gateway, pay_kind = rng.choice(METHODS)
    refunded = ZERO
    order: Record = {
        "id": oid,
        "customer_id": cust["id"] if cust is not None else 0,
        "date_created": created,
        "date_modified": modified,
        "date_shipped": shipped_at,
        "status_id": status_id,
        "cart_id": f"{rng.getrandbits(128):032x}",
        "billing_address": billing,
        "subtotal_ex_tax": subtotal,
        "subtotal_inc_tax": subtotal + item_tax,
        "subtotal_tax": item_tax,
        "base_shipping_cost": ship_cost,
        "shipping_cost_ex_tax": ship_cost,
        "shipping_cost_inc_tax": ship_cost + ship_tax,
        "shipping_cost_tax": ship_tax,
        "total_ex_tax": total_ex,
        "total_inc_tax": total_inc,
        "total_tax": total_tax,
        "items_total": qty_total,
        "items_shipped": qty_total if status_id in SHIPPED else 0,
        "payment_method": pay_name,
        "payment_provider_id": f"{rng.getrandbits(40):x}" if status_id in PAID else "",
        "payment_status": "captured" if status_id in PAID else "",
        "refunded_amount": refunded,
        "discount_amount": ZERO,
        "coupon_discount": coupon_discount,
        "ip_address": "10.{}.{}.{}".format(*rng.getrandbits(24).to_bytes(3, "big")),
        "geoip_country": billing["country"],
        "geoip_country_iso2": billing["country_iso2"],
        "is_email_opt_in": rng.random() < 0.3,
        "channel_id": 1,
    }
    if rate:
        children["order_taxes"].append(
            {
                "id": nid("order_taxes"),
                "order_id": oid,
                "order_address_id": ship_id,
                "tax_rate_id": 1,
                "tax_class_id": 0,
                "name": "Sales Tax",
                "class": "Default Tax Class",
                "rate": rate * 100,
                "priority": 0,
                "priority_amount": item_tax,
                "line_amount": item_tax,
                "order_product_id": "",
                "line_item_type": "item",
                "sales_tax_id": "",
                "order_pickup_method_id": 0,
            }
        )
    if status_id in SHIPPED:
        carrier, carrier_name = rng.choice(CARRIERS)
        tracking = f"1Z{rng.getrandbits(48):012X}"
        children["order_shipments"].append(
            {
                "id": nid("order_shipments"),
                "order_id": oid,
                "customer_id": order["customer_id"],
                "order_address_id": ship_id,
                "date_created": shipped_at,
                "tracking_number": tracking,
                "merchant_shipping_cost": ship_cost,
                "shipping_method": method_name,
                "shipping_provider": carrier,
                "tracking_carrier": carrier,
                "tracking_link": "",
                "comments": "",
                # Shared with the order: records are replaced on change, never edited in place.
                "billing_address": billing,
                "shipping_address": {k: sa[k] for k in ADDRESS_KEYS},
                "items": [
                    {
                        "order_product_id": p["id"],
                        "product_id": p["product_id"],
                        "quantity": p["quantity"],
                    }
                    for p in children["order_products"]
                ],
                "shipping_provider_display_name": carrier_name,
                "generated_tracking_link": "",
            }
        )
    if rng.random() < 0.08:
        children["order_messages"].append(
            {
                "id": nid("order_messages"),
                "order_id": oid,
                "staff_id": 0,
                "customer_id": order["customer_id"],
                "type": "customer",
                "subject": "Question about my order",
                "message": "Could you confirm the delivery date?",
                "status": rng.choice(("read", "unread")),
                "is_flagged": rng.random() < 0.2,
                "date_created": later(rng, created, 3),
                "customer": {},
            }
        )
    if status_id in PAID:
        children["order_transactions"].append(
            {
                "id": nid("order_transactions"),
                "order_id": str(oid),
                "event": "purchase",
                "method": pay_kind if pay_kind != "offline" else "custom",
                "amount": total_inc,
                "currency": "USD",
                "gateway": gateway if gateway != "cod" else "custom",
                "gateway_transaction_id": f"{rng.getrandbits(64):016x}",
                "date_created": created,
                "payment_method_id": f"{gateway}.card",
                "credit_card": {
                    "card_type": "visa",
                    "card_iin": "411111",
                    "card_last4": f"{rng.randrange(10_000):04d}",
                    "card_expiry_month": 1 + oid % 12,
                    "card_expiry_year": 2027 + oid % 4,
                },
            }
        )
        if status_id in REFUNDED:
            first = children["order_products"][0]
            amount = total_inc if status_id == 4 else first["price_inc_tax"]
            at = min(later(rng, created, 20), END)
            children["refunds"].append(
                {
                    "id": nid("refunds"),
                    "order_id": oid,
                    "user_id": 1,
                    "created": at,
                    "reason": rng.choice(
                        ("Damaged in transit", "Customer changed mind", "Wrong size")
                    ),
                    "total_amount": amount,
                    "total_tax": ZERO,
                    "uses_merchant_override_values": status_id == 4,
                    "items": [
                        {
                            "item_type": "ORDER" if status_id == 4 else "PRODUCT",
                            "item_id": oid if status_id == 4 else first["id"],
                            "reason": "",
                            "quantity": 1,
                            "requested_amount": amount,
                        }
                    ],
                    "payments": [
                        {
                            "id": nid("refund_payments"),
                            "provider_id": gateway,
                            "amount": amount,
                            "offline": gateway == "cod",
                            "is_declined": False,
                            "declined_message": "",
                            "transaction_id": "",
                        }
                    ],
                }
            )
            order["refunded_amount"] = amount
            order["date_modified"] = max(order["date_modified"], at)
    return order, children


def generate(store: Store, rng: random.Random, sizes: Sizes) -> None:
    collections(store)
    store.collection("order_statuses").bulk_load(
        {
            "id": i,
            "name": name,
            "system_label": name,
            "custom_label": name,
            "system_description": desc,
            "sort_order": i,
        }
        for i, name, desc in STATUSES
    )
    catalog = _catalog(store, rng, sizes)
    customers = list(store.collections["customers"]) if "customers" in store.collections else []
    statuses = list(STATUS_WEIGHTS)
    cum_weights = list(accumulate(STATUS_WEIGHTS.values()))
    ids = _Ids()
    orders: list[Record] = []
    kids: dict[str, list[Record]] = {}
    per = max(1, sizes.items_per_order)
    for oid in range(100, 100 + sizes.orders):
        cust = rng.choice(customers) if customers and rng.random() < 0.8 else None
        lo = cust["date_created"] if cust is not None else None
        created = spread_date(rng, lo) if lo is not None else spread_date(rng)
        n_lines = max(1, min(per + rng.choice((-1, 0, 0, 1)), len(catalog)))
        picks = rng.sample(catalog, n_lines)
        lines = [(p, rng.choice((1, 1, 1, 2, 3))) for p in picks]
        status = rng.choices(statuses, cum_weights=cum_weights)[0]
        order, children = build_order(
            store, rng, ids, oid, created, cust, lines, status, coupon=rng.random() < 0.15
        )
        orders.append(order)
        for name, recs in children.items():
            kids.setdefault(name, []).extend(recs)
    store.collection("orders").bulk_load(orders)
    for name, recs in kids.items():
        store.collection(name).bulk_load(recs)


def make_order(store: Store, rng: random.Random, fields: dict[str, Any]) -> Record:
    """A new order as a shopper's checkout would create it (status Awaiting Fulfillment)."""
    collections(store)
    catalog = _catalog(store, rng, store.sizes or Sizes(10, 0, 0))
    customers = list(store.collection("customers"))
    cust = None
    if "customer_id" in fields:
        cust = store.collection("customers").get(int(fields["customer_id"]))
    elif customers:
        cust = rng.choice(customers)
    col = store.collection("orders")
    oid = max(col.next_id, 100)
    col.next_id = oid
    lines = [(p, 1) for p in rng.sample(catalog, min(2, len(catalog)))]
    t = now()
    order, children = build_order(
        store, rng, None, oid, t, cust, lines, int(fields.get("status_id", 11))
    )
    order["date_modified"] = t
    order.update(fields)
    col.insert(order, stamp=False)
    for name, recs in children.items():
        for rec in recs:
            store.collection(name, index_on=("order_id",)).insert(rec, stamp=False)
    return order


register_factory("orders", make_order)
