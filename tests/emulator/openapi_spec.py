"""The official BigCommerce OpenAPI files in ``../shared/openapi/``, loaded for validation.

The files are read in place (never copied into the project). Each operation is indexed by
API version (the ``/v2`` or ``/v3`` server prefix), method and path with its parameter
names normalised, so an emulator route finds the operation that documents it.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SPEC_DIR = Path(
    os.environ.get(
        "BIGCOMMERCE_OPENAPI_DIR", Path(__file__).resolve().parents[3] / "shared" / "openapi"
    )
)
SERVER = re.compile(r"/stores/\{store_hash\}(/v[23])\b")


def path_params(path: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``{name}`` or ``{name:regex}`` (regexes may hold braces)."""
    found = []
    i = 0
    while i < len(path):
        if path[i] == "{":
            depth, j = 0, i
            while j < len(path):
                depth += {"{": 1, "}": -1}.get(path[j], 0)
                if depth == 0:
                    break
                j += 1
            found.append((i, j + 1, path[i + 1 : j].partition(":")[0]))
            i = j + 1
        else:
            i += 1
    return found


def fill(path: str, values: dict[str, str]) -> str:
    """The path with each parameter replaced by ``values[name]`` (``{}`` when absent)."""
    out, last = [], 0
    for start, end, name in path_params(path):
        out.append(path[last:start])
        out.append(values.get(name, "{}"))
        last = end
    out.append(path[last:])
    return "".join(out)


def normalise(path: str) -> str:
    """``/v3/catalog/products/{product_id:\\d+}`` -> ``/v3/catalog/products/{}``."""
    return fill(path.rstrip("/") or "/", {})


@dataclass(frozen=True)
class Operation:
    file: str
    method: str
    path: str  # as the spec writes it, with its server prefix
    op: dict[str, Any]
    path_item: dict[str, Any]

    def parameters(self) -> list[dict[str, Any]]:
        params = [*self.path_item.get("parameters", []), *self.op.get("parameters", [])]
        return [resolve(self.file, p) for p in params]

    def query_param(self, name: str) -> dict[str, Any] | None:
        for p in self.parameters():
            if p.get("in") == "query" and p.get("name") == name:
                return p
        return None

    def response_schema(self, status: int) -> dict[str, Any] | None:
        """The JSON schema documented for ``status`` (None when it documents no JSON body)."""
        responses = self.op.get("responses", {})
        resp = responses.get(str(status)) or responses.get(status)
        if resp is None:
            return None
        resp = resolve(self.file, resp)
        content = resp.get("content") or {}
        for media, body in content.items():
            if "json" in media and "schema" in body:
                schema: dict[str, Any] = body["schema"]
                return schema
        return None

    def documented_statuses(self) -> list[str]:
        return [str(s) for s in self.op.get("responses", {})]


def _tolerate(node: Any) -> Any:
    """Two tolerances for how the files are written, not for what the API sends.

    - ``exclusiveMinimum: false`` / ``exclusiveMaximum: false`` without a bound (three v2
      files, see SOURCE.md) are dropped: they constrain nothing.
    - ``oneOf`` is read as ``anyOf``: the files use it for alternatives that overlap (e.g.
      a discount rule that fits several of the listed shapes), which no real answer could
      satisfy "exactly once".
    - ``x-nullable: true`` (the OpenAPI 2 spelling some files kept) is read as
      ``nullable: true``, and a nullable enum admits null, as OpenAPI 3.0.3 clarifies.
    """
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("exclusiveMinimum", "exclusiveMaximum") and v is False:
                continue
            out["anyOf" if k == "oneOf" else k] = _tolerate(v)
        if out.get("x-nullable") is True:
            out["nullable"] = True
        if out.get("nullable") is True and isinstance(out.get("enum"), list):
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(node, list):
        return [_tolerate(v) for v in node]
    return node


def _absolute_refs(node: Any, uri: str) -> Any:
    """Point every in-file ``$ref`` at the file's registry URI, so any subschema validates."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#"):
                out[k] = uri + v
            else:
                out[k] = _absolute_refs(v, uri)
        return out
    if isinstance(node, list):
        return [_absolute_refs(v, uri) for v in node]
    return node


def _uri(file: str) -> str:
    return "urn:bigcommerce-openapi:" + file


@functools.cache
def documents() -> dict[str, dict[str, Any]]:
    docs = {}
    for f in sorted(SPEC_DIR.rglob("*.yml")):
        rel = str(f.relative_to(SPEC_DIR))
        with f.open(encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=_LOADER)  # noqa: S506 (a safe loader)
        docs[rel] = _absolute_refs(_tolerate(raw), _uri(rel))
    return docs


@functools.cache
def registry() -> Registry:
    reg: Registry = Registry()
    for rel, doc in documents().items():
        reg = reg.with_resource(_uri(rel), Resource.from_contents(doc, DRAFT4))
    return reg


def resolve(file: str, node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` chains (within the file) for parameters and response objects."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        uri, _, pointer = node["$ref"].partition("#")
        doc = documents()[uri.removeprefix("urn:bigcommerce-openapi:") or file]
        target: Any = doc
        for part in pointer.lstrip("/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
    return node


def _server_version(doc: dict[str, Any]) -> str:
    for server in doc.get("servers", []):
        m = SERVER.search(server.get("url", ""))
        if m:
            return m.group(1)
    raise ValueError("no /v2 or /v3 server URL")


@functools.cache
def operations() -> dict[tuple[str, str], list[Operation]]:
    """(METHOD, normalised path with its /v2 or /v3 prefix) -> documenting operations."""
    index: dict[tuple[str, str], list[Operation]] = {}
    for rel, doc in documents().items():
        prefix = _server_version(doc)
        for path, item in (doc.get("paths") or {}).items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "delete", "patch"):
                    continue
                full = prefix + path
                index.setdefault((method.upper(), normalise(full)), []).append(
                    Operation(rel, method.upper(), full, op, item)
                )
    return index


def find(method: str, path: str) -> list[Operation]:
    return operations().get((method.upper(), normalise(path)), [])


RFC2822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")


# The `date` of a PHP DateTime object, as v2 blog posts write `published_date` (the file's
# examples show this form).
PHP_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$")


def _rfc2822(value: object) -> bool:
    if not isinstance(value, str) or value == "":
        return True
    return bool(RFC2822.match(value) or PHP_DATETIME.match(value))


def validate(schema: dict[str, Any], instance: Any, *, check_dates: bool) -> list[str]:
    """Every way ``instance`` breaks ``schema``, as short messages (empty when valid).

    ``check_dates`` checks ISO 8601 ``date-time`` values (v3); without it (v2) a
    ``date-time`` must be RFC 2822, as v2 writes it.
    """
    checker = copy.deepcopy(oas30_format_checker)
    if not check_dates:
        # v2 writes RFC 2822 dates where its files say date-time (the documented quirk).
        checker.checkers["date-time"] = (_rfc2822, ())
    validator = OAS30ReadValidator(schema, registry=registry(), format_checker=checker)
    errors: list[ValidationError] = sorted(
        validator.iter_errors(instance), key=lambda e: list(e.absolute_path)
    )
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in errors]
