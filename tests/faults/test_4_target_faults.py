"""Part 4: the target under 429s, 5xx and resets during its batches, with records the API
refuses (207 item errors, 409, 422), and kill -9 mid-run followed by a re-run from the last
STATE it acknowledged."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.emulator_process import Emulator, running_emulator
from tests.faults import ledger
from tests.faults.injector import Burst, FaultInjector
from tests.faults.results import Case
from tests.faults.target_process import run_target
from tests.target.support import schema_message

pytestmark = pytest.mark.faults

RUNS = 6
STATE_EVERY = 10
WRITE_PATHS = r"^/v3/catalog/products$|^/v3/customers$"


@pytest.fixture(scope="module")
def store() -> Iterator[Emulator]:
    args = ("--products", "80", "--customers", "80", "--orders", "5", "--seed", "4")
    with running_emulator(*args, "--quota", "0") as emu:
        yield emu


@dataclass
class Input:
    lines: list[dict[str, Any]]
    # What each record asks for, in input order: (stream, id, field, value, state n before it)
    good: list[tuple[str, int, str, Any, int]] = field(default_factory=list)
    bad: list[tuple[str, int, int]] = field(default_factory=list)  # (stream, id, state n)
    state_at: dict[int, int] = field(default_factory=dict)  # STATE n -> its line index


def make_input(rng: random.Random, run_no: int, skus: dict[int, str]) -> Input:
    rows: list[tuple[str, dict[str, Any], bool]] = []
    for pid in range(1, 71):
        rows.append(("products", {"id": pid, "price": round(rng.uniform(1, 900), 2)}, True))
    for cid in range(1, 61):
        rows.append(("customers", {"id": cid, "first_name": f"R{run_no}C{cid}"}, True))
    bad_products = rng.sample(range(1, 71), 2)
    bad_customer = rng.randint(1, 60)
    rows = [r for r in rows if not (r[0] == "products" and r[1]["id"] in bad_products)]
    rows = [r for r in rows if not (r[0] == "customers" and r[1]["id"] == bad_customer)]
    # Negative stock: the product is saved, its stock refused (a 207 item error).
    rows.append(("products", {"id": bad_products[0], "inventory_level": -5}, False))
    # Another product's SKU: 409 inside the batch.
    other = next(p for p in sorted(skus) if p != bad_products[1] and p not in bad_products)
    rows.append(("products", {"id": bad_products[1], "sku": skus[other]}, False))
    # Not an e-mail address: 422 (the customers batch is all-or-nothing).
    rows.append(("customers", {"id": bad_customer, "email": "not-an-email"}, False))
    rng.shuffle(rows)
    data = Input([schema_message("products"), schema_message("customers")])
    n = 0
    for i, (stream, record, ok) in enumerate(rows):
        data.lines.append({"type": "RECORD", "stream": stream, "record": record})
        if ok:
            fld = "price" if stream == "products" else "first_name"
            data.good.append((stream, record["id"], fld, record[fld], n + 1))
        else:
            data.bad.append((stream, record["id"], n + 1))
        if (i + 1) % STATE_EVERY == 0 or i == len(rows) - 1:
            n += 1
            data.state_at[n] = len(data.lines)
            data.lines.append({"type": "STATE", "value": {"run": run_no, "n": n}})
    return data


def dead_letters(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class Checker:
    """Checks, at the moment a STATE is acknowledged, that everything before it is applied."""

    def __init__(self, emu: Emulator, data: Input, dead_path: Path) -> None:
        self.emu, self.data, self.dead_path = emu, data, dead_path

    def applied(self, upto: int | None = None) -> None:
        stores = {
            s: {int(r["id"]): r for r in self.emu.collection(s)} for s in ("products", "customers")
        }
        for stream, rid, fld, value, n in self.data.good:
            if upto is not None and n > upto:
                continue
            have = stores[stream][rid][fld]
            if isinstance(value, float):
                assert abs(float(have) - value) < 0.005, (stream, rid, fld, have, value, upto)
            else:
                assert have == value, (stream, rid, fld, have, value, upto)
        dead = {(d["stream"], int(d["record"]["id"])): d for d in dead_letters(self.dead_path)}
        for stream, rid, n in self.data.bad:
            if upto is not None and n > upto:
                continue
            entry = dead.get((stream, rid))
            assert entry is not None, f"{stream} {rid} acknowledged but not dead-lettered"
            assert entry["status"] in (207, 409, 422) or entry.get("http_status") == 207, entry
            assert str(entry.get("error") or "").strip(), entry
        good_keys = {(s, r) for s, r, *_ in self.data.good}
        assert not [k for k in dead if k in good_keys], "an accepted record was dead-lettered"

    def on_state(self, value: dict[str, Any]) -> None:
        self.applied(int(value["n"]))


def target_config(emu: Emulator, dead_path: Path) -> dict[str, Any]:
    return {
        "store_hash": emu.store_hash,
        "access_token": emu.token,
        "api_url": emu.base_url,
        "dead_letter_path": str(dead_path),
        "max_failed_records": 100,
        "retry_backoff": 0.05,
        "max_retries": 8,
    }


def bursts(rng: random.Random) -> list[Burst]:
    kinds = ["429", "500", "502", "503", "reset"]
    return [Burst(rng.choice(kinds), rng.randint(1, 3), {"path": WRITE_PATHS}) for _ in range(10)]


def test_target_under_faults_and_kill_9(
    store: Emulator, tmp_path: Path, reliability: Callable[..., Case]
) -> None:
    row = reliability(
        "4 target",
        "writes under 429/5xx/resets, 207/409/422 rejections, kill -9 and re-run",
        faults=f"{RUNS} inputs of 130 updates + 3 bad records; 10 bursts of 1-3 `429`/`500`/"
        "`502`/`503`/resets on the write and look-up paths every 2 requests; every other "
        "input killed -9 a random 0-0.4 s after a random STATE, then re-run from it",
        checked="at every STATE acknowledged, every record before it is in the store or the "
        "dead-letter file; at the end the store holds exactly the input's values, no record "
        "was created, every rejected record is dead-lettered with its status and reason",
    )
    rng = random.Random(44)
    counts = {s: len(store.collection(s)) for s in ("products", "customers")}
    totals = {"states_checked": 0, "kills": 0, "faults_fired": 0, "rejected": 0}
    for run_no in range(RUNS):
        skus = {int(p["id"]): p["sku"] for p in store.collection("products")}
        data = make_input(rng, run_no, skus)
        dead_path = tmp_path / f"dead-{run_no}.jsonl"
        check = Checker(store, data, dead_path)
        config = target_config(store, dead_path)
        kill = run_no % 2 == 1
        with FaultInjector(store, bursts(rng), every=2) as injector:
            first = run_target(
                config,
                data.lines,
                on_state=check.on_state,
                kill_after_states=rng.randint(2, 8) if kill else None,
                kill_delay_s=rng.uniform(0, 0.4),
                label=f"target run {run_no}",
            )
            row.runs += 1
            totals["states_checked"] += first.checks
            if kill and first.killed:
                totals["kills"] += 1
                last = int(first.states[-1]["n"]) if first.states else 0
                rest = (
                    data.lines[:2] + data.lines[data.state_at[last] + 1 :] if last else data.lines
                )
                second = run_target(
                    config, rest, on_state=check.on_state, label=f"target re-run {run_no}"
                )
                row.runs += 1
                totals["states_checked"] += second.checks
                assert second.returncode == 0, second.stderr[-3000:]
            else:
                assert first.returncode == 0, first.stderr[-3000:]
            injector.stop()
            totals["faults_fired"] += injector.fired()
        assert not injector.errors, injector.errors
        check.applied()
        ledger.capture_file("target dead letters", dead_path)
        totals["rejected"] += len(data.bad)
        assert {s: len(store.collection(s)) for s in counts} == counts, "records were created"
    assert totals["kills"] >= RUNS // 2 - 1, totals
    assert totals["faults_fired"] >= RUNS * 3, totals
    row.add(**totals)
