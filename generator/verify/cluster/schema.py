"""A custom resource against the openAPIV3Schema of its CRD's served version.

The CRD schema is OpenAPI v3's structural subset, turned into JSON Schema as
the API server reads it: `nullable` admits null, `x-kubernetes-int-or-string`
an integer or a string, `x-kubernetes-preserve-unknown-fields` any field. Other
fields are unknown and refused, as a strict apply refuses them; constraints
under allOf/anyOf/oneOf/not only constrain, they never declare fields. `metadata`
is checked by the API server's own rules, not here. Validators are compiled once
per CRD version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from generator.load.document import format_path
from generator.verify.cluster.objects import ClusterObject

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_MAX_ERRORS = 5  # per object: the first few say what to fix


def to_json_schema(schema: Any, *, structural: bool = True) -> Any:
    """The JSON Schema equivalent of an OpenAPI v3 structural schema node."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: to_json_schema(child) for name, child in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = to_json_schema(value)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [to_json_schema(child, structural=False) for child in value]
        elif key == "not":
            out[key] = to_json_schema(value, structural=False)
        elif not key.startswith("x-kubernetes-") and key not in ("nullable", "default", "example"):
            out[key] = value
    _apply_extensions(schema, out, structural)
    return out


def _apply_extensions(schema: dict[str, Any], out: dict[str, Any], structural: bool) -> None:
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [*out.get("anyOf", []), {"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    preserve = schema.get("x-kubernetes-preserve-unknown-fields") or schema.get(
        "x-kubernetes-embedded-resource"
    )
    if structural and "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False


class CrdSchemas:
    """Compiled validators, by (CRD file, CRD name, version)."""

    def __init__(self) -> None:
        self._validators: dict[tuple[str, str, str], Draft202012Validator | None] = {}

    def errors(self, obj: ClusterObject, crd: ClusterObject) -> Iterator[str]:
        version = obj.api_version.rpartition("/")[2]
        served = _served_version(crd, version)
        if served is None:
            yield (
                f"{obj.label}: {obj.api_version} is not a served version of CustomResourceDefinition "
                f"{crd.name} (from Application {crd.application}); use one of "
                f"{', '.join(_served_names(crd)) or 'none'}"
            )
            return
        validator = self._validator(crd, served)
        if validator is None:
            return
        checked = {key: value for key, value in obj.data.items() if key != "metadata"}
        errors = sorted(validator.iter_errors(checked), key=lambda e: [str(p) for p in e.absolute_path])
        for error in errors[:_MAX_ERRORS]:
            yield (
                f"{obj.label} does not match the schema of CustomResourceDefinition {crd.name} "
                f"({version}, from Application {crd.application}) at "
                f"{format_path(tuple(error.absolute_path)) or 'the top level'}: {_message(error)}"
            )

    def _validator(self, crd: ClusterObject, served: dict[str, Any]) -> Draft202012Validator | None:
        key = (crd.file, crd.name, str(served.get("name")))
        if key not in self._validators:
            raw = (served.get("schema") or {}).get("openAPIV3Schema")
            if raw is None:
                raw = ((crd.data.get("spec") or {}).get("validation") or {}).get("openAPIV3Schema")
            schema = to_json_schema(raw) if isinstance(raw, dict) else None
            if isinstance(schema, dict):
                properties = schema.get("properties")
                if isinstance(properties, dict):
                    properties.pop("metadata", None)
                    properties.setdefault("apiVersion", {"type": "string"})
                    properties.setdefault("kind", {"type": "string"})
            self._validators[key] = Draft202012Validator(schema) if isinstance(schema, dict) else None
        return self._validators[key]


def _served_version(crd: ClusterObject, version: str) -> dict[str, Any] | None:
    for entry in (crd.data.get("spec") or {}).get("versions") or []:
        if isinstance(entry, dict) and entry.get("name") == version and entry.get("served", True):
            return entry
    return None


def _served_names(crd: ClusterObject) -> list[str]:
    versions = (crd.data.get("spec") or {}).get("versions") or []
    return [str(v.get("name")) for v in versions if isinstance(v, dict) and v.get("served", True)]


def _message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message}; remove the field or correct its spelling"
    return error.message
