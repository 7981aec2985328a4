"""The Singer SDK's standard target tests that apply to a target with a fixed stream set.

The SDK's file-based tests write streams such as ``test_camelcase``; this target refuses
every stream that is not a BigCommerce resource (see ``test_modes``), so the ones kept here
are those about the CLI and malformed input, which fail before any stream is chosen.
"""

from __future__ import annotations

from singer_sdk.testing import get_target_test_class
from singer_sdk.testing.suites import SingerTestSuite as _Suite
from singer_sdk.testing.target_tests import (
    TargetCliPrintsTest,
    TargetInvalidSchemaTest,
    TargetRecordBeforeSchemaTest,
)

from target_bigcommerce.target import TargetBigCommerce

CONFIG = {
    "store_hash": "standardtests",
    "access_token": "not-used",
    # Nothing here reaches the API; a closed loopback port makes sure of it.
    "api_url": "http://127.0.0.1:9",
}

TestTargetBigCommerceStandard = get_target_test_class(
    TargetBigCommerce,
    config=CONFIG,
    include_target_tests=False,
    custom_suites=[
        _Suite(
            kind="target",
            tests=[TargetCliPrintsTest, TargetRecordBeforeSchemaTest, TargetInvalidSchemaTest],
        )
    ],
)
