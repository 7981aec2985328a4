"""``connection_string`` parsing and how it combines with explicit settings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tap_bigcommerce.auth.connection_string import (
    CANONICAL_NAMES,
    format_connection_string,
    parse_connection_string,
)
from tap_bigcommerce.auth.errors import AuthSetupError
from tap_bigcommerce.auth.settings import AuthSettings

settings_names = st.sampled_from(sorted(CANONICAL_NAMES))
values = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


@given(st.dictionaries(settings_names, values, max_size=len(CANONICAL_NAMES)))
def test_format_then_parse_round_trips(settings: dict[str, str]) -> None:
    assert parse_connection_string(format_connection_string(settings)) == settings


@given(st.text(max_size=80))
def test_arbitrary_text_parses_or_fails_with_a_setup_error(text: str) -> None:
    try:
        parsed = parse_connection_string(text)
    except AuthSetupError as exc:
        assert str(exc).startswith("connection_string: ")
        assert "\n" not in str(exc)
    else:
        assert set(parsed) <= set(CANONICAL_NAMES)


@given(
    st.sampled_from(["StoreId", "storeid", "STOREID", "sToReId"]),
    st.sampled_from(["'", '"']),
    st.text(alphabet="abc;= '\"x", max_size=12),
)
def test_names_are_case_insensitive_and_quotes_escape_by_doubling(
    name: str, quote: str, value: str
) -> None:
    quoted = quote + value.replace(quote, quote * 2) + quote
    assert parse_connection_string(f" {name} = {quoted} ;") == {"store_hash": value}


def test_the_documented_form() -> None:
    text = (
        "AuthScheme=OAuth;StoreId='abc123';OAuthClientId='cid';OAuthClientSecret='s;e''c';"
        "CallbackURL='http://localhost:33333/cb';InitiateOAuth=GETANDREFRESH;"
        "OAuthSettingsLocation='/tmp/x.txt';Permissions='store_v2_products store_v2_orders'"
    )
    settings = AuthSettings.from_config({"connection_string": text})
    assert settings.auth_scheme == "OAuth" and settings.initiate_oauth == "GETANDREFRESH"
    assert settings.store_hash == "abc123" and settings.client_secret == "s;e'c"
    assert settings.scopes == ("store_v2_products", "store_v2_orders")
    assert str(settings.oauth_settings_location) == "/tmp/x.txt"


def test_explicit_settings_win_over_the_connection_string() -> None:
    config = {
        "connection_string": "AuthScheme=PersonalAccessToken;StoreId=instring;OAuthAccessToken=t1",
        "store_hash": "explicit1",
    }
    settings = AuthSettings.from_config(config)
    assert settings.store_hash == "explicit1" and settings.access_token == "t1"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Bogus=1", "unknown property 'Bogus'"),
        ("StoreId=a;storeid=b", "StoreId is given more than once"),
        ("OAuthClientSecret='never-shown", "quoted value of OAuthClientSecret is not closed"),
        ("StoreId='a' trailing", "unexpected text after the quoted value of StoreId"),
        ("JustAName", "has no '='"),
    ],
)
def test_errors_name_the_property_never_the_value(text: str, fragment: str) -> None:
    with pytest.raises(AuthSetupError) as info:
        parse_connection_string(text)
    assert fragment in str(info.value)
    assert "never-shown" not in str(info.value)


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"auth_scheme": "Basic"}, "auth_scheme"),
        ({"store_hash": "abc", "access_token": "t", "initiate_oauth": "ALWAYS"}, "initiate_oauth"),
        ({"store_hash": "abc"}, "access_token is required"),
        ({"auth_scheme": "OAuth", "initiate_oauth": "REFRESH", "client_id": "c"}, "client_secret"),
        (
            {"store_hash": "abc", "access_token": "t", "auth_url": "http://login.example.com"},
            "auth_url",
        ),
    ],
)
def test_bad_settings_name_the_setting(config: dict[str, str], fragment: str) -> None:
    with pytest.raises(AuthSetupError, match=fragment):
        AuthSettings.from_config(config)


def test_the_tap_config_keeps_connection_string_properties() -> None:
    """The SDK fills schema defaults into the config; none may mask the connection string."""
    from tap_bigcommerce.tap import TapBigCommerce

    tap = TapBigCommerce(
        config={
            "store_hash": "abc123",
            "connection_string": "AuthScheme=OAuth;InitiateOAuth=OFF;OAuthAccessToken='tok'",
        },
        validate_config=True,
    )
    settings = AuthSettings.from_config(tap.config)
    assert (settings.auth_scheme, settings.initiate_oauth) == ("OAuth", "OFF")
    assert settings.access_token == "tok"
