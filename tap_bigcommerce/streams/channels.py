"""Channel streams: sales channels, their storefront sites and the sites' routes.

Also ``UnsortedIncrementalStream``, the base of every T2 stream that filters on a
modification time it cannot sort on (channels, price lists, price list records).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Executor
from datetime import datetime, timedelta
from typing import Any

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream, ChildStream, Record
from tap_bigcommerce.streams.normalize import utc_iso
from tap_bigcommerce.streams.paging import ListEndpoint, ordered_prefetch

log = logging.getLogger(__name__)

# Allowance for the difference between this machine's clock and the API's.
CLOCK_ALLOWANCE = timedelta(minutes=1)
# Reads of one set before giving up when its size keeps changing under the reader.
READ_ATTEMPTS = 3


class SetChangedDuringRead(RuntimeError):
    """A list kept gaining or losing records while its pages were read."""


def consistent_offset_pages(
    endpoint: ListEndpoint, page_size: int, executor: Executor, depth: int
) -> Iterator[list[Record]]:
    """Page-numbered pages of a v3 list, read again if the list's size changed meanwhile.

    A record deleted from a page already read shifts every later page back by one, and
    the record that moves onto the read page is never seen. Every page reports the list's
    total; if one differs from the first page's, the whole list is read again (what was
    already emitted is emitted again, which a target's upsert absorbs).
    """
    for attempt in range(1, READ_ATTEMPTS + 1):
        first = endpoint.fetch({"limit": page_size, "page": 1})
        yield first.records
        if not first.total_pages or first.total_pages <= 1:
            return
        tasks = [
            (lambda p=p: endpoint.fetch({"limit": page_size, "page": p}))
            for p in range(2, first.total_pages + 1)
        ]
        changed = False
        for page in ordered_prefetch(executor, tasks, depth):
            changed = changed or page.total != first.total
            yield page.records
        if not changed:
            return
        log.warning(
            "%s: records were added or deleted while it was read; reading it again (%d/%d)",
            endpoint.path,
            attempt,
            READ_ATTEMPTS,
        )
    raise SetChangedDuringRead(
        f"{endpoint.path}: records kept being added or deleted while it was read "
        f"({READ_ATTEMPTS} attempts); run the sync again"
    )


class UnsortedIncrementalStream(BigCommerceStream):
    """Reads ``since_param >= bookmark`` in the endpoint's own (id) order, again if records
    are deleted or added meanwhile (``consistent_offset_pages``); the bookmark
    moves once, at the end of the read, to the newest time seen, but never past the
    run's start (the SDK's signpost). A record changed during the read keeps a time at or
    after that start, so the next run reads it again.

    The API writes whole seconds, so the start is floored to the second (a change in the
    run's first second is not below it), moved back by the clock allowance and written in
    the API's format.
    """

    is_sorted = False

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        yield from self.read_changed_since(self.endpoint(), context)

    def read_changed_since(
        self, endpoint: ListEndpoint, context: Context | None
    ) -> Iterator[list[Record]]:
        start = self.get_starting_timestamp(context)
        if start is not None and self.since_param:
            endpoint.params = {**endpoint.params, self.since_param: utc_iso(start)}
        yield from consistent_offset_pages(
            endpoint, self.page_size, self._bc_tap.executor, 2 * self.concurrency
        )

    def get_replication_key_signpost(self, context: Context | None = None) -> Any:
        signpost = super().get_replication_key_signpost(context)
        if isinstance(signpost, datetime):
            # Written as the API writes times, so bookmarks compare as strings.
            return utc_iso(signpost.replace(microsecond=0) - CLOCK_ALLOWANCE)
        return signpost


class ChannelsStream(UnsortedIncrementalStream):
    name = "channels"
    path = "/v3/channels"
    required_scope = "store_channel_settings"
    replication_key = "date_modified"
    # The endpoint filters on date_modified but documents no sort.
    since_param = "date_modified:min"


class SitesStream(BigCommerceStream):
    """Full table: the endpoint has no time filter."""

    name = "sites"
    path = "/v3/sites"
    required_scope = "store_sites"


class SiteRoutesStream(ChildStream):
    """Each site's storefront routes (URL templates per page type): one request per site,
    as no path lists the routes of every site."""

    name = "site_routes"
    parent_stream_type = SitesStream
    path = "/v3/sites/{parent_id}/routes"
    required_scope = "store_sites"
    parent_field = "site_id"


STREAMS: list[type[BigCommerceStream]] = [ChannelsStream, SitesStream, SiteRoutesStream]
