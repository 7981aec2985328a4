"""The renderers' fast paths write exactly what their plain definitions write.

The emulator renders money, dates and v2 order defaults by shortcuts (its CPU competes with
the tap in benchmarks); these tests hold each shortcut to the straightforward form it replaces,
including the values the generator never makes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from bigcommerce_emulator.generator import Sizes
from bigcommerce_emulator.generator.orders import ADDRESS_DEFAULTS, ORDER_DEFAULTS, PRODUCT_DEFAULTS
from bigcommerce_emulator.render import render_v2, render_v3, v2_money, v3_date
from bigcommerce_emulator.routes import order_view
from bigcommerce_emulator.state import EmulatorState

ODD_DECIMALS = [
    "0",
    "-0",
    "0.00",
    "-0.00",
    "0E-8",
    "1E+1",
    "1.5E+3",
    "12.5",
    "12.50",
    "12.500",
    "12.5000",
    "12.50000",
    "-3.14159",
    "0.00005",
    "-0.00005",
    "123456789012345678901234567890.12",
    "NaN",
    "-NaN",
    "NaN12",
    "Infinity",
    "-Infinity",
    "1.23E-10",
    "9.99",
    "-9.99",
]


def test_v2_money_matches_four_place_formatting_for_odd_values() -> None:
    for text in ODD_DECIMALS:
        d = Decimal(text)
        assert v2_money(d) == f"{d:.4f}", text


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(places=2))
def test_v2_money_matches_four_place_formatting(d: Decimal) -> None:
    assert v2_money(d) == f"{d:.4f}"


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from(
            [
                UTC,
                timezone(timedelta(0)),
                timezone(timedelta(hours=-5)),
                timezone(timedelta(hours=9)),
            ]
        ),
    )
)
def test_v3_date_matches_isoformat_in_utc(dt: datetime) -> None:
    assert v3_date(dt) == dt.astimezone(UTC).isoformat()


def _plain_v2_order(rec: dict[str, Any]) -> dict[str, Any]:
    """How a v2 order's own fields were rendered before the defaults were pre-rendered."""
    merged = {**rec, **{k: v for k, v in ORDER_DEFAULTS.items() if k not in rec}}
    out: dict[str, Any] = render_v2(merged)
    return out


def _plain_line_item(rec: dict[str, Any]) -> dict[str, Any]:
    get = {**PRODUCT_DEFAULTS, **rec}.get
    return {k: render_v2(get(k)) for k in order_view.PRODUCT_KEYS}


def _plain_consignment_address(rec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = render_v3(
        {**rec, **{k: v for k, v in ADDRESS_DEFAULTS.items() if k not in rec}}
    )
    return out


def _same(a: Any, b: Any) -> bool:
    return msgspec.json.encode(a) == msgspec.json.encode(b)


def test_order_parts_match_their_plain_renders() -> None:
    store = EmulatorState().create_store("r", sizes=Sizes(products=20, customers=20, orders=40))
    orders = list(store.collection("orders"))
    items = list(store.collection("order_products"))
    addresses = list(store.collection("order_shipping_addresses"))
    # Records as writes leave them: defaults overridden, private and unknown keys, odd money.
    orders.append(
        {
            **orders[0],
            "cart_id": "c-1",
            "currency_exchange_rate": Decimal("1.2345"),
            "handling_cost_tax": Decimal("-0"),
            "_private": 1,
            "extra": [Decimal("2.5")],
        }
    )
    items.append(
        {
            **items[0],
            "width": Decimal("3.14159"),
            "applied_discounts": [{"id": 1, "amount": Decimal("1.50")}],
            "configurable_fields": None,
            "not_an_item_field": "dropped",
            "_private": 1,
        }
    )
    addresses.append({**addresses[0], "form_fields": [{"name": "x"}], "shipping_zone_id": 7})
    for rec in orders:
        fast = order_view._with_defaults(
            order_view.v2(rec), rec, ORDER_DEFAULTS, order_view._ORDER_DEFAULTS_V2, order_view.v2
        )
        assert _same(fast, _plain_v2_order(rec))
    for rec in items:
        assert _same(order_view.render_product(rec), _plain_line_item(rec))
    for rec in addresses:
        fast = order_view._with_defaults(
            render_v3(rec), rec, ADDRESS_DEFAULTS, order_view._ADDRESS_DEFAULTS_V3, render_v3
        )
        assert _same(fast, _plain_consignment_address(rec))


def test_line_items_share_no_mutable_default() -> None:
    item = {"id": 1, "order_id": 1}
    first, second = order_view.render_product(item), order_view.render_product(item)
    first["applied_discounts"].append({"id": 9})
    assert second["applied_discounts"] == []
    assert PRODUCT_DEFAULTS["applied_discounts"] == []
