"""Part 7: every log, error, STATE and dead-letter output captured across the suite is
scanned for every secret the suite used (store tokens, client secrets, refresh tokens,
authorization codes, and every code and token the emulator's OAuth server issued).

This file runs last; on its own it still makes its own captures: an OAuth sync at DEBUG
level that exchanges a verifier and refreshes after a revoked token, `--about`, and the
auth program's `show`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tap_bigcommerce.auth.settings import AuthSettings
from tap_bigcommerce.auth.web_flow import get_authorization_url
from tests.auth.oauth_helpers import approve
from tests.faults import ledger
from tests.faults.oauth import emulator_with_app, harvest, refresh_config
from tests.faults.results import Case
from tests.faults.scenarios import STREAMS

pytestmark = pytest.mark.faults

TAP = [sys.executable, "-m", "tap_bigcommerce.tap"]
AUTH = [sys.executable, "-m", "tap_bigcommerce.auth.cli"]


def run(cmd: list[str], label: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TAP_BIGCOMMERCE_LOG_LEVEL": "DEBUG", "LOGLEVEL": "DEBUG"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env)
    ledger.capture(f"{label} stderr", proc.stderr)
    ledger.capture(f"{label} stdout", proc.stdout)
    return proc


def test_no_secret_in_any_output(tmp_path: Path, reliability: Callable[..., Case]) -> None:
    row = reliability(
        "7 secrets",
        "every secret against every captured output",
        faults="an OAuth sync at DEBUG level: verifier exchange, a `401` mid-sync answered "
        "by a refresh; `--about`; `tap-bigcommerce-auth show`; plus every output of parts 1-6",
        checked="tokens, client secrets, refresh tokens, authorization codes and every secret "
        "the OAuth server issued (`/__emulator/oauth/issued`): zero occurrences in logs, "
        "errors, STATE messages, dead-letter files and tap records",
    )
    with emulator_with_app("--size", "small", "--quota", "0") as emu:
        file = tmp_path / "OAuthSettings.txt"
        config = refresh_config(emu, file)
        request = get_authorization_url(AuthSettings.from_config(config))
        location = approve(request.url, follow=False).headers["Location"]
        ledger.secret(*parse_qs(urlsplit(location).query).get("code", []))
        config["oauth_verifier"] = location
        config_path = tmp_path / "config.json"
        config_path.write_text(json.dumps(config))
        catalog = tmp_path / "catalog.json"
        from tests.faults.tap_process import catalog as make_catalog

        catalog.write_text(json.dumps(make_catalog(config, STREAMS)))
        emu.fault("401", 1, path="^/v3/customers$")
        sync = run([*TAP, "--config", str(config_path), "--catalog", str(catalog)], "debug sync")
        assert sync.returncode == 0, sync.stderr[-2000:]
        assert "| DEBUG" in sync.stderr and "refreshed the OAuth token" in sync.stderr
        about = run([*TAP, "--config", str(config_path), "--about", "--format", "json"], "about")
        assert about.returncode == 0, about.stderr[-2000:]
        show = run([*AUTH, "show", "--config", str(config_path)], "auth show")
        assert show.returncode == 0, show.stderr[-2000:]
        harvest(emu)
    row.runs = 3
    assert len(ledger.SECRETS) >= 5, len(ledger.SECRETS)
    leaks = ledger.leaks()
    row.add(
        secrets=len(ledger.SECRETS),
        outputs_scanned=len(ledger.CAPTURES),
        kilobytes_scanned=sum(len(t) for _, t in ledger.CAPTURES) // 1024,
        hits=len(leaks),
    )
    assert leaks == [], leaks[:10]
