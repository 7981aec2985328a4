"""Garbage collection paced by records written: cycles still freed, the collector always
switched back on."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from tap_bigcommerce.gc_pacing import YOUNG_EVERY, paced_collection, page_written


def test_paced_collection_frees_cycles_and_restores_the_collector() -> None:
    class Node:
        other: Any = None

    assert gc.isenabled()
    with paced_collection():
        with paced_collection():  # a child stream's read inside its parent's
            assert not gc.isenabled()
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a
        tracked = id(a)
        del a, b
        page_written(YOUNG_EVERY)
        assert all(id(o) != tracked for o in gc.get_objects() if isinstance(o, Node))
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), paced_collection():
        raise RuntimeError("boom")
    assert gc.isenabled()
