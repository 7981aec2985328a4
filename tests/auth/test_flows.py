"""Each mode and flow against the emulator over HTTP: desktop, web two-step, headless."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tap_bigcommerce.auth import authenticator_from_config
from tap_bigcommerce.auth.base import StaticTokenAuthenticator
from tap_bigcommerce.auth.errors import (
    AuthSetupError,
    OAuthFlowError,
    SettingsFileError,
    TokenUnavailableError,
)
from tap_bigcommerce.auth.oauth_authenticator import OAuthAuthenticator
from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.web_flow import get_access_token, get_authorization_url
from tests.auth.oauth_helpers import CLIENT_SECRET, approve, oauth_config, oauth_emulator
from tests.emulator_process import Emulator

WEB_CALLBACK = "https://app.example.com/bigcommerce/callback"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with oauth_emulator() as e:
        yield e


def counts(emu: Emulator) -> dict[str, int]:
    return emu.control("GET", "/oauth/stats")["counts"]


class Browser:
    """The merchant, driven by the test: approves in a thread as a real browser would."""

    def __init__(self, rewrite_state: str | None = None) -> None:
        self.urls: list[str] = []
        self.responses: list[requests.Response] = []
        self.errors: list[BaseException] = []
        self.rewrite_state = rewrite_state
        self.thread: threading.Thread | None = None

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        if self.rewrite_state is not None:
            state = parse_qs(urlsplit(url).query)["state"][0]
            url = url.replace(state, self.rewrite_state)
        self.thread = threading.Thread(target=self._approve, args=(url,), daemon=True)
        self.thread.start()
        return True

    def _approve(self, url: str) -> None:
        try:
            self.responses.append(approve(url))
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)

    def join(self) -> None:
        assert self.thread is not None
        self.thread.join(timeout=30)
        assert not self.errors, self.errors


def _never_open(url: str) -> bool:
    raise AssertionError("no browser may be opened here")


def _approved_redirect(emu: Emulator, settings: AuthSettings) -> tuple[str, str]:
    request = get_authorization_url(settings, callback_url=WEB_CALLBACK)
    r = approve(request.url, follow=False)
    assert r.status_code == 302
    return r.headers["Location"], request.state


def test_desktop_flow_opens_browser_exchanges_and_saves(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "cfg" / "OAuthSettings.txt"
    settings = AuthSettings.from_config(oauth_config(emu, file))
    before = counts(emu).get("authorization_code", 0)
    browser = Browser()
    auth = OAuthAuthenticator(settings, opener=browser, listener_timeout=30)
    token = auth.access_token()
    browser.join()
    assert browser.responses[0].status_code == 200
    assert "Authorization received" in browser.responses[0].text
    assert counts(emu)["authorization_code"] == before + 1
    assert emu.api("GET", "/v3/catalog/products", token=token).status_code == 200
    # The scopes asked for are the scopes granted.
    assert emu.api("GET", "/v3/customers", token=token).status_code == 403
    # Saved encrypted with mode 0600; the token is not in it in clear.
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert token not in file.read_text()
    # The listener took one redirect and is gone.
    redirect_uri = parse_qs(urlsplit(browser.urls[0]).query)["redirect_uri"][0]
    assert redirect_uri.startswith("http://127.0.0.1:")
    with pytest.raises(requests.ConnectionError):
        requests.get(redirect_uri + "?code=x&state=y", timeout=5)
    # The next run uses the file: no browser, no new exchange.
    again = OAuthAuthenticator(settings, opener=_never_open)
    assert again.access_token() == token
    assert counts(emu)["authorization_code"] == before + 1


def test_desktop_flow_refuses_a_forged_state(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "OAuthSettings.txt"
    settings = AuthSettings.from_config(oauth_config(emu, file))
    before = counts(emu).get("authorization_code", 0)
    browser = Browser(rewrite_state="forged-by-an-attacker")
    with pytest.raises(OAuthFlowError, match="state mismatch"):
        OAuthAuthenticator(settings, opener=browser, listener_timeout=30).access_token()
    browser.join()
    assert browser.responses[0].status_code == 400
    assert counts(emu).get("authorization_code", 0) == before  # nothing exchanged
    assert not file.exists()


def test_desktop_flow_times_out(emu: Emulator, tmp_path: Path) -> None:
    settings = AuthSettings.from_config(oauth_config(emu, tmp_path / "f.txt"))
    auth = OAuthAuthenticator(settings, opener=lambda url: True, listener_timeout=0.3)
    with pytest.raises(OAuthFlowError, match="no authorization arrived"):
        auth.access_token()


def test_desktop_flow_needs_a_loopback_callback(emu: Emulator, tmp_path: Path) -> None:
    with pytest.raises(AuthSetupError, match="loopback"):
        oauth_config_settings = oauth_config(
            emu, tmp_path / "f", callback_url="http://192.0.2.1/cb"
        )
        AuthSettings.from_config(oauth_config_settings)
    config = oauth_config(emu, tmp_path / "f.txt", callback_url=WEB_CALLBACK)
    auth = OAuthAuthenticator(AuthSettings.from_config(config), opener=_never_open)
    with pytest.raises(AuthSetupError, match="loopback"):
        auth.access_token()


def test_web_flow_two_steps_as_functions(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "OAuthSettings.txt"
    settings = AuthSettings.from_config(oauth_config(emu, file, callback_url=WEB_CALLBACK))
    location, state = _approved_redirect(emu, settings)
    token = get_access_token(settings, location, expected_state=state)
    assert token.store_hash == emu.store_hash
    assert token.scope == "store_v2_products_read_only store_v2_orders"
    assert emu.api("GET", "/v2/orders", token=token.access_token).status_code in (200, 204)
    saved = SettingsFile(file, CLIENT_SECRET).read()
    assert saved is not None and saved.access_token == token.access_token


def test_web_flow_refuses_a_state_mismatch(emu: Emulator, tmp_path: Path) -> None:
    settings = AuthSettings.from_config(
        oauth_config(emu, tmp_path / "f.txt", callback_url=WEB_CALLBACK)
    )
    location, _ = _approved_redirect(emu, settings)
    before = counts(emu).get("authorization_code", 0)
    with pytest.raises(OAuthFlowError, match="state mismatch"):
        get_access_token(settings, location, expected_state="some-other-state")
    assert counts(emu).get("authorization_code", 0) == before


def _cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tap_bigcommerce.auth.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_web_flow_two_steps_through_the_cli(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "OAuthSettings.txt"
    config_path = tmp_path / "config.json"
    config = oauth_config(emu, file, callback_url=WEB_CALLBACK)
    config_path.write_text(json.dumps(config))
    step1 = _cli("url", "--config", str(config_path))
    assert step1.returncode == 0, step1.stderr
    printed = json.loads(step1.stdout)
    assert re.fullmatch(r"[0-9a-f]{48}", printed["state"])  # safe as a CLI argument
    assert printed["url"].startswith(emu.base_url + "/oauth2/authorize?")
    location = approve(printed["url"], follow=False).headers["Location"]
    step2 = _cli(
        "exchange",
        "--config",
        str(config_path),
        "--verifier",
        location,
        "--state",
        printed["state"],
    )
    assert step2.returncode == 0, step2.stderr
    token = json.loads(step2.stdout)
    assert token["store_hash"] == emu.store_hash and token["expires_at"] is None
    assert token["saved_to"] == str(file)
    assert emu.api("GET", "/v3/catalog/products", token=token["access_token"]).status_code == 200
    shown = _cli("show", "--config", str(config_path))
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)
    assert summary["store_hash"] == emu.store_hash
    assert token["access_token"] not in shown.stdout and CLIENT_SECRET not in shown.stdout
    # A replayed code is refused with a one-line error naming the grant, no secret.
    replay = _cli("exchange", "--config", str(config_path), "--verifier", location)
    assert replay.returncode == 1
    assert replay.stderr.strip().count("\n") == 0 and "invalid_grant" in replay.stderr
    assert CLIENT_SECRET not in replay.stderr


def test_cli_state_mismatch_exits_with_a_clear_error(emu: Emulator, tmp_path: Path) -> None:
    config_path = tmp_path / "config.json"
    config_path.write_text(
        json.dumps(oauth_config(emu, tmp_path / "f.txt", callback_url=WEB_CALLBACK))
    )
    settings = AuthSettings.from_config(
        oauth_config(emu, tmp_path / "f.txt", callback_url=WEB_CALLBACK)
    )
    location, _ = _approved_redirect(emu, settings)
    r = _cli("exchange", "--config", str(config_path), "--verifier", location, "--state", "nope")
    assert r.returncode == 1 and "state mismatch" in r.stderr
    assert not (tmp_path / "f.txt").exists()


def test_cli_login_drives_a_real_browser_command(emu: Emulator, tmp_path: Path) -> None:
    """The desktop flow as a user runs it: BROWSER points at a stand-in browser program."""
    file = tmp_path / "OAuthSettings.txt"
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(oauth_config(emu, file)))
    fake = f"{sys.executable} {ROOT / 'tests' / 'auth' / 'fake_browser.py'} %s &"
    r = _cli(
        "login",
        "--config",
        str(config_path),
        "--timeout",
        "60",
        env={"BROWSER": fake, "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["store_hash"] == emu.store_hash and summary["saved_to"] == str(file)
    assert summary["access_token"].startswith("****")
    saved = SettingsFile(file, CLIENT_SECRET).read()
    assert saved is not None and saved.access_token not in r.stdout + r.stderr
    assert emu.api("GET", "/v3/catalog/products", token=saved.access_token).status_code == 200


def test_headless_verifier_is_exchanged_once_and_saved(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "OAuthSettings.txt"
    base = oauth_config(emu, file, callback_url=WEB_CALLBACK, initiate_oauth="REFRESH")
    location, _ = _approved_redirect(emu, AuthSettings.from_config(base))
    code = parse_qs(urlsplit(location).query)["code"][0]
    config = {**base, "oauth_verifier": code}
    before = counts(emu).get("authorization_code", 0)
    auth = authenticator_from_config(config)
    assert isinstance(auth, OAuthAuthenticator)
    token = auth.access_token()
    assert emu.api("GET", "/v3/catalog/products", token=token).status_code == 200
    assert file.exists()
    # Meltano keeps the verifier in the config: the next run must not spend it again.
    again = authenticator_from_config(config)
    assert again.access_token() == token
    assert counts(emu)["authorization_code"] == before + 1


def test_refresh_mode_without_a_token_names_both_headless_options(
    emu: Emulator, tmp_path: Path
) -> None:
    config = oauth_config(emu, tmp_path / "none.txt", initiate_oauth="REFRESH")
    auth = authenticator_from_config(config)
    with pytest.raises(TokenUnavailableError) as info:
        auth.access_token()
    message = str(info.value)
    assert "\n" not in message
    assert "oauth_verifier" in message and "tap-bigcommerce-auth url" in message
    assert "copy" in message and "oauth_settings_location" in message
    assert CLIENT_SECRET not in message


def test_settings_file_moves_to_a_second_machine(emu: Emulator, tmp_path: Path) -> None:
    """Headless option 2: log in where there is a browser, copy the file to the server."""
    laptop = tmp_path / "laptop" / "OAuthSettings.txt"
    settings = AuthSettings.from_config(oauth_config(emu, laptop, callback_url=WEB_CALLBACK))
    location, state = _approved_redirect(emu, settings)
    token = get_access_token(settings, location, expected_state=state)
    server = tmp_path / "server" / "elsewhere.txt"
    server.parent.mkdir()
    server.write_bytes(laptop.read_bytes())
    config = oauth_config(emu, server, initiate_oauth="REFRESH", callback_url=None)
    config.pop("callback_url")
    auth = authenticator_from_config(config)
    assert auth.access_token() == token.access_token
    # Another app's secret cannot open it.
    other = authenticator_from_config({**config, "client_secret": "another-apps-secret"})
    with pytest.raises(SettingsFileError, match="wrong key"):
        other.access_token()


def test_off_and_personal_access_token_use_the_token_as_given(emu: Emulator) -> None:
    for scheme, mode in (("PersonalAccessToken", None), ("OAuth", "OFF")):
        config = {"auth_scheme": scheme, "store_hash": emu.store_hash, "access_token": emu.token}
        if mode:
            config["initiate_oauth"] = mode
        auth = authenticator_from_config(config)
        assert isinstance(auth, StaticTokenAuthenticator)
        assert emu.token not in repr(auth)
        assert auth.access_token() == emu.token
        assert auth.handle_unauthorized() is False


def test_cli_reads_settings_from_meltano_environment_variables(
    emu: Emulator, tmp_path: Path
) -> None:
    """As a Meltano plugin command runs it: no --config, settings in the environment."""
    file = tmp_path / "OAuthSettings.txt"
    env = {
        f"TAP_BIGCOMMERCE_{k.upper()}": str(v)
        for k, v in oauth_config(emu, file, callback_url=WEB_CALLBACK).items()
    }
    step1 = _cli("url", env=env)
    assert step1.returncode == 0, step1.stderr
    location = approve(json.loads(step1.stdout)["url"], follow=False).headers["Location"]
    step2 = _cli("exchange", env={**env, "MELTANO_EXTRACT_OAUTH_VERIFIER": location})
    assert step2.returncode == 0, step2.stderr
    assert json.loads(step2.stdout)["saved_to"] == str(file)
    assert SettingsFile(file, CLIENT_SECRET).read() is not None
