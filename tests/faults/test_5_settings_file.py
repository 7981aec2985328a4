"""Part 5: the encrypted OAuth settings file under contention and damage: two processes
refreshing the same token 50 times each at once; a truncated or empty file; a file made
with another app's credentials; file and folder permissions."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tap_bigcommerce.auth.errors import SettingsFileError
from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tests.auth.oauth_helpers import CLIENT_ID, CLIENT_SECRET
from tests.emulator_process import Emulator
from tests.faults import ledger
from tests.faults.oauth import emulator_with_app, refresh_config, seed_token
from tests.faults.results import Case
from tests.faults.scenarios import STREAMS
from tests.faults.tap_process import assert_own_error, run_tap

pytestmark = pytest.mark.faults

ROUNDS = 50
ROOT = Path(__file__).resolve().parents[2]
OTHER_SECRET = "another-apps-client-secret-5f4e3d2c1b"


@pytest.fixture(scope="module")
def app() -> Iterator[Emulator]:
    with emulator_with_app("--size", "tiny", "--quota", "0") as emu:
        yield emu


def counts(emu: Emulator) -> dict[str, int]:
    return dict(emu.control("GET", "/oauth/stats")["counts"])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_two_processes_refresh_50_times_at_once(
    app: Emulator, tmp_path: Path, reliability: Callable[..., Case]
) -> None:
    row = reliability(
        "5 settings file",
        f"two processes refreshing the same token {ROUNDS} times each at once",
        faults=f"2 x {ROUNDS} refreshes with rotating refresh tokens on one file, released "
        "together, while this process reads the file in a loop",
        checked="every ask gets a token (none refreshes with a spent refresh token: the "
        f"server rejects none); {ROUNDS}-{2 * ROUNDS} refreshes in all; every read meanwhile "
        "decrypts; the file ends holding the live token and refresh token; mode 0600",
    )
    file = tmp_path / "folder" / "OAuthSettings.txt"
    seed_token(app, file)
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(refresh_config(app, file)))
    before = counts(app)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = str(Path(__file__).with_name("refresh_storm_worker.py"))
    procs = [
        subprocess.Popen(
            [sys.executable, worker, str(config_path), str(ROUNDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    reads = {"ok": 0, "failed": 0}
    stop = threading.Event()
    reader = SettingsFile(file, CLIENT_SECRET, CLIENT_ID)

    def read_loop() -> None:
        for _ in range(5000):  # bounded; stops when the workers are done
            if stop.is_set():
                return
            try:
                assert reader.read() is not None
                reads["ok"] += 1
            except SettingsFileError:
                reads["failed"] += 1
            stop.wait(0.005)

    thread = threading.Thread(target=read_loop, daemon=True)
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        thread.start()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=240)
            ledger.capture("refresh storm worker stderr", err)
            ledger.capture("refresh storm worker stdout", out)
            assert p.returncode == 0, err[-2000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        stop.set()
        thread.join(timeout=30)
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=10)
    row.runs = 2
    assert [r["errors"] for r in results] == [[], []], results
    assert [r["done"] for r in results] == [ROUNDS, ROUNDS]
    after = counts(app)
    refreshes = after.get("refresh_token", 0) - before.get("refresh_token", 0)
    # Each round each process refreshes, or adopts the other's fresher token.
    assert ROUNDS <= refreshes <= 2 * ROUNDS, (before, after)
    assert after.get("rejected", 0) == before.get("rejected", 0), (before, after)
    assert reads["failed"] == 0 and reads["ok"] > 0, reads
    saved = reader.read()
    assert saved is not None and saved.refresh_token
    ledger.secret(saved.access_token, saved.refresh_token)
    assert mode(file) == 0o600 and mode(file.parent) == 0o700
    assert app.api("GET", "/v3/catalog/products", token=saved.access_token).status_code == 200
    grant = requests.post(
        f"{app.base_url}/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": saved.refresh_token,
        },
        timeout=30,
    )
    assert grant.status_code == 200, "the file does not hold the live refresh token"
    body = grant.json()
    ledger.secret(body.get("access_token"), body.get("refresh_token"))
    row.add(refreshes=refreshes, concurrent_reads=reads["ok"])


def tap_fails_cleanly(app: Emulator, file: Path, expect: str) -> str:
    """The tap, pointed at ``file``, stops before any store request with one clear line."""
    original = file.read_bytes()
    seq = int(app.stats()["last_seq"])
    run = run_tap(
        refresh_config(app, file, api_url=app.base_url), STREAMS[:1], label=f"bad file {expect}"
    )
    assert run.returncode != 0
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line and expect in line]
    assert errors, run.tail()
    assert_own_error(run.stderr)
    assert file.read_bytes() == original, "the damaged file was changed"
    assert int(app.stats()["last_seq"]) == seq, "a store request was made"
    return errors[0]


@pytest.mark.parametrize("damage", ["truncated to half", "emptied"])
def test_damaged_file_is_a_clear_error_and_left_alone(
    damage: str, app: Emulator, tmp_path: Path, reliability: Callable[..., Case]
) -> None:
    row = reliability(
        "5 settings file",
        f"settings file {damage}",
        faults=f"the file {damage} after a good write",
        checked="reading it: one-line error naming the file; the tap exits non-zero with that "
        "ERROR line and ends in its own error class, before any store request; the file "
        "is left byte for byte",
    )
    file = tmp_path / "OAuthSettings.txt"
    seed_token(app, file)
    blob = file.read_bytes()
    file.write_bytes(blob[: len(blob) // 2] if damage.startswith("truncated") else b"")
    with pytest.raises(SettingsFileError) as err:
        SettingsFile(file, CLIENT_SECRET, CLIENT_ID).read()
    message = str(err.value)
    ledger.capture(f"settings file {damage} error", message)
    assert "\n" not in message and str(file) in message
    tap_fails_cleanly(app, file, str(file))
    row.runs = 2


@pytest.mark.parametrize("other", ["another app's secret", "another app's id, same passphrase"])
def test_file_of_another_app_is_refused(
    other: str,
    app: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reliability: Callable[..., Case],
) -> None:
    row = reliability(
        "5 settings file",
        f"a settings file from {other}",
        faults="a valid file written with other app credentials",
        checked="a one-line error saying so (wrong key / another app), the tap stops before "
        "any request, the file is left as it was",
    )
    ledger.secret(OTHER_SECRET)
    file = tmp_path / "OAuthSettings.txt"
    token = seed_token(app, file)
    if other == "another app's secret":
        SettingsFile(file, OTHER_SECRET, "other-client-id").write(token)
        expect = "wrong key"
    else:
        passphrase = "shared-passphrase-for-both-apps-77"
        ledger.secret(passphrase)
        monkeypatch.setenv("BIGCOMMERCE_OAUTH_SETTINGS_PASSPHRASE", passphrase)
        SettingsFile(file, passphrase, "other-client-id").write(token)
        expect = "belongs to another app"
    with pytest.raises(SettingsFileError, match=expect) as err:
        SettingsFile.for_settings(_settings(app, file)).read()
    ledger.capture(f"settings file {other} error", str(err.value))
    line = tap_fails_cleanly(app, file, expect)
    assert CLIENT_SECRET not in line and OTHER_SECRET not in line
    row.runs = 2


def _settings(app: Emulator, file: Path) -> AuthSettings:
    return AuthSettings.from_config(refresh_config(app, file))


def test_permissions(app: Emulator, tmp_path: Path, reliability: Callable[..., Case]) -> None:
    row = reliability(
        "5 settings file",
        "permissions of the file, its folder and its lock",
        faults="a file loosened to 0644 by hand before a refresh",
        checked="new file 0600 in a new folder 0700; the lock file 0600; after a refresh the "
        "rewritten file is 0600 again; the raw file holds no token in clear",
    )
    file = tmp_path / "new" / "deeper" / "OAuthSettings.txt"
    token = seed_token(app, file)
    assert mode(file) == 0o600 and mode(file.parent) == 0o700
    lock = Path(str(file) + ".lock")
    if lock.exists():
        assert mode(lock) & 0o077 == 0, oct(mode(lock))
    raw = file.read_bytes()
    assert token.access_token.encode() not in raw and CLIENT_SECRET.encode() not in raw
    assert token.refresh_token and token.refresh_token.encode() not in raw
    os.chmod(file, 0o644)
    store = SettingsFile(file, CLIENT_SECRET, CLIENT_ID)
    with store.locked():
        store.write(token)
    assert mode(file) == 0o600
    row.runs = 1
