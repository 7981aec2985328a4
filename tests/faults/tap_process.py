"""Run tap-bigcommerce as a real process, read its output as a consumer would, and kill it
(SIGKILL) after a chosen number of output lines.

Every stderr and STATE line is kept in the secrets ledger; record lines are scanned for the
secrets known when the run ends (they are too many to keep).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults import ledger
from tests.tap.tap_runner import catalog_for

TAP = [sys.executable, "-m", "tap_bigcommerce.tap"]
_CATALOGS: dict[tuple[str, ...], dict[str, Any]] = {}


@dataclass
class Message:
    type: str
    stream: str = ""
    record: dict[str, Any] = field(default_factory=dict)
    value: dict[str, Any] = field(default_factory=dict)


@dataclass
class TapOutput:
    returncode: int
    messages: list[Message]
    stderr: str
    seconds: float
    input_state: dict[str, Any] | None = None
    killed: bool = False

    def records(self, stream: str) -> list[dict[str, Any]]:
        return [m.record for m in self.messages if m.type == "RECORD" and m.stream == stream]

    def ids(self, stream: str) -> set[int]:
        return {int(r["id"]) for r in self.records(stream)}

    @property
    def states(self) -> list[dict[str, Any]]:
        return [m.value for m in self.messages if m.type == "STATE"]

    @property
    def last_state(self) -> dict[str, Any] | None:
        states = self.states
        return states[-1] if states else None

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "ERROR" in line or "CRITICAL" in line]

    def tail(self, n: int = 3000) -> str:
        return self.stderr[-n:]


OWN_ERRORS = (
    "tap_bigcommerce.",
    "target_bigcommerce.",
    "singer_sdk.exceptions.",
    "singer_sdk.singerlib.exceptions.",  # InvalidInputLine: a line that is no Singer message
)


def assert_own_error(stderr: str) -> None:
    """A failed run ends in one of the connector's own errors (a one-line message), never in
    an exception from deep inside (KeyError, TypeError, a library's internals...).

    The SDK's exception hook logs the message on one ERROR line and then the traceback; the
    traceback's last line names the exception class, which is what is checked here."""
    # split("\n"), not splitlines(): a message may quote input holding \x1c, \x85, ...
    lines = [line for line in stderr.split("\n") if line.strip()]
    assert lines, "no error output"
    if any(line.startswith("Traceback") for line in lines):
        last = lines[-1]
        assert last.startswith(OWN_ERRORS), f"ended in a foreign exception: {last[:300]}"


def catalog(config: dict[str, Any], streams: list[str]) -> dict[str, Any]:
    key = tuple(sorted(streams))
    if key not in _CATALOGS:
        _CATALOGS[key] = catalog_for(config, streams)
    return _CATALOGS[key]


def run_tap(
    config: dict[str, Any],
    streams: list[str],
    *,
    state: dict[str, Any] | None = None,
    kill_after_lines: int | None = None,
    timeout: float = 180,
    label: str = "tap",
) -> TapOutput:
    """One tap run; SIGKILLed after ``kill_after_lines`` stdout lines, or at ``timeout``."""
    ledger.secret(config.get("access_token"), config.get("client_secret"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.json").write_text(json.dumps(config))
        (folder / "catalog.json").write_text(json.dumps(catalog(config, streams)))
        args = ["--config", str(folder / "config.json"), "--catalog", str(folder / "catalog.json")]
        if state is not None:
            (folder / "state.json").write_text(json.dumps(state))
            args += ["--state", str(folder / "state.json")]
        err_path = folder / "stderr.txt"
        started = time.monotonic()
        with err_path.open("w") as err:
            proc = subprocess.Popen(
                [*TAP, *args],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            watchdog = threading.Timer(timeout, proc.kill)
            watchdog.start()
            lines: list[str] = []
            killed = False
            try:
                assert proc.stdout is not None
                for line in proc.stdout:
                    lines.append(line)
                    if kill_after_lines is not None and len(lines) >= kill_after_lines:
                        proc.kill()
                        killed = True
                        break
                proc.stdout.close()
                proc.wait(timeout=60)
            finally:
                watchdog.cancel()
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=30)
        stderr = err_path.read_bytes().decode("utf-8", "replace")
    seconds = time.monotonic() - started
    if not killed and proc.returncode == -9:
        raise AssertionError(f"{label}: the tap ran past its {timeout:.0f}s limit")
    messages = [_parse(line) for line in lines if line.strip()]
    stdout = "".join(lines)
    ledger.capture(f"{label} stderr", stderr)
    ledger.capture(
        f"{label} STATE", "\n".join(json.dumps(m.value) for m in messages if m.type == "STATE")
    )
    leaked = [s for s in ledger.SECRETS if s in stdout]
    assert not leaked, f"{label}: a secret appears in the tap's records"
    return TapOutput(proc.returncode, messages, stderr, seconds, state, killed)


def _parse(line: str) -> Message:
    msg = json.loads(line)
    kind = msg.get("type", "")
    if kind == "RECORD":
        return Message(kind, msg["stream"], record=msg["record"])
    if kind == "STATE":
        return Message(kind, value=msg["value"])
    return Message(kind, msg.get("stream", ""))
