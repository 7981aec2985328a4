"""The committed stream schemas are exactly what scripts/generate_schemas.py makes of the specs."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
SCHEMA_DIR = REPO / "tap_bigcommerce" / "schemas"
SPEC_DIR = REPO.parent / "shared" / "openapi"

sys.path.insert(0, str(SCRIPTS))
generate_schemas: Any = importlib.import_module("generate_schemas")
SOURCES: dict[str, Any] = generate_schemas.SOURCES


def _strings(node: Any) -> Iterator[str]:
    """Every string in a JSON document, keys included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _prose(node: Any) -> Iterator[str]:
    """The human-written texts of a spec: descriptions, titles and summaries."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "title", "summary") and isinstance(value, str):
                yield value.strip()
            else:
                yield from _prose(value)
    elif isinstance(node, list):
        for value in node:
            yield from _prose(value)


@pytest.fixture(scope="module")
def committed() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(SCHEMA_DIR.glob("*.json"))}


def test_regenerating_gives_the_committed_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "generate_schemas.py"), "--spec-dir", str(SPEC_DIR)]
        + ["--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = {p.name: p.read_bytes() for p in sorted(tmp_path.glob("*.json"))}
    committed = {p.name: p.read_bytes() for p in sorted(SCHEMA_DIR.glob("*.json"))}
    assert sorted(fresh) == sorted(committed)
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"run `make schemas` and commit: {stale}"


def test_every_planned_stream_has_a_schema(committed: dict[str, dict[str, Any]]) -> None:
    assert set(committed) == set(SOURCES)
    # The plan's streams (issue 3 and the stream table) are all covered.
    planned = {
        "store_info", "channels", "sites", "currencies", "categories", "category_trees",
        "brands", "products", "product_variants", "product_images", "product_custom_fields",
        "product_options", "product_modifiers", "product_bulk_pricing_rules", "customers",
        "customer_addresses", "customer_groups", "customer_attributes",
        "customer_attribute_values", "subscribers", "orders", "order_products",
        "order_shipping_addresses", "order_coupons", "order_shipments", "order_taxes",
        "order_fees", "order_messages", "order_transactions", "refunds", "order_statuses",
        "price_lists", "price_list_records", "price_list_assignments", "locations",
        "inventory_items", "coupons", "promotions", "gift_certificates", "pages", "blog_posts",
        "redirects", "webhooks",
    }  # fmt: skip
    assert planned <= set(committed)


@pytest.mark.parametrize("stream", sorted(SOURCES))
def test_keys_and_replication_key_are_in_the_schema(
    stream: str, committed: dict[str, dict[str, Any]]
) -> None:
    schema = committed[stream]
    source = SOURCES[stream]
    props = schema["properties"]
    assert props["store_hash"] == {"type": ["string"]}
    assert "store_hash" in schema["required"]
    for key in source.keys:
        assert key in props, f"{stream}: key {key} missing"
        assert key in schema["required"]
        assert "null" not in props[key]["type"], f"{stream}: key {key} is nullable"
    if source.replication_key:
        rk = props[source.replication_key]
        assert rk == {"type": ["string", "null"], "format": "date-time"}
    for name, json_type in source.added:
        assert props[name]["type"] == [json_type, "null"], f"{stream}: parent key {name}"


def test_children_carry_their_parent_key(committed: dict[str, dict[str, Any]]) -> None:
    parents = {
        "product_id": ["product_variants", "product_images", "product_custom_fields",
                       "product_bulk_pricing_rules", "product_options", "product_modifiers"],
        "customer_id": ["customer_addresses"],
        "order_id": ["order_products", "order_shipping_addresses", "order_coupons",
                     "order_shipments", "order_taxes", "order_fees", "order_messages",
                     "order_transactions"],
        "price_list_id": ["price_list_records"],
    }  # fmt: skip
    for key, streams in parents.items():
        for stream in streams:
            assert "integer" in committed[stream]["properties"][key]["type"], (stream, key)


def test_normalisation(committed: dict[str, dict[str, Any]]) -> None:
    def walk(node: dict[str, Any], where: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for name, sub in node.get("properties", {}).items():
            yield where, name, sub
            yield from walk(sub, f"{where}.{name}")
        if "items" in node:
            yield from walk(node["items"], f"{where}[]")

    for stream, schema in committed.items():
        untyped = [n for n, p in schema["properties"].items() if not p.get("type")]
        assert untyped == [], f"{stream}: top-level fields without a type: {untyped}"
        keys = set(SOURCES[stream].keys) | {"store_hash"}
        for where, name, sub in walk(schema, stream):
            if where == stream and name in keys or sub == {}:
                continue
            assert "null" in sub["type"], f"{where}.{name} is not nullable"
            if "enum" in sub:
                assert None in sub["enum"], f"{where}.{name}: enum without null"
            if name in ("date_created", "date_modified", "created_at", "updated_at"):
                assert sub == {"type": ["string", "null"], "format": "date-time"}, where
            if name == "id" or name.endswith("_id"):
                # A provider's id may be a string; a numeric id is never a float.
                assert sub["type"] != ["number", "null"], f"{where}.{name}: id typed number"
    # v2 decimal strings and RFC 2822 dates are typed as what the tap emits.
    orders = committed["orders"]["properties"]
    assert orders["total_inc_tax"]["type"] == ["number", "null"]
    assert orders["date_created"]["format"] == "date-time"
    assert committed["coupons"]["properties"]["amount"]["type"] == ["number", "null"]
    assert committed["gift_certificates"]["properties"]["balance"]["type"] == ["number", "null"]
    assert committed["currencies"]["properties"]["currency_exchange_rate"]["type"] == [
        "number",
        "null",
    ]
    assert committed["webhooks"]["properties"]["created_at"]["format"] == "date-time"
    assert committed["order_transactions"]["properties"]["order_id"]["type"] == [
        "integer",
        "null",
    ]
    # Enums survive.
    assert "per_item_discount" in committed["coupons"]["properties"]["type"]["enum"]


def test_no_text_from_the_specs_leaks(committed: dict[str, dict[str, Any]]) -> None:
    prose: set[str] = set()
    for spec in sorted(SPEC_DIR.rglob("*.yml")):
        document = yaml.load(spec.read_text(), Loader=generate_schemas.SAFE_LOADER)
        prose.update(t for t in _prose(document) if t)
    assert len(prose) > 1000  # the walk found the specs' texts
    allowed = {name for schema in committed.values() for name in _strings(schema)}
    for stream, schema in committed.items():
        strings = set(_strings(schema))
        # A one-word title such as "id" may equal a field name; anything longer is prose.
        leaked = {s for s in strings & prose if " " in s}
        assert leaked == set(), f"{stream}: {sorted(leaked)[:3]}"
        text = (SCHEMA_DIR / f"{stream}.json").read_text()
        long_prose = [p for p in prose if len(p) >= 40 and p in text]
        assert long_prose == [], f"{stream}: {long_prose[:2]}"
    for forbidden in ("description", "title", "example", "examples", "summary"):
        holders = [s for s, schema in committed.items() if forbidden in _keywords(schema)]
        assert holders == [], f"keyword {forbidden!r} in {holders}"
    assert allowed  # sanity: schemas hold strings at all


def _keywords(node: Any) -> set[str]:
    """JSON Schema keywords used (property names excluded)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    found |= _keywords(sub)
            else:
                found.add(key)
                found |= _keywords(value)
    elif isinstance(node, list):
        for value in node:
            found |= _keywords(value)
    return found


def test_every_registered_stream_has_a_schema_with_its_keys(
    committed: dict[str, dict[str, Any]],
) -> None:
    from tap_bigcommerce.streams import STREAM_TYPES

    # ``name`` is set on every stream class; the SDK types it as an instance attribute.
    named = {str(vars(stream)["name"]): stream for stream in STREAM_TYPES}
    assert len(named) == len(STREAM_TYPES)
    assert set(named) == set(committed), sorted(set(named) ^ set(committed))
    for name, stream in named.items():
        schema = committed[name]
        keys = list(stream.primary_keys or [])
        assert keys[:1] == ["store_hash"], name
        # The schema's required keys are the stream's key (what the generator was told).
        assert ["store_hash", *SOURCES[name].keys] == keys, name
        for key in keys:
            assert key in schema["required"], (name, key)
        # A class without one still carries the SDK's property object.
        replication_key = stream.replication_key
        if isinstance(replication_key, str):
            rk = schema["properties"][replication_key]
            assert rk.get("format") == "date-time", (name, replication_key)
