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
