"""Channels, sites and site routes over real HTTP."""

from __future__ import annotations

from tests.emulator_process import Emulator


def test_channel_filters_and_include(shared_emulator: Emulator) -> None:
    channels = shared_emulator.api("GET", "/v3/channels").json()["data"]
    assert channels[0]["id"] == 1 and channels[0]["type"] == "storefront"
    assert "currencies" not in channels[0]
    with_cur = shared_emulator.api("GET", "/v3/channels", params={"include": "currencies"})
    cur = with_cur.json()["data"][0]["currencies"]
    assert cur["default_currency"] == "USD" and "USD" in cur["enabled_currencies"]
    storefronts = shared_emulator.api("GET", "/v3/channels", params={"type:in": "storefront"})
    assert {c["type"] for c in storefronts.json()["data"]} == {"storefront"}
    available = shared_emulator.api("GET", "/v3/channels", params={"available": "true"})
    assert all(
        c["status"] in ("active", "prelaunch", "inactive", "connected")
        for c in available.json()["data"]
    )
    middle = sorted(c["date_modified"] for c in channels)[len(channels) // 2]
    newer = shared_emulator.api("GET", "/v3/channels", params={"date_modified:min": middle})
    assert {c["id"] for c in newer.json()["data"]} == {
        c["id"] for c in channels if c["date_modified"] >= middle
    }


def test_channel_create_update_and_site_lifecycle(emulator: Emulator) -> None:
    bad = emulator.api("POST", "/v3/channels", json={"name": "Shop"})
    assert bad.status_code == 422 and {"type", "platform"} <= set(bad.json()["errors"])
    body = {"name": "Pop-up", "type": "storefront", "platform": "bigcommerce"}
    r = emulator.api("POST", "/v3/channels", json=body)
    assert r.status_code == 200, r.text
    channel = r.json()["data"]
    assert emulator.api("POST", "/v3/channels", json=body).status_code == 409
    r = emulator.api("PUT", f"/v3/channels/{channel['id']}", json={"status": "inactive"})
    assert r.status_code == 200 and r.json()["data"]["status"] == "inactive"
    assert r.json()["data"]["date_modified"] >= channel["date_modified"]
    assert emulator.api("GET", "/v3/channels/9999").status_code == 404

    site = emulator.api(
        "POST", "/v3/sites", json={"url": "https://popup.example.com", "channel_id": channel["id"]}
    )
    assert site.status_code == 201, site.text
    site_id = site.json()["data"]["id"]
    listed = emulator.api("GET", "/v3/sites", params={"channel_id:in": channel["id"]})
    assert [s["id"] for s in listed.json()["data"]] == [site_id]
    pagination = listed.json()["meta"]["pagination"]
    assert pagination["total_items"] == pagination["total"] == 1 and pagination["offset"] == 0
    r = emulator.api("PUT", f"/v3/sites/{site_id}", json={"url": "https://pop.example.com"})
    assert r.json()["data"]["url"] == "https://pop.example.com"

    route = emulator.api(
        "POST",
        f"/v3/sites/{site_id}/routes",
        json={"type": "product", "matching": "*", "route": "/p/{slug}/"},
    )
    assert route.status_code == 201
    route_id = route.json()["data"]["id"]
    got = emulator.api("GET", f"/v3/sites/{site_id}/routes", params={"type": "product"})
    assert [x["id"] for x in got.json()["data"]] == [route_id]
    r = emulator.api(
        "PUT", f"/v3/sites/{site_id}/routes", json=[{"id": route_id, "route": "/item/{slug}/"}]
    )
    assert r.status_code == 200 and r.json()["data"][0]["route"] == "/item/{slug}/"
    r = emulator.api(
        "POST", f"/v3/sites/{site_id}/routes", json={"type": "nope", "matching": "*", "route": "/"}
    )
    assert r.status_code == 422
    assert emulator.api("DELETE", f"/v3/sites/{site_id}/routes/{route_id}").status_code == 204
    assert emulator.api("DELETE", f"/v3/sites/{site_id}").status_code == 204
    assert emulator.api("GET", f"/v3/sites/{site_id}").status_code == 404


def _listing_channel(emu: Emulator) -> int:
    found = emu.api("GET", "/v3/channels", params={"type:in": "marketplace"}).json()["data"]
    assert found, "the seeded store has a marketplace channel"
    return int(found[0]["id"])


def test_listings_page_by_after_and_filter(shared_emulator: Emulator) -> None:
    channel_id = _listing_channel(shared_emulator)
    path = f"/v3/channels/{channel_id}/listings"
    everything = shared_emulator.api("GET", path, params={"limit": 250}).json()
    assert everything["data"], "selling channels list some products"
    seen: list[int] = []
    params: dict[str, object] = {"limit": 3}
    for _ in range(200):
        body = shared_emulator.api("GET", path, params=params).json()
        seen.extend(x["listing_id"] for x in body["data"])
        nxt = body["meta"]["pagination"]["links"].get("next")
        if not nxt:
            break
        params = {"limit": 3, "after": body["data"][-1]["listing_id"]}
    assert seen == [x["listing_id"] for x in everything["data"]]
    assert everything["meta"]["pagination"]["total"] == len(seen)
    products = shared_emulator.collection("products")
    variants = shared_emulator.collection("product_variants")
    first = everything["data"][0]
    assert first["product_id"] in {p["id"] for p in products}
    assert {v["variant_id"] for v in first["variants"]} == {
        v["id"] for v in variants if v["product_id"] == first["product_id"]
    }
    one = shared_emulator.api("GET", path, params={"product_id:in": first["product_id"]})
    assert [x["listing_id"] for x in one.json()["data"]] == [first["listing_id"]]
    single = shared_emulator.api("GET", f"{path}/{first['listing_id']}").json()["data"]
    assert single == first


def test_listing_create_and_update(emulator: Emulator) -> None:
    channel_id = _listing_channel(emulator)
    path = f"/v3/channels/{channel_id}/listings"
    variant = emulator.collection("product_variants")[0]
    item = {
        "product_id": variant["product_id"],
        "state": "pending",
        "variants": [
            {"product_id": variant["product_id"], "variant_id": variant["id"], "state": "pending"}
        ],
    }
    r = emulator.api("POST", path, json=[item])
    assert r.status_code == 200, r.text
    listing = r.json()["data"][0]
    bad = emulator.api("POST", path, json=[{**item, "product_id": 10**7}])
    assert bad.status_code == 422
    r = emulator.api(
        "PUT", path, json=[{**item, "listing_id": listing["listing_id"], "state": "active"}]
    )
    assert r.status_code == 200 and r.json()["data"][0]["state"] == "active"
    got = emulator.api("GET", f"{path}/{listing['listing_id']}").json()["data"]
    assert got["state"] == "active" and got["date_modified"] >= listing["date_modified"]
