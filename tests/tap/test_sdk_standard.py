"""The SDK's standard tap tests, run against a live emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from singer_sdk.testing import get_tap_test_class

from tap_bigcommerce.tap import TapBigCommerce
from tests.emulator_process import running_emulator

# Filled in by the fixture below once the emulator runs; the SDK's runner holds this dict.
CONFIG: dict[str, Any] = {
    "store_hash": "teststore",
    "access_token": "test-token",
    "api_url": "http://127.0.0.1:1",
    "max_concurrency": 4,
}

_Base = get_tap_test_class(TapBigCommerce, config=CONFIG)


class TestTapBigCommerce(_Base):  # type: ignore[misc,valid-type]
    @pytest.fixture(scope="class", autouse=True)
    def _live_emulator(self) -> Iterator[None]:
        with running_emulator("--size", "small", "--seed", "7", "--quota", "0") as emu:
            CONFIG["api_url"] = emu.base_url
            yield
