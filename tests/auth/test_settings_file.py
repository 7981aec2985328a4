"""The encrypted settings file: integrity, keys, permissions, atomic writes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tap_bigcommerce.auth.errors import SettingsFileError
from tap_bigcommerce.auth.settings import PASSPHRASE_ENV, AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.token_set import TokenSet

SECRET = "client-secret-for-file-tests"
TOKEN = TokenSet(
    access_token="access-token-value-abcdefghijkl",
    store_hash="abc123",
    scope="store_v2_products",
    obtained_at=1_700_000_000.0,
    expires_at=1_700_003_600.0,
    refresh_token="refresh-token-value-zyxwvutsrqpo",
)


def _written(tmp_path: Path) -> Path:
    path = tmp_path / "OAuthSettings.txt"
    store = SettingsFile(path, SECRET, "client-1")
    with store.locked():
        store.write(TOKEN)
    return path


def test_round_trip_mode_0600_and_nothing_in_clear(tmp_path: Path) -> None:
    path = _written(tmp_path)
    assert SettingsFile(path, SECRET, "client-1").read() == TOKEN
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    for secret in (TOKEN.access_token, TOKEN.refresh_token or "", SECRET, TOKEN.store_hash):
        assert secret not in text
    # Only the file and its lock remain: no temporary files left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "OAuthSettings.txt",
        "OAuthSettings.txt.lock",
    ]


def test_missing_file_reads_as_none(tmp_path: Path) -> None:
    assert SettingsFile(tmp_path / "nope.txt", SECRET).read() is None


def test_wrong_key_is_a_clear_error_and_the_file_stays(tmp_path: Path) -> None:
    path = _written(tmp_path)
    before = path.read_bytes()
    with pytest.raises(SettingsFileError) as info:
        SettingsFile(path, "some-other-secret").read()
    message = str(info.value)
    assert "wrong key" in message and "\n" not in message and SECRET not in message
    assert path.read_bytes() == before


@pytest.mark.parametrize("field", ["ciphertext", "nonce"])
def test_tampered_file_is_refused_and_left_as_it_was(tmp_path: Path, field: str) -> None:
    path = _written(tmp_path)
    doc = json.loads(path.read_text())
    raw = doc[field]
    # Flip one base64 character to another valid one.
    doc[field] = raw[:5] + ("A" if raw[5] != "A" else "B") + raw[6:]
    path.write_text(json.dumps(doc))
    before = path.read_bytes()
    with pytest.raises(SettingsFileError, match="modified or damaged"):
        SettingsFile(path, SECRET).read()
    assert path.read_bytes() == before


def test_not_a_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "OAuthSettings.txt"
    path.write_text("access_token=plain\n")
    with pytest.raises(SettingsFileError, match="not a tap-bigcommerce OAuth settings file"):
        SettingsFile(path, SECRET).read()


def test_another_apps_file_is_refused(tmp_path: Path) -> None:
    path = _written(tmp_path)
    with pytest.raises(SettingsFileError, match="another app"):
        SettingsFile(path, SECRET, "client-2").read()


def test_passphrase_from_the_environment_keys_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "a passphrase shared by the team")
    config = {
        "auth_scheme": "OAuth",
        "initiate_oauth": "REFRESH",
        "client_id": "client-1",
        "client_secret": SECRET,
        "oauth_settings_location": str(tmp_path / "OAuthSettings.txt"),
    }
    store = SettingsFile.for_settings(AuthSettings.from_config(config))
    with store.locked():
        store.write(TOKEN)
    # The client secret alone no longer opens it; the passphrase does, whatever the secret.
    with pytest.raises(SettingsFileError, match="wrong key"):
        SettingsFile(store.path, SECRET).read()
    rotated_secret = {**config, "client_secret": "rotated-secret"}
    assert SettingsFile.for_settings(AuthSettings.from_config(rotated_secret)).read() == TOKEN


def test_repr_and_summary_hide_secrets(tmp_path: Path) -> None:
    path = _written(tmp_path)
    store = SettingsFile(path, SECRET)
    shown = repr(store) + repr(TOKEN) + json.dumps(TOKEN.summary())
    for secret in (TOKEN.access_token, TOKEN.refresh_token or "", SECRET):
        assert secret not in shown
    assert TOKEN.summary()["access_token"] == "****ijkl"
