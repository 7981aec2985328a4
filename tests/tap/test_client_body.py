"""Bodies read in one piece still behave as requests' own reading did: the connection is
kept for the next request, and the body stays readable on the response."""

from __future__ import annotations

from tests.emulator_process import Emulator
from tests.tap.test_client import PATH, make_client


def test_one_connection_serves_consecutive_requests(emulator: Emulator) -> None:
    client = make_client(emulator)
    for _ in range(5):
        assert client.get_json(PATH)
    pools = client._session().get_adapter(emulator.base_url).poolmanager.pools
    (pool,) = [pools[key] for key in pools.keys()]
    # Opened once, then handed back after every fully read body.
    assert pool.num_connections == 1
    assert pool.num_requests == 5


def test_the_body_stays_on_the_response(emulator: Emulator) -> None:
    client = make_client(emulator)
    response = client.request("GET", PATH)
    assert response.content and response.json() == client.get_json(PATH)
    assert response.text.startswith("[")
