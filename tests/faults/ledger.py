"""What the suite saw and what it must never see: every captured output, every secret used.

The suite runs in one pytest process, so module-level lists are the session's ledger; the
secrets test (part 7) scans every capture for every secret at the end.
"""

from __future__ import annotations

from pathlib import Path

# Short strings match by accident (e.g. "abc"); every secret the suite makes is longer.
MIN_SECRET_LEN = 8

SECRETS: set[str] = set()
CAPTURES: list[tuple[str, str]] = []


def secret(*values: str | None) -> None:
    """Remember secrets the tests used (tokens, client secrets, refresh tokens, codes)."""
    for value in values:
        if value and len(value) >= MIN_SECRET_LEN:
            SECRETS.add(value)


def capture(label: str, text: str | bytes | None) -> None:
    """Remember an output (log, error, STATE, dead-letter file) to be scanned for secrets."""
    if text is None:
        return
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if text:
        CAPTURES.append((label, text))


def capture_file(label: str, path: Path) -> None:
    if path.exists():
        capture(f"{label} ({path.name})", path.read_text(errors="replace"))


def leaks() -> list[str]:
    """Where a secret appears, named by the capture's label and a masked secret."""
    found = []
    for label, text in CAPTURES:
        for value in SECRETS:
            if value in text:
                found.append(f"{label}: contains {value[:3]}...{len(value)} chars")
    return found
