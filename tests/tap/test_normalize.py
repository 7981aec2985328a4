"""The per-record normaliser against the slow, obvious conversions it replaces."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tap_bigcommerce.streams.base import load_schema
from tap_bigcommerce.streams.normalize import (
    NormalizationError,
    apply_plan,
    compile_plan,
    parse_api_datetime,
    to_datetime,
    to_number,
    utc_iso,
)

moments = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))


@settings(max_examples=300, deadline=None)
@given(moments)
def test_v2_dates_read_fast_equal_the_rfc_2822_parser(moment: datetime) -> None:
    text = format_datetime(moment)  # "Tue, 20 Nov 2012 00:00:00 +0000", as v2 writes
    assert to_datetime(text) == utc_iso(parse_api_datetime(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, 20 Nov 2012 00:00:00 -0500", "2012-11-20T05:00:00+00:00"),
        ("Sat, 29 Feb 2020 23:59:59 +0000", "2020-02-29T23:59:59+00:00"),
        ("", None),
    ],
)
def test_other_date_forms_still_parse(text: str, expected: str | None) -> None:
    assert to_datetime(text) == expected


def test_an_impossible_date_is_an_error_not_a_wrong_date() -> None:
    with pytest.raises(NormalizationError, match="not a date-time"):
        to_datetime("Fri, 31 Nov 2012 00:00:00 +0000")


decimals = st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str)


@settings(max_examples=500, deadline=None)
@given(decimals)
def test_numbers_keep_the_strings_exact_value(text: str) -> None:
    value = to_number(text)
    # Printed as JSON (msgspec prints a float by repr), it is the same number.
    printed = repr(value) if isinstance(value, float) else str(value)
    assert Decimal(printed) == Decimal(text)
    if len(text) > 15:
        assert isinstance(value, Decimal)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "12abc", "1.2.3"])
def test_not_a_number_is_an_error(text: str) -> None:
    with pytest.raises(NormalizationError, match="not a number"):
        to_number(text)


def _order(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "7",
        "customer_id": 12.0,
        "total_inc_tax": "12.3400",
        "subtotal_ex_tax": "",
        "payment_provider_id": 991,
        "date_modified": "Tue, 20 Nov 2012 00:00:00 +0000",
        "billing_address": {"first_name": "A", "zip": 2000},
    }
    record.update(changes)
    return record


def test_a_v2_order_is_normalised_field_by_field() -> None:
    plan = compile_plan(load_schema("orders"), scalars=True)
    out = apply_plan(plan, _order())
    assert out["id"] == 7 and isinstance(out["id"], int)
    assert out["customer_id"] == 12 and isinstance(out["customer_id"], int)
    assert out["total_inc_tax"] == 12.34
    assert out["subtotal_ex_tax"] is None
    assert out["payment_provider_id"] == "991"  # "string or number" in the spec: text
    assert out["date_modified"] == "2012-11-20T00:00:00+00:00"
    assert out["billing_address"]["zip"] == "2000"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("total_inc_tax", "12,34", "total_inc_tax: not a number"),
        ("id", "7.5", "id: not an integer"),
    ],
)
def test_a_bad_value_names_its_field(field: str, value: str, message: str) -> None:
    plan = compile_plan(load_schema("orders"), scalars=True)
    with pytest.raises(NormalizationError, match=message):
        apply_plan(plan, _order(**{field: value}))
