"""OAuth for apps, as login.bigcommerce.com does it: authorize page, token endpoint.

Control calls (tests only) live under ``/__emulator/oauth/``: register an app, change the
expiry settings, revoke a token, read grant counts, sign a load/uninstall payload.
"""

from __future__ import annotations

import html
import json
import time
import uuid
from typing import Any

import jwt
from aiohttp import web

from bigcommerce_emulator.oauth_server import GrantError, OAuthServer
from bigcommerce_emulator.state import EmulatorState

CONTROL = "/__emulator/oauth"


def _page(title: str, body: str, status: int = 200) -> web.Response:
    doc = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
    return web.Response(status=status, text=doc, content_type="text/html")


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(payload),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _authorize_page(
    server: OAuthServer, request_id: str, scopes: tuple[str, ...], store: str | None
) -> str:
    items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
    stores = [store] if store else sorted(server.state.stores)
    options = "".join(
        f"<option value='{html.escape(h)}'{' selected' if i == 0 else ''}>{html.escape(h)}</option>"
        for i, h in enumerate(stores)
    )
    return (
        "<h1>Authorize app</h1><p>The app asks for these scopes:</p>"
        f"<ul class='scopes'>{items}</ul>"
        "<form method='post' action='/oauth2/authorize'>"
        f"<input type='hidden' name='request_id' value='{html.escape(request_id)}'>"
        f"<label>Store <select name='store_hash'>{options}</select></label>"
        "<button type='submit' name='decision' value='approve'>Approve</button>"
        "<button type='submit' name='decision' value='deny'>Deny</button>"
        "</form>"
    )


async def _body(request: web.Request) -> dict[str, str]:
    if request.content_type == "application/json":
        data = await request.json()
        if not isinstance(data, dict):
            raise GrantError(400, "invalid_request", "the body must be a JSON object")
        return {str(k): str(v) for k, v in data.items() if v is not None}
    form = await request.post()
    return {k: str(v) for k, v in form.items()}


def register(app: web.Application, state: EmulatorState) -> None:
    server = OAuthServer(state)
    state.oauth["server"] = server
    r = web.RouteTableDef()

    @r.get("/oauth2/authorize")
    async def authorize(request: web.Request) -> web.Response:
        try:
            request_id, pending = server.start(dict(request.query))
        except GrantError as err:
            return _page("Error", f"<p class='error'>{html.escape(err.description)}</p>", 400)
        return _page(
            "Authorize app", _authorize_page(server, request_id, pending.scopes, pending.store_hash)
        )

    @r.post("/oauth2/authorize")
    async def decide(request: web.Request) -> web.StreamResponse:
        form = await _body(request)
        try:
            location = server.decide(
                form.get("request_id", ""),
                form.get("store_hash", ""),
                form.get("decision") == "approve",
            )
        except GrantError as err:
            return _page("Error", f"<p class='error'>{html.escape(err.description)}</p>", 400)
        raise web.HTTPFound(location)

    @r.post("/oauth2/token")
    async def token(request: web.Request) -> web.Response:
        try:
            return _json(server.token(await _body(request)))
        except GrantError as err:
            return _json({"error": err.error, "error_description": err.description}, err.status)
        except json.JSONDecodeError:
            return _json({"error": "invalid_request", "error_description": "bad JSON"}, 400)

    @r.post(CONTROL + "/apps")
    async def add_app(request: web.Request) -> web.Response:
        body = await request.json()
        server.apps[str(body["client_id"])] = str(body["client_secret"])
        return _json({"ok": True}, 201)

    @r.post(CONTROL + "/settings")
    async def set_settings(request: web.Request) -> web.Response:
        body = await request.json()
        for key in ("expires_in", "rotate_refresh"):
            if key in body:
                server.settings[key] = body[key]
        return _json(dict(server.settings))

    @r.post(CONTROL + "/revoke")
    async def revoke(request: web.Request) -> web.Response:
        body = await request.json()
        kind = server.revoke(str(body.get("token", "")))
        if kind is None:
            return _json({"error": "unknown token"}, 404)
        return _json({"revoked": kind})

    @r.get(CONTROL + "/stats")
    async def stats(request: web.Request) -> web.Response:
        return _json({"counts": server.counts})

    @r.get(CONTROL + "/issued")
    async def issued(request: web.Request) -> web.Response:
        """Every code, access and refresh token issued (tests look for leaks)."""
        return _json({"secrets": server.issued})

    @r.post(CONTROL + "/signed-payload")
    async def signed_payload(request: web.Request) -> web.Response:
        """A load/uninstall callback's ``signed_payload_jwt``, signed as BigCommerce does."""
        body = await request.json()
        client_id = str(body["client_id"])
        secret = server.apps.get(client_id)
        if secret is None:
            return _json({"error": "unknown client_id"}, 404)
        store_hash = str(body.get("store_hash") or next(iter(state.stores), ""))
        now = int(time.time()) + int(body.get("offset_s", 0))
        claims = {
            "aud": client_id,
            "iss": "bc",
            "iat": now,
            "nbf": now - 5,
            "exp": now + int(body.get("ttl_s", 86400)),
            "jti": str(uuid.uuid4()),
            "sub": f"stores/{store_hash}",
            "user": {"id": 1001, "email": f"owner@{store_hash}.example.com", "locale": "en-US"},
            "owner": {"id": 1001, "email": f"owner@{store_hash}.example.com"},
            "url": "/",
            "channel_id": None,
        }
        return _json({"signed_payload_jwt": jwt.encode(claims, secret, algorithm="HS256")})

    app.add_routes(r)
