"""The store, channel, pricing, inventory, marketing, content and webhook streams: records
equal the emulator's data (count and content, after normalisation), match their schemas,
and a full sync makes the minimum number of requests."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.emulator_process import Emulator
from tests.tap.canon import mismatches
from tests.tap.tap_runner import TapRun, base_config, run_tap

SCHEMAS = Path(__file__).resolve().parents[2] / "tap_bigcommerce" / "schemas"
Record = dict[str, Any]
Key = Callable[[Record], Any]


def by_id(r: Record) -> Any:
    return r["id"]


def by_price_record(r: Record) -> Any:
    return (r["price_list_id"], r["variant_id"], r["currency"])


def by_stock_level(r: Record) -> Any:
    return (r["variant_id"], r["location_id"])


def unix_iso(value: Any) -> str | None:
    seconds = int(value)
    return datetime.fromtimestamp(seconds, UTC).isoformat() if seconds else None


def banner(r: Record) -> Record:
    return {**r, "date_from": unix_iso(r["date_from"]), "date_to": unix_iso(r["date_to"])}


def webhook(r: Record) -> Record:
    return {**r, "created_at": unix_iso(r["created_at"]), "updated_at": unix_iso(r["updated_at"])}


def blog_post(r: Record) -> Record:
    # The list writes published_date as an object and the ISO form beside it.
    out = {k: v for k, v in r.items() if k != "published_date"}
    out["published_date_iso8601"] = r["published_date"]
    return out


def store_info(r: Record) -> Record:
    # The emulator numbers its stored profile; the API's id is the store's own id string.
    return {k: v for k, v in r.items() if k != "id"}


# stream -> (key of one record, emulator record as the tap should emit it)
STREAMS: dict[str, tuple[Key, Callable[[Record], Record]]] = {
    "store_info": (lambda r: 1, store_info),
    "currencies": (by_id, dict),
    "channels": (by_id, dict),
    "sites": (by_id, dict),
    "site_routes": (by_id, dict),
    "price_lists": (by_id, dict),
    "price_list_records": (by_price_record, dict),
    "price_list_assignments": (by_id, dict),
    "locations": (by_id, dict),
    "inventory_items": (by_stock_level, dict),
    "coupons": (by_id, dict),
    "promotions": (by_id, dict),
    "promotion_codes": (by_id, dict),
    "gift_certificates": (by_id, dict),
    "banners": (by_id, banner),
    "pages": (by_id, dict),
    "blog_posts": (by_id, blog_post),
    "redirects": (by_id, dict),
    "webhooks": (by_id, webhook),
}
ALL = [*STREAMS, "blog_tags"]


@pytest.fixture(scope="module")
def full_sync(shared_emulator: Emulator) -> tuple[TapRun, list[Record]]:
    since = max((e["seq"] for e in shared_emulator.requests_log()), default=0)
    run = run_tap(base_config(shared_emulator, max_concurrency=4), streams=ALL)
    assert run.returncode == 0, run.stderr[-3000:]
    return run, shared_emulator.requests_log(since)


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_records_equal_emulator_data(
    full_sync: tuple[TapRun, list[Record]], shared_emulator: Emulator, stream: str
) -> None:
    run, _ = full_sync
    key, expected = STREAMS[stream]
    stored = {key(r): expected(r) for r in shared_emulator.collection(stream)}
    emitted = run.records.get(stream, [])
    assert stored, f"the emulator has no {stream} to compare with"
    keys = [key(r) for r in emitted]
    assert len(keys) == len(set(keys)), f"{stream}: a record was emitted twice"
    assert sorted(keys) == sorted(stored), stream
    for record in emitted:
        assert record["store_hash"] == shared_emulator.store_hash
        assert mismatches(record, stored[key(record)]) == [], (stream, key(record))


def test_blog_tags_list_every_tag_with_its_posts(
    full_sync: tuple[TapRun, list[Record]], shared_emulator: Emulator
) -> None:
    run, _ = full_sync
    expected: dict[str, set[int]] = {}
    for post in shared_emulator.collection("blog_posts"):
        for tag in post.get("tags") or []:
            expected.setdefault(tag, set()).add(post["id"])
    assert expected
    emitted = {r["tag"]: set(r["post_ids"]) for r in run.records["blog_tags"]}
    assert emitted == expected


@pytest.mark.parametrize("stream", ALL)
def test_records_match_their_schema(full_sync: tuple[TapRun, list[Record]], stream: str) -> None:
    run, _ = full_sync
    schema = json.loads((SCHEMAS / f"{stream}.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    dates = [n for n, p in schema["properties"].items() if p.get("format") == "date-time"]
    for record in run.records[stream]:
        errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(record)))]
        assert errors == [], (stream, errors[:3])
        for name in dates:
            value = record.get(name)
            if value is not None:
                # ISO 8601 in UTC, whatever the API wrote (RFC 2822, Unix seconds, ISO).
                assert datetime.fromisoformat(value).utcoffset() == UTC.utcoffset(None), value


def test_v2_money_and_dates_are_normalised(full_sync: tuple[TapRun, list[Record]]) -> None:
    run, _ = full_sync
    coupon = run.records["coupons"][0]
    assert isinstance(coupon["amount"], int | float | Decimal)
    assert "T" in coupon["date_created"] and coupon["date_created"].endswith("+00:00")
    certificate = run.records["gift_certificates"][0]
    assert isinstance(certificate["balance"], int | float | Decimal)
    assert certificate["purchase_date"].endswith("+00:00")
    rates = [c["currency_exchange_rate"] for c in run.records["currencies"]]
    assert all(isinstance(r, int | float | Decimal) for r in rates)
    hook = run.records["webhooks"][0]
    assert hook["created_at"].endswith("+00:00")


def test_full_sync_makes_the_minimum_requests(
    full_sync: tuple[TapRun, list[Record]], shared_emulator: Emulator
) -> None:
    _, log = full_sync
    prefix = f"/stores/{shared_emulator.store_hash}"
    assert {e["status"] for e in log} <= {200, 204}, Counter(e["status"] for e in log)
    made = Counter(e["path"].split(prefix, 1)[1] for e in log)

    def pages(n: int) -> int:
        return max(1, math.ceil(n / 250))

    def count(name: str) -> int:
        return len(shared_emulator.collection(name))

    promotions = shared_emulator.collection("promotions")
    coupon_promotions = [p for p in promotions if p["redemption_type"] == "COUPON"]
    codes = Counter(r["promotion_id"] for r in shared_emulator.collection("promotion_codes"))
    price_lists = shared_emulator.collection("price_lists")
    records = Counter(r["price_list_id"] for r in shared_emulator.collection("price_list_records"))
    variants = {r["variant_id"] for r in shared_emulator.collection("inventory_items")}
    expected = {
        "/v2/store": 1,  # one object
        "/v2/currencies": pages(count("currencies")),
        "/v3/channels": pages(count("channels")),
        "/v3/sites": pages(count("sites")),
        # Once for price_lists, once for price_list_records to learn the lists.
        "/v3/pricelists": pages(len(price_lists)) * 2,
        "/v3/pricelists/assignments": pages(count("price_list_assignments")),
        "/v3/inventory/locations": pages(count("locations")),
        "/v3/inventory/items": pages(len(variants)),
        "/v2/coupons": pages(count("coupons")),
        # v2 lists with a /count are counted before the read (and after it, unless one
        # short page held them all), so that a deletion while paging is noticed.
        "/v2/coupons/count": 1 if count("coupons") < 250 else 2,
        # Once for promotions, once for promotion_codes to learn the coupon promotions.
        "/v3/promotions": pages(len(promotions)) + pages(len(coupon_promotions)),
        "/v2/gift_certificates": pages(count("gift_certificates")),
        "/v2/banners": pages(count("banners")),
        "/v2/banners/count": 1 if count("banners") < 250 else 2,
        "/v3/content/pages": pages(count("pages")),
        "/v2/blog/posts": pages(count("blog_posts")),
        "/v2/blog/posts/count": 1 if count("blog_posts") < 250 else 2,
        "/v2/blog/tags": 1,  # one list, no paging
        "/v3/storefront/redirects": pages(count("redirects")),
        "/v3/hooks": pages(count("webhooks")),
    }
    # One request per 250 records of each price list (no bulk path across lists).
    for pl in price_lists:
        expected[f"/v3/pricelists/{pl['id']}/records"] = pages(records[pl["id"]])
    # One request per 250 routes of each site (no path lists every site's routes).
    routes = Counter(r["site_id"] for r in shared_emulator.collection("site_routes"))
    for site in shared_emulator.collection("sites"):
        expected[f"/v3/sites/{site['id']}/routes"] = pages(routes[site["id"]])
    # One request per 250 codes of each coupon promotion.
    for promotion in coupon_promotions:
        expected[f"/v3/promotions/{promotion['id']}/codes"] = pages(codes[promotion["id"]])
    assert dict(made) == expected
