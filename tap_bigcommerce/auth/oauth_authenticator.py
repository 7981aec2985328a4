"""The OAuth authenticator for ``initiate_oauth`` GETANDREFRESH and REFRESH.

Its token lives in the encrypted settings file; every refresh happens under the file's lock
and re-reads the file first, so a token another process refreshed meanwhile is adopted
instead of refreshed again (which, with rotating refresh tokens, would fail).
"""

from __future__ import annotations

import logging
import threading
import time
import webbrowser
from collections.abc import Callable

from tap_bigcommerce.auth.base import StoreAuthenticator
from tap_bigcommerce.auth.desktop_flow import DEFAULT_TIMEOUT_S, Opener, run_desktop_flow
from tap_bigcommerce.auth.errors import OAuthFlowError, SettingsFileError, TokenUnavailableError
from tap_bigcommerce.auth.settings import GETANDREFRESH, REFRESH, AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.token_set import TokenSet
from tap_bigcommerce.auth.web_flow import (
    endpoint_for,
    exchange_callback,
    parse_callback,
    verifier_fingerprint,
)

log = logging.getLogger(__name__)

# After a refresh, a 401 on a request sent with the old token just means "retry".
_RECENT_REFRESH_S = 10.0


def headless_help(settings: AuthSettings) -> str:
    return (
        f"initiate_oauth=REFRESH has no usable OAuth token in {settings.oauth_settings_location}: "
        "either (1) run `tap-bigcommerce-auth url`, approve the app in a browser and set "
        "oauth_verifier to the code (or callback URL) it returns, or (2) run "
        "`tap-bigcommerce-auth login` on a machine with a browser and copy its settings file "
        "here to oauth_settings_location (same client_id and client_secret)"
    )


class OAuthAuthenticator(StoreAuthenticator):
    def __init__(
        self,
        settings: AuthSettings,
        *,
        opener: Opener = webbrowser.open,
        clock: Callable[[], float] = time.time,
        listener_timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        if settings.initiate_oauth not in (GETANDREFRESH, REFRESH):
            raise ValueError("OAuthAuthenticator serves initiate_oauth GETANDREFRESH or REFRESH")
        self.settings = settings
        self.file = SettingsFile.for_settings(settings)
        self._endpoint = endpoint_for(settings)
        self._opener = opener
        self._clock = clock
        self._listener_timeout = listener_timeout
        self._mutex = threading.RLock()
        self._token: TokenSet | None = None
        self._refreshed_at: float | None = None
        # The access token whose refresh after a 401 failed: every thread with a request in
        # flight gets the same 401, and each asking the token endpoint again (and logging
        # the failure again, after the run's error) helps nobody.
        self._unrefreshable: str | None = None
        if settings.store_hash:
            super().__init__(settings.store_hash)
        else:
            # The store comes with the token (its context): get it now.
            super().__init__(self._obtain().store_hash)

    def __repr__(self) -> str:
        return (
            f"OAuthAuthenticator(store_hash={self.store_hash!r}, "
            f"mode={self.settings.initiate_oauth}, file={str(self.file.path)!r})"
        )

    # The seam -------------------------------------------------------------------------
    def access_token(self) -> str:
        with self._mutex:
            token = self._token or self._obtain()
            if token.refresh_due(self._clock()) and token.can_refresh:
                token = self._refresh(token)
            return token.access_token

    def handle_unauthorized(self) -> bool:
        with self._mutex:
            if (
                self._refreshed_at is not None
                and time.monotonic() - self._refreshed_at < _RECENT_REFRESH_S
            ):
                return True
            current = self._token
            if current is None or current.access_token == self._unrefreshable:
                return False
            try:
                fresh = self._refresh(current, rejected=True)
            except (OAuthFlowError, TokenUnavailableError) as exc:
                self._unrefreshable = current.access_token
                log.warning(
                    "the store rejected the OAuth token and it cannot be refreshed: %s", exc
                )
                return False
            return fresh.access_token != current.access_token

    # Getting and refreshing -------------------------------------------------------------
    def _obtain(self) -> TokenSet:
        with self._mutex, self.file.locked():
            token = self._from_verifier(self.file.read())
            if token is None:
                if self.settings.initiate_oauth == REFRESH:
                    raise TokenUnavailableError(headless_help(self.settings))
                token = run_desktop_flow(
                    self.settings, opener=self._opener, timeout=self._listener_timeout
                )
                self.file.write(token)
                log.info("saved a new OAuth token for store %s", token.store_hash)
            if self.settings.store_hash and token.store_hash != self.settings.store_hash:
                raise SettingsFileError(
                    f"OAuth settings file {self.file.path}: it holds a token for store "
                    f"{token.store_hash!r}, but store_hash is {self.settings.store_hash!r}"
                )
            self._token = token
            return token

    def _from_verifier(self, saved: TokenSet | None) -> TokenSet | None:
        """Exchange ``oauth_verifier`` once; a verifier already exchanged is left alone."""
        verifier = self.settings.oauth_verifier
        if not verifier:
            return saved
        callback = parse_callback(verifier)
        if not callback.code or (
            saved is not None and saved.verifier_sha256 == verifier_fingerprint(callback.code)
        ):
            return saved
        if not self.settings.callback_url:
            raise TokenUnavailableError(
                "callback_url is required to exchange oauth_verifier (the redirect URL used "
                "for the authorization URL)"
            )
        token = exchange_callback(self.settings, callback, self.settings.callback_url)
        self.file.write(token)
        log.info("exchanged oauth_verifier for a token for store %s and saved it", token.store_hash)
        return token

    def _refresh(self, stale: TokenSet, *, rejected: bool = False) -> TokenSet:
        with self.file.locked():
            saved = self.file.read()
            now = self._clock()
            if (
                saved is not None
                and saved.access_token != stale.access_token
                and not saved.refresh_due(now)
            ):
                # Another process (or run) refreshed while we waited for the lock.
                self._adopt(saved)
                return saved
            base = saved if saved is not None and saved.store_hash == stale.store_hash else stale
            if not base.refresh_token:
                if rejected:
                    raise self._cannot_refresh("there is no refresh token")
                return stale
            try:
                body = self._endpoint.refresh(base.refresh_token)
            except OAuthFlowError as exc:
                raise self._cannot_refresh(str(exc)) from None
            fresh = TokenSet.from_token_response(body, now=now, previous=base)
            # Persist at once: a rotated refresh token is the only one that works now.
            self.file.write(fresh)
            self._adopt(fresh)
            log.info(
                "refreshed the OAuth token for store %s (%s)",
                fresh.store_hash,
                "after a 401" if rejected else "ahead of expiry",
            )
            return fresh

    def _adopt(self, token: TokenSet) -> None:
        self._token = token
        self._refreshed_at = time.monotonic()

    def _cannot_refresh(self, why: str) -> Exception:
        if self.settings.initiate_oauth == REFRESH:
            return TokenUnavailableError(f"{why}; {headless_help(self.settings)}")
        return OAuthFlowError(
            f"the OAuth token cannot be refreshed ({why}); run `tap-bigcommerce-auth login` "
            "to authorize again"
        )
