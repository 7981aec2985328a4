"""Errors raised by the BigCommerce client, each a one-line message fit for a log.

No message ever contains a token or another secret.
"""

from __future__ import annotations

from typing import Any

from singer_sdk.exceptions import ConfigValidationError


class BigCommerceError(Exception):
    """Base of every error this package raises about the API or its settings."""


class ConfigError(BigCommerceError, ConfigValidationError):
    """A setting is missing or malformed, or names a store that does not exist.

    Also an SDK ``ConfigValidationError``, so the CLI prints the one line and exits 1.
    """

    def __init__(self, message: str) -> None:
        ConfigValidationError.__init__(self, message, errors=[message])


class AuthError(BigCommerceError):
    """The store rejected the credentials (HTTP 401)."""


class ScopeError(BigCommerceError):
    """The credentials lack a scope the request needs (HTTP 403)."""

    def __init__(self, message: str, *, path: str = "", scope: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.scope = scope


class ApiError(BigCommerceError):
    """An answer with a status the caller did not expect."""

    def __init__(
        self,
        status: int,
        title: str,
        errors: Any = None,
        body: Any = None,
        *,
        method: str = "",
        path: str = "",
    ) -> None:
        where = f" for {method} {path}" if path else ""
        super().__init__(f"BigCommerce API returned {status}{where}: {title}")
        self.status = status
        self.title = title
        self.errors = errors
        self.body = body


class RetriesExhausted(BigCommerceError):
    """A request kept failing (5xx, 429, timeouts, broken bodies) after every retry."""
