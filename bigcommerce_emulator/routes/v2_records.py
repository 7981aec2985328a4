"""Handlers' shared work for single v2 records (coupons, gift certificates, banners, blog
posts): the 404 for a missing one, PUT, DELETE one, and DELETE of the whole collection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from bigcommerce_emulator.paging import json_response
from bigcommerce_emulator.render import render_v2
from bigcommerce_emulator.routing import int_param, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store

# Given the store, the request body and the record being changed, the fields to write.
ChangesOf = Callable[[Store, Any, Record], dict[str, Any]]


def v2_record_or_404(store: Store, name: str, record_id: int) -> Record:
    return record_or_404(store.collection(name), record_id, "The requested resource was not found")


async def update_v2_record(
    request: web.Request, name: str, id_param: str, changes_of: ChangesOf
) -> web.Response:
    """PUT on one v2 record: 404 if it is missing, else the record as changed."""
    store = store_of(request)
    rec = v2_record_or_404(store, name, int_param(request, id_param))
    changes = changes_of(store, await request.json(), rec)
    return json_response(render_v2(store.collection(name).update(rec["id"], changes)))


def delete_v2_record(request: web.Request, name: str, id_param: str) -> web.Response:
    """DELETE on one v2 record: 404 if it is missing, else 204."""
    store = store_of(request)
    store.collection(name).delete(v2_record_or_404(store, name, int_param(request, id_param))["id"])
    return web.Response(status=204)


def delete_all_v2_records(request: web.Request, name: str) -> web.Response:
    """DELETE on a whole v2 collection, which always answers 204."""
    col = store_of(request).collection(name)
    for rid in [r["id"] for r in col]:
        col.delete(rid)
    return web.Response(status=204)
