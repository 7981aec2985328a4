"""Run tap-bigcommerce as a real process against an emulator and collect its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.emulator_process import Emulator

TAP = [sys.executable, "-m", "tap_bigcommerce.tap"]


@dataclass
class TapRun:
    returncode: int
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    states: list[dict[str, Any]] = field(default_factory=list)
    stderr: str = ""

    @property
    def last_state(self) -> dict[str, Any] | None:
        return self.states[-1] if self.states else None

    def ids(self, stream: str) -> list[int]:
        return [r["id"] for r in self.records.get(stream, [])]


def base_config(emu: Emulator, **extra: Any) -> dict[str, Any]:
    return {
        "store_hash": emu.store_hash,
        "access_token": emu.token,
        "api_url": emu.base_url,
        "retry_backoff": 0.05,
        **extra,
    }


def catalog_for(config: dict[str, Any], streams: list[str] | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp, "config.json")
        cfg.write_text(json.dumps(config))
        out = subprocess.run(
            [*TAP, "--config", str(cfg), "--discover"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    catalog = json.loads(out.stdout)
    for entry in catalog["streams"]:
        chosen = streams is None or entry["tap_stream_id"] in streams
        for md in entry["metadata"]:
            if md["breadcrumb"] == []:
                md["metadata"]["selected"] = chosen
    return catalog


def parse_output(lines: list[str], run: TapRun) -> None:
    for line in lines:
        if not line.strip():
            continue
        msg = json.loads(line)
        if msg["type"] == "RECORD":
            run.records[msg["stream"]].append(msg["record"])
        elif msg["type"] == "STATE":
            run.states.append(msg["value"])


def run_tap(
    config: dict[str, Any],
    *,
    streams: list[str] | None = None,
    state: dict[str, Any] | None = None,
    catalog: dict[str, Any] | None = None,
    timeout: float = 240,
) -> TapRun:
    with tempfile.TemporaryDirectory() as tmp:
        args = _write_args(Path(tmp), config, streams, state, catalog)
        proc = subprocess.run(
            [*TAP, *args], capture_output=True, text=True, timeout=timeout, env=_env()
        )
    run = TapRun(proc.returncode, stderr=proc.stderr)
    parse_output(proc.stdout.splitlines(), run)
    return run


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _write_args(
    tmp: Path,
    config: dict[str, Any],
    streams: list[str] | None,
    state: dict[str, Any] | None,
    catalog: dict[str, Any] | None,
) -> list[str]:
    cfg = tmp / "config.json"
    cfg.write_text(json.dumps(config))
    args = ["--config", str(cfg)]
    if streams is not None or catalog is not None:
        cat = tmp / "catalog.json"
        cat.write_text(json.dumps(catalog or catalog_for(config, streams)))
        args += ["--catalog", str(cat)]
    if state is not None:
        st = tmp / "state.json"
        st.write_text(json.dumps(state))
        args += ["--state", str(st)]
    return args


def run_tap_killed(
    config: dict[str, Any],
    *,
    streams: list[str],
    stream: str,
    kill_after: int,
    state: dict[str, Any] | None = None,
) -> TapRun:
    """Start the tap and SIGKILL it once ``kill_after`` records of ``stream`` came out."""
    with tempfile.TemporaryDirectory() as tmp:
        args = _write_args(Path(tmp), config, streams, state, None)
        proc = subprocess.Popen(
            [*TAP, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_env(),
        )
        assert proc.stdout is not None
        run = TapRun(0)
        seen = 0
        lines: list[str] = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith('{"type":"RECORD","stream":"' + stream + '"'):
                seen += 1
                if seen >= kill_after:
                    proc.kill()
                    break
        proc.wait(timeout=30)
        run.returncode = proc.returncode
    parse_output(lines, run)
    return run
