"""Documentation of the rules `verify`'s cluster stage reports (PC820–PC832).

The stage looks at one environment's objects together, as the API server,
ArgoCD and Pod Security Admission will meet them; see generator/verify/cluster/.
"""

from __future__ import annotations

from generator.rules.stage_rules import verify_rule

CLUSTER_RULES = (
    verify_rule(
        "PC820",
        "error",
        "Custom resource applied before its CRD",
        "An object of a kind that is not built into Kubernetes needs its CustomResourceDefinition in the "
        "cluster when ArgoCD applies it. The CRD must come from an Application of an earlier sync wave, or "
        "from the same Application (ArgoCD skips the dry run of a kind whose CRD is in the same sync and "
        "applies CRDs first within a wave) with a CRD wave no later than the object's. Nothing orders two "
        "Applications of the same wave, and SkipDryRunOnMissingResource only skips the dry run: the apply "
        "itself still fails without the CRD.",
        "Add the chart that installs the CRD (a CRD chart such as prometheus-operator-crds, or the "
        "operator's), and make the application that uses the kind depend on the one installing it; or move "
        "the object into the chart's own Application.",
        "applications:\n  monitoring:\n    components:\n      grafana: {chart: {name: grafana}}\n"
        "# alerts render PrometheusRules; nothing installs their CRD",
        "applications:\n  monitoring-crds:\n    components:\n      prometheus-operator-crds:\n"
        "        chart: {name: prometheus-operator-crds, version: 15.0.0}\n"
        "  monitoring:\n    dependsOn: [monitoring-crds]",
    ),
    verify_rule(
        "PC821",
        "error",
        "Object too large for client-side apply",
        "Client-side apply, ArgoCD's default, copies the whole object into the "
        "kubectl.kubernetes.io/last-applied-configuration annotation, and the API server refuses an object "
        "whose annotations exceed 262,144 bytes. Large CRDs (Kyverno's, the Spark operator's) cross it.",
        "Remove `serverSideApply: false` from the application in platform.yaml: ArgoCD then syncs it with "
        "ServerSideApply=true (the default), which writes no such annotation.",
        "applications:\n  kyverno:\n    components:\n      kyverno: {chart: {name: kyverno}}",
        "applications:\n  kyverno:\n    serverSideApply: true\n    components:\n"
        "      kyverno: {chart: {name: kyverno}}",
    ),
    verify_rule(
        "PC822",
        "error",
        "In-cluster address names no Service",
        "An in-cluster DNS name (`<service>.<namespace>.svc[.cluster.local]`, with or without a port) in a "
        "rendered object or a chart value, or an Ingress backend, names a Service the environment does not "
        "create, or a port the Service does not have: a Service's address answers on its own ports, not on "
        "its pods' targetPorts (Grafana's Service is port 80, its container 3000). Clients would fail to "
        "resolve or connect, and the ingress answers 503.",
        "Write the address as `${ref:<app>/<component>.<port>}` so it follows the Service, and give a chart "
        "component the name of the Service its chart really creates (`service:`).",
        "remoteWrite:\n  - url: http://victoria-metrics.victoria-metrics.svc.cluster.local:8428/api/v1/write",
        "remoteWrite:\n  - url: http://${ref:victoria-metrics.http}/api/v1/write",
    ),
    verify_rule(
        "PC823",
        "error",
        "Secret read before it is produced",
        "A pod reads a Secret (env secretKeyRef, envFrom, a secret volume, imagePullSecrets) or a chart "
        "value names an existing one (`existingSecret`), but nothing in the environment produces it (a "
        "Secret object, an ExternalSecret's target, a Certificate, a chart's hook), or its producer syncs in "
        "a later wave. Pods would not start. References marked `optional: true` are not checked.",
        "Declare the secret under spec.secrets.items, and make the application that reads it sync no "
        "earlier than the one producing it (platformc's secrets sync right after external-secrets).",
        "monitoring:\n  components:\n    grafana:\n      values: {admin: {existingSecret: grafana-admin}}",
        "monitoring:\n  dependsOn: [external-secrets]\n  components:\n    grafana:\n"
        "      values: {admin: {existingSecret: grafana-admin}}",
    ),
    verify_rule(
        "PC824",
        "error",
        "Custom resource fails its CRD's schema",
        "Every custom resource is validated against the openAPIV3Schema of the served version in the CRD "
        "that the environment itself installs (nullable, x-kubernetes-int-or-string and "
        "x-kubernetes-preserve-unknown-fields as the API server reads them). An object that fails would "
        "be refused at sync.",
        "Fix the chart value or platform.yaml setting behind the field the message names.",
        "velero:\n  values: {}\n# the chart renders a VolumeSnapshotLocation without a provider",
        "velero:\n  values:\n    snapshotsEnabled: false",
    ),
    verify_rule(
        "PC825",
        "error",
        "LoadBalancer Service without a provider",
        "A Service of type LoadBalancer only gets an address where the cluster has a load-balancer "
        "provider (a cloud controller, or MetalLB on bare metal). platform.yaml states it as "
        "`cluster.loadBalancer.provider`; with none, or with `metallb` but no MetalLB installed, the "
        "Service stays pending forever.",
        "Declare the provider (`metallb` with the metallb chart installed, or `cloud`), or make the "
        "Service a NodePort or ClusterIP one through the chart's values.",
        "cluster:\n  nodes: [...]\n# ingress-nginx asks for a LoadBalancer Service",
        "cluster:\n  nodes: [...]\n  loadBalancer: {provider: metallb}",
    ),
    verify_rule(
        "PC826",
        "error",
        "Pod breaks its namespace's Pod Security level",
        "A namespace labelled pod-security.kubernetes.io/enforce (baseline or restricted) refuses pods "
        "that break that Pod Security Standard: privileged containers, host namespaces, hostPath volumes "
        "and added capabilities for baseline; also privilege escalation, running as root, no seccomp "
        "profile and capabilities not dropped for restricted.",
        "Tighten the pod's security settings (the component's `security:` or the chart's values), or "
        "lower the namespace's level.",
    ),
    verify_rule(
        "PC827",
        "error",
        "Pod rejected by Kyverno at admission",
        "Every pod template of the environment (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, "
        "bare Pods and the pods operators make, such as a RayCluster's head and workers; upstream charts "
        "included) is evaluated against the ClusterPolicies the environment installs and the "
        "PolicyExceptions Kyverno reads, as the API server hands it over: after istiod's sidecar injection "
        "in injected namespaces, with the names its controller gives it. A rule in Enforce mode that fails "
        "rejects the object; the workload never runs. Helm hooks Argo CD never applies (tests, delete "
        "hooks) are not judged.",
        "Make the pod comply through the component's `security:` or the chart's values; where it "
        "legitimately cannot, give the component an exception for that policy and rule with a reason. When "
        "the message names an exception that does not match, fix that exception.",
        "graphql-gateway:\n  security: {capabilities: [NET_RAW]}\n  exceptions:\n"
        "    - {policy: disallow-capabilities-strict, reason: ICMP health probes}",
        "graphql-gateway:\n  security: {capabilities: [NET_RAW]}\n  exceptions:\n"
        "    - {policy: disallow-capabilities-strict, reason: ICMP health probes}\n"
        "    - {policy: disallow-capabilities, reason: ICMP health probes}",
    ),
    verify_rule(
        "PC828",
        "error",
        "PolicyException names a policy or rule nothing installs",
        "Every PolicyException of the environment must name a policy the environment installs (the "
        "kyverno-policies chart as rendered, the platform's own clusterPolicies) and rules that policy has, "
        "counting the autogen rules Kyverno adds for pod controllers. An exception naming anything else "
        "exempts nothing, and the workload it was written for is still refused.",
        "Name an installed policy and its rules, or declare the policy under "
        "`spec.policy.kyverno.clusterPolicies`.",
        "exceptions:\n  - {policy: require-ro-rootfs, reason: …}\n# nothing installs require-ro-rootfs",
        "policy:\n  kyverno:\n    clusterPolicies:\n      require-ro-rootfs: {spec: {rules: [...]}}",
    ),
    verify_rule(
        "PC829",
        "warning",
        "Kyverno rule not evaluated",
        "The admission evaluator met a construct it does not evaluate (CEL, an API call in a context, a "
        "variable it cannot resolve). The pods the rule selects may or may not be admitted: that is "
        "unknown, never taken as passing.",
        "Check those pods against the rule by hand, or simplify the policy.",
    ),
    verify_rule(
        "PC830",
        "error",
        "Listed policy or rule is not installed",
        "`spec.policy.kyverno.policies` lists the policies and rules exceptions may name. Each must be one "
        "the environment installs: a policy listed there that no chart renders and platform.yaml does not "
        "declare enforces nothing, and exceptions naming it exempt nothing.",
        "Remove the entry, correct the rule names, or declare the policy under "
        "`spec.policy.kyverno.clusterPolicies`.",
        "policies:\n  require-ro-rootfs: [validate-readOnlyRootFilesystem]\n# no chart installs it",
        "clusterPolicies:\n  require-ro-rootfs: {spec: {rules: [...]}}",
    ),
    verify_rule(
        "PC831",
        "error",
        "Chart's PodDisruptionBudget never allows an eviction",
        "An upstream chart renders a PodDisruptionBudget from its values (`server.ha.disruptionBudget`, "
        "`podDisruptionBudget`): with `maxUnavailable: 0` (or `0%`), `minAvailable: 100%`, or a "
        "`minAvailable` not below the replicas of the workloads it selects, no voluntary eviction is ever "
        "allowed, and a node drain (every cluster upgrade) hangs on its pods. platformc's own budgets "
        "(`pdb:`) are checked before render (PC601).",
        "Give the chart a budget below its replica count (`maxUnavailable: 1`), or turn the chart's "
        "budget off.",
        "vault:\n  values:\n    server:\n      ha:\n        replicas: 3\n"
        "        disruptionBudget: {enabled: true, maxUnavailable: 0}",
        "vault:\n  values:\n    server:\n      ha:\n        replicas: 3\n"
        "        disruptionBudget: {enabled: true, maxUnavailable: 1}",
    ),
    verify_rule(
        "PC832",
        "error",
        "Job in the mesh that never completes",
        "A Job completes when all its containers exit. In a namespace with `mesh: true`, istiod adds its "
        "sidecar to the Jobs an upstream chart renders (cert-manager's startupapicheck, Velero's CRD "
        "upgrade), and the sidecar keeps running: the Job never completes, a hook blocks the sync and a "
        'CronJob piles up runs. platformc\'s own Jobs carry `sidecar.istio.io/inject: "false"`; istiod '
        "with native sidecars (ENABLE_NATIVE_SIDECARS) is not affected.",
        'Give the chart\'s Job pods the label `sidecar.istio.io/inject: "false"` through its values, or '
        "keep the namespace out of the mesh.",
        "namespaces:\n  cert-manager: {mesh: true}   # startupapicheck never completes",
        "namespaces:\n  cert-manager: {}",
    ),
)
