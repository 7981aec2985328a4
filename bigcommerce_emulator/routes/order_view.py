"""How v2 orders and their children are written: RFC 2822 dates, money strings, and the
``{url, resource}`` links to sub-resources that the real API puts on every order."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aiohttp import web

from bigcommerce_emulator.generator.orders import (
    ADDRESS_DEFAULTS,
    ORDER_DEFAULTS,
    PRODUCT_DEFAULTS,
    STATUS_NAMES,
)
from bigcommerce_emulator.render import PLAIN, render_v2, render_v3, v2_money
from bigcommerce_emulator.store import Record, Store

# Fields of a line item, in the real API's order; the item schema allows no others.
PRODUCT_KEYS = (
    "id",
    "order_id",
    "product_id",
    "variant_id",
    "order_pickup_method_id",
    "order_address_id",
    "name",
    "name_customer",
    "name_merchant",
    "sku",
    "upc",
    "type",
    "base_price",
    "price_ex_tax",
    "price_inc_tax",
    "price_tax",
    "base_total",
    "total_ex_tax",
    "total_inc_tax",
    "total_tax",
    "weight",
    "width",
    "height",
    "depth",
    "quantity",
    "base_cost_price",
    "cost_price_inc_tax",
    "cost_price_ex_tax",
    "cost_price_tax",
    "is_refunded",
    "quantity_refunded",
    "refund_amount",
    "return_id",
    "wrapping_id",
    "wrapping_name",
    "base_wrapping_cost",
    "wrapping_cost_ex_tax",
    "wrapping_cost_inc_tax",
    "wrapping_cost_tax",
    "wrapping_message",
    "quantity_shipped",
    "event_name",
    "event_date",
    "fixed_shipping_cost",
    "ebay_item_id",
    "ebay_transaction_id",
    "option_set_id",
    "parent_order_product_id",
    "is_bundled_product",
    "bin_picking_number",
    "external_id",
    "brand",
    "applied_discounts",
    "product_options",
    "configurable_fields",
    "gift_certificate_id",
    "discounted_total_inc_tax",
)


def v2(obj: Any) -> Any:
    """``render_v2`` with the common cases first: a page of orders holds ~70,000 values."""
    t = type(obj)
    if t in PLAIN:
        return obj
    if t is Decimal:
        return v2_money(obj)
    if t is dict:
        # Money inline: one call less for each of an order's ~40 amounts.
        return {
            k: (v if (vt := type(v)) in PLAIN else v2_money(v) if vt is Decimal else v2(v))
            for k, v in obj.items()
            if k[:1] != "_"
        }
    if t is list:
        return [v if type(v) in PLAIN else v2(v) for v in obj]
    return render_v2(obj)


def _prerendered(defaults: dict[str, Any], render: Callable[[Any], Any]) -> dict[str, Any]:
    """Defaults as they are written, rendered once: most of a line item's fields are defaults.

    Only immutable results are kept; a list or dict default is rendered afresh each time so
    that no two answers share a mutable value.
    """
    out = {}
    for k, v in defaults.items():
        r = render(v)
        if type(r) in PLAIN:
            out[k] = r
    return out


_ORDER_DEFAULTS_V2 = _prerendered(ORDER_DEFAULTS, v2)
_ADDRESS_DEFAULTS_V3 = _prerendered(ADDRESS_DEFAULTS, render_v3)
# A line item starts as its defaults (None where there is none), in the API's field order.
_PRODUCT_PLAIN_DEFAULTS = _prerendered(PRODUCT_DEFAULTS, v2)
_PRODUCT_TEMPLATE = {k: _PRODUCT_PLAIN_DEFAULTS.get(k) for k in PRODUCT_KEYS}
_PRODUCT_FRESH = tuple(
    k for k in PRODUCT_KEYS if k in PRODUCT_DEFAULTS and k not in _PRODUCT_PLAIN_DEFAULTS
)
_PRODUCT_KEYSET = frozenset(PRODUCT_KEYS)


def _with_defaults(
    out: dict[str, Any],
    rec: Record,
    defaults: dict[str, Any],
    rendered: dict[str, Any],
    render: Callable[[Any], Any],
) -> dict[str, Any]:
    """``render({**rec, **defaults missing from rec})`` with the defaults rendered once.

    ``out`` is ``rec`` rendered; the missing defaults follow it in their own order.
    """
    for k, v in defaults.items():
        if k not in rec:
            r = rendered.get(k, _MISSING)
            out[k] = render(v) if r is _MISSING else r
    return out


_MISSING = object()


def api_base(request: web.Request) -> str:
    """The v2 base URL of this store as the client reached it (kept: each order has 5 links)."""
    base: str | None = request.get("v2_api_base")
    if base is None:
        store_hash = request.match_info["store_hash"]
        base = request["v2_api_base"] = f"{request.scheme}://{request.host}/stores/{store_hash}/v2"
    return base


def link(request: web.Request, resource: str) -> dict[str, str]:
    return {"url": api_base(request) + resource, "resource": resource}


def render_product(rec: Record) -> dict[str, Any]:
    # Same as {k: v2({**PRODUCT_DEFAULTS, **rec}.get(k)) for k in PRODUCT_KEYS}, but only
    # the record's own fields are rendered per call.
    out = _PRODUCT_TEMPLATE.copy()
    keys = _PRODUCT_KEYSET
    for k, v in rec.items():
        if k in keys:
            t = type(v)
            out[k] = v if t in PLAIN else v2_money(v) if t is Decimal else v2(v)
    for k in _PRODUCT_FRESH:
        if k not in rec:
            out[k] = v2(PRODUCT_DEFAULTS[k])
    return out


def render_fee(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v2(rec)
    out.pop("order_id", None)
    return out


def render_shipping_address(request: web.Request, rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v2(
        {**rec, **{k: v for k, v in ADDRESS_DEFAULTS.items() if k not in rec}}
    )
    out["shipping_quotes"] = link(
        request, f"/orders/{rec['order_id']}/shipping_addresses/{rec['id']}/shipping_quotes"
    )
    return out


def consignments(
    request: web.Request, store: Store, order: Record, line_items: bool
) -> dict[str, Any]:
    """The object structure of ``/orders/{id}/consignments`` (``consignment_structure=object``)."""
    oid = order["id"]
    products = store.collection("order_products").where("order_id", oid)
    shipping = []
    for addr in store.collection("order_shipping_addresses").where("order_id", oid):
        mine = [p for p in products if p.get("order_address_id") == addr["id"]]
        # Unlike /shipping_addresses, consignments write their money as JSON numbers.
        entry = _with_defaults(
            render_v3(addr), addr, ADDRESS_DEFAULTS, _ADDRESS_DEFAULTS_V3, render_v3
        )
        entry.pop("order_id", None)
        entry["shipping_quotes"] = link(
            request, f"/orders/{oid}/consignments/shipping/{addr['id']}/shipping_quotes"
        )
        entry["line_items"] = (
            [render_product(p) for p in mine]
            if line_items
            else [link(request, f"/orders/{oid}/products/{p['id']}") for p in mine]
        )
        shipping.append(entry)
    return {
        "pickups": [],
        "shipping": shipping,
        "downloads": [],
        "email": {"gift_certificates": []},
    }


def render_order(
    request: web.Request, store: Store, rec: Record, includes: set[str] | None = None
) -> dict[str, Any]:
    includes = includes or set()
    out = _with_defaults(v2(rec), rec, ORDER_DEFAULTS, _ORDER_DEFAULTS_V2, v2)
    out["status"] = STATUS_NAMES.get(rec["status_id"], "Unknown")
    oid = rec["id"]
    out["products"] = link(request, f"/orders/{oid}/products")
    out["shipping_addresses"] = link(request, f"/orders/{oid}/shipping_addresses")
    out["coupons"] = link(request, f"/orders/{oid}/coupons")
    if "consignments" in includes or "consignments.line_items" in includes:
        out["consignments"] = consignments(
            request, store, rec, "consignments.line_items" in includes
        )
    else:
        out["consignments"] = link(request, f"/orders/{oid}/consignments")
    if "fees" in includes:
        out["fees"] = [render_fee(f) for f in store.collection("order_fees").where("order_id", oid)]
    else:
        out["fees"] = link(request, f"/orders/{oid}/fees")
    return out
