"""tap-bigcommerce: every stream a data team needs from a BigCommerce store."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import cached_property
from typing import Any

from singer_sdk import Tap
from singer_sdk.contrib.msgspec import MsgSpecWriter, serialize_jsonl
from singer_sdk.singerlib import Message, RecordMessage

from tap_bigcommerce.auth import authenticator_from_config, expand_connection_string

# The auth module's settings (auth_scheme, OAuth modes, ...): merged into the tap's settings.
from tap_bigcommerce.auth.settings_schema import AUTH_SETTINGS
from tap_bigcommerce.client.http import BigCommerceClient
from tap_bigcommerce.config import settings_schema, validate_config
from tap_bigcommerce.streams import STREAM_TYPES
from tap_bigcommerce.streams.base import BigCommerceStream


class RecordBufferingWriter(MsgSpecWriter):
    """The SDK's msgspec writer, without a flush (one system call) after every record.

    Records wait in stdout's buffer; every other message (a STATE above all) flushes them
    out ahead of itself, so a target never sees a STATE before the records it covers.
    """

    def write_message(self, message: Message) -> None:
        sys.stdout.buffer.write(self.format_message(message))
        if not isinstance(message, RecordMessage):
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
        sys.stdout.buffer.write(serialize_jsonl(message))


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
