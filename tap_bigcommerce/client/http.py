"""The one HTTP client every part of the connector uses to talk to a store.

Every attempt goes through the store's shared rate limiter and the authentication seam;
transient failures (5xx, 429, timeouts, dropped connections, broken JSON bodies) are
retried a bounded number of times with ``backoff``; everything else becomes one of the
errors in ``errors``.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import backoff
import msgspec
import requests
import urllib3
from requests.adapters import HTTPAdapter

from tap_bigcommerce.auth.base import StoreAuthenticator
from tap_bigcommerce.client.errors import (
    ApiError,
    AuthError,
    ConfigError,
    RetriesExhausted,
    ScopeError,
)
from tap_bigcommerce.client.ratelimit import RESET_MS, RateLimiter, limiter_for

log = logging.getLogger(__name__)

DEFAULT_EXPECT: tuple[int, ...] = (200, 201, 204, 207)
RETRY_AFTER = "X-Retry-After"
# A store-level endpoint every store answers: a 404 there means the store does not exist.
STORE_PROBE_PATH = "/v2/time"
_JSON_DECODER = msgspec.json.Decoder()


class _Retry(Exception):
    """One failed attempt that may be retried after ``wait_s`` seconds."""

    def __init__(self, reason: str, wait_s: float) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_s = wait_s


class BigCommerceClient:
    """Requests against ``{api_url}/stores/{store_hash}``; safe to share between threads."""

    def __init__(
        self,
        *,
        api_url: str,
        authenticator: StoreAuthenticator,
        timeout: float = 60.0,
        user_agent: str | None = None,
        max_retries: int = 8,
        max_concurrency: int = 8,
        backoff_factor_s: float = 1.0,
        max_backoff_s: float = 60.0,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.authenticator = authenticator
        self.store_hash: str = authenticator.store_hash
        self.base_url = f"{self.api_url}/stores/{self.store_hash}"
        self.timeout = timeout
        self.user_agent = user_agent or "tap-bigcommerce"
        self.max_retries = max_retries
        self.max_concurrency = max(1, max_concurrency)
        self.backoff_factor_s = backoff_factor_s
        self.max_backoff_s = max_backoff_s
        self.limiter = limiter or limiter_for(self.api_url, self.store_hash)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._store_seen = False
        self._server_time: tuple[datetime, float] | None = None
        self.requests_sent = 0  # attempts, including retries
        self._count_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"BigCommerceClient(api_url={self.api_url!r}, store_hash={self.store_hash!r})"

    # Public API --------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        expect: Collection[int] = DEFAULT_EXPECT,
    ) -> requests.Response:
        """Send one request (retrying transient failures); returns statuses in ``expect``."""
        response, _ = self._send(method, path, params=params, json=json, expect=expect)
        return response

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET and decode; None on 204 or an empty body."""
        _, body = self._send("GET", path, params=params, json=None, expect=(200, 204))
        return body

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def server_now(self) -> datetime | None:
        """The store's clock, from the last answer's Date header (None before any).

        Freeze points of a sync are taken on this clock: the API filters on its own
        timestamps, and this machine's clock may run ahead of it. One second is taken off
        for the header's whole-second resolution.
        """
        seen = self._server_time
        if seen is None:
            return None
        server, at = seen
        return server + timedelta(seconds=time.monotonic() - at - 1)

    def _note_server_time(self, header: str | None) -> None:
        if not header:
            return
        try:
            server = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            return
        if server.tzinfo is None:
            server = server.replace(tzinfo=UTC)
        self._server_time = (server.astimezone(UTC), time.monotonic())

    # Internals -----------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update({"Accept": "application/json", "User-Agent": self.user_agent})
            _environment_read_once(session, self.base_url)
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        json: Any,
        expect: Collection[int],
        probing: bool = False,
    ) -> tuple[requests.Response, Any]:
        state = {"reauthenticated": False, "attempt": 0, "probing": probing}

        def give_up(details: Any) -> None:
            exc = details.get("exception")
            reason = exc.reason if isinstance(exc, _Retry) else str(exc)
            raise RetriesExhausted(
                f"{method} {path} on store {self.store_hash!r} failed after "
                f"{details['tries']} attempts; last error: {reason}"
            ) from exc

        def attempt() -> tuple[requests.Response, Any]:
            state["attempt"] += 1
            return self._attempt(method, path, params, json, expect, state)

        retrying = backoff.on_exception(
            backoff.runtime,
            _Retry,
            value=lambda e: e.wait_s,
            max_tries=self.max_retries + 1,
            jitter=None,
            on_giveup=give_up,
            on_backoff=lambda d: log.warning(
                "Retrying %s %s (attempt %d): %s",
                method,
                path,
                d["tries"] + 1,
                getattr(d.get("exception"), "reason", ""),
            ),
            logger=None,
        )(attempt)
        result: tuple[requests.Response, Any] = retrying()
        return result

    def _backoff_s(self, attempt: int) -> float:
        # Full jitter: spreads the retries of many threads apart.
        ceiling = min(self.max_backoff_s, self.backoff_factor_s * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)

    def _attempt(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        expect: Collection[int],
        state: dict[str, Any],
    ) -> tuple[requests.Response, Any]:
        url = self.base_url + path
        attempt = int(state["attempt"])
        ticket = self.limiter.acquire()
        with self._count_lock:
            self.requests_sent += 1
        try:
            response = self._session().request(
                method,
                url,
                params=params,
                json=json,
                timeout=self.timeout,
                auth=self.authenticator,
                stream=True,
            )
            body_bytes = _read_body(response)  # the whole body: truncation raises here
        except (requests.Timeout, requests.ConnectionError) as exc:
            self.limiter.release(None, ticket)
            raise _Retry(f"{type(exc).__name__}: {_short(exc)}", self._backoff_s(attempt)) from exc
        except requests.RequestException as exc:
            self.limiter.release(None, ticket)
            raise _Retry(f"{type(exc).__name__}: {_short(exc)}", self._backoff_s(attempt)) from exc
        self.limiter.release(response.headers, ticket)
        self._note_server_time(response.headers.get("Date"))
        status = response.status_code

        if status == 429:
            stated = _retry_after_s(response.headers)
            wait_s = self._backoff_s(attempt) if stated is None else stated
            self.limiter.penalize(wait_s, stated=stated is not None)
            raise _Retry(f"429 Too Many Requests (waiting {wait_s:.1f}s)", 0.0)
        if status >= 500:
            raise _Retry(f"{status} {response.reason}", self._backoff_s(attempt))
        if status == 401:
            if not state["reauthenticated"] and self.authenticator.handle_unauthorized():
                state["reauthenticated"] = True
                raise _Retry("401 Unauthorized; retrying with new credentials", 0.0)
            raise AuthError(
                f"BigCommerce store {self.store_hash!r} rejected the access token "
                f"(401 Unauthorized on {method} {path})"
            )
        if status == 404 and not self._store_seen:
            # A 404 before the store has answered anything may be an unknown store, or
            # only a missing resource (a price list that does not exist): the store-level
            # endpoint tells them apart.
            if state["probing"]:
                raise ConfigError(
                    f"store_hash: no store {self.store_hash!r} at {self.api_url} "
                    f"(404 on {STORE_PROBE_PATH})"
                )
            self._confirm_store()
        if status == 403:
            raise ScopeError(
                f"The access token for store {self.store_hash!r} lacks the scope "
                f"{method} {path} needs (403 Forbidden)",
                path=path,
                scope=_scope_from(body_bytes),
            )
        self._store_seen = True
        if status not in expect:
            title, errors, body = _error_parts(body_bytes)
            raise ApiError(status, title, errors, body, method=method, path=path)
        if not body_bytes or status == 204:
            return response, None
        try:
            return response, _JSON_DECODER.decode(body_bytes)
        except msgspec.DecodeError as exc:
            raise _Retry(f"malformed JSON body ({_short(exc)})", self._backoff_s(attempt)) from exc

    def _confirm_store(self) -> None:
        """Raise ``ConfigError`` if the store does not answer its store-level endpoint."""
        try:
            self._send("GET", STORE_PROBE_PATH, params=None, json=None, expect=(200,), probing=True)
        except (ScopeError, ApiError):
            pass  # it answered (a scope the token lacks, another thread saw it first): it exists


def _read_body(response: requests.Response) -> bytes:
    """The whole body in one read. ``response.content`` reads it 10 KB at a time, which
    cost 4.7-6.4 ms of CPU for a 2 MB page of orders against 1.8 ms in one read. The
    body is kept on the response (``.json()``, ``.text`` still work) and the connection
    goes back to the pool; a short or broken body raises ``ChunkedEncodingError``, as
    ``.content`` would, after dropping the connection."""
    raw = response.raw
    try:
        body: bytes = raw.read(decode_content=True)
    except urllib3.exceptions.HTTPError as exc:
        response.close()
        if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
            raise requests.exceptions.ReadTimeout(exc) from exc
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    response._content = body
    response._content_consumed = True  # type: ignore[attr-defined]  # not in the stubs
    raw.release_conn()
    return body


def _environment_read_once(session: requests.Session, url: str) -> None:
    """The proxy and CA settings requests reads from the environment, read once per
    session instead of on every request (about a millisecond each, mostly walking
    ``os.environ``): HTTPS_PROXY / NO_PROXY and REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE
    still apply. Credentials come from the auth seam, never from ``.netrc``."""
    proxies = requests.utils.get_environ_proxies(url)
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    session.trust_env = False
    session.proxies.update(proxies)
    if bundle:
        session.verify = bundle


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _retry_after_s(headers: Mapping[str, str]) -> float | None:
    """The longer of X-Retry-After (seconds) and X-Rate-Limit-Time-Reset-Ms, if any."""
    waits: list[float] = []
    for name, scale in ((RETRY_AFTER, 1.0), ("Retry-After", 1.0), (RESET_MS, 0.001)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            waits.append(float(raw) * scale)
        except ValueError:
            continue
    return max(waits) if waits else None


def _decode_quietly(body: bytes) -> Any:
    try:
        return _JSON_DECODER.decode(body) if body else None
    except msgspec.DecodeError:
        return None


def _error_parts(body: bytes) -> tuple[str, Any, Any]:
    """(title, errors, body) from a v3 ``{title, errors}`` or v2 ``[{message}]`` error."""
    decoded = _decode_quietly(body)
    first = decoded[0] if isinstance(decoded, list) and decoded else decoded
    if isinstance(first, dict):
        title = first.get("title") or first.get("message") or ""
        return str(title), first.get("errors") or first.get("details"), decoded
    return body[:200].decode("utf-8", "replace"), None, decoded


def _scope_from(body: bytes) -> str | None:
    _, errors, _ = _error_parts(body)
    if isinstance(errors, dict) and isinstance(errors.get("scope"), str):
        return str(errors["scope"])
    return None
