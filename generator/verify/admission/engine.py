"""evaluate(): every installed policy's validate rules against one resource, as Kyverno's
validating webhook would run them at admission."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from generator.verify.admission import pods, wildcard
from generator.verify.admission.autogen import computed_rules
from generator.verify.admission.config import KyvernoConfig
from generator.verify.admission.exceptions import ExceptionIndex, exempting, naming
from generator.verify.admission.match import Target, rule_applies, selector_matches
from generator.verify.admission.model import (
    ClusterPolicy,
    Outcome,
    PolicyException,
    Rule,
    Unsupported,
    Verdict,
)
from generator.verify.admission.rules import run
from generator.verify.admission.variables import Unresolved, context

_RULES: dict[int, tuple[ClusterPolicy, tuple[Rule, ...]]] = {}

_KIND_ORDER = {"ReplicaSet": "1", "Job": "1", "Pod": "2"}
# worst first: how sample Pods of one workload combine
_SEVERITY = (Outcome.FAIL, Outcome.NOT_EVALUATED, Outcome.PASS, Outcome.EXCEPTED, Outcome.SKIP)


def evaluate(
    policies: Sequence[ClusterPolicy],
    exceptions: Sequence[PolicyException] | ExceptionIndex,
    resource: Mapping[str, Any],
    namespace_labels: Mapping[str, str] | None = None,
    operation: str = "CREATE",
    config: KyvernoConfig | None = None,
) -> list[Verdict]:
    """A verdict for every validate rule (autogen rules included) whose match selects `resource`.

    Rules that do not select the resource give no verdict, nor does a resource Kyverno's own
    `config` keeps from its webhooks; a construct the evaluator does not support gives
    `not-evaluated` with what it was.
    """
    if config is not None and config.skips(resource, namespace_labels):
        return []
    exceptions = ExceptionIndex.of(exceptions)
    resource = without_nulls(resource)
    target = Target.of(resource, namespace_labels, operation)
    data = context(resource, target.namespace, operation)
    verdicts: list[Verdict] = []
    for policy in sorted(policies, key=lambda p: p.key):
        if not policy.admission or (policy.namespace and policy.namespace != target.namespace):
            continue
        applied = 0
        for rule in _rules(policy):
            if not rule.validate or (policy.apply_rules == "One" and applied):
                continue
            verdict = _rule(policy, rule, exceptions, resource, target, data)
            if verdict is not None:
                verdicts.append(verdict)
                applied += verdict.outcome in (Outcome.PASS, Outcome.FAIL)
    return verdicts


def evaluate_workload(
    policies: Sequence[ClusterPolicy],
    exceptions: Sequence[PolicyException] | ExceptionIndex,
    workload: Mapping[str, Any],
    namespace_labels: Mapping[str, str] | None = None,
    config: KyvernoConfig | None = None,
    mutate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[Verdict]:
    """Verdicts for a workload itself (autogen rules), for what its controller creates in
    between (a Deployment's ReplicaSet, a CronJob's Job) and for its Pods (Pod rules); for
    generated objects, the worst outcome over sample names. `mutate` is what the cluster's
    mutating webhooks do to a Pod before Kyverno validates it (a sidecar injection)."""
    exceptions = ExceptionIndex.of(exceptions)  # once for the workload and all its samples
    if workload.get("kind") == "Pod":
        pod = mutate(dict(workload)) if mutate is not None else workload
        return evaluate(policies, exceptions, pod, namespace_labels, config=config)
    verdicts = evaluate(policies, exceptions, workload, namespace_labels, config=config)
    worst: dict[tuple[str, str, str], Verdict] = {}
    samples = pods.intermediates_of(workload) + [
        replace(sample, manifest=mutate(sample.manifest)) if mutate is not None else sample
        for sample in pods.pods_of(workload)
    ]
    for sample in samples:
        for verdict in evaluate(policies, exceptions, sample.manifest, namespace_labels, config=config):
            shown = replace(verdict, name=sample.display)
            key = (_KIND_ORDER.get(verdict.kind, verdict.kind), verdict.policy, verdict.rule)
            if key not in worst or _SEVERITY.index(shown.outcome) < _SEVERITY.index(worst[key].outcome):
                worst[key] = shown
    return verdicts + [worst[k] for k in sorted(worst)]


def without_nulls(value: Any) -> Any:
    """The object as the API server hands it on: decoded into typed fields, a null is the zero
    value and is left out, so `securityContext: null` reads as no securityContext."""
    if isinstance(value, Mapping):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _rules(policy: ClusterPolicy) -> tuple[Rule, ...]:
    """A policy's rules with autogen's, computed once per policy object."""
    known = _RULES.get(id(policy))
    if known is None or known[0] is not policy:
        if len(_RULES) > 4096:
            _RULES.clear()
        known = _RULES[id(policy)] = (policy, computed_rules(policy))
    return known[1]


def _rule(
    policy: ClusterPolicy,
    rule: Rule,
    exceptions: ExceptionIndex,
    resource: Mapping[str, Any],
    target: Target,
    data: dict[str, Any],
) -> Verdict | None:
    def verdict(outcome: Outcome, message: str = "", path: str = "", exception: str = "") -> Verdict:
        misses = naming(exceptions, policy.key, rule.name) if outcome is Outcome.FAIL else ()
        return Verdict(
            policy=policy.key,
            rule=rule.name,
            kind=target.kind,
            name=target.name,
            namespace=target.namespace,
            outcome=outcome,
            message=message,
            path=path,
            action=_action(policy, rule, target),
            exception=exception,
            generated_from=rule.source,
            near_misses=misses,
        )

    try:
        if not rule_applies(rule.match, rule.exclude, target):
            return None
        if policy.match_conditions:
            raise Unsupported("the policy's webhookConfiguration.matchConditions (CEL)")
        if rule.cel_preconditions:
            raise Unsupported("celPreconditions (CEL)")
        exception = exempting(exceptions, policy.key, rule.name, target, data)
        if exception is not None:
            return verdict(
                Outcome.EXCEPTED, f"exempted by PolicyException {exception.key}", exception=exception.key
            )
        result = run(rule, resource, data)
    except Unsupported as e:
        return verdict(Outcome.NOT_EVALUATED, f"not evaluated: {e}")
    except Unresolved as e:
        return verdict(Outcome.NOT_EVALUATED, f"not evaluated: variable substitution failed: {e}")
    return verdict(result.outcome, result.message, result.path)


def _action(policy: ClusterPolicy, rule: Rule, target: Target) -> str:
    """Rule `validate.failureAction`, else a namespace override, else the policy's action."""
    own = rule.validate.get("failureAction")
    if own:
        return "Enforce" if str(own).lower() == "enforce" else "Audit"
    for override in policy.action_overrides:
        namespaces = [str(n) for n in override.get("namespaces") or ()]
        selector = override.get("namespaceSelector")
        hit = any(wildcard.match(n, target.namespace) for n in namespaces)
        if selector and target.namespace_labels is not None:
            hit = hit or selector_matches(selector, target.namespace_labels)
        if hit:
            return "Enforce" if str(override.get("action", "")).lower() == "enforce" else "Audit"
    return policy.validation_failure_action
