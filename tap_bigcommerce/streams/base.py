"""Stream base classes: streams declare what to fetch; paging, concurrency, retries and
normalisation happen here and below (``paging``, ``client``).

A stream declares its ``path``, fixed ``params`` (filters, ``include=``), ``required_scope``
and, if incremental, a ``keyset`` (the modified-since and id filters its endpoint
documents). Children declare how they attach to their parent: taken from a list the
parent's response includes (``included_from``), or one request per parent
(``path`` containing ``{parent_id}``). Every record gets ``store_hash``, the first key of
every primary key.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import Stream
from singer_sdk.exceptions import InvalidStreamSortException
from singer_sdk.helpers._catalog import pop_deselected_record_properties
from singer_sdk.helpers._util import utc_now
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.helpers.types import Context
from singer_sdk.mapper import SameRecordTransform

from tap_bigcommerce.client.errors import ApiError, ScopeError
from tap_bigcommerce.gc_pacing import paced_collection, page_written
from tap_bigcommerce.streams.normalize import apply_plan, compile_plan, utc_iso
from tap_bigcommerce.streams.paging import (
    KeysetReader,
    KeysetSpec,
    ListEndpoint,
    offset_pages,
)

if TYPE_CHECKING:
    from tap_bigcommerce.tap import TapBigCommerce

Record = dict[str, Any]
# Parents per child sync: children of a batch are emitted before the parent's bookmark
# can be written past any of them.
CHILD_BATCH = 250
# Allowance for the difference between this machine's clock and the API's.
CLOCK_ALLOWANCE = timedelta(minutes=1)


def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("tap_bigcommerce.schemas").joinpath(f"{name}.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


class BigCommerceStream(Stream):
    """A list endpoint of one store."""

    path: ClassVar[str] = ""
    params: ClassVar[Mapping[str, Any]] = {}
    required_scope: ClassVar[str] = ""
    keyset: ClassVar[KeysetSpec | None] = None
    # Incremental endpoints that filter on a time but cannot sort on it
    # (``UnsortedIncrementalStream``): the inclusive lower-bound filter.
    since_param: ClassVar[str | None] = None
    # v2 lists: the path that counts the list (same filters), to notice a change mid-read.
    count_path: ClassVar[str | None] = None
    # Keys of the parent response that carry child records; removed from parent records.
    included_keys: ClassVar[tuple[str, ...]] = ()
    primary_keys: ClassVar[list[str]] = ["store_hash", "id"]
    is_sorted = True
    # v2 writes numbers as strings; v3 writes JSON numbers, except where a v3 endpoint is
    # known to write an id as a string (set this there).
    coerce_scalars: ClassVar[bool] = False
    # Records are normalised against the schema here (types, unknown fields), so the SDK
    # need not walk every record again: that walk costs more CPU than everything else.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    def __init__(self, tap: TapBigCommerce) -> None:
        super().__init__(tap, schema=load_schema(self.name), name=self.name)
        self._bc_tap = tap
        scalars = self.coerce_scalars or self.path.startswith("/v2/")
        self._plan = compile_plan(self.schema, scalars=scalars)
        self._store_hash = str(tap.config["store_hash"])
        self._children_batch: list[Record] = []
        self.flushed_batch: list[Record] = []
        self.batch_seq = 0
        self._flush_children = False
        self._bookmark_frozen = False
        self._schema_keys = frozenset(self.schema.get("properties", {}))
        self._unmapped_warned = False
        self._all_selected: bool | None = None
        self._wants_children: bool | None = None
        self._identity_map: bool | None = None
        # Per page, not per record: when the page was read, and the record that moves the
        # bookmark once the page's last record is out (``_mark_last``).
        self._extracted_at: datetime | None = None
        self._page_bookmark: tuple[Record, Record] | None = None

    # Declarations ---------------------------------------------------------------
    @property
    def endpoint_label(self) -> str:
        return self.path

    # Shared machinery ------------------------------------------------------------
    @property
    def page_size(self) -> int:
        return int(self.config.get("page_size", 250))

    @property
    def concurrency(self) -> int:
        return int(self.config.get("max_concurrency", 8))

    def normalize(self, record: Record) -> Record:
        apply_plan(self._plan, record)
        record["store_hash"] = self._store_hash
        return record

    def _drop_unmapped(self, record: Record) -> None:
        # The containment test allocates nothing; the set difference only runs when a
        # field is actually unknown (rare).
        if record.keys() <= self._schema_keys:
            return
        extra = record.keys() - self._schema_keys
        for key in extra:
            del record[key]
        if not self._unmapped_warned:
            self._unmapped_warned = True
            self.logger.warning(
                "Fields not in the '%s' schema are dropped: %s", self.name, sorted(extra)
            )

    def _prepare_for_output(self, record: Record) -> None:
        # The SDK walks every property of every record twice (selection and type
        # conformance); records here are already conformed, so only unknown and
        # deselected fields (rare) need a look.
        if self._all_selected is None:
            mask = self.mask
            self._all_selected = all(mask.values())
        self._drop_unmapped(record)
        if not self._all_selected:
            pop_deselected_record_properties(record, self.schema, self.mask)

    def _write_record_message(self, record: Record) -> None:
        # What the SDK's version writes (one line per stream map), without building a
        # RecordMessage per record; the SDK's ``_generate_record_messages`` has no other
        # caller.
        self._prepare_for_output(record)
        write = self._bc_tap.record_writer.write_record
        extracted_at = self._extracted_at or utc_now()
        if self._identity_map is None:
            maps = self.stream_maps
            self._identity_map = (
                len(maps) == 1
                and type(maps[0]) is SameRecordTransform
                and not maps[0].flattening_enabled
            )
        if self._identity_map:
            # No stream maps configured: the record goes out as it is, under its name.
            write(self.stream_maps[0].stream_alias, record, self._stream_version, extracted_at)
        else:
            for stream_map in self.stream_maps:
                mapped = stream_map.transform(record)
                if mapped is not None:
                    write(stream_map.stream_alias, mapped, self._stream_version, extracted_at)
        self.state_manager.is_flushed = False

    def endpoint(self, path: str | None = None) -> ListEndpoint:
        own = path is None or path == self.path
        return ListEndpoint(
            self._bc_tap.client,
            path or self.path,
            self._request_params(),
            self.normalize,
            count_path=self.count_path if own else None,
        )

    def _request_params(self) -> dict[str, Any]:
        """The fixed params, with ``include=`` cut to the sub-resources a selected child
        takes: included lists are most of a response's size and decoding cost."""
        params = dict(self.params)
        include = params.get("include")
        if not include or not self.included_keys:
            return params
        wanted = {
            child.included_from
            for child in self.child_streams
            if isinstance(child, ChildStream)
            and child.included_from
            and (child.selected or child.has_selected_descendents)
        }
        kept = [part for part in str(include).split(",") if part.split(".")[0] in wanted]
        if kept:
            params["include"] = ",".join(kept)
        else:
            del params["include"]
            params.pop("consignment_structure", None)
        return params

    def _scope_error(self, exc: ScopeError) -> ScopeError:
        scope = self.required_scope or exc.scope or "unknown"
        return ScopeError(
            f"Stream '{self.name}' needs the scope {scope} (read-only is enough) on store "
            f"{self._store_hash!r}; the token was refused on {exc.path or self.path} (403)",
            path=exc.path,
            scope=scope,
        )

    def get_records(self, context: Context | None) -> Iterable[Record]:
        try:
            with paced_collection():
                yield from self._mark_last(self.pages(context))
        except ScopeError as exc:
            raise self._scope_error(exc) from exc

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        if self.keyset is not None and self.replication_key:
            yield from self._incremental_pages(context)
        else:
            yield from offset_pages(
                self.endpoint(), self.page_size, self._bc_tap.executor, 2 * self.concurrency
            )

    def _incremental_pages(self, context: Context | None) -> Iterator[list[Record]]:
        assert self.keyset is not None
        start = self.get_starting_timestamp(context)
        reader = KeysetReader(
            self.endpoint(),
            self.keyset,
            page_size=self.page_size,
            executor=self._bc_tap.executor,
            concurrency=self.concurrency,
            now=self._sync_clock,
            keyset_max_pages=max(2, self.concurrency // 2),
        )
        for records, progress in reader.read(start):
            self._bookmark_frozen = not progress.sorted
            if progress.settle_at is not None:
                self._settle_bookmark(progress.settle_at, context)
            if records:
                yield records
        self._bookmark_frozen = False

    def _sync_clock(self) -> datetime:
        """Now, on the store's clock when known (never later than this machine's)."""
        local = datetime.now(UTC)
        server = self._bc_tap.client.server_now()
        return min(local, server) if server is not None else local

    def _settle_bookmark(self, value: str, context: Context | None) -> None:
        state = self.get_context_state(context)
        current = state.get("replication_key_value")
        if current is None or str(current) < value:
            state["replication_key"] = self.replication_key
            state["replication_key_value"] = value
            self.state_manager.is_flushed = False

    def _increment_stream_state(
        self, latest_record: Record, *, context: Context | None = None
    ) -> None:
        # While an unsorted (parallel id-window) phase runs, the bookmark stays where the
        # last sorted record left it; it settles at the phase's freeze time at its end.
        if self._bookmark_frozen:
            return
        if not self.replication_key:
            super()._increment_stream_state(latest_record, context=context)
            return
        # Once per page, when its last record is out: a STATE is only written between
        # pages (or by the SDK every 10,000 records, which then carries the previous
        # page's bookmark, behind every record not yet out). The page's first value goes
        # first, so the SDK's own check still sees a sorted stream go backwards across
        # pages; then its newest.
        if self._page_bookmark is not None:
            first, newest = self._page_bookmark
            self._page_bookmark = None
            super()._increment_stream_state(first, context=context)
            super()._increment_stream_state(newest, context=context)

    def _page_bounds(self, page: list[Record]) -> tuple[Record, Record] | None:
        """The page's first record with a bookmark value and its newest; on a sorted
        stream, also the check the SDK makes per record (values never go down)."""
        key = self.replication_key
        assert key is not None
        first: Record | None = None
        newest: Record | None = None
        top: Any = None
        check = self.is_sorted and self.check_sorted
        for record in page:
            value = record.get(key)
            if value is None:
                continue
            if first is None:
                first = record
            if top is None or value >= top:
                newest, top = record, value
            elif check:
                raise InvalidStreamSortException(
                    f"Unsorted data detected in stream '{self.name}': {value!r} after {top!r}"
                )
        return None if first is None or newest is None else (first, newest)

    def _mark_last(self, pages: Iterator[list[Record]]) -> Iterator[Record]:
        """Yield records page by page; children are flushed with each page's last record,
        and a STATE follows every page, so a killed run resumes from its last page."""
        for page in pages:
            if not page:
                continue
            self._extracted_at = utc_now()
            yield from page[:-1]
            self._flush_children = True
            if self.replication_key and not self._bookmark_frozen:
                self._page_bookmark = self._page_bounds(page)
            yield page[-1]
            self._page_bookmark = None
            self._write_state_message()
            page_written(len(page))

    # Children --------------------------------------------------------------------
    def _children_wanted(self) -> bool:
        # Asked for every record, and the SDK's answer walks the catalog each time; the
        # selection cannot change during a sync.
        if self._wants_children is None:
            self._wants_children = any(
                c.selected or c.has_selected_descendents for c in self.child_streams
            )
        return self._wants_children

    def generate_child_contexts(
        self, record: Record, context: Context | None
    ) -> Iterable[Context | None]:
        if not self.child_streams or not self._children_wanted():
            for key in self.included_keys:
                record.pop(key, None)
            self._flush_children = False
            return
        included = {k: record.pop(k, None) for k in self.included_keys}
        self._children_batch.append({"id": record["id"], "included": included})
        if len(self._children_batch) >= CHILD_BATCH or self._flush_children:
            # The batch stays here; the context only names it, because the SDK logs every
            # context (with its metrics) and a page of parents is large.
            self.batch_seq += 1
            self.flushed_batch = self._children_batch
            self._children_batch = []
            self._flush_children = False
            for child in self.child_streams:
                if (
                    isinstance(child, ChildStream)
                    and child.included_from is None
                    and (child.selected or child.has_selected_descendents)
                ):
                    child._prefetched = (self.batch_seq, child.start_fetch(self.flushed_batch))
            yield {"parent_batch": self.batch_seq}
            self.flushed_batch = []

    def _write_state_message(self) -> None:
        # Children of the parents in an unflushed batch are not out yet: a STATE now could
        # carry the parent's bookmark past them.
        if self._children_batch:
            return
        super()._write_state_message()


class UnsortedIncrementalStream(BigCommerceStream):
    """An endpoint that filters on a time (``since_param``) but cannot sort on it.

    Reads ``since_param >= bookmark`` in the endpoint's own (id) order, which changes do
    not reorder, and reads it again if records are added or deleted meanwhile
    (``offset_pages``: v3 totals, v2 counts). The bookmark moves once, at the end of the
    read, to the newest time seen, but never past the run's start (the SDK's signpost): a
    record changed during the read keeps a time at or after that start, so the next run
    reads it again.

    The API writes whole seconds, so the start is floored to the second (a change in the
    run's first second is not below it), moved back by the clock allowance and written in
    the API's format, so that bookmarks compare as strings.
    """

    is_sorted = False

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        yield from self.read_changed_since(self.endpoint(), context)

    def read_changed_since(
        self, endpoint: ListEndpoint, context: Context | None
    ) -> Iterator[list[Record]]:
        start = self.get_starting_timestamp(context)
        if start is not None and self.since_param:
            endpoint.params = {**endpoint.params, self.since_param: utc_iso(start)}
        yield from offset_pages(
            endpoint, self.page_size, self._bc_tap.executor, 2 * self.concurrency
        )

    def get_replication_key_signpost(self, context: Context | None = None) -> Any:
        signpost = super().get_replication_key_signpost(context)
        if isinstance(signpost, datetime):
            return utc_iso(signpost.replace(microsecond=0) - CLOCK_ALLOWANCE)
        return signpost


class ChildStream(BigCommerceStream):
    """Records that belong to a parent record; one state for the whole stream."""

    state_partitioning_keys: ClassVar[list[str]] = []
    # Where the records come from: a list in the parent's response...
    included_from: ClassVar[str | None] = None
    # ...or one request per parent (``path`` contains ``{parent_id}``).
    parent_field: ClassVar[str] = "parent_id"
    is_sorted = False

    def __init__(self, tap: TapBigCommerce) -> None:
        super().__init__(tap)
        # (parent batch number, futures) started by the parent when it flushed that batch.
        self._prefetched: tuple[int, list[Future[list[Record]]]] = (0, [])

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        parents = self._parent().flushed_batch if context else []

        if self.included_from is not None:
            # One page for the parents' whole batch: a page per parent (three line items
            # an order) spent more on per-page upkeep than on the records.
            page = [
                self._attach(parent["id"], self.normalize(r))
                for parent in parents
                for r in self.extract(parent["id"], parent["included"])
            ]
            if page:
                yield page
            return

        parent_stream = self._parent()
        batch_seq, futures = self._prefetched
        self._prefetched = (0, [])
        if batch_seq != parent_stream.batch_seq or not futures:
            for fut in futures:
                fut.cancel()
            futures = self.start_fetch(parents)
        try:
            for fut in futures:
                records = fut.result()
                if records:
                    yield records
        finally:
            for fut in futures:
                fut.cancel()

    def start_fetch(self, parents: list[Record]) -> list[Future[list[Record]]]:
        """Submit one request chain per parent; the parent calls this for every child
        when it flushes a batch, so all children's requests share the pool at once."""
        executor = self._bc_tap.executor
        return [executor.submit(self._fetch_parent, int(p["id"])) for p in parents]

    def _fetch_parent(self, parent_id: int) -> list[Record]:
        endpoint = self.endpoint(self.path.replace("{parent_id}", str(parent_id)))
        out: list[Record] = []
        page_no = 1
        while True:
            try:
                page = endpoint.fetch({"limit": self.page_size, "page": page_no})
            except ApiError as exc:
                if exc.status != 404:
                    raise
                # The parent was deleted after it was read: it has no children to read.
                self.logger.warning(
                    "Stream '%s': parent %s no longer exists (404 on %s); no records for it",
                    self.name,
                    parent_id,
                    endpoint.path,
                )
                return out
            out.extend(self._attach(parent_id, r) for r in page.records)
            more = (
                page_no < page.total_pages
                if page.total_pages is not None
                else len(page.records) >= self.page_size
            )
            if not more:
                return out
            page_no += 1

    def _parent(self) -> BigCommerceStream:
        for stream in self._bc_tap.streams.values():
            if self in stream.child_streams and isinstance(stream, BigCommerceStream):
                return stream
        raise RuntimeError(f"stream '{self.name}' has no parent stream")

    def extract(self, parent_id: int, included: Mapping[str, Any]) -> list[Record]:
        value = included.get(self.included_from or "")
        return list(value) if isinstance(value, list) else []

    def _attach(self, parent_id: int, record: Record) -> Record:
        if record.get(self.parent_field) is None:
            record[self.parent_field] = parent_id
        return record

    def get_child_context(self, record: Record, context: Context | None) -> Context | None:
        return None

    def _write_state_message(self) -> None:
        # Only the parent writes STATE, after every child of its batch is out; a STATE
        # from the middle of one child's batch could carry the parent's bookmark past
        # records the other children have not emitted yet.
        return None

    def _write_starting_replication_value(self, context: Context | None) -> None:
        return None


def pages_needed(total: int, page_size: int) -> int:
    return math.ceil(total / page_size) if total else 0
