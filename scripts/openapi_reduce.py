"""Reduce an OpenAPI 3.0 schema (as loaded from YAML) to a plain JSON Schema of types only.

The result keeps what a Singer target needs (property names, types, formats, enums, item
schemas) and drops everything written for humans (descriptions, titles, examples), so that no
text from the reference files ends up in the project.
"""

from __future__ import annotations

import copy
from typing import Any

Schema = dict[str, Any]

# Formats a target understands; OpenAPI's storage hints (int32, double, ...) mean nothing to it.
# email and uri are left out too: the API writes "" for an empty address or link.
KEPT_FORMATS = frozenset({"date-time", "date", "time", "uuid"})
# Structural keywords of the reduced schema, in the order they are merged.
JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean")


class SpecError(ValueError):
    """A pointer or reference that does not resolve in a spec file."""


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a JSON pointer (``#/a/b`` or ``a/b``) through a loaded document."""
    node = document
    for raw in pointer.lstrip("#").strip("/").split("/"):
        if raw == "":
            continue
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise SpecError(f"pointer {pointer!r} does not resolve (stopped at {part!r})")
    return node


class Reducer:
    """Turns OpenAPI schema objects of one spec document into reduced JSON Schemas."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._reach: dict[str, frozenset[str]] = {}

    def deref(self, node: Any, seen: frozenset[str] = frozenset()) -> tuple[Any, frozenset[str]]:
        """Follow ``$ref`` chains; ``seen`` carries the refs already entered (cycle guard).

        Entering a schema that belongs to the same recursive group as one already entered
        (A -> B -> A, or And -> Condition -> Or -> Condition) stops the expansion there, so
        mutually recursive definitions do not multiply into an enormous schema.
        """
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or any(self._same_cycle(ref, other) for other in seen):
                return None, seen
            seen = seen | {ref}
            node = resolve_pointer(self.document, ref)
        return node, seen

    def _same_cycle(self, a: str, b: str) -> bool:
        return b in self._reachable(a) and a in self._reachable(b)

    def _reachable(self, ref: str) -> frozenset[str]:
        """Every ``$ref`` reachable from ``ref`` (memoised depth-first walk)."""
        if ref in self._reach:
            return self._reach[ref]
        found: set[str] = set()
        stack = [ref]
        while stack:
            current = stack.pop()
            for child in _refs_in(resolve_pointer(self.document, current)):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        self._reach[ref] = frozenset(found)
        return self._reach[ref]

    def reduce(self, node: Any, seen: frozenset[str] = frozenset()) -> Schema:
        """Reduce ``node`` to ``{"type": [...], ...}`` with every type nullable."""
        node, seen = self.deref(node, seen)
        if node is None or not isinstance(node, dict):
            # A recursive reference (e.g. a tree's children): accept anything below it.
            return {}
        if "allOf" in node:
            parts = [self.reduce(part, seen) for part in node["allOf"]]
            rest = {k: v for k, v in node.items() if k != "allOf"}
            if _has_shape(rest):
                parts.append(self.reduce(rest, seen))
            return merge_all(parts)
        for key in ("oneOf", "anyOf"):
            if key in node:
                parts = [self.reduce(part, seen) for part in node[key]]
                rest = {k: v for k, v in node.items() if k != key}
                merged = merge_alternatives(parts)
                if _has_shape(rest):
                    merged = merge_all([merged, self.reduce(rest, seen)])
                return merged
        return self._reduce_plain(node, seen)

    def _reduce_plain(self, node: Schema, seen: frozenset[str]) -> Schema:
        types = _types_of(node) or _types_of_enum(node)
        out: Schema = {}
        if "properties" in node or ("object" in types and "additionalProperties" in node):
            types.add("object")
        if "items" in node:
            types.add("array")
        if "object" in types:
            props = node.get("properties") or {}
            if props:
                out["properties"] = {
                    name: self.reduce(sub, seen) for name, sub in sorted(props.items())
                }
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) and not props:
                extra_schema = self.reduce(extra, seen)
                if extra_schema:
                    out["additionalProperties"] = extra_schema
        if "array" in types:
            out["items"] = self.reduce(node.get("items", {}), seen)
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt in KEPT_FORMATS and "string" in types:
            out["format"] = fmt
        if "enum" in node and isinstance(node["enum"], list):
            values = [v for v in node["enum"] if v is not None]
            if values and types <= {"string", "integer", "number", "boolean"}:
                out["enum"] = sorted(set(values), key=lambda v: (str(type(v)), v))
        if not types:
            return out if out else {}
        out["type"] = _ordered(types)
        return out


def _refs_in(node: Any) -> set[str]:
    refs: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                refs.add(ref)
            stack.extend(v for k, v in current.items() if k not in ("example", "examples"))
        elif isinstance(current, list):
            stack.extend(current)
    return refs


def _has_shape(node: Schema) -> bool:
    return any(
        k in node for k in ("type", "properties", "items", "$ref", "allOf", "oneOf", "anyOf")
    )


def _types_of(node: Schema) -> set[str]:
    raw = node.get("type")
    if isinstance(raw, str):
        return {raw} & set(JSON_TYPES)
    if isinstance(raw, list):
        return {t for t in raw if t in JSON_TYPES}
    return set()


def _types_of_enum(node: Schema) -> set[str]:
    """The type an untyped enum's values imply (an enum of strings is a string)."""
    values = [v for v in node.get("enum") or [] if v is not None]
    found: set[str] = set()
    for value in values:
        if isinstance(value, bool):
            found.add("boolean")
        elif isinstance(value, int):
            found.add("integer")
        elif isinstance(value, float):
            found.add("number")
        elif isinstance(value, str):
            found.add("string")
    return found


def _ordered(types: set[str]) -> list[str]:
    return [t for t in JSON_TYPES if t in types]


def merge_all(parts: list[Schema]) -> Schema:
    """Merge ``allOf`` members: an object gets the union of all members' properties."""
    out: Schema = {}
    for part in parts:
        out = _merge_two(out, part, keep_enum_of_either=True)
    return out


def merge_alternatives(parts: list[Schema]) -> Schema:
    """Reduce ``oneOf``/``anyOf``: one schema that accepts every alternative."""
    out: Schema | None = None
    for part in parts:
        if not part:
            return {}  # one alternative accepts anything, so the union does too
        out = copy.deepcopy(part) if out is None else _merge_two(out, part, False)
    return out or {}


def _merge_two(a: Schema, b: Schema, keep_enum_of_either: bool) -> Schema:
    if not a:
        return copy.deepcopy(b)
    if not b:
        return copy.deepcopy(a)
    out: Schema = {}
    types = set(a.get("type", [])) | set(b.get("type", []))
    # An integer alternative of a number is still a number.
    if "number" in types:
        types.discard("integer")
    if types:
        out["type"] = _ordered(types)
    props_a, props_b = a.get("properties", {}), b.get("properties", {})
    if props_a or props_b:
        props = dict(props_a)
        for name, sub in props_b.items():
            props[name] = (
                _merge_two(props[name], sub, keep_enum_of_either) if name in props else sub
            )
        out["properties"] = dict(sorted(props.items()))
    if "items" in a or "items" in b:
        out["items"] = _merge_two(a.get("items", {}), b.get("items", {}), keep_enum_of_either)
    fmt_a, fmt_b = a.get("format"), b.get("format")
    if fmt_a == fmt_b and fmt_a is not None:
        out["format"] = fmt_a
    elif keep_enum_of_either and (fmt_a is None or fmt_b is None):
        # allOf: a member that says nothing about the format does not cancel it.
        if fmt_a or fmt_b:
            out["format"] = fmt_a or fmt_b
    enum_a, enum_b = a.get("enum"), b.get("enum")
    if enum_a is not None and enum_b is not None:
        out["enum"] = sorted(set(enum_a) | set(enum_b), key=lambda v: (str(type(v)), v))
    elif keep_enum_of_either and (enum_a or enum_b) and "properties" not in out:
        out["enum"] = list(enum_a or enum_b or [])
    if "additionalProperties" in a or "additionalProperties" in b:
        extra = _merge_two(
            a.get("additionalProperties", {}), b.get("additionalProperties", {}), False
        )
        if extra and "properties" not in out:
            out["additionalProperties"] = extra
    return out
