"""Faults armed while a client runs: one burst each time the store has served another
``every`` requests, so faults land all through a sync (first page, mid-pagination, the
parallel windows, children), not only at its start.

Bounded: at most ``len(bursts)`` bursts, and the thread stops at ``deadline_s`` or on stop().
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.emulator_process import Emulator

Action = Callable[[Emulator], None]


@dataclass
class Burst:
    kind: str = ""
    count: int = 1
    options: dict[str, Any] = field(default_factory=dict)
    action: Action | None = None  # instead of a fault: a control-API call (e.g. revoke)

    def arm(self, emu: Emulator) -> None:
        if self.action is not None:
            self.action(emu)
        else:
            emu.fault(self.kind, self.count, **self.options)


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
        next_at = self._base + self.start_after
        while not self._stop.is_set() and time.monotonic() < deadline and self.bursts:
            try:
                seq = int(self.emu.stats().get("last_seq", 0))
                if seq >= next_at:
                    self.bursts.pop(0).arm(self.emu)
                    self.armed += 1
                    next_at = seq + self.every
            except Exception as exc:  # noqa: BLE001 - reported by the test, never swallowed
                self.errors.append(f"{type(exc).__name__}: {exc}")
                return
            self._stop.wait(0.02)

    def fired(self) -> int:
        """Faults that reached the client so far (summed over every armed fault)."""
        return sum(int(f["fired"]) for f in self.emu.control("GET", "/faults"))
