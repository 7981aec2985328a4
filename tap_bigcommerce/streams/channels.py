"""Channel streams: sales channels and their storefront sites."""

from __future__ import annotations

from tap_bigcommerce.streams.base import BigCommerceStream


class ChannelsStream(BigCommerceStream):
    name = "channels"
    path = "/v3/channels"
    required_scope = "store_channel_settings"
    replication_key = "date_modified"
    # The endpoint filters on date_modified but documents no sort: read in its own order;
    # the bookmark moves once the whole set has been read.
    since_param = "date_modified:min"
    is_sorted = False


class SitesStream(BigCommerceStream):
    """Full table: the endpoint has no time filter."""

    name = "sites"
    path = "/v3/sites"
    required_scope = "store_sites"


STREAMS: list[type[BigCommerceStream]] = [ChannelsStream, SitesStream]
