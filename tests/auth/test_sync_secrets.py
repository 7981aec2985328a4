"""A whole tap sync through OAuth (verifier exchange, refresh after 401s, a second run from
the settings file) with debug logs captured: no secret may appear in them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.web_flow import get_authorization_url
from tests.auth.oauth_helpers import CLIENT_SECRET, approve, oauth_config, oauth_emulator

CALLBACK = "https://app.example.com/cb"


def _tap(*args: str, config_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TAP_BIGCOMMERCE_LOG_LEVEL": "DEBUG", "LOGLEVEL": "DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "tap_bigcommerce.tap", "--config", str(config_path), *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


def test_sync_logs_hold_no_secret(tmp_path: Path) -> None:
    with oauth_emulator("--oauth-expires-in", "3600", "--oauth-rotate-refresh") as emu:
        file = tmp_path / "OAuthSettings.txt"
        config = oauth_config(
            emu,
            file,
            callback_url=CALLBACK,
            initiate_oauth="REFRESH",
            api_url=emu.base_url,
            scopes=None,
        )
        request = get_authorization_url(AuthSettings.from_config(config))
        location = approve(request.url, follow=False).headers["Location"]
        config["oauth_verifier"] = location
        config_path = tmp_path / "config.json"
        config_path.write_text(json.dumps(config))

        # Run 1: the verifier is exchanged; one request is refused with a 401 mid-sync.
        emu.fault("401", count=1, path="^/v3/catalog/products$")
        first = _tap(config_path=config_path)
        assert first.returncode == 0, first.stderr[-2000:]
        assert "refreshed the OAuth token" in first.stderr
        assert "| DEBUG" in first.stderr  # the most talkative level was captured

        # Run 2: from the settings file; the token it holds has been revoked meanwhile.
        saved = SettingsFile(file, CLIENT_SECRET).read()
        assert saved is not None
        emu.control("POST", "/oauth/revoke", json={"token": saved.access_token})
        second = _tap(config_path=config_path)
        assert second.returncode == 0, second.stderr[-2000:]
        about = _tap("--about", "--format", "json", config_path=config_path)
        assert about.returncode == 0, about.stderr[-2000:]

        counts = emu.control("GET", "/oauth/stats")["counts"]
        assert counts["authorization_code"] == 1 and counts["refresh_token"] == 2
        assert sum(1 for line in first.stdout.splitlines() if '"RECORD"' in line) > 0

        code = parse_qs(urlsplit(location).query)["code"][0]
        secrets = {CLIENT_SECRET, code, emu.token, *emu.control("GET", "/oauth/issued")["secrets"]}
        assert len(secrets) >= 6  # code, 3 access tokens, 2+ refresh tokens, ...
        for run in (first, second, about):
            for secret in secrets:
                assert secret not in run.stderr, "a secret appeared in the tap's log"
                assert secret not in run.stdout, "a secret appeared in the tap's output"


def test_sync_with_only_a_connection_string(tmp_path: Path) -> None:
    with oauth_emulator() as emu:
        config_path = tmp_path / "config.json"
        text = f"AuthScheme=PersonalAccessToken;StoreId='{emu.store_hash}';"
        text += f"OAuthAccessToken='{emu.token}'"
        config_path.write_text(json.dumps({"connection_string": text, "api_url": emu.base_url}))
        run = _tap(config_path=config_path)
        assert run.returncode == 0, run.stderr[-2000:]
        assert any('"RECORD"' in line for line in run.stdout.splitlines())
        assert emu.token not in run.stderr

        config_path.write_text(
            json.dumps(
                {"connection_string": f"StoreId='{emu.store_hash};Bogus=1", "api_url": emu.base_url}
            )
        )
        bad = _tap(config_path=config_path)
        assert bad.returncode == 1
        assert "connection_string: the quoted value of StoreId is not closed" in bad.stderr
        assert "Traceback" not in bad.stderr
