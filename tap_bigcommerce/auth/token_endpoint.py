"""Calls to the OAuth server (``auth_url``): authorize URL, code exchange and refresh."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import requests

from tap_bigcommerce.auth.errors import OAuthFlowError

TIMEOUT_S = 30.0


class TokenEndpoint:
    def __init__(
        self,
        auth_url: str,
        client_id: str,
        client_secret: str,
        *,
        session: requests.Session | None = None,
    ) -> None:
        self.auth_url = auth_url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        # TLS verification stays at requests' default (on); nothing here turns it off.
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"TokenEndpoint({self.auth_url!r}, client_id={self.client_id!r})"

    def authorization_url(
        self,
        callback_url: str,
        scopes: Iterable[str],
        state: str,
        store_hash: str | None = None,
    ) -> str:
        query = {
            "client_id": self.client_id,
            "redirect_uri": callback_url,
            "response_type": "code",
            "scope": " ".join(scopes),
            "state": state,
        }
        if store_hash:
            query["context"] = f"stores/{store_hash}"
        return f"{self.auth_url}/oauth2/authorize?{urlencode(query)}"

    def exchange_code(
        self, code: str, callback_url: str, scope: str, context: str | None
    ) -> dict[str, Any]:
        body = {
            "grant_type": "authorization_code",
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "code": code,
            "redirect_uri": callback_url,
            "scope": scope,
        }
        if context:
            body["context"] = context
        return self._post(body, "authorization_code")

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        body = {
            "grant_type": "refresh_token",
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "refresh_token": refresh_token,
        }
        return self._post(body, "refresh_token")

    def _post(self, body: dict[str, str], grant: str) -> dict[str, Any]:
        url = f"{self.auth_url}/oauth2/token"
        try:
            response = self._session.post(
                url, data=body, headers={"Accept": "application/json"}, timeout=TIMEOUT_S
            )
        except requests.RequestException as exc:
            # The exception text names the URL only; the body (with secrets) is never shown.
            raise OAuthFlowError(
                f"cannot reach the OAuth token endpoint {url}: {type(exc).__name__}"
            ) from None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if response.status_code != 200 or not isinstance(payload, dict):
            code = payload.get("error") if isinstance(payload, dict) else None
            reason = f" ({code})" if isinstance(code, str) and code.isidentifier() else ""
            raise OAuthFlowError(
                f"the OAuth token endpoint refused the {grant} grant: HTTP "
                f"{response.status_code}{reason}"
            )
        return payload
