"""Shared pieces for the authentication tests: an emulator with an OAuth app, a test
"browser" that approves the authorize page over HTTP, and config builders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from tests.emulator_process import Emulator, running_emulator

CLIENT_ID = "test-client-id-0001"
CLIENT_SECRET = "test-client-secret-9f8e7d6c5b4a-3c2b1a09"
STORE_HASH = "teststore"


@contextmanager
def oauth_emulator(*extra: str) -> Iterator[Emulator]:
    with running_emulator(
        "--size",
        "small",
        "--products",
        "3",
        "--customers",
        "3",
        "--orders",
        "3",
        "--quota",
        "0",
        "--oauth-client-id",
        CLIENT_ID,
        "--oauth-client-secret",
        CLIENT_SECRET,
        *extra,
        store_hash=STORE_HASH,
    ) as emu:
        yield emu


def oauth_config(emu: Emulator, settings_file: Path, **over: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "auth_scheme": "OAuth",
        "store_hash": emu.store_hash,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "auth_url": emu.base_url,
        "callback_url": "http://127.0.0.1:0/callback",
        "oauth_settings_location": str(settings_file),
        "scopes": "store_v2_products_read_only store_v2_orders",
        "initiate_oauth": "GETANDREFRESH",
    }
    config.update(over)
    return config


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self.scopes: list[str] = []
        self._in_scope_li = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a.get("action", "")
        elif tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.fields)
        ):
            self.fields[self._select] = a["value"]
        elif tag == "li":
            self._in_scope_li = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "li":
            self._in_scope_li = False

    def handle_data(self, data: str) -> None:
        if self._in_scope_li:
            self.scopes.append(data.strip())


def read_authorize_page(url: str, session: requests.Session) -> _Form:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    form = _Form()
    form.feed(page.text)
    return form


def approve(
    url: str,
    *,
    decision: str = "approve",
    follow: bool = True,
    session: requests.Session | None = None,
) -> requests.Response:
    """What a merchant does in the browser: open the page, press Approve (or Deny)."""
    session = session or requests.Session()
    form = read_authorize_page(url, session)
    return session.post(
        urljoin(url, form.action),
        data={**form.fields, "decision": decision},
        allow_redirects=follow,
        timeout=30,
    )
