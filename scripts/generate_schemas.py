"""Generate ``tap_bigcommerce/schemas/<stream>.json`` from BigCommerce's OpenAPI files.

Usage: ``python scripts/generate_schemas.py [--spec-dir DIR] [--out DIR]``
(defaults: ``../shared/openapi`` relative to the repository root, and the tap's schema folder).

For every stream, ``SOURCES`` names the spec file, the list operation and a pointer into the
operation's (reduced) 2xx response schema to the schema of one record. The schema is reduced to
types, formats and enums (see ``openapi_reduce``) and normalised to what the tap emits:
``store_hash`` added, every field nullable, every timestamp an ISO 8601 ``date-time`` string,
v2 money strings numbers, keys required. Output is sorted and stable, so re-running it on the
same files gives byte-identical schemas.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_reduce import Reducer, Schema, SpecError, resolve_pointer

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC_DIR = REPO_ROOT.parent / "shared" / "openapi"
DEFAULT_OUT_DIR = REPO_ROOT / "tap_bigcommerce" / "schemas"

V3_ITEM = "properties/data/items"  # v3 list: {"data": [...], "meta": {...}}
V2_ITEM = "items"  # v2 list: a bare JSON array
LINE_ITEMS = "items/properties/consignments/properties/shipping/items/properties/line_items/items"
SHIPPING_CONSIGNMENT = "items/properties/consignments/properties/shipping/items"


@dataclass(frozen=True)
class Source:
    """Where one stream's record schema lives and what the tap adds to each record."""

    spec: str
    path: str
    pointer: str
    keys: tuple[str, ...] = ("id",)
    replication_key: str | None = None
    method: str = "get"
    # Fields the tap adds to each record (parent ids of children read through a parent).
    added: tuple[tuple[str, str], ...] = ()
    # A nested list the tap turns into one record per item, the item's fields joining the
    # record's other fields (which the list replaces).
    explode: str | None = None
    # Nested objects whose fields the tap lifts to the top level (and then drops).
    lift: tuple[str, ...] = ()
    # Fields the tap removes (e.g. nested lists emitted as their own stream).
    drop: tuple[str, ...] = ()


CATALOG = "catalog/products_catalog.v3.yml"
PRODUCTS = "/catalog/products"
PRODUCT_ITEM = V3_ITEM + "/properties/{}/items"
ORDERS = "orders.v2.oas2.yml"

SOURCES: dict[str, Source] = {
    # Catalog ---------------------------------------------------------------------------------
    "products": Source(
        CATALOG,
        PRODUCTS,
        V3_ITEM,
        replication_key="date_modified",
        drop=("bulk_pricing_rules", "custom_fields", "images", "modifiers", "options", "variants"),
    ),
    # Variants arrive through the product list's include=variants; the list response schema
    # leaves them out, so their schema is taken from the product variants endpoint.
    "product_variants": Source(
        "catalog/product-variants_catalog.v3.yml",
        "/catalog/products/{product_id}/variants",
        V3_ITEM,
    ),
    "product_images": Source(CATALOG, PRODUCTS, PRODUCT_ITEM.format("images")),
    "product_custom_fields": Source(
        CATALOG, PRODUCTS, PRODUCT_ITEM.format("custom_fields"), added=(("product_id", "integer"),)
    ),
    "product_bulk_pricing_rules": Source(
        CATALOG,
        PRODUCTS,
        PRODUCT_ITEM.format("bulk_pricing_rules"),
        added=(("product_id", "integer"),),
    ),
    # Options and modifiers are read per product (the list caps include=options pages).
    "product_options": Source(
        "catalog/product-variant-options_catalog.v3.yml",
        "/catalog/products/{product_id}/options",
        V3_ITEM,
    ),
    "product_modifiers": Source(
        "catalog/product-modifiers_catalog.v3.yml",
        "/catalog/products/{product_id}/modifiers",
        V3_ITEM,
    ),
    "categories": Source("catalog/categories_catalog.v3.yml", "/catalog/categories", V3_ITEM),
    "category_trees": Source("catalog/category-trees_catalog.v3.yml", "/catalog/trees", V3_ITEM),
    "brands": Source("catalog/brands_catalog.v3.yml", "/catalog/brands", V3_ITEM),
    # Customers -------------------------------------------------------------------------------
    "customers": Source(
        "customers.v3.yml",
        "/customers",
        V3_ITEM,
        replication_key="date_modified",
        drop=("addresses", "attributes"),
    ),
    "customer_addresses": Source(
        "customers.v3.yml",
        "/customers",
        V3_ITEM + "/properties/addresses/items",
        added=(("customer_id", "integer"),),
    ),
    "customer_groups": Source(
        "customers.v2.yml", "/customer_groups", V2_ITEM, replication_key="date_modified"
    ),
    "customer_attributes": Source(
        "customers.v3.yml", "/customers/attributes", V3_ITEM, replication_key="date_modified"
    ),
    "customer_attribute_values": Source(
        "customers.v3.yml", "/customers/attribute-values", V3_ITEM, replication_key="date_modified"
    ),
    "subscribers": Source(
        "subscribers.v3.yml", "/customers/subscribers", V3_ITEM, replication_key="date_modified"
    ),
    # Orders ----------------------------------------------------------------------------------
    # Included lists are emitted as child streams; the sub-resource links are not data.
    "orders": Source(
        ORDERS,
        "/orders",
        V2_ITEM,
        replication_key="date_modified",
        drop=("consignments", "coupons", "fees", "products", "shipping_addresses"),
    ),
    "order_products": Source(ORDERS, "/orders", LINE_ITEMS, added=(("order_id", "integer"),)),
    "order_shipping_addresses": Source(
        ORDERS,
        "/orders",
        SHIPPING_CONSIGNMENT,
        added=(("order_id", "integer"),),
        drop=("line_items", "shipping_quotes"),
    ),
    "order_coupons": Source(ORDERS, "/orders/{order_id}/coupons", V2_ITEM),
    "order_shipments": Source(ORDERS, "/orders/{order_id}/shipments", V2_ITEM),
    "order_taxes": Source(ORDERS, "/orders/{order_id}/taxes", V2_ITEM),
    "order_fees": Source(ORDERS, "/orders/{order_id}/fees", "", added=(("order_id", "integer"),)),
    "order_messages": Source(ORDERS, "/orders/{order_id}/messages", V2_ITEM),
    "order_transactions": Source(
        "orders.v3.yml",
        "/orders/{order_id}/transactions",
        V3_ITEM,
        added=(("order_id", "integer"),),
    ),
    "refunds": Source(
        "orders.v3.yml", "/orders/payment_actions/refunds", V3_ITEM, replication_key="created"
    ),
    "order_statuses": Source(ORDERS, "/order_statuses", V2_ITEM),
    # Store, channels, currencies -------------------------------------------------------------
    "store_info": Source("store_information.v2.yml", "/store", "", keys=()),
    "currencies": Source("currencies.v2.yml", "/currencies", V2_ITEM),
    "channels": Source("channels.v3.yml", "/channels", V3_ITEM, replication_key="date_modified"),
    "sites": Source("sites.v3.yml", "/sites", V3_ITEM),
    "site_routes": Source(
        "sites.v3.yml", "/sites/{site_id}/routes", V3_ITEM, added=(("site_id", "integer"),)
    ),
    # Pricing ---------------------------------------------------------------------------------
    "price_lists": Source(
        "price_lists.v3.yml", "/pricelists", V3_ITEM, replication_key="date_modified"
    ),
    "price_list_records": Source(
        "price_lists.v3.yml",
        "/pricelists/{price_list_id}/records",
        V3_ITEM,
        keys=("price_list_id", "variant_id", "currency"),
        replication_key="date_modified",
    ),
    "price_list_assignments": Source("price_lists.v3.yml", "/pricelists/assignments", V3_ITEM),
    # Inventory -------------------------------------------------------------------------------
    "locations": Source("locations.v3.yml", "/inventory/locations", V3_ITEM),
    # One record per variant and location: the item's identity with one of its locations.
    "inventory_items": Source(
        "inventory.v3.yml",
        "/inventory/items",
        V3_ITEM,
        keys=("variant_id", "location_id"),
        explode="locations",
        lift=("identity", "settings"),
    ),
    # Marketing -------------------------------------------------------------------------------
    "coupons": Source("marketing.v2.yml", "/coupons", V2_ITEM),
    "promotions": Source("promotions.v3.yml", "/promotions", V3_ITEM),
    "promotion_codes": Source(
        "promotions.v3.yml",
        "/promotions/{promotion_id}/codes",
        V3_ITEM,
        added=(("promotion_id", "integer"),),
    ),
    "gift_certificates": Source("marketing.v2.yml", "/gift_certificates", V2_ITEM),
    "banners": Source("marketing.v2.yml", "/banners", V2_ITEM),
    # Content ---------------------------------------------------------------------------------
    "pages": Source("pages.v3.yml", "/content/pages", V3_ITEM),
    "blog_posts": Source("store_content.v2.yml", "/blog/posts", V2_ITEM),
    # The spec declares a list of lists of tags; the API returns a flat list of tags.
    "blog_tags": Source("store_content.v2.yml", "/blog/tags", "items/items", keys=("tag",)),
    "redirects": Source("redirects.v3.yml", "/storefront/redirects", V3_ITEM),
    # Webhooks --------------------------------------------------------------------------------
    "webhooks": Source("webhooks.v3.yml", "/hooks", V3_ITEM),
}

# Field names that hold a point in time, whatever the spec says about their format: v2 writes
# them as RFC 2822 strings, some v3 resources as Unix seconds. The tap emits them all as ISO.
TIMESTAMP_NAME = re.compile(
    r"^(date_(created|modified|shipped|reviewed|last_imported|from|to)"
    r"|(created|updated)(_at)?|last_updated|expiry_date|purchase_date|expires"
    r"|start_date|end_date|published_date_iso8601)$"
)
# v2 money and measure fields written as decimal strings ("12.3000"); the tap emits them as
# exact decimals. Only strings in v2 files are considered (v3 already uses numbers).
V2_DECIMAL_NAME = re.compile(
    r"^(amount|balance|min_purchase|rate|depth|height|width|weight"
    r"|currency_exchange_rate|store_default_to_transactional_exchange_rate"
    r"|base_(cost|price|total|cost_price|handling_cost|shipping_cost|wrapping_cost)"
    r"|.*_(ex_tax|exc_tax|inc_tax|tax|cost|amount|discount))$"
)
# Fields whose spec enum lists only some of the values the API writes (payment gateways come
# and go): typed, but not restricted to the list, so a new value never fails a load.
OPEN_ENUMS = frozenset({"gateway"})
# Fields the spec types "number or string" whose answers are numbers (the spec's own words for
# bulk pricing amounts); every other mixed scalar union becomes a string column.
NUMERIC_UNIONS = frozenset({"amount"})
# Ids a v2 file types as strings though the API writes numbers (kept as strings otherwise).
V2_STRING_IDS = frozenset({"order_product_id"})

# libyaml's loader when present: the same result, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL = "null"
ANY_VALUE: Schema = {"type": ["array", "boolean", "integer", "number", "object", "string", NULL]}
# Nesting levels described field by field; deeper objects and arrays are typed but opaque.
MAX_DEPTH = 4


def load_spec(spec_dir: Path, name: str) -> Any:
    path = spec_dir / name
    if not path.is_file():
        raise SystemExit(f"spec file not found: {path} (pass --spec-dir)")
    with path.open(encoding="utf-8") as fh:
        # A plain YAML load: a few files carry keywords a strict OpenAPI loader rejects.
        return yaml.load(fh, Loader=SAFE_LOADER)


def response_schema(document: Any, source: Source) -> Any:
    try:
        operation = document["paths"][source.path][source.method]
    except KeyError as exc:
        raise SpecError(f"{source.spec}: no {source.method.upper()} {source.path}") from exc
    reducer = Reducer(document)
    for code in sorted(operation.get("responses", {}), key=str):
        if str(code).startswith("2"):
            response, _ = reducer.deref(operation["responses"][code])
            content = (response or {}).get("content", {})
            for media in sorted(content):
                if "json" in media and "schema" in content[media]:
                    return reducer.reduce(content[media]["schema"])
    raise SpecError(f"{source.spec}: {source.path} has no JSON 2xx response schema")


def record_schema(spec_dir: Path, stream: str, source: Source, cache: dict[str, Any]) -> Schema:
    if source.spec not in cache:
        cache[source.spec] = load_spec(spec_dir, source.spec)
    reduced = response_schema(cache[source.spec], source)
    record = resolve_pointer(reduced, source.pointer) if source.pointer else reduced
    if not isinstance(record, dict) or "properties" not in record:
        raise SpecError(f"{stream}: {source.spec} {source.pointer!r} is not an object schema")
    return normalise(record, source)


def normalise(record: Schema, source: Source) -> Schema:
    is_v2 = ".v2" in source.spec
    props: dict[str, Schema] = dict(record["properties"])
    if source.explode:
        items = props.pop(source.explode, {}).get("items", {})
        for sub_name, sub in items.get("properties", {}).items():
            props.setdefault(sub_name, sub)
    for name in source.lift:
        nested = props.pop(name, {})
        for sub_name, sub in nested.get("properties", {}).items():
            props.setdefault(sub_name, sub)
    for name in source.drop:
        props.pop(name, None)
    for name, json_type in source.added:
        # The tap sets these from the parent record, so their type is the parent's id type.
        props[name] = {"type": [json_type]}
    # A record's own fields always carry a type (the SDK's checks need one at that level).
    out = {name: _field(name, sub, is_v2, 1) or ANY_VALUE for name, sub in props.items()}
    out["store_hash"] = {"type": ["string"]}
    required = ["store_hash", *source.keys]
    for key in source.keys:
        if key not in out:
            raise SpecError(f"key {key!r} missing from the schema of {source.path}")
        out[key] = _not_null(out[key])
    return {
        "type": "object",
        "properties": dict(sorted(out.items())),
        "required": sorted(set(required)),
    }


def _field(name: str, schema: Schema, is_v2: bool, depth: int) -> Schema:
    types = list(schema.get("type", []))
    if not types:
        return {}  # the spec does not say; accept any JSON value
    if depth > MAX_DEPTH and ("object" in types or "array" in types):
        # Deep structures (promotion rule trees) land in a JSON column anyway.
        return {"type": [*types, NULL]}
    if TIMESTAMP_NAME.match(name) or schema.get("format") == "date-time":
        if "object" not in types and "array" not in types:
            return {"type": ["string", NULL], "format": "date-time"}
    out: Schema = {}
    spec_types = list(types)
    if is_v2 and "string" in types and set(types) <= {"string", "number", "integer"}:
        if V2_DECIMAL_NAME.match(name):
            types = ["number"]
        elif name in V2_STRING_IDS:
            types = ["integer"]
    scalars = set(types) - {NULL}
    if len(scalars) > 1 and scalars <= {"string", "number", "integer", "boolean"}:
        # One type per column: a loader cannot type a column "string or number" (DuckDB
        # guesses DOUBLE and fails on the first string). The tap writes such values as text.
        types = ["number"] if name in NUMERIC_UNIONS else ["string"]
    if (name == "id" or name.endswith("_id")) and types == ["number"]:
        types = ["integer"]  # ids are whole numbers, though some files type them as number
    if "object" in types and "properties" in schema:
        out["properties"] = {
            k: _field(k, v, is_v2, depth + 1) for k, v in sorted(schema["properties"].items())
        }
    if "object" in types and "additionalProperties" in schema:
        out["additionalProperties"] = _field("", schema["additionalProperties"], is_v2, depth + 1)
    if "array" in types:
        out["items"] = _field("", schema.get("items", {}), is_v2, depth + 1)
    if "format" in schema and "string" in types:
        out["format"] = schema["format"]
    if "enum" in schema and types == spec_types and name not in OPEN_ENUMS:
        out["enum"] = [*schema["enum"], None]
    out["type"] = [*types, NULL]
    return out


def _not_null(schema: Schema) -> Schema:
    out = dict(schema)
    out["type"] = [t for t in schema.get("type", []) if t != NULL]
    if "enum" in out:
        out["enum"] = [v for v in out["enum"] if v is not None]
    return out


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(spec_dir: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    cache: dict[str, Any] = {}
    written = []
    for stream in sorted(SOURCES):
        target = out_dir / f"{stream}.json"
        target.write_text(render(record_schema(spec_dir, stream, SOURCES[stream], cache)))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec-dir", type=Path, default=DEFAULT_SPEC_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)
    try:
        written = generate(args.spec_dir, args.out)
    except SpecError as exc:
        print(f"generate_schemas: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} schemas to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
