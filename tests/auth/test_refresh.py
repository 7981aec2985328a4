"""Refresh: ahead of expiry, after a 401 (through the client's seam), rotation persisted at
once, and two processes refreshing the same settings file together."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tap_bigcommerce.auth import authenticator_from_config
from tap_bigcommerce.auth.errors import TokenUnavailableError
from tap_bigcommerce.auth.oauth_authenticator import OAuthAuthenticator
from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.token_set import TokenSet
from tap_bigcommerce.auth.web_flow import get_access_token, get_authorization_url
from tap_bigcommerce.client.http import BigCommerceClient
from tests.auth.oauth_helpers import CLIENT_ID, CLIENT_SECRET, approve, oauth_config, oauth_emulator
from tests.emulator_process import Emulator

CALLBACK = "https://app.example.com/cb"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with oauth_emulator("--oauth-expires-in", "3600", "--oauth-rotate-refresh") as e:
        yield e


def counts(emu: Emulator) -> dict[str, int]:
    return dict(emu.control("GET", "/oauth/stats")["counts"])


def refresh_config(emu: Emulator, file: Path) -> dict[str, Any]:
    return oauth_config(
        emu, file, callback_url=CALLBACK, initiate_oauth="REFRESH", api_url=emu.base_url
    )


def seed(emu: Emulator, file: Path) -> TokenSet:
    """A token obtained through the web flow and saved, as a first run leaves it."""
    settings = AuthSettings.from_config(refresh_config(emu, file))
    request = get_authorization_url(settings)
    location = approve(request.url, follow=False).headers["Location"]
    return get_access_token(settings, location, expected_state=request.state)


def refresh_grant_works(emu: Emulator, refresh_token: str) -> bool:
    r = requests.post(
        f"{emu.base_url}/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": refresh_token,
        },
        timeout=30,
    )
    return r.status_code == 200


def test_no_refresh_while_the_token_is_fresh(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "s.txt"
    first = seed(emu, file)
    before = counts(emu).get("refresh_token", 0)
    auth = authenticator_from_config(refresh_config(emu, file))
    assert auth.access_token() == first.access_token
    assert counts(emu).get("refresh_token", 0) == before


def test_refreshes_ahead_of_expiry_and_persists_the_rotated_token(
    emu: Emulator, tmp_path: Path
) -> None:
    file = tmp_path / "s.txt"
    first = seed(emu, file)
    assert first.expires_at is not None and first.refresh_token
    before = counts(emu).get("refresh_token", 0)
    # Thirty seconds before expiry: inside the margin, and the server still accepts the token.
    settings = AuthSettings.from_config(refresh_config(emu, file))
    auth = OAuthAuthenticator(settings, clock=lambda: first.expires_at - 30)  # type: ignore[operator]
    token = auth.access_token()
    assert token != first.access_token
    assert counts(emu)["refresh_token"] == before + 1
    # Persisted at once: a new reader sees the new token and the rotated refresh token.
    saved = SettingsFile(file, CLIENT_SECRET, CLIENT_ID).read()
    assert saved is not None and saved.access_token == token
    assert saved.refresh_token and saved.refresh_token != first.refresh_token
    assert not refresh_grant_works(emu, first.refresh_token)  # spent by rotation
    assert emu.api("GET", "/v3/catalog/products", token=token).status_code == 200


def test_401_refreshes_once_through_the_client_seam(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "s.txt"
    first = seed(emu, file)
    emu.control("POST", "/oauth/revoke", json={"token": first.access_token})
    before = counts(emu).get("refresh_token", 0)
    auth = authenticator_from_config(refresh_config(emu, file))
    client = BigCommerceClient(api_url=emu.base_url, authenticator=auth, max_retries=2)
    seq = max((e["seq"] for e in emu.requests_log()), default=0)
    body = client.get_json("/v3/catalog/products", params={"limit": 1})
    assert len(body["data"]) == 1
    assert counts(emu)["refresh_token"] == before + 1
    statuses = [e["status"] for e in emu.requests_log(since=seq)]
    assert statuses == [401, 200]
    saved = SettingsFile(file, CLIENT_SECRET, CLIENT_ID).read()
    assert saved is not None and saved.access_token == auth.access_token() != first.access_token


def test_401_with_a_revoked_refresh_token_fails_with_guidance(
    emu: Emulator, tmp_path: Path
) -> None:
    file = tmp_path / "s.txt"
    first = seed(emu, file)
    assert first.refresh_token
    emu.control("POST", "/oauth/revoke", json={"token": first.access_token})
    emu.control("POST", "/oauth/revoke", json={"token": first.refresh_token})
    auth = authenticator_from_config(refresh_config(emu, file))
    assert auth.access_token() == first.access_token
    before = sum(counts(emu).values())
    assert auth.handle_unauthorized() is False
    # Every other thread that got the same 401 is told at once: no second refresh grant.
    assert auth.handle_unauthorized() is False
    assert sum(counts(emu).values()) == before + 1
    settings = AuthSettings.from_config(refresh_config(emu, file))
    ahead = OAuthAuthenticator(settings, clock=lambda: first.expires_at + 1)  # type: ignore[operator]
    with pytest.raises(TokenUnavailableError, match="oauth_verifier"):
        ahead.access_token()


def test_two_processes_refreshing_together_keep_the_newest_token(
    emu: Emulator, tmp_path: Path
) -> None:
    file = tmp_path / "s.txt"
    first = seed(emu, file)
    # Make the saved token due for refresh (locally expired; the server would still take it).
    store = SettingsFile(file, CLIENT_SECRET, CLIENT_ID)
    with store.locked():
        store.write(dataclasses.replace(first, expires_at=time.time() - 1))
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(refresh_config(emu, file)))
    before = counts(emu)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "auth" / "refresh_worker.py"), str(config_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    try:
        for w in workers:
            assert w.stdout is not None and w.stdout.readline().strip() == "ready"
        for w in workers:  # release both together
            assert w.stdin is not None
            w.stdin.write("go\n")
            w.stdin.flush()
        results = []
        for w in workers:
            out, err = w.communicate(timeout=60)
            assert w.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait(timeout=10)
    after = counts(emu)
    # One refresh between them: the second adopted the first's token under the lock.
    assert after.get("refresh_token", 0) == before.get("refresh_token", 0) + 1
    assert after.get("rejected", 0) == before.get("rejected", 0)
    saved = store.read()
    assert saved is not None and saved.access_token != first.access_token
    newest = hashlib.sha256(saved.access_token.encode()).hexdigest()
    assert [r["token_sha256"] for r in results] == [newest, newest]
    assert all(r["records"] == 1 for r in results)
    # The file holds the live refresh token (the rotated-away one no longer works).
    assert saved.refresh_token and refresh_grant_works(emu, saved.refresh_token)
