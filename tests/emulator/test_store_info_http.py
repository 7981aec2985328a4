"""Store profile, store time and currencies over real HTTP."""

from __future__ import annotations

import time

from tests.emulator_process import Emulator, running_emulator


def test_store_profile_and_time(shared_emulator: Emulator) -> None:
    store = shared_emulator.api("GET", "/v2/store").json()
    assert store["id"] == shared_emulator.store_hash
    assert store["currency"] == "USD" and store["default_channel_id"] == 1
    sites = shared_emulator.api("GET", "/v3/sites").json()["data"]
    assert store["default_site_id"] in [s["id"] for s in sites]
    server = shared_emulator.api("GET", "/v2/time").json()["time"]
    assert abs(server - time.time()) < 60


def test_currencies_list_paging_quirks(shared_emulator: Emulator) -> None:
    r = shared_emulator.api("GET", "/v2/currencies")
    currencies = r.json()
    assert [c["is_default"] for c in currencies].count(True) == 1
    assert currencies[0]["currency_code"] == "USD"
    # v2: RFC 2822 dates and decimal strings.
    assert currencies[0]["last_updated"].endswith("+0000")
    assert isinstance(currencies[0]["currency_exchange_rate"], str)
    past = shared_emulator.api("GET", "/v2/currencies", params={"page": 99})
    assert past.status_code == 204 and past.content == b""
    assert shared_emulator.api("GET", "/v2/currencies", params={"limit": 251}).status_code == 413


def test_currency_crud(emulator: Emulator) -> None:
    body = {
        "currency_code": "JPY",
        "currency_exchange_rate": "151.2",
        "token_location": "left",
        "token": "¥",
        "decimal_token": ".",
        "thousands_token": ",",
        "decimal_places": 0,
        "name": "Japanese Yen",
    }
    r = emulator.api("POST", "/v2/currencies", json=body)
    assert r.status_code == 200, r.text
    created = r.json()
    assert created["currency_exchange_rate"] == "151.2000000000"
    assert emulator.api("POST", "/v2/currencies", json=body).status_code == 409
    missing = emulator.api("POST", "/v2/currencies", json={"currency_code": "CHF"})
    assert missing.status_code == 400
    r = emulator.api("PUT", f"/v2/currencies/{created['id']}", json={"enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False
    assert emulator.api("GET", f"/v2/currencies/{created['id']}").json()["enabled"] is False
    assert emulator.api("DELETE", f"/v2/currencies/{created['id']}").status_code == 204
    assert emulator.api("GET", f"/v2/currencies/{created['id']}").status_code == 404
    assert emulator.api("DELETE", "/v2/currencies/1").status_code == 400, "default stays"


AREA_COLLECTIONS = (
    "store_info",
    "currencies",
    "channels",
    "sites",
    "price_lists",
    "price_list_records",
    "price_list_assignments",
    "locations",
    "inventory_items",
    "coupons",
    "gift_certificates",
    "banners",
    "promotions",
    "pages",
    "blog_posts",
    "redirects",
    "webhooks",
)


def test_seeded_areas_are_deterministic_per_seed() -> None:
    with (
        running_emulator("--size", "tiny", "--seed", "21", "--quota", "0") as a,
        running_emulator("--size", "tiny", "--seed", "21", "--quota", "0") as b,
        running_emulator("--size", "tiny", "--seed", "22", "--quota", "0") as c,
    ):
        differs = []
        for name in AREA_COLLECTIONS:
            first = a.collection(name)
            assert first, f"{name} is seeded"
            assert first == b.collection(name), f"{name} differs for the same seed"
            if first != c.collection(name):
                differs.append(name)
        assert len(differs) > len(AREA_COLLECTIONS) // 2, "another seed gives other data"


def test_control_api_creates_area_records_through_factories(emulator: Emulator) -> None:
    path = f"/stores/{emulator.store_hash}/collections"
    coupon = emulator.control("POST", f"{path}/coupons", json={"code": "MERCHANT1"})
    listed = emulator.api("GET", "/v2/coupons", params={"code": "MERCHANT1"}).json()
    assert [c["id"] for c in listed] == [coupon["id"]]
    plist = emulator.control("POST", f"{path}/price_lists", json={"name": "Merchant list"})
    got = emulator.api("GET", f"/v3/pricelists/{plist['id']}").json()["data"]
    assert got["name"] == "Merchant list"
    hook = emulator.control("POST", f"{path}/webhooks", json={"is_active": True})
    assert emulator.api("GET", f"/v3/hooks/{hook['id']}").json()["data"]["is_active"] is True
