"""Triggers change data when the Nth matching request arrives, before it is served."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator_process import Emulator, running_emulator

LIST = "/v3/catalog/products"


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--quota", "0") as e:
        yield e


@pytest.fixture
def emu(module_emu: Emulator) -> Emulator:
    module_emu.reset()
    module_emu.control("DELETE", "/triggers")
    return module_emu


def _names(emu: Emulator) -> dict[int, str]:
    r = emu.api("GET", LIST, params={"limit": 250})
    assert r.status_code == 200
    return {p["id"]: p["name"] for p in r.json()["data"]}


def test_update_fires_before_the_nth_matching_request_is_served(emu: Emulator) -> None:
    pid = emu.collection("products")[0]["id"]
    trig = emu.trigger(
        {"op": "update", "collection": "products", "id": pid, "changes": {"name": "Mid-sync"}},
        after=2,
        method="GET",
        path=f"^{LIST}$",
    )
    assert emu.api("GET", f"{LIST}/{pid}").status_code == 200  # does not match the path
    assert _names(emu)[pid] != "Mid-sync"  # 1st match
    assert _names(emu)[pid] == "Mid-sync"  # 2nd match: changed before it was served
    state = emu.control("GET", "/triggers")
    assert [(t["id"], t["fired"], t["seen"], t["error"]) for t in state] == [
        (trig["id"], True, 2, None)
    ]


def test_delete_create_and_touch_actions(emu: Emulator) -> None:
    products = emu.collection("products")
    doomed = products[0]["id"]
    emu.trigger({"op": "delete", "collection": "products", "id": doomed}, after=1, path=LIST)
    emu.trigger({"op": "touch", "collection": "products", "ids": [products[1]["id"]]}, after=1)
    assert doomed not in _names(emu)
    touched = emu.control(
        "GET", f"/stores/{emu.store_hash}/collections/products/{products[1]['id']}"
    )
    assert touched["date_modified"] > products[1]["date_modified"]
    factories = emu.control("GET", "/factories")
    if "products" in factories:
        emu.trigger({"op": "create", "collection": "products"}, after=1)
        assert len(_names(emu)) == len(products)  # one deleted, one created


def test_revoke_token_action_revokes_before_the_nth_request(emu: Emulator) -> None:
    emu.add_token("mid-sync-token")
    emu.trigger({"op": "revoke_token", "token": "mid-sync-token"}, after=2, path=f"^{LIST}$")
    assert emu.api("GET", LIST, token="mid-sync-token").status_code == 200
    assert emu.api("GET", LIST, token="mid-sync-token").status_code == 401
    assert emu.api("GET", LIST).status_code == 200  # other tokens keep working
    emu.trigger({"op": "revoke_token", "token": "no-such-token"}, after=1)
    assert emu.api("GET", LIST).status_code == 200
    errors = [t["error"] for t in emu.control("GET", "/triggers")]
    assert errors[0] is None and "no such access token" in errors[1]
    r = emu.session.post(
        f"{emu.base_url}/__emulator/triggers",
        json={"store_hash": emu.store_hash, "action": {"op": "revoke_token"}},
        timeout=30,
    )
    assert r.status_code == 400 and "action.token" in r.json()["error"]


def test_trigger_errors_are_reported_not_raised(emu: Emulator) -> None:
    emu.trigger({"op": "update", "collection": "products", "id": 999999, "changes": {}}, after=1)
    assert emu.api("GET", LIST).status_code == 200
    (trig,) = emu.control("GET", "/triggers")
    assert trig["fired"] and "999999" in trig["error"]


def test_bad_trigger_is_a_clear_400(emu: Emulator) -> None:
    url = f"{emu.base_url}/__emulator/triggers"
    r = emu.session.post(
        url, json={"store_hash": emu.store_hash, "action": {"op": "x"}}, timeout=30
    )
    assert r.status_code == 400 and "action.op" in r.json()["error"]
    r = emu.session.post(url, json={"store_hash": "nope", "action": {}}, timeout=30)
    assert r.status_code == 400 and "nope" in r.json()["error"]


def test_clear_triggers(emu: Emulator) -> None:
    emu.trigger({"op": "delete", "collection": "products", "id": 1}, after=5)
    assert len(emu.control("GET", "/triggers")) == 1
    emu.control("DELETE", "/triggers")
    assert emu.control("GET", "/triggers") == []
