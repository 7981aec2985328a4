"""meltano.yml describes the plugins as they really are: every setting a plugin accepts is
declared (so `meltano config` can set it), secrets are marked sensitive, and Meltano itself
accepts the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.meltano_project import ROOT, meltano

# SDK built-ins a user rarely sets; declaring them is optional.
SDK_OPTIONAL = {
    "faker_config",
    "flattening_max_key_length",
    "flattening_separator",
    "batch_config",
    "add_record_metadata",
    "batch_size_rows",
    "validate_records",
    "stream_map_config",
    "flattening_enabled",
    "flattening_max_depth",
}
SECRETS = {"access_token", "client_secret", "connection_string", "oauth_verifier"}


def _plugin(kind: str, name: str) -> dict[str, Any]:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    return next(p for p in project["plugins"][kind] if p["name"] == name)


def _about(executable: str) -> dict[str, Any]:
    exe = str(Path(sys.executable).parent / executable)
    out = subprocess.run(
        [exe, "--about", "--format=json"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return json.loads(out)


@pytest.mark.parametrize(
    ("kind", "name"),
    [("extractors", "tap-bigcommerce"), ("loaders", "target-bigcommerce")],
)
def test_every_setting_is_declared(kind: str, name: str) -> None:
    plugin = _plugin(kind, name)
    declared = {s["name"]: s for s in plugin["settings"]}
    about = _about(plugin["executable"])
    accepted = set(about["settings"]["properties"])
    assert accepted - SDK_OPTIONAL <= set(declared), accepted - SDK_OPTIONAL - set(declared)
    assert set(declared) <= accepted, set(declared) - accepted
    for secret in SECRETS:
        assert declared[secret].get("sensitive") is True, secret
    if kind == "extractors":
        assert set(plugin["capabilities"]) <= set(about["capabilities"])


def test_meltano_reads_the_project(tmp_path: Path) -> None:
    env = {"MELTANO_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"}
    listed = meltano("config", "list", "tap-bigcommerce", env=env).output
    assert "store_hash" in listed and "TAP_BIGCOMMERCE_ACCESS_TOKEN" in listed
    schedules = meltano("schedule", "list", env=env).output
    assert "bigcommerce-hourly" in schedules and "@hourly" in schedules
