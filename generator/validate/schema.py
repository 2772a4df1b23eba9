"""The merged document against the packaged JSON Schema: one finding per problem.

The schema is compiled once per process. Every error jsonschema reports becomes
a finding located where a person would look: unknown keys and invalid names at
the key, wrong values at the value, missing keys at the mapping that lacks them.
`anyOf` errors are followed into the one branch whose type fits the value, so a
typo inside `{secret, key}` reads as that typo, not "not valid under any schema".
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator

from generator.findings import Finding, Severity, make_finding
from generator.load.document import Document, YamlPath, format_path
from generator.validate import messages
from generator.validate.environment import env_name_findings, overlay_file
from generator.validate.messages import Problem

SCHEMA_RULES: dict[str, tuple[str, str]] = {
    "PC004": (
        "Unknown key",
        "A key that the language does not define at this place, almost always a typo (`imagePullPolicy` "
        "on a component, `limit` for `limits`). An unknown key would be silently ignored, so the setting "
        "the author meant never takes effect. Fix the spelling (the message suggests the closest known "
        "key) or remove the key; a component is a workload (`image`), a chart (`chart`) or an external "
        "service (`external`), and each kind has its own keys.",
    ),
    "PC005": (
        "Wrong type",
        "A value of the wrong type: a list where a mapping belongs, a number where a string belongs, an "
        "empty value. YAML guesses types (`5000`, `1.12` and `true` are not strings), and a wrong guess "
        "reaches Kubernetes as a manifest it refuses. Write the value in the expected shape, quoting "
        "strings that look like numbers or booleans.",
    ),
    "PC006": (
        "Missing required key",
        "A mapping lacks a key it cannot do without: a component with none of `image`, `chart` or "
        "`external`, an exception without a `reason`, a cronjob without a `schedule`. Without it the "
        "compiler cannot render the object. Add the key the message names.",
    ),
    "PC007": (
        "Invalid value",
        "A value of the right type that the language does not accept: a value outside an enumeration, a "
        "number out of range, an empty list or string, a date or duration in the wrong format, a "
        "version that is not `1.x`. Use one of the values the message lists, or the form it shows.",
    ),
    "PC008": (
        "Invalid name",
        "A name that cannot become a Kubernetes object name, label or reference. Application, component, "
        "namespace, volume and secret names become object names and paths under `rendered/`, so they "
        "must be DNS-1123 labels: at most 63 lowercase letters, digits and '-', starting and ending with "
        "a letter or digit. Rename it (and every reference to it).",
    ),
    "PC009": (
        "Invalid port",
        "A port name that is not an IANA service name (at most 15 lowercase letters, digits and '-', at "
        "least one letter, no '-' at either end or twice in a row), or a port number outside 1-65535. "
        "Kubernetes refuses such a container or Service port, or a probe cannot name it. Shorten or "
        "rename the port (and the probes, ingress and references that use it).",
    ),
    "PC010": (
        "Invalid cron schedule",
        "A schedule that cron would not accept: five fields (minute, hour, day of month, month, day of "
        "week) of numbers, ranges, lists, steps and month or day names, or a macro such as `@daily`. A "
        "CronJob or Velero Schedule with a bad schedule is refused or never runs. Write it as, e.g., "
        "`0 3 * * *`.",
    ),
}

_RULE_BY_TITLE = {"port name": "PC009", "port number": "PC009", "cron schedule": "PC010"}
_NAME_TITLES = frozenset(
    {
        "Kubernetes name",
        "DNS name",
        "host name",
        "registry",
        "component reference",
        "port reference",
        "environment variable name",
        "secret key",
        "label key",
        "label value",
        "alert name",
        "capability name",
    }
)
_NAME_CHECKS = frozenset({"pattern", "minLength", "maxLength"})
_SCHEMA_FILE = "platform.schema.json"


def validate_document(doc: Document, env: str | None) -> list[Finding]:
    """Every problem of an environment's (merged) document: its name, then the schema; sorted by position."""
    findings = env_name_findings(env) if env is not None else []
    if not isinstance(doc.data, dict):
        # Nothing below a root that is not a mapping can be judged: one finding, at the file that broke.
        overlay = env is not None and doc.file == overlay_file(env)
        message = messages.not_a_mapping(doc.file, doc.data, overlay=overlay)
        findings.append(make_finding("PC005", Severity.ERROR, message, doc.mark(()), "", env))
        return sorted(findings, key=Finding.sort_key)
    validator = _validator()
    seen: set[tuple[str, str, str]] = set()
    for error in validator.iter_errors(doc.data):
        for leaf in _leaves(error):
            for problem in _problems(leaf):
                # A value of the wrong type fails every schema that applies to it; say so once.
                dotted = format_path(problem.path)
                key = (problem.rule, dotted, "" if problem.rule == "PC005" else problem.message)
                if key in seen:
                    continue
                seen.add(key)
                mark = doc.mark(problem.path, prefer_key=problem.at_key)
                message = problem.message
                if problem.rule == "PC004":
                    message = _indentation(doc, problem) or message
                if problem.rule == "PC006" and problem.path in doc.removed:
                    mark = doc.removed[problem.path]  # the overlay's `null` that removed it
                    message = messages.removed_required_key(problem.path)
                findings.append(make_finding(problem.rule, Severity.ERROR, message, mark, dotted, env))
    return sorted(findings, key=Finding.sort_key)


def _indentation(doc: Document, problem: Problem) -> str | None:
    """The message of an unknown key that is valid further left: an indentation mistake."""
    from generator.validate.indentation import indentation_hint

    hint = indentation_hint(doc, problem.path, _problem_paths)
    if hint is None:
        return None
    return f"unknown key `{problem.path[-1]}` in {messages.where(problem.path[:-1])}; {hint}"


def _problem_paths(data: Any) -> Iterator[YamlPath]:
    for error in _validator().iter_errors(data):
        for leaf in _leaves(error):
            yield from (p.path for p in _problems(leaf))


def load_schema() -> dict[str, Any]:
    """The packaged schema, parsed (a fresh copy each call)."""
    text = resources.files("generator").joinpath("schema", _SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _validator() -> Validator:
    # The packaged schema is checked against the 2020-12 metaschema by the tests
    # (tests/unit/validate/test_validate_schema.py), not on every run.
    schema = load_schema()
    validator_class = _remembering(_StrictValidator)
    validator: Validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return validator


# (definition, value) pairs remembered per process, at most: about 240 bytes each as measured,
# so under 50 MB; a 5,000-component platform's three environments need about 31,000.
MEMO_LIMIT = 200_000


def _remembering(base: Any) -> Any:
    """`base` whose `$ref`s do not walk a value again that they already found valid.

    Validity against a definition depends only on the value and the schema. Values
    repeat: every environment shares most of platform.yaml, and components share
    probes, resources, security settings and names of the same shapes. A value
    found valid once (the digest of its canonical JSON) is valid again; a value
    with errors is walked every time, so each finding keeps its own path. The
    memory belongs to the class made here, and so to one schema.
    """
    walk = base.VALIDATORS["$ref"]
    valid: set[tuple[str, bytes]] = set()

    def ref(
        validator: Any, target: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[ValidationError]:
        key = (target, digest) if (digest := _digest(instance)) else None
        if key is not None and key in valid:
            return
        errors = list(walk(validator, target, instance, schema))
        if key is not None and not errors and len(valid) < MEMO_LIMIT:
            valid.add(key)
        yield from errors

    return validators.create(
        meta_schema=base.META_SCHEMA,
        validators={**base.VALIDATORS, "$ref": ref},
        type_checker=base.TYPE_CHECKER,
        format_checker=base.FORMAT_CHECKER,
    )


def _digest(instance: Any) -> bytes:
    """A digest of the value's canonical JSON (keys sorted); b"" for a value JSON cannot spell exactly."""
    text = _canonical(instance)
    return hashlib.blake2b(text.encode(), digest_size=16).digest() if text else b""


def _canonical(instance: Any) -> str:
    """One text per JSON value (keys sorted); "" for a value JSON cannot spell exactly."""
    try:
        return json.dumps(instance, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):  # odd keys, NaN, a 5,000-digit number, deep nesting
        return ""


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # Python's `$` also matches before a final newline; a name must not end in one.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _strict_pattern(
    validator: Any, pattern: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if isinstance(instance, str) and isinstance(pattern, str) and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_StrictValidator = validators.create(
    meta_schema=Draft202012Validator.META_SCHEMA,
    validators={**Draft202012Validator.VALIDATORS, "pattern": _strict_pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER,
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)


# ---------------------------------------------------------------------------- descent


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """Follow `anyOf`/`oneOf` into the single branch whose type fits the value."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branch = _fitting_branch(error)
        if branch is not None:
            inner = [sub for sub in error.context if list(sub.relative_schema_path)[:1] == [branch]]
            if inner:
                for sub in inner:
                    yield from _leaves(sub)
                return
    yield error


def _fitting_branch(error: ValidationError) -> int | None:
    """The index of the only branch that accepts the value's type, for mappings and lists."""
    if not isinstance(error.instance, dict | list) or not isinstance(error.validator_value, list):
        return None
    fitting = [
        index
        for index, branch in enumerate(error.validator_value)
        if _accepts_type(_resolve(branch), error.instance)
    ]
    return fitting[0] if len(fitting) == 1 else None


def _resolve(branch: Any) -> Any:
    defs = _validator().schema
    for _ in range(16):
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/$defs/") or not isinstance(defs, dict):
            break
        branch = defs.get("$defs", {}).get(ref.removeprefix("#/$defs/"))
    return branch


def _accepts_type(schema: Any, instance: Any) -> bool:
    if not isinstance(schema, dict) or "type" not in schema:
        return False
    wanted = schema["type"]
    types = wanted if isinstance(wanted, list) else [wanted]
    return any(isinstance(t, str) and _validator().is_type(instance, t) for t in types)


# ---------------------------------------------------------------------------- classification


def _problems(error: ValidationError) -> Iterator[Problem]:
    path: YamlPath = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title")
    kind = str(error.validator)
    if kind == "additionalProperties" and error.validator_value is False and isinstance(error.instance, dict):
        extra = _extra_keys(error.instance, schema)
        for key in extra:
            yield messages.unknown_key(path, key, schema, _kind_keys())
        if extra:
            return
    if kind == "required" and isinstance(error.instance, dict) and isinstance(error.validator_value, list):
        for key in error.validator_value:
            if key not in error.instance:
                yield messages.missing_key(path, str(key), schema)
        return
    branches = error.validator_value
    if kind in ("anyOf", "oneOf") and isinstance(branches, list) and _only_required(branches):
        yield messages.missing_one_of(path, error.instance, branches, schema)
        return
    # A `propertyNames` error is about a key: jsonschema reports it at the parent mapping.
    name = error.instance
    at_key = False
    if "propertyNames" in error.absolute_schema_path and isinstance(name, str):
        path, at_key = (*path, name), True
    rule = _RULE_BY_TITLE.get(title) if isinstance(title, str) else None
    if rule is None:
        if kind == "type":
            rule = "PC005"
        elif title in _NAME_TITLES and kind in _NAME_CHECKS:
            rule = "PC008"
        else:
            rule = "PC007"
    yield messages.bad_value(rule, path, at_key, error, schema)


def _extra_keys(instance: dict[Any, Any], schema: Mapping[str, Any]) -> list[Any]:
    known = schema.get("properties", {})
    patterns = [p for p in schema.get("patternProperties", {}) if isinstance(p, str)]
    return [
        key
        for key in instance
        if key not in known and not (isinstance(key, str) and any(_compiled(p).search(key) for p in patterns))
    ]


def _only_required(branches: list[Any]) -> bool:
    return bool(branches) and all(isinstance(b, dict) and set(b) == {"required"} for b in branches)


@functools.cache
def _kind_keys() -> dict[str, frozenset[str]]:
    """Component kind title -> its keys, for hints about keys that belong to another kind."""
    defs = load_schema()["$defs"]
    return {
        defs[name]["title"]: frozenset(defs[name]["properties"])
        for name in ("workload", "chartComponent", "externalComponent")
    }
