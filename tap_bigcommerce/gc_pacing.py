"""Garbage collection paced by pages of records instead of by allocations.

Decoding one page of orders allocates about 50,000 objects, all alive until the page is
written. Python's collector runs every 700 allocations and, as the young objects survive,
keeps walking the pages still queued behind the writer: on a full sync that cost 10-15%
of the tap's CPU. Records are acyclic (reference counting frees them), so during a sync
the automatic collector is off and the writer thread collects the young generations
once per page it has written, and everything every ``FULL_EVERY`` pages, so cycles made
by the HTTP stack are still freed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_EVERY = 200


class _Pacing:
    depth = 0  # a child stream's read runs inside its parent's
    was_enabled = True
    pages = 0


_state = _Pacing()


@contextmanager
def paced_by_pages() -> Iterator[None]:
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


def page_written() -> None:
    """Called by the writer thread after each page: a young (or, now and then, full)
    collection. Does nothing outside ``paced_by_pages``."""
    if _state.depth == 0:
        return
    _state.pages += 1
    gc.collect(2 if _state.pages % FULL_EVERY == 0 else 1)
