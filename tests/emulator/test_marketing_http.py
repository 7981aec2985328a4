"""Coupons, gift certificates, banners and promotions over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as e:
        yield e


def test_coupon_filters_count_and_v2_quirks(shared_emulator: Emulator) -> None:
    coupons = shared_emulator.api("GET", "/v2/coupons", params={"limit": 250}).json()
    count = shared_emulator.api("GET", "/v2/coupons/count").json()["count"]
    assert count == len(coupons) > 2
    first = coupons[0]
    assert isinstance(first["amount"], str) and first["amount"].count(".") == 1
    assert first["date_created"].endswith("+0000")
    by_code = shared_emulator.api("GET", "/v2/coupons", params={"code": first["code"]}).json()
    assert [c["id"] for c in by_code] == [first["id"]]
    ranged = shared_emulator.api("GET", "/v2/coupons", params={"min_id": 2, "max_id": 3}).json()
    assert [c["id"] for c in ranged] == [2, 3]
    kind = first["type"]
    excluded = shared_emulator.api("GET", "/v2/coupons", params={"exclude_type": kind}).json()
    assert all(c["type"] != kind for c in excluded)
    nothing = shared_emulator.api("GET", "/v2/coupons", params={"code": "NOPE"})
    assert nothing.status_code == 204 and nothing.content == b""
    assert shared_emulator.api("GET", "/v2/coupons", params={"limit": 300}).status_code == 413


def test_coupon_crud_and_duplicate_code(emu: Emulator) -> None:
    body = {
        "name": "Ten off",
        "type": "per_total_discount",
        "amount": "10",
        "code": "TENOFF",
        "applies_to": {"entity": "categories", "ids": [0]},
    }
    r = emu.api("POST", "/v2/coupons", json=body)
    assert r.status_code == 201, r.text
    coupon = r.json()
    assert coupon["amount"] == "10.0000"
    assert emu.api("POST", "/v2/coupons", json=body).status_code == 409
    r = emu.api("PUT", f"/v2/coupons/{coupon['id']}", json={"enabled": False, "amount": 12.5})
    assert r.json()["enabled"] is False and r.json()["amount"] == "12.5000"
    assert emu.api("POST", "/v2/coupons", json={"name": "x"}).status_code == 400
    assert emu.api("DELETE", f"/v2/coupons/{coupon['id']}").status_code == 204
    assert emu.api("GET", "/v2/coupons", params={"code": "TENOFF"}).status_code == 204


def test_gift_certificates_filters_and_crud(emu: Emulator) -> None:
    certs = emu.api("GET", "/v2/gift_certificates", params={"limit": 250}).json()
    desc = emu.api("GET", "/v2/gift_certificates", params={"sort": "id", "direction": "desc"})
    assert [c["id"] for c in desc.json()] == sorted((c["id"] for c in certs), reverse=True)[:50]
    email = certs[0]["to_email"]
    got = emu.api("GET", "/v2/gift_certificates", params={"to_email": email}).json()
    assert got and all(c["to_email"] == email for c in got)
    body = {
        "to_name": "Pat",
        "to_email": "pat@example.com",
        "from_name": "Sam",
        "from_email": "sam@example.com",
        "amount": "40",
    }
    r = emu.api("POST", "/v2/gift_certificates", json=body)
    assert r.status_code == 201, r.text
    cert = r.json()
    assert cert["balance"] == "40.0000" and cert["purchase_date"].endswith("+0000")
    r = emu.api("PUT", f"/v2/gift_certificates/{cert['id']}", json={"status": "disabled"})
    assert r.json()["status"] == "disabled"
    assert emu.api("GET", f"/v2/gift_certificates/{cert['id']}").json()["status"] == "disabled"
    assert emu.api("DELETE", f"/v2/gift_certificates/{cert['id']}").status_code == 204
    assert emu.api("GET", f"/v2/gift_certificates/{cert['id']}").status_code == 404


def test_banners_crud_and_count(emu: Emulator) -> None:
    before = emu.api("GET", "/v2/banners/count").json()["count"]
    body = {
        "name": "Sale",
        "content": "<p>Sale</p>",
        "page": "home_page",
        "location": "top",
        "date_type": "always",
    }
    r = emu.api("POST", "/v2/banners", json=body)
    assert r.status_code == 200, r.text
    banner = r.json()
    assert emu.api("GET", "/v2/banners/count").json()["count"] == before + 1
    r = emu.api("PUT", f"/v2/banners/{banner['id']}", json={"location": "bottom"})
    assert r.json()["location"] == "bottom"
    assert emu.api("DELETE", f"/v2/banners/{banner['id']}").status_code == 204
    assert emu.api("GET", f"/v2/banners/{banner['id']}").status_code == 404


def test_promotion_filters_sort_and_crud(emu: Emulator) -> None:
    promos = emu.api("GET", "/v3/promotions", params={"limit": 250}).json()["data"]
    coupons = emu.api("GET", "/v3/promotions", params={"redemption_type": "coupon"}).json()
    assert coupons["data"] and all(p["redemption_type"] == "COUPON" for p in coupons["data"])
    by_name = emu.api("GET", "/v3/promotions", params={"sort": "name", "direction": "desc"})
    names = [p["name"] for p in by_name.json()["data"]]
    assert names == sorted(names, reverse=True)
    code = coupons["data"][0]["codes"]["code"]
    by_code = emu.api("GET", "/v3/promotions", params={"code": code}).json()["data"]
    assert [p["id"] for p in by_code] == [coupons["data"][0]["id"]]
    assert len(promos) >= 4

    body = {
        "name": "Free gift",
        "redemption_type": "COUPON",
        "rules": [{"action": {"cart_value": {"discount": {"fixed_amount": "5"}}}}],
    }
    r = emu.api("POST", "/v3/promotions", json=body)
    assert r.status_code == 201, r.text
    promo = r.json()["data"]
    assert emu.api("POST", "/v3/promotions", json={"name": "x"}).status_code == 422
    r = emu.api("POST", f"/v3/promotions/{promo['id']}/codes", json={"code": "GIFT5"})
    assert r.status_code == 201
    assert (
        emu.api("POST", f"/v3/promotions/{promo['id']}/codes", json={"code": "GIFT5"}).status_code
        == 409
    )
    codes = emu.api("GET", f"/v3/promotions/{promo['id']}/codes").json()["data"]
    assert [c["code"] for c in codes] == ["GIFT5"]
    r = emu.api("PUT", f"/v3/promotions/{promo['id']}", json={"status": "DISABLED"})
    assert r.json()["data"]["status"] == "DISABLED"
    assert emu.api("DELETE", "/v3/promotions", params={"id:in": promo["id"]}).status_code == 204
    assert emu.api("GET", f"/v3/promotions/{promo['id']}").status_code == 404
