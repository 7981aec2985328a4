"""One request pacer per store, shared by every thread and client of the process.

BigCommerce counts requests per store over a fixed window (``X-Rate-Limit-Time-Window-Ms``)
that opens with the first request after the previous one ended; every app and thread of
the store draws from the same quota. The server counts a request when it arrives, and the
answer reports what was left right after (``X-Rate-Limit-Requests-Left``) and when the
window resets (``X-Rate-Limit-Time-Reset-Ms``).

Accounting: the highest count the server has reported in the current window already holds
every request that arrived before the one it answered, including ours that were answered
with a lower count. What it may not hold yet are our requests still in flight (and those
that failed without an answer). So the requests left to us now are at most
``quota - highest count - in flight - unanswered failures``. That figure is recomputed from
the answers, never only lowered, so a request that was still in flight when a higher count
came back stops being counted twice as soon as its own answer arrives.

Pacing: while something is left, requests go at once (a process alone spends the window's
quota as fast as its threads allow); with nothing left, everyone waits for the reset.
Another client is only assumed when the server counts more requests in a window than this
process sent since that window may have opened; then, for that window and the next, the
rest of the window's quota is spread evenly over the time left in it.
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
# How far apart two answers' window ends may be and still describe one window, when the
# window's length is not known (it is half the window otherwise).
_DEFAULT_TOLERANCE_S = 0.5
# Windows after the one where another client was last seen that are still paced as shared.
_SHARED_WINDOWS = 1


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

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self._quota: int | None = None
        self._window_s: float | None = None
        # The highest count of the current window the server reported; None until an
        # answer (or a 429 that stated its wait) tells.
        self._used: int | None = None
        # Attempts of this window that ended without an answer: the server may have counted
        # them, and no answer will say.
        self._unanswered = 0
        self._in_flight = 0
        # Our requests that may be counted in the current window: those in flight when it
        # opened and every one sent since. More counted than that is another client.
        self._sent_in_window = 0
        self._reset_at: float = 0.0
        self._blocked_until: float = 0.0
        self._last_send = 0.0
        # Bumped by a 429: answers to requests sent before it carry older figures.
        self._epoch = 0
        # False while the window is our own guess (after a 429 or a local rollover): the
        # server's next answer of that window then replaces it instead of being merged.
        self._confirmed = True
        # After a local rollover that followed a confirmed window, answers whose window ends
        # before this are from the window before (after a 429 the epoch sorts them out).
        self._guess_floor = float("-inf")
        # Windows opened since another client was last seen spending (large: never seen).
        self._windows_since_other = 1 << 30
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
            self._sent_in_window += 1
            self._last_send = self._clock()
            return self._epoch

    def release(self, headers: Mapping[str, str] | None, ticket: int | None = None) -> None:
        """The request ended (answer or failure); learn from its headers if it has them."""
        with self._cond:
            self._in_flight = max(0, self._in_flight - 1)
            parsed = RateHeaders.parse(headers) if headers is not None else None
            stale = ticket is not None and ticket != self._epoch
            if parsed is None:
                if not stale and self._used is not None:
                    self._unanswered += 1
            elif not stale:
                self._learn(parsed, self._clock())
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
            self._guess_floor = float("-inf")
            if stated and self._quota is not None:
                self._used = self._quota
                self._reset_at = self._blocked_until
            else:
                self._used = None
            # A refusal we did not foresee: someone else spends the quota too.
            self._windows_since_other = 0
            self._cond.notify_all()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def shared(self) -> bool:
        """Another client was seen spending this store's quota in this window or the last."""
        return self._windows_since_other <= _SHARED_WINDOWS

    # Accounting ------------------------------------------------------------------
    def _left(self) -> int | None:
        if self._used is None or self._quota is None:
            return None
        return self._quota - self._used - self._in_flight - self._unanswered

    def _learn(self, parsed: RateHeaders, now: float) -> None:
        if parsed.quota is not None:
            self._quota = parsed.quota
        elif self._quota is None or parsed.left >= self._quota:
            self._quota = parsed.left + 1  # at least what is left plus this request
        self._window_s = parsed.window_s or self._window_s
        used = self._quota - parsed.left
        # The answer arrived after the server counted it: the window ends at the latest
        # this far from now, which is never before the server's own reset.
        ends_at = now + parsed.reset_s
        tolerance = 0.5 * self._window_s if self._window_s else _DEFAULT_TOLERANCE_S
        if self._used is None or not self._confirmed:
            if ends_at < self._guess_floor:
                return  # from the window before the one we guessed had opened
            # Nothing known, or the window was our guess: the server's figures replace it.
            self._used = used
            self._reset_at = ends_at
            self._confirmed = True
        elif ends_at > self._reset_at + tolerance:
            # The server opened a new window: this request and any still in flight may be
            # counted in it.
            self._open_window(sent=self._in_flight + 1)
            self._used = used
            self._reset_at = ends_at
        elif ends_at < self._reset_at - tolerance:
            return  # an answer from a window already over
        else:
            self._used = max(self._used, used)
            self._reset_at = max(self._reset_at, ends_at)
        if used > self._sent_in_window:
            self._windows_since_other = 0

    def _open_window(self, *, sent: int) -> None:
        self._sent_in_window = sent
        self._unanswered = 0
        self._windows_since_other = min(self._windows_since_other + 1, 1 << 30)

    # Pacing --------------------------------------------------------------------
    def _wait_needed(self, now: float) -> float:
        if now < self._blocked_until:
            return self._blocked_until - now
        if self._used is None:
            # Nothing known yet: one request goes alone and its answer tells the rest.
            return 0.0 if self._in_flight == 0 else 1.0
        if now >= self._reset_at:
            # The window is over; the next request opens a new one, and every request
            # still in flight may be counted in it. When it ends is a guess until the
            # server's next answer says.
            self._open_window(sent=self._in_flight)
            if self._confirmed and self._window_s is not None:
                self._guess_floor = now + 0.5 * self._window_s
            self._confirmed = False
            self._used = 0
            self._reset_at = now + (self._window_s or 0.0)
            if self._window_s is None:
                self._used = None
                return 0.0 if self._in_flight == 0 else 1.0
        left = self._left()
        assert left is not None
        if left <= 0:
            return max(self._reset_at - now + RESET_MARGIN_S, 0.001)
        if not self.shared:
            return 0.0
        # Another client spends too: spread the rest of the window's quota evenly over the
        # time left in it, so both see each other's spending before it runs out.
        interval = (self._reset_at - now) / left
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
