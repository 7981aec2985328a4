"""Per-stream outcome counts and the summary printed at the end of a run."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass

OUTCOMES = ("created", "updated", "unchanged", "skipped", "rejected")


@dataclass
class StreamCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0


class RunReport:
    """Thread-safe tallies; sinks write from worker threads."""

    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self._lock = threading.Lock()
        self.streams: dict[str, StreamCounts] = {}

    def add(self, stream: str, outcome: str, count: int = 1) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        with self._lock:
            counts = self.streams.setdefault(stream, StreamCounts())
            setattr(counts, outcome, getattr(counts, outcome) + count)

    def touch(self, stream: str) -> None:
        with self._lock:
            self.streams.setdefault(stream, StreamCounts())

    @property
    def rejected(self) -> int:
        with self._lock:
            return sum(c.rejected for c in self.streams.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {name: asdict(c) for name, c in sorted(self.streams.items())}

    def json_line(self) -> str:
        return json.dumps({"dry_run": self.dry_run, "streams": self.as_dict()}, sort_keys=True)

    def table(self) -> str:
        rows = self.as_dict()
        head = ("stream", *OUTCOMES)
        body: list[Iterable[str]] = [
            (name, *(str(c[o]) for o in OUTCOMES)) for name, c in rows.items()
        ]
        widths = [max(len(str(r[i])) for r in [head, *map(tuple, body)]) for i in range(len(head))]
        lines = []
        for r in [head, *map(tuple, body)]:
            lines.append("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)))
        title = "target-bigcommerce summary" + (
            " (dry run: nothing was written)" if self.dry_run else ""
        )
        return "\n".join([title, *lines])
