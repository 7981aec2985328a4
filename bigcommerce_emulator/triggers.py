"""Triggers: a merchant change applied when the Nth matching store request arrives.

The change is made before that request is served, so a test can change data in the
middle of a sync at an exact, repeatable point.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bigcommerce_emulator import merchant
from bigcommerce_emulator.render import render_v3
from bigcommerce_emulator.request_match import compile_path, request_matches
from bigcommerce_emulator.store import Store

if TYPE_CHECKING:
    from bigcommerce_emulator.state import EmulatorState

OPS = ("update", "delete", "create", "touch", "revoke_token")

_ids = itertools.count(1)


@dataclass
class Trigger:
    store_hash: str
    after: int
    action: dict[str, Any]
    method: str | None = None
    path: re.Pattern[str] | None = None
    id: int = field(default_factory=lambda: next(_ids))
    seen: int = 0
    fired: bool = False
    result: Any = None
    error: str | None = None

    def matches(self, store_hash: str, method: str, path: str) -> bool:
        if self.fired or store_hash != self.store_hash:
            return False
        return request_matches(self.method, self.path, method, path)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "store_hash": self.store_hash,
            "method": self.method,
            "path": self.path.pattern if self.path else None,
            "after": self.after,
            "action": self.action,
            "seen": self.seen,
            "fired": self.fired,
            "result": self.result,
            "error": self.error,
        }


def from_json(body: dict[str, Any], stores: dict[str, Store]) -> Trigger:
    store_hash = body.get("store_hash")
    if store_hash not in stores:
        raise merchant.ChangeError(f"unknown store_hash {store_hash!r}")
    action = body.get("action")
    if not isinstance(action, dict) or action.get("op") not in OPS:
        raise merchant.ChangeError(f"action.op must be one of {', '.join(OPS)}")
    if action["op"] == "revoke_token":
        if not isinstance(action.get("token"), str):
            raise merchant.ChangeError("action.token is required for revoke_token")
    elif not action.get("collection"):
        raise merchant.ChangeError("action.collection is required")
    if action["op"] in ("update", "delete") and "id" not in action:
        raise merchant.ChangeError(f"action.id is required for {action['op']}")
    after = int(body.get("after", 1))
    if after < 1:
        raise merchant.ChangeError("after must be at least 1")
    try:
        pattern = compile_path(body.get("path"))
    except ValueError as exc:
        raise merchant.ChangeError(str(exc)) from exc
    return Trigger(
        store_hash=str(store_hash),
        after=after,
        action=action,
        method=body.get("method"),
        path=pattern,
    )


def apply_action(store: Store, action: dict[str, Any]) -> Any:
    if action["op"] == "revoke_token":
        # The merchant (or the app's uninstall) revokes a live token mid-sync.
        if not store.revoke_token(action["token"]):
            raise merchant.ChangeError("no such access token on this store")
        return {"revoked": True}
    op, name = action["op"], action["collection"]
    changes = action.get("changes") or {}
    if op == "update":
        return render_v3(merchant.update_record(store, name, action["id"], changes))
    if op == "delete":
        return render_v3(merchant.delete_record(store, name, action["id"]))
    if op == "create":
        return render_v3(merchant.create_record(store, name, changes, action.get("seed")))
    return merchant.touch_records(
        store,
        name,
        ids=action.get("ids"),
        fraction=action.get("fraction"),
        seed=int(action.get("seed", 0)),
    )


def before_request(state: EmulatorState, store: Store, method: str, path: str) -> None:
    """The ``state.before_request`` hook that counts requests and fires triggers."""
    for trig in state.triggers:
        if not trig.matches(store.store_hash, method, path):
            continue
        trig.seen += 1
        if trig.seen < trig.after:
            continue
        trig.fired = True
        try:
            trig.result = apply_action(store, trig.action)
        except Exception as exc:
            # Keep serving; the failure is visible in GET /__emulator/triggers.
            trig.error = str(exc)
