"""Parse and format ``connection_string``: ``AuthScheme=OAuth;StoreId='abc';...``.

Grammar: properties separated by ``;``; each is ``Name=Value``; names are matched
case-insensitively; a value is either bare (trimmed, no ``;`` or quote at its start) or quoted
with ``'`` or ``"``, the quote character doubled to stand for itself. Empty properties (a
trailing ``;``) are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tap_bigcommerce.auth.errors import AuthSetupError

# Connection-string property name (lower case) -> snake_case setting.
PROPERTY_TO_SETTING: dict[str, str] = {
    "authscheme": "auth_scheme",
    "storeid": "store_hash",
    "oauthaccesstoken": "access_token",
    "oauthclientid": "client_id",
    "oauthclientsecret": "client_secret",
    "callbackurl": "callback_url",
    "initiateoauth": "initiate_oauth",
    "oauthverifier": "oauth_verifier",
    "oauthsettingslocation": "oauth_settings_location",
    "scope": "scopes",
    "permissions": "scopes",
}

# The canonical spelling of each property, for formatting and messages.
CANONICAL_NAMES: dict[str, str] = {
    "auth_scheme": "AuthScheme",
    "store_hash": "StoreId",
    "access_token": "OAuthAccessToken",
    "client_id": "OAuthClientId",
    "client_secret": "OAuthClientSecret",
    "callback_url": "CallbackURL",
    "initiate_oauth": "InitiateOAuth",
    "oauth_verifier": "OAuthVerifier",
    "oauth_settings_location": "OAuthSettingsLocation",
    "scopes": "Scope",
}


def _error(message: str) -> AuthSetupError:
    return AuthSetupError(f"connection_string: {message}")


def parse_connection_string(text: str) -> dict[str, str]:
    """Return the settings the string sets, by snake_case setting name."""
    out: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        # Skip separators and whitespace between properties.
        while i < n and (text[i] == ";" or text[i].isspace()):
            i += 1
        if i >= n:
            break
        eq = text.find("=", i)
        semi = text.find(";", i)
        if eq < 0 or (0 <= semi < eq):
            end = semi if semi >= 0 else n
            raise _error(f"property {text[i:end].strip()[:40]!r} has no '=' and value")
        name = text[i:eq].strip()
        if not name:
            raise _error(f"a value at position {i} has no property name")
        setting = PROPERTY_TO_SETTING.get(name.lower())
        if setting is None:
            raise _error(f"unknown property {name[:40]!r}")
        i = eq + 1
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] in "'\"":
            quote = text[i]
            i += 1
            chars: list[str] = []
            while True:
                if i >= n:
                    # The value may be a secret: name the property, never the value.
                    raise _error(f"the quoted value of {name} is not closed")
                if text[i] == quote:
                    if i + 1 < n and text[i + 1] == quote:
                        chars.append(quote)
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(text[i])
                i += 1
            value = "".join(chars)
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] != ";":
                raise _error(f"unexpected text after the quoted value of {name}")
        else:
            end = text.find(";", i)
            end = n if end < 0 else end
            value = text[i:end].strip()
            i = end
        if setting in out:
            raise _error(f"{CANONICAL_NAMES[setting]} is given more than once")
        out[setting] = value
    return out


def format_connection_string(settings: dict[str, str]) -> str:
    """The inverse of :func:`parse_connection_string`, every value single-quoted."""
    parts = []
    for setting, value in settings.items():
        quoted = "'" + value.replace("'", "''") + "'"
        parts.append(f"{CANONICAL_NAMES[setting]}={quoted}")
    return ";".join(parts)


def expand_connection_string(config: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that ``connection_string`` adds to ``config``: each property not also
    given as a setting of its own (explicit settings win), by snake_case name.

    Plugins merge this into their config before validating it, so that a store hash given
    only as ``StoreId`` satisfies ``store_hash``.
    """
    text = config.get("connection_string")
    if not text:
        return {}
    return {
        name: value
        for name, value in parse_connection_string(str(text)).items()
        if config.get(name) in (None, "")
    }
