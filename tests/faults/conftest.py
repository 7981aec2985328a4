"""The fault suite's bookkeeping: each test fills in its row of the reliability table; the
row's result comes from the test's outcome; the table is saved and printed at the end."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.faults.results import Case, save, summary_line, table

_CASES: dict[str, Case] = {}


@pytest.fixture
def reliability(request: pytest.FixtureRequest) -> Iterator[Callable[..., Case]]:
    """``reliability(part, case, faults=..., checked=...)`` -> the test's row."""
    started = time.monotonic()
    made: list[Case] = []

    def make(part: str, case: str, **fields: Any) -> Case:
        row = Case(part=part, case=case, **fields)
        made.append(row)
        _CASES[request.node.nodeid] = row
        return row

    yield make
    for row in made:
        row.seconds = round(time.monotonic() - started, 1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    row = _CASES.get(item.nodeid)
    if row is not None and (report.when == "call" or report.failed):
        if report.passed and report.when == "call":
            row.result = "pass"
        elif report.failed:
            lines = str(call.excinfo.value).split("\n") if call.excinfo else []
            # A process's error line says more than the first line of its log tail.
            errors = [x.rsplit("|", 1)[-1].strip() for x in lines if "| ERROR" in x]
            message = errors[-1] if errors else (lines[0] if lines else "")
            row.result = "FAIL" + (f": {message[:160]}" if message else "")
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _CASES:
        save(list(_CASES.values()))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _CASES:
        return
    from dataclasses import asdict

    cases = [asdict(c) for c in _CASES.values()]
    terminalreporter.write_sep("=", "reliability table (tests/faults/results.json)")
    terminalreporter.write_line(table(cases))
    terminalreporter.write_line(summary_line(cases))
