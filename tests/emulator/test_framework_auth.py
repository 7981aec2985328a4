"""X-Auth-Token and scopes over real HTTP: 401 without a valid token, 403 per scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bigcommerce_emulator.routes import all_routes
from tests.emulator.framework_support import concrete, plain_get_route, write_route
from tests.emulator_process import Emulator, running_emulator

RATE_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--quota", "0") as e:
        yield e


def _ok(status: int) -> bool:
    return status in (200, 204)


def test_missing_token_is_401(emu: Emulator) -> None:
    route = plain_get_route()
    r = emu.session.get(f"{emu.base_url}/stores/{emu.store_hash}{route.path}", timeout=30)
    assert r.status_code == 401
    for h in RATE_HEADERS:
        assert h in r.headers


def test_bad_token_is_401_with_the_versioned_error_body(emu: Emulator) -> None:
    for version in ("v2", "v3"):
        route = plain_get_route(version)
        r = emu.api("GET", route.path, token="not-a-token")
        assert r.status_code == 401
        body = r.json()
        if version == "v3":
            assert body["status"] == 401 and body["title"]
        else:
            assert isinstance(body, list) and body[0]["status"] == 401


def test_valid_token_is_served(emu: Emulator) -> None:
    route = plain_get_route()
    assert _ok(emu.api("GET", route.path).status_code)


def test_token_for_another_store_is_401() -> None:
    with running_emulator(
        "--size", "tiny", "--quota", "0", "--store-hash", "other", "--token", "other-token"
    ) as e:
        route = plain_get_route()
        assert _ok(e.api("GET", route.path).status_code)
        assert e.api("GET", route.path, token="other-token").status_code == 401
        r = e.session.get(
            f"{e.base_url}/stores/other{route.path}",
            headers={"X-Auth-Token": "other-token"},
            timeout=30,
        )
        assert _ok(r.status_code)


def test_unknown_store_is_404(emu: Emulator) -> None:
    route = plain_get_route()
    r = emu.session.get(
        f"{emu.base_url}/stores/nosuchstore{route.path}",
        headers={"X-Auth-Token": emu.token},
        timeout=30,
    )
    assert r.status_code == 404


def test_token_without_scopes_is_403(emu: Emulator) -> None:
    emu.add_token("no-scopes", [])
    route = plain_get_route()
    r = emu.api("GET", route.path, token="no-scopes")
    assert r.status_code == 403
    for h in RATE_HEADERS:
        assert h in r.headers


def test_read_only_scope_reads_but_cannot_write(emu: Emulator) -> None:
    route = write_route()
    reads = [
        s
        for s in all_routes()
        if s.method == "GET" and s.scope == route.scope and "{" not in s.path
    ]
    emu.add_token("read-only", [f"{route.scope}_read_only"])
    if reads:
        assert _ok(emu.api("GET", reads[0].path, token="read-only").status_code)
    r = emu.api(route.method, concrete(route.path), token="read-only", json={})
    assert r.status_code == 403
    # The modify scope passes the scope check (the handler may then reject the body).
    emu.add_token("modify", [route.scope])
    r = emu.api(route.method, concrete(route.path), token="modify", json={})
    assert r.status_code != 403


def test_scope_of_another_area_is_403(emu: Emulator) -> None:
    route = plain_get_route()
    other = "store_v2_content" if route.scope != "store_v2_content" else "store_v2_orders"
    emu.add_token("other-area", [other, f"{other}_read_only"])
    assert emu.api("GET", route.path, token="other-area").status_code == 403
    emu.add_token("right-area", [f"{route.scope}_read_only"])
    assert _ok(emu.api("GET", route.path, token="right-area").status_code)
