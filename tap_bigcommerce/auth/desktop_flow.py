"""The desktop flow: a one-shot listener on the loopback callback URL and a browser.

The listener binds the loopback address only, answers the callback path once, checks
``state`` before anything is exchanged, and gives up after a timeout.
"""

from __future__ import annotations

import logging
import secrets
import socket
import time
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tap_bigcommerce.auth.errors import AuthSetupError, OAuthFlowError
from tap_bigcommerce.auth.settings import AuthSettings, is_loopback_host
from tap_bigcommerce.auth.token_set import TokenSet
from tap_bigcommerce.auth.web_flow import (
    Callback,
    check_state,
    endpoint_for,
    exchange_callback,
    parse_callback,
)

log = logging.getLogger(__name__)

Opener = Callable[[str], Any]
DEFAULT_TIMEOUT_S = 300.0

_DONE_PAGE = b"""<!doctype html><html><head><title>tap-bigcommerce</title></head>
<body><h1>Authorization received</h1><p>You can close this window.</p></body></html>"""
_FAILED_PAGE = b"""<!doctype html><html><head><title>tap-bigcommerce</title></head>
<body><h1>Authorization failed</h1><p>See the terminal for details.</p></body></html>"""


class _Server(HTTPServer):
    def __init__(self, address: tuple[str, int], family: int, path: str, state: str) -> None:
        self.address_family = family
        self.expected_path = path
        self.expected_state = state
        self.callback: Callback | None = None
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        if parts.path != self.server.expected_path or self.server.callback is not None:
            self._answer(404, b"Not found")
            return
        callback = (
            parse_callback("?" + parts.query)
            if parts.query
            else Callback(None, None, None, None, "no_parameters")
        )
        self.server.callback = callback
        ok = callback.state == self.server.expected_state and callback.code and not callback.error
        self._answer(200 if ok else 400, _DONE_PAGE if ok else _FAILED_PAGE)

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # The request line holds the authorization code: never log it.
        return


def _listener(callback_url: str, state: str) -> tuple[_Server, str]:
    parts = urlsplit(callback_url)
    if parts.scheme != "http" or not is_loopback_host(parts.hostname):
        raise AuthSetupError(
            "callback_url: the desktop flow needs http://localhost:PORT/... or "
            "http://127.0.0.1:PORT/... (a loopback address)"
        )
    host = parts.hostname or "127.0.0.1"
    bind_host = "127.0.0.1" if host == "localhost" else host
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    try:
        server = _Server((bind_host, parts.port or 80), family, parts.path or "/", state)
    except OSError as exc:
        raise OAuthFlowError(
            f"callback_url: cannot listen on {bind_host}:{parts.port or 80} ({exc.strerror})"
        ) from None
    # Port 0 picks a free port; the redirect URL then names the real one.
    port = server.server_address[1]
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return server, urlunsplit(("http", netloc, parts.path or "/", "", ""))


def wait_for_callback(server: _Server, timeout: float) -> Callback:
    deadline = time.monotonic() + timeout
    while server.callback is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise OAuthFlowError(
                f"no authorization arrived at the callback within {timeout:.0f}s; run it again"
            )
        server.timeout = remaining
        server.handle_request()
    return server.callback


def run_desktop_flow(
    settings: AuthSettings,
    *,
    opener: Opener = webbrowser.open,
    timeout: float = DEFAULT_TIMEOUT_S,
    notify: Callable[[str], None] | None = None,
) -> TokenSet:
    """Open the browser at the authorization URL, wait for the redirect, exchange the code."""
    if not settings.callback_url:
        raise AuthSetupError("callback_url is required for the desktop flow")
    state = secrets.token_hex(24)  # 192 bits, as in web_flow
    server, redirect_uri = _listener(settings.callback_url, state)
    try:
        url = endpoint_for(settings).authorization_url(
            redirect_uri, settings.scopes, state, settings.store_hash
        )
        message = f"Opening the browser to authorize the app; if it does not open, visit: {url}"
        (notify or log.warning)(message)
        opener(url)
        callback = wait_for_callback(server, timeout)
    finally:
        server.server_close()
    check_state(state, callback.state)
    return exchange_callback(settings, callback, redirect_uri)
