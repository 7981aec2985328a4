"""Does a sequence of tap runs (one run, or a run killed and resumed) cover the store?

- ``missing``: records of the store that no run emitted.
- duplicates: a record emitted more than once. Allowed only at the bookmark boundary: for
  an incremental stream, a record met again must have a replication value at or after the
  bookmark in force when it is met again (the input STATE's, or the last STATE of that run);
  a child only when its parent is emitted in the same run (children of a page come out just
  before the page's last parent) or, for a run killed before its parent came out, when the
  parent's stored replication value is at or after that bookmark; a full-table stream only
  in a later run (a resumed run starts full-table streams over), never twice in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.faults.tap_process import TapOutput


@dataclass(frozen=True)
class StreamSpec:
    name: str
    replication_key: str | None = None  # incremental streams
    parent: str | None = None  # child streams: the parent stream...
    parent_field: str = ""  # ...and the field naming the parent's id


@dataclass
class Duplicates:
    at_boundary: int = 0  # incremental records met again at or after the bookmark
    with_parent: int = 0  # children re-emitted with their parent
    full_table_rerun: int = 0  # full-table records read again by a resumed run
    violations: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.at_boundary + self.with_parent + self.full_table_rerun


def _bookmark(state: dict[str, Any] | None, stream: str) -> str | None:
    entry = ((state or {}).get("bookmarks") or {}).get(stream) or {}
    value = entry.get("replication_key_value")
    return str(value) if value is not None else None


def duplicates(
    runs: list[TapOutput],
    specs: list[StreamSpec],
    values: dict[str, dict[int, str]] | None = None,
) -> Duplicates:
    """``values``: the store's replication values of parent records, by stream and id."""
    by_name = {s.name: s for s in specs}
    seen: dict[str, set[int]] = {s.name: set() for s in specs}
    out = Duplicates()
    for run_no, run in enumerate(runs):
        state = run.input_state
        this_run: dict[str, set[int]] = {s.name: set() for s in specs}
        in_run = {s.name: run.ids(s.name) for s in specs}
        for msg in run.messages:
            if msg.type == "STATE":
                state = msg.value
                continue
            spec = by_name.get(msg.stream)
            if msg.type != "RECORD" or spec is None:
                continue
            rid = int(msg.record["id"])
            where = f"run {run_no + 1}: {spec.name} {rid}"
            if rid in seen[spec.name]:
                if spec.replication_key:
                    mark = _bookmark(state, spec.name)
                    value = str(msg.record.get(spec.replication_key) or "")
                    if mark is None or value >= mark:
                        out.at_boundary += 1
                    else:
                        out.violations.append(f"{where} again at {value}, before bookmark {mark}")
                elif spec.parent:
                    parent_id = int(msg.record[spec.parent_field])
                    mark = _bookmark(state, spec.parent)
                    stored = (values or {}).get(spec.parent, {}).get(parent_id)
                    if parent_id in in_run[spec.parent] or (
                        mark is not None and stored is not None and _after(stored, mark)
                    ):
                        out.with_parent += 1
                    else:
                        out.violations.append(f"{where} again without its parent {parent_id}")
                elif rid in this_run[spec.name]:
                    out.violations.append(f"{where} twice in one run (full table)")
                else:
                    out.full_table_rerun += 1
            seen[spec.name].add(rid)
            this_run[spec.name].add(rid)
    return out


def _after(value: str, mark: str) -> bool:
    def instant(v: str) -> datetime:
        parsed = datetime.fromisoformat(v.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    return instant(value) >= instant(mark)


def missing(runs: list[TapOutput], stream: str, expected: set[int]) -> tuple[set[int], set[int]]:
    """(records of the store never emitted, records emitted that the store never had)."""
    emitted: set[int] = set()
    for run in runs:
        emitted |= run.ids(stream)
    return expected - emitted, emitted - expected
