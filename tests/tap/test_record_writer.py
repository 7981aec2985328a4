"""The tap's record writer: records leave in chunks, in order, never after a STATE that
covers them, whole even when stdout takes less than it was given, and at exit."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from singer_sdk.singerlib import RecordMessage, StateMessage

from tap_bigcommerce.tap import RecordBufferingWriter

WHEN = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


class _Stdout:
    """A stand-in for ``sys.stdout`` whose binary layer behaves like an unbuffered pipe
    (``PYTHONUNBUFFERED``): every ``write`` is one call, and it may take only part of
    what it is given, as a raw ``write(2)`` may."""

    def __init__(self, max_take: int | None = None) -> None:
        self.buffer = self
        self.calls: list[bytes] = []
        self.max_take = max_take
        self.during_write: Any = None

    def write(self, data: Any) -> int:
        chunk = bytes(data)[: self.max_take] if self.max_take else bytes(data)
        self.calls.append(chunk)
        if self.during_write is not None:
            hook, self.during_write = self.during_write, None
            hook()
        return len(chunk)

    def flush(self) -> None:
        return None

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in b"".join(self.calls).splitlines()]


def _record(i: int, size: int = 1000) -> dict[str, Any]:
    return {"store_hash": "s", "id": i, "text": "x" * size}


def _redirect(monkeypatch: pytest.MonkeyPatch, max_take: int | None = None) -> _Stdout:
    # In the test body, not a fixture: pytest's output capture puts its own sys.stdout
    # back between a fixture's setup and the test's call.
    fake = _Stdout(max_take)
    monkeypatch.setattr(sys, "stdout", fake)
    return fake


def test_records_go_out_in_chunks_and_before_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _redirect(monkeypatch)
    writer = RecordBufferingWriter()
    for i in range(3000):
        writer.write_record("products", _record(i), None, WHEN)
    # About 3 MB of records: a call per full chunk, not one per record.
    assert len(out.calls) == sum(len(c) for c in out.calls) // writer.CHUNK_BYTES == 3
    writer.write_message(StateMessage(value={"bookmarks": {"products": {"n": 3000}}}))
    lines = out.lines()
    assert [m["record"]["id"] for m in lines[:-1]] == list(range(3000))
    assert lines[-1] == {"type": "STATE", "value": {"bookmarks": {"products": {"n": 3000}}}}
    assert lines[0]["time_extracted"] == "2026-12-04T10:00:00Z"
    assert "version" not in lines[0]


def test_a_record_message_from_the_sdk_path_joins_the_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = _redirect(monkeypatch)
    writer = RecordBufferingWriter()
    writer.write_record("a", _record(1, 10), 7, None)
    writer.write_message(RecordMessage(stream="a", record=_record(2, 10)))
    assert out.calls == []
    writer.flush_records()
    assert [(m["stream"], m["record"]["id"]) for m in out.lines()] == [("a", 1), ("a", 2)]
    assert out.lines()[0]["version"] == 7


def test_partial_writes_are_continued_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _redirect(monkeypatch, max_take=4096)
    writer = RecordBufferingWriter()
    for i in range(500):
        writer.write_record("p", _record(i, 3000), None, None)
    writer.flush_records()
    assert [m["record"]["id"] for m in fake.lines()] == list(range(500))
    assert all(len(c) <= 4096 for c in fake.calls)


def test_a_record_larger_than_a_chunk_is_written_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _redirect(monkeypatch)
    writer = RecordBufferingWriter()
    big = _record(1, writer.CHUNK_BYTES * 2)
    writer.write_record("p", big, None, None)
    writer.write_record("p", _record(2, 10), None, None)
    writer.flush_records()
    assert [m["record"]["id"] for m in out.lines()] == [1, 2]
    assert out.lines()[0]["record"] == big


def test_a_state_from_a_signal_handler_mid_write_is_left_out_not_torn_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A SIGTERM handler (the SDK writes a final STATE) may run while a chunk is half
    # written; it cannot know how much the interrupted write took, so its STATE is left
    # out (the next run starts from the previous one) rather than written inside a record.
    fake = _redirect(monkeypatch, max_take=1500)
    writer = RecordBufferingWriter()
    for i in range(20):
        writer.write_record("p", _record(i), None, None)
    fake.during_write = lambda: writer.write_message(StateMessage(value={"at": 20}))
    writer.flush_records()
    writer.write_record("p", _record(20), None, None)
    writer.write_message(StateMessage(value={"at": 21}))
    lines = fake.lines()
    assert [m.get("record", {}).get("id", m.get("value")) for m in lines] == [
        *range(21),
        {"at": 21},
    ]


def test_a_state_from_a_signal_handler_mid_append_follows_whole_records_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The handler runs between a record's encoding and its newline: only whole lines go
    # out ahead of the STATE (the cut record's bookmark has not moved yet).
    fake = _redirect(monkeypatch)
    writer = RecordBufferingWriter()
    writer.write_record("p", _record(1, 10), None, None)
    writer._chunk.extend(b'{"type":"RECORD","stream":"p","record":{"id":2}}')  # no newline yet
    writer.write_message(StateMessage(value={"at": 1}))
    lines = fake.lines()
    assert [m.get("record", {}).get("id", m.get("value")) for m in lines] == [1, {"at": 1}]


def test_records_without_a_following_state_are_written_at_exit() -> None:
    code = (
        "from tap_bigcommerce.tap import RecordBufferingWriter\n"
        "w = RecordBufferingWriter()\n"
        "for i in range(5):\n"
        "    w.write_record('p', {'id': i}, None, None)\n"
        "raise SystemExit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        timeout=60,
        env={"PYTHONUNBUFFERED": "1", "PATH": ""},
    )
    assert done.returncode == 3, done.stderr.decode()[-2000:]
    ids = [json.loads(line)["record"]["id"] for line in done.stdout.splitlines()]
    assert ids == [0, 1, 2, 3, 4]


def test_a_closed_stdout_at_exit_is_not_an_error_of_its_own() -> None:
    code = (
        "import os, sys\n"
        "from tap_bigcommerce.tap import RecordBufferingWriter\n"
        "w = RecordBufferingWriter()\n"
        "w.write_record('p', {'id': 1}, None, None)\n"
        "os.close(1)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, env={"PATH": ""}
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode()[-2000:]
