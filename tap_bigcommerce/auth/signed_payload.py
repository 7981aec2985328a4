"""Verify BigCommerce's ``signed_payload_jwt`` (app load / uninstall / remove-user callbacks)."""

from __future__ import annotations

from typing import Any

import jwt

from tap_bigcommerce.auth.errors import OAuthFlowError


def verify_signed_payload_jwt(token: str, client_id: str, client_secret: str) -> dict[str, Any]:
    """Return the payload's claims if BigCommerce signed it for this app, else raise.

    Checks the HS256 signature with the client secret, the audience (the client ID), the
    issuer ``bc`` and the time claims; ``sub`` must name a store (``stores/{hash}``).
    """
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            client_secret,
            algorithms=["HS256"],
            audience=client_id,
            issuer="bc",
            leeway=30,
            options={"require": ["aud", "iss", "exp", "iat", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise OAuthFlowError(f"signed_payload_jwt rejected: {type(exc).__name__}") from None
    if not str(claims.get("sub", "")).startswith("stores/"):
        raise OAuthFlowError("signed_payload_jwt rejected: sub does not name a store")
    return claims
