"""Bulk look-ups of what the store already holds: ``field:in`` lists of up to 250 values.

A value holding a comma cannot travel in an ``:in`` list (the API splits on commas), so it
is looked up alone with the plain ``field=`` filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

IN_LIST_MAX = 250
PAGE_LIMIT = 250
MAX_PAGES = 10_000  # a bound on any one listing, far above any real store


class JsonGetter(Protocol):
    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any: ...


def chunks(values: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def list_all(client: JsonGetter, path: str, params: Mapping[str, Any] | None = None) -> list[Any]:
    """Every record of a v3 listing, page by page (``limit=250``)."""
    out: list[Any] = []
    page = 1
    while page <= MAX_PAGES:
        body = client.get_json(path, {**(params or {}), "limit": PAGE_LIMIT, "page": page})
        if not body:
            break
        data = body.get("data") if isinstance(body, Mapping) else body
        if not data:
            break
        out.extend(data)
        pagination = (
            (body.get("meta") or {}).get("pagination") if isinstance(body, Mapping) else None
        )
        total_pages = int(pagination.get("total_pages") or 0) if pagination else 0
        if pagination is None or page >= total_pages:
            break
        page += 1
    return out


def lookup_in(
    client: JsonGetter,
    path: str,
    field: str,
    values: Iterable[Any],
    extra: Mapping[str, Any] | None = None,
) -> list[Any]:
    """Records whose ``field`` is one of ``values``: one request per 250 values."""
    unique = list(dict.fromkeys(v for v in values if v is not None and v != ""))
    plain = [v for v in unique if isinstance(v, str) and "," in v]
    listed = [v for v in unique if not (isinstance(v, str) and "," in v)]
    out: list[Any] = []
    groups = [
        {**(extra or {}), f"{field}:in": ",".join(str(v) for v in group)}
        for group in chunks(listed, IN_LIST_MAX)
    ]
    # The look-ups of one batch are independent: sent one after another, each waits a full
    # round trip, which a run under quota cannot make up. Results keep the groups' order.
    workers = min(len(groups), max(1, int(getattr(client, "max_concurrency", 1))))
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for records in pool.map(lambda params: list_all(client, path, params), groups):
                out.extend(records)
    else:
        for params in groups:
            out.extend(list_all(client, path, params))
    for value in plain:
        out.extend(list_all(client, path, {**(extra or {}), field: value}))
    return out


def lookup_each(
    client: JsonGetter,
    path: str,
    field: str,
    values: Iterable[Any],
    extra: Mapping[str, Any] | None = None,
) -> list[Any]:
    """For filters the API documents without ``:in``: one request per value."""
    out: list[Any] = []
    for value in dict.fromkeys(v for v in values if v is not None and v != ""):
        out.extend(list_all(client, path, {**(extra or {}), field: value}))
    return out


def index_by(records: Iterable[Mapping[str, Any]], field: str) -> dict[Any, Mapping[str, Any]]:
    """Records by one field's value; the lowest id wins a tie, as the API lists by id."""
    out: dict[Any, Mapping[str, Any]] = {}
    for rec in records:
        value = rec.get(field)
        if value is not None and value not in out:
            out[value] = rec
    return out
