"""Envelopes and paging the framework gives every list, and JSON answers for unknown paths."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from tests.emulator_process import Emulator, running_emulator

V3_LIST = "/v3/catalog/products"
V2_LIST = "/v2/orders"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--quota", "0") as e:
        yield e


def test_v3_offset_pages_and_links(emu: Emulator) -> None:
    total = emu.api("GET", V3_LIST).json()["meta"]["pagination"]["total"]
    assert total >= 3
    first = emu.api("GET", V3_LIST, params={"limit": 2, "is_visible": "true"}).json()
    p = first["meta"]["pagination"]
    assert (p["count"], p["per_page"], p["current_page"]) == (len(first["data"]), 2, 1)
    assert "previous" not in p["links"]
    nxt = parse_qs(p["links"]["next"].removeprefix("?"))
    assert nxt["page"] == ["2"] and nxt["limit"] == ["2"] and nxt["is_visible"] == ["true"]
    assert p["links"]["current"].startswith("?")
    last = emu.api("GET", V3_LIST, params={"limit": 2, "page": p["total_pages"]}).json()
    links = last["meta"]["pagination"]["links"]
    assert "next" not in links and "previous" in links


def test_v3_default_and_maximum_limit(emu: Emulator) -> None:
    assert emu.api("GET", V3_LIST).json()["meta"]["pagination"]["per_page"] == 50
    r = emu.api("GET", V3_LIST, params={"limit": 1000})
    assert r.status_code == 200
    assert r.json()["meta"]["pagination"]["per_page"] == 250


def test_v2_pages_end_with_204_and_an_empty_body(emu: Emulator) -> None:
    r = emu.api("GET", V2_LIST, params={"limit": 5})
    assert r.status_code == 200 and isinstance(r.json(), list) and len(r.json()) == 5
    r = emu.api("GET", V2_LIST, params={"limit": 5, "page": 1000})
    assert r.status_code == 204 and r.content == b""
    assert "X-Rate-Limit-Requests-Left" in r.headers


def test_v2_limit_over_250_is_413_with_the_v2_error_body(emu: Emulator) -> None:
    r = emu.api("GET", V2_LIST, params={"limit": 251})
    assert r.status_code == 413
    body = r.json()
    assert isinstance(body, list) and body[0]["status"] == 413 and body[0]["message"]


def test_unknown_path_and_method_answer_in_the_api_error_shape(emu: Emulator) -> None:
    r = emu.api("GET", "/v3/no/such/thing")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = emu.api("GET", "/v2/no_such_thing")
    assert r.status_code == 404 and r.json()[0]["status"] == 404
    r = emu.api("PATCH", V3_LIST, json={})
    assert r.status_code == 405 and r.json()["status"] == 405
    assert "GET" in r.headers["Allow"]
