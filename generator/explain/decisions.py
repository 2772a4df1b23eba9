"""What platformc decides for a component that its author did not write.

Each decision names the rule of the language that made it and, where one
exists, the line of platform.yaml it follows from. The values come from the
emitters' own functions, so explain shows what render writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.emit.chart_values import chart_values
from generator.findings import Mark
from generator.model.conventions import effective_resources
from generator.model.types import Component, Platform


@dataclass(frozen=True)
class Decision:
    what: str
    why: str
    origin: Mark | None = None


def decisions(platform: Platform, component: Component) -> list[Decision]:
    if component.kind == "workload":
        return _resources(platform, component) + _workload(platform, component)
    if component.kind == "chart":
        return _chart(platform, component)
    return [
        Decision(
            f"Service {component.name} (ExternalName)", "an external component is a name in this namespace"
        )
    ]


def _resources(platform: Platform, component: Component) -> list[Decision]:
    own, defaults = component.resources, platform.defaults
    out: list[Decision] = []
    for part, amounts in effective_resources(platform, component).items():
        for resource, amount in amounts.items():
            if (own is not None and resource in getattr(own, part).values) or resource == "nvidia.com/gpu":
                continue
            what = f"resources.{part}.{resource}: {amount}"
            if defaults is not None and resource in getattr(defaults, part).values:
                where = platform.doc.mark(("spec", "defaults", "resources", part, resource))
                out.append(Decision(what, "from spec.defaults", where))
            else:
                namespace = component.namespace
                where = platform.doc.mark(("spec", "namespaces", namespace, "quota", "limits", resource))
                why = f"namespace {namespace} has a quota on limits.{resource}: the limit is the request"
                out.append(Decision(what, why, where))
    return out


def _workload(platform: Platform, component: Component) -> list[Decision]:
    security = component.security
    out: list[Decision] = [
        Decision(
            "securityContext: no privilege escalation, all capabilities dropped, RuntimeDefault seccomp"
            + ("" if security.runs_as_root else ", runAsNonRoot")
            + ("" if not security.read_only_root else ", read-only root filesystem"),
            "secure by default; `security:` relaxes it",
        )
    ]
    mounts = {v.mount.rstrip("/") for v in component.volumes}
    if security.read_only_root and "/tmp" not in mounts:
        out.append(
            Decision("emptyDir volume at /tmp", "a read-only root filesystem still needs a writable /tmp")
        )
    if component.ports:
        service = f"Service {component.name}"
        if component.workload_type == "statefulset":
            service += f" and headless Service {component.name}-headless (stable pod DNS names)"
        out.append(Decision(service, "a workload with ports gets a Service named after it"))
    if platform.in_mesh(component.namespace) and component.workload_type in ("job", "cronjob"):
        why = (
            f"namespace {component.namespace} is in the mesh; an injected sidecar would never let the Job end"
        )
        out.append(Decision('pod label sidecar.istio.io/inject: "false"', why))
    out.append(_service_account(platform, component))
    if component.hook is not None and component.job is not None:
        out.append(
            Decision(
                f"Argo CD {component.hook} hook on all its objects, delete policy "
                f"{component.job.hook_delete_policy}",
                "job.hook; a hook's objects are deleted before its next run",
                platform.doc.mark(component.job.path),
            )
        )
    out.append(
        Decision(
            f"sync wave {component.wave}", "one more than the latest wave it depends on, in its application"
        )
    )
    return out


def _service_account(platform: Platform, component: Component) -> Decision:
    access = component.api_access
    if access is None:
        why = "every workload runs as its own account; `serviceAccount: {api: true, …}` mounts the token"
        return Decision(f"ServiceAccount {component.name}, its token not mounted", why)
    return Decision(
        f"ServiceAccount {component.name}, its token mounted", access.reason, platform.doc.mark(access.path)
    )


def _chart(platform: Platform, component: Component) -> list[Decision]:
    values = chart_values(platform, component)
    out: list[Decision] = []
    if "fullnameOverride" not in component.values and "fullnameOverride" in values:
        why = "its ports, ingress or exceptions name the chart's objects, so their names must be known"
        out.append(Decision(f"values.fullnameOverride: {values['fullnameOverride']}", why))
    if component.chart_name == "kyverno":
        namespace = values["features"]["policyExceptions"]["namespace"]
        why = "PolicyExceptions only take effect where Kyverno enables them"
        out.append(Decision(f"values.features.policyExceptions: enabled in namespace {namespace}", why))
    return out
