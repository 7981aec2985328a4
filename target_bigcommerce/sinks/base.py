"""The sink every stream shares: match, compare, then write only what changed.

A resource module says how its stream is looked up and written; this module does the
rest the same way for all: pick each record's match key, look the keys up in bulk,
classify (create, update, unchanged, skip, reject), report in a dry run, write otherwise,
and account for every record (written, or in the dead-letter file).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.sinks import BatchSink

from target_bigcommerce.encoding import changed_fields, to_json_value
from target_bigcommerce.writing import BatchWriter, Failure, Item

if TYPE_CHECKING:
    from target_bigcommerce.target import TargetBigCommerce

OUTCOME_OF = {"create": "created", "update": "updated"}


class RecordError(Exception):
    """A record the target refuses before sending it (status 0 in the dead-letter file)."""


class BigCommerceSink(BatchSink):
    """Base for every stream; subclasses fill in the class attributes and hooks."""

    # Match keys in their default order, and every key a user may choose.
    match_keys: ClassVar[tuple[str, ...]] = ("id",)
    allowed_keys: ClassVar[tuple[str, ...]] = ("id",)
    # A key naming the store's own id: a miss means the record vanished (404), not "new".
    identity_keys: ClassVar[frozenset[str]] = frozenset({"id"})
    # Fields the API accepts on create and update (the spec's writable properties).
    writable: ClassVar[frozenset[str]] = frozenset()
    # Streams whose records must reach the store first (drained before this sink).
    parent_streams: ClassVar[tuple[str, ...]] = ()
    # A record that does not match the stream's schema is still offered to the API, which
    # is the judge of what it accepts (and its refusal goes to the dead-letter file).
    fail_on_record_validation_exception = False
    # Records per drain: enough for several full batches and full look-up lists.
    drain_size: ClassVar[int] = 1000

    @property
    def max_size(self) -> int:
        return self.drain_size

    # Hooks ------------------------------------------------------------------------------
    def key_value(self, record: Mapping[str, Any], key: str) -> Any:
        """The record's value for a match key (None when it has none)."""
        value = record.get(key)
        return None if value == "" else to_json_value(value)

    def lookup(self, key: str, items: list[Item]) -> dict[Any, Mapping[str, Any]]:
        """Existing records by key value (each item's ``key_value``)."""
        raise NotImplementedError

    def desired(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """What the store should hold for this record: writable fields, JSON-ready."""
        return {
            k: to_json_value(v) for k, v in record.items() if k in self.writable and v is not None
        }

    def prepare(self, item: Item) -> None:
        """Check a record before matching; raise RecordError to refuse it."""

    def check_create(self, item: Item) -> None:
        """Check a record about to be created (also in a dry run); raise RecordError."""

    def current(self, existing: Mapping[str, Any]) -> Mapping[str, Any]:
        """The looked-up record in the shape ``desired`` is compared with."""
        return existing

    def write(self, creates: list[Item], updates: list[Item]) -> None:
        raise NotImplementedError

    # Engine -----------------------------------------------------------------------------
    def __init__(
        self,
        target: TargetBigCommerce,
        stream_name: str,
        schema: dict,
        key_properties: Sequence[str] | None,
    ) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        self.tgt = target
        self.settings = self.tgt.settings
        keys = self.settings.match_keys.get(self.stream_name)
        self.active_keys: tuple[str, ...] = keys or self.match_keys
        self.tgt.report.touch(self.stream_name)

    @property
    def client(self) -> Any:
        return self.tgt.client

    def writer(self) -> BatchWriter:
        return BatchWriter(
            stop=self.tgt.stop_event,
            signal_of=self.tgt.stop_signal,
            on_success=self._succeeded,
            on_failure=self._failed,
        )

    def process_batch(self, context: dict) -> None:
        records: list[dict[str, Any]] = context.get("records", [])
        if not records:
            return
        for parent in self.parent_streams:
            self.tgt.drain_stream(parent)
        with self.tgt.writing():
            pending = [Item(record=r) for r in records]
            while pending:
                this_round, pending = self._split_rounds(pending)
                self._load(this_round)

    def _split_rounds(self, items: list[Item]) -> tuple[list[Item], list[Item]]:
        """Records sharing a key go in later rounds, so each sees the one before it."""
        seen: set[tuple[str, str]] = set()
        now: list[Item] = []
        later: list[Item] = []
        for item in items:
            if not item.key:
                self._choose_key(item)
            ident = (item.key or "", repr(item.key_value)) if item.key else None
            if ident is not None and ident in seen:
                later.append(item)
                continue
            if ident is not None:
                seen.add(ident)
            now.append(item)
        return now, later

    def _choose_key(self, item: Item) -> None:
        # A record read from another store (the tap's ``store_hash``) carries that store's
        # ids: it is matched on its other keys only, e.g. products copied by SKU.
        source = item.record.get("store_hash")
        foreign = bool(source) and source != self.client.store_hash
        for key in self.active_keys:
            if foreign and key in self.identity_keys:
                continue
            value = self.key_value(item.record, key)
            if value is not None:
                item.key, item.key_value = key, value
                return

    def _load(self, items: list[Item]) -> None:
        live: list[Item] = []
        for item in items:
            try:
                self.prepare(item)
            except RecordError as exc:
                self._reject(item, 0, str(exc))
                continue
            live.append(item)
        by_key: dict[str, list[Item]] = defaultdict(list)
        for item in live:
            if item.key:
                by_key[item.key].append(item)
        found: dict[str, dict[Any, Mapping[str, Any]]] = {}
        for key, group in by_key.items():
            found[key] = self.lookup(key, group)
        self.tgt.raise_if_stopping()
        live = [i for i in live if i.action != "reject"]  # a look-up may refuse records

        creates: list[Item] = []
        updates: list[Item] = []
        for item in live:
            existing = found.get(item.key or "", {}).get(item.key_value) if item.key else None
            if existing is None:
                if item.key in self.identity_keys:
                    self._reject(
                        item,
                        404,
                        f"{self.stream_name} {item.key}={item.key_value} "
                        "does not exist in the store",
                    )
                    continue
                try:
                    self.check_create(item)
                except RecordError as exc:
                    self._reject(item, 0, str(exc))
                    continue
                item.action = "create"
                item.payload = self.desired(item.record)
                creates.append(item)
                continue
            item.existing = existing
            desired = self.desired(item.record)
            item.changed = changed_fields(desired, self.current(existing))
            if not item.changed:
                self._count(item, "unchanged")
            elif self.settings.append_only:
                self._count(item, "skipped")
            else:
                item.action = "update"
                item.payload = {k: desired[k] for k in item.changed}
                updates.append(item)
        if self.settings.dry_run:
            for item in creates:
                self._count(item, "created")
                self.logger.info(
                    "dry run: would create %s %s", self.stream_name, item.key_value or ""
                )
            for item in updates:
                self._count(item, "updated")
                self.logger.info(
                    "dry run: would update %s %s=%s (%s)",
                    self.stream_name,
                    item.key,
                    item.key_value,
                    ", ".join(item.changed),
                )
            return
        self.write(creates, updates)

    # Accounting -------------------------------------------------------------------------
    def _count(self, item: Item, outcome: str) -> None:
        self.tgt.report.add(self.stream_name, outcome)

    def _succeeded(self, item: Item) -> None:
        self.tgt.report.add(self.stream_name, OUTCOME_OF.get(item.action, "updated"))

    def _failed(self, failure: Failure) -> None:
        self._reject(failure.item, failure.status, failure.error, failure.http_status)

    def _reject(self, item: Item, status: int, error: str, http_status: int | None = None) -> None:
        item.action = "reject"
        if not self.settings.dry_run:  # a dry run reports, it leaves no file behind
            self.tgt.dead_letter.write(self.stream_name, item.record, status, error, http_status)
        self.tgt.report.add(self.stream_name, "rejected")
        self.logger.warning("%s record rejected (%s): %s", self.stream_name, status, error)

    # Helpers for resource modules -------------------------------------------------------
    @staticmethod
    def bodies(items: Sequence[Item]) -> list[dict[str, Any]]:
        return [i.payload for i in items]
