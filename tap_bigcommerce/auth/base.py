"""The authentication seam: the HTTP client calls this before every request.

Every authenticator is an SDK ``APIAuthenticatorBase`` (so it also works as a
``requests`` auth hook) with one extra method, ``handle_unauthorized``, that the client
calls on a 401: it returns True when it obtained new credentials and the request should
be retried once. Streams and sinks never see credentials.
"""

from __future__ import annotations

import requests
from singer_sdk.authenticators import APIAuthenticatorBase


class StoreAuthenticator(APIAuthenticatorBase):
    """Base for every BigCommerce authenticator."""

    def __init__(self, store_hash: str) -> None:
        super().__init__()
        self.store_hash = store_hash

    def access_token(self) -> str:
        """The token to send now; subclasses may refresh it ahead of expiry."""
        raise NotImplementedError

    def authenticate_request(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["X-Auth-Token"] = self.access_token()
        return request

    def handle_unauthorized(self) -> bool:
        """Called on a 401. True means: credentials changed, retry the request once."""
        return False


class StaticTokenAuthenticator(StoreAuthenticator):
    """A store-level API account token (``auth_scheme=PersonalAccessToken``), or an OAuth
    access token used as given (``initiate_oauth=OFF``)."""

    def __init__(self, store_hash: str, token: str) -> None:
        super().__init__(store_hash)
        self._token = token

    def access_token(self) -> str:
        return self._token

    def __repr__(self) -> str:  # never show the token
        return f"{type(self).__name__}(store_hash={self.store_hash!r})"
