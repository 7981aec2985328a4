"""The tap's settings: their JSON Schema (for ``--about``) and checks run before any request."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from singer_sdk import typing as th

from tap_bigcommerce.client.errors import ConfigError

DEFAULT_API_URL = "https://api.bigcommerce.com"
MAX_PAGE_SIZE = 250
# BigCommerce store hashes are short lowercase alphanumerics (e.g. "abc123de").
STORE_HASH = re.compile(r"^[a-z0-9]{1,40}$")

CORE_SETTINGS = th.PropertiesList(
    th.Property(
        "store_hash",
        th.StringType,
        required=True,
        title="Store hash",
        description="The store's hash, as in https://store-{store_hash}.mybigcommerce.com.",
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        title="Access token",
        description="Store-level API account token (sent as X-Auth-Token).",
    ),
    th.Property(
        "api_url",
        th.StringType,
        default=DEFAULT_API_URL,
        title="API URL",
        description="Base URL of the API; requests go to {api_url}/stores/{store_hash}/...",
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        title="Start date",
        description="Read records modified at or after this time on the first run (ISO 8601).",
    ),
    th.Property(
        "page_size",
        th.IntegerType,
        default=MAX_PAGE_SIZE,
        title="Page size",
        description=f"Records per request, 1 to {MAX_PAGE_SIZE}.",
    ),
    th.Property(
        "request_timeout",
        th.NumberType,
        default=60,
        title="Request timeout",
        description="Seconds to wait for an answer before retrying.",
    ),
    th.Property(
        "user_agent",
        th.StringType,
        title="User agent",
        description="User-Agent header sent with every request.",
    ),
    th.Property(
        "max_concurrency",
        th.IntegerType,
        default=8,
        title="Maximum concurrency",
        description="Requests in flight at once (all streams share the store's rate limit).",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        title="Maximum retries",
        description="Retries of a failing request (5xx, 429, timeouts) before the run fails.",
    ),
    th.Property(
        "retry_backoff",
        th.NumberType,
        default=1.0,
        title="Retry backoff",
        description="Seconds before the first retry; doubles with each further retry.",
    ),
)


def settings_schema(auth_settings: th.PropertiesList | None = None) -> dict[str, Any]:
    """The tap's config JSON Schema: the core settings plus the auth module's."""
    properties = th.PropertiesList(*CORE_SETTINGS.wrapped.values())
    if auth_settings is not None:
        for prop in auth_settings.wrapped.values():
            if prop.name not in properties.wrapped:
                properties.append(prop)
    return properties.to_dict()


def parse_datetime(value: str, setting: str) -> datetime:
    """ISO 8601 with a time zone (UTC assumed when none is given)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise ConfigError(
            f"{setting}: {value!r} is not an ISO 8601 date-time (e.g. 2024-01-31T00:00:00Z)"
        ) from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def validate_config(config: Mapping[str, Any]) -> None:
    """Raise a one-line ``ConfigError`` naming the first bad setting."""
    store_hash = config.get("store_hash")
    if not isinstance(store_hash, str) or not store_hash:
        raise ConfigError("store_hash: required (the store's short hash, e.g. 'abc123de')")
    if not STORE_HASH.match(store_hash):
        raise ConfigError(
            f"store_hash: {store_hash!r} is not a store hash (lowercase letters and digits)"
        )
    api_url = config.get("api_url", DEFAULT_API_URL)
    parts = urlsplit(api_url) if isinstance(api_url, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(f"api_url: {api_url!r} is not an http(s) URL with a host")
    start_date = config.get("start_date")
    if start_date is not None:
        parse_datetime(str(start_date), "start_date")
    page_size = config.get("page_size", MAX_PAGE_SIZE)
    if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ConfigError(f"page_size: {page_size!r} must be an integer from 1 to {MAX_PAGE_SIZE}")
    concurrency = config.get("max_concurrency", 8)
    if not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigError(f"max_concurrency: {concurrency!r} must be a positive integer")
    timeout = config.get("request_timeout", 60)
    if not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(f"request_timeout: {timeout!r} must be a positive number of seconds")
    retries = config.get("max_retries", 8)
    if not isinstance(retries, int) or retries < 0:
        raise ConfigError(f"max_retries: {retries!r} must be zero or a positive integer")
