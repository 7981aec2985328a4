"""Which requests a fault or a trigger applies to: an optional method and path pattern."""

from __future__ import annotations

import re
from typing import Any


def compile_path(path: Any) -> re.Pattern[str] | None:
    """The ``path`` regular expression of a control request, or ``None`` for any path."""
    try:
        return re.compile(path) if path else None
    except re.error as exc:
        raise ValueError(f"path is not a valid regular expression: {exc}") from exc


def request_matches(
    method: str | None, path: re.Pattern[str] | None, request_method: str, request_path: str
) -> bool:
    """Whether a request fits the method (any case) and path pattern, either one unset."""
    if method and method.upper() != request_method:
        return False
    return not (path and not path.search(request_path))
