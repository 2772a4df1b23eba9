"""What Argo CD leaves out of its diff: the platform's built-in entries and the author's.

Under selfHeal, a field that a controller in the cluster owns flaps forever unless
Argo CD ignores it. The built-in entries cover the controllers the platform installs
itself, decided per chart from its rendered output (`tests/unit/emit/test_argocd_diffing.py`
renders each chart and checks the table against what it finds):

- webhook `caBundle`s a controller patches in after install: cert-manager's cainjector
  (cert-manager's own webhooks), external-secrets' cert-controller (its webhook and the
  conversion webhooks of its CRDs), ingress-nginx's certgen job, Vault's agent injector,
  istiod (which also flips its validating webhook's `failurePolicy` to `Fail` once ready),
  and the Spark operator;
- ClusterRoles whose `rules` the aggregation controller fills (Kyverno's aggregated roles):
  whatever `clusterrole-aggregation-controller` manages wins;
- certificates a chart generates at render time (Kong's admission webhook): every render
  makes a new key pair and CA, so the Secrets and the webhook's `caBundle` never settle.
  With RespectIgnoreDifferences the pair from the first sync stays, consistent.

Beside the charts, `platform-secrets` ignores the data of the Secrets its
ExternalSecrets make (`secret_ignores`): the external-secrets controller writes it.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.emit.promql import chart_pod_prefix
from generator.emit.tree import Output
from generator.model.diffing import DiffIgnore
from generator.model.types import Application, Component, Platform

ADMISSION = "admissionregistration.k8s.io"
CA_BUNDLE = ".webhooks[]?.clientConfig.caBundle"
FAILURE_POLICY = ".webhooks[]?.failurePolicy"
MUTATING = "MutatingWebhookConfiguration"
VALIDATING = "ValidatingWebhookConfiguration"


def _webhooks(*kinds: str, paths: tuple[str, ...] = (CA_BUNDLE,)) -> tuple[DiffIgnore, ...]:
    return tuple(DiffIgnore(kind=kind, group=ADMISSION, jq_paths=paths) for kind in kinds)


def _kong(platform: Platform, component: Component) -> tuple[DiffIgnore, ...]:
    fullname = chart_pod_prefix(platform, component)
    namespace = component.namespace
    return (
        DiffIgnore(kind=VALIDATING, group=ADMISSION, name=f"{fullname}-validations", jq_paths=(CA_BUNDLE,)),
        *(
            DiffIgnore(
                kind="Secret", name=f"{fullname}-{name}", namespace=namespace, json_pointers=("/data",)
            )
            for name in ("validation-webhook-ca-keypair", "validation-webhook-keypair")
        ),
    )


Builtin = Callable[[Platform, Component], tuple[DiffIgnore, ...]]


def _fixed(*entries: DiffIgnore) -> Builtin:
    return lambda _platform, _component: entries


# Chart name -> the fields of its objects that a controller owns after install.
CHART_IGNORES: dict[str, Builtin] = {
    "base": _fixed(*_webhooks(VALIDATING, paths=(CA_BUNDLE, FAILURE_POLICY))),
    "cert-manager": _fixed(*_webhooks(MUTATING, VALIDATING)),
    "external-secrets": _fixed(
        *_webhooks(VALIDATING),
        DiffIgnore(
            kind="CustomResourceDefinition",
            group="apiextensions.k8s.io",
            jq_paths=(".spec.conversion.webhook.clientConfig.caBundle",),
        ),
    ),
    "ingress-nginx": _fixed(*_webhooks(VALIDATING)),
    "istiod": _fixed(*_webhooks(MUTATING), *_webhooks(VALIDATING, paths=(CA_BUNDLE, FAILURE_POLICY))),
    "kong": _kong,
    "kyverno": _fixed(
        DiffIgnore(
            kind="ClusterRole",
            group="rbac.authorization.k8s.io",
            managers=("clusterrole-aggregation-controller",),
        )
    ),
    "spark-operator": _fixed(*_webhooks(MUTATING, VALIDATING)),
    "vault": _fixed(*_webhooks(MUTATING)),
}


def diff_ignores(platform: Platform, app: Application) -> list[DiffIgnore]:
    """The application's entries: built-in per chart, then its components', then its own; no duplicates."""
    entries: list[DiffIgnore] = []
    for component in app.enabled_components():
        if component.chart is not None and component.chart.name in CHART_IGNORES:
            entries.extend(CHART_IGNORES[component.chart.name](platform, component))
    for component in app.enabled_components():
        entries.extend(component.ignore_differences)
    entries.extend(app.ignore_differences)
    unique: dict[tuple[object, ...], DiffIgnore] = {}
    for entry in entries:
        unique.setdefault(_key(entry), entry)
    return list(unique.values())


def secret_ignores(platform: Platform) -> list[DiffIgnore]:
    """The Secrets the ExternalSecrets of `secrets/` make: their data is the external-secrets
    controller's, read from the store, and never in Git."""
    return [
        DiffIgnore(kind="Secret", name=item.name, namespace=item.namespace, json_pointers=("/data",))
        for _, item in sorted(platform.secrets.items.items())
    ]


def _key(entry: DiffIgnore) -> tuple[object, ...]:
    return (
        entry.group,
        entry.kind,
        entry.name,
        entry.namespace,
        entry.json_pointers,
        entry.jq_paths,
        entry.managers,
    )


def ignore_differences(entries: list[DiffIgnore]) -> list[Output]:
    """`spec.ignoreDifferences` as Argo CD reads it."""
    out: list[Output] = []
    for entry in entries:
        item: Output = {"group": entry.group, "kind": entry.kind}
        if entry.name is not None:
            item["name"] = entry.name
        if entry.namespace is not None:
            item["namespace"] = entry.namespace
        if entry.json_pointers:
            item["jsonPointers"] = list(entry.json_pointers)
        if entry.jq_paths:
            item["jqPathExpressions"] = list(entry.jq_paths)
        if entry.managers:
            item["managedFieldsManagers"] = list(entry.managers)
        out.append(item)
    return out
