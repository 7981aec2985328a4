"""Dates and money as each API version writes them, and both date formats accepted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

import pytest

from tests.emulator_process import Emulator, running_emulator

RFC2822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
MONEY = re.compile(r"^-?\d+\.\d{4}$")


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--quota", "0") as e:
        yield e


def test_v2_writes_rfc_2822_dates_and_money_strings(emu: Emulator) -> None:
    orders = emu.api("GET", "/v2/orders", params={"limit": 5}).json()
    for order in orders:
        assert RFC2822.match(order["date_created"]), order["date_created"]
        assert RFC2822.match(order["date_modified"]), order["date_modified"]
        for money in ("subtotal_ex_tax", "total_inc_tax", "total_ex_tax"):
            assert isinstance(order[money], str) and MONEY.match(order[money]), order[money]


def test_v3_writes_iso_8601_dates_and_numbers(emu: Emulator) -> None:
    products = emu.api("GET", "/v3/catalog/products", params={"limit": 5}).json()["data"]
    for product in products:
        assert datetime.fromisoformat(product["date_modified"]).utcoffset() is not None
        assert isinstance(product["price"], int | float)


def test_v2_min_date_modified_accepts_rfc_2822_and_iso_8601(emu: Emulator) -> None:
    orders = emu.api("GET", "/v2/orders", params={"limit": 250}).json()
    stamps = sorted(parsedate_to_datetime(o["date_modified"]) for o in orders)
    middle = stamps[len(stamps) // 2]
    expected = sum(1 for s in stamps if s >= middle)
    for value in (format_datetime(middle).replace("-0000", "+0000"), middle.isoformat()):
        r = emu.api("GET", "/v2/orders", params={"limit": 250, "min_date_modified": value})
        assert r.status_code == 200, value
        assert len(r.json()) == expected, value
