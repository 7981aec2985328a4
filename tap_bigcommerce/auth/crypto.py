"""Authenticated encryption of the settings file: scrypt key, AES-256-GCM.

The key comes from the app's client secret (or a passphrase), never from anything tied to
one machine, so the file can be copied to a server that has the same app credentials. A
separate key-check value tells "wrong key" apart from "file modified".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "tap-bigcommerce-oauth-settings"
VERSION = 1
# scrypt cost: ~30 MiB and tens of milliseconds, so a stolen file resists guessing a
# passphrase, while a run pays it only when it reads or writes the file.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class WrongKey(Exception):
    pass


class Modified(Exception):
    pass


class NotOurs(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise NotOurs
    return base64.b64decode(text.encode("ascii"), validate=True)


@lru_cache(maxsize=16)
def _derive(secret: bytes, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    material = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(secret)
    return material[:32], material[32:]


def _check_value(check_key: bytes) -> bytes:
    return hmac.new(check_key, b"key-check", hashlib.sha256).digest()[:16]


def seal(secret: str, payload: dict[str, Any]) -> bytes:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    enc_key, check_key = _derive(secret.encode(), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "check": _b64(_check_value(check_key)),
    }
    aad = json.dumps(header, sort_keys=True).encode()
    plaintext = json.dumps(payload, sort_keys=True).encode()
    ciphertext = AESGCM(enc_key).encrypt(nonce, plaintext, aad)
    doc = {**header, "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()


def unseal(secret: str, blob: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(blob)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise NotOurs
        if doc.get("version") != VERSION:
            raise NotOurs
        kdf = doc["kdf"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        # Bounds stop a modified header from asking for gigabytes of scrypt memory.
        if kdf.get("name") != "scrypt" or not (2**10 <= n <= 2**20 and 1 <= r <= 32 and p == 1):
            raise Modified
        salt = _unb64(kdf["salt"])
        check = _unb64(doc["check"])
        nonce = _unb64(doc["nonce"])
        ciphertext = _unb64(doc["ciphertext"])
    except (ValueError, KeyError, TypeError) as exc:
        raise NotOurs from exc
    enc_key, check_key = _derive(secret.encode(), salt, n, r, p)
    if not hmac.compare_digest(_check_value(check_key), check):
        raise WrongKey
    header = {k: doc[k] for k in ("format", "version", "kdf", "check")}
    aad = json.dumps(header, sort_keys=True).encode()
    try:
        plaintext = AESGCM(enc_key).decrypt(nonce, ciphertext, aad)
        payload = json.loads(plaintext)
    except (InvalidTag, ValueError) as exc:
        raise Modified from exc
    if not isinstance(payload, dict):
        raise Modified
    return payload
