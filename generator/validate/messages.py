"""Wording of schema findings: what is wrong, where, and how to fix it.

The schema's own `title` and `description` supply the "how": a description is
written as the thing to use ("a port number from 1 to 65535"), so a message can
end with "use <description>" without a table of hints kept in sync by hand.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import ValidationError

from generator.load.document import YamlPath, format_path

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "`true` or `false`",
    "null": "empty",
}
_KEY_NOUNS = {
    "applications": "application name",
    "components": "component name",
    "namespaces": "namespace name",
    "items": "secret item name",
    "ports": "port name",
    "volumes": "volume name",
    "roles": "role name",
    "policies": "policy name",
    "env": "environment variable name",
    "files": "file path",
    "labels": "label key",
}
_KIND_KEY = {"workload component": "image", "chart component": "chart", "external component": "external"}
_MAX_SHOWN = 60
_FEW_KEYS = 4


@dataclass(frozen=True)
class Problem:
    """One finding before it is located: `at_key` puts it on the key rather than the value."""

    rule: str
    path: YamlPath
    message: str
    at_key: bool = False


def where(path: YamlPath) -> str:
    return f"`{format_path(path)}`" if path else "the top level of the document"


def show(value: Any) -> str:
    """A short, readable rendering of a value for a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, int | float):
        return f"`{value}`"
    if isinstance(value, str):
        text = value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 3] + "..."
        return "`" + text.replace("\n", "\\n") + "`" if text else "an empty string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _shown_type(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {show(value)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {show(value)}"
    return show(value)


def _closest(word: str, choices: Sequence[str]) -> str | None:
    lowered = {choice.lower(): choice for choice in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _listing(items: Sequence[Any]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def not_a_mapping(file: str, value: Any, *, overlay: bool) -> str:
    """A whole file that is not a mapping: the one thing to say about it."""
    what = f"{file} is empty; it" if value is None else file
    shown = "" if value is None else f", not {show(value)}"
    if overlay:
        return (
            f"{what} must be a mapping of the keys this environment changes (e.g. `spec:`){shown}; "
            "leave the file empty to use platform.yaml as written"
        )
    return f"{what} must be a mapping with `apiVersion`, `kind`, `metadata` and `spec`{shown}"


def unknown_key(
    path: YamlPath, key: Any, schema: Mapping[str, Any], kind_keys: Mapping[str, frozenset[str]]
) -> Problem:
    allowed = sorted(str(k) for k in schema.get("properties", {}))
    title = schema.get("title") if path else None
    owner = f" ({'an' if str(title)[:1] in 'aeiou' else 'a'} {title})" if isinstance(title, str) else ""
    text = f"unknown key `{key}` in {where(path)}{owner}"
    close = _closest(str(key), allowed)
    other = None
    if isinstance(title, str) and title in kind_keys:
        other = next((t for t, keys in kind_keys.items() if t != title and key in keys), None)
    if other is not None and isinstance(title, str):
        hint = (
            f"`{key}` belongs to a {other}, and this is a {title} because it has `{_KIND_KEY[title]}`; "
            "a component is exactly one kind: `image` (workload), `chart` or `external`"
        )
    elif close is not None:
        hint = f"did you mean `{close}`?"
    elif allowed:
        hint = f"remove it; the keys here are {_listing(allowed)}"
        description = schema.get("description")
        if path and len(allowed) <= _FEW_KEYS and isinstance(description, str):
            hint += f" ({description})"
    else:
        hint = "remove it"
    return Problem("PC004", (*path, key), f"{text}; {hint}", at_key=True)


def missing_key(path: YamlPath, key: str, schema: Mapping[str, Any]) -> Problem:
    if not path:
        return Problem("PC006", (key,), f"the document is missing the top-level key `{key}`; add it", True)
    description = schema.get("description")
    text = f"{where(path)} is missing the required key `{key}`; add it"
    if isinstance(description, str):
        text += f" ({description})"
    return Problem("PC006", (*path, key), text, at_key=True)


def removed_required_key(path: YamlPath) -> str:
    """PC006 told at the overlay's `null` that removed a required key."""
    return (
        f"{where(path)} is required, and this `null` removes it; delete this line to keep the "
        "value the base file sets, or set another"
    )


def missing_one_of(
    path: YamlPath, instance: Any, branches: Sequence[Any], schema: Mapping[str, Any]
) -> Problem:
    keys = [str(k) for branch in branches for k in branch["required"]]
    # `imgae:` leaves a component with no kind at all; point at the typo, not at the component.
    for written in instance if isinstance(instance, dict) else ():
        close = _closest(str(written), keys)
        if close is not None:
            text = f"unknown key `{written}` in {where(path)}; did you mean `{close}`?"
            return Problem("PC004", (*path, written), text, at_key=True)
    description = schema.get("description")
    text = f"{where(path)} has none of {_listing(keys)}"
    text += f"; {description}" if isinstance(description, str) else "; add one of them"
    return Problem("PC006", path, text, at_key=True)


def bad_value(
    rule: str, path: YamlPath, at_key: bool, error: ValidationError, schema: Mapping[str, Any]
) -> Problem:
    if at_key and path:
        parent = path[:-1]
        noun = _KEY_NOUNS.get(str(parent[-1]), "key") if parent else "key"
        subject = f"{noun} `{path[-1]}` in {where(parent)}"
    else:
        subject = where(path)
    text = _describe(subject, at_key, error, schema)
    return Problem(rule, path, text, at_key=at_key)


def _describe(subject: str, at_key: bool, error: ValidationError, schema: Mapping[str, Any]) -> str:
    """What is wrong with the value, in words, with how to fix it: one family of checks each."""
    if error.validator == "type":
        return _wrong_type(subject, error.instance, error.validator_value, schema)
    for describe in (_choice, _bound, _text, _collection):
        text = describe(subject, at_key, error, schema)
        if text is not None:
            return text
    return f"{subject}: {error.message}"


def _use(schema: Mapping[str, Any]) -> str:
    description = schema.get("description")
    return f"; use {description}" if isinstance(description, str) else ""


def _choice(subject: str, at_key: bool, error: ValidationError, schema: Mapping[str, Any]) -> str | None:
    """`enum` and `const`: the values allowed, and the closest one to a typo."""
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "enum" and isinstance(expected, list):
        text = f"{subject} is {show(value)}; use one of {_listing(expected)}"
        close = _closest(value, [str(e) for e in expected]) if isinstance(value, str) else None
        return text + (f" (did you mean `{close}`?)" if close is not None else "")
    if kind == "const":
        return f"{subject} is {show(value)}; it must be `{expected}`"
    return None


_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


def _bound(subject: str, at_key: bool, error: ValidationError, schema: Mapping[str, Any]) -> str | None:
    """A number out of its range."""
    bound = _BOUNDS.get(str(error.validator))
    if bound is None:
        return None
    return f"{subject} is {show(error.instance)}; it must be {bound} {error.validator_value}{_use(schema)}"


def _text(subject: str, at_key: bool, error: ValidationError, schema: Mapping[str, Any]) -> str | None:
    """Text of the wrong length or shape (a pattern, a format, none of the shapes allowed)."""
    kind, value = error.validator, error.instance
    title = schema.get("title")
    what = title if isinstance(title, str) else "value"
    if kind == "minLength":
        return (
            f"{subject} is empty; write a value{_use(schema)}"
            if value == ""
            else f"{subject} is too short{_use(schema)}"
        )
    if kind == "maxLength" and isinstance(value, str):
        limit = error.validator_value
        return f"{subject} is {len(value)} characters long; a {what} has at most {limit}{_use(schema)}"
    if kind in ("pattern", "format", "anyOf", "oneOf"):
        if at_key:
            return f"{subject} is not a valid {what}{_use(schema)}"
        return f"{subject} is {show(value)}, not a valid {what}{_use(schema)}"
    return None


def _collection(subject: str, at_key: bool, error: ValidationError, schema: Mapping[str, Any]) -> str | None:
    """A list or a mapping with too few, too many or repeated items."""
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "minItems":
        return f"{subject} is an empty list; list at least {expected} item{'s' if expected != 1 else ''}"
    if kind == "uniqueItems" and isinstance(value, list):
        return f"{subject} lists {show(_first_duplicate(value))} more than once; list each item once"
    if kind in ("minProperties", "maxProperties") and isinstance(value, dict):
        bound = "at least" if kind == "minProperties" else "at most"
        description = schema.get("description")
        hint = description if isinstance(description, str) else f"set {bound} {expected} keys"
        if not value:
            return f"{subject} is empty; {hint}"
        only = "only " if kind == "minProperties" else ""
        return f"{subject} sets {only}{_listing(list(value))}; {hint}"
    return None


def _wrong_type(subject: str, value: Any, expected: Any, schema: Mapping[str, Any]) -> str:
    types = expected if isinstance(expected, list) else [expected]
    words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in types)
    text = f"{subject} must be {words}, not {_shown_type(value)}"
    title = schema.get("title")
    description = schema.get("description")
    if title == "port name" and isinstance(value, int | float):
        return text + "; name one of the component's `ports` (e.g. `http`), not a number"
    if "string" in types and isinstance(value, int | float | bool):
        literal = show(value).strip("`")
        return text + f'; quote it: `"{literal}"`'
    if "object" in types and value is None:
        return text + "; write `{}` for an empty mapping, or remove the key"
    if "array" in types and isinstance(value, str):
        return text + f"; write a list: `[{value}]`"
    if "boolean" in types and isinstance(value, str) and value.lower() in ("true", "false"):
        return text + "; write `true` or `false` without quotes"
    if types[:1] in (["integer"], ["number"]) and isinstance(value, str) and value.strip().isdigit():
        return text + "; remove the quotes"
    if isinstance(description, str):
        return text + f" ({description})"
    return text


def _first_duplicate(items: list[Any]) -> Any:
    for index, item in enumerate(items):
        if item in items[:index]:
            return item
    return None
