"""Every injectable fault, observed from a real HTTP client."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from tests.emulator.framework_support import plain_get_route
from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--quota", "100000") as e:
        yield e


@pytest.fixture
def path(emu: Emulator) -> Iterator[str]:
    emu.clear_faults()
    # A v3 list answers with a JSON body large enough to cut in half.
    yield plain_get_route("v3").path
    emu.clear_faults()


def _fresh() -> requests.Session:
    # A dropped connection must not poison the next request's pooled connection.
    return requests.Session()


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(emu: Emulator, path: str, status: int) -> None:
    emu.fault(str(status), count=2)
    for _ in range(2):
        r = emu.api("GET", path)
        assert r.status_code == status
        assert r.json()["status"] == status
        assert "X-Rate-Limit-Requests-Left" in r.headers
    assert emu.api("GET", path).status_code == 200


def test_429_with_headers(emu: Emulator, path: str) -> None:
    emu.fault("429", retry_after_ms=2500)
    r = emu.api("GET", path)
    assert r.status_code == 429
    assert r.headers["X-Retry-After"] == "3"
    assert r.headers["X-Rate-Limit-Time-Reset-Ms"] == "2500"
    assert r.headers["X-Rate-Limit-Requests-Left"] == "0"
    assert emu.api("GET", path).status_code == 200


def test_429_without_headers(emu: Emulator, path: str) -> None:
    emu.fault("429-no-headers")
    r = emu.api("GET", path)
    assert r.status_code == 429
    assert "X-Retry-After" not in r.headers
    assert not any(h.lower().startswith("x-rate-limit") for h in r.headers)
    assert emu.api("GET", path).status_code == 200


def test_401(emu: Emulator, path: str) -> None:
    emu.fault("401")
    assert emu.api("GET", path).status_code == 401
    assert emu.api("GET", path).status_code == 200


def test_connection_reset(emu: Emulator, path: str) -> None:
    emu.fault("reset")
    url = f"{emu.base_url}/stores/{emu.store_hash}{path}"
    with pytest.raises(requests.ConnectionError):
        _fresh().get(url, headers={"X-Auth-Token": emu.token}, timeout=30)
    assert _fresh().get(url, headers={"X-Auth-Token": emu.token}, timeout=30).status_code == 200


def test_slow_response(emu: Emulator, path: str) -> None:
    emu.fault("slow", delay_ms=600)
    started = time.monotonic()
    r = emu.api("GET", path)
    assert r.status_code == 200 and r.json()["data"] is not None
    assert time.monotonic() - started >= 0.6
    with pytest.raises(requests.Timeout):
        emu.fault("slow", delay_ms=2000)
        _fresh().get(
            f"{emu.base_url}/stores/{emu.store_hash}{path}",
            headers={"X-Auth-Token": emu.token},
            timeout=0.5,
        )


def test_truncated_body(emu: Emulator, path: str) -> None:
    emu.fault("truncated")
    url = f"{emu.base_url}/stores/{emu.store_hash}{path}"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _fresh().get(url, headers={"X-Auth-Token": emu.token}, timeout=30)
    assert _fresh().get(url, headers={"X-Auth-Token": emu.token}, timeout=30).status_code == 200


def test_malformed_json(emu: Emulator, path: str) -> None:
    emu.fault("malformed")
    r = emu.api("GET", path)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    with pytest.raises(requests.exceptions.JSONDecodeError):
        r.json()
    assert emu.api("GET", path).json()["data"] is not None


def test_fault_matches_method_and_path_only(emu: Emulator, path: str) -> None:
    emu.fault("500", path="^/v9/nothing$")
    emu.fault("503", method="POST")
    assert emu.api("GET", path).status_code == 200
    emu.fault("502", path="^" + path + "$")
    assert emu.api("GET", path).status_code == 502
    faults = emu.control("GET", "/faults")
    assert [f["fired"] for f in faults] == [0, 0, 1]


def test_fault_after_lets_that_many_matching_requests_through(emu: Emulator, path: str) -> None:
    emu.fault("401", 2, after=3, path="^" + path + "$")
    assert emu.api("GET", "/v2/store").status_code == 200  # not matching: not counted
    statuses = [emu.api("GET", path).status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 401, 401, 200]
    (fault,) = emu.control("GET", "/faults")
    assert (fault["after"], fault["seen"], fault["fired"]) == (3, 5, 2)


def test_unknown_fault_kind_is_a_clear_400(emu: Emulator) -> None:
    r = emu.session.post(f"{emu.base_url}/__emulator/faults", json={"kind": "nope"}, timeout=30)
    assert r.status_code == 400
    assert "nope" in r.json()["error"]
