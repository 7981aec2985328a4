"""Errors raised by authentication. Messages are one line and never hold a secret."""

from __future__ import annotations

from singer_sdk.exceptions import ConfigValidationError


class AuthSetupError(ConfigValidationError, ValueError):
    """A setting is missing, malformed or contradicts another one.

    Also an SDK ``ConfigValidationError``, so the tap's and target's CLI print the one line.
    """

    def __init__(self, message: str) -> None:
        ConfigValidationError.__init__(self, message, errors=[message])


class SettingsFileError(RuntimeError):
    """The OAuth settings file cannot be read: wrong key, modified, or not ours."""


class OAuthFlowError(RuntimeError):
    """An OAuth flow or token request failed (denied, state mismatch, timeout, bad grant)."""


class TokenUnavailableError(RuntimeError):
    """No usable token can be had without a person (headless mode)."""
