"""Every authentication setting, for the tap's and the target's ``config_jsonschema``.

No property has a schema ``default``: the SDK writes defaults into the config, where they
would count as explicit settings and override the same property in ``connection_string``.
The defaults are applied by ``AuthSettings`` instead.
"""

from __future__ import annotations

from singer_sdk import typing as th

from tap_bigcommerce.auth.settings import AUTH_SCHEMES, DEFAULT_AUTH_URL, INITIATE_MODES

AUTH_SETTINGS = th.PropertiesList(
    th.Property(
        "auth_scheme",
        th.StringType,
        allowed_values=list(AUTH_SCHEMES),
        description="PersonalAccessToken (a store API account's X-Auth-Token; the default) "
        "or OAuth (an app).",
    ),
    th.Property(
        "store_hash",
        th.StringType,
        description="The store hash (StoreId): the part after /stores/ in the API path.",
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        description="API account token, or an OAuth access token used as given (OFF).",
    ),
    th.Property("client_id", th.StringType, description="The OAuth app's client ID."),
    th.Property(
        "client_secret",
        th.StringType,
        secret=True,
        description="The OAuth app's client secret; also keys the encrypted settings file.",
    ),
    th.Property(
        "callback_url",
        th.StringType,
        description="The app's registered redirect URL (loopback for the desktop flow).",
    ),
    th.Property(
        "initiate_oauth",
        th.StringType,
        allowed_values=list(INITIATE_MODES),
        description="OFF (the default): use access_token; GETANDREFRESH: get (browser) and "
        "refresh; REFRESH: headless, from oauth_verifier or a copied settings file.",
    ),
    th.Property(
        "oauth_verifier",
        th.StringType,
        secret=True,
        description="The code (or callback URL) from the web flow, exchanged once (headless).",
    ),
    th.Property(
        "oauth_settings_location",
        th.StringType,
        description="The encrypted OAuth settings file; default OAuthSettings.txt in the "
        "user's config folder.",
    ),
    th.Property(
        "scopes",
        th.StringType,
        description="Scopes (Permissions) to ask for, separated by spaces or commas.",
    ),
    th.Property(
        "auth_url",
        th.StringType,
        description=f"The OAuth server; default {DEFAULT_AUTH_URL}.",
    ),
    th.Property(
        "connection_string",
        th.StringType,
        secret=True,
        description="AuthScheme=OAuth;StoreId='abc';... (explicit settings win over it).",
    ),
)
