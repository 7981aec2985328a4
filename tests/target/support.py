"""Run ``target-bigcommerce`` as a real process against a real emulator process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.emulator_process import Emulator

TARGET = str(Path(sys.executable).with_name("target-bigcommerce"))
TAP = str(Path(sys.executable).with_name("tap-bigcommerce"))
SCHEMAS = Path(__file__).resolve().parents[2] / "tap_bigcommerce" / "schemas"
SUMMARY = re.compile(r"summary (\{.*\})\s*$", re.MULTILINE)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    states: list[dict[str, Any]]
    summary: dict[str, dict[str, int]]
    dead: list[dict[str, Any]]


def config_for(emu: Emulator, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "store_hash": emu.store_hash,
        "access_token": emu.token,
        "api_url": emu.base_url,
        "dead_letter_path": str(tmp_path / "dead-letter.jsonl"),
        **extra,
    }


def schema_message(stream: str, **extra_props: Any) -> dict[str, Any]:
    """The tap's schema for ``stream``, every field nullable (input rows are partial)."""
    schema = json.loads((SCHEMAS / f"{stream}.json").read_text())
    for prop in schema["properties"].values():
        types = prop.get("type")
        if isinstance(types, list) and "null" not in types:
            prop["type"] = [*types, "null"]
        elif isinstance(types, str) and types != "null":
            prop["type"] = [types, "null"]
    schema["properties"].update(extra_props)
    schema.pop("required", None)
    return {"type": "SCHEMA", "stream": stream, "schema": schema, "key_properties": []}


def records(stream: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "RECORD", "stream": stream, "record": r} for r in rows]


def state(value: dict[str, Any]) -> dict[str, Any]:
    return {"type": "STATE", "value": value}


def encode(lines: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(line) + "\n" for line in lines)


def write_config(tmp_path: Path, config: dict[str, Any]) -> Path:
    path = tmp_path / "target-config.json"
    path.write_text(json.dumps(config))
    return path


def parse_run(proc: subprocess.CompletedProcess[str], dead_path: Path) -> Run:
    states = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    found = SUMMARY.findall(proc.stderr)
    summary = json.loads(found[-1])["streams"] if found else {}
    dead = []
    if dead_path.exists():
        dead = [json.loads(line) for line in dead_path.read_text().splitlines() if line.strip()]
    return Run(proc.returncode, proc.stdout, proc.stderr, states, summary, dead)


def run_target(
    emu: Emulator,
    tmp_path: Path,
    lines: list[dict[str, Any]],
    *,
    timeout: float = 120,
    **config: Any,
) -> Run:
    cfg = config_for(emu, tmp_path, **config)
    path = write_config(tmp_path, cfg)
    proc = subprocess.run(
        [TARGET, "--config", str(path)],
        input=encode(lines),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return parse_run(proc, Path(cfg["dead_letter_path"]))


def writes(emu: Emulator, since: int = 0) -> list[dict[str, Any]]:
    """The store API's write requests in the emulator's log."""
    return [e for e in emu.requests_log(since) if e["method"] != "GET"]


def last_seq(emu: Emulator) -> int:
    return int(emu.stats().get("last_seq", 0))


def by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {int(r["id"]): r for r in rows}


def max_overlap(entries: list[dict[str, Any]]) -> int:
    """Most requests of ``entries`` in flight at one moment (from started/ended)."""
    events = [(e["started"], 1) for e in entries] + [(e["ended"], -1) for e in entries]
    # At equal times a finish comes before a start: they did not overlap.
    events.sort(key=lambda ev: (ev[0], ev[1]))
    now = peak = 0
    for _, delta in events:
        now += delta
        peak = max(peak, now)
    return peak
