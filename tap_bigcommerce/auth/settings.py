"""The authentication settings, read from the tap's (or target's) config.

Explicit snake_case settings win over the same property inside ``connection_string``: a
connection string is the shared base, and a setting given on its own (a Meltano setting, an
environment variable) is the more specific intent.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from tap_bigcommerce.auth.connection_string import parse_connection_string
from tap_bigcommerce.auth.errors import AuthSetupError

PERSONAL_ACCESS_TOKEN = "PersonalAccessToken"
OAUTH = "OAuth"
AUTH_SCHEMES = (PERSONAL_ACCESS_TOKEN, OAUTH)

OFF = "OFF"
GETANDREFRESH = "GETANDREFRESH"
REFRESH = "REFRESH"
INITIATE_MODES = (OFF, GETANDREFRESH, REFRESH)

DEFAULT_AUTH_URL = "https://login.bigcommerce.com"
SETTINGS_FILE_NAME = "OAuthSettings.txt"
# Set to key the settings file from a passphrase instead of the app's client secret.
PASSPHRASE_ENV = "BIGCOMMERCE_OAUTH_SETTINGS_PASSPHRASE"

AUTH_SETTING_NAMES = (
    "auth_scheme",
    "store_hash",
    "access_token",
    "client_id",
    "client_secret",
    "callback_url",
    "initiate_oauth",
    "oauth_verifier",
    "oauth_settings_location",
    "scopes",
    "auth_url",
)

_STORE_HASH = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def default_settings_location() -> Path:
    """``OAuthSettings.txt`` in the user's config folder (XDG, macOS or Windows)."""
    return (
        Path(platformdirs.user_config_dir("tap-bigcommerce", appauthor=False)) / SETTINGS_FILE_NAME
    )


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    for choice in choices:
        if value.strip().lower() == choice.lower():
            return choice
    raise AuthSetupError(f"{name}: {value!r} is not one of {', '.join(choices)}")


def _scopes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[\s,]+", str(value))
    return tuple(s for s in (i.strip() for i in items) if s)


def _check_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuthSetupError(f"{name}: {value!r} is not an http(s) URL")
    # Plain http only to this machine: tokens and secrets never cross a network in clear.
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise AuthSetupError(f"{name}: plain http is only allowed for a loopback address")
    return value.rstrip("/") if name == "auth_url" else value


@dataclass(frozen=True)
class AuthSettings:
    auth_scheme: str = PERSONAL_ACCESS_TOKEN
    store_hash: str | None = None
    access_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    callback_url: str | None = None
    initiate_oauth: str = OFF
    oauth_verifier: str | None = field(default=None, repr=False)
    oauth_settings_location: Path = field(default_factory=default_settings_location)
    scopes: tuple[str, ...] = ()
    auth_url: str = DEFAULT_AUTH_URL

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, validate: bool = True) -> AuthSettings:
        merged: dict[str, Any] = {}
        if config.get("connection_string"):
            merged.update(parse_connection_string(str(config["connection_string"])))
        for name in AUTH_SETTING_NAMES:
            value = config.get(name)
            if value is not None and value != "":
                merged[name] = value
        kwargs: dict[str, Any] = {}
        for name in ("store_hash", "access_token", "client_id", "client_secret", "oauth_verifier"):
            if merged.get(name) not in (None, ""):
                kwargs[name] = str(merged[name]).strip()
        if "auth_scheme" in merged:
            kwargs["auth_scheme"] = _choice("auth_scheme", str(merged["auth_scheme"]), AUTH_SCHEMES)
        if "initiate_oauth" in merged:
            kwargs["initiate_oauth"] = _choice(
                "initiate_oauth", str(merged["initiate_oauth"]), INITIATE_MODES
            )
        if merged.get("callback_url"):
            kwargs["callback_url"] = _check_url("callback_url", str(merged["callback_url"]))
        if merged.get("auth_url"):
            kwargs["auth_url"] = _check_url("auth_url", str(merged["auth_url"]))
        if merged.get("oauth_settings_location"):
            kwargs["oauth_settings_location"] = Path(
                str(merged["oauth_settings_location"])
            ).expanduser()
        if "scopes" in merged:
            kwargs["scopes"] = _scopes(merged["scopes"])
        settings = cls(**kwargs)
        if validate:
            settings.validate()
        return settings

    def validate(self) -> None:
        if self.store_hash is not None and not _STORE_HASH.match(self.store_hash):
            raise AuthSetupError("store_hash: must be the letters and digits of the store hash")
        uses_token_as_given = (
            self.auth_scheme == PERSONAL_ACCESS_TOKEN or self.initiate_oauth == OFF
        )
        if uses_token_as_given:
            if not self.store_hash:
                raise AuthSetupError(f"store_hash is required with auth_scheme={self.auth_scheme}")
            if not self.access_token:
                mode = (
                    "auth_scheme=PersonalAccessToken"
                    if self.auth_scheme == PERSONAL_ACCESS_TOKEN
                    else "initiate_oauth=OFF"
                )
                raise AuthSetupError(f"access_token is required with {mode}")
            return
        for name in ("client_id", "client_secret"):
            if not getattr(self, name):
                raise AuthSetupError(
                    f"{name} is required with initiate_oauth={self.initiate_oauth}"
                )

    @property
    def uses_oauth_flows(self) -> bool:
        return self.auth_scheme == OAUTH and self.initiate_oauth != OFF
