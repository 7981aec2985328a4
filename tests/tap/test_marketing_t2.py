"""Promotion codes: read for coupon promotions only, page by page, by cursor or page number."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest

from tap_bigcommerce.streams.marketing import cursor_or_page_numbers
from tests.emulator_process import Emulator
from tests.tap.tap_runner import base_config, run_tap


def test_cursor_pages_are_followed_to_the_end() -> None:
    # The emulator answers first pages with page numbers; the real API may answer with a
    # cursor from the first page on, so that path is driven here by a recorded shape.
    pages = {
        None: ([{"id": 1}, {"id": 2}], "c2", True),
        "c2": ([{"id": 3}, {"id": 4}], "c4", True),
        "c4": ([{"id": 5}], "c5", False),
    }
    asked: list[dict[str, Any]] = []

    def fetch(params: dict[str, Any]) -> dict[str, Any]:
        asked.append(dict(params))
        data, end, more = pages[params.get("after")]
        links = {"next": f"?after={end}"} if more else {}
        return {"data": data, "meta": {"cursor_pagination": {"end_cursor": end, "links": links}}}

    got = [r["id"] for page in cursor_or_page_numbers(fetch, 2) for r in page]
    assert got == [1, 2, 3, 4, 5]
    assert asked == [{"limit": 2}, {"limit": 2, "after": "c2"}, {"limit": 2, "after": "c4"}]


def test_a_cursor_that_does_not_advance_fails_instead_of_looping() -> None:
    def fetch(params: dict[str, Any]) -> dict[str, Any]:
        cursor = {"end_cursor": "same", "links": {"next": "?after=same"}}
        return {"data": [{"id": 1}], "meta": {"cursor_pagination": cursor}}

    with pytest.raises(RuntimeError, match="did not advance"):
        list(cursor_or_page_numbers(fetch, 1))


def test_codes_of_every_coupon_promotion_in_pages(emulator: Emulator) -> None:
    coupon = next(p for p in emulator.collection("promotions") if p["redemption_type"] == "COUPON")
    for i in range(5):
        r = emulator.api("POST", f"/v3/promotions/{coupon['id']}/codes", json={"code": f"T2X{i}"})
        assert r.status_code == 201, r.text
    stored = {r["id"]: r for r in emulator.collection("promotion_codes")}
    since = max(e["seq"] for e in emulator.requests_log())

    run = run_tap(base_config(emulator, page_size=2), streams=["promotion_codes"])
    assert run.returncode == 0, run.stderr[-2000:]
    emitted = run.records["promotion_codes"]
    assert sorted(r["id"] for r in emitted) == sorted(stored)
    for record in emitted:
        assert record["promotion_id"] == stored[record["id"]]["promotion_id"]
        assert record["code"] == stored[record["id"]]["code"]

    prefix = f"/stores/{emulator.store_hash}"
    made = Counter(e["path"].split(prefix, 1)[1] for e in emulator.requests_log(since))
    per_promotion = Counter(r["promotion_id"] for r in stored.values())
    coupons = [p for p in emulator.collection("promotions") if p["redemption_type"] == "COUPON"]
    assert made.pop("/v3/promotions") == max(1, math.ceil(len(coupons) / 2))
    assert dict(made) == {
        f"/v3/promotions/{p['id']}/codes": max(1, math.ceil(per_promotion[p["id"]] / 2))
        for p in coupons
    }
