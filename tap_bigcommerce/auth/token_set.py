"""What the token endpoint answers, as kept in the settings file."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from tap_bigcommerce.auth.errors import OAuthFlowError

# Refresh this long before expiry, but never earlier than half-way through the lifetime, so
# short-lived tokens are not refreshed on every request.
REFRESH_MARGIN_S = 60.0


def mask(secret: str | None) -> str:
    """A recognisable but useless rendering of a secret for humans."""
    if not secret:
        return "(none)"
    return f"****{secret[-4:]}" if len(secret) >= 16 else "****"


@dataclass(frozen=True)
class TokenSet:
    access_token: str = field(repr=False)
    store_hash: str
    scope: str = ""
    obtained_at: float = 0.0
    expires_at: float | None = None
    refresh_token: str | None = field(default=None, repr=False)
    account_uuid: str | None = None
    user: dict[str, Any] | None = None
    owner: dict[str, Any] | None = None
    # sha256 of the verifier this token came from, so a verifier left in the config is
    # exchanged only once (codes are single-use).
    verifier_sha256: str | None = None

    @classmethod
    def from_token_response(
        cls, body: Mapping[str, Any], *, now: float | None = None, previous: TokenSet | None = None
    ) -> TokenSet:
        now = time.time() if now is None else now
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise OAuthFlowError("the token endpoint answered without an access_token")
        context = str(body.get("context") or "")
        store_hash = context.removeprefix("stores/") if context.startswith("stores/") else ""
        if not store_hash and previous is not None:
            store_hash = previous.store_hash
        if not store_hash:
            raise OAuthFlowError("the token endpoint answered without a stores/{hash} context")
        expires_in = body.get("expires_in")
        refresh = body.get("refresh_token")
        if not refresh and previous is not None:
            # Without rotation the server keeps the refresh token it issued first.
            refresh = previous.refresh_token
        return cls(
            access_token=token,
            store_hash=store_hash,
            scope=str(body.get("scope") or (previous.scope if previous else "")),
            obtained_at=now,
            expires_at=now + float(expires_in) if expires_in not in (None, "") else None,
            refresh_token=str(refresh) if refresh else None,
            account_uuid=body.get("account_uuid") or (previous.account_uuid if previous else None),
            user=body.get("user") or (previous.user if previous else None),
            owner=body.get("owner") or (previous.owner if previous else None),
            verifier_sha256=previous.verifier_sha256 if previous else None,
        )

    def with_verifier(self, verifier_sha256: str) -> TokenSet:
        return TokenSet(**{**asdict(self), "verifier_sha256": verifier_sha256})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenSet:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def refresh_due(self, now: float) -> bool:
        """True when the token expires soon enough to refresh it ahead of use."""
        if self.expires_at is None:
            return False
        lifetime = max(0.0, self.expires_at - self.obtained_at)
        margin = min(REFRESH_MARGIN_S, lifetime / 2)
        return now >= self.expires_at - margin

    @property
    def can_refresh(self) -> bool:
        return bool(self.refresh_token)

    def summary(self) -> dict[str, Any]:
        """What ``show`` prints: everything useful, secrets masked."""
        return {
            "store_hash": self.store_hash,
            "scope": self.scope,
            "access_token": mask(self.access_token),
            "refresh_token": mask(self.refresh_token) if self.refresh_token else None,
            "obtained_at": _iso(self.obtained_at),
            "expires_at": _iso(self.expires_at) if self.expires_at else None,
            "account_uuid": self.account_uuid,
            "user": (self.user or {}).get("email"),
            "owner": (self.owner or {}).get("email"),
        }


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
