"""The control API's catalog factories: records a merchant adds show up through the API."""

from __future__ import annotations

from tests.emulator_process import Emulator


def test_factories_create_products_brands_categories_and_children(emulator: Emulator) -> None:
    base = f"/stores/{emulator.store_hash}/collections"
    assert {"products", "brands", "categories", "product_custom_fields"} <= set(
        emulator.control("GET", "/factories")
    )
    made = emulator.control("POST", f"{base}/products", json={"price": "12.50", "_seed": 1})
    r = emulator.api("GET", f"/v3/catalog/products/{made['id']}", params={"include": "variants"})
    assert r.status_code == 200, r.text
    product = r.json()["data"]
    assert product["price"] == 12.5 and len(product["variants"]) == 3
    newest = emulator.api(
        "GET", "/v3/catalog/products", params={"sort": "date_modified", "direction": "desc"}
    ).json()["data"][0]
    assert newest["id"] == made["id"], "a product added now is the most recently modified"
    brand = emulator.control("POST", f"{base}/brands", json={"name": "Merchant Brand"})
    assert emulator.api("GET", f"/v3/catalog/brands/{brand['id']}").json()["data"]["name"] == (
        "Merchant Brand"
    )
    cat = emulator.control("POST", f"{base}/categories", json={"name": "Clearance"})
    assert emulator.api("GET", f"/v3/catalog/categories/{cat['id']}").status_code == 200
    before = emulator.api("GET", "/v3/catalog/products/2").json()["data"]["date_modified"]
    field = emulator.control("POST", f"{base}/product_custom_fields", json={"product_id": 2})
    listed = emulator.api("GET", "/v3/catalog/products/2/custom-fields").json()["data"]
    assert field["id"] in [f["id"] for f in listed]
    assert emulator.api("GET", "/v3/catalog/products/2").json()["data"]["date_modified"] > before
