"""Channel streams: sales channels and their storefront sites.

Also ``UnsortedIncrementalStream``, the base of every T2 stream that filters on a
modification time it cannot sort on (channels, price lists, price list records).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream
from tap_bigcommerce.streams.normalize import utc_iso

# Allowance for the difference between this machine's clock and the API's.
CLOCK_ALLOWANCE = timedelta(minutes=1)


class UnsortedIncrementalStream(BigCommerceStream):
    """Reads ``since_param >= bookmark`` in the endpoint's own (id) order; the bookmark
    moves once, at the end of the read, to the newest time seen, but never past the
    run's start (the SDK's signpost). A record changed during the read keeps a time at or
    after that start, so the next run reads it again.

    The API writes whole seconds, so the start is floored to the second (a change in the
    run's first second is not below it), moved back by the clock allowance and written in
    the API's format.
    """

    is_sorted = False

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


STREAMS: list[type[BigCommerceStream]] = [ChannelsStream, SitesStream]
