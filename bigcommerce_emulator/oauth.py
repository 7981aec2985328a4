"""OAuth for apps, as login.bigcommerce.com does it (to be filled in)."""

from __future__ import annotations

from aiohttp import web

from bigcommerce_emulator.state import EmulatorState


def register(app: web.Application, state: EmulatorState) -> None:
    return None
