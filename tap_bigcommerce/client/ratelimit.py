"""One request pacer per store, shared by every thread and client of the process.

BigCommerce counts requests per store over a fixed window (``X-Rate-Limit-Time-Window-Ms``);
every app and thread of the store draws from the same quota. Every response reports what is
left (``X-Rate-Limit-Requests-Left``) and when the window resets
(``X-Rate-Limit-Time-Reset-Ms``). The pacer keeps a conservative estimate of what is left
(the server's figure minus the requests still in flight, minus every request sent since),
lets requests go at once while the estimate is comfortable, spreads the last
``reserve`` requests of a window evenly over the time left in it (so a window's quota is
spent by its reset, never before), and waits for the reset when nothing is left. Because
the estimate always restarts from the server's own figure, another client spending part of
the quota slows this one down at the next response.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

LEFT = "X-Rate-Limit-Requests-Left"
QUOTA = "X-Rate-Limit-Requests-Quota"
RESET_MS = "X-Rate-Limit-Time-Reset-Ms"
WINDOW_MS = "X-Rate-Limit-Time-Window-Ms"

# Safety margin added to every wait for a reset: the server's clock and ours differ by a
# network trip at most, and a request arriving a little after the reset costs nothing.
RESET_MARGIN_S = 0.05


@dataclass(frozen=True)
class RateHeaders:
    left: int
    quota: int | None
    reset_s: float
    window_s: float | None

    @classmethod
    def parse(cls, headers: Mapping[str, str]) -> RateHeaders | None:
        """The four headers, or None when the answer carries no usable ones."""
        try:
            left = int(headers[LEFT])
            reset_s = int(headers[RESET_MS]) / 1000.0
        except (KeyError, ValueError, TypeError):
            return None
        quota = _int_or_none(headers.get(QUOTA))
        window_ms = _int_or_none(headers.get(WINDOW_MS))
        return cls(left, quota, max(0.0, reset_s), window_ms / 1000.0 if window_ms else None)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class RateLimiter:
    """Thread-safe pacer; ``acquire`` before sending, ``release`` with the answer's headers."""

    def __init__(
        self,
        *,
        reserve_fraction: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self._reserve_fraction = reserve_fraction
        self._quota: int | None = None
        self._window_s: float | None = None
        self._left: float | None = None  # estimate; None until a response reports one
        self._reset_at: float = 0.0
        self._blocked_until: float = 0.0
        self._in_flight = 0
        self._last_send = 0.0
        # Bumped when the window rolls over here: answers to requests sent before that
        # describe the old window and must not reset the new one's estimate.
        self._epoch = 0
        # False while the window is our own guess (after a 429 or a local rollover): the
        # server's next answer then replaces it instead of being merged into it.
        self._confirmed = True
        # Set once the server counts more requests than this process sent: another client
        # shares the quota, so the whole window is spread, not only its last part.
        self.shared = False
        self.waited_s = 0.0  # total time threads spent waiting, for logs and benchmarks

    # Public API ------------------------------------------------------------------
    def acquire(self, max_wait_s: float = 3600.0) -> int:
        """Block until one more request may be sent; count it in flight. Returns a ticket
        to hand back to ``release``."""
        deadline = self._clock() + max_wait_s
        with self._cond:
            while True:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0 or now >= deadline:
                    break
                wait = min(wait, deadline - now)
                self.waited_s += wait
                self._cond.wait(timeout=wait)
            self._in_flight += 1
            self._last_send = self._clock()
            if self._left is not None:
                self._left -= 1
            return self._epoch

    def release(self, headers: Mapping[str, str] | None, ticket: int | None = None) -> None:
        """The request ended (answer or failure); learn from its headers if it has them."""
        with self._cond:
            self._in_flight = max(0, self._in_flight - 1)
            parsed = RateHeaders.parse(headers) if headers is not None else None
            stale = ticket is not None and ticket != self._epoch
            if parsed is not None and not stale:
                now = self._clock()
                self._quota = parsed.quota if parsed.quota is not None else self._quota
                self._window_s = parsed.window_s if parsed.window_s else self._window_s
                # Requests still in flight may not be counted in this answer yet.
                observed = parsed.left - self._in_flight
                if self._left is None or not self._confirmed or self._rolled(now, parsed):
                    self._left = observed
                    self._reset_at = now + parsed.reset_s
                    self._confirmed = True
                else:
                    if observed < self._left - 1:
                        self.shared = True
                    # Answers can arrive out of order: within one window what is left only
                    # goes down, so an older, higher figure must not raise the estimate.
                    self._left = min(self._left, observed)
                    self._reset_at = max(self._reset_at, now + parsed.reset_s)
            self._cond.notify_all()

    def penalize(self, wait_s: float, *, stated: bool = False) -> None:
        """A 429: nobody sends before ``wait_s`` has passed.

        ``stated``: the 429 itself said when to retry (the longer of X-Retry-After and
        Reset-Ms). That is the server's newest word on the window, so the window ends then,
        whatever reset was learned before; answers to requests sent before the 429 carry
        older figures and are ignored (new epoch). Without a stated time, ``wait_s`` is a
        back-off and nothing is known about the window: after it, one request goes alone
        and its answer tells the rest.
        """
        with self._cond:
            now = self._clock()
            self._blocked_until = max(self._blocked_until, now + wait_s)
            self._epoch += 1
            self._confirmed = False
            if stated:
                self._left = 0
                self._reset_at = self._blocked_until
            else:
                self._left = None
            self.shared = True  # a refusal we did not foresee: someone else spends too
            self._cond.notify_all()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    # Pacing --------------------------------------------------------------------
    def _rolled(self, now: float, parsed: RateHeaders) -> bool:
        # The server started a new window since our last estimate.
        return now + parsed.reset_s > self._reset_at + 0.5 * (self._window_s or 0.0)

    def _wait_needed(self, now: float) -> float:
        if now < self._blocked_until:
            return self._blocked_until - now
        if self._left is None:
            # Nothing known yet: one request goes alone and its answer tells the rest.
            return 0.0 if self._in_flight == 0 else 1.0
        if now >= self._reset_at:
            # The window rolled over; the next request starts a new one. When it started
            # is a guess until the server's next answer says.
            self._epoch += 1
            self._confirmed = False
            if self._quota is not None:
                self._left = self._quota - self._in_flight
                self._reset_at = now + (self._window_s or 0.0)
            else:
                self._left = None
                return 0.0 if self._in_flight == 0 else 1.0
            return 0.0 if self._left > 0 else self._window_s or 0.0
        if self._left <= 0:
            return self._reset_at - now + RESET_MARGIN_S
        quota = self._quota or 0
        reserve = quota if self.shared else max(1.0, quota * self._reserve_fraction)
        if self._left > reserve:
            return 0.0
        # Spread the rest of the window's quota evenly over the time left in it.
        interval = (self._reset_at - now) / self._left
        return self._last_send + interval - now


_registry: dict[tuple[str, str], RateLimiter] = {}
_registry_lock = threading.Lock()


def limiter_for(api_url: str, store_hash: str) -> RateLimiter:
    """The process-wide limiter of one store at one API host."""
    key = (api_url.rstrip("/").lower(), store_hash)
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = RateLimiter()
        return limiter
