"""``verify_signed_payload_jwt`` against payloads the emulator signs as BigCommerce does."""

from __future__ import annotations

import pytest

from tap_bigcommerce.auth.errors import OAuthFlowError
from tap_bigcommerce.auth.signed_payload import verify_signed_payload_jwt
from tests.auth.oauth_helpers import CLIENT_ID, CLIENT_SECRET, oauth_emulator


def test_signed_payload_is_verified_and_forgeries_are_not() -> None:
    with oauth_emulator() as emu:
        emu.control(
            "POST", "/oauth/apps", json={"client_id": "other-app", "client_secret": "other-s"}
        )

        def signed(**body: object) -> str:
            answer = emu.control(
                "POST", "/oauth/signed-payload", json={"client_id": CLIENT_ID, **body}
            )
            return str(answer["signed_payload_jwt"])

        claims = verify_signed_payload_jwt(signed(), CLIENT_ID, CLIENT_SECRET)
        assert claims["sub"] == f"stores/{emu.store_hash}" and claims["aud"] == CLIENT_ID
        assert claims["owner"]["email"]

        token = signed()
        with pytest.raises(OAuthFlowError, match="InvalidSignatureError"):
            verify_signed_payload_jwt(token, CLIENT_ID, "not-the-secret-but-long-enough-for-hs256")
        with pytest.raises(OAuthFlowError, match="InvalidAudienceError"):
            verify_signed_payload_jwt(token, "other-app", CLIENT_SECRET)
        for_other = emu.control("POST", "/oauth/signed-payload", json={"client_id": "other-app"})
        with pytest.raises(OAuthFlowError):
            verify_signed_payload_jwt(for_other["signed_payload_jwt"], CLIENT_ID, CLIENT_SECRET)
        expired = signed(offset_s=-7200, ttl_s=60)
        with pytest.raises(OAuthFlowError, match="ExpiredSignatureError"):
            verify_signed_payload_jwt(expired, CLIENT_ID, CLIENT_SECRET)
        header, body, sig = token.split(".")
        tampered = f"{header}.{body[:-2]}{'AA' if body[-2:] != 'AA' else 'BB'}.{sig}"
        with pytest.raises(OAuthFlowError) as info:
            verify_signed_payload_jwt(tampered, CLIENT_ID, CLIENT_SECRET)
        assert CLIENT_SECRET not in str(info.value)
