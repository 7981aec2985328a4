"""Webhook subscriptions over real HTTP."""

from __future__ import annotations

from tests.emulator_process import Emulator


def test_hooks_filters(shared_emulator: Emulator) -> None:
    hooks = shared_emulator.api("GET", "/v3/hooks").json()["data"]
    assert hooks and all(h["store_hash"] == shared_emulator.store_hash for h in hooks)
    assert all(
        isinstance(h["created_at"], int) and h["updated_at"] >= h["created_at"] for h in hooks
    )
    scope = hooks[0]["scope"]
    by_scope = shared_emulator.api("GET", "/v3/hooks", params={"scope": scope}).json()["data"]
    assert [h["id"] for h in by_scope] == [h["id"] for h in hooks if h["scope"] == scope]
    active = shared_emulator.api("GET", "/v3/hooks", params={"is_active": "false"}).json()["data"]
    assert [h["id"] for h in active] == [h["id"] for h in hooks if not h["is_active"]]


def test_hook_crud(emulator: Emulator) -> None:
    body = {"scope": "store/product/created", "destination": "https://example.com/hook"}
    r = emulator.api("POST", "/v3/hooks", json=body)
    assert r.status_code == 200, r.text
    hook = r.json()["data"]
    assert hook["is_active"] is True and hook["headers"] is None
    assert emulator.api("POST", "/v3/hooks", json=body).status_code == 422, "duplicate"
    bad = emulator.api("POST", "/v3/hooks", json={"scope": "store/product/created"})
    assert bad.status_code == 422 and "destination" in bad.json()["errors"]
    plain = emulator.api("POST", "/v3/hooks", json={**body, "destination": "http://example.com"})
    assert plain.status_code == 422, "destinations must be https"
    r = emulator.api("PUT", f"/v3/hooks/{hook['id']}", json={"is_active": False})
    assert r.json()["data"]["is_active"] is False
    assert emulator.api("GET", f"/v3/hooks/{hook['id']}").json()["data"]["is_active"] is False
    deleted = emulator.api("DELETE", f"/v3/hooks/{hook['id']}")
    assert deleted.status_code == 200 and deleted.json()["data"]["id"] == hook["id"]
    assert emulator.api("GET", f"/v3/hooks/{hook['id']}").status_code == 404
