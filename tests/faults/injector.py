"""Faults armed while a client runs: a burst, then, once all of it has reached the client,
another after ``every`` more requests; so faults land all through a sync (first page,
mid-pagination, the parallel windows, children), and bursts never pile onto one request
beyond what a burst says.

Bounded: at most ``len(bursts)`` bursts, and the thread stops at ``deadline_s`` or on stop().
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.emulator_process import Emulator


@dataclass
class Burst:
    kind: str = ""
    count: int = 1
    options: dict[str, Any] = field(default_factory=dict)

    def arm(self, emu: Emulator) -> int:
        """Arm it; the fault's id."""
        return int(emu.fault(self.kind, self.count, **self.options)["id"])


class FaultInjector:
    def __init__(
        self,
        emu: Emulator,
        bursts: list[Burst],
        *,
        every: int,
        start_after: int = 0,
        deadline_s: float = 300,
    ) -> None:
        self.emu = emu
        self.bursts = list(bursts)
        self.every = every
        self.start_after = start_after
        self.deadline_s = deadline_s
        self.armed = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-injector", daemon=True)

    def __enter__(self) -> FaultInjector:
        self.emu.clear_faults()
        self._base = int(self.emu.stats().get("last_seq", 0))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        deadline = time.monotonic() + self.deadline_s
        next_at: int | None = self._base + self.start_after
        pending: tuple[int, int] | None = None  # (fault id, count) not yet all fired
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                seq = int(self.emu.stats().get("last_seq", 0))
                if pending is not None:
                    faults = {int(f["id"]): f for f in self.emu.control("GET", "/faults")}
                    fault = faults.get(pending[0])
                    if fault is None or int(fault["fired"]) >= pending[1]:
                        pending, next_at = None, seq + self.every
                elif next_at is not None and seq >= next_at:
                    if not self.bursts:
                        return
                    burst = self.bursts.pop(0)
                    fault_id = burst.arm(self.emu)
                    self.armed += 1
                    pending, next_at = (fault_id, burst.count), None
            except Exception as exc:  # noqa: BLE001 - reported by the test, never swallowed
                self.errors.append(f"{type(exc).__name__}: {exc}")
                return
            self._stop.wait(0.02)

    def fired(self) -> int:
        """Faults that reached the client so far (summed over every armed fault)."""
        return sum(int(f["fired"]) for f in self.emu.control("GET", "/faults"))
