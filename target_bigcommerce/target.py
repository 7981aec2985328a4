"""target-bigcommerce: reverse ETL into a BigCommerce store, with nothing lost.

Streams are accepted by the tap's names, so the tap's output can be edited and fed back.
STATE is written only once every record before it is in the store or the dead-letter file;
a termination signal lets in-flight batches finish, abandons the rest and acknowledges
nothing further; the run ends with a per-stream summary on stderr and a non-zero exit when
more records were rejected than ``max_failed_records`` allows.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, ClassVar

import msgspec
from singer_sdk import Target
from singer_sdk.io_base import SingerReader
from singer_sdk.singerlib.exceptions import InvalidInputLine
from singer_sdk.sinks import Sink

from tap_bigcommerce.client.errors import BigCommerceError
from target_bigcommerce.dead_letter import DeadLetterFile
from target_bigcommerce.errors import Terminated, UnknownStreamError
from target_bigcommerce.report import RunReport
from target_bigcommerce.settings import CONFIG_SCHEMA, TargetSettings
from target_bigcommerce.sinks import SINKS

_STATE_ENCODER = msgspec.json.Encoder(decimal_format="number")


class _MessageReader(SingerReader):
    @staticmethod
    def assert_line_requires(line_dict: Any, requires: set[str]) -> None:
        # A line (or its schema) that is JSON but not an object: a clear error, not a
        # TypeError deep in the SDK's reader.
        if not isinstance(line_dict, dict):
            raise InvalidInputLine(
                f"input is not a Singer message: expected a JSON object with "
                f"{', '.join(sorted(requires))}, got {type(line_dict).__name__}"
            )
        SingerReader.assert_line_requires(line_dict, requires)


class TargetBigCommerce(Target):
    name = "target-bigcommerce"
    config_jsonschema: ClassVar[dict[str, Any]] = CONFIG_SCHEMA
    message_reader_class = _MessageReader

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings: TargetSettings = TargetSettings.from_config(
            self.config, {name: sink.allowed_keys for name, sink in SINKS.items()}
        )
        self.report = RunReport(dry_run=self.settings.dry_run)
        self.dead_letter = DeadLetterFile(self.settings.dead_letter_path)
        self.stop_event = threading.Event()
        self._signum = 0
        self._writing = 0
        self._finished = False
        self._state_written: dict | None = None
        self._client: Any = None
        self._client_lock = threading.Lock()
        # Sinks drain one at a time, in the order their streams arrived, so parents
        # (products, customers) reach the store before their children.
        self.max_parallelism = 1

    # Streams ----------------------------------------------------------------------------
    def get_sink_class(self, stream_name: str) -> type[Sink]:
        sink = SINKS.get(stream_name)
        if sink is None:
            raise UnknownStreamError(
                f"stream {stream_name!r} cannot be written to BigCommerce; "
                f"target-bigcommerce accepts {', '.join(sorted(SINKS))}"
            )
        return sink

    def drain_stream(self, stream_name: str) -> None:
        sink = self._sinks_active.get(stream_name)
        if sink is not None:
            self.drain_one(sink)

    # Messages ---------------------------------------------------------------------------
    # Every drain happens inside one of these handlers, so each catches the end of a run:
    # a termination signal, or a stream the target cannot write.
    def _process_schema_message(self, message_dict: dict) -> None:
        with self._run_guard():
            super()._process_schema_message(message_dict)

    def _process_record_message(self, message_dict: dict) -> None:
        if not isinstance(message_dict.get("record"), dict):
            raise InvalidInputLine(
                f"RECORD of stream {str(message_dict.get('stream'))[:80]!r}: "
                "its record is not a JSON object"
            )
        with self._run_guard():
            super()._process_record_message(message_dict)

    def _process_state_message(self, message_dict: dict) -> None:
        # Drain at each new STATE so it is acknowledged as soon as everything before it
        # is in the store or the dead-letter file (drain_all writes it afterwards).
        self._assert_line_requires(message_dict, requires={"value"})
        if self._latest_state == message_dict["value"]:
            return
        with self._run_guard():
            super()._process_state_message(message_dict)
            self.drain_all()

    def process_endofpipe(self) -> None:
        with self._run_guard():
            super().process_endofpipe()
        self._finish()
        rejected = self.report.rejected
        if rejected > self.settings.max_failed_records:
            self.logger.error(
                "%d record(s) rejected, more than max_failed_records=%d; see %s",
                rejected,
                self.settings.max_failed_records,
                self.settings.dead_letter_path,
            )
            sys.exit(1)

    @contextmanager
    def _run_guard(self) -> Iterator[None]:
        try:
            yield
        except Terminated as exc:
            self._finish()
            self.logger.error("Stopped by signal %d; no STATE was written after it", exc.signum)
            sys.exit(128 + exc.signum)
        except UnknownStreamError as exc:
            self.dead_letter.close()
            self.logger.error("%s", exc)
            sys.exit(2)
        except BigCommerceError as exc:
            # Retries ran out, or the store refused the credentials: stop, say what was done.
            self._finish()
            self.logger.error("%s; no STATE was written after the last one shown", exc)
            sys.exit(1)

    def _write_state_message(self, state: dict) -> None:
        # drain_all runs at every new STATE and again at the end: say each one once.
        if state == self._state_written:
            return
        if self.settings.dry_run:
            # Nothing was written: a bookmark now would make the real run skip these rows.
            self.logger.info("dry run: STATE not emitted")
            self._state_written = state
            return
        # The SDK's reader parses STATE numbers as Decimal, which its json.dumps cannot
        # write; msgspec writes them back as the same JSON numbers.
        sys.stdout.write(_STATE_ENCODER.encode(state).decode() + "\n")
        sys.stdout.flush()
        self._state_written = state

    # The shared HTTP client -------------------------------------------------------------
    @property
    def client(self) -> Any:
        with self._client_lock:
            if self._client is None:
                from tap_bigcommerce.auth import authenticator_from_config
                from tap_bigcommerce.client.http import BigCommerceClient

                kwargs: dict[str, Any] = {
                    "api_url": str(self.config.get("api_url") or "https://api.bigcommerce.com"),
                    "authenticator": authenticator_from_config(self.config),
                    "timeout": float(self.config.get("request_timeout") or 60),
                    "max_retries": int(self.config.get("max_retries") or 8),
                    "max_concurrency": self.settings.max_concurrency,
                    "backoff_factor_s": float(self.config.get("retry_backoff") or 1.0),
                }
                if self.config.get("user_agent"):
                    kwargs["user_agent"] = str(self.config["user_agent"])
                self._client = BigCommerceClient(**kwargs)
            return self._client

    # Termination ------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        self._writing += 1
        try:
            yield
        finally:
            self._writing -= 1

    def stop_signal(self) -> int:
        return self._signum

    def raise_if_stopping(self) -> None:
        if self.stop_event.is_set():
            raise Terminated(self._signum)

    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        # Unlike the SDK default, do not drain: a drain started now could be cut short
        # and its STATE would acknowledge records that never reached the store.
        self._signum = signum
        self.stop_event.set()
        self.logger.warning(
            "Received signal %d: finishing the batches in flight, writing nothing more", signum
        )
        if not self._writing:
            self._finish()
            sys.exit(128 + signum)

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self.dead_letter.close()
        if self._client is not None:
            self._client.close()
        sys.stderr.write(self.report.table() + "\n")
        sys.stderr.flush()
        self.logger.info("summary %s", self.report.json_line())


if __name__ == "__main__":
    TargetBigCommerce.cli()
