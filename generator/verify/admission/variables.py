"""Kyverno's `{{ ... }}` variables, resolved with JMESPath against the admission context.

A string that is one variable becomes the variable's value (any type); a variable inside longer
text is printed into it (JSON for non-strings). `\\{{` escapes a variable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import jmespath
import jmespath.exceptions

from generator.verify.admission.model import Unsupported

_VARIABLE = re.compile(r"(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})")
_REFERENCE = re.compile(r"\$\(.+?\)")
_UNSUPPORTED_ROOTS = ("images", "serviceAccountName", "serviceAccountNamespace")
_USER = re.compile(r"\brequest\s*\.\s*(userInfo|roles|clusterRoles)\b")

Resolver = Callable[[str], Any]


class Unresolved(Exception):
    """A variable whose query failed or found nothing."""


def context(resource: Mapping[str, Any], namespace: str, operation: str = "CREATE") -> dict[str, Any]:
    """The JSON context of an admission request for `resource`."""
    return {
        "request": {
            "operation": operation,
            "object": resource,
            "oldObject": None,
            "namespace": namespace,
            "kind": {"kind": resource.get("kind", "")},
            "name": (resource.get("metadata") or {}).get("name", ""),
        }
    }


def query(data: Mapping[str, Any], expression: str) -> Any:
    """Evaluate a JMESPath expression; constructs needing the cluster are Unsupported."""
    text = expression.strip()
    root = re.split(r"[.\[ |(]", text, maxsplit=1)[0]
    if root in _UNSUPPORTED_ROOTS:
        raise Unsupported(f"variable {text!r} needs data from the cluster")
    if _USER.search(text):
        raise Unsupported(f"variable {text!r} reads the requesting user")
    try:
        return jmespath.search(text, dict(data))
    except jmespath.exceptions.UnknownFunctionError as e:
        raise Unsupported(f"JMESPath function of Kyverno's in {text!r}: {e}") from e
    except jmespath.exceptions.JMESPathError as e:
        raise Unresolved(f"{text!r}: {e}") from e


def strict(data: Mapping[str, Any]) -> Resolver:
    """Resolution everywhere: a variable that finds nothing is an error, as in Kyverno, where a
    missing key fails the JMESPath query (`Unknown key`) and the rule ends in an error; a default
    (`{{ a.b || '' }}`) is how a policy allows for it."""

    def resolve(expression: str) -> Any:
        value = query(data, expression)
        if value is None:
            raise Unresolved(f"variable {expression.strip()!r} is not set")
        return value

    return resolve


def substitute(document: Any, resolve: Resolver) -> Any:
    """Replace every variable in a JSON-like document."""
    if not has_variables(document):
        return document
    return _substitute(document, resolve)


def _substitute(document: Any, resolve: Resolver) -> Any:
    if isinstance(document, dict):
        return {_substitute(k, resolve): _substitute(v, resolve) for k, v in document.items()}
    if isinstance(document, list):
        return [_substitute(v, resolve) for v in document]
    if isinstance(document, str):
        return _string(document, resolve)
    return document


def _string(text: str, resolve: Resolver) -> Any:
    if _REFERENCE.search(text):
        raise Unsupported(f"reference {text!r} ($(...)) is not evaluated")
    found = list(_VARIABLE.finditer(text))
    if not found:
        return text.replace("\\{{", "{{")
    if len(found) == 1 and found[0].group(1) == "" and found[0].group(2) == text:
        return resolve(_inner(text))
    pieces: list[str] = []
    position = 0
    for variable in found:
        start = variable.start(2)
        pieces.append(text[position:start])
        pieces.append(_print(resolve(_inner(variable.group(2)))))
        position = variable.end(2)
    pieces.append(text[position:])
    return "".join(pieces).replace("\\{{", "{{")


def _inner(variable: str) -> str:
    return variable[2:-2].strip()


def _print(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


_SEEN: dict[int, tuple[Any, bool]] = {}


def has_variables(document: Any) -> bool:
    """Does a document hold `{{`, `$(` or an escape? Remembered per object (policies are read once)."""
    if isinstance(document, str):
        return "{{" in document or "$(" in document
    if not isinstance(document, dict | list):
        return False
    known = _SEEN.get(id(document))
    if known is not None and known[0] is document:
        return known[1]
    text = json.dumps(document, default=str)
    found = "{{" in text or "$(" in text
    if len(_SEEN) > 65536:
        _SEEN.clear()
    _SEEN[id(document)] = (document, found)
    return found
