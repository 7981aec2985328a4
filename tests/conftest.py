"""Shared fixtures: a real emulator process over HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[Emulator]:
    """One small store for read-only tests; no quota so tests never wait on it."""
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as emu:
        yield emu


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh store per test, for tests that change data, faults or quota."""
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as emu:
        yield emu
