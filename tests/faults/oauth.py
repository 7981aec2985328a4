"""OAuth pieces for the suite: an emulator with a refreshing app, a token obtained through
the web flow and saved, and the emulator's issued secrets handed to the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.token_set import TokenSet
from tap_bigcommerce.auth.web_flow import get_access_token, get_authorization_url
from tests.auth.oauth_helpers import CLIENT_ID, CLIENT_SECRET, approve
from tests.emulator_process import Emulator, running_emulator
from tests.faults import ledger

CALLBACK = "https://app.example.com/cb"
OAUTH_ARGS = (
    "--oauth-client-id",
    CLIENT_ID,
    "--oauth-client-secret",
    CLIENT_SECRET,
    "--oauth-expires-in",
    "3600",
    "--oauth-rotate-refresh",
)


def harvest(emu: Emulator) -> None:
    """Every code and token the emulator's OAuth server handed out, into the ledger."""
    issued = emu.control("GET", "/oauth/issued")
    ledger.secret(*issued.get("secrets", []))


@contextmanager
def emulator_with_app(*args: str) -> Iterator[Emulator]:
    ledger.secret(CLIENT_SECRET)
    with running_emulator(*args, *OAUTH_ARGS) as emu:
        ledger.secret(emu.token)
        try:
            yield emu
        finally:
            harvest(emu)


def refresh_config(emu: Emulator, settings_file: Path, **over: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "auth_scheme": "OAuth",
        "store_hash": emu.store_hash,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "auth_url": emu.base_url,
        "api_url": emu.base_url,
        "callback_url": CALLBACK,
        "oauth_settings_location": str(settings_file),
        "initiate_oauth": "REFRESH",
    }
    config.update(over)
    return config


def seed_token(emu: Emulator, settings_file: Path) -> TokenSet:
    """What a first headless run leaves: a token from the web flow, saved to the file."""
    settings = AuthSettings.from_config(refresh_config(emu, settings_file))
    request = get_authorization_url(settings)
    location = approve(request.url, follow=False).headers["Location"]
    ledger.secret(*parse_qs(urlsplit(location).query).get("code", []))
    token = get_access_token(settings, location, expected_state=request.state)
    ledger.secret(token.access_token, token.refresh_token)
    return token
