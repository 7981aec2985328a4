"""Marketing streams: coupons, promotions, gift certificates and banners.

None of these endpoints filters on a modification time, so all are full table.
"""

from __future__ import annotations

from typing import ClassVar

from tap_bigcommerce.streams.base import BigCommerceStream, Record
from tap_bigcommerce.streams.webhooks import convert_unix_times

SCOPE = "store_v2_marketing"


class CouponsStream(BigCommerceStream):
    name = "coupons"
    path = "/v2/coupons"
    required_scope = SCOPE


class PromotionsStream(BigCommerceStream):
    name = "promotions"
    path = "/v3/promotions"
    # A stable order (the default is by priority, which a merchant may change mid-sync).
    params: ClassVar = {"sort": "id", "direction": "asc"}
    required_scope = SCOPE


class GiftCertificatesStream(BigCommerceStream):
    name = "gift_certificates"
    path = "/v2/gift_certificates"
    required_scope = SCOPE


class BannersStream(BigCommerceStream):
    name = "banners"
    path = "/v2/banners"
    required_scope = SCOPE
    # A custom banner's display window is written as Unix seconds ("0" when not set).
    unix_time_fields: ClassVar[tuple[str, ...]] = ("date_from", "date_to")

    def normalize(self, record: Record) -> Record:
        return super().normalize(convert_unix_times(record, self.unix_time_fields))


STREAMS: list[type[BigCommerceStream]] = [
    CouponsStream,
    PromotionsStream,
    GiftCertificatesStream,
    BannersStream,
]
