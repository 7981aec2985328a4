"""The suite's figures: one row per case, kept in ``results.json`` and rendered as the
Markdown table of RELIABILITY.md.

Regenerate the table from the last run's results with
``.venv/bin/python -m tests.faults.results`` (prints it) or
``.venv/bin/python -m tests.faults.results --write RELIABILITY.md`` (replaces the table
between the markers in that file).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results.json")
BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"


@dataclass
class Case:
    """One row: filled in by a test as it runs; ``result`` is set from its outcome."""

    part: str
    case: str
    runs: int = 0
    faults: str = ""
    checked: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    result: str = "not run"
    seconds: float = 0.0

    def add(self, **figures: Any) -> None:
        for key, value in figures.items():
            if isinstance(value, int | float) and isinstance(self.figures.get(key), int | float):
                self.figures[key] += value
            else:
                self.figures[key] = value


def _figures(figures: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in figures.items())


def table(cases: list[dict[str, Any]]) -> str:
    rows = [
        "| Part | Case | Runs | Faults injected | What was checked | Result |",
        "|:--|:--|--:|:--|:--|:--|",
    ]
    for c in sorted(cases, key=lambda c: (c["part"], c["case"])):
        figures = _figures(c.get("figures") or {})
        result = c["result"] + (f" ({figures})" if figures else "")
        cells = [c["part"], c["case"], str(c["runs"]), c["faults"], c["checked"], result]
        rows.append("| " + " | ".join(x.replace("|", "/").replace("\n", " ") for x in cells) + " |")
    return "\n".join(rows)


def save(cases: list[Case], path: Path = RESULTS) -> None:
    path.write_text(json.dumps([asdict(c) for c in cases], indent=1) + "\n")


def load(path: Path = RESULTS) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text())
    return data


def summary_line(cases: list[dict[str, Any]]) -> str:
    passed = sum(1 for c in cases if c["result"] == "pass")
    runs = sum(int(c["runs"]) for c in cases)
    seconds = sum(float(c.get("seconds", 0)) for c in cases)
    return f"{passed} of {len(cases)} cases passed, {runs:,} runs, {seconds:.0f} s"


def write_into(markdown: Path, cases: list[dict[str, Any]]) -> None:
    text = markdown.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    block = f"\n{table(cases)}\n\n{summary_line(cases)}\n"
    markdown.write_text(text[:start] + block + text[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--write", type=Path, help="Markdown file with the results markers")
    args = parser.parse_args()
    cases = load(args.results)
    if args.write:
        write_into(args.write, cases)
    else:
        print(table(cases))
        print()
        print(summary_line(cases))


if __name__ == "__main__":
    main()
