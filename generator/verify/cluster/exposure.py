"""Services of type LoadBalancer need a load-balancer provider.

Nothing gives such a Service an address unless the cluster has a provider: a
cloud controller, or MetalLB on bare metal. platform.yaml states which under
`cluster.loadBalancer.provider`. With `metallb`, the environment must install
MetalLB itself (its IPAddressPool kind).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Finding
from generator.verify.cluster.crds import CrdIndex
from generator.verify.cluster.objects import ObjectSet
from generator.verify.cluster.places import ClusterFacts, chart_of, finding

RULE = "PC825"
METALLB_POOL = ("metallb.io", "IPAddressPool")


def check_load_balancers(objects: ObjectSet, crds: CrdIndex, facts: ClusterFacts) -> Iterator[Finding]:
    provider = facts.load_balancer
    for service in objects.of_kind("Service"):
        if (service.data.get("spec") or {}).get("type") != "LoadBalancer":
            continue
        problem = None
        if provider is None:
            problem = (
                f"Service {service.name} in namespace {service.namespace} (Application "
                f"{service.application}) is of type LoadBalancer, but the cluster declares no load-balancer "
                "provider: nothing would give it an address; set cluster.loadBalancer.provider "
                "(metallb or cloud) or make the Service a NodePort or ClusterIP one"
            )
        elif provider == "metallb" and not crds.installers(*METALLB_POOL):
            problem = (
                f"Service {service.name} in namespace {service.namespace} is of type LoadBalancer and "
                "cluster.loadBalancer.provider is metallb, but no Application installs MetalLB"
            )
        if problem is not None:
            chart = chart_of(service.file)
            place = None
            if chart is not None:  # the value that asks for it (`controller.service.type`), else the chart's
                place = facts.setting_place(service.application, chart, "type", "LoadBalancer")
                place = place or facts.value_place(service.application, chart, ("service", "type"))
            yield finding(RULE, problem, service, place or facts.object_place(service))
