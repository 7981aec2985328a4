"""The freeze point of a parallel read never lies behind what was already emitted in order.

The store's clock is read with a second's margin, while the first page may hold a record
stamped this very second. A freeze point behind that record would start the final sweep
below the bookmark, and the SDK stops the run on unsorted data (seen once in the fault suite).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from tap_bigcommerce.auth.base import StaticTokenAuthenticator
from tap_bigcommerce.client.http import BigCommerceClient
from tap_bigcommerce.streams.customers import CustomersStream
from tap_bigcommerce.streams.paging import KeysetReader, ListEndpoint
from tests.emulator_process import Emulator


def test_sorted_output_never_goes_back_when_the_clock_lags(emulator: Emulator) -> None:
    customers = emulator.collection("customers")
    assert len(customers) > 20
    # The previous run's bookmark is `now`, a second the store is still in: ten customers
    # were changed a second earlier (already emitted then), the rest in this second.
    now = datetime.now(UTC).replace(microsecond=0)
    for i, rec in enumerate(customers):
        stamp = now - timedelta(seconds=1) if i < 10 else now
        emulator.control(
            "PATCH",
            f"/stores/{emulator.store_hash}/collections/customers/{rec['id']}",
            json={"date_modified": stamp.isoformat()},
        )
    newer = {int(r["id"]) for r in customers[10:]}
    client = BigCommerceClient(
        api_url=emulator.base_url,
        authenticator=StaticTokenAuthenticator(emulator.store_hash, emulator.token),
    )
    assert CustomersStream.keyset is not None
    with ThreadPoolExecutor(4) as pool:
        reader = KeysetReader(
            ListEndpoint(client, "/v3/customers"),
            CustomersStream.keyset,
            page_size=2,
            executor=pool,
            concurrency=4,
            keyset_max_pages=1,
            # The store's clock as the client reads it: up to a second behind.
            now=lambda: datetime.now(UTC) - timedelta(seconds=2),
        )
        bookmark = now.isoformat()
        seen: set[int] = set()
        for records, progress in reader.read(now):
            seen.update(int(r["id"]) for r in records)
            if progress.settle_at is not None:
                bookmark = max(bookmark, progress.settle_at)
            if progress.sorted:
                for r in records:
                    assert r["date_modified"] >= bookmark, (r["date_modified"], bookmark)
                    bookmark = r["date_modified"]
    client.close()
    assert seen == newer
