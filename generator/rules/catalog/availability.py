"""Availability rules (PC601–PC699): disruption budgets, autoscalers, volumes and capacity."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC601",
    "availability",
    ERROR,
    "PodDisruptionBudget never allows an eviction",
    why="""A budget whose `minAvailable` is not below the replica count (or the autoscaler's
    `minReplicas`), `minAvailable: 100%`, or `maxUnavailable: 0` forbids every voluntary
    eviction: node drains hang and cluster upgrades stall. It often appears only in one
    environment, when an overlay scales a workload down and leaves the base budget behind; the
    finding then points at the overlay.""",
    fix="Lower minAvailable below the replica count, use `maxUnavailable: 1`, or remove the pdb "
    "in that environment (`pdb: null`).",
    bad="""
    # overlays/dev.yaml
    kafka: {replicas: 1}          # base: pdb {minAvailable: 1}
    """,
    good="""
    kafka: {replicas: 1, pdb: null}
    """,
)
define(
    "PC602",
    "availability",
    WARNING,
    "PodDisruptionBudget that protects nothing",
    why="""A budget on a single replica (or one that lets every replica go, such as
    `maxUnavailable` at least the replica count or `minAvailable: 0`) allows evicting all pods
    at once: it gives a false sense of protection.""",
    fix="Run more replicas, or remove the pdb.",
    bad="""
    replicas: 1
    pdb: {maxUnavailable: 1}
    """,
    good="""
    replicas: 3
    pdb: {maxUnavailable: 1}
    """,
)
define(
    "PC603",
    "availability",
    ERROR,
    "Autoscaler maxReplicas below minReplicas",
    why="""A HorizontalPodAutoscaler with `maxReplicas` below `minReplicas` is refused by the API
    server, so the workload is not scaled at all.""",
    fix="Raise maxReplicas or lower minReplicas.",
    bad="""
    autoscaling: {minReplicas: 3, maxReplicas: 2, targetCPU: 70}
    """,
    good="""
    autoscaling: {minReplicas: 2, maxReplicas: 4, targetCPU: 70}
    """,
)
define(
    "PC604",
    "availability",
    WARNING,
    "replicas set on an autoscaled workload",
    why="""When an autoscaler manages a workload, platformc leaves `replicas` out of the manifest
    so ArgoCD and the autoscaler do not fight over it. A `replicas` value next to `autoscaling`
    is therefore ignored, which surprises whoever reads it.""",
    fix="Remove `replicas`; set the range with autoscaling.minReplicas and maxReplicas.",
    bad="""
    replicas: 3
    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPU: 70}
    """,
    good="""
    autoscaling: {minReplicas: 3, maxReplicas: 6, targetCPU: 70}
    """,
)
define(
    "PC605",
    "availability",
    ERROR,
    "Namespace quota exceeded at full scale",
    why="""A namespace's ResourceQuota caps the sum of its pods' requests and limits. Judged at
    each autoscaler's maxReplicas (and every replica count), workloads whose sum exceeds the
    quota get refused pods exactly when load peaks. Quantities are read as Kubernetes reads them
    (`500m`, `4Gi`, `1e3`). Upstream charts are not counted.""",
    fix="Raise the namespace quota, or lower replicas, maxReplicas or requests.",
    bad="""
    namespaces: {data: {quota: {requests: {cpu: "4"}}}}
    api: {resources: {requests: {cpu: "1"}}, autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPU: 70}}
    """,
    good="""
    namespaces: {data: {quota: {requests: {cpu: "8"}}}}
    """,
)
define(
    "PC606",
    "availability",
    ERROR,
    "Pod fits no node",
    why="""A pod is scheduled on one node: its requests (CPU, memory, GPUs) must fit a single node
    it may run on, respecting `placement.nodes` (a pod pinned to one node must fit that node),
    GPU needs (GPU nodes only) and node taints. Otherwise it stays Pending forever. A
    daemonset pod must fit every node it runs on.""",
    fix="Lower the requests, widen the placement, or add a node large enough.",
    bad="""
    resources: {requests: {cpu: "64", memory: 32Gi}}
    """,
    good="""
    resources: {requests: {cpu: "16", memory: 32Gi}}
    """,
)
define(
    "PC607",
    "availability",
    ERROR,
    "Requests above the cluster's capacity",
    why="""The sum of all workloads' requests at full scale exceeds the sum of the nodes in
    `spec.cluster.nodes`: some pods will stay Pending when everything scales up.""",
    fix="Add nodes, or lower requests, replicas and maxReplicas.",
    bad="""
    cluster: {nodes: [{name: n1, cpu: 8, memory: 32Gi}]}
    # workloads request 12 CPUs in total
    """,
    good="""
    cluster: {nodes: [{name: n1, cpu: 8, memory: 32Gi}, {name: n2, cpu: 8, memory: 32Gi}]}
    """,
)
define(
    "PC608",
    "availability",
    ERROR,
    "Persistent volume on a multi-replica Deployment",
    why="""A Deployment's persistent volume is one ReadWriteOnce claim shared by all its pods.
    Only one node can attach it, so with more than one replica (or an autoscaler that may add
    one) the other pods never start.""",
    fix="Use `type: statefulset` (one volume per replica), or run a single replica.",
    bad="""
    replicas: 2
    volumes: {data: {mount: /data, size: 10Gi}}
    """,
    good="""
    type: statefulset
    replicas: 2
    volumes: {data: {mount: /data, size: 10Gi}}
    """,
)
define(
    "PC609",
    "availability",
    ERROR,
    "Request above its limit",
    why="""Kubernetes refuses a container whose request exceeds its limit. Limits merge key by
    key with `spec.defaults`: raising a memory request above the default limit without setting
    the component's own limit is the usual way in.""",
    fix="Set the component's `resources.limits` at least as high as its requests.",
    bad="""
    resources: {requests: {memory: 2Gi}}    # defaults: limits {memory: 1Gi}
    """,
    good="""
    resources: {requests: {memory: 2Gi}, limits: {memory: 4Gi}}
    """,
)
define(
    "PC610",
    "availability",
    ERROR,
    "Placement names an unknown node",
    why="""`placement.nodes` pins a workload to named nodes of `spec.cluster.nodes`. A name the
    cluster does not list can never match a node, so the pod stays Pending (or, with other
    names beside it, runs on fewer nodes than intended).""",
    fix="Name a node from spec.cluster.nodes (the message suggests the closest).",
    bad="""
    placement: {nodes: [cpu-1]}
    """,
    good="""
    placement: {nodes: [cpu1]}
    """,
)
