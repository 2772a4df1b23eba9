"""The rules other stages report, in the one registry: inputs (PC001–PC003, PC018–PC022), component
templates (PC030–PC031), schema (PC004–PC010) and verify (PC801–PC809).

Those stages raise the findings where they find them (generator.load,
generator.validate, generator.verify, generator.upstream); their ID, severity,
summary and documentation are registered here, with the stage that reports
them, so `platformc rules`, SARIF and docs/rules.md know every rule.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.findings import Severity
from generator.rules.registry import Rule, define_stage_rule
from generator.validate.schema import SCHEMA_RULES


def _stage_rule(family: str, default_stage: str) -> Callable[..., Rule]:
    def register(
        rule_id: str,
        severity: str,
        title: str,
        why: str,
        fix: str,
        bad: str = "",
        good: str = "",
        stage: str = "",
    ) -> Rule:
        return define_stage_rule(
            rule_id,
            family,
            Severity(severity),
            title,
            stage=stage or default_stage,
            why=why,
            fix=fix,
            bad=bad,
            good=good,
        )

    return register


load_rule = _stage_rule("structure", "load")
verify_rule = _stage_rule("verify", "verify")


LOAD_RULES = (
    load_rule(
        "PC001",
        "error",
        "File cannot be read as YAML",
        "A YAML syntax error (tabs for indentation, a mapping value where none is allowed, an unclosed "
        "quote), a file that cannot be read, that is not UTF-8 text or contains NUL bytes, or a YAML tag "
        "(`!!python/object`, `!custom`) that would construct objects. Nothing can be checked in a file "
        "that cannot be read, so nothing else is reported for it.",
        "Fix the line and column the message gives; indent with spaces; save the file as UTF-8; remove tags.",
        "spec:\n\tdomain: 254carbon.com",
        "spec:\n  domain: 254carbon.com",
    ),
    load_rule(
        "PC002",
        "error",
        "Duplicate key",
        "A key appears twice in one mapping. YAML readers disagree on which value wins (most keep the "
        "last one silently), so half of what was written would be ignored.",
        "Keep one of the two entries (the message gives both lines), or merge them.",
        "redis:\n  image: docker.io/bitnami/redis:7.2.5\n  image: docker.io/bitnami/redis:7.4.0",
        "redis:\n  image: docker.io/bitnami/redis:7.4.0",
    ),
    load_rule(
        "PC003",
        "error",
        "File too large, too deep or expands too far",
        "platformc refuses files over 8 MiB, nesting deeper than 64 levels, or aliases that expand past "
        "500,000 values (a 'billion laughs' document). A platform file never needs any of these; a "
        "hostile or generated one could exhaust memory.",
        "Split the file, flatten the nesting, or write the repeated content out instead of chaining aliases.",
    ),
    load_rule(
        "PC018",
        "error",
        "Overlay file name is not an environment name",
        "Every `overlays/<env>.yaml` defines environment `<env>`, and the name becomes the directory "
        "rendered/<env>/, the root ArgoCD Application `<platform>-<env>` and a dashboard tag, so it must "
        "be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a "
        "letter or digit. Hidden files (`.prod.yaml`, `..yaml`) and leftover copies (`prod copy.yaml`) "
        "are reported rather than skipped, so a file meant as an environment is never silently left out; "
        "so is an overlay spelled `.yml` (or `.YAML`), which is never read. "
        "`validate`, `check` and `render` report it at the file's first line; `--env` with "
        "such a name reports it too.",
        "Rename the file (the message suggests a name), or delete it if it is a leftover.",
        "# overlays/Prod copy.yaml\nspec:\n  gitops: {targetRevision: release}",
        "# overlays/prod.yaml\nspec:\n  gitops: {targetRevision: release}",
        stage="validate",
    ),
    load_rule(
        "PC019",
        "error",
        "Number that is not a number",
        "YAML reads `.nan`, `.inf` and `-.inf` as numbers, and the schema's bounds let them through "
        "(NaN compares false with everything). A quantity of `.inf` or `.nan` cannot be summed against "
        "a node or a quota and would be rendered as it is, which Kubernetes refuses. Any such number "
        "in the merged platform is reported, and no rule runs on the environment until it is fixed.",
        "Write a finite number (`2`, `500m`, `4Gi`).",
        "resources: {requests: {cpu: .inf}}",
        "resources: {requests: {cpu: 2}}",
        stage="validate",
    ),
    load_rule(
        "PC020",
        "error",
        "User or group ID out of range",
        "Kubernetes accepts `runAsUser`, `runAsGroup`, `fsGroup` and `supplementalGroups` from 0 to "
        "2147483647 (its validation of user and group IDs); a larger one (a UID copied from a host "
        "with 64-bit IDs, a typo with an extra digit) makes the API server refuse the pod. Checked "
        "wherever the key appears: `security` and chart values alike.",
        "Use an ID from 0 to 2147483647, the one the image's user has (`id -u` in the image).",
        "security: {runAsUser: 21474836470}",
        "security: {runAsUser: 1001}",
        stage="validate",
    ),
    load_rule(
        "PC021",
        "error",
        "Overlay changes the platform's identity",
        "An overlay may change how the platform runs in its environment, not what it is: "
        "`apiVersion`, `kind`, `metadata.name` (which names the root Application and the rendered "
        "objects) and a chart component's `chart.name` (what the component installs; its repository "
        "and version may differ per environment) must be the same everywhere. Application, component "
        "and secret item names are mapping keys: an overlay can add or remove them, not rename them. "
        "A secret item's `path` and `namespace` may differ per environment (PC403 checks the namespace "
        "against its consumers). Setting the same value as platform.yaml is not reported.",
        "Remove the key from the overlay; change it in platform.yaml if every environment should change.",
        "# overlays/prod.yaml\nmetadata: {name: platform-prod}",
        "# overlays/prod.yaml\nspec:\n  gitops: {targetRevision: release}",
        stage="validate",
    ),
    load_rule(
        "PC022",
        "error",
        "Overlay removes a key that does not exist",
        "`key: null` in an overlay removes that key from platform.yaml for the environment. When "
        "platform.yaml has no such key (a misspelt name, a component renamed since), nothing is "
        "removed and the environment silently keeps what the overlay meant to drop. The message "
        "suggests the closest key that is there.",
        "Fix the key's spelling (or remove the line if there is nothing left to remove).",
        "# overlays/dev.yaml\nspec:\n  applications:\n    data-platform:\n      components:\n"
        "        zookeper: null",
        "# overlays/dev.yaml\nspec:\n  applications:\n    data-platform:\n      components:\n"
        "        zookeeper: null",
        stage="validate",
    ),
    load_rule(
        "PC030",
        "error",
        "Component extends an unknown template",
        "`extends` names the component templates (`spec.templates`) a component starts from. A name "
        "that no template has (a typo, a template renamed since) would leave the component without the "
        "defaults it was written against, so nothing else is checked until it is fixed. The message "
        "suggests the closest declared template. An `extends` that is not a name or a list of names "
        "is reported too.",
        "Fix the name (the message suggests one), or declare the template under spec.templates.",
        "spec:\n  templates:\n    web: {probes: {readiness: {http: /, port: http}}}\n"
        "  applications:\n    shop:\n      components:\n        api: {extends: wbe, image: acme/api:1}",
        "spec:\n  templates:\n    web: {probes: {readiness: {http: /, port: http}}}\n"
        "  applications:\n    shop:\n      components:\n        api: {extends: web, image: acme/api:1}",
        stage="validate",
    ),
    load_rule(
        "PC031",
        "error",
        "Templates extend each other in a cycle",
        "A template may extend other templates; when the chain comes back to a template already in it, "
        "no order of merging exists. The message names the loop.",
        "Remove one `extends` of the loop; put what both need in a third template they both extend.",
        "spec:\n  templates:\n    web: {extends: base}\n    base: {extends: web}",
        "spec:\n  templates:\n    web: {extends: base}\n    base: {replicas: 2}",
        stage="validate",
    ),
)

VERIFY_RULES = (
    verify_rule(
        "PC801",
        "error",
        "Rendered object fails its schema",
        "`check` and `verify` render every umbrella chart with Helm as ArgoCD would and validate each object "
        "against the Kubernetes (or CRD) schema of spec.kubernetesVersion. An object that fails would be "
        "refused by the API server during sync.",
        "Fix the platform.yaml value behind the field the message names (chart values are passed through "
        "as written).",
    ),
    verify_rule(
        "PC802",
        "warning",
        "Object kind without a schema; not verified",
        "An object whose kind has no schema available for the target version (a CRD platformc does not "
        "ship a schema for) is rendered but not validated.",
        "Nothing to fix in platform.yaml; review such objects by hand, or add the CRD's schema to verify.",
    ),
    verify_rule(
        "PC803",
        "error",
        "Could not validate",
        "The schema validator could not run on the rendered tree (tool missing, crashed or gave unreadable "
        "output), so nothing was verified.",
        "Install the verify extras (`pip install platformc[verify]`) and rerun; report it if it persists.",
    ),
    verify_rule(
        "PC804",
        "error",
        "Helm cannot lint or render a chart",
        "`helm lint` or `helm template` fails on a rendered umbrella chart (errors) or warns about it "
        "(warnings): ArgoCD would fail the same way when it syncs. When an upstream chart refuses the "
        "values it is given, the error stands at that component's `chart:` line in platform.yaml.",
        "Read Helm's message: it usually names a value of an upstream chart in platform.yaml.",
    ),
    verify_rule(
        "PC805",
        "warning",
        "Upstream chart not vendored; not verified",
        "An upstream chart dependency was not available locally (not vendored, no network), so the chart "
        "was rendered without it and its objects were not verified.",
        "Run `platformc vendor` to pull every pinned upstream chart into vendor/charts/ (render then puts "
        "the archives into the umbrella charts), and rerun verify.",
    ),
    verify_rule(
        "PC806",
        "error",
        "ArgoCD Application source broken",
        "An Application in the rendered tree points at something ArgoCD could not sync: a rendered file "
        "or source path that does not exist, a value file missing from its chart, a path outside "
        "spec.gitops.path, or an AppProject that is not rendered. Usually rendered/ is incomplete or was "
        "edited by hand.",
        "Run `platformc render` (and commit the result); never edit rendered/ by hand.",
    ),
    verify_rule(
        "PC807",
        "error",
        "Rendered object in an undeclared namespace",
        "An Application's destination, or an object in the rendered tree, lands in a namespace "
        "spec.namespaces does not declare. ArgoCD syncs with CreateNamespace=false, so it would fail.",
        "Declare the namespace under spec.namespaces (or fix the value that names it), then render again.",
    ),
    verify_rule(
        "PC809",
        "error",
        "Upstream chart cannot be vendored",
        "`platformc vendor` could not fetch a pinned upstream chart: the repository is unreachable, the "
        "version is not in its index, the archive's digest does not match the index, the archive holds "
        "another chart, the version is not exact, or one chart version is pinned from two repositories. "
        "Nothing is ever vendored silently wrong.",
        "Fix `chart.repository`/`chart.version` where the message points, or make the repository "
        "reachable, and run `platformc vendor` again.",
    ),
)

SCHEMA_RULE_IDS = tuple(
    define_stage_rule(rule_id, "structure", Severity.ERROR, title, stage="schema", why=why).id
    for rule_id, (title, why) in SCHEMA_RULES.items()
)
