"""One validate rule against one resource: preconditions, then pattern, anyPattern, deny or foreach."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.verify.admission.conditions import evaluate_block
from generator.verify.admission.model import Outcome, Rule, Unsupported
from generator.verify.admission.pattern import match_pattern
from generator.verify.admission.variables import Unresolved, query, strict, substitute

_NOT_EVALUATED = {
    "podSecurity": "validate.podSecurity (Kyverno's built-in Pod Security Standards check)",
    "cel": "validate.cel (CEL expressions)",
    "manifests": "validate.manifests (signed manifests)",
    "assert": "validate.assert (assertion trees)",
}


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    message: str = ""
    path: str = ""


def run(rule: Rule, resource: Mapping[str, Any], data: dict[str, Any]) -> Result:
    """Evaluate a rule Kyverno has matched to the resource; Unsupported/Unresolved propagate."""
    data = with_context(rule.context, data)
    if not evaluate_block(rule.preconditions, strict(data)):
        return Result(Outcome.SKIP, "preconditions not met")
    validate = rule.validate
    for key, what in _NOT_EVALUATED.items():
        if validate.get(key) is not None:
            raise Unsupported(what)
    if validate.get("foreach") is not None:
        return _foreach(validate, resource, data)
    if validate.get("deny") is not None:
        return _deny(validate, data)
    if validate.get("pattern") is not None or validate.get("anyPattern") is not None:
        return _patterns(validate, resource, data)
    raise Unsupported("a validate rule without pattern, anyPattern, deny or foreach")


def with_context(entries: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Rule `context`: `variable` entries are evaluated; entries that read the cluster are not."""
    out = dict(data)
    for entry in entries or ():
        name = str(entry.get("name", ""))
        variable = entry.get("variable")
        if variable is None:
            kinds = sorted(k for k in entry if k != "name")
            raise Unsupported(f"context entry {name!r} ({', '.join(kinds)}) reads from the cluster")
        value = substitute(variable.get("value"), strict(out)) if "value" in variable else None
        if variable.get("jmesPath"):
            value = query(out if value is None else value, str(variable["jmesPath"]))
        if value is None:
            value = variable.get("default")
        out[name] = value
    return out


def message(validate: Mapping[str, Any], data: dict[str, Any]) -> str:
    raw = str(validate.get("message") or "")
    try:
        return str(substitute(raw, strict(data)))
    except (Unresolved, Unsupported):
        return raw


def _deny(validate: Mapping[str, Any], data: dict[str, Any]) -> Result:
    deny = validate["deny"] or {}
    if evaluate_block(deny.get("conditions"), strict(data)):
        return Result(Outcome.FAIL, message(validate, data))
    return Result(Outcome.PASS)


def _patterns(validate: Mapping[str, Any], resource: Any, data: dict[str, Any]) -> Result:
    if validate.get("pattern") is not None:
        found = match_pattern(resource, substitute(validate["pattern"], strict(data)))
        if found is None:
            return Result(Outcome.PASS)
        if found.skip:
            return Result(Outcome.SKIP, found.message, found.path)
        return Result(Outcome.FAIL, f"{message(validate, data)} ({found.message})".strip(), found.path)
    patterns = validate["anyPattern"]
    if not isinstance(patterns, list):
        raise Unsupported("anyPattern that is not a list")
    failures: list[str] = []
    skips: list[str] = []
    for index, pattern in enumerate(patterns):
        found = match_pattern(resource, substitute(pattern, strict(data)))
        if found is None:
            return Result(Outcome.PASS, f"anyPattern[{index}] passed")
        (skips if found.skip else failures).append(f"anyPattern[{index}]: {found.message}")
    if failures:
        return Result(Outcome.FAIL, f"{message(validate, data)} ({'; '.join(failures)})".strip())
    return Result(Outcome.SKIP, "; ".join(skips))


def _foreach(validate: Mapping[str, Any], resource: Any, data: dict[str, Any]) -> Result:
    applied = 0
    for each in validate["foreach"] or ():
        if each.get("foreach") is not None:
            raise Unsupported("nested foreach")
        try:
            elements = query(data, str(substitute(each.get("list", ""), strict(data))))
        except Unresolved:
            continue
        if not isinstance(elements, list):
            continue
        for index, element in enumerate(elements):
            result = _element(each, validate, resource, element, index, data)
            if result.outcome is Outcome.SKIP:
                continue
            if result.outcome is not Outcome.PASS:
                return Result(result.outcome, f"validation failure: {result.message}", result.path)
            applied += 1
    if applied == 0:
        return Result(Outcome.SKIP, "rule skipped: no element applied")
    return Result(Outcome.PASS)


def _element(
    each: Mapping[str, Any],
    validate: Mapping[str, Any],
    resource: Any,
    element: Any,
    index: int,
    data: dict[str, Any],
) -> Result:
    scoped = isinstance(element, dict) if each.get("elementScope") is None else bool(each["elementScope"])
    local = with_context(each.get("context"), {**data, "element": element, "elementIndex": index})
    if not evaluate_block(each.get("preconditions"), strict(local)):
        return Result(Outcome.SKIP)
    inner = {
        **{k: v for k, v in each.items() if k in ("pattern", "anyPattern", "deny")},
        "message": validate.get("message"),
    }
    if each.get("deny") is not None:
        return _deny(inner, local)
    if each.get("pattern") is not None or each.get("anyPattern") is not None:
        return _patterns(inner, element if scoped else resource, local)
    raise Unsupported("a foreach entry without pattern, anyPattern or deny")
