"""The evaluator's data: policies, rules and exceptions as parsed, and the verdicts it returns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers"
POLICY_KINDS = ("ClusterPolicy", "Policy")
EXCEPTION_API_VERSIONS = ("kyverno.io/v2", "kyverno.io/v2beta1", "kyverno.io/v2alpha1")


class Unsupported(Exception):
    """A construct the evaluator does not evaluate; the rule is reported as not evaluated."""


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    EXCEPTED = "excepted"
    NOT_EVALUATED = "not-evaluated"


@dataclass(frozen=True)
class Rule:
    """One rule as Kyverno runs it; autogen rules carry the rule they were generated from."""

    name: str
    match: Mapping[str, Any]
    exclude: Mapping[str, Any]
    preconditions: Any
    validate: Mapping[str, Any]
    context: tuple[Any, ...] = ()
    other: tuple[str, ...] = ()  # mutate / generate / verifyImages: not validate rules
    source: str = ""
    cel_preconditions: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ClusterPolicy:
    name: str
    namespace: str  # "" for a ClusterPolicy
    annotations: Mapping[str, str]
    rules: tuple[Rule, ...]
    validation_failure_action: str = "Audit"
    action_overrides: tuple[Mapping[str, Any], ...] = ()
    background: bool = True
    admission: bool = True
    apply_rules: str = "All"
    match_conditions: tuple[Any, ...] = ()  # spec.webhookConfiguration.matchConditions (CEL)

    @property
    def key(self) -> str:
        """The name PolicyExceptions use: `<namespace>/<name>` for a namespaced Policy."""
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


@dataclass(frozen=True)
class PolicyException:
    name: str
    namespace: str
    exceptions: tuple[tuple[str, tuple[str, ...]], ...]  # (policyName, ruleNames)
    match: Mapping[str, Any]
    conditions: Any = None
    pod_security: tuple[Any, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class Verdict:
    """What Kyverno does with one rule of one policy for one resource."""

    policy: str
    rule: str
    kind: str
    name: str
    namespace: str
    outcome: Outcome
    message: str = ""
    path: str = ""
    action: str = "Audit"
    exception: str = ""
    generated_from: str = field(default="", compare=False)
    # exceptions that name this policy and rule but do not match the resource
    near_misses: tuple[str, ...] = ()

    @property
    def blocks(self) -> bool:
        """True when the API server would reject the resource because of this rule."""
        return self.outcome is Outcome.FAIL and self.action == "Enforce"

    def describe(self) -> str:
        """One line for a finding: `Pod apps/web-1: policy/rule fails (Enforce) at /spec/...: message`."""
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        verb = {
            Outcome.FAIL: f"fails ({self.action})",
            Outcome.PASS: "passes",
            Outcome.SKIP: "does not apply",
            Outcome.EXCEPTED: f"is exempted by {self.exception}",
            Outcome.NOT_EVALUATED: "is not evaluated",
        }[self.outcome]
        at = f" at {self.path}" if self.path else ""
        text = f"{self.kind} {where}: {self.policy}/{self.rule} {verb}{at}"
        return f"{text}: {self.message}" if self.message else text


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _action(value: Any) -> str:
    return "Enforce" if str(value or "Audit").lower() == "enforce" else "Audit"


def parse_rule(raw: Mapping[str, Any]) -> Rule:
    others = tuple(k for k in ("mutate", "generate", "verifyImages") if raw.get(k))
    return Rule(
        name=str(raw.get("name", "")),
        match=_mapping(raw.get("match")),
        exclude=_mapping(raw.get("exclude")),
        preconditions=raw.get("preconditions"),
        validate=_mapping(raw.get("validate")),
        context=tuple(raw.get("context") or ()),
        other=others,
        cel_preconditions=tuple(raw.get("celPreconditions") or ()),
    )


def parse_policy(document: Mapping[str, Any]) -> ClusterPolicy:
    """A ClusterPolicy (or namespaced Policy) from its YAML object."""
    metadata = _mapping(document.get("metadata"))
    spec = _mapping(document.get("spec"))
    namespace = str(metadata.get("namespace") or "") if document.get("kind") == "Policy" else ""
    return ClusterPolicy(
        name=str(metadata.get("name", "")),
        namespace=namespace,
        annotations={str(k): str(v) for k, v in _mapping(metadata.get("annotations")).items()},
        rules=tuple(parse_rule(r) for r in spec.get("rules") or () if isinstance(r, Mapping)),
        validation_failure_action=_action(spec.get("validationFailureAction")),
        action_overrides=tuple(o for o in spec.get("validationFailureActionOverrides") or () if o),
        background=spec.get("background", True) is not False,
        admission=spec.get("admission", True) is not False,
        apply_rules=str(spec.get("applyRules") or "All"),
        match_conditions=tuple(_mapping(spec.get("webhookConfiguration")).get("matchConditions") or ()),
    )


def parse_exception(document: Mapping[str, Any]) -> PolicyException:
    """A PolicyException (kyverno.io/v2, v2beta1 or v2alpha1) from its YAML object."""
    metadata = _mapping(document.get("metadata"))
    spec = _mapping(document.get("spec"))
    pairs = tuple(
        (str(e.get("policyName", "")), tuple(str(r) for r in e.get("ruleNames") or ()))
        for e in spec.get("exceptions") or ()
        if isinstance(e, Mapping)
    )
    return PolicyException(
        name=str(metadata.get("name", "")),
        namespace=str(metadata.get("namespace") or ""),
        exceptions=pairs,
        match=_mapping(spec.get("match")),
        conditions=spec.get("conditions"),
        pod_security=tuple(spec.get("podSecurity") or ()),
    )


def parse_documents(
    documents: Iterable[Mapping[str, Any]],
) -> tuple[list[ClusterPolicy], list[PolicyException]]:
    """Split YAML objects into the policies and the exceptions among them (others are ignored)."""
    policies: list[ClusterPolicy] = []
    exceptions: list[PolicyException] = []
    for document in documents:
        api = str(document.get("apiVersion", ""))
        if not api.startswith("kyverno.io/"):
            continue
        if document.get("kind") in POLICY_KINDS:
            policies.append(parse_policy(document))
        elif document.get("kind") == "PolicyException":
            exceptions.append(parse_exception(document))
    return policies, exceptions
