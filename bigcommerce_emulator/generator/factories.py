"""Factories that make one new record as a merchant would, for the control API.

Each area generator registers a factory for the collections it owns::

    register_factory("brands", make_brand)

A factory is called as ``fn(store, rng, fields)``: it builds one realistic record for
that collection (consistent with the store's other data), lets ``fields`` override the
generated values, inserts it (and any children the real API creates with it) through
``store.collection(name).insert`` and returns the stored record.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from bigcommerce_emulator.store import Record, Store

Factory = Callable[[Store, random.Random, dict[str, Any]], Record]

_FACTORIES: dict[str, Factory] = {}


def register_factory(name: str, fn: Factory) -> Factory:
    """Register ``fn`` as the factory for collection ``name`` (the last one wins)."""
    _FACTORIES[name] = fn
    return fn


def factory_for(name: str) -> Factory | None:
    # Area modules register their factories when imported.
    from bigcommerce_emulator.generator import area_generators

    area_generators()
    return _FACTORIES.get(name)


def registered() -> list[str]:
    from bigcommerce_emulator.generator import area_generators

    area_generators()
    return sorted(_FACTORIES)
