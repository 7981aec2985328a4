"""Price lists, price records and assignments over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One store for this module's writes; each test uses its own price list."""
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as e:
        yield e


def _variants(emu: Emulator) -> list[dict[str, Any]]:
    variants = emu.collection("product_variants")
    assert len(variants) > 10, "the seeded catalog should have variants"
    return variants


def _new_list(emu: Emulator, name: str) -> int:
    r = emu.api("POST", "/v3/pricelists", json={"name": name, "active": True})
    assert r.status_code == 200, r.text
    return int(r.json()["data"]["id"])


def _all_records(emu: Emulator, list_id: int, **params: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in range(1, 50):
        r = emu.api("GET", f"/v3/pricelists/{list_id}/records", params={**params, "page": page})
        assert r.status_code == 200, r.text
        body = r.json()
        out.extend(body["data"])
        if "next" not in body["meta"]["pagination"]["links"]:
            return out
    raise AssertionError("paging did not end")


def test_seeded_records_belong_to_real_variants(shared_emulator: Emulator) -> None:
    variants = {v["id"]: v for v in shared_emulator.collection("product_variants")}
    lists = shared_emulator.api("GET", "/v3/pricelists").json()["data"]
    assert lists
    records = _all_records(shared_emulator, lists[0]["id"], include="sku")
    assert records
    for rec in records:
        variant = variants[rec["variant_id"]]
        assert rec["product_id"] == variant["product_id"]
        assert rec["sku"] == variant["sku"]
        assert rec["date_modified"] >= rec["date_created"]


def test_record_filters_and_include(shared_emulator: Emulator) -> None:
    list_id = shared_emulator.api("GET", "/v3/pricelists").json()["data"][0]["id"]
    records = _all_records(shared_emulator, list_id, include="sku")
    picked = records[:3]
    ids = ",".join(str(r["variant_id"]) for r in picked)
    by_variant = _all_records(shared_emulator, list_id, **{"variant_id:in": ids})
    assert {r["variant_id"] for r in by_variant} == {r["variant_id"] for r in picked}
    assert all("sku" not in r for r in by_variant), "sku is only present with include=sku"
    skus = ",".join(r["sku"] for r in picked)
    by_sku = _all_records(shared_emulator, list_id, **{"sku:in": skus})
    assert {r["variant_id"] for r in by_sku} == {r["variant_id"] for r in picked}
    middle = sorted(r["date_modified"] for r in records)[len(records) // 2]
    recent = _all_records(shared_emulator, list_id, **{"date_modified:min": middle})
    assert recent and all(r["date_modified"] >= middle for r in recent)
    assert len(recent) < len(records)
    usd = _all_records(shared_emulator, list_id, currency="usd")
    assert usd and all(r["currency"] == "usd" for r in usd)


def test_record_cursor_paging_visits_every_record_once(shared_emulator: Emulator) -> None:
    list_id = shared_emulator.api("GET", "/v3/pricelists").json()["data"][0]["id"]
    everything = _all_records(shared_emulator, list_id)
    path = f"/v3/pricelists/{list_id}/records"
    body = shared_emulator.api("GET", path, params={"limit": 7}).json()
    seen = [(x["variant_id"], x["currency"]) for x in body["data"]]
    cursor = body["meta"]["cursor_pagination"]
    for _ in range(200):
        if "next" not in cursor["links"]:
            break
        body = shared_emulator.api("GET", path, params={"limit": 7, "after": cursor["end_cursor"]})
        body = body.json()
        assert "pagination" not in body["meta"]
        seen.extend((x["variant_id"], x["currency"]) for x in body["data"])
        cursor = body["meta"]["cursor_pagination"]
    assert len(seen) == len(set(seen))
    assert sorted(seen) == sorted((x["variant_id"], x["currency"]) for x in everything)


def test_price_list_crud_filters_and_duplicates(emu: Emulator) -> None:
    list_id = _new_list(emu, "Crud list")
    assert emu.api("POST", "/v3/pricelists", json={"name": "Crud list"}).status_code == 409
    missing = emu.api("POST", "/v3/pricelists", json={"active": True})
    assert missing.status_code == 422
    assert "name" in missing.json()["errors"]
    got = emu.api("GET", "/v3/pricelists", params={"name:like": "crud"}).json()["data"]
    assert [x["id"] for x in got] == [list_id]
    before = emu.api("GET", f"/v3/pricelists/{list_id}").json()["data"]
    r = emu.api("PUT", f"/v3/pricelists/{list_id}", json={"active": False})
    assert r.status_code == 200 and r.json()["data"]["active"] is False
    newer = emu.api(
        "GET", "/v3/pricelists", params={"date_modified:min": before["date_modified"]}
    ).json()["data"]
    assert list_id in [x["id"] for x in newer]
    assert emu.api("DELETE", f"/v3/pricelists/{list_id}").status_code == 204
    assert emu.api("GET", f"/v3/pricelists/{list_id}").status_code == 404


def test_batch_upsert_creates_then_updates_by_variant_or_sku(emu: Emulator) -> None:
    variants = _variants(emu)[:4]
    list_id = _new_list(emu, "Upsert list")
    path = f"/v3/pricelists/{list_id}/records"
    batch = [{"variant_id": v["id"], "currency": "usd", "price": 10.5} for v in variants[:2]]
    batch += [{"sku": v["sku"], "currency": "USD", "price": 20} for v in variants[2:]]
    r = emu.api("PUT", path, json=batch)
    assert r.status_code == 200, r.text
    records = {x["variant_id"]: x for x in _all_records(emu, list_id)}
    assert set(records) == {v["id"] for v in variants}
    assert records[variants[0]["id"]]["price"] == 10.5
    assert records[variants[3]["id"]]["calculated_price"] == 20
    first_modified = records[variants[0]["id"]]["date_modified"]

    r = emu.api(
        "PUT", path, json=[{"variant_id": variants[0]["id"], "currency": "usd", "sale_price": 9}]
    )
    assert r.status_code == 200
    one = emu.api("GET", f"{path}/{variants[0]['id']}/usd").json()["data"]
    assert one["price"] == 10.5 and one["sale_price"] == 9 and one["calculated_price"] == 9
    assert one["date_modified"] >= first_modified
    assert len(_all_records(emu, list_id)) == 4, "an upsert of an existing record adds none"


def test_batch_upsert_over_the_cap_is_413(emu: Emulator) -> None:
    list_id = _new_list(emu, "Cap list")
    variant = _variants(emu)[0]
    batch = [{"variant_id": variant["id"], "currency": "usd", "price": 1}] * 1001
    r = emu.api("PUT", f"/v3/pricelists/{list_id}/records", json=batch)
    assert r.status_code == 413
    assert _all_records(emu, list_id) == []
    ok = emu.api("PUT", f"/v3/pricelists/{list_id}/records", json=batch[:1000])
    assert ok.status_code == 200
    create = emu.api("POST", f"/v3/pricelists/{list_id}/records", json=batch[:101])
    assert create.status_code == 413, "batch create takes at most 100 records"


def test_unknown_variants_fail_alone_with_batch_errors(emu: Emulator) -> None:
    variant = _variants(emu)[5]
    list_id = _new_list(emu, "Partial list")
    batch = [
        {"variant_id": variant["id"], "currency": "usd", "price": 12},
        {"variant_id": 99_999_999, "currency": "usd", "price": 12},
        {"sku": "NO-SUCH-SKU", "currency": "usd", "price": 12},
        {"variant_id": variant["id"], "price": 12},
    ]
    r = emu.api("PUT", f"/v3/pricelists/{list_id}/records", json=batch)
    assert r.status_code == 422
    errors = r.json()["batch_errors"]
    assert [e["data"].get("variant_id") or e["data"].get("sku") for e in errors] == [
        99_999_999,
        "NO-SUCH-SKU",
        variant["id"],
    ]
    assert "variant_id" in errors[0]["field_errors"]
    assert "sku" in errors[1]["field_errors"]
    assert "currency" in errors[2]["field_errors"]
    applied = _all_records(emu, list_id)
    assert [(x["variant_id"], x["price"]) for x in applied] == [(variant["id"], 12)]


def test_cross_list_upsert_and_record_delete(emu: Emulator) -> None:
    variants = _variants(emu)[6:8]
    a, b = _new_list(emu, "Cross A"), _new_list(emu, "Cross B")
    batch = [
        {"price_list_id": a, "variant_id": variants[0]["id"], "currency": "usd", "price": 5},
        {"price_list_id": b, "variant_id": variants[1]["id"], "currency": "usd", "price": 6},
    ]
    assert emu.api("PUT", "/v3/pricelists/records", json=batch).status_code == 200
    assert [x["price"] for x in _all_records(emu, a)] == [5]
    assert [x["price"] for x in _all_records(emu, b)] == [6]
    r = emu.api(
        "DELETE", f"/v3/pricelists/{a}/records", params={"variant_id:in": variants[0]["id"]}
    )
    assert r.status_code == 204
    assert _all_records(emu, a) == []
    r = emu.api("DELETE", f"/v3/pricelists/{b}/records/{variants[1]['id']}/usd")
    assert r.status_code == 204
    assert emu.api("GET", f"/v3/pricelists/{b}/records/{variants[1]['id']}/usd").status_code == 404


def test_assignments_create_filter_and_delete(emu: Emulator) -> None:
    list_id = _new_list(emu, "Assigned list")
    groups = [g["id"] for g in emu.collection("customer_groups")]
    existing = emu.api("GET", "/v3/pricelists/assignments", params={"limit": 250}).json()["data"]
    taken = {(x.get("customer_group_id"), x.get("channel_id")) for x in existing}
    free = next(g for g in groups if (g, 1) not in taken)
    body = [{"price_list_id": list_id, "customer_group_id": free, "channel_id": 1}]
    r = emu.api("POST", "/v3/pricelists/assignments", json=body)
    assert r.status_code == 200, r.text
    again = emu.api("POST", "/v3/pricelists/assignments", json=body)
    assert again.status_code == 422, "one price list per customer group and channel"
    got = emu.api("GET", "/v3/pricelists/assignments", params={"price_list_id": list_id})
    assert [(x["customer_group_id"], x["channel_id"]) for x in got.json()["data"]] == [(free, 1)]
    bad = emu.api("POST", "/v3/pricelists/assignments", json=[{"price_list_id": 10**6}])
    assert bad.status_code == 422
    r = emu.api("DELETE", "/v3/pricelists/assignments", params={"price_list_id": list_id})
    assert r.status_code == 204
    got = emu.api("GET", "/v3/pricelists/assignments", params={"price_list_id": list_id})
    assert got.json()["data"] == []


def test_at_most_two_batch_upserts_run_at_once() -> None:
    with running_emulator(
        "--size", "tiny", "--seed", "3", "--quota", "0", "--latency-ms", "400", "--jitter-ms", "0"
    ) as emu:
        variant = emu.collection("product_variants")[0]
        list_id = emu.api("GET", "/v3/pricelists").json()["data"][0]["id"]
        body = [{"variant_id": variant["id"], "currency": "usd", "price": 3}]
        statuses: list[int] = []
        lock = threading.Lock()
        barrier = threading.Barrier(4)

        def put() -> None:
            barrier.wait(timeout=10)
            r = emu.api("PUT", f"/v3/pricelists/{list_id}/records", json=body)
            with lock:
                statuses.append(r.status_code)

        threads = [threading.Thread(target=put) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(statuses) == [200, 200, 429, 429]
        # The cap frees up once the running requests finish.
        assert emu.api("PUT", f"/v3/pricelists/{list_id}/records", json=body).status_code == 200


def test_seeded_pricing_is_deterministic(emu: Emulator) -> None:
    with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as other:
        for name in ("price_lists", "price_list_assignments"):
            assert other.collection(name) == emu.collection(name)[: len(other.collection(name))]
        first = other.collection("price_list_records")[:50]
        assert first == emu.collection("price_list_records")[:50]
