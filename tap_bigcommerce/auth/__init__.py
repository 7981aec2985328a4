"""Authentication for the tap and the target (one seam, see ``base``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tap_bigcommerce.auth.base import StaticTokenAuthenticator, StoreAuthenticator


def authenticator_from_config(config: Mapping[str, Any]) -> StoreAuthenticator:
    """Build the authenticator the settings ask for.

    For now only the static token; the OAuth modes plug in here without touching the
    client, the streams or the sinks.
    """
    return StaticTokenAuthenticator(str(config["store_hash"]), str(config["access_token"]))


__all__ = ["StoreAuthenticator", "StaticTokenAuthenticator", "authenticator_from_config"]
