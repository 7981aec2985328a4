"""Part 2: kill -9 the tap at random points across streams and run it again from the last
STATE it emitted; the union of the runs covers every record of the store."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from tests.emulator_process import Emulator, running_emulator
from tests.faults.coverage import duplicates, missing
from tests.faults.results import Case
from tests.faults.scenarios import SPECS, STREAMS, store_ids, tap_config
from tests.faults.tap_process import TapOutput, run_tap

pytestmark = pytest.mark.faults

KILLS = 20
MAX_RUNS = 60  # bound on the whole test
MAX_KILLS_PER_CHAIN = 4


@pytest.fixture(scope="module")
def store() -> Iterator[Emulator]:
    args = ("--products", "150", "--customers", "300", "--orders", "400", "--seed", "5")
    with running_emulator(*args, "--quota", "0") as emu:
        yield emu


def last_record_stream(run: TapOutput) -> str:
    records = [m.stream for m in run.messages if m.type == "RECORD"]
    return records[-1] if records else "(none)"


def test_kill_9_at_random_points_and_resume(
    store: Emulator, reliability: Callable[..., Case]
) -> None:
    row = reliability(
        "2 kill/resume",
        "kill -9 at random output lines, resume from the last STATE",
        faults=f"SIGKILL after a random number of output lines, {KILLS}+ times, up to "
        f"{MAX_KILLS_PER_CHAIN} in a row before a run may finish",
        checked="each chain's runs together emit every record of 8 streams; duplicates only "
        "at the bookmark boundary (or a resumed full-table stream); the last run exits 0",
    )
    config = tap_config(store, page_size=25)
    expected = store_ids(store, STREAMS)
    values = {
        s.name: {int(r["id"]): str(r[s.replication_key]) for r in store.collection(s.name)}
        for s in SPECS
        if s.replication_key
    }
    reference = run_tap(config, STREAMS, label="kill reference")
    assert reference.returncode == 0, reference.tail()
    lines = len(reference.messages)
    rng = random.Random(20261203)
    kills = 0
    runs = 1
    killed_in: Counter[str] = Counter()
    dup_boundary = dup_children = dup_full_table = 0
    chains = 0
    while kills < KILLS:
        assert runs < MAX_RUNS, f"only {kills} kills in {runs} runs"
        chains += 1
        chain: list[TapOutput] = []
        state = None
        while True:
            point = rng.randint(1, lines) if len(chain) < MAX_KILLS_PER_CHAIN else None
            run = run_tap(config, STREAMS, state=state, kill_after_lines=point, label="kill")
            runs += 1
            chain.append(run)
            if not run.killed:
                assert run.returncode == 0, run.tail()
                break
            kills += 1
            killed_in[last_record_stream(run)] += 1
            state = run.last_state or state
        for stream in STREAMS:
            lost, extra = missing(chain, stream, expected[stream])
            assert not lost, f"chain {chains}: {stream} lost {sorted(lost)[:5]}"
            assert not extra, f"chain {chains}: {stream} invented {sorted(extra)[:5]}"
        dups = duplicates(chain, SPECS, values)
        assert not dups.violations, dups.violations[:5]
        dup_boundary += dups.at_boundary
        dup_children += dups.with_parent
        dup_full_table += dups.full_table_rerun
    row.runs = runs
    # Kills landed in the middle of several streams, not only the first.
    assert len(killed_in) >= 4, killed_in
    row.add(
        kills=kills,
        chains=chains,
        streams_killed_in=len(killed_in),
        duplicates_at_bookmark=dup_boundary,
        children_with_parent=dup_children,
        full_table_reread=dup_full_table,
    )
