"""Variants, images, custom fields, bulk pricing rules, videos, reviews, options and
modifiers over HTTP: their list/read/create/update/delete paths, conflicts and batch caps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "small", "--seed", "5", "--quota", "0") as e:
        yield e


def _ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()["data"] if r.content else None


def test_variant_crud_and_sku_conflicts(emu: Emulator) -> None:
    options = _ok(emu.api("GET", "/v3/catalog/products/2/options"))
    opt = options[0]
    value = opt["option_values"][-1]
    body = {
        "sku": "NEW-VARIANT-1",
        "price": 42,
        "option_values": [{"id": value["id"], "option_id": opt["id"]}],
    }
    made = _ok(emu.api("POST", "/v3/catalog/products/2/variants", json=body))
    assert made["product_id"] == 2 and made["option_values"][0]["label"] == value["label"]
    assert made["calculated_price"] == 42
    again = emu.api("POST", "/v3/catalog/products/2/variants", json=body)
    assert again.status_code == 409 and "sku" in again.json()["errors"]
    other = _ok(emu.api("GET", "/v3/catalog/products/3/variants"))[0]
    r = emu.api("PUT", f"/v3/catalog/products/2/variants/{made['id']}", json={"sku": other["sku"]})
    assert r.status_code == 409
    r = emu.api("PUT", f"/v3/catalog/products/2/variants/{made['id']}", json={"price": -1})
    assert r.status_code == 422 and "price" in r.json()["errors"]
    updated = _ok(
        emu.api("PUT", f"/v3/catalog/products/2/variants/{made['id']}", json={"upc": "123"})
    )
    assert updated["upc"] == "123"
    r = emu.api("GET", f"/v3/catalog/products/3/variants/{made['id']}")
    assert r.status_code == 404, "a variant is only found under its own product"
    assert emu.api("DELETE", f"/v3/catalog/products/2/variants/{made['id']}").status_code == 204
    assert emu.api("GET", f"/v3/catalog/products/2/variants/{made['id']}").status_code == 404
    r = emu.api("POST", "/v3/catalog/products/2/variants", json={"price": 1})
    assert r.status_code == 422 and "sku" in r.json()["errors"]


def test_variant_batch_update_cap_and_partial_failure(emu: Emulator) -> None:
    r = emu.api("PUT", "/v3/catalog/variants", json=[{"id": 1, "price": 1}] * 51)
    assert r.status_code == 413
    variants = _ok(emu.api("GET", "/v3/catalog/variants", params={"product_id:in": "4,5"}))
    items = [
        {"id": variants[0]["id"], "price": 11.5, "inventory_level": 9},
        {"id": 99999999, "price": 1},
        {"id": variants[1]["id"], "sku": variants[4]["sku"]},
    ]
    before = _ok(emu.api("GET", "/v3/catalog/products/4"))["date_modified"]
    r = emu.api("PUT", "/v3/catalog/variants", json=items)
    assert r.status_code == 207, r.text
    body = r.json()
    assert [v["id"] for v in body["data"]] == [variants[0]["id"]]
    assert set(body["errors"]["errors"]) == {"1.id", "2.sku"}
    product = _ok(emu.api("GET", "/v3/catalog/products/4", params={"include": "variants"}))
    assert product["date_modified"] > before
    assert product["inventory_level"] == sum(v["inventory_level"] for v in product["variants"])
    good = [{"id": v["id"], "price": 5} for v in variants[:2]]
    assert emu.api("PUT", "/v3/catalog/variants", json=good).status_code == 200
    r = emu.api("PUT", "/v3/catalog/variants", json=[{"id": 99999999}])
    assert r.status_code == 404 and "0.id" in r.json()["errors"]


def test_custom_field_crud(emu: Emulator) -> None:
    base = "/v3/catalog/products/6/custom-fields"
    made = _ok(emu.api("POST", base, json={"name": "Origin", "value": "Lisbon"}))
    assert set(made) == {"id", "name", "value"}
    assert _ok(emu.api("GET", f"{base}/{made['id']}")) == made
    changed = _ok(emu.api("PUT", f"{base}/{made['id']}", json={"value": "Porto"}))
    assert changed["value"] == "Porto" and changed["name"] == "Origin"
    r = emu.api("POST", base, json={"name": "", "value": "x"})
    assert r.status_code == 422 and "name" in r.json()["errors"]
    assert emu.api("DELETE", f"{base}/{made['id']}").status_code == 204
    assert emu.api("GET", f"{base}/{made['id']}").status_code == 404
    assert emu.api("GET", "/v3/catalog/products/999999/custom-fields").status_code == 404


def test_bulk_pricing_rules_refuse_overlaps(emu: Emulator) -> None:
    base = "/v3/catalog/products/7/bulk-pricing-rules"
    for rule in _ok(emu.api("GET", base)):
        assert emu.api("DELETE", f"{base}/{rule['id']}").status_code == 204
    rule = {"quantity_min": 2, "quantity_max": 5, "type": "percent", "amount": 5}
    made = _ok(emu.api("POST", base, json=rule))
    assert made["quantity_min"] == 2 and "product_id" not in made
    overlap = {"quantity_min": 4, "quantity_max": 9, "type": "fixed", "amount": 3}
    assert emu.api("POST", base, json=overlap).status_code == 409
    r = emu.api(
        "POST", base, json={"quantity_min": 10, "quantity_max": 0, "type": "x", "amount": 1}
    )
    assert r.status_code == 422 and "type" in r.json()["errors"]
    assert len(_ok(emu.api("GET", base))) == 1


def test_images_keep_one_thumbnail(emu: Emulator) -> None:
    base = "/v3/catalog/products/8/images"
    made = _ok(
        emu.api("POST", base, json={"image_url": "https://img.example/x.png", "is_thumbnail": True})
    )
    images = _ok(emu.api("GET", base))
    assert [i["id"] for i in images if i["is_thumbnail"]] == [made["id"]]
    assert emu.api("POST", base, json={"description": "no url"}).status_code == 422
    primary = _ok(emu.api("GET", "/v3/catalog/products/8", params={"include": "primary_image"}))
    assert primary["primary_image"]["id"] == made["id"]


def test_videos_and_reviews(emu: Emulator) -> None:
    video = _ok(emu.api("POST", "/v3/catalog/products/9/videos", json={"video_id": "dQw4w9WgXcQ"}))
    assert video["type"] == "youtube"
    assert (
        _ok(emu.api("GET", f"/v3/catalog/products/9/videos/{video['id']}"))["video_id"]
        == "dQw4w9WgXcQ"
    )
    review = {"title": "Nice", "rating": 4, "date_reviewed": "2026-01-02T03:04:05Z"}
    made = _ok(emu.api("POST", "/v3/catalog/products/9/reviews", json=review))
    assert made["status"] == "pending" and made["date_reviewed"].startswith("2026-01-02")
    before = _ok(emu.api("GET", "/v3/catalog/products/9"))
    approved = _ok(
        emu.api("PUT", f"/v3/catalog/products/9/reviews/{made['id']}", json={"status": "approved"})
    )
    assert approved["status"] == "approved"
    after = _ok(emu.api("GET", "/v3/catalog/products/9"))
    assert after["reviews_count"] == before["reviews_count"] + 1
    assert after["reviews_rating_sum"] == before["reviews_rating_sum"] + 4
    bad = emu.api("POST", "/v3/catalog/products/9/reviews", json={**review, "rating": 9})
    assert bad.status_code == 422 and "rating" in bad.json()["errors"]


def test_options_and_values(emu: Emulator) -> None:
    base = "/v3/catalog/products/10/options"
    body = {
        "display_name": "Finish",
        "type": "dropdown",
        "option_values": [{"label": "Matte", "sort_order": 0}, {"label": "Gloss", "sort_order": 1}],
    }
    made = _ok(emu.api("POST", base, json=body))
    assert [v["label"] for v in made["option_values"]] == ["Matte", "Gloss"]
    assert emu.api("POST", base, json=body).status_code == 409
    assert emu.api("POST", base, json={"display_name": "X", "type": "nope"}).status_code == 422
    values = f"{base}/{made['id']}/values"
    v = _ok(emu.api("POST", values, json={"label": "Satin", "sort_order": 2}))
    all_ids = [x["id"] for x in made["option_values"]] + [v["id"]]
    assert len(set(all_ids)) == 3
    renamed = _ok(emu.api("PUT", f"{values}/{v['id']}", json={"label": "Eggshell"}))
    assert renamed["label"] == "Eggshell"
    assert emu.api("DELETE", f"{values}/{v['id']}").status_code == 204
    assert emu.api("GET", f"{values}/{v['id']}").status_code == 404
    assert emu.api("DELETE", f"{base}/{made['id']}").status_code == 204
    assert emu.api("GET", f"{base}/{made['id']}").status_code == 404


def test_modifiers_and_values(emu: Emulator) -> None:
    base = "/v3/catalog/products/11/modifiers"
    made = _ok(
        emu.api("POST", base, json={"display_name": "Monogram", "type": "text", "required": False})
    )
    assert made["option_values"] == [] and made["product_id"] == 11
    r = emu.api("POST", base, json={"display_name": "Monogram2", "type": "text"})
    assert r.status_code == 422 and "required" in r.json()["errors"]
    v = _ok(emu.api("POST", f"{base}/{made['id']}/values", json={"label": "Yes", "sort_order": 0}))
    assert v["option_id"] == made["id"] and "adjusters" in v
    listed = _ok(emu.api("GET", f"{base}/{made['id']}"))
    assert [x["id"] for x in listed["option_values"]] == [v["id"]]


def test_variant_batch_creates_items_without_an_id(emu: Emulator) -> None:
    opt = _ok(emu.api("GET", "/v3/catalog/products/12/options"))[0]
    value = opt["option_values"][-1]
    ov = [{"id": value["id"], "option_id": opt["id"]}]
    items = [
        {"product_id": 12, "sku": "BATCH-NEW-1", "price": 3, "option_values": ov},
        {"product_id": 999999, "sku": "BATCH-NEW-2", "option_values": ov},
        {"product_id": 12, "sku": "BATCH-NEW-3"},
    ]
    r = emu.api("PUT", "/v3/catalog/variants", json=items)
    assert r.status_code == 207, r.text
    body = r.json()
    assert [v["sku"] for v in body["data"]] == ["BATCH-NEW-1"]
    assert set(body["errors"]["errors"]) == {"1.product_id", "2.option_values"}
    found = _ok(emu.api("GET", "/v3/catalog/variants", params={"sku:in": "BATCH-NEW-1"}))
    assert [v["product_id"] for v in found] == [12]
