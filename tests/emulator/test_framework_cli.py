"""The command line: --port 0 prints the URL, SIGTERM exits cleanly, bad options fail."""

from __future__ import annotations

import signal
import subprocess
import sys

import requests

from tests.emulator_process import READY, start_emulator


def test_port_zero_prints_the_base_url_and_sigterm_exits_cleanly() -> None:
    emu = start_emulator("--size", "tiny")
    try:
        assert READY.fullmatch(emu.base_url)
        assert not emu.base_url.endswith(":0")
        health = requests.get(f"{emu.base_url}/__emulator/health", timeout=30).json()
        assert health["stores"] == [emu.store_hash]
    finally:
        emu.process.send_signal(signal.SIGTERM)
        rc = emu.process.wait(timeout=15)
    assert rc == 0


def test_two_stores_each_with_their_own_token() -> None:
    emu = start_emulator("--size", "tiny", "--store-hash", "b", "--token", "tb")
    try:
        stores = requests.get(f"{emu.base_url}/__emulator/stores", timeout=30).json()
        assert set(stores) == {emu.store_hash, "b"}
    finally:
        emu.stop()
    assert emu.process.returncode == 0


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bigcommerce_emulator", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_non_loopback_host_is_refused() -> None:
    r = _run("--host", "0.0.0.0", "--port", "0")
    assert r.returncode == 2
    assert "--host" in r.stderr


def test_token_count_must_match_stores() -> None:
    r = _run("--store-hash", "a", "--store-hash", "b", "--token", "t")
    assert r.returncode == 2
    assert "--token" in r.stderr


def test_unknown_size_is_refused() -> None:
    r = _run("--size", "gigantic")
    assert r.returncode == 2
    assert "--size" in r.stderr
