"""v3 customers, addresses, attributes, values, subscribers and v2 groups: reads over HTTP."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from tests.emulator_process import Emulator


def _get(emu: Emulator, path: str, **params: Any) -> Any:
    r = emu.api("GET", path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _all(emu: Emulator, path: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in range(1, 50):
        body = _get(emu, path, page=page, limit=250, **params)
        out.extend(body["data"])
        if page >= body["meta"]["pagination"]["total_pages"]:
            return out
    raise AssertionError("too many pages")


def test_customer_list_envelope_and_default_limit(shared_emulator: Emulator) -> None:
    body = _get(shared_emulator, "/v3/customers")
    pagination = body["meta"]["pagination"]
    assert pagination["per_page"] == 50
    assert pagination["total"] == len(shared_emulator.collection("customers"))
    assert pagination["count"] == len(body["data"]) == 50
    assert pagination["links"]["next"].startswith("?")
    ids = [c["id"] for c in body["data"]]
    assert ids == sorted(ids)
    first = body["data"][0]
    assert datetime.fromisoformat(first["date_modified"]) >= datetime.fromisoformat(
        first["date_created"]
    )
    assert "addresses" not in first and isinstance(first["address_count"], int)


def test_customer_filters_by_id_email_and_name(shared_emulator: Emulator) -> None:
    every = _all(shared_emulator, "/v3/customers")
    a, b = every[3], every[10]
    got = _get(shared_emulator, "/v3/customers", **{"id:in": f"{a['id']},{b['id']}"})["data"]
    assert [c["id"] for c in got] == [a["id"], b["id"]]
    got = _get(shared_emulator, "/v3/customers", **{"email:in": a["email"].upper()})["data"]
    assert [c["id"] for c in got] == [a["id"]]
    full = f"{a['first_name']} {a['last_name']}"
    got = _get(shared_emulator, "/v3/customers", **{"name:in": full})["data"]
    assert a["id"] in {c["id"] for c in got}
    assert all(f"{c['first_name']} {c['last_name']}" == full for c in got)
    got = _get(shared_emulator, "/v3/customers", **{"name:like": a["last_name"][:3].lower()})[
        "data"
    ]
    assert got and all(a["last_name"][:3].lower() in c["last_name"].lower() for c in got)


def test_customer_filters_by_group_and_company(shared_emulator: Emulator) -> None:
    every = _all(shared_emulator, "/v3/customers")
    got = _all(shared_emulator, "/v3/customers", **{"customer_group_id:in": "2,3"})
    assert {c["id"] for c in got} == {c["id"] for c in every if c["customer_group_id"] in (2, 3)}
    companies = {c["company"] for c in every if c["company"]}
    company = sorted(companies)[0]
    got = _all(shared_emulator, "/v3/customers", **{"company:in": company})
    assert got and {c["company"] for c in got} == {company}


def test_customer_date_modified_window_and_sort(shared_emulator: Emulator) -> None:
    every = _all(shared_emulator, "/v3/customers")
    stamps = sorted(c["date_modified"] for c in every)
    lo, hi = stamps[10], stamps[40]
    got = _all(
        shared_emulator,
        "/v3/customers",
        **{"date_modified:min": lo, "date_modified:max": hi, "sort": "date_modified:asc"},
    )
    want = [c for c in every if lo <= c["date_modified"] <= hi]
    assert len(got) == len(want)
    keys = [(c["date_modified"], c["id"]) for c in got]
    assert keys == sorted(keys)
    desc = _all(shared_emulator, "/v3/customers", sort="last_name:desc")
    names = [c["last_name"].lower() for c in desc]
    assert names == sorted(names, reverse=True)
    r = shared_emulator.api("GET", "/v3/customers", params={"sort": "email:asc"})
    assert r.status_code == 422


def test_customer_includes(shared_emulator: Emulator) -> None:
    body = _get(
        shared_emulator,
        "/v3/customers",
        include="addresses,attributes,storecredit,formfields,shopper_profile_id,segment_ids",
        limit=250,
    )
    addresses = shared_emulator.collection("customer_addresses")
    values = shared_emulator.collection("customer_attribute_values")
    for c in body["data"]:
        mine = [a["id"] for a in addresses if a["customer_id"] == c["id"]]
        assert [a["id"] for a in c["addresses"]] == mine
        assert c["address_count"] == len(mine)
        assert all(a["form_fields"] == [] for a in c["addresses"])
        assert len(c["attributes"]) == c["attribute_count"]
        assert {v["id"] for v in c["attributes"]} == {
            v["id"] for v in values if v["customer_id"] == c["id"]
        }
        assert isinstance(c["store_credit_amounts"], list)
        assert c["form_fields"] == [] and c["segment_ids"] == []
        assert "shopper_profile_id" in c
    assert sum(c["address_count"] for c in body["data"]) > 0


def test_customer_cursor_pages_cover_the_set(shared_emulator: Emulator) -> None:
    first = _get(shared_emulator, "/v3/customers", limit=25)
    seen = [c["id"] for c in first["data"]]
    cursor = first["meta"]["cursor_pagination"]
    for _ in range(20):
        if "next" not in cursor["links"]:
            break
        body = _get(shared_emulator, "/v3/customers", limit=25, after=cursor["end_cursor"])
        seen.extend(c["id"] for c in body["data"])
        cursor = body["meta"]["cursor_pagination"]
    assert seen == sorted(c["id"] for c in shared_emulator.collection("customers"))
    back = _get(shared_emulator, "/v3/customers", limit=25, before=cursor["start_cursor"])
    assert [c["id"] for c in back["data"]] == seen[-25 - len(body["data"]) : -len(body["data"])]


def test_addresses_list_filters(shared_emulator: Emulator) -> None:
    every = _all(shared_emulator, "/v3/customers/addresses")
    assert len(every) == len(shared_emulator.collection("customer_addresses"))
    cid = every[0]["customer_id"]
    got = _all(shared_emulator, "/v3/customers/addresses", **{"customer_id:in": str(cid)})
    assert got and {a["customer_id"] for a in got} == {cid}
    got = _get(shared_emulator, "/v3/customers/addresses", **{"id:in": str(every[2]["id"])})
    assert [a["id"] for a in got["data"]] == [every[2]["id"]]
    with_ff = _get(shared_emulator, "/v3/customers/addresses", include="formfields", limit=1)
    assert with_ff["data"][0]["form_fields"] == []


def test_attributes_and_values_filters(shared_emulator: Emulator) -> None:
    attrs = _get(shared_emulator, "/v3/customers/attributes")["data"]
    assert {a["type"] for a in attrs} <= {"string", "number", "date"}
    named = _get(shared_emulator, "/v3/customers/attributes", name=attrs[0]["name"])["data"]
    assert [a["id"] for a in named] == [attrs[0]["id"]]
    values = _all(shared_emulator, "/v3/customers/attribute-values")
    assert len(values) == len(shared_emulator.collection("customer_attribute_values"))
    aid = attrs[1]["id"]
    got = _all(shared_emulator, "/v3/customers/attribute-values", **{"attribute_id:in": str(aid)})
    assert got and {v["attribute_id"] for v in got} == {aid}
    by_name = _all(shared_emulator, "/v3/customers/attribute-values", name=attrs[1]["name"])
    assert [v["id"] for v in by_name] == [v["id"] for v in got]
    stamps = sorted(v["date_modified"] for v in values)
    mid = stamps[len(stamps) // 2]
    later = _all(shared_emulator, "/v3/customers/attribute-values", **{"date_modified:min": mid})
    assert {v["id"] for v in later} == {v["id"] for v in values if v["date_modified"] >= mid}


def test_subscribers_filters(shared_emulator: Emulator) -> None:
    subs = _all(shared_emulator, "/v3/customers/subscribers")
    assert len(subs) == len(shared_emulator.collection("subscribers"))
    one = subs[5]
    assert _get(shared_emulator, "/v3/customers/subscribers", email=one["email"])["data"] == [one]
    stamps = sorted(s["date_modified"] for s in subs)
    mid = stamps[len(stamps) // 2]
    got = _all(shared_emulator, "/v3/customers/subscribers", **{"date_modified:min": mid})
    assert {s["id"] for s in got} == {s["id"] for s in subs if s["date_modified"] >= mid}
    single = _get(shared_emulator, f"/v3/customers/subscribers/{one['id']}")
    assert single["data"] == one
    assert shared_emulator.api("GET", "/v3/customers/subscribers/999999").status_code == 404


def test_v2_customer_groups(shared_emulator: Emulator) -> None:
    groups = _get(shared_emulator, "/v2/customer_groups")
    assert isinstance(groups, list) and groups
    for g in groups:
        parsedate_to_datetime(g["date_created"])  # RFC 2822
        assert g["date_created"].endswith("+0000")
        assert isinstance(g["discount_rules"][0]["amount"], str)
    count = _get(shared_emulator, "/v2/customer_groups/count")
    assert count == {"count": len(groups)}
    assert _get(shared_emulator, f"/v2/customer_groups/{groups[1]['id']}") == groups[1]
    r = shared_emulator.api("GET", "/v2/customer_groups", params={"page": 99})
    assert r.status_code == 204 and r.content == b""
    r = shared_emulator.api("GET", "/v2/customer_groups", params={"limit": 251})
    assert r.status_code == 413
    assert shared_emulator.api("GET", "/v2/customer_groups/9999").status_code == 404


def test_v2_customers_read(shared_emulator: Emulator) -> None:
    v3 = _get(shared_emulator, "/v3/customers", limit=5)["data"]
    v2 = _get(shared_emulator, "/v2/customers", limit=5)
    assert [c["id"] for c in v2] == [c["id"] for c in v3]
    assert parsedate_to_datetime(v2[0]["date_modified"]) == datetime.fromisoformat(
        v3[0]["date_modified"]
    )
    assert _get(shared_emulator, "/v2/customers/count")["count"] == len(
        shared_emulator.collection("customers")
    )
    cid = v2[0]["id"]
    assert _get(shared_emulator, f"/v2/customers/{cid}")["email"] == v3[0]["email"]
    owner = shared_emulator.collection("customer_addresses")[0]["customer_id"]
    addrs = _get(shared_emulator, f"/v2/customers/{owner}/addresses")
    assert _get(shared_emulator, f"/v2/customers/{owner}/addresses/count") == {"count": len(addrs)}
    one = _get(shared_emulator, f"/v2/customers/{owner}/addresses/{addrs[0]['id']}")
    assert one == addrs[0] and one["customer_id"] == owner and "street_1" in one
    assert shared_emulator.api("GET", f"/v2/customers/{owner}/addresses/999999").status_code == 404


def test_v2_customer_groups_date_modified_window(shared_emulator: Emulator) -> None:
    groups = _get(shared_emulator, "/v2/customer_groups")
    stamps = sorted(parsedate_to_datetime(g["date_modified"]) for g in groups)
    mid = stamps[len(stamps) // 2]
    got = _get(shared_emulator, "/v2/customer_groups", **{"date_modified:min": mid.isoformat()})
    assert {g["id"] for g in got} == {
        g["id"] for g in groups if parsedate_to_datetime(g["date_modified"]) >= mid
    }
