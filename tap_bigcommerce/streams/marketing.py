"""Marketing streams: coupons, promotions and their codes, gift certificates and banners.

None of these endpoints filters on a modification time, so all are full table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream, Record
from tap_bigcommerce.streams.paging import ListEndpoint, offset_pages
from tap_bigcommerce.streams.webhooks import convert_unix_times

SCOPE = "store_v2_marketing"
PROMOTIONS = "/v3/promotions"


class CouponsStream(BigCommerceStream):
    name = "coupons"
    path = "/v2/coupons"
    count_path = "/v2/coupons/count"
    required_scope = SCOPE


class PromotionsStream(BigCommerceStream):
    name = "promotions"
    path = PROMOTIONS
    # A stable order (the default is by priority, which a merchant may change mid-sync).
    params: ClassVar = {"sort": "id", "direction": "asc"}
    required_scope = SCOPE


class PromotionCodesStream(BigCommerceStream):
    """The codes of every coupon promotion.

    One request lists the coupon promotions (``redemption_type=COUPON``: automatic ones
    have no codes), then one per 250 codes of each, following the endpoint's cursor.
    """

    name = "promotion_codes"
    path = PROMOTIONS + "/{promotion_id}/codes"
    required_scope = SCOPE

    def coupon_promotion_ids(self) -> list[int]:
        coupons = ListEndpoint(self._bc_tap.client, PROMOTIONS, {"redemption_type": "COUPON"})
        pages = offset_pages(coupons, self.page_size, self._bc_tap.executor, 2 * self.concurrency)
        return sorted({int(r["id"]) for page in pages for r in page})

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        for promotion_id in self.coupon_promotion_ids():
            yield from self.codes(promotion_id)

    def codes(self, promotion_id: int) -> Iterator[list[Record]]:
        path = self.path.replace("{promotion_id}", str(promotion_id))
        for page in cursor_or_page_numbers(
            lambda params: self._bc_tap.client.get_json(path, params), self.page_size
        ):
            yield [self.normalize({**r, "promotion_id": promotion_id}) for r in page]


def cursor_or_page_numbers(
    fetch: Callable[[dict[str, Any]], Any], limit: int
) -> Iterator[list[Record]]:
    """Pages of a v3 list that may answer with a cursor (``meta.cursor_pagination``, then
    ``after=end_cursor``) or with page numbers (``meta.pagination``, then ``page=n+1``)."""
    params: dict[str, Any] = {"limit": limit}
    while True:
        body = fetch(params)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list) or not data:
            return
        yield data
        meta = body.get("meta") or {}
        cursor = meta.get("cursor_pagination")
        pagination = meta.get("pagination")
        if isinstance(cursor, dict):
            end = cursor.get("end_cursor")
            if not (cursor.get("links") or {}).get("next") or not end:
                return
            if end == params.get("after"):
                raise RuntimeError(f"the cursor did not advance past {end!r}")
            params = {"limit": limit, "after": end}
        elif isinstance(pagination, dict):
            page = int(pagination.get("current_page") or 1)
            if page >= int(pagination.get("total_pages") or 1):
                return
            params = {"limit": limit, "page": page + 1}
        else:
            return


class GiftCertificatesStream(BigCommerceStream):
    name = "gift_certificates"
    path = "/v2/gift_certificates"
    required_scope = SCOPE


class BannersStream(BigCommerceStream):
    name = "banners"
    path = "/v2/banners"
    count_path = "/v2/banners/count"
    required_scope = SCOPE
    # A custom banner's display window is written as Unix seconds ("0" when not set).
    unix_time_fields: ClassVar[tuple[str, ...]] = ("date_from", "date_to")

    def normalize(self, record: Record) -> Record:
        return super().normalize(convert_unix_times(record, self.unix_time_fields))


STREAMS: list[type[BigCommerceStream]] = [
    CouponsStream,
    PromotionsStream,
    PromotionCodesStream,
    GiftCertificatesStream,
    BannersStream,
]
