"""Start ``bigcommerce-emulator`` as a real process on 127.0.0.1 for tests and benchmarks."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests

READY = re.compile(r"http://127\.0\.0\.1:\d+")


@dataclass
class Emulator:
    base_url: str
    store_hash: str
    token: str
    process: subprocess.Popen[str]
    session: requests.Session = field(default_factory=requests.Session)

    # Control API -------------------------------------------------------------
    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        r = self.session.request(method, f"{self.base_url}/__emulator{path}", timeout=60, **kwargs)
        r.raise_for_status()
        return r.json() if r.content else None

    def stats(self) -> dict[str, Any]:
        return self.control("GET", "/stats")["stores"][self.store_hash]

    def requests_log(self, since: int = 0) -> list[dict[str, Any]]:
        return self.control(
            "GET", "/requests", params={"store_hash": self.store_hash, "since": since}
        )

    def collection(self, name: str) -> list[dict[str, Any]]:
        return self.control("GET", f"/stores/{self.store_hash}/collections/{name}")

    def reset(self, **body: Any) -> None:
        self.control("POST", f"/stores/{self.store_hash}/reset", json=body)

    def fault(self, kind: str, count: int = 1, **body: Any) -> dict[str, Any]:
        return self.control("POST", "/faults", json={"kind": kind, "count": count, **body})

    def clear_faults(self) -> None:
        self.control("DELETE", "/faults")

    def add_token(self, token: str, scopes: list[str] | None = None) -> None:
        body: dict[str, Any] = {"token": token}
        if scopes is not None:
            body["scopes"] = scopes
        self.control("POST", f"/stores/{self.store_hash}/tokens", json=body)

    def set_quota(self, quota: int, window_ms: int | None = None) -> None:
        body: dict[str, Any] = {"quota": quota}
        if window_ms is not None:
            body["window_ms"] = window_ms
        self.control("POST", f"/stores/{self.store_hash}/quota", json=body)

    def update_record(self, collection: str, record_id: int, /, **changes: Any) -> dict[str, Any]:
        path = f"/stores/{self.store_hash}/collections/{collection}/{record_id}"
        return self.control("PATCH", path, json=changes)

    def delete_record(self, name: str, record_id: int) -> None:
        self.control("DELETE", f"/stores/{self.store_hash}/collections/{name}/{record_id}")

    def create_record(self, collection: str, /, **fields: Any) -> dict[str, Any]:
        path = f"/stores/{self.store_hash}/collections/{collection}"
        return self.control("POST", path, json=fields)

    def touch(self, collection: str, /, **body: Any) -> list[int]:
        path = f"/stores/{self.store_hash}/collections/{collection}/touch"
        return self.control("POST", path, json=body)["ids"]

    def trigger(self, action: dict[str, Any], after: int = 1, **match: Any) -> dict[str, Any]:
        body = {"store_hash": self.store_hash, "action": action, "after": after, **match}
        return self.control("POST", "/triggers", json=body)

    # Store API ---------------------------------------------------------------
    def api(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {"X-Auth-Token": token or self.token, "Accept": "application/json"}
        headers.update(kwargs.pop("headers", {}))
        return self.session.request(
            method,
            f"{self.base_url}/stores/{self.store_hash}{path}",
            headers=headers,
            timeout=60,
            **kwargs,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_emulator(
    *args: str, store_hash: str = "teststore", token: str = "test-token", timeout: float = 120
) -> Emulator:
    """Run the emulator with ``args`` and wait for its ready line."""
    cmd = [
        sys.executable,
        "-m",
        "bigcommerce_emulator",
        "--port",
        "0",
        "--store-hash",
        store_hash,
        "--token",
        token,
        *args,
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = READY.search(line)
        if m:
            return Emulator(m.group(0), store_hash, token, proc)
    proc.kill()
    raise RuntimeError(f"emulator did not start: {line!r}")


@contextmanager
def running_emulator(*args: str, **kwargs: Any) -> Iterator[Emulator]:
    emu = start_emulator(*args, **kwargs)
    try:
        yield emu
    finally:
        emu.stop()
