"""Request counts, statuses, in-flight maxima and the request log."""

from __future__ import annotations

from tests.emulator.framework_support import plain_get_route
from tests.emulator_process import running_emulator


def test_stats_and_request_log() -> None:
    with running_emulator("--size", "tiny", "--quota", "0") as emu:
        route = plain_get_route()
        key = f"GET {route.path}"
        for _ in range(3):
            assert emu.api("GET", route.path).status_code in (200, 204)
        assert emu.api("GET", route.path, token="wrong").status_code == 401
        stats = emu.stats()
        assert stats["total"] == 4
        assert stats["by_endpoint"][key] == 4
        ok = str(emu.api("GET", route.path).status_code)
        stats = emu.stats()
        assert stats["by_endpoint_status"][key] == {ok: 4, "401": 1}
        assert stats["max_in_flight"][key] >= 1
        assert stats["store_max_in_flight"] >= 1

        log = emu.requests_log()
        assert [e["seq"] for e in log] == [1, 2, 3, 4, 5]
        assert all(e["endpoint"] == key and e["path"].endswith(route.path) for e in log)
        assert log[3]["status"] == 401
        assert [e["seq"] for e in emu.requests_log(since=3)] == [4, 5]

        emu.api("GET", route.path, params={"limit": 1})
        assert emu.requests_log(since=5)[0]["query"] == "limit=1"

        emu.control("DELETE", "/requests", params={"store_hash": emu.store_hash})
        assert emu.requests_log() == []
        assert emu.stats()["total"] == 0
        emu.api("GET", route.path)
        # Sequence numbers keep growing, so a reader's `since` stays meaningful.
        assert [e["seq"] for e in emu.requests_log()] == [7]
