"""The bodies of catalog writes (200, 201, 207 and error answers) validated against the
response schema the OpenAPI files give that operation and status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator import openapi_spec
from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "small", "--seed", "13", "--quota", "0") as e:
        yield e


def _conforms(method: str, template: str, status: int, body: Any) -> None:
    ops = openapi_spec.find(method, template)
    assert ops, f"{method} {template} is not in the OpenAPI files"
    schemas = [s for op in ops if (s := op.response_schema(status)) is not None]
    assert schemas, f"{method} {template} documents no JSON body for {status}"
    errors = [openapi_spec.validate(s, body, check_dates=True) for s in schemas]
    assert any(not e for e in errors), f"{method} {template} {status}: {errors[0][:10]}"


def _call(emu: Emulator, method: str, template: str, path: str, status: int, **kw: Any) -> Any:
    r = emu.api(method, path, **kw)
    assert r.status_code == status, r.text
    body = r.json()
    _conforms(method, template, status, body)
    return body


P = "/v3/catalog/products"
PID = "/v3/catalog/products/{product_id}"


def test_product_writes_conform(emu: Emulator) -> None:
    made = _call(
        emu,
        "POST",
        P,
        P,
        200,
        json={"name": "Spec Lamp", "type": "physical", "weight": 1, "price": 5},
    )
    pid = made["data"]["id"]
    _call(
        emu,
        "POST",
        P,
        P,
        409,
        json={"name": "Spec Lamp", "type": "physical", "weight": 1, "price": 5},
    )
    _call(emu, "POST", P, P, 422, json={"name": "No price"})
    _call(emu, "PUT", PID, f"{P}/{pid}", 200, json={"price": 6})
    _call(emu, "PUT", P, P, 200, json=[{"id": pid, "price": 7}])
    _call(emu, "PUT", P, P, 207, json=[{"id": pid, "price": 8}, {"id": 999999}])
    _call(emu, "PUT", P, P, 413, json=[{"id": pid}] * 11)
    _call(emu, "PUT", P, P, 409, json=[{"id": 1, "name": "Spec Lamp"}])


def test_child_writes_conform(emu: Emulator) -> None:
    cf = _call(
        emu,
        "POST",
        f"{PID}/custom-fields",
        f"{P}/1/custom-fields",
        200,
        json={"name": "Spec", "value": "1"},
    )
    _call(
        emu,
        "PUT",
        f"{PID}/custom-fields/{{custom_field_id}}",
        f"{P}/1/custom-fields/{cf['data']['id']}",
        200,
        json={"value": "2"},
    )
    img = {"image_url": "https://img.example/spec.jpg"}
    _call(emu, "POST", f"{PID}/images", f"{P}/1/images", 200, json=img)
    opt = emu.api("GET", f"{P}/1/options").json()["data"][0]
    value = opt["option_values"][0]
    body = {"sku": "SPEC-V", "option_values": [{"id": value["id"], "option_id": opt["id"]}]}
    v = _call(emu, "POST", f"{PID}/variants", f"{P}/1/variants", 200, json=body)
    _call(
        emu,
        "PUT",
        f"{PID}/variants/{{variant_id}}",
        f"{P}/1/variants/{v['data']['id']}",
        200,
        json={"price": 3},
    )
    _call(
        emu,
        "PUT",
        "/v3/catalog/variants",
        "/v3/catalog/variants",
        200,
        json=[{"id": v["data"]["id"], "price": 4}],
    )
    _call(
        emu,
        "POST",
        f"{PID}/options",
        f"{P}/1/options",
        200,
        json={
            "display_name": "Spec",
            "type": "dropdown",
            "option_values": [{"label": "A", "sort_order": 0}],
        },
    )
    _call(
        emu,
        "POST",
        f"{PID}/modifiers",
        f"{P}/1/modifiers",
        200,
        json={"display_name": "Spec", "type": "text", "required": False},
    )
    fresh = emu.api(
        "POST", P, json={"name": "Rule holder", "type": "physical", "weight": 1, "price": 9}
    ).json()["data"]["id"]
    _call(
        emu,
        "POST",
        f"{PID}/bulk-pricing-rules",
        f"{P}/{fresh}/bulk-pricing-rules",
        200,
        json={"quantity_min": 500, "quantity_max": 0, "type": "price", "amount": 1},
    )


def test_taxonomy_writes_conform(emu: Emulator) -> None:
    c = _call(
        emu,
        "POST",
        "/v3/catalog/categories",
        "/v3/catalog/categories",
        200,
        json={"name": "Spec", "parent_id": 0},
    )
    _call(
        emu,
        "POST",
        "/v3/catalog/categories",
        "/v3/catalog/categories",
        409,
        json={"name": "Spec", "parent_id": 0},
    )
    _call(
        emu,
        "PUT",
        "/v3/catalog/categories/{category_id}",
        f"/v3/catalog/categories/{c['data']['id']}",
        200,
        json={"sort_order": 3},
    )
    b = _call(emu, "POST", "/v3/catalog/brands", "/v3/catalog/brands", 200, json={"name": "Spec"})
    _call(emu, "POST", "/v3/catalog/brands", "/v3/catalog/brands", 409, json={"name": "spec"})
    _call(
        emu,
        "PUT",
        "/v3/catalog/brands/{brand_id}",
        f"/v3/catalog/brands/{b['data']['id']}",
        200,
        json={"page_title": "S"},
    )
    tc = "/v3/catalog/trees/categories"
    made = _call(emu, "POST", tc, tc, 201, json=[{"name": "Spec2", "parent_id": 0, "tree_id": 1}])
    _call(
        emu,
        "PUT",
        tc,
        tc,
        200,
        json=[{"category_id": made["data"][0]["category_id"], "name": "Spec3"}],
    )
    _call(emu, "PUT", "/v3/catalog/trees", "/v3/catalog/trees", 200, json=[{"name": "Spec tree"}])
