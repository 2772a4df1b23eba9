"""Schema validation of rendered objects, offline and strict.

Kubernetes kinds are checked against the strict OpenAPI schemas that the
kubernetes-validate package ships for each minor release; custom resources
against the schemas in `schemas/` (`<group>/<kind>_<version>.json`, the layout
kubeconform reads). Validators are compiled once per schema and cached, so a
tree of a few thousand objects costs one schema load per kind, not one per
object.

A finding's `path` is `<kind>/<name>` and, when the problem sits inside the
object, `:` and the path to it (`Deployment/web:spec.replicas`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource

from generator.errors import VerifyUnavailableError
from generator.findings import Finding, Severity
from generator.load.document import format_path

SCHEMA_DIR = Path(__file__).parent / "schemas"
_K8S_SCHEMAS = "kubernetes-json-schema"
_VERSION = re.compile(r"^v?(\d+)\.(\d+)")


@dataclass(frozen=True)
class RenderedObject:
    """One Kubernetes object as rendered.

    `file` is the rendered file relative to the repository (a file under
    rendered/<env>/ or a Helm template path), `index` the position of the
    document in it, `line` where that document starts when the caller knows,
    `origin` the platform component the object came from.
    """

    file: str
    index: int
    data: dict[str, Any]
    origin: str | None = None
    line: int = 1


def validate_objects(objects: Sequence[RenderedObject], kubernetes_version: str) -> list[Finding]:
    """Every schema problem of every object: PC801 errors, PC802 warnings for objects without a schema."""
    schema_version = kubernetes_schema_version(kubernetes_version)
    findings: list[Finding] = []
    for obj in objects:
        findings.extend(_validate(obj, schema_version))
    return findings


def kubernetes_schema_version(kubernetes_version: str) -> str:
    """The Kubernetes schemas used for `kubernetes_version` (`1.31`, `v1.31.4`): that minor release,
    else the newest shipped one older than it, else the oldest shipped one."""
    wanted = _minor(kubernetes_version)
    if wanted is None:
        raise ValueError(f"{kubernetes_version!r} is not a Kubernetes version; write it as 1.31 or 1.31.4")
    available = _available_versions()
    older = [v for v in available if v <= wanted]
    major, minor = older[-1] if older else available[0]
    return f"{major}.{minor}"


def _validate(obj: RenderedObject, schema_version: str) -> Iterator[Finding]:
    api_version, kind = obj.data.get("apiVersion"), obj.data.get("kind")
    name = _name(obj.data)
    if not isinstance(api_version, str) or not isinstance(kind, str) or not api_version or not kind:
        yield _finding(
            obj,
            "PC801",
            Severity.ERROR,
            f"object #{obj.index} has no apiVersion and kind; every Kubernetes object needs both",
            f"?/{name}",
        )
        return
    custom = _custom_validator(api_version, kind)
    validator = custom or _kubernetes_validator(api_version, kind, schema_version)
    label = f"{kind}/{name}"
    if validator is None:
        yield _finding(
            obj,
            "PC802",
            Severity.WARNING,
            f"{label}: no schema for {api_version} {kind} (neither Kubernetes {schema_version} nor "
            f"platformc's custom-resource schemas have one), not verified",
            label,
        )
        return
    schema = "platformc's schema" if custom else f"the Kubernetes {schema_version} schema"
    for where, problem, unknown_field in _problems(validator, obj.data, schema_version):
        hint = "; remove the field or correct its spelling" if unknown_field else ""
        message = (
            f"{label} does not match {schema} for {api_version} {kind} "
            f"at {where or 'the top level'}: {problem}{hint}"
        )
        yield _finding(obj, "PC801", Severity.ERROR, message, f"{label}:{where}" if where else label)


Problem = tuple[str, str, bool]  # where, what, whether it is a field the schema does not know
# Problems by schema version and the object's content: every environment renders most objects alike
_PROBLEMS: dict[tuple[str, bytes], tuple[Problem, ...]] = {}
_PROBLEMS_MAX = 100_000
_PROBLEMS_LOCK = threading.Lock()


def _problems(validator: Validator, data: dict[str, Any], schema_version: str) -> tuple[Problem, ...]:
    """What is wrong with `data`, once per distinct object (its api version and kind are in it)."""
    try:
        content = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr).encode(
            "utf-8", "replace"
        )
    except (TypeError, ValueError, RecursionError):
        return _find_problems(validator, data)
    key = (schema_version, hashlib.sha256(content).digest())
    with _PROBLEMS_LOCK:
        found = _PROBLEMS.get(key)
    if found is None:
        found = _find_problems(validator, data)
        with _PROBLEMS_LOCK:
            if len(_PROBLEMS) < _PROBLEMS_MAX:
                _PROBLEMS[key] = found
    return found


def _find_problems(validator: Validator, data: dict[str, Any]) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        error = _most_specific(error)
        where = format_path(_error_path(error))
        if (where, error.message) in seen:
            continue
        seen.add((where, error.message))
        problems.append((where, error.message, error.validator == "additionalProperties"))
    return tuple(problems)


def _error_path(error: ValidationError) -> tuple[str | int, ...]:
    path = tuple(error.absolute_path)
    # an unknown field is reported on its parent; point at the field itself when there is one
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = [key for key in error.instance if key not in known]
        if len(extra) == 1:
            return (*path, extra[0])
    return path


def _most_specific(error: ValidationError) -> ValidationError:
    # anyOf/oneOf failures carry the branch errors as context; the deepest one says what to fix
    if error.context:
        inner: ValidationError | None = best_match(error.context)
        if inner is not None:
            return inner
    return error


def _finding(obj: RenderedObject, rule: str, severity: Severity, message: str, path: str) -> Finding:
    if obj.origin:
        message = f"{message} (from {obj.origin})"
    return Finding(rule, severity, message, obj.file, obj.line, 1, path)


def _name(data: dict[str, Any]) -> str:
    metadata = data.get("metadata")
    if isinstance(metadata, dict):
        name = metadata.get("name") or metadata.get("generateName")
        if isinstance(name, str) and name:
            return name
    return "?"


def _split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


# ------------------------------------------------------------------ custom resources


@functools.cache
def _custom_validator(api_version: str, kind: str) -> Validator | None:
    group, version = _split_api_version(api_version)
    if not group:
        return None
    path = SCHEMA_DIR / group / f"{kind.lower()}_{version}.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    # no $schema means draft-04, as kubeconform compiles them
    cls = validator_for(schema, default=Draft4Validator)
    validator: Validator = cls(schema)
    return validator


# ------------------------------------------------------------------ Kubernetes kinds


def _minor(version: str) -> tuple[int, int] | None:
    match = _VERSION.match(version.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


@functools.cache
def _schema_root() -> Path:
    try:
        root = resources.files("kubernetes_validate").joinpath(_K8S_SCHEMAS)
    except ModuleNotFoundError as e:
        raise VerifyUnavailableError(
            "schema validation needs kubernetes-validate; install it with `pip install 'platformc[verify]'`"
        ) from e
    return Path(str(root))


@functools.cache
def _available_versions() -> list[tuple[int, int]]:
    found = {
        v
        for entry in _schema_root().iterdir()
        if entry.name.endswith("-local-strict") and (v := _minor(entry.name)) is not None
    }
    if not found:
        raise VerifyUnavailableError(f"kubernetes-validate ships no strict schemas under {_schema_root()}")
    return sorted(found)


def strict_schema_dir(schema_version: str) -> Path:
    """kubernetes-validate's strict schemas of one minor release (`1.31`)."""
    return _schema_root() / f"v{schema_version}.0-local-strict"


_strict_dir = strict_schema_dir


@functools.cache
def _registry(schema_version: str) -> Registry[Any]:
    definitions = json.loads((_strict_dir(schema_version) / "_definitions.json").read_text(encoding="utf-8"))
    return Resource.from_contents(definitions) @ Registry()


@functools.cache
def _kubernetes_validator(api_version: str, kind: str, schema_version: str) -> Validator | None:
    group, version = _split_api_version(api_version)
    # kubernetes-validate's file naming: rbac.authorization.k8s.io/v1 Role -> role-rbac-v1.json
    stem = f"{group.split('.')[0]}-{version}" if group else version
    path = _strict_dir(schema_version) / f"{kind.lower()}-{stem}.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    # the naming drops the group's domain, so apps.example.com/v1 Deployment would find
    # apps/v1's file; the schema's own group-version-kind settles it
    gvks = schema.get("x-kubernetes-group-version-kind", [])
    if {"group": group, "version": version, "kind": kind} not in gvks:
        return None
    validator: Validator = Draft202012Validator(schema, registry=_registry(schema_version))
    return validator
