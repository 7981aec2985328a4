"""Per-store request quota over a fixed window, as BigCommerce enforces it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Quota:
    """``limit`` requests per ``window_ms``; ``limit == 0`` means unlimited.

    BigCommerce's window is fixed: it starts with the first request after the previous one
    ended, and every client of the store (every app, every thread) draws from the same one.
    """

    limit: int = 150
    window_ms: int = 30_000
    _window_start: float = field(default=0.0)
    _used: int = field(default=0)

    def _roll(self, t: float) -> None:
        if t - self._window_start >= self.window_ms / 1000.0:
            self._window_start = t
            self._used = 0

    def take(self) -> tuple[bool, dict[str, str]]:
        """Spend one request; returns (allowed, the four X-Rate-Limit-* headers)."""
        t = time.monotonic()
        self._roll(t)
        if self.limit == 0:
            return True, self._headers(t, left=1_000_000, quota=1_000_000)
        if self._used >= self.limit:
            return False, self._headers(t, left=0, quota=self.limit)
        self._used += 1
        return True, self._headers(t, left=self.limit - self._used, quota=self.limit)

    def peek(self) -> dict[str, str]:
        """The headers as they stand, without spending a request."""
        t = time.monotonic()
        self._roll(t)
        if self.limit == 0:
            return self._headers(t, left=1_000_000, quota=1_000_000)
        return self._headers(t, left=self.limit - self._used, quota=self.limit)

    def _headers(self, t: float, *, left: int, quota: int) -> dict[str, str]:
        reset_ms = max(0, int(self.window_ms - (t - self._window_start) * 1000))
        return {
            "X-Rate-Limit-Time-Window-Ms": str(self.window_ms),
            "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
            "X-Rate-Limit-Requests-Quota": str(quota),
            "X-Rate-Limit-Requests-Left": str(left),
        }

    def configure(self, limit: int | None = None, window_ms: int | None = None) -> None:
        if limit is not None:
            self.limit = limit
        if window_ms is not None:
            self.window_ms = window_ms
        self._window_start = 0.0
        self._used = 0
