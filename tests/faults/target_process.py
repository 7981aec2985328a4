"""Run target-bigcommerce as a real process: feed it Singer lines, read every STATE it
acknowledges as it comes (so a check can run at that very moment), and optionally SIGKILL it
a random moment after the k-th STATE."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults import ledger

TARGET = str(Path(sys.executable).with_name("target-bigcommerce"))


@dataclass
class TargetRun:
    returncode: int
    states: list[dict[str, Any]]
    stderr: str
    killed: bool = False
    seconds: float = 0.0
    checks: int = 0  # STATE acknowledgements checked live
    notes: list[str] = field(default_factory=list)


def run_target(
    config: dict[str, Any],
    lines: list[Any],
    *,
    raw: bool = False,
    on_state: Callable[[dict[str, Any]], None] | None = None,
    kill_after_states: int | None = None,
    kill_delay_s: float = 0.0,
    timeout: float = 180,
    label: str = "target",
) -> TargetRun:
    ledger.secret(config.get("access_token"), config.get("client_secret"))
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp, "config.json")
        cfg.write_text(json.dumps(config))
        err_path = Path(tmp, "stderr.txt")
        started = time.monotonic()
        with err_path.open("w") as err:
            proc = subprocess.Popen(
                [TARGET, "--config", str(cfg)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
            assert proc.stdin is not None and proc.stdout is not None
            stdin, stdout = proc.stdin, proc.stdout

            def feed() -> None:
                try:
                    for line in lines:
                        # ``raw``: strings are written as they are (garbage lines).
                        text = line if raw and isinstance(line, str) else json.dumps(line)
                        stdin.write(text + "\n")
                    stdin.close()
                except (BrokenPipeError, ValueError, OSError):
                    pass  # killed, or it stopped reading: what it did read is what counts

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            run = TargetRun(0, [], "")
            kill_at: float | None = None
            deadline = started + timeout
            sel = selectors.DefaultSelector()
            sel.register(stdout, selectors.EVENT_READ)
            try:
                while time.monotonic() < deadline:
                    if kill_at is not None and time.monotonic() >= kill_at:
                        proc.kill()
                        run.killed = True
                        break
                    wait = 0.5 if kill_at is None else max(0.0, kill_at - time.monotonic())
                    if not sel.select(min(wait, 0.5)):
                        continue
                    line = stdout.readline()
                    if not line:
                        break
                    value = json.loads(line)
                    run.states.append(value)
                    if on_state is not None:
                        on_state(value)
                        run.checks += 1
                    if kill_after_states is not None and len(run.states) == kill_after_states:
                        kill_at = time.monotonic() + kill_delay_s
                else:
                    proc.kill()
                    raise AssertionError(f"{label}: the target ran past its {timeout:.0f}s limit")
            finally:
                sel.close()
                if proc.poll() is None and not run.killed:
                    try:
                        proc.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                proc.wait(timeout=30)
                writer.join(timeout=10)
        run.returncode = proc.returncode
        run.stderr = err_path.read_bytes().decode("utf-8", "replace")
        run.seconds = time.monotonic() - started
    ledger.capture(f"{label} stderr", run.stderr)
    ledger.capture(f"{label} STATE", "\n".join(json.dumps(s) for s in run.states))
    return run
