"""The OAuth server's bookkeeping: registered apps, pending approvals, codes, tokens.

Mirrors login.bigcommerce.com for apps: a code is single-use and short-lived, the
exchange must name the same redirect URI, and issued access tokens become tokens of the
store (with the granted scopes) that the API gatekeeping checks. The opt-in expiring mode
adds ``expires_in`` and a refresh token, optionally rotated on every refresh.
"""

from __future__ import annotations

import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bigcommerce_emulator.scopes import ALL_SCOPES
from bigcommerce_emulator.state import EmulatorState
from bigcommerce_emulator.store import Token

CODE_TTL_S = 300.0
KNOWN_SCOPES = frozenset(ALL_SCOPES) | frozenset(f"{s}_read_only" for s in ALL_SCOPES)
_ALPHABET = string.ascii_lowercase + string.digits


def _random_token(length: int = 31) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


class GrantError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass
class Pending:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    store_hash: str | None


@dataclass
class Code:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    store_hash: str
    expires_at: float
    used: bool = False


@dataclass
class RefreshGrant:
    client_id: str
    store_hash: str
    scopes: tuple[str, ...]
    valid: bool = True


@dataclass
class OAuthServer:
    state: EmulatorState
    pending: dict[str, Pending] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshGrant] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    # Every secret handed out, so tests can check that none leaks into logs.
    issued: list[str] = field(default_factory=list)

    # Settings live in state.oauth, where the CLI put them.
    @property
    def apps(self) -> dict[str, str]:
        apps: dict[str, str] = self.state.oauth.setdefault("apps", {})
        return apps

    @property
    def settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = self.state.oauth.setdefault("settings", {})
        return settings

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def check_client(self, client_id: str | None, client_secret: str | None) -> None:
        expected = self.apps.get(client_id or "")
        if expected is None or not secrets.compare_digest(expected, client_secret or ""):
            self.count("rejected")
            raise GrantError(401, "invalid_client", "unknown client_id or wrong client_secret")

    def start(self, query: dict[str, str]) -> tuple[str, Pending]:
        client_id = query.get("client_id", "")
        if client_id not in self.apps:
            raise GrantError(400, "invalid_client", "unknown client_id")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            raise GrantError(400, "invalid_request", "redirect_uri must be an http(s) URL")
        if query.get("response_type", "code") != "code":
            raise GrantError(400, "unsupported_response_type", "response_type must be code")
        scopes = tuple(query.get("scope", "").split()) or ALL_SCOPES
        unknown = [s for s in scopes if s not in KNOWN_SCOPES]
        if unknown:
            raise GrantError(400, "invalid_scope", f"unknown scope {unknown[0]}")
        context = query.get("context")
        store_hash = context.removeprefix("stores/") if context else None
        if store_hash is not None and store_hash not in self.state.stores:
            raise GrantError(400, "invalid_request", "unknown store in context")
        request_id = secrets.token_urlsafe(16)
        pending = Pending(client_id, redirect_uri, scopes, query.get("state"), store_hash)
        self.pending[request_id] = pending
        return request_id, pending

    def decide(self, request_id: str, store_hash: str, approve: bool) -> str:
        """Return the redirect URL for the merchant's decision."""
        pending = self.pending.pop(request_id, None)
        if pending is None:
            raise GrantError(400, "invalid_request", "unknown or already decided request")
        store_hash = pending.store_hash or store_hash
        if store_hash not in self.state.stores:
            raise GrantError(400, "invalid_request", "unknown store")
        sep = "&" if "?" in pending.redirect_uri else "?"
        params: dict[str, str]
        if not approve:
            self.count("authorize_denied")
            params = {"error": "access_denied"}
        else:
            self.count("authorize_approved")
            code = _random_token(24)
            self.issued.append(code)
            self.codes[code] = Code(
                pending.client_id,
                pending.redirect_uri,
                pending.scopes,
                store_hash,
                time.time() + CODE_TTL_S,
            )
            params = {
                "code": code,
                "scope": " ".join(pending.scopes),
                "context": f"stores/{store_hash}",
                "account_uuid": account_uuid(store_hash),
            }
        if pending.state is not None:
            params["state"] = pending.state
        return pending.redirect_uri + sep + urlencode(params)

    def token(self, body: dict[str, str]) -> dict[str, Any]:
        grant_type = body.get("grant_type", "")
        self.check_client(body.get("client_id"), body.get("client_secret"))
        if grant_type == "authorization_code":
            return self._code_grant(body)
        if grant_type == "refresh_token":
            return self._refresh_grant(body)
        raise GrantError(400, "unsupported_grant_type", "grant_type is not supported")

    def _code_grant(self, body: dict[str, str]) -> dict[str, Any]:
        code = self.codes.get(body.get("code", ""))
        if code is None or code.used or time.time() > code.expires_at:
            self.count("rejected")
            raise GrantError(400, "invalid_grant", "the code is unknown, used or expired")
        if code.client_id != body.get("client_id") or code.redirect_uri != body.get("redirect_uri"):
            self.count("rejected")
            raise GrantError(400, "invalid_grant", "redirect_uri or client_id does not match")
        context = body.get("context")
        if context and context != f"stores/{code.store_hash}":
            self.count("rejected")
            raise GrantError(400, "invalid_grant", "context does not match")
        code.used = True
        self.count("authorization_code")
        return self._issue(code.client_id, code.store_hash, code.scopes, None)

    def _refresh_grant(self, body: dict[str, str]) -> dict[str, Any]:
        if self.settings.get("expires_in") is None:
            raise GrantError(400, "unsupported_grant_type", "tokens do not expire on this server")
        value = body.get("refresh_token", "")
        grant = self.refresh_tokens.get(value)
        if grant is None or not grant.valid or grant.client_id != body.get("client_id"):
            self.count("rejected")
            raise GrantError(400, "invalid_grant", "the refresh token is unknown or revoked")
        self.count("refresh_token")
        return self._issue(grant.client_id, grant.store_hash, grant.scopes, value)

    def _issue(
        self, client_id: str, store_hash: str, scopes: tuple[str, ...], old_refresh: str | None
    ) -> dict[str, Any]:
        value = _random_token()
        self.issued.append(value)
        expires_in = self.settings.get("expires_in")
        token = Token(value, frozenset(scopes))
        if expires_in is not None:
            token.expires_at = time.time() + float(expires_in)
        self.state.stores[store_hash].tokens[value] = token
        owner = {"id": 1001, "username": "owner", "email": f"owner@{store_hash}.example.com"}
        answer: dict[str, Any] = {
            "access_token": value,
            "scope": " ".join(scopes),
            "user": owner,
            "owner": owner,
            "context": f"stores/{store_hash}",
            "account_uuid": account_uuid(store_hash),
        }
        if expires_in is not None:
            refresh = old_refresh
            if refresh is None or self.settings.get("rotate_refresh"):
                if refresh is not None:
                    self.refresh_tokens[refresh].valid = False
                refresh = _random_token(40)
                self.issued.append(refresh)
                self.refresh_tokens[refresh] = RefreshGrant(client_id, store_hash, scopes)
            answer["expires_in"] = int(expires_in)
            answer["refresh_token"] = refresh
        self.state.oauth["last_issued"] = {"store_hash": store_hash, "at": time.time()}
        return answer

    def revoke(self, value: str) -> str | None:
        if any(store.revoke_token(value) for store in self.state.stores.values()):
            return "access_token"
        grant = self.refresh_tokens.get(value)
        if grant is not None:
            grant.valid = False
            return "refresh_token"
        return None


def account_uuid(store_hash: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bigcommerce-emulator:{store_hash}"))
