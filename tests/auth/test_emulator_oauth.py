"""The emulator's OAuth server, over HTTP: authorize page, token endpoint, expiry, revoke."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.auth.oauth_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    approve,
    oauth_emulator,
    read_authorize_page,
)
from tests.emulator_process import Emulator

CALLBACK = "https://app.example.com/auth/callback"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with oauth_emulator("--oauth-expires-in", "3600", "--oauth-rotate-refresh") as e:
        yield e


def _authorize_url(emu: Emulator, scope: str, state: str = "st-1") -> str:
    query = {
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": scope,
        "state": state,
    }
    return f"{emu.base_url}/oauth2/authorize?{urlencode(query)}"


def _callback(emu: Emulator, scope: str, state: str = "st-1") -> dict[str, str]:
    r = approve(_authorize_url(emu, scope, state), follow=False)
    assert r.status_code == 302
    location = r.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _exchange(emu: Emulator, cb: dict[str, str], *, as_json: bool = False) -> requests.Response:
    body = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": cb["code"],
        "scope": cb["scope"],
        "grant_type": "authorization_code",
        "redirect_uri": CALLBACK,
        "context": cb["context"],
    }
    url = f"{emu.base_url}/oauth2/token"
    return (
        requests.post(url, json=body, timeout=30)
        if as_json
        else requests.post(url, data=body, timeout=30)
    )


def test_authorize_page_lists_scopes_and_redirects_with_documented_params(emu: Emulator) -> None:
    form = read_authorize_page(
        _authorize_url(emu, "store_v2_products store_v2_orders_read_only"), requests.Session()
    )
    assert form.scopes == ["store_v2_products", "store_v2_orders_read_only"]
    assert form.fields["store_hash"] == emu.store_hash
    cb = _callback(emu, "store_v2_products", state="xyz")
    assert set(cb) == {"code", "scope", "context", "account_uuid", "state"}
    assert cb["context"] == f"stores/{emu.store_hash}"
    assert cb["scope"] == "store_v2_products"
    assert cb["state"] == "xyz"


def test_deny_redirects_with_access_denied(emu: Emulator) -> None:
    r = approve(_authorize_url(emu, "store_v2_products"), decision="deny", follow=False)
    query = parse_qs(urlsplit(r.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and "code" not in query


def test_unknown_client_and_scope_are_refused(emu: Emulator) -> None:
    bad_client = _authorize_url(emu, "store_v2_products").replace(CLIENT_ID, "nobody")
    assert requests.get(bad_client, timeout=30).status_code == 400
    assert requests.get(_authorize_url(emu, "store_everything"), timeout=30).status_code == 400


@pytest.mark.parametrize("as_json", [False, True])
def test_code_exchange_answers_documented_fields_and_token_works(
    emu: Emulator, as_json: bool
) -> None:
    cb = _callback(emu, "store_v2_products_read_only")
    r = _exchange(emu, cb, as_json=as_json)
    assert r.status_code == 200, r.text
    body = r.json()
    for field in ("access_token", "scope", "user", "owner", "context", "account_uuid"):
        assert field in body
    assert body["context"] == f"stores/{emu.store_hash}"
    assert body["expires_in"] == 3600 and body["refresh_token"]
    token = body["access_token"]
    assert emu.api("GET", "/v3/catalog/products", token=token).status_code == 200
    # Only the granted scopes: another area is refused.
    assert emu.api("GET", "/v2/orders", token=token).status_code == 403
    # Codes are single-use.
    assert _exchange(emu, cb).json()["error"] == "invalid_grant"


def test_wrong_secret_and_wrong_redirect_are_refused(emu: Emulator) -> None:
    cb = _callback(emu, "store_v2_products")
    url = f"{emu.base_url}/oauth2/token"
    base = {"client_id": CLIENT_ID, "code": cb["code"], "grant_type": "authorization_code"}
    r = requests.post(
        url, data={**base, "client_secret": "nope", "redirect_uri": CALLBACK}, timeout=30
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = requests.post(
        url,
        data={**base, "client_secret": CLIENT_SECRET, "redirect_uri": "https://evil.example/cb"},
        timeout=30,
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_revoke_invalidates(emu: Emulator) -> None:
    first = _exchange(emu, _callback(emu, "store_v2_products")).json()
    url = f"{emu.base_url}/oauth2/token"
    refresh = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
    }
    second = requests.post(url, data=refresh, timeout=30).json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    # Rotation: the old refresh token is spent.
    again = requests.post(url, data=refresh, timeout=30)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert emu.api("GET", "/v3/catalog/products", token=second["access_token"]).status_code == 200
    emu.control("POST", "/oauth/revoke", json={"token": second["access_token"]})
    assert emu.api("GET", "/v3/catalog/products", token=second["access_token"]).status_code == 401
    counts = emu.control("GET", "/oauth/stats")["counts"]
    assert counts["refresh_token"] >= 1 and counts["rejected"] >= 1


def test_tokens_expire_in_expiring_mode() -> None:
    with oauth_emulator("--oauth-expires-in", "0") as e:
        body = _exchange(e, _callback(e, "store_v2_products")).json()
        assert body["expires_in"] == 0
        assert e.api("GET", "/v3/catalog/products", token=body["access_token"]).status_code == 401


def test_non_expiring_mode_has_no_refresh() -> None:
    with oauth_emulator() as e:
        body = _exchange(e, _callback(e, "store_v2_products")).json()
        assert "expires_in" not in body and "refresh_token" not in body
        assert e.api("GET", "/v3/catalog/products", token=body["access_token"]).status_code == 200
