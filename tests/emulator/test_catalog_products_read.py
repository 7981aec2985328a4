"""GET /v3/catalog/products over HTTP: paging envelope, filters, sorts, includes, and field
selection, against the shared small store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.emulator_process import Emulator


def _get(emu: Emulator, path: str, **params: Any) -> dict[str, Any]:
    r = emu.api("GET", path, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _all_products(emu: Emulator) -> list[dict[str, Any]]:
    return _get(emu, "/v3/catalog/products", limit=250)["data"]


def test_default_page_is_fifty_in_id_order_with_links(shared_emulator: Emulator) -> None:
    body = _get(shared_emulator, "/v3/catalog/products", limit=15)
    page = body["meta"]["pagination"]
    total = len(_all_products(shared_emulator))
    assert page["total"] == total and page["per_page"] == 15 and page["count"] == 15
    assert page["total_pages"] == -(-total // 15)
    assert page["links"]["current"] == "?page=1&limit=15"
    assert page["links"]["next"] == "?page=2&limit=15"
    assert "previous" not in page["links"]
    ids = [p["id"] for p in body["data"]]
    assert ids == sorted(ids)
    last = _get(shared_emulator, "/v3/catalog/products", limit=15, page=page["total_pages"])
    assert "next" not in last["meta"]["pagination"]["links"]
    assert last["meta"]["pagination"]["links"]["previous"].startswith("?page=")
    assert _get(shared_emulator, "/v3/catalog/products")["meta"]["pagination"]["per_page"] == 50


def test_options_or_modifiers_include_limits_pages_to_ten(shared_emulator: Emulator) -> None:
    body = _get(shared_emulator, "/v3/catalog/products", include="options", limit=250)
    assert body["meta"]["pagination"]["per_page"] == 10
    assert len(body["data"]) == 10


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"id:min": "5", "id:max": "9"}, lambda p: 5 <= p["id"] <= 9),
        ({"id:greater": "5", "id:less": "9"}, lambda p: 5 < p["id"] < 9),
        ({"id:not_in": "1,2,3"}, lambda p: p["id"] not in (1, 2, 3)),
        ({"price:min": "50", "price:max": "200"}, lambda p: 50 <= p["price"] <= 200),
        ({"is_visible": "false"}, lambda p: p["is_visible"] is False),
        ({"is_featured": "1"}, lambda p: p["is_featured"] is True),
        ({"condition": "new"}, lambda p: p["condition"] == "New"),
        ({"type": "physical"}, lambda p: p["type"] == "physical"),
        ({"inventory_level:max": "100"}, lambda p: p["inventory_level"] <= 100),
        (
            {"date_modified:min": "2025-06-01T00:00:00Z"},
            lambda p: p["date_modified"] >= "2025-06-01",
        ),
        ({"keyword": "table"}, lambda p: "table" in (p["name"] + p["description"]).lower()),
    ],
)
def test_filters_select_exactly_the_matching_products(
    shared_emulator: Emulator, params: dict[str, str], check: Any
) -> None:
    everything = _all_products(shared_emulator)
    got = _get(shared_emulator, "/v3/catalog/products", limit=250, **params)["data"]
    expected = [p["id"] for p in everything if check(p)]
    assert [p["id"] for p in got] == expected
    assert got, f"the seeded store should have products matching {params}"


def test_lookup_filters_by_id_sku_name_brand_and_category(shared_emulator: Emulator) -> None:
    everything = _all_products(shared_emulator)
    a, b, c = everything[3], everything[7], everything[11]
    got = _get(shared_emulator, "/v3/catalog/products", **{"id:in": f"{c['id']},{a['id']}"})
    assert [p["id"] for p in got["data"]] == [a["id"], c["id"]]
    got = _get(shared_emulator, "/v3/catalog/products", **{"sku:in": f"{a['sku']},{b['sku']},nope"})
    assert [p["sku"] for p in got["data"]] == [a["sku"], b["sku"]]
    assert _get(shared_emulator, "/v3/catalog/products", sku=b["sku"])["data"][0]["id"] == b["id"]
    assert _get(shared_emulator, "/v3/catalog/products", name=c["name"])["data"][0]["id"] == c["id"]
    branded = next(p for p in everything if p["brand_id"])
    got = _get(shared_emulator, "/v3/catalog/products", limit=250, brand_id=branded["brand_id"])
    assert {p["brand_id"] for p in got["data"]} == {branded["brand_id"]}
    cat = a["categories"][0]
    got = _get(shared_emulator, "/v3/catalog/products", limit=250, **{"categories:in": str(cat)})
    assert [p["id"] for p in got["data"]] == [p["id"] for p in everything if cat in p["categories"]]
    got = _get(
        shared_emulator, "/v3/catalog/products", limit=250, **{"categories:not_in": str(cat)}
    )
    assert [p["id"] for p in got["data"]] == [
        p["id"] for p in everything if cat not in p["categories"]
    ]


@pytest.mark.parametrize("field", ["name", "sku", "price", "inventory_level", "total_sold"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sorts_order_by_the_field(shared_emulator: Emulator, field: str, direction: str) -> None:
    got = _get(shared_emulator, "/v3/catalog/products", limit=250, sort=field, direction=direction)
    values = [p[field] for p in got["data"]]
    assert values == sorted(values, reverse=direction == "desc")
    assert len(values) == len(_all_products(shared_emulator))


def test_date_modified_sort_with_a_window(shared_emulator: Emulator) -> None:
    params = {"sort": "date_modified", "date_modified:min": "2024-01-01T00:00:00+00:00"}
    got = _get(shared_emulator, "/v3/catalog/products", limit=250, **params)["data"]
    stamps = [datetime.fromisoformat(p["date_modified"]) for p in got]
    assert stamps == sorted(stamps)
    assert all(s.year >= 2024 for s in stamps)
    desc = _get(shared_emulator, "/v3/catalog/products", limit=250, direction="desc", **params)
    assert [p["id"] for p in desc["data"]] == [p["id"] for p in got][::-1]


def test_includes_match_the_sub_resource_endpoints(shared_emulator: Emulator) -> None:
    include = "variants,images,custom_fields,bulk_pricing_rules,primary_image,modifiers,options"
    product = _get(shared_emulator, "/v3/catalog/products/1", include=include)["data"]
    for key, path in [
        ("variants", "variants"),
        ("images", "images"),
        ("custom_fields", "custom-fields"),
        ("bulk_pricing_rules", "bulk-pricing-rules"),
        ("modifiers", "modifiers"),
        ("options", "options"),
    ]:
        listed = _get(shared_emulator, f"/v3/catalog/products/1/{path}")["data"]
        assert product[key] == listed, key
        assert listed, f"product 1 should have {key}"
    assert "product_id" not in product["custom_fields"][0]
    assert product["primary_image"]["id"] == next(
        i["id"] for i in product["images"] if i["is_thumbnail"]
    )
    variants = product["variants"]
    assert len({v["sku"] for v in variants}) == len(variants) == 3
    assert product["inventory_level"] == sum(v["inventory_level"] for v in variants)
    option_ids = {o["id"] for o in product["options"]}
    assert all(ov["option_id"] in option_ids for v in variants for ov in v["option_values"])
    plain = _get(shared_emulator, "/v3/catalog/products/1")["data"]
    assert "variants" not in plain and "images" not in plain


def test_include_and_exclude_fields(shared_emulator: Emulator) -> None:
    got = _get(
        shared_emulator,
        "/v3/catalog/products",
        limit=3,
        include="variants",
        include_fields="name,price",
    )["data"]
    always = {"gift_wrapping_options_type", "gift_wrapping_options_list"}
    assert all(set(p) == {"id", "name", "price", "variants", *always} for p in got)
    got = _get(shared_emulator, "/v3/catalog/products", limit=3, exclude_fields="description,id")
    assert all("description" not in p and "id" in p for p in got["data"])


def test_unknown_product_is_404_and_bad_include_is_422(shared_emulator: Emulator) -> None:
    r = shared_emulator.api("GET", "/v3/catalog/products/999999")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = shared_emulator.api("GET", "/v3/catalog/products", params={"include": "nonsense"})
    assert r.status_code == 422 and "include" in r.json()["errors"]


def test_variants_list_lookups(shared_emulator: Emulator) -> None:
    everything = _get(shared_emulator, "/v3/catalog/variants", limit=250)["data"]
    a, b = everything[0], everything[5]
    got = _get(shared_emulator, "/v3/catalog/variants", **{"sku:in": f"{b['sku']},{a['sku']}"})
    assert [v["id"] for v in got["data"]] == [a["id"], b["id"]]
    got = _get(shared_emulator, "/v3/catalog/variants", **{"id:in": f"{b['id']},{a['id']}"})
    assert [v["id"] for v in got["data"]] == [a["id"], b["id"]]
    got = _get(shared_emulator, "/v3/catalog/variants", **{"product_id:in": "2,1"})
    assert {v["product_id"] for v in got["data"]} == {1, 2} and len(got["data"]) == 6


def test_summary_adds_up(shared_emulator: Emulator) -> None:
    summary = _get(shared_emulator, "/v3/catalog/summary")["data"]
    variants = _get(shared_emulator, "/v3/catalog/variants", limit=250)["data"]
    assert summary["variant_count"] == len(variants)
    assert summary["inventory_count"] == sum(v["inventory_level"] for v in variants)
    assert summary["highest_variant_price"] == max(v["calculated_price"] for v in variants)
