"""Store API routes for the content area (to be filled in)."""

from __future__ import annotations

from bigcommerce_emulator.routing import Routes

routes = Routes()
