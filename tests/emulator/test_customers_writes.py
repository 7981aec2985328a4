"""Writes to customers, addresses, attribute values, subscribers and groups, over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running_emulator("--size", "tiny", "--seed", "3", "--quota", "0") as e:
        yield e


def _new(n: int, tag: str) -> dict[str, Any]:
    return {"email": f"{tag}.{n}@example.org", "first_name": "Ada", "last_name": f"Test{n}"}


def _customer(emu: Emulator, cid: int) -> dict[str, Any]:
    r = emu.api("GET", "/v3/customers", params={"id:in": cid, "include": "addresses"})
    data: list[dict[str, Any]] = r.json()["data"]
    assert len(data) == 1
    return data[0]


def test_create_update_delete_customers(emu: Emulator) -> None:
    r = emu.api(
        "POST",
        "/v3/customers",
        json=[
            {**_new(1, "cud"), "addresses": [{"first_name": "Ada", "last_name": "T",
             "address1": "1 Way", "city": "Austin", "state_or_province": "Texas",
             "postal_code": "78701", "country_code": "US"}]},
            _new(2, "cud"),
        ],
    )  # fmt: skip
    assert r.status_code == 200, r.text
    made = r.json()["data"]
    assert [c["email"] for c in made] == ["cud.1@example.org", "cud.2@example.org"]
    assert made[0]["addresses"][0]["country"] == "United States"
    assert made[0]["address_count"] == 1
    cid = made[1]["id"]
    before = _customer(emu, cid)["date_modified"]

    r = emu.api("PUT", "/v3/customers", json=[{"id": cid, "company": "Babbage Ltd"}])
    assert r.status_code == 200, r.text
    after = _customer(emu, cid)
    assert after["company"] == "Babbage Ltd"
    assert after["date_modified"] >= before

    r = emu.api("DELETE", "/v3/customers", params={"id:in": f"{made[0]['id']},{cid}"})
    assert r.status_code == 204
    left = emu.api("GET", "/v3/customers", params={"id:in": f"{made[0]['id']},{cid}"})
    assert left.json()["data"] == []
    addrs = emu.api("GET", "/v3/customers/addresses", params={"customer_id:in": made[0]["id"]})
    assert addrs.json()["data"] == []


def test_delete_without_query_changes_nothing(emu: Emulator) -> None:
    total = emu.api("GET", "/v3/customers").json()["meta"]["pagination"]["total"]
    assert emu.api("DELETE", "/v3/customers").status_code == 204
    assert emu.api("GET", "/v3/customers").json()["meta"]["pagination"]["total"] == total


def test_batch_cap_is_ten(emu: Emulator) -> None:
    r = emu.api("POST", "/v3/customers", json=[_new(i, "cap") for i in range(11)])
    assert r.status_code == 413
    assert r.json()["status"] == 413
    r = emu.api("PUT", "/v3/customers", json=[{"id": 1, "notes": "x"}] * 11)
    assert r.status_code == 413
    log = emu.requests_log()
    assert log[-1]["items"] == 11


def test_duplicate_email_fails_the_batch_with_422(emu: Emulator) -> None:
    existing = emu.api("GET", "/v3/customers", params={"limit": 1}).json()["data"][0]
    total = emu.api("GET", "/v3/customers").json()["meta"]["pagination"]["total"]
    r = emu.api(
        "POST",
        "/v3/customers",
        json=[_new(1, "dup"), {**_new(2, "dup"), "email": existing["email"]}],
    )
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and "[1].email" in body["errors"]
    assert emu.api("GET", "/v3/customers").json()["meta"]["pagination"]["total"] == total
    r = emu.api("POST", "/v3/customers", json=[_new(3, "dup"), _new(3, "dup")])
    assert r.status_code == 422 and "[1].email" in r.json()["errors"]
    r = emu.api("POST", "/v3/customers", json=[{**_new(9, "dup"), "channel_ids": []}])
    assert r.status_code == 422 and "[0].channel_ids" in r.json()["errors"]
    r = emu.api("POST", "/v3/customers", json=[{**_new(8, "dup"), "addresses": ["street"]}])
    assert r.status_code == 422 and "[0].addresses[0]" in r.json()["errors"]
    r = emu.api("POST", "/v3/customers", json=[{"email": "no-names@example.org"}])
    assert r.status_code == 422
    assert {"[0].first_name", "[0].last_name"} <= set(r.json()["errors"])
    r = emu.api("PUT", "/v3/customers", json=[{"id": 987654, "notes": "x"}])
    assert r.status_code == 422 and "[0].id" in r.json()["errors"]


def test_address_writes_bump_the_customer(emu: Emulator) -> None:
    made = emu.api("POST", "/v3/customers", json=[_new(1, "addr")]).json()["data"][0]
    cid = made["id"]
    # Make the customer look old so that a bump is visible at one-second resolution.
    emu.control(
        "PATCH",
        f"/stores/{emu.store_hash}/collections/customers/{cid}",
        json={"date_modified": "2024-01-01T00:00:00+00:00"},
    )
    assert _customer(emu, cid)["date_modified"].startswith("2024-01-01")
    addr = {"customer_id": cid, "first_name": "Ada", "last_name": "L", "address1": "2 Road",
            "city": "Toronto", "state_or_province": "Ontario", "postal_code": "M5V 1AB",
            "country_code": "CA"}  # fmt: skip
    r = emu.api("POST", "/v3/customers/addresses", json=[addr])
    assert r.status_code == 200, r.text
    created = r.json()["data"]
    assert len(created) == 1 and created[0]["country"] == "Canada"
    assert not _customer(emu, cid)["date_modified"].startswith("2024-01-01")
    # An identical address is a documented no-op: 200 and absent from the answer.
    again = emu.api("POST", "/v3/customers/addresses", json=[addr])
    assert again.status_code == 200 and again.json()["data"] == []
    bad = emu.api("POST", "/v3/customers/addresses", json=[{**addr, "city": ""}])
    assert bad.status_code == 422 and "[0].city" in bad.json()["errors"]
    aid = created[0]["id"]
    r = emu.api("PUT", "/v3/customers/addresses", json=[{"id": aid, "city": "Ottawa"}])
    assert r.status_code == 200 and r.json()["data"][0]["city"] == "Ottawa"
    assert emu.api("DELETE", "/v3/customers/addresses", params={"id:in": aid}).status_code == 204
    assert _customer(emu, cid)["address_count"] == 0


def test_attribute_values_upsert(emu: Emulator) -> None:
    cid = emu.api("GET", "/v3/customers", params={"limit": 1}).json()["data"][0]["id"]
    attrs = {a["name"]: a for a in emu.api("GET", "/v3/customers/attributes").json()["data"]}
    points = attrs["Lifetime Points"]["id"]
    r = emu.api(
        "PUT",
        "/v3/customers/attribute-values",
        json=[{"attribute_id": points, "value": "42", "customer_id": cid}],
    )
    assert r.status_code == 200, r.text
    first = r.json()["data"][0]
    assert first["attribute_value"] == "42"
    r = emu.api(
        "PUT",
        "/v3/customers/attribute-values",
        json=[{"attribute_id": points, "value": "43", "customer_id": cid}],
    )
    assert r.json()["data"][0]["id"] == first["id"]  # updated, not duplicated
    got = emu.api(
        "GET",
        "/v3/customers/attribute-values",
        params={"customer_id:in": cid, "attribute_id:in": points},
    ).json()["data"]
    assert [v["attribute_value"] for v in got] == ["43"]
    r = emu.api(
        "PUT",
        "/v3/customers/attribute-values",
        json=[{"attribute_id": points, "value": "lots", "customer_id": cid}],
    )
    assert r.status_code == 422 and "[0].value" in r.json()["errors"]
    r = emu.api(
        "POST", "/v3/customers/attributes", json=[{"name": "Loyalty Tier", "type": "string"}]
    )
    assert r.status_code == 422 and "[0].name" in r.json()["errors"]


def test_subscribers_crud_and_duplicate(emu: Emulator) -> None:
    r = emu.api("POST", "/v3/customers/subscribers", json={"email": "news@example.org"})
    assert r.status_code == 200, r.text
    sub = r.json()["data"]
    assert sub["email"] == "news@example.org" and sub["source"] == "custom"
    r = emu.api("POST", "/v3/customers/subscribers", json={"email": "NEWS@example.org"})
    assert r.status_code == 409
    r = emu.api("PUT", f"/v3/customers/subscribers/{sub['id']}", json={"first_name": "Grace"})
    assert r.status_code == 200 and r.json()["data"]["first_name"] == "Grace"
    assert emu.api("DELETE", f"/v3/customers/subscribers/{sub['id']}").status_code == 204
    assert emu.api("GET", f"/v3/customers/subscribers/{sub['id']}").status_code == 404


def test_customer_groups_crud_and_duplicate(emu: Emulator) -> None:
    r = emu.api("POST", "/v2/customer_groups", json={"name": "Resellers"})
    assert r.status_code == 200, r.text
    group = r.json()
    assert group["date_created"].endswith("+0000")
    assert emu.api("POST", "/v2/customer_groups", json={"name": "resellers"}).status_code == 409
    r = emu.api("PUT", f"/v2/customer_groups/{group['id']}", json={"name": "Trade"})
    assert r.status_code == 200 and r.json()["name"] == "Trade"
    assert emu.api("DELETE", f"/v2/customer_groups/{group['id']}").status_code == 204
    assert emu.api("GET", f"/v2/customer_groups/{group['id']}").status_code == 404
    assert emu.api("POST", "/v2/customer_groups", json={}).status_code == 400


def test_write_concurrency_cap_is_three() -> None:
    with running_emulator(
        "--size", "tiny", "--seed", "3", "--quota", "0", "--latency-ms", "400", "--jitter-ms", "0"
    ) as e:
        barrier = threading.Barrier(6)

        def put(i: int) -> int:
            s = requests.Session()
            barrier.wait(timeout=10)
            r = s.put(
                f"{e.base_url}/stores/{e.store_hash}/v3/customers",
                json=[{"id": 1, "notes": f"n{i}"}],
                headers={"X-Auth-Token": e.token},
                timeout=30,
            )
            return r.status_code

        with ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(put, range(6)))
        assert codes.count(200) == 3 and codes.count(429) == 3, codes
        # Reads are not capped.
        gets = [e.api("GET", "/v3/customers").status_code for _ in range(2)]
        assert gets == [200, 200]


def test_generation_is_deterministic() -> None:
    with running_emulator("--size", "tiny", "--seed", "5", "--quota", "0") as a:
        first = {n: a.collection(n) for n in ("customers", "customer_addresses", "subscribers")}
    with running_emulator("--size", "tiny", "--seed", "5", "--quota", "0") as b:
        second = {n: b.collection(n) for n in ("customers", "customer_addresses", "subscribers")}
    assert first == second and first["customers"]


def test_attribute_definitions_and_value_deletes(emu: Emulator) -> None:
    r = emu.api(
        "POST", "/v3/customers/attributes", json=[{"name": "Favourite Colour", "type": "string"}]
    )
    assert r.status_code == 200, r.text
    attr = r.json()["data"][0]
    r = emu.api("POST", "/v3/customers/attributes", json=[{"name": "Bad", "type": "colour"}])
    assert r.status_code == 422 and "[0].type" in r.json()["errors"]
    r = emu.api("PUT", "/v3/customers/attributes", json=[{"id": attr["id"], "name": "Colour"}])
    assert r.status_code == 200 and r.json()["data"][0]["name"] == "Colour"
    cid = emu.api("GET", "/v3/customers", params={"limit": 1}).json()["data"][0]["id"]
    value = emu.api(
        "PUT",
        "/v3/customers/attribute-values",
        json=[{"attribute_id": attr["id"], "value": "teal", "customer_id": cid}],
    ).json()["data"][0]
    listed = emu.api("GET", "/v3/customers", params={"id:in": cid, "include": "attributes"})
    assert value["id"] in {v["id"] for v in listed.json()["data"][0]["attributes"]}
    assert (
        emu.api(
            "DELETE", "/v3/customers/attribute-values", params={"id:in": value["id"]}
        ).status_code
        == 204
    )
    assert (
        emu.api("DELETE", "/v3/customers/attributes", params={"id:in": attr["id"]}).status_code
        == 204
    )
    names = {a["name"] for a in emu.api("GET", "/v3/customers/attributes").json()["data"]}
    assert "Colour" not in names
    assert emu.api("DELETE", "/v3/customers/attributes").status_code == 422


def test_subscribers_delete_by_filter(emu: Emulator) -> None:
    for i in range(3):
        r = emu.api(
            "POST",
            "/v3/customers/subscribers",
            json={"email": f"bulk{i}@example.org", "source": "bulk-import"},
        )
        assert r.status_code == 200
    assert emu.api("DELETE", "/v3/customers/subscribers").status_code == 422
    r = emu.api("DELETE", "/v3/customers/subscribers", params={"source": "bulk-import"})
    assert r.status_code == 204
    left = emu.api("GET", "/v3/customers/subscribers", params={"source": "bulk-import"})
    assert left.json()["data"] == []


def test_read_only_token_cannot_write(emu: Emulator) -> None:
    emu.control(
        "POST",
        f"/stores/{emu.store_hash}/tokens",
        json={"token": "ro-customers", "scopes": ["store_v2_customers_read_only"]},
    )
    assert emu.api("GET", "/v3/customers", token="ro-customers").status_code == 200
    r = emu.api("POST", "/v3/customers", token="ro-customers", json=[_new(1, "ro")])
    assert r.status_code == 403
    assert emu.api("GET", "/v2/orders", token="ro-customers").status_code == 403
