"""Kyverno admission in the cluster stage: the evaluator run over one environment.

The policies are the ClusterPolicies the environment installs (the kyverno-policies chart as
rendered, those platform.yaml declares); the exceptions are the PolicyExceptions it installs,
as far as Kyverno reads them (`--enablePolicyException`, `--exceptionNamespace` of the
admission controller); Kyverno's own ConfigMap says what its webhooks never see. Every pod
template is judged as the API server receives its Pods: after istiod's sidecar injection
(generator.verify.cluster.injection), with the names its controller gives them. Each distinct
workload is evaluated once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.findings import Finding, Severity
from generator.verify import admission as kyverno
from generator.verify.admission import ClusterPolicy, KyvernoConfig, Outcome, Verdict
from generator.verify.cluster.injection import Injector, find_injectors
from generator.verify.cluster.objects import ClusterObject
from generator.verify.cluster.operated import OperatedPods, operated_pods
from generator.verify.cluster.places import APPLICATION_LABEL, COMPONENT_LABEL, ClusterFacts, Place, finding
from generator.verify.cluster.policy_places import DANGLING, dangling_findings, declared_findings

if TYPE_CHECKING:
    from generator.verify.cluster.admission import AdmissionInput

REJECTED = "PC827"
NOT_EVALUATED = "PC829"
HOOK_ANNOTATION = "helm.sh/hook"
ARGO_HOOK_ANNOTATION = "argocd.argoproj.io/hook"
# Helm hooks Argo CD maps to a sync phase; any other (test, pre-delete, rollback) is never applied
SYNCED_HELM_HOOKS = frozenset({"crd-install", "pre-install", "pre-upgrade", "post-install", "post-upgrade"})
MAX_LISTED = 4


@dataclass(frozen=True)
class Admission:
    """What Kyverno holds in one environment."""

    policies: list[ClusterPolicy]
    exceptions: kyverno.ExceptionIndex
    config: KyvernoConfig | None
    injectors: list[Injector]
    namespaces: Mapping[str, Mapping[str, str]]


def evaluate_admission(given: AdmissionInput) -> Iterator[Finding]:
    """PC827 (a Pod Kyverno rejects), PC828/PC830 (exceptions and `policies:` naming what nothing
    installs) and PC829 (rules the evaluator cannot judge) for one environment."""
    policies, _ = kyverno.parse_documents(o.data for o in given.policies)
    exception_objects = [o for o in given.exceptions if o.api_version.startswith("kyverno.io/")]
    if not policies and not exception_objects:
        return
    enabled, namespace = _exception_flags(given.workloads)
    exceptions = [kyverno.parse_exception(_namespaced(o)) for o in exception_objects]
    if not given.incomplete and (policies or "kyverno.io" not in given.facts.preinstalled):
        yield from dangling_findings(exception_objects, exceptions, policies, given.facts)
        yield from declared_findings(policies, given.facts)
    honoured = kyverno.honoured(exceptions, enabled, namespace)
    read = {id(exception) for exception in honoured}  # the same objects: no list scan per exception
    for obj, parsed in zip(exception_objects, exceptions, strict=True):
        if id(parsed) not in read:
            yield _ignored(obj, enabled, namespace, given.facts)
    if not policies:
        return
    state = Admission(
        policies=policies,
        exceptions=kyverno.ExceptionIndex.of(honoured),
        config=_config(given.config_maps),
        injectors=find_injectors(given.config_maps, given.webhooks),
        namespaces={n.name: {str(k): str(v) for k, v in n.labels.items()} for n in given.namespaces},
    )
    keyed = {f"{o.namespace}/{o.name}": o for o in exception_objects}
    unjudged: dict[tuple[str, str], list[ClusterObject]] = {}
    reasons: dict[tuple[str, str], str] = {}
    cache: dict[str, list[Verdict]] = {}
    for workload, verdicts, injected in _judged(given.workloads, given.operated, state, cache):
        blocking = _blocking(verdicts)
        if blocking:
            yield _rejection(workload, blocking, injected, keyed, given.facts)
        for verdict in verdicts:
            if verdict.outcome is Outcome.NOT_EVALUATED:
                rule = verdict.generated_from or verdict.rule  # autogen rules: one root cause
                reasons.setdefault((verdict.policy, rule), verdict.message)
                unjudged.setdefault((verdict.policy, rule), []).append(workload)
    for (policy, rule), workloads in sorted(unjudged.items()):
        unique = list({id(w): w for w in workloads}.values())
        yield _not_evaluated(policy, rule, reasons[(policy, rule)], unique, given.facts)


def _ignored(obj: ClusterObject, enabled: bool, namespace: str, facts: ClusterFacts) -> Finding:
    """PC828 for an exception Kyverno never reads (`--enablePolicyException`, `--exceptionNamespace`)."""
    why = (
        "Kyverno's admission controller runs with PolicyExceptions switched off"
        if not enabled
        else f"Kyverno reads PolicyExceptions only in namespace {namespace}"
    )
    message = (
        f"PolicyException {obj.namespace}/{obj.name} exempts nothing: {why}; create it in the namespace "
        "Kyverno reads (spec.policy.kyverno.exceptionNamespace) or set the kyverno chart's "
        "features.policyExceptions to match"
    )
    return finding(DANGLING, message, obj, facts.object_place(obj))


def _judged(
    workloads: Sequence[ClusterObject],
    operated: Sequence[ClusterObject],
    state: Admission,
    cache: dict[str, list[Verdict]],
) -> Iterator[tuple[ClusterObject, list[Verdict], bool]]:
    """(workload, verdicts, whether its Pods get a sidecar) for every applied pod template."""
    for workload in workloads:
        if not _applied(workload):
            continue
        data = _namespaced(workload)
        mutate, injected = _mutation(data, workload.namespace, state)
        key = json.dumps([data, injected], sort_keys=True, default=str)
        if key not in cache:
            labels = state.namespaces.get(workload.namespace, {})
            cache[key] = kyverno.evaluate_workload(
                state.policies, state.exceptions, data, labels, config=state.config, mutate=mutate
            )
        yield workload, cache[key], injected
    for pods in operated_pods(operated):
        yield (
            pods.owner,
            _operated_verdicts(pods, state),
            _mutation(pods.samples[0].manifest, pods.owner.namespace, state)[1],
        )


def _operated_verdicts(pods: OperatedPods, state: Admission) -> list[Verdict]:
    """The worst verdict per rule over the sample Pods an operator makes from one template."""
    labels = state.namespaces.get(pods.owner.namespace, {})
    worst: dict[tuple[str, str], Verdict] = {}
    order = (Outcome.FAIL, Outcome.NOT_EVALUATED, Outcome.PASS, Outcome.EXCEPTED, Outcome.SKIP)
    for sample in pods.samples:
        mutate, _ = _mutation(sample.manifest, pods.owner.namespace, state)
        verdicts = kyverno.evaluate_workload(
            state.policies, state.exceptions, sample.manifest, labels, config=state.config, mutate=mutate
        )
        for verdict in verdicts:
            shown = replace(verdict, name=sample.display)
            key = (verdict.policy, verdict.rule)
            if key not in worst or order.index(shown.outcome) < order.index(worst[key].outcome):
                worst[key] = shown
    return [worst[k] for k in sorted(worst)]


def _mutation(
    data: Mapping[str, Any], namespace: str, state: Admission
) -> tuple[Callable[[dict[str, Any]], dict[str, Any]] | None, bool]:
    """istiod's injection for the Pods of `data`, if an injector receives them."""
    labels = state.namespaces.get(namespace, {})
    template = _template(data)
    for injector in state.injectors:
        if injector.injects(template, namespace, labels):

            def mutate(pod: dict[str, Any], injector: Injector = injector) -> dict[str, Any]:
                return injector.inject(pod) if injector.injects(pod, namespace, labels) else pod

            return mutate, True
    return None, False


def _template(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The Pod (or the pod template) of a workload, for the injector's selectors."""
    if data.get("kind") == "Pod":
        return data
    spec = data.get("spec") or {}
    if data.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    template = spec.get("template")
    return template if isinstance(template, Mapping) else {}


def _blocking(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """Blocking verdicts, one per policy and base rule (a Deployment's autogen rule and its Pods'
    rule are one refusal); the first object Kyverno meets wins."""
    found: dict[tuple[str, str], Verdict] = {}
    for verdict in verdicts:
        if verdict.blocks:
            found.setdefault((verdict.policy, verdict.generated_from or verdict.rule), verdict)
    return list(found.values())


def _rejection(
    workload: ClusterObject,
    blocking: list[Verdict],
    injected: bool,
    exceptions: Mapping[str, ClusterObject],
    facts: ClusterFacts,
) -> Finding:
    misses = sorted(
        m
        for m in {m for v in blocking for m in v.near_misses}
        if m in exceptions and _concerns(exceptions[m], workload, facts)
    )
    listed = "; ".join(_refusal(v) for v in blocking[:MAX_LISTED])
    more = f"; and {len(blocking) - MAX_LISTED} more" if len(blocking) > MAX_LISTED else ""
    sidecar = " (after istiod injects its sidecar)" if injected else ""
    if misses:
        fix = (
            f"PolicyException {', '.join(misses)} names the rule but does not match {blocking[0].kind} "
            f"{blocking[0].name}: make it cover the workload and every rule listed"
        )
        place = next((facts.object_place(exceptions[m]) for m in misses if m in exceptions), None)
    else:
        fix = (
            "make the pod comply (the component's `security:` or the chart's values), or give the "
            "component an exception for that policy and rule with a reason"
        )
        place = None
    message = (
        f"Kyverno rejects {workload.label} in namespace {workload.namespace} (Application "
        f"{workload.application}){sidecar}: {listed}{more}; {fix}"
    )
    return finding(REJECTED, message, workload, place or facts.object_place(workload))


def _concerns(exception: ClusterObject, workload: ClusterObject, facts: ClusterFacts) -> bool:
    """Whether an exception was written for the workload: both carry the same component's labels,
    or platform.yaml decides both at the same component."""
    keys = (COMPONENT_LABEL, APPLICATION_LABEL)
    if all(workload.labels.get(k) for k in keys):
        return all(exception.labels.get(k) == workload.labels.get(k) for k in keys)
    written, own = facts.object_place(exception), facts.object_place(workload)
    if written is None or own is None:
        return False
    return written.path == own.path or written.path.startswith(own.path + ".")


def _refusal(verdict: Verdict) -> str:
    at = f" at {verdict.path}" if verdict.path else ""
    text = verdict.message.strip().split(". ")[0]
    message = f" ({text})" if text else ""
    return f"{verdict.kind} {verdict.name} fails {verdict.policy}/{verdict.rule}{at}{message}"


def _not_evaluated(
    policy: str, rule: str, message: str, workloads: list[ClusterObject], facts: ClusterFacts
) -> Finding:
    names = ", ".join(sorted({w.label for w in workloads})[:MAX_LISTED])
    text = (
        f"Kyverno rule {policy}/{rule} was not evaluated for {len(workloads)} workload(s) ({names}): "
        f"{message.removeprefix('not evaluated: ')}; admission of these pods is unknown, not passed"
    )
    first = workloads[0]
    place: Place | None = facts.object_place(first)
    return finding(NOT_EVALUATED, text, first, place, severity=Severity.WARNING)


def _applied(obj: ClusterObject) -> bool:
    """Whether Argo CD applies the object: a Helm hook it maps to no sync phase never is."""
    if obj.annotations.get(ARGO_HOOK_ANNOTATION):
        return True
    hooks = str(obj.annotations.get(HOOK_ANNOTATION) or "")
    if not hooks:
        return True
    return any(h.strip() in SYNCED_HELM_HOOKS for h in hooks.split(","))


def _namespaced(obj: ClusterObject) -> dict[str, Any]:
    """The object as the API server receives it: in its namespace."""
    if not obj.namespace or obj.metadata.get("namespace") == obj.namespace:
        return obj.data
    return {**obj.data, "metadata": {**obj.metadata, "namespace": obj.namespace}}


def _exception_flags(workloads: Iterable[ClusterObject]) -> tuple[bool, str]:
    """`--enablePolicyException` and `--exceptionNamespace` of Kyverno's admission controller."""
    for workload in workloads:
        if workload.kind != "Deployment":
            continue
        spec = ((workload.data.get("spec") or {}).get("template") or {}).get("spec") or {}
        for container in spec.get("containers") or []:
            args = [str(a) for a in (container or {}).get("args") or []]
            flags = dict(a.removeprefix("--").split("=", 1) for a in args if a.startswith("--") and "=" in a)
            if "enablePolicyException" in flags:
                return flags["enablePolicyException"] == "true", flags.get("exceptionNamespace", "")
    return True, ""


def _config(config_maps: Iterable[ClusterObject]) -> KyvernoConfig | None:
    """Kyverno's ConfigMap (the one holding `resourceFilters`), parsed."""
    for config_map in config_maps:
        if "resourceFilters" in (config_map.data.get("data") or {}):
            return kyverno.parse_config(config_map.data)
    return None
