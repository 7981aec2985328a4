"""Channel streams: sales channels, their storefront sites and the sites' routes."""

from __future__ import annotations

from tap_bigcommerce.streams.base import (
    BigCommerceStream,
    ChildStream,
    UnsortedIncrementalStream,
)


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
