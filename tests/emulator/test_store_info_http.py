"""Store profile, store time and currencies over real HTTP."""

from __future__ import annotations

import time

from tests.emulator_process import Emulator


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
