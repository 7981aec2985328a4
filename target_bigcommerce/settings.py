"""The target's settings: the tap's connection settings plus how records are loaded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from singer_sdk import typing as th

from tap_bigcommerce.auth.settings_schema import AUTH_SETTINGS
from tap_bigcommerce.config import CORE_SETTINGS
from target_bigcommerce.errors import TargetConfigError

LOAD_METHODS = ("upsert", "append-only")
DEFAULT_DEAD_LETTER_PATH = "target-bigcommerce-dead-letter.jsonl"

_TARGET_SETTINGS = th.PropertiesList(
    th.Property(
        "load_method",
        th.StringType,
        default="upsert",
        allowed_values=list(LOAD_METHODS),
        description="upsert: create or update; append-only: create new records only.",
    ),
    th.Property(
        "match_keys",
        th.ObjectType(additional_properties=th.ArrayType(th.StringType)),
        description=(
            "Per stream, the fields that identify an existing record, tried in order "
            'e.g. {"products": ["sku"]}. Defaults are documented in docs/target.md.'
        ),
    ),
    th.Property(
        "dead_letter_path",
        th.StringType,
        default=DEFAULT_DEAD_LETTER_PATH,
        description="JSON-lines file for every record the API rejected.",
    ),
    th.Property(
        "max_failed_records",
        th.IntegerType,
        default=0,
        description="Exit non-zero when more records than this were rejected.",
    ),
    th.Property(
        "dry_run",
        th.BooleanType,
        default=False,
        description="Look everything up, report what would change, write nothing.",
    ),
    th.Property(
        "max_concurrency",
        th.IntegerType,
        default=4,
        description="Most write requests in flight at once (documented caps still apply).",
    ),
    th.Property(
        "inventory_reason",
        th.StringType,
        default="target-bigcommerce",
        description="The reason recorded on inventory adjustments.",
    ),
)

# Connection and authentication: the tap's own settings, so one settings block serves both.
_SHARED = ("api_url", "request_timeout", "user_agent", "max_retries", "retry_backoff")
CONFIG_SCHEMA: dict[str, Any] = AUTH_SETTINGS.to_dict()
CONFIG_SCHEMA["properties"].update(
    {k: v for k, v in CORE_SETTINGS.to_dict()["properties"].items() if k in _SHARED}
)
CONFIG_SCHEMA["properties"].update(_TARGET_SETTINGS.to_dict()["properties"])


@dataclass(frozen=True)
class TargetSettings:
    """The loading settings, checked once so that sinks read typed values."""

    load_method: str = "upsert"
    match_keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dead_letter_path: Path = Path(DEFAULT_DEAD_LETTER_PATH)
    max_failed_records: int = 0
    dry_run: bool = False
    max_concurrency: int = 4
    inventory_reason: str = "target-bigcommerce"

    @property
    def append_only(self) -> bool:
        return self.load_method == "append-only"

    @classmethod
    def from_config(cls, config: Mapping[str, Any], streams: Mapping[str, tuple[str, ...]]) -> Any:
        """Validate ``config``; ``streams`` maps each accepted stream to its allowed keys."""
        load_method = str(config.get("load_method") or "upsert")
        if load_method not in LOAD_METHODS:
            raise TargetConfigError(
                f"setting load_method: {load_method!r} is not one of {', '.join(LOAD_METHODS)}"
            )
        raw_keys = config.get("match_keys") or {}
        if not isinstance(raw_keys, Mapping):
            raise TargetConfigError("setting match_keys: expected an object of stream: [fields]")
        match_keys: dict[str, tuple[str, ...]] = {}
        for stream, keys in raw_keys.items():
            if stream not in streams:
                raise TargetConfigError(
                    f"setting match_keys: unknown stream {stream!r}; "
                    f"expected one of {', '.join(sorted(streams))}"
                )
            if isinstance(keys, str):
                keys = [keys]
            if not isinstance(keys, list | tuple) or not keys:
                raise TargetConfigError(
                    f"setting match_keys.{stream}: expected a non-empty list of field names"
                )
            bad = [k for k in keys if k not in streams[stream]]
            if bad:
                raise TargetConfigError(
                    f"setting match_keys.{stream}: cannot match on {', '.join(map(str, bad))}; "
                    f"choose from {', '.join(streams[stream])}"
                )
            match_keys[stream] = tuple(str(k) for k in keys)
        max_failed = _int(config, "max_failed_records", 0, minimum=0)
        concurrency = _int(config, "max_concurrency", 4, minimum=1)
        return cls(
            load_method=load_method,
            match_keys=match_keys,
            dead_letter_path=Path(str(config.get("dead_letter_path") or DEFAULT_DEAD_LETTER_PATH)),
            max_failed_records=max_failed,
            dry_run=bool(config.get("dry_run", False)),
            max_concurrency=concurrency,
            inventory_reason=str(config.get("inventory_reason") or "target-bigcommerce"),
        )


def _int(config: Mapping[str, Any], name: str, default: int, *, minimum: int) -> int:
    value = config.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TargetConfigError(f"setting {name}: expected an integer, got {value!r}") from None
    if number < minimum:
        raise TargetConfigError(f"setting {name}: must be at least {minimum}, got {number}")
    return number
