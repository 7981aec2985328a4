"""tap-bigcommerce: every stream a data team needs from a BigCommerce store."""

from __future__ import annotations

import atexit
import contextlib
import sys
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import cached_property
from typing import Any

from singer_sdk import Tap
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.contrib.msgspec import encoder as msgspec_encoder
from singer_sdk.singerlib import Message, RecordMessage

from tap_bigcommerce.auth import authenticator_from_config, expand_connection_string

# The auth module's settings (auth_scheme, OAuth modes, ...): merged into the tap's settings.
from tap_bigcommerce.auth.settings_schema import AUTH_SETTINGS
from tap_bigcommerce.client.http import BigCommerceClient
from tap_bigcommerce.config import settings_schema, validate_config
from tap_bigcommerce.streams import STREAM_TYPES
from tap_bigcommerce.streams.base import BigCommerceStream


class RecordBufferingWriter(MsgSpecWriter):
    """The SDK's msgspec writer, writing records in chunks instead of one by one.

    Records are encoded straight into one buffer and written with a single call once it
    holds ``CHUNK_BYTES`` or before any other message (a STATE above all), so a target
    never sees a STATE before the records it covers. A write per record cost a system
    call each where stdout is unbuffered (``PYTHONUNBUFFERED``, common in containers) and
    every call hands the GIL to the fetching threads, whose decoding then holds the
    writer up for up to the interpreter's switch interval.
    """

    CHUNK_BYTES = 1 << 20

    def __init__(self) -> None:
        super().__init__()
        self._chunk = bytearray()
        # Bytes of whole lines in the chunk, and how many of them are already out: a
        # signal handler may write a STATE between any two steps of a record's append,
        # and must find only whole lines to write ahead of it.
        self._complete = 0
        self._sent = 0
        self._flushing = False
        # Every stream ends with a STATE, which flushes; this is for a run that stops
        # between a record and its STATE (an error, a signal): its records still go out.
        atexit.register(_flush_at_exit, weakref.ref(self))

    def write_message(self, message: Message) -> None:
        if isinstance(message, RecordMessage):
            self._append(message.to_dict())
            return
        if self._flushing:
            # Only a signal handler (the SDK's final STATE on SIGTERM) gets here, in the
            # middle of a chunk's write: how much of it the interrupted call took is not
            # known yet, so anything written now could land inside a record. A STATE left
            # out loses nothing: the next run starts from the one before.
            return
        self.flush_records()
        sys.stdout.buffer.write(self.format_message(message))
        sys.stdout.flush()

    def write_record(
        self,
        stream: str,
        record: dict[str, Any],
        version: int | None,
        time_extracted: datetime | None,
    ) -> None:
        """The line ``RecordMessage(...).to_dict()`` would give, without the message
        object: built and checked per record, it cost more than encoding the record."""
        message: dict[str, Any] = {"type": "RECORD", "stream": stream, "record": record}
        if version is not None:
            message["version"] = version
        if time_extracted is not None:
            message["time_extracted"] = time_extracted
        self._append(message)

    def _append(self, message: dict[str, Any]) -> None:
        chunk = self._chunk
        msgspec_encoder.encode_into(message, chunk, -1)
        chunk.extend(b"\n")
        self._complete = len(chunk)
        if self._complete >= self.CHUNK_BYTES:
            self.flush_records()

    def flush_records(self) -> None:
        """Write the whole record lines waiting in the chunk."""
        if self._flushing:
            return
        self._flushing = True
        try:
            out = sys.stdout.buffer
            while self._sent < self._complete:
                with memoryview(self._chunk)[self._sent : self._complete] as part:
                    written = out.write(part)
                if not written:
                    raise OSError("stdout accepted none of the records waiting to be written")
                self._sent += written
            if self._sent == len(self._chunk):
                self._chunk.clear()
                self._sent = self._complete = 0
        finally:
            self._flushing = False


def _flush_at_exit(ref: weakref.ref[RecordBufferingWriter]) -> None:
    writer = ref()
    if writer is not None:
        # stdout may be gone (a target that quit); nothing is left to tell then.
        with contextlib.suppress(OSError, ValueError):
            writer.flush_records()


class TapBigCommerce(Tap):
    """Singer tap for the BigCommerce store APIs (v2 and v3)."""

    name = "tap-bigcommerce"
    config_jsonschema = settings_schema(AUTH_SETTINGS)
    # msgspec writes records several times faster than the standard json writer, and
    # prints Decimal values as JSON numbers.
    message_writer_class = RecordBufferingWriter

    @cached_property
    def record_writer(self) -> RecordBufferingWriter:
        writer = self.message_writer
        if not isinstance(writer, RecordBufferingWriter):
            raise TypeError(f"unexpected message writer {type(writer).__name__}")
        return writer

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        # Properties given only inside connection_string (StoreId, ...) become settings.
        self._config.update(expand_connection_string(self._config))
        if raise_errors:
            validate_config(self.config)
        return super()._validate_config(raise_errors=raise_errors)

    @cached_property
    def client(self) -> BigCommerceClient:
        config = self.config
        return BigCommerceClient(
            api_url=str(config.get("api_url") or "https://api.bigcommerce.com"),
            authenticator=authenticator_from_config(config),
            timeout=float(config.get("request_timeout", 60)),
            user_agent=config.get("user_agent"),
            max_retries=int(config.get("max_retries", 8)),
            max_concurrency=int(config.get("max_concurrency", 8)),
            backoff_factor_s=float(config.get("retry_backoff", 1.0)),
        )

    @cached_property
    def executor(self) -> ThreadPoolExecutor:
        # Every request of every stream runs here, so max_concurrency bounds them all.
        return ThreadPoolExecutor(
            max_workers=int(self.config.get("max_concurrency", 8)),
            thread_name_prefix="bigcommerce",
        )

    def discover_streams(self) -> list[BigCommerceStream]:
        return [stream_type(self) for stream_type in STREAM_TYPES]


def stream_table() -> str:
    """The Markdown table of streams (for the docs): method, key, endpoint, scope."""
    tap = TapBigCommerce(
        config={"store_hash": "example", "access_token": "unused"}, validate_config=False
    )
    rows = [
        "| Stream | Replication | Key | Bookmark | Endpoint | Required scope |",
        "|:--|:--|:--|:--|:--|:--|",
    ]
    for stream in tap.streams.values():
        assert isinstance(stream, BigCommerceStream)
        method = stream.replication_method
        parents = [s for s in tap.streams.values() if stream in s.child_streams]
        if parents:
            method = f"with {parents[0].name}"
        rows.append(
            f"| {stream.name} | {method} | {', '.join(stream.primary_keys)} | "
            f"{stream.replication_key or ''} | `{stream.path}` | {stream.required_scope} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    TapBigCommerce.cli()
