"""The web flow's two steps, for apps that own their redirect page.

1. :func:`get_authorization_url` (GetOAuthAuthorizationURL): the URL to send the merchant
   to, and the ``state`` value to check when they come back.
2. :func:`get_access_token` (GetOAuthAccessToken): exchange the verifier (the ``code`` on
   the callback, or the whole callback URL) for a token, and save it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from tap_bigcommerce.auth.errors import AuthSetupError, OAuthFlowError
from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.token_endpoint import TokenEndpoint
from tap_bigcommerce.auth.token_set import TokenSet


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    callback_url: str


@dataclass(frozen=True)
class Callback:
    """What the OAuth server put on the redirect back to the app."""

    code: str | None
    scope: str | None
    context: str | None
    state: str | None
    error: str | None = None

    def __repr__(self) -> str:  # the code is a secret until exchanged
        return f"Callback(scope={self.scope!r}, context={self.context!r}, error={self.error!r})"


def endpoint_for(settings: AuthSettings) -> TokenEndpoint:
    if not settings.client_id or not settings.client_secret:
        raise AuthSetupError("client_id and client_secret are required for OAuth")
    return TokenEndpoint(settings.auth_url, settings.client_id, settings.client_secret)


def _require_callback(settings: AuthSettings, callback_url: str | None) -> str:
    url = callback_url or settings.callback_url
    if not url:
        raise AuthSetupError("callback_url is required (the redirect URL registered for the app)")
    return url


def get_authorization_url(
    settings: AuthSettings,
    callback_url: str | None = None,
    scopes: Iterable[str] | None = None,
    state: str | None = None,
) -> AuthorizationRequest:
    callback = _require_callback(settings, callback_url)
    # Hex: never starts with '-', so it passes safely as a command-line argument.
    state = state or secrets.token_hex(24)
    url = endpoint_for(settings).authorization_url(
        callback,
        tuple(scopes) if scopes is not None else settings.scopes,
        state,
        settings.store_hash,
    )
    return AuthorizationRequest(url=url, state=state, callback_url=callback)


def parse_callback(verifier: str) -> Callback:
    """Accept a bare code, a query string, or the whole callback URL."""
    text = verifier.strip()
    if not text:
        raise AuthSetupError("oauth_verifier is empty")
    if "code=" not in text and "error=" not in text:
        return Callback(code=text, scope=None, context=None, state=None)
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    return Callback(
        code=params.get("code") or None,
        scope=params.get("scope"),
        context=params.get("context"),
        state=params.get("state"),
        error=params.get("error"),
    )


def verifier_fingerprint(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_state(expected: str | None, received: str | None) -> None:
    if expected is None:
        return
    if received is None or not hmac.compare_digest(expected.encode(), received.encode()):
        raise OAuthFlowError(
            "OAuth state mismatch: the redirect did not come from the authorization this "
            "session started (possible CSRF); nothing was exchanged"
        )


def exchange_callback(settings: AuthSettings, callback: Callback, callback_url: str) -> TokenSet:
    if callback.error:
        raise OAuthFlowError(f"the authorization was not granted ({callback.error[:60]})")
    if not callback.code:
        raise OAuthFlowError("the redirect carried no authorization code")
    scope = callback.scope if callback.scope is not None else " ".join(settings.scopes)
    context = callback.context or (f"stores/{settings.store_hash}" if settings.store_hash else None)
    body = endpoint_for(settings).exchange_code(callback.code, callback_url, scope, context)
    token = TokenSet.from_token_response(body).with_verifier(verifier_fingerprint(callback.code))
    if settings.store_hash and token.store_hash != settings.store_hash:
        raise OAuthFlowError(
            f"the app was authorized for store {token.store_hash!r}, but store_hash is "
            f"{settings.store_hash!r}"
        )
    return token


def get_access_token(
    settings: AuthSettings,
    verifier: str,
    *,
    callback_url: str | None = None,
    expected_state: str | None = None,
    save: bool = True,
) -> TokenSet:
    """Exchange a verifier; save the token to ``oauth_settings_location`` when ``save``."""
    callback = parse_callback(verifier)
    check_state(expected_state, callback.state)
    token = exchange_callback(settings, callback, _require_callback(settings, callback_url))
    if save:
        store = SettingsFile.for_settings(settings)
        with store.locked():
            store.write(token)
    return token
