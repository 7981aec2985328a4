"""``tap-bigcommerce-auth``: the OAuth steps as commands.

* ``url``: print the authorization URL and the ``state`` to check on return (web flow 1).
* ``exchange``: exchange a verifier for a token, print it as JSON, save it (web flow 2).
* ``login``: the desktop flow (browser and loopback listener), saved to the settings file.
* ``show``: what the settings file holds, secrets masked.

Settings come from ``--config`` files (the tap's own config) or ``--config ENV``: the
``TAP_BIGCOMMERCE_<SETTING>`` or ``MELTANO_EXTRACT_<SETTING>`` variables Meltano sets for a
plugin command, read by default when no ``--config`` is given. Flags override both.
Secrets are read from config only, never from flags, so they stay out of process lists.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from tap_bigcommerce.auth.desktop_flow import DEFAULT_TIMEOUT_S, run_desktop_flow
from tap_bigcommerce.auth.errors import (
    AuthSetupError,
    OAuthFlowError,
    SettingsFileError,
    TokenUnavailableError,
)
from tap_bigcommerce.auth.settings import AUTH_SETTING_NAMES, AuthSettings
from tap_bigcommerce.auth.settings_file import SettingsFile
from tap_bigcommerce.auth.token_set import TokenSet
from tap_bigcommerce.auth.web_flow import get_access_token, get_authorization_url

# Later prefixes win: the plugin's own variables over Meltano's generic ones.
ENV_PREFIXES = ("MELTANO_EXTRACT_", "TAP_BIGCOMMERCE_")


def _load_config(sources: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for source in sources:
        if source == "ENV":
            for prefix in ENV_PREFIXES:
                for name in (*AUTH_SETTING_NAMES, "connection_string"):
                    value = os.environ.get(prefix + name.upper())
                    if value:
                        config[name] = value
            continue
        try:
            data = json.loads(Path(source).read_text())
        except (OSError, ValueError) as exc:
            raise AuthSetupError(f"--config {source}: cannot read it as JSON ({exc})") from None
        if not isinstance(data, dict):
            raise AuthSetupError(f"--config {source}: must hold a JSON object")
        config.update(data)
    return config


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", action="append", default=[], help="config JSON file, or ENV (repeatable)"
    )
    common.add_argument("--store-hash")
    common.add_argument("--client-id")
    common.add_argument("--auth-url")
    common.add_argument("--settings-location", help="the OAuth settings file")

    p = argparse.ArgumentParser(prog="tap-bigcommerce-auth", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    url = sub.add_parser("url", parents=[common], help="print the authorization URL and state")
    url.add_argument("--callback-url")
    url.add_argument("--scopes", help="scopes (permissions), space or comma separated")
    ex = sub.add_parser("exchange", parents=[common], help="exchange a verifier for a token")
    ex.add_argument(
        "--verifier", help="the code, or the whole callback URL (default: oauth_verifier)"
    )
    ex.add_argument("--callback-url")
    ex.add_argument("--state", help="the state printed by `url`, checked against the callback")
    ex.add_argument("--no-save", action="store_true", help="print only, do not save")
    login = sub.add_parser("login", parents=[common], help="the desktop flow")
    login.add_argument("--callback-url")
    login.add_argument("--scopes")
    login.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S)
    sub.add_parser("show", parents=[common], help="show the settings file, secrets masked")
    return p


def _settings(args: argparse.Namespace) -> tuple[AuthSettings, dict[str, Any]]:
    config = _load_config(args.config or ["ENV"])
    overrides = {
        "store_hash": args.store_hash,
        "client_id": args.client_id,
        "auth_url": args.auth_url,
        "oauth_settings_location": args.settings_location,
        "callback_url": getattr(args, "callback_url", None),
        "scopes": getattr(args, "scopes", None),
    }
    config.update({k: v for k, v in overrides.items() if v})
    return AuthSettings.from_config(config, validate=False), config


def _token_json(token: TokenSet, saved_to: Path | None) -> dict[str, Any]:
    return {
        "access_token": token.access_token,
        "store_hash": token.store_hash,
        "scope": token.scope,
        "expires_in": round(token.expires_at - time.time()) if token.expires_at else None,
        "expires_at": token.summary()["expires_at"],
        "saved_to": str(saved_to) if saved_to else None,
    }


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings, config = _settings(args)
    if args.command == "url":
        req = get_authorization_url(settings)
        print(json.dumps({"url": req.url, "state": req.state, "callback_url": req.callback_url}))
        return 0
    if args.command == "exchange":
        save = not args.no_save and bool(
            args.settings_location or config.get("oauth_settings_location")
        )
        verifier = args.verifier or settings.oauth_verifier
        if not verifier:
            raise AuthSetupError("exchange: give --verifier or set oauth_verifier")
        token = get_access_token(settings, verifier, expected_state=args.state, save=save)
        print(json.dumps(_token_json(token, settings.oauth_settings_location if save else None)))
        return 0
    if args.command == "login":
        token = run_desktop_flow(
            settings, timeout=args.timeout, notify=lambda m: print(m, file=sys.stderr)
        )
        store = SettingsFile.for_settings(settings)
        with store.locked():
            store.write(token)
        print(json.dumps({**token.summary(), "saved_to": str(store.path)}))
        return 0
    # show
    saved = SettingsFile.for_settings(settings).read()
    if saved is None:
        raise SettingsFileError(f"OAuth settings file {settings.oauth_settings_location}: none yet")
    print(json.dumps({**saved.summary(), "file": str(settings.oauth_settings_location)}))
    return 0


def main(argv: list[str] | None = None) -> None:
    try:
        code = run(argv)
    except AuthSetupError as exc:
        print(f"tap-bigcommerce-auth: error: {exc}", file=sys.stderr)
        code = 2
    except (OAuthFlowError, SettingsFileError, TokenUnavailableError) as exc:
        print(f"tap-bigcommerce-auth: error: {exc}", file=sys.stderr)
        code = 1
    raise SystemExit(code)


if __name__ == "__main__":
    main()
