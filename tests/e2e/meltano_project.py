"""Run Meltano against this repository's meltano.yml, isolated per test session.

The Meltano system database (state, run history) goes to a temporary folder through
MELTANO_DATABASE_URI, so a test never reads or clobbers a developer's own state.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METRIC = re.compile(r"METRIC: (\{.*\})")


def meltano_bin() -> str:
    found = os.environ.get("MELTANO_BIN") or shutil.which("meltano")
    if not found:
        venv = ROOT / ".venv-meltano" / "bin" / "meltano"
        if venv.exists():
            return str(venv)
        raise RuntimeError("meltano not found: run `make test`, which installs it")
    return found


@dataclass
class MeltanoRun:
    returncode: int
    output: str

    def record_counts(self) -> Counter[str]:
        """Records the tap emitted per stream, from the SDK's record_count metrics."""
        counts: Counter[str] = Counter()
        for line in self.output.splitlines():
            # Meltano prefixes each plugin's log lines; keep the extractor's only.
            if "tap-bigcommerce" not in line:
                continue
            m = METRIC.search(line)
            if not m:
                continue
            try:
                metric = json.JSONDecoder().raw_decode(m.group(1))[0]
            except json.JSONDecodeError:
                continue
            if metric.get("metric") != "record_count":
                continue
            counts[metric.get("tags", {}).get("stream", "?")] += int(metric.get("value", 0))
        return counts


def meltano(
    *args: str, env: dict[str, str], timeout: float = 600, check: bool = True
) -> MeltanoRun:
    proc = subprocess.run(
        [meltano_bin(), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    run = MeltanoRun(proc.returncode, proc.stdout + proc.stderr)
    if check and proc.returncode != 0:
        tail = "\n".join(run.output.splitlines()[-60:])
        raise AssertionError(f"meltano {' '.join(args)} failed ({proc.returncode}):\n{tail}")
    return run
