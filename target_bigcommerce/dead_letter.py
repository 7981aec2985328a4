"""The dead-letter file: every record the API rejected, with the status and the reason.

One JSON object per line: ``stream``, ``record`` (as received, encoded as the API would
get it), ``status`` (the HTTP status, or 0 when the target refused it before any request),
``error`` (the API's error text) and ``at`` (UTC). A record refused inside a ``207``
answer has its own status (e.g. 409) and ``http_status: 207``. The file is opened on the first
rejection, appended to, and flushed after every line so a crash loses nothing written.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from target_bigcommerce.encoding import dumps


class DeadLetterFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._handle: IO[str] | None = None
        self.count = 0

    def write(
        self,
        stream: str,
        record: Mapping[str, Any],
        status: int,
        error: str,
        http_status: int | None = None,
    ) -> None:
        entry: dict[str, Any] = {"stream": stream, "record": dict(record), "status": status}
        if http_status is not None and http_status != status:
            entry["http_status"] = http_status
        entry["error"] = error
        entry["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        line = dumps(entry)
        with self._lock:
            if self._handle is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = self.path.open("a", encoding="utf-8")
            self._handle.write(line + "\n")
            self._handle.flush()
            self.count += 1

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
