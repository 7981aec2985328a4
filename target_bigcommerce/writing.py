"""Sending batches: sizes, concurrency caps, per-record rejections and termination.

A batch the API refuses as a whole (400, 404, 409, 413, 422) is split in halves and resent
until the records at fault stand alone, so one bad row never takes nine good ones with it;
a record refused on its own goes to the dead-letter file. Transient failures (429, 5xx,
timeouts) are the shared client's to retry; when it gives up the run stops and nothing
after the last acknowledged STATE is acknowledged.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import requests

from target_bigcommerce.errors import Terminated

# Statuses that speak about the records in the body rather than about the connection.
REJECT_STATUSES = (400, 404, 409, 413, 422)
EXPECT = (200, 201, 204, 207, *REJECT_STATUSES)


@dataclass
class Item:
    """One incoming record on its way to the store."""

    record: dict[str, Any]
    key: str | None = None
    key_value: Any = None
    existing: Mapping[str, Any] | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    action: str = ""  # create | update | unchanged | skip | reject
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    """A record the API refused: ``status`` is the item's own (a 207 carries one per item,
    e.g. 409), ``http_status`` the answer's when they differ."""

    item: Item
    status: int
    error: str
    http_status: int | None = None


Send = Callable[[list[Item]], requests.Response]
# Reads an answer about a batch; None defers to ``default_verdict``.
Interpret = Callable[[list[Item], requests.Response], "Verdict | None"]


_gates: dict[str, threading.BoundedSemaphore] = {}
_gates_lock = threading.Lock()


def gate(name: str, limit: int) -> threading.BoundedSemaphore:
    """One semaphore per documented concurrency cap, shared by every sink in the process."""
    with _gates_lock:
        sem = _gates.get(name)
        if sem is None:
            sem = _gates[name] = threading.BoundedSemaphore(limit)
        return sem


def error_text(response: requests.Response) -> str:
    """The API's own words about a refusal, in one line."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or "").strip()[:500]
    return describe_error(body) or (response.reason or "")


def describe_error(body: Any) -> str:
    if isinstance(body, list):  # v2: [{status, message, details}]
        return "; ".join(describe_error(b) for b in body if b)
    if not isinstance(body, Mapping):
        return str(body)[:500]
    parts: list[str] = []
    title = body.get("title") or body.get("message")
    if title:
        parts.append(str(title))
    errors = body.get("errors")
    if isinstance(errors, Mapping):
        parts.extend(f"{k}: {v}" for k, v in errors.items())
    elif isinstance(errors, list):
        parts.extend(describe_error(e) for e in errors)
    for batch_error in body.get("batch_errors") or []:
        parts.append(describe_error(batch_error))
    field_errors = body.get("field_errors")
    if isinstance(field_errors, Mapping):
        parts.extend(f"{k}: {v}" for k, v in field_errors.items())
    details = body.get("details")
    if isinstance(details, Mapping):
        parts.extend(f"{k}: {v}" for k, v in details.items())
    return "; ".join(p for p in parts if p)[:1000]


class BatchWriter:
    """Runs one kind of write for one stream, within its batch size and concurrency."""

    def __init__(
        self,
        *,
        stop: threading.Event,
        signal_of: Callable[[], int],
        on_success: Callable[[Item], None],
        on_failure: Callable[[Failure], None],
    ) -> None:
        self.stop = stop
        self.signal_of = signal_of
        self.on_success = on_success
        self.on_failure = on_failure

    def run(
        self,
        items: Sequence[Item],
        *,
        size: int,
        concurrency: int,
        send: Send,
        interpret: Interpret | None = None,
        cap: tuple[str, int] | None = None,
    ) -> None:
        """Send ``items`` in batches of ``size``, at most ``concurrency`` at once."""
        if not items:
            return
        batches = [list(items[i : i + size]) for i in range(0, len(items), size)]
        sem = gate(*cap) if cap else None
        abandoned = 0
        error: Exception | None = None

        def one(batch: list[Item]) -> int:
            return self._send(batch, send, interpret, sem)

        workers = max(1, min(concurrency, len(batches)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bc-write") as pool:
            queue = list(batches)
            running: set[Future[int]] = set()
            while queue or running:
                while queue and len(running) < workers and not self.stop.is_set():
                    running.add(pool.submit(one, queue.pop(0)))
                if self.stop.is_set() and queue:
                    abandoned += sum(len(b) for b in queue)
                    queue.clear()
                if not running:
                    break
                done, running = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    try:
                        abandoned += fut.result()
                    except Exception as exc:  # the run stops; let in-flight batches finish
                        error = error or exc
                        queue.clear()
        if error is not None:
            raise error
        if abandoned or self.stop.is_set():
            raise Terminated(self.signal_of())

    def _send(
        self,
        batch: list[Item],
        send: Send,
        interpret: Interpret | None,
        sem: threading.BoundedSemaphore | None,
    ) -> int:
        """Write one batch (splitting it on refusal); the number of records abandoned."""
        if self.stop.is_set():
            return len(batch)
        if sem is not None:
            with sem:
                response = send(batch)
        else:
            response = send(batch)
        verdict = interpret(batch, response) if interpret else None
        if verdict is None:
            verdict = default_verdict(batch, response)
        if verdict is None:
            if len(batch) > 1:
                half = len(batch) // 2
                return self._send(batch[:half], send, interpret, sem) + self._send(
                    batch[half:], send, interpret, sem
                )
            verdict = Verdict([Failure(batch[0], response.status_code, error_text(response))])
        failed = {id(f.item) for f in verdict.failures}
        again = {id(i) for i in [*verdict.resend, *verdict.isolate]}
        for f in verdict.failures:
            self.on_failure(f)
        for item in batch:
            if id(item) not in failed and id(item) not in again:
                self.on_success(item)
        abandoned = 0
        for item in verdict.isolate:
            abandoned += self._send([item], send, interpret, sem)
        if verdict.resend:
            abandoned += self._send(list(verdict.resend), send, interpret, sem)
        return abandoned


@dataclass
class Verdict:
    """What an answer says about a batch: records refused, and records to send again."""

    failures: list[Failure] = field(default_factory=list)
    resend: list[Item] = field(default_factory=list)
    # Refused records whose own status the answer does not give: each is sent alone.
    isolate: list[Item] = field(default_factory=list)


_INDEX_KEY = re.compile(r"^(?:items)?\[(\d+)\]|^(\d+)\.")


def errors_by_index(body: Any) -> dict[int, list[str]]:
    """Item errors keyed by position, from ``errors`` keys like ``3.sku``, ``[3].email``
    or ``items[3].quantity`` (top level, or under a 207's ``errors`` object)."""
    if not isinstance(body, Mapping):
        return {}
    errors = body.get("errors")
    if isinstance(errors, Mapping) and isinstance(errors.get("errors"), Mapping):
        errors = errors["errors"]
    out: dict[int, list[str]] = {}
    if not isinstance(errors, Mapping):
        return out
    for key, message in errors.items():
        m = _INDEX_KEY.match(str(key))
        if m is None:
            continue
        index = int(m.group(1) or m.group(2))
        out.setdefault(index, []).append(f"{key}: {message}")
    return out


def default_verdict(batch: list[Item], response: requests.Response) -> Verdict | None:
    """Read the API's usual answers; None when a refusal does not say which record."""
    status = response.status_code
    if status < 300 and status != 207:
        return Verdict()
    try:
        body = response.json()
    except ValueError:
        body = None
    title = ""
    item_status = status
    if isinstance(body, Mapping):
        inner = body.get("errors") if status == 207 else body
        if isinstance(inner, Mapping):
            title = str(inner.get("title") or "")
            if status == 207 and isinstance(inner.get("status"), int):
                item_status = inner["status"]
    by_index = errors_by_index(body)
    if any(i >= len(batch) for i in by_index):
        by_index = {}
    named = [batch[i] for i in sorted(by_index)]
    if len(named) > 1:
        # One status covers several refusals (422 when theirs differ): ask about each.
        rest = [item for i, item in enumerate(batch) if i not in by_index]
        return Verdict(resend=rest if status != 207 else [], isolate=named)
    if status == 207:
        return Verdict(
            [
                Failure(batch[i], item_status, "; ".join([title, *msgs]).strip("; "), 207)
                for i, msgs in sorted(by_index.items())
            ]
        )
    if len(batch) == 1:
        return Verdict([Failure(batch[0], status, error_text(response))])
    if not by_index:
        return None
    # All-or-nothing batches: the records not named were not applied; send them again.
    failures = [
        Failure(batch[i], status, "; ".join([title, *msgs]).strip("; "))
        for i, msgs in sorted(by_index.items())
    ]
    rest = [item for i, item in enumerate(batch) if i not in by_index]
    return Verdict(failures, rest)
