"""Faults injected into the next N matching requests, set through the control API."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from bigcommerce_emulator.request_match import compile_path, request_matches

KINDS = (
    "500",
    "502",
    "503",
    "429",
    "429-no-headers",
    "401",
    "reset",
    "slow",
    "truncated",
    "malformed",
)

_ids = itertools.count(1)


@dataclass
class Fault:
    kind: str
    count: int
    store_hash: str | None = None
    method: str | None = None
    path: re.Pattern[str] | None = None
    delay_ms: int = 0
    retry_after_ms: int = 1000
    # Matching requests served normally before the fault fires: a test can then place a
    # fault at an exact request of a running client instead of racing it.
    after: int = 0
    id: int = field(default_factory=lambda: next(_ids))
    fired: int = 0
    seen: int = 0

    def matches(self, store_hash: str, method: str, path: str) -> bool:
        if self.fired >= self.count:
            return False
        if self.store_hash and self.store_hash != store_hash:
            return False
        return request_matches(self.method, self.path, method, path)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "count": self.count,
            "fired": self.fired,
            "store_hash": self.store_hash,
            "method": self.method,
            "path": self.path.pattern if self.path else None,
            "delay_ms": self.delay_ms,
            "retry_after_ms": self.retry_after_ms,
            "after": self.after,
            "seen": self.seen,
        }


def from_json(body: dict[str, Any]) -> Fault:
    kind = str(body.get("kind", ""))
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    count = int(body.get("count", 1))
    if count < 1:
        raise ValueError("count must be at least 1")
    after = int(body.get("after", 0))
    if after < 0:
        raise ValueError("after must be at least 0")
    pattern = compile_path(body.get("path"))
    return Fault(
        kind=kind,
        count=count,
        store_hash=body.get("store_hash"),
        method=body.get("method"),
        path=pattern,
        delay_ms=int(body.get("delay_ms", 0)),
        retry_after_ms=int(body.get("retry_after_ms", 1000)),
        after=after,
    )


def take(faults: list[Fault], store_hash: str, method: str, path: str) -> Fault | None:
    """The first armed fault matching this request, counted as fired; a fault still
    letting its first ``after`` matching requests through counts this one and passes."""
    for f in faults:
        if f.matches(store_hash, method, path):
            f.seen += 1
            if f.seen <= f.after:
                continue
            f.fired += 1
            return f
    return None
