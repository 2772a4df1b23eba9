"""Documentation of the rules about Argo CD as a whole (PC840, PC841) and about removing data (PC710).

PC840 and PC841 are reported by verify (generator/verify/argocd_setup.py), PC710 by
render and check, where the committed tree is compared (generator/write/removals.py).
"""

from __future__ import annotations

from generator.rules.stage_rules import verify_rule

ARGOCD_RULES = (
    verify_rule(
        "PC840",
        "error",
        "Sync waves without Argo CD's Application health check",
        "An app-of-apps only waits for the Applications of one sync wave to be healthy before the next "
        "when Argo CD has a health check for argoproj.io/Application; Argo CD has shipped none since 1.8. "
        "Without it every wave syncs at once, and an application starts before the CRDs, operators and "
        "databases it depends on. The check must be in the values Argo CD is first installed with "
        "(rendered/<env>/bootstrap/argocd-values.yaml) and in those of the platform's own argo-cd chart, "
        "or Argo CD removes it when it syncs itself.",
        "Run `platformc render`: it adds the check to both. Do not override "
        "`configs.cm.resource.customizations.health.argoproj.io_Application` with an empty value.",
        "argocd:\n  components:\n    argo-cd:\n      values:\n        configs:\n          cm:\n"
        '            resource.customizations.health.argoproj.io_Application: ""',
        "argocd:\n  components:\n    argo-cd:\n      chart: {name: argo-cd, version: 7.6.8}",
    ),
    verify_rule(
        "PC841",
        "error",
        "Two environments give an Argo CD object the same name",
        "Environments managed by one central Argo CD (`gitops.argocd.runs: central`) share its namespace: "
        "an Application or AppProject name two of them render is one object, and each environment's sync "
        "overwrites the other's. With `runs: central` every name carries the environment; the check proves "
        "it over every rendered environment.",
        "Set `gitops.argocd.runs: central` in platform.yaml (not in one overlay only), then render again.",
        "# overlays/dev.yaml\nspec:\n  gitops:\n    argocd: {runs: central}\n"
        "# overlays/prod.yaml: in-cluster, same names as a central dev",
        "spec:\n  gitops:\n    argocd: {namespace: argocd, project: platform, runs: central}",
    ),
    verify_rule(
        "PC710",
        "warning",
        "Removing a namespace or a stateful component",
        "The committed rendered/ tree still has a namespace, or a component with volumes (a StatefulSet, a "
        "PersistentVolumeClaim), that platform.yaml no longer renders. Rendering and syncing removes it: "
        "the workloads go. Argo CD neither prunes nor deletes Namespaces and PersistentVolumeClaims "
        "(they carry Prune=false,Delete=false), but a StatefulSet's claims and the volumes behind them "
        "are then orphaned, and a Namespace removed by hand takes everything in it. A warning, not an "
        "error: removing something is sometimes the intent, and render must be able to write it.",
        "If the removal is intended, back the data up (or move it), render and commit. If not, restore the "
        "component or namespace in platform.yaml (or `enabled: true`).",
        "# rendered/prod/apps/data/charts/postgres/values.yaml has kind: StatefulSet\n"
        "applications:\n  data:\n    components: {}  # postgres removed",
        "applications:\n  data:\n    components:\n"
        "      postgres: {image: docker.io/postgres:16, type: statefulset}",
        stage="render",
    ),
)
