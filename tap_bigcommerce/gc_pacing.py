"""Garbage collection paced by records written instead of by allocations.

Decoding one page of orders allocates about 50,000 objects, all alive until the page is
written. Python's collector runs every 700 allocations and, as the young objects survive,
keeps walking the pages still queued behind the writer: on a full sync that cost 10-15%
of the tap's CPU. Records are acyclic (reference counting frees them), so during a sync
the automatic collector is off and the writer thread collects the young generations
every ``YOUNG_EVERY`` records it has written, and everything every ``FULL_EVERY``, so
cycles made by the HTTP stack are still freed. Counted in records, not pages: a child
stream writes one small page per parent, and a collection per page cost more than the
collector it replaced.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_EVERY = 20_000
FULL_EVERY = 1_000_000


class _Pacing:
    depth = 0  # a child stream's read runs inside its parent's
    was_enabled = True
    records = 0
    young_due = YOUNG_EVERY
    full_due = FULL_EVERY


_state = _Pacing()


@contextmanager
def paced_collection() -> Iterator[None]:
    """Automatic collection off for the block, restored when the outermost one ends
    (even on errors). Entered only by the writer thread."""
    if _state.depth == 0:
        _state.was_enabled = gc.isenabled()
        gc.disable()
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0 and _state.was_enabled:
            gc.enable()


def page_written(records: int) -> None:
    """Called by the writer thread after each page it has written: a young (or, now and
    then, full) collection when enough records have gone by. Does nothing outside
    ``paced_collection``."""
    if _state.depth == 0:
        return
    _state.records += records
    if _state.records >= _state.full_due:
        _state.full_due = _state.records + FULL_EVERY
        _state.young_due = _state.records + YOUNG_EVERY
        gc.collect()
    elif _state.records >= _state.young_due:
        _state.young_due = _state.records + YOUNG_EVERY
        gc.collect(1)
