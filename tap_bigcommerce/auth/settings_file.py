"""The encrypted OAuth settings file: where tokens outlive a Meltano run.

Writes are atomic (temporary file in the same folder, fsync, rename) with mode 0600, and a
lock file next to it serialises read-refresh-write across processes, so two runs refreshing
at once neither corrupt the file nor overwrite a newer token with an older one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from tap_bigcommerce.auth import crypto
from tap_bigcommerce.auth.errors import SettingsFileError
from tap_bigcommerce.auth.settings import PASSPHRASE_ENV, AuthSettings
from tap_bigcommerce.auth.token_set import TokenSet

LOCK_TIMEOUT_S = 120.0


def key_secret(settings: AuthSettings) -> str:
    """The passphrase from the environment if set, else the app's client secret."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        return passphrase
    if not settings.client_secret:
        raise SettingsFileError(
            f"the OAuth settings file needs client_secret (or {PASSPHRASE_ENV}) as its key"
        )
    return settings.client_secret


class SettingsFile:
    def __init__(self, path: Path, secret: str, client_id: str | None = None) -> None:
        self.path = Path(path)
        self._secret = secret
        self.client_id = client_id
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S, mode=0o600)

    @classmethod
    def for_settings(cls, settings: AuthSettings) -> SettingsFile:
        return cls(settings.oauth_settings_location, key_secret(settings), settings.client_id)

    def __repr__(self) -> str:
        return f"SettingsFile({str(self.path)!r})"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock (re-entrant within this object)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            with self._lock:
                yield
        except Timeout as exc:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: another process held its lock for over "
                f"{LOCK_TIMEOUT_S:.0f}s"
            ) from exc

    def read(self) -> TokenSet | None:
        """The saved token, or None when there is no file yet."""
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: cannot read it ({exc.strerror})"
            ) from exc
        try:
            payload = crypto.unseal(self._secret, blob)
        except crypto.WrongKey:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: wrong key; it was written with a different "
                f"client_secret or {PASSPHRASE_ENV} (the file was left as it is)"
            ) from None
        except crypto.Modified:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: it has been modified or damaged and fails "
                "its integrity check (the file was left as it is)"
            ) from None
        except crypto.NotOurs:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: not a tap-bigcommerce OAuth settings file "
                "(the file was left as it is)"
            ) from None
        saved_client = payload.get("client_id")
        if self.client_id and saved_client and saved_client != self.client_id:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: it belongs to another app (client_id "
                f"{saved_client!r}, configured {self.client_id!r})"
            )
        try:
            return TokenSet.from_dict(payload["token"])
        except (KeyError, TypeError) as exc:
            raise SettingsFileError(
                f"OAuth settings file {self.path}: it holds no token record"
            ) from exc

    def write(self, token: TokenSet) -> None:
        payload = {"client_id": self.client_id, "token": token.to_dict()}
        blob = crypto.seal(self._secret, payload)
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            if hasattr(os, "fchmod"):  # POSIX; on Windows the user's profile folder guards it
                os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        # Make the rename itself durable.
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
