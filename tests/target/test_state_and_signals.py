"""STATE comes only after every record before it is in the store (or dead-lettered); a
failed write or a SIGTERM never acknowledges what was not written."""

from __future__ import annotations

import json
import selectors
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.emulator_process import Emulator
from tests.target.support import (
    TARGET,
    by_id,
    config_for,
    encode,
    parse_run,
    records,
    run_target,
    schema_message,
    state,
    write_config,
)


def start_target(emu: Emulator, tmp_path: Path, **config: Any) -> subprocess.Popen[str]:
    path = write_config(tmp_path, config_for(emu, tmp_path, **config))
    return subprocess.Popen(
        [TARGET, "--config", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        if not sel.select(timeout):
            raise AssertionError("no output from the target in time")
        return proc.stdout.readline()
    finally:
        sel.close()


def send(proc: subprocess.Popen[str], lines: list[dict[str, Any]]) -> None:
    assert proc.stdin is not None
    proc.stdin.write(encode(lines))
    proc.stdin.flush()


def updates(ids: range, price: float) -> list[dict[str, Any]]:
    return records("products", [{"id": i, "price": price + i} for i in ids])


def test_state_follows_the_writes_before_it(emulator: Emulator, tmp_path: Path) -> None:
    proc = start_target(emulator, tmp_path)
    try:
        send(proc, [schema_message("products"), *updates(range(1, 6), 100), state({"n": 1})])
        assert json.loads(read_line(proc)) == {"n": 1}
        # The moment STATE 1 is out, the records before it are in the store.
        products = by_id(emulator.collection("products"))
        assert [products[i]["price"] for i in range(1, 6)] == [100 + i for i in range(1, 6)]
        assert products[6]["price"] != 206
        send(proc, [*updates(range(6, 11), 200), state({"n": 2})])
        assert json.loads(read_line(proc)) == {"n": 2}
        products = by_id(emulator.collection("products"))
        assert [products[i]["price"] for i in range(6, 11)] == [200 + i for i in range(6, 11)]
        assert proc.stdin is not None
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_write_that_keeps_failing_is_never_acknowledged(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.fault("500", count=1000, method="PUT", path="^/v3/catalog/products$")
    lines = [
        schema_message("products"),
        state({"n": 0}),
        *updates(range(1, 4), 300),
        state({"n": 1}),
    ]
    run = run_target(emulator, tmp_path, lines, max_retries=1, retry_backoff=0.01)
    assert run.returncode == 1
    assert run.states == [{"n": 0}]
    assert "500" in run.stderr and "Traceback" not in run.stderr
    # The summary is still printed: nothing was updated.
    assert run.summary["products"]["updated"] == 0


def test_sigterm_finishes_the_batch_in_flight_and_acknowledges_nothing_more(
    emulator: Emulator, tmp_path: Path
) -> None:
    before = by_id(emulator.collection("products"))
    slow = emulator.fault(
        "slow", count=1, method="PUT", path="^/v3/catalog/products$", delay_ms=1500
    )
    lines = [schema_message("products"), *updates(range(1, 31), 700), state({"n": 1})]
    proc = start_target(emulator, tmp_path, max_concurrency=1)
    try:
        send(proc, lines)  # stdin stays open: the run is mid-stream
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            faults = {f["id"]: f for f in emulator.control("GET", "/faults")}
            if faults[slow["id"]]["fired"]:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the first batch never started")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM, err[-2000:]
    assert out.strip() == "", "a STATE was written after SIGTERM"
    after = by_id(emulator.collection("products"))
    written = [i for i in range(1, 31) if after[i]["price"] == 700 + i]
    # The batch in flight was finished, whole; nothing after it was sent.
    assert written == list(range(1, 11))
    assert all(after[i]["price"] == before[i]["price"] for i in range(11, 31))
    run = parse_run(
        subprocess.CompletedProcess([], proc.returncode, out, err), tmp_path / "dead-letter.jsonl"
    )
    assert run.summary["products"]["updated"] == 10

    # Resuming from the last acknowledged STATE (none) sends everything again: only the
    # records not yet written are updated.
    again = run_target(emulator, tmp_path, lines)
    assert again.returncode == 0
    assert again.summary["products"]["updated"] == 20
    assert again.summary["products"]["unchanged"] == 10
    assert again.states == [{"n": 1}]
