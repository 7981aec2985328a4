"""Per-store request counts and a bounded request log, read through the control API."""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

LOG_LIMIT = 200_000


@dataclass
class StoreStats:
    by_endpoint: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    in_flight: Counter[str] = field(default_factory=Counter)
    max_in_flight: Counter[str] = field(default_factory=Counter)
    by_endpoint_status: dict[str, Counter[int]] = field(default_factory=dict)
    # Across every endpoint of the store: shows whether requests were served concurrently.
    store_in_flight: int = 0
    store_max_in_flight: int = 0
    log: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=LOG_LIMIT))
    seq: int = 0

    def start(self, endpoint: str) -> float:
        self.in_flight[endpoint] += 1
        self.max_in_flight[endpoint] = max(self.max_in_flight[endpoint], self.in_flight[endpoint])
        self.store_in_flight += 1
        self.store_max_in_flight = max(self.store_max_in_flight, self.store_in_flight)
        return time.monotonic()

    def finish(
        self,
        endpoint: str,
        *,
        method: str,
        path: str,
        query: str,
        status: int,
        started: float,
        items: int | None,
    ) -> None:
        self.in_flight[endpoint] -= 1
        self.store_in_flight -= 1
        self.by_endpoint[endpoint] += 1
        self.by_status[status] += 1
        self.by_endpoint_status.setdefault(endpoint, Counter())[status] += 1
        self.seq += 1
        self.log.append(
            {
                "seq": self.seq,
                "endpoint": endpoint,
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "started": started,
                "ended": time.monotonic(),
                "items": items,
            }
        )

    def summary(self) -> dict[str, Any]:
        return {
            "total": sum(self.by_endpoint.values()),
            "by_endpoint": dict(self.by_endpoint),
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "by_endpoint_status": {
                ep: {str(k): v for k, v in c.items()} for ep, c in self.by_endpoint_status.items()
            },
            "max_in_flight": dict(self.max_in_flight),
            "store_max_in_flight": self.store_max_in_flight,
            "last_seq": self.seq,
        }

    def clear(self) -> None:
        """Forget the log and counts; sequence numbers keep growing so ``since`` stays valid."""
        self.by_endpoint.clear()
        self.by_status.clear()
        self.by_endpoint_status.clear()
        self.max_in_flight.clear()
        self.store_max_in_flight = self.store_in_flight
        self.log.clear()
