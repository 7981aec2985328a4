"""The shared BigCommerce HTTP client, its rate limiter and its errors."""

from __future__ import annotations

from tap_bigcommerce.client.errors import (
    ApiError,
    AuthError,
    BigCommerceError,
    ConfigError,
    RetriesExhausted,
    ScopeError,
)
from tap_bigcommerce.client.http import BigCommerceClient
from tap_bigcommerce.client.ratelimit import RateLimiter, limiter_for

__all__ = [
    "ApiError",
    "AuthError",
    "BigCommerceClient",
    "BigCommerceError",
    "ConfigError",
    "RateLimiter",
    "RetriesExhausted",
    "ScopeError",
    "limiter_for",
]
