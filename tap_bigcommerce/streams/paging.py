"""Ways through a list endpoint, each yielding pages of records in the order to emit them.

- ``offset_pages``: page numbers, for full-table streams. Pages 2..N are fetched in parallel
  once page 1 says how many there are (v3 ``meta.pagination``) or the list's ``/count``
  does (v2); v2 lists without either are read one page at a time until a short page or a
  204.
- ``KeysetReader``: the incremental path. Pages of ``modified >= t`` sorted ascending, each
  request restarting at the last timestamp emitted and dropping what was already emitted
  (so a record modified mid-sync and moved to the end is met again, never skipped); ties
  wider than a page are walked by id. For a large first read it freezes the set at the
  sync start ``S`` (``modified <= S``) and reads it in id windows fetched in parallel,
  then sweeps ``modified >= S`` by keyset to catch what changed meanwhile.

Every parallel read goes through ``ordered_prefetch``: a bounded number of requests ahead,
results handed back in order to the one thread that writes records.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from tap_bigcommerce.client.http import BigCommerceClient
from tap_bigcommerce.streams.normalize import utc_iso

log = logging.getLogger(__name__)
T = TypeVar("T")
Record = dict[str, Any]
Params = dict[str, Any]


def ordered_prefetch(
    executor: Executor, tasks: Iterable[Callable[[], T]], depth: int
) -> Iterator[T]:
    """Run ``tasks`` with at most ``depth`` submitted ahead; yield results in task order."""
    pending: deque[Future[T]] = deque()
    it = iter(tasks)
    try:
        for task in it:
            pending.append(executor.submit(task))
            if len(pending) >= depth:
                break
        while pending:
            result = pending.popleft().result()
            for task in it:
                pending.append(executor.submit(task))
                break
            yield result
    finally:
        for fut in pending:
            fut.cancel()


@dataclass
class Page:
    records: list[Record]
    total: int | None = None
    total_pages: int | None = None


@dataclass
class ListEndpoint:
    """One list path with its fixed parameters; knows the v2 and v3 envelopes."""

    client: BigCommerceClient
    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    normalize: Callable[[Record], Record] = lambda r: r
    # v2: how many records the list holds (same filters), without reading them.
    count_path: str | None = None

    @property
    def is_v2(self) -> bool:
        return self.path.startswith("/v2/")

    def count(self) -> int | None:
        """The list's size from ``count_path`` (None without one)."""
        if not self.count_path:
            return None
        filters = {k: v for k, v in self.params.items() if k not in _NOT_FILTERS}
        body = self.client.get_json(self.count_path, filters)
        return self._count(body.get("count") if isinstance(body, dict) else None, "count")

    def fetch(self, extra: Mapping[str, Any], path: str | None = None) -> Page:
        body = self.client.get_json(path or self.path, {**self.params, **extra})
        if body is None:
            return Page([])
        if isinstance(body, list):
            return Page(self._records(body))
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            meta = body.get("meta")
            pagination = (meta.get("pagination") if isinstance(meta, dict) else None) or {}
            if not isinstance(pagination, dict):
                raise ValueError(f"{self.path}: unexpected pagination in the response")
            return Page(
                self._records(body["data"]),
                total=self._count(pagination.get("total"), "total"),
                total_pages=self._count(pagination.get("total_pages"), "total_pages"),
            )
        if isinstance(body, dict) and isinstance(body.get("data"), dict):
            return Page([self.normalize(body["data"])])
        if isinstance(body, dict):
            return Page([self.normalize(body)])
        raise ValueError(f"{self.path}: unexpected response body of type {type(body).__name__}")

    # A malformed body is a clear error naming the path, not a TypeError deep in paging.
    def _records(self, items: list[Any]) -> list[Record]:
        for item in items:
            if not isinstance(item, dict):
                raise ValueError(f"{self.path}: a record in the response is not a JSON object")
        return [self.normalize(r) for r in items]

    def _count(self, value: Any, name: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
            raise ValueError(f"{self.path}: pagination {name} {str(value)[:40]!r} is not a count")
        return value


# List parameters that shape the answer rather than select records.
_NOT_FILTERS = frozenset({"include", "consignment_structure", "sort", "limit", "page"})

# Fewest pages of records per time range when a read without id filters is split.
RANGE_MIN_PAGES = 20

# A first page whose ids span this much less than the set's size does not bound the ids.
SPAN_SLACK = 1.05

# Reads of one list before giving up when its size keeps changing under the reader.
READ_ATTEMPTS = 3


class SetChangedDuringRead(RuntimeError):
    """A list kept gaining or losing records while its pages were read."""


def offset_pages(
    endpoint: ListEndpoint, page_size: int, executor: Executor, depth: int
) -> Iterator[list[Record]]:
    """Page-numbered pages; lists are read again if their size changed meanwhile.

    A record deleted from a page already read shifts every later page back by one, and
    the record moving onto the read page would never be seen. Every v3 page reports the
    list's total; a v2 list with a ``count_path`` is counted before and after the read.
    If a total differs from the first, the list is read again (records already emitted
    come again, which a target's upsert absorbs). A v2 list read in one short page needs
    no second count: one answer cannot shift under itself.
    """
    for attempt in range(1, READ_ATTEMPTS + 1):
        counted = endpoint.count()
        first = endpoint.fetch({"limit": page_size, "page": 1})
        yield first.records
        total_pages = first.total_pages
        if total_pages is None and counted is not None and len(first.records) >= page_size:
            total_pages = max(1, math.ceil(counted / page_size))
        if total_pages is None:
            yield from _sequential_pages(endpoint, page_size, first.records)
            return
        tasks = [
            (lambda p=p: endpoint.fetch({"limit": page_size, "page": p}))
            for p in range(2, total_pages + 1)
        ]
        changed = False
        for page in ordered_prefetch(executor, tasks, depth):
            changed = changed or page.total != first.total
            yield page.records
        if first.total_pages is None and counted is not None:
            changed = changed or endpoint.count() != counted
        if not changed:
            return
        log.warning(
            "%s: records were added or deleted while it was read; reading it again (%d/%d)",
            endpoint.path,
            attempt,
            READ_ATTEMPTS,
        )
    raise SetChangedDuringRead(
        f"{endpoint.path}: records kept being added or deleted while it was read "
        f"({READ_ATTEMPTS} attempts); run the sync again"
    )


def _sequential_pages(
    endpoint: ListEndpoint, page_size: int, records: list[Record]
) -> Iterator[list[Record]]:
    # v2 lists carry no count: one page at a time until a short page or a 204.
    page = 1
    while len(records) >= page_size:
        page += 1
        records = endpoint.fetch({"limit": page_size, "page": page}).records
        if records:
            yield records


@dataclass(frozen=True)
class KeysetSpec:
    """How one endpoint filters and sorts on its modification time and ids."""

    since_param: str  # inclusive lower bound on the modification time
    until_param: str | None  # inclusive upper bound
    sort_modified_asc: Mapping[str, str]
    sort_id_asc: Mapping[str, str] | None = None
    sort_id_desc: Mapping[str, str] | None = None
    id_min_param: str | None = None  # inclusive
    id_max_param: str | None = None  # inclusive
    count_path: str | None = None  # v2: how many records match, without reading them
    modified_field: str = "date_modified"

    @property
    def has_id_range(self) -> bool:
        return bool(
            self.id_min_param and self.id_max_param and self.sort_id_asc and self.sort_id_desc
        )


def _fmt(ts: datetime) -> str:
    return utc_iso(ts)


def _holds_all(page: Page) -> bool:
    """The answer says it holds every record matching its query (no need to ask again)."""
    return page.total is not None and page.total <= len(page.records)


@dataclass
class Progress:
    """What the reader reports alongside each page: may the bookmark advance with it?"""

    sorted: bool
    # When the unsorted phase ends, the bookmark may jump to this value.
    settle_at: str | None = None


def _until_total(
    pages: Iterator[tuple[list[Record], Progress]], emitted: list[Record], total: int | None
) -> Iterator[tuple[list[Record], Progress]]:
    """``pages`` until ``total`` distinct records (with ``emitted``) have come out.

    For the sequential keyset read only, whose pages are lazy: once the list's total is
    reached, the next page could only come back short or empty, so it is not asked for.
    Stopping early loses nothing. The keyset read goes in (modified, id) order and a
    change stamps a record with the present, so every record not read yet sorts after
    the last one emitted: the bookmark (that record's time) never passes it, and the next
    run, whose filter on the bookmark is inclusive, reads it. At worst a record changed
    during this run waits for the next one. Ids are counted once: a record changed
    mid-read comes again at its new time and must not stand in for one not yet read.
    """
    if total is None:
        yield from pages
        return
    seen = {int(r["id"]) for r in emitted}
    if len(seen) >= total:
        return
    for records, progress in pages:
        yield records, progress
        seen.update(int(r["id"]) for r in records)
        if len(seen) >= total:
            return


class KeysetReader:
    def __init__(
        self,
        endpoint: ListEndpoint,
        spec: KeysetSpec,
        *,
        page_size: int,
        executor: Executor,
        concurrency: int,
        now: Callable[[], datetime],
        keyset_max_pages: int = 4,
    ) -> None:
        self.endpoint = endpoint
        self.spec = spec
        self.page_size = page_size
        self.executor = executor
        self.concurrency = concurrency
        self.now = now
        self.keyset_max_pages = keyset_max_pages
        self.requests_planned: list[str] = []

    # Helpers ------------------------------------------------------------------
    def _key(self, r: Record) -> tuple[str, int]:
        return (str(r.get(self.spec.modified_field) or ""), int(r["id"]))

    def _page(self, extra: Params) -> Page:
        return self.endpoint.fetch({"limit": self.page_size, **extra})

    def _total(self, first: Page, since: datetime | None) -> int | None:
        if first.total is not None:
            return first.total
        if self.spec.count_path:
            params = {self.spec.since_param: _fmt(since)} if since else {}
            body = self.endpoint.client.get_json(self.spec.count_path, params)
            if isinstance(body, dict) and isinstance(body.get("count"), int):
                return int(body["count"])
        return None

    # The read ------------------------------------------------------------------
    def read(self, since: datetime | None) -> Iterator[tuple[list[Record], Progress]]:
        first = self._page(self._keyset_params(since, None))
        yield first.records, Progress(sorted=True)
        if len(first.records) < self.page_size:
            return
        last = self._key(first.records[-1])
        total = self._total(first, since)
        remaining = (
            math.ceil(max(0, total - len(first.records)) / self.page_size)
            if total is not None
            else None
        )
        parallel = (
            self.spec.until_param is not None
            and self.concurrency > 1
            and remaining is not None
            and remaining > self.keyset_max_pages
        )
        if not parallel or remaining is None:
            if self._key(first.records[0])[0] == last[0]:
                # A full first page of one second: asking again from it returns the same.
                rest = self._tie_then_keyset(last)
            else:
                rest = self._keyset(last, None)
            yield from _until_total(rest, first.records, total)
            return
        frozen_at = self.now().replace(microsecond=0)
        # Never freeze before the last key already emitted in order: the first page may
        # hold a record stamped this very second, and the store's clock is read with a
        # second's margin. A freeze point behind it would start the final sweep below a
        # bookmark already passed (the SDK then stops the run on unsorted data).
        frozen_at = max(frozen_at, datetime.fromisoformat(last[0]))
        settle = _fmt(frozen_at)
        if self.spec.has_id_range:
            assert total is not None
            ids = [int(r["id"]) for r in first.records]
            windows = self._windows(last, frozen_at, min(ids), max(ids), total)
        else:
            windows = self._time_windows(last, frozen_at, remaining)
        for records in windows:
            yield records, Progress(sorted=False)
        # Everything modified at or before S has been emitted: the bookmark may move to S.
        yield [], Progress(sorted=False, settle_at=settle)
        yield from self._keyset((settle, 0), None)

    def _tie_then_keyset(self, last: tuple[str, int]) -> Iterator[tuple[list[Record], Progress]]:
        yield from self._tie(last)
        nxt = datetime.fromisoformat(last[0]) + timedelta(seconds=1)
        yield from self._keyset((_fmt(nxt), 0), None)

    def _keyset_params(self, since: datetime | str | None, until: str | None) -> Params:
        params: Params = {"page": 1, **self.spec.sort_modified_asc}
        if since is not None:
            params[self.spec.since_param] = since if isinstance(since, str) else _fmt(since)
        if until is not None and self.spec.until_param:
            params[self.spec.until_param] = until
        return params

    def _keyset(
        self, last: tuple[str, int], until: str | None
    ) -> Iterator[tuple[list[Record], Progress]]:
        """Pages of records after ``last`` in (modified, id) order, until a short page."""
        while True:
            page = self._page(self._keyset_params(last[0], until))
            fresh = [r for r in page.records if self._key(r) > last]
            if fresh:
                yield fresh, Progress(sorted=True)
                last = self._key(fresh[-1])
            if len(page.records) < self.page_size or _holds_all(page):
                return
            # A full page of one second: asking again from that second returns this page.
            if not fresh or self._key(page.records[0])[0] == last[0]:
                # A full page of one timestamp, all already emitted: walk that second by id.
                yield from self._tie(last)
                nxt = datetime.fromisoformat(last[0]) + timedelta(seconds=1)
                last = (_fmt(nxt), 0)

    def _tie(self, last: tuple[str, int]) -> Iterator[tuple[list[Record], Progress]]:
        ts, after_id = last
        spec = self.spec
        if spec.until_param is None:
            raise RuntimeError(
                f"{self.endpoint.path}: more than {self.page_size} records share the "
                f"timestamp {ts} and the endpoint has no upper time bound to walk them"
            )
        base = {spec.since_param: ts, spec.until_param: ts, "page": 1}
        if spec.id_min_param and spec.sort_id_asc:
            while True:
                params = {**base, **spec.sort_id_asc, spec.id_min_param: after_id + 1}
                page = self._page(params)
                if page.records:
                    yield page.records, Progress(sorted=True)
                    after_id = int(page.records[-1]["id"])
                if len(page.records) < self.page_size:
                    return
        # No id filter: page numbers within one past second. A record leaving the set
        # (modified) is re-read at its new timestamp later in this run, but it shifts every
        # later record one place back across a page boundary; so the second is walked
        # again until a pass over more than one page finds nothing new (the set only
        # shrinks, so this ends).
        done: set[int] = set()
        while True:
            found = False
            page_no = 1
            # A past second only loses records (a change stamps the present): if every page
            # of a pass reports the same total, nothing shifted and one pass is enough.
            past = ts < _fmt(self.now().replace(microsecond=0))
            totals: set[int | None] = set()
            while True:
                page = self._page({**base, **spec.sort_modified_asc, "page": page_no})
                totals.add(page.total)
                fresh = [
                    r for r in page.records if int(r["id"]) > after_id and int(r["id"]) not in done
                ]
                if fresh:
                    yield fresh, Progress(sorted=True)
                    done.update(int(r["id"]) for r in fresh)
                    found = True
                if len(page.records) < self.page_size:
                    break
                page_no += 1
            if not found or page_no == 1 or (past and None not in totals and len(totals) == 1):
                return

    def _windows(
        self,
        last: tuple[str, int],
        frozen_at: datetime,
        lowest_id: int,
        highest_id: int,
        total: int,
    ) -> Iterator[list[Record]]:
        """The frozen set (last[0] <= modified <= S) in id windows, fetched in parallel.

        Windows are ``page_size`` ids wide and aligned on multiples of it (dense ids fill
        each one exactly); the first is open below and the last open above, so ids outside
        the range the first page showed are still walked. A first page spread over the
        ids shows where they end (its highest id is near the top); when its ids span
        clearly fewer ids than the set has records (ids follow modification order), one
        request for the highest id lays out the windows instead.
        """
        spec = self.spec
        assert spec.until_param and spec.sort_id_asc is not None and spec.sort_id_desc
        assert spec.id_min_param and spec.id_max_param
        frozen: Params = {
            spec.since_param: last[0],
            spec.until_param: _fmt(frozen_at),
            "page": 1,
        }
        if (highest_id - lowest_id + 1) * SPAN_SLACK < total:
            top = self.endpoint.fetch({**frozen, **spec.sort_id_desc, "limit": 1}).records
            if not top:
                return
            highest_id = max(highest_id, int(top[0]["id"]))
        id_min, id_max = spec.id_min_param, spec.id_max_param
        sort_id_asc = spec.sort_id_asc
        size = self.page_size

        def window(lo: int, hi: int | None) -> list[Record]:
            out: list[Record] = []
            cursor = lo
            while True:
                params = {**frozen, **sort_id_asc}
                if hi is not None:
                    params[id_max] = hi
                if cursor > 0:
                    params[id_min] = cursor
                page = self._page(params)
                out.extend(r for r in page.records if self._key(r) > last)
                if len(page.records) < size or _holds_all(page):
                    return out
                cursor = int(page.records[-1]["id"]) + 1
                if hi is not None and cursor > hi:
                    return out

        first = (lowest_id - 1) // size  # window j holds ids j*size+1 .. (j+1)*size
        last_window = max(first, (highest_id - 1) // size)
        bounds: list[tuple[int, int | None]] = [
            (0 if j == first else j * size + 1, None if j == last_window else (j + 1) * size)
            for j in range(first, last_window + 1)
        ]
        tasks = [(lambda lo=lo, hi=hi: window(lo, hi)) for lo, hi in bounds]
        # One window per thread ahead, no more: finished windows waiting for the writer
        # are the peak of memory (a window of orders with their line items is megabytes),
        # and twice as many raised it with the store's size (78 -> 101 MiB from 1x to 3x
        # the medium store, against 79 -> 82 MiB) without a faster sync.
        for records in ordered_prefetch(self.executor, tasks, self.concurrency):
            if records:
                yield records

    def _time_windows(
        self, last: tuple[str, int], frozen_at: datetime, remaining_pages: int
    ) -> Iterator[list[Record]]:
        """The frozen set cut into time ranges, each walked by keyset in its own thread.

        The cuts divide the time after the first page evenly, so no request is spent
        finding cut points (a wrong guess costs balance between threads, not
        requests: each range ends on one short page either way). Pages are emitted as they
        arrive, so nothing waits for a slow range and memory holds at most a queue of
        pages; the bookmark settles only when all are done."""
        spec = self.spec
        assert spec.until_param is not None
        until = _fmt(frozen_at)
        start = datetime.fromisoformat(last[0])
        span = (frozen_at - start).total_seconds()
        # Ranges of several pages each: every range ends on a short page, and fewer
        # ranges waste fewer of them.
        count = max(1, min(self.concurrency, remaining_pages // RANGE_MIN_PAGES, int(span)))
        ranges: list[tuple[tuple[str, int], str]] = []
        low = last
        for i in range(1, count):
            cut = (start + timedelta(seconds=span * i / count)).replace(microsecond=0)
            if _fmt(cut) <= low[0]:
                continue
            ranges.append((low, _fmt(cut - timedelta(seconds=1))))
            low = (_fmt(cut), 0)
        ranges.append((low, until))
        yield from self._run_ranges(ranges)

    def _run_ranges(self, ranges: list[tuple[tuple[str, int], str]]) -> Iterator[list[Record]]:
        # One page per range waiting for the writer, as with id windows.
        pages: queue.Queue[tuple[int, list[Record] | BaseException | None]] = queue.Queue(
            maxsize=len(ranges)
        )
        stop = threading.Event()

        def put(item: tuple[int, list[Record] | BaseException | None]) -> None:
            while not stop.is_set():
                try:
                    pages.put(item, timeout=0.5)
                    return
                except queue.Full:
                    continue

        def walk(index: int, low: tuple[str, int], high: str) -> None:
            try:
                for records, _ in self._keyset(low, high):
                    if stop.is_set():
                        return
                    put((index, records))
                put((index, None))
            except BaseException as exc:  # handed to the consumer, which raises it
                put((index, exc))

        futures = [self.executor.submit(walk, i, lo, hi) for i, (lo, hi) in enumerate(ranges)]
        done = 0
        try:
            while done < len(ranges):
                _, item = pages.get()
                if item is None:
                    done += 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
        finally:
            stop.set()
            for fut in futures:
                fut.cancel()
