"""Authentication for the tap and the target (one seam, see ``base``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tap_bigcommerce.auth.base import StaticTokenAuthenticator, StoreAuthenticator
from tap_bigcommerce.auth.connection_string import expand_connection_string
from tap_bigcommerce.auth.errors import (
    AuthSetupError,
    OAuthFlowError,
    SettingsFileError,
    TokenUnavailableError,
)
from tap_bigcommerce.auth.settings import AuthSettings


def authenticator_from_config(config: Mapping[str, Any]) -> StoreAuthenticator:
    """Build the authenticator the settings ask for.

    ``auth_scheme=PersonalAccessToken``, or ``OAuth`` with ``initiate_oauth=OFF``: the token
    as given. ``OAuth`` with ``GETANDREFRESH`` or ``REFRESH``: tokens from the encrypted
    settings file, obtained and refreshed as the mode allows.
    """
    settings = AuthSettings.from_config(config)
    if settings.uses_oauth_flows:
        from tap_bigcommerce.auth.oauth_authenticator import OAuthAuthenticator

        return OAuthAuthenticator(settings)
    assert settings.store_hash and settings.access_token  # validated above
    return StaticTokenAuthenticator(settings.store_hash, settings.access_token)


__all__ = [
    "AuthSettings",
    "AuthSetupError",
    "OAuthFlowError",
    "SettingsFileError",
    "StaticTokenAuthenticator",
    "StoreAuthenticator",
    "TokenUnavailableError",
    "authenticator_from_config",
    "expand_connection_string",
]
