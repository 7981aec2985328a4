"""What one benchmark run measures: the child's rusage, the records it wrote, and the
request arithmetic (lower bound and quota-bound minimum time) it is judged against.

The child is waited for with ``os.wait4`` so that its CPU time and peak RSS are its own,
not mixed with the emulator's or an earlier run's (``RUSAGE_CHILDREN`` keeps the largest
peak of every child ever waited for).
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

PAGE_LIMIT = 250  # the most records one list request returns
_RECORD = re.compile(rb'"type":\s*"RECORD"')
_STREAM = re.compile(rb'"stream":\s*"([^"]+)"')
_STATE = re.compile(rb'"type":\s*"STATE"')


@dataclass
class ProcessResult:
    """A finished child process: how long, how much CPU and memory, what it wrote."""

    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    records: Counter[str] = field(default_factory=Counter)
    last_state: bytes | None = None
    stderr_tail: str = ""
    # CPU the emulator spent meanwhile: near wall_s, the emulator (not the client) is the
    # bottleneck of the run.
    server_cpu_s: float | None = None

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def _count_messages(stream: IO[bytes], result: ProcessResult) -> None:
    # Only the head of each line is looked at: the reader must cost far less than the tap.
    for line in stream:
        head = line[:160]
        if _RECORD.search(head):
            m = _STREAM.search(head)
            result.records[m.group(1).decode() if m else "?"] += 1
        elif _STATE.search(head):
            result.last_state = line


def process_cpu_s(pid: int) -> float | None:
    """User plus system CPU seconds of a running process (Linux ``/proc``), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_process(
    cmd: Sequence[str],
    *,
    stdin_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 3600.0,
    server_pid: int | None = None,
) -> ProcessResult:
    """Run ``cmd`` to its end, counting the Singer RECORD lines on its stdout."""
    server_before = process_cpu_s(server_pid) if server_pid else None
    stderr_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-stderr-{os.getpid()}.log"
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        with open(stderr_path, "wb") as err:
            start = time.monotonic()
            proc = subprocess.Popen(
                list(cmd),
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=err,
                env=dict(env) if env is not None else None,
            )
            result = ProcessResult(returncode=-1, wall_s=0.0, cpu_s=0.0, peak_rss_mib=0.0)
            assert proc.stdout is not None
            reader = threading.Thread(target=_count_messages, args=(proc.stdout, result))
            reader.start()
            reader.join(timeout_s)
            if reader.is_alive():
                proc.kill()
                reader.join(30)
            _, status, usage = os.wait4(proc.pid, 0)
            result.wall_s = time.monotonic() - start
            proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
            proc.stdout.close()
    finally:
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
    result.returncode = proc.returncode
    if server_pid and server_before is not None:
        server_after = process_cpu_s(server_pid)
        if server_after is not None:
            result.server_cpu_s = server_after - server_before
    result.cpu_s = usage.ru_utime + usage.ru_stime
    result.peak_rss_mib = usage.ru_maxrss / 1024.0  # kilobytes on Linux
    text = stderr_path.read_text(errors="replace")
    stderr_path.unlink(missing_ok=True)
    result.stderr_tail = "\n".join(text.splitlines()[-15:])
    return result


# Request arithmetic -------------------------------------------------------------------
def pages(records: int, per_request: int = PAGE_LIMIT) -> int:
    """Requests to list ``records`` at ``per_request`` a time; an empty list still costs one."""
    return max(1, math.ceil(records / per_request))


def quota_min_time_s(
    requests: int, *, quota: int, window_s: float, latency_s: float, concurrency: int
) -> float:
    """The least wall time ``requests`` requests can take.

    The store's window is fixed: it opens with a request and admits ``quota`` of them; the
    next request waits for the window to end. So request ``N`` cannot start before
    ``floor((N-1)/quota)`` whole windows have passed, and the ``r`` requests of the last
    window take at least ``ceil(r/concurrency)`` round trips. Without a quota only the
    round trips count: ``ceil(N/concurrency) * latency``.
    """
    if requests <= 0:
        return 0.0
    concurrency = max(1, concurrency)
    round_trips = math.ceil(requests / concurrency) * latency_s
    if quota <= 0:
        return round_trips
    full_windows = (requests - 1) // quota
    last = requests - full_windows * quota
    return max(full_windows * window_s + math.ceil(last / concurrency) * latency_s, round_trips)


@dataclass(frozen=True)
class StreamCost:
    """How one selected stream is fetched, for the lower bound of requests."""

    stream: str
    how: str  # "list": its own pages; "included": in its parent's pages; "per_parent"
    parent: str | None = None


def tap_lower_bound(costs: Sequence[StreamCost], counts: Mapping[str, int]) -> dict[str, int]:
    """Per stream, the fewest requests the API allows: ceil(records / 250) for a list
    (one for an empty list), nothing for children that come with their parent's pages,
    one per parent otherwise."""
    out: dict[str, int] = {}
    for cost in costs:
        if cost.how == "list":
            out[cost.stream] = pages(counts.get(cost.stream, 0))
        elif cost.how == "included":
            out[cost.stream] = 0
        elif cost.how == "per_parent":
            out[cost.stream] = counts.get(cost.parent or "", 0)
        else:
            raise ValueError(f"stream {cost.stream}: unknown fetch kind {cost.how!r}")
    return out


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def rounded(values: Mapping[str, Any], digits: int = 3) -> dict[str, Any]:
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in values.items()}
