"""Proxy and CA settings from the environment, read once per session, still apply."""

from __future__ import annotations

import pytest
import requests

from tap_bigcommerce.client import RetriesExhausted
from tap_bigcommerce.client.http import _environment_read_once
from tests.emulator_process import Emulator
from tests.net import free_port
from tests.tap.test_client import PATH, make_client


def test_a_proxy_from_the_environment_is_used(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = f"http://127.0.0.1:{free_port()}"
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = make_client(emulator, max_retries=0)
    assert client._session().proxies == {"http": proxy}
    with pytest.raises(RetriesExhausted):
        client.get_json(PATH)


def test_no_proxy_still_bypasses_it(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = make_client(emulator)
    assert client.get_json(PATH)  # straight to the emulator, not through the dead proxy


def test_a_ca_bundle_from_the_environment_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    session = requests.Session()
    _environment_read_once(session, "https://api.bigcommerce.com")
    assert session.verify == "/etc/ssl/certs/ca-certificates.crt"
    assert session.trust_env is False
