"""Payload encoding of the SDK's Decimal and datetime values, and the comparison that makes
a second run update nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from target_bigcommerce.encoding import changed_fields, dumps, same, to_json_value


def test_decimals_and_datetimes_become_json() -> None:
    payload = {
        "price": Decimal("21.99"),
        "weight": Decimal("3"),
        "big": Decimal("1E+2"),
        "released": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "naive": datetime(2026, 1, 2, 3, 4, 5),
        "day": date(2026, 1, 2),
        "nested": [{"amount": Decimal("0.10")}],
    }
    out = to_json_value(payload)
    assert out == {
        "price": 21.99,
        "weight": 3,
        "big": 100,
        "released": "2026-01-02T03:04:05+00:00",
        "naive": "2026-01-02T03:04:05+00:00",
        "day": "2026-01-02",
        "nested": [{"amount": 0.1}],
    }
    assert isinstance(out["weight"], int)
    assert json.loads(dumps(payload))["price"] == 21.99


def test_same_compares_values_not_representations() -> None:
    assert same(Decimal("21.99"), 21.99)
    assert same(Decimal("10.00"), 10)
    assert not same(Decimal("21.99"), 21.98)
    assert same(datetime(2026, 1, 2, tzinfo=UTC), "2026-01-02T00:00:00+00:00")
    assert same("2026-01-02T01:00:00+01:00", "2026-01-02T00:00:00Z")
    assert same([3, 1, 2], [1, 2, 3])  # category ids come back in any order
    assert not same([1, 2], [1, 2, 2])
    assert same({"url": "/a/"}, {"url": "/a/", "is_customized": False})
    assert same(None, "") and same("", None)
    assert same(True, True) and not same(True, False)
    assert not same("abc", "abd")


def test_changed_fields_names_only_what_differs() -> None:
    desired = {"price": Decimal("5.50"), "name": "Lamp", "categories": [2, 1]}
    current = {"price": 5.5, "name": "Lamp", "categories": [1, 2], "id": 7}
    assert changed_fields(desired, current) == []
    assert changed_fields({**desired, "name": "Lamp 2"}, current) == ["name"]
