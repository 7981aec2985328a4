"""Every GET route the emulator serves, called over HTTP against a small seeded store, with
each response body validated against that operation's response schema in the official
OpenAPI files (``../shared/openapi/``, read in place).

Path parameters are resolved by listing the parent resource through the API itself, so
child routes are called with ids that exist. A route the spec does not document fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from bigcommerce_emulator.routes import all_routes
from bigcommerce_emulator.routing import RouteSpec
from tests.emulator import openapi_spec
from tests.emulator_process import Emulator, running_emulator

# Endpoints not validated, each with its reason. Keep this empty unless a reason is real.
# (A schema that is wrong in the files is corrected in SPEC_CORRECTIONS instead, so the
# endpoint is still validated.)
SKIPPED: dict[str, str] = {}


def _list_of_documented_items(schema: dict[str, Any]) -> dict[str, Any]:
    props = schema["properties"]
    return {**schema, "properties": {**props, "data": {"type": "array", "items": props["data"]}}}


def _array_of_inner_items(schema: dict[str, Any]) -> dict[str, Any]:
    inner = openapi_spec.resolve("", schema["items"])
    return {"type": "array", "items": inner["items"]}


# Operations whose documented 200 schema is itself wrong, with the correction applied and why.
SPEC_CORRECTIONS: dict[str, tuple[str, Any]] = {
    "/v3/catalog/products/{}/bulk-pricing-rules": (
        "The file documents `data` of this paginated list (its meta is a collection meta)"
        " as one rule object, even in its example; the list returns an array of rules,"
        " so each element is validated against the documented rule schema.",
        _list_of_documented_items,
    ),
    "/v2/blog/tags": (
        "The file documents an array of `blogTags`, which is itself an array of tag objects;"
        " the list is one array of tag objects, so each is validated against that item schema.",
        _array_of_inner_items,
    ),
}

# Extra query strings that select documented shapes the plain call does not return.
EXTRA_QUERIES: dict[str, list[dict[str, str]]] = {
    "/v2/orders": [{"include": "consignments.line_items", "consignment_structure": "object"}],
    "/v2/orders/{}": [{"include": "consignments.line_items", "consignment_structure": "object"}],
}

# Parents tried per path parameter, and calls per route, before giving up on finding one
# with children (an order with coupons is rarer than an order).
MAX_CANDIDATES = 250
MAX_CALLS = 400


def _include_query(route: RouteSpec) -> dict[str, str] | None:
    """Every documented ``include`` value at once, so every sub-resource shape is checked."""
    for op in openapi_spec.find("GET", route.path):
        param = op.query_param("include")
        if not param or "schema" not in param:
            continue
        schema = openapi_spec.resolve(op.file, param["schema"])
        items = schema.get("items")
        items = openapi_spec.resolve(op.file, items) if isinstance(items, dict) else {}
        values = schema.get("enum") or items.get("enum")
        if values:
            return {"include": ",".join(values)}
    return None


def _cases() -> list[Any]:
    cases = []
    for route in all_routes():
        if route.method != "GET":
            continue
        norm = openapi_spec.normalise(route.path)
        queries: list[dict[str, str]] = [{}]
        include = _include_query(route)
        if include:
            queries.append(include)
        queries.extend(EXTRA_QUERIES.get(norm, []))
        for query in queries:
            label = route.path + (
                "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
            )
            marks = []
            if norm in SKIPPED:
                marks.append(pytest.mark.skip(reason=SKIPPED[norm]))
            cases.append(pytest.param(route, query, id=label, marks=marks))
    return cases


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "small", "--seed", "11", "--quota", "0") as e:
        yield e


def _items(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return [i for i in body["data"] if isinstance(i, dict)]
    if isinstance(body, list):
        return [i for i in body if isinstance(i, dict)]
    return []


def _value_for(name: str, item: dict[str, Any]) -> str | None:
    # A record's own id names it in its path; records without one (price list records)
    # are named by the field the parameter is called after.
    for key in ("id", name, name.removesuffix("_code"), name.removesuffix("_id")):
        value = item.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def _non_empty(r: requests.Response) -> bool:
    if r.status_code != 200:
        return False
    body = r.json()
    return not (isinstance(body, dict) and body.get("data") == []) and body != []


def _resolve(
    emu: Emulator, template: str, values: dict[str, str], notes: list[str]
) -> Iterator[str]:
    """Concrete paths for ``template``, parents first, each parent id taken from a listing.

    Parents whose listing is empty are passed over (a product without modifiers); what was
    passed over is noted, to explain a route that could not be resolved at all.
    """
    params = [p for p in openapi_spec.path_params(template) if p[2] not in values]
    if not params:
        yield openapi_spec.fill(template, values)
        return
    start, _, name = params[0]
    parent = openapi_spec.fill(template[:start].rstrip("/"), values)
    listing = emu.api("GET", parent, params={"limit": 250})
    if listing.status_code == 404 and parent.startswith("/v3/"):
        # v3 has no list for some parents (orders): the v2 list names the same records.
        parent = "/v2/" + parent.removeprefix("/v3/")
        listing = emu.api("GET", parent, params={"limit": 250})
    status = listing.status_code
    items = _items(listing.json()) if status == 200 else []
    if not items:
        notes.append(f"GET {parent} ({status}) lists nothing to resolve {{{name}}} with")
        return
    for item in items[:MAX_CANDIDATES]:
        value = _value_for(name, item)
        if value is not None:
            yield from _resolve(emu, template, {**values, name: value}, notes)


def _call(emu: Emulator, route: RouteSpec, query: dict[str, str]) -> tuple[str, requests.Response]:
    """Call the route with resolved ids, preferring a parent whose answer has records."""
    last: tuple[str, requests.Response] | None = None
    notes: list[str] = []
    for calls, path in enumerate(_resolve(emu, route.path, {}, notes)):
        r = emu.api("GET", path, params=query)
        last = (path, r)
        if _non_empty(r) or calls >= MAX_CALLS:
            break
    assert last is not None, f"cannot resolve {route.path}: " + "; ".join(notes[:3])
    return last


@pytest.mark.parametrize(("route", "query"), _cases())
def test_get_route_conforms_to_the_openapi_schema(
    emu: Emulator, route: RouteSpec, query: dict[str, str]
) -> None:
    operations = openapi_spec.find("GET", route.path)
    assert operations, f"GET {route.path} is not documented in the OpenAPI files"
    path, r = _call(emu, route, query)
    where = f"GET {path}" + (f" {query}" if query else "")
    assert r.status_code == 200, f"{where}: {r.status_code} {r.text[:300]}"
    assert r.headers["Content-Type"].startswith("application/json"), where
    body = r.json()
    assert body not in ([], None), f"{where}: nothing to validate"
    if isinstance(body, dict) and "data" in body and isinstance(body["data"], list):
        # An empty list is valid but proves little: the seeded store must have records.
        assert body["data"], f"{where}: an empty list; the seeded store should have records"
    failures: dict[str, list[str]] = {}
    for op in operations:
        schema = op.response_schema(200)
        assert schema is not None, f"{op.file} documents no JSON 200 body for {op.path}"
        correction = SPEC_CORRECTIONS.get(openapi_spec.normalise(route.path))
        if correction is not None:
            schema = correction[1](schema)
        errors = openapi_spec.validate(schema, body, check_dates=route.version == "v3")
        if not errors:
            return
        failures[f"{op.file} {op.path}"] = errors
    report = "\n".join(
        f"  {src}:\n" + "\n".join(f"    {e}" for e in errs[:15]) for src, errs in failures.items()
    )
    pytest.fail(f"{where} does not match the documented schema:\n{report}")


def test_every_route_is_documented() -> None:
    """Writes too: a route the OpenAPI files do not describe is not the real API."""
    missing = [
        f"{route.method} {route.path}"
        for route in all_routes()
        if not openapi_spec.find(route.method, route.path)
    ]
    assert not missing, "routes with no operation in the OpenAPI files: " + ", ".join(missing)


def test_the_validator_is_not_vacuous() -> None:
    """The checks above would catch a wrong type, a missing envelope and a v2 ISO date."""
    (products,) = openapi_spec.find("GET", "/v3/catalog/products")
    schema = products.response_schema(200)
    assert schema is not None
    good = {"data": [{"id": 1, "name": "A", "type": "physical", "weight": 1, "price": 1}]}
    assert not openapi_spec.validate(schema, good, check_dates=True)
    assert openapi_spec.validate(schema, {"data": [{"id": "1"}]}, check_dates=True)
    assert openapi_spec.validate(schema, {"data": {"id": 1}}, check_dates=True)
    date = {"type": "string", "format": "date-time"}
    iso, rfc = "2024-01-02T03:04:05+00:00", "Tue, 02 Jan 2024 03:04:05 +0000"
    assert not openapi_spec.validate(date, iso, check_dates=True)
    assert openapi_spec.validate(date, rfc, check_dates=True)
    assert not openapi_spec.validate(date, rfc, check_dates=False)
    assert openapi_spec.validate(date, iso, check_dates=False)


# How the files state a per-endpoint concurrency cap, in their several phrasings.
CAP_PHRASES = re.compile(
    r"(\d+)\**\s+concurrent|concurrency limit of (\d+)|up to (\d+) (?:simultaneous|concurrent)",
    re.IGNORECASE,
)


def _documented_cap(method: str, path: str) -> int | None:
    for op in openapi_spec.find(method, path):
        match = CAP_PHRASES.search(op.op.get("description") or "")
        if match:
            return int(next(g for g in match.groups() if g))
    return None


def test_documented_concurrency_caps_are_enforced() -> None:
    """Each route declares the concurrency cap its operation documents.

    (A cap the files do not state may still come from BigCommerce's other documentation,
    so a declared cap without one here is allowed.)
    """
    wrong = [
        f"{route.method} {route.path}: documented {doc}, declared {route.cap}"
        for route in all_routes()
        if (doc := _documented_cap(route.method, route.path)) is not None and doc != route.cap
    ]
    assert not wrong, "concurrency caps differ from the OpenAPI files:\n" + "\n".join(wrong)
