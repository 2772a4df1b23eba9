"""Structure rules (PC011–PC099): names, ports and schedules the schema cannot judge alone."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC011",
    "structure",
    ERROR,
    "Name too long or invalid once prefixes are added",
    why="""Every name becomes part of other names: a StatefulSet's pods carry a
    `controller-revision-hash` label `<name>-<hash>` (so a StatefulSet name over 52
    characters is refused), a CronJob's Jobs add 11 characters, the headless Service is
    `<name>-headless`, pods are `<name>-<ordinal>`, volume claims `<claim>-<name>-<ordinal>`,
    the PolicyException `<namespace>-<component>`, the ConfigMap `<name>-files`, and an
    application is a Helm release (at most 53 characters). Service names must also start
    with a letter. A name that passes the schema can still produce an object the API server
    refuses, mid-sync.""",
    fix="Shorten or rename the component or application (and every reference to it).",
    bad="""
    data:
      type: statefulset
      image: docker.io/bitnami/postgresql:16.4.0
    # named: analytics-warehouse-postgresql-primary-replica-set-a (53 characters)
    """,
    good="""
    # named: warehouse-postgres
    """,
)
define(
    "PC012",
    "structure",
    ERROR,
    "Reserved name",
    why="""Some names are taken by what platformc generates: an umbrella chart's values hold
    one key per component beside Helm's `global`; every chart
    carries the library chart `platformc-lib`; and ArgoCD Applications named
    `platform-namespaces`, `platform-policies`, `platform-secrets` and `<platform>-<env>`
    exist in every environment, `platform-dashboards` in those with generated dashboards.
    A component or application with one of these names would
    silently merge with, or overwrite, the generated one.""",
    fix="Rename the component or application.",
    bad="""
    components:
      global:
        image: docker.io/library/nginx:1.27.2
    """,
    good="""
    components:
      edge-proxy:
        image: docker.io/library/nginx:1.27.2
    """,
)
define(
    "PC013",
    "structure",
    ERROR,
    "Generated object names collide",
    why="""platformc joins two names into one for some objects: PolicyExceptions and Velero
    Schedules are `<namespace>-<component>` in one shared namespace, a Deployment's volume
    claim is `<component>-<volume>`. Two different pairs can join into the same name
    (`data` + `platform-api` and `data-platform` + `api`), and the second object replaces
    the first: an exception or a backup disappears without a word.""",
    fix="Rename one of the two components (or the volume).",
    bad="""
    # namespace data, component platform-api  -> PolicyException data-platform-api
    # namespace data-platform, component api  -> PolicyException data-platform-api
    """,
    good="""
    # rename one: namespace data, component ingest-api -> data-ingest-api
    """,
)
define(
    "PC014",
    "structure",
    ERROR,
    "Duplicate port number",
    why="""A component's ports become the ports of its container and its Service. Two port
    names with the same number are refused by the API server (`Duplicate value`), and a
    probe or reference could name either one.""",
    fix="Keep one name per port number; point probes and references at it.",
    bad="""
    ports: {http: 8080, web: 8080}
    """,
    good="""
    ports: {http: 8080}
    """,
)
define(
    "PC015",
    "structure",
    ERROR,
    "Cron schedule cron would not accept",
    why="""CronJob and Velero schedules use the five-field cron format (minute hour
    day-of-month month day-of-week). A six-field (Quartz, with seconds) schedule, a value out
    of range (`minute 60`, `month 13`), an unknown month or day name, a backwards range or a
    zero step makes the CronJob or Schedule fail validation, or it never runs.""",
    fix="Write five fields with values in range: minute 0-59, hour 0-23, day of month 1-31, "
    "month 1-12 or JAN-DEC, day of week 0-7 or SUN-SAT; or a macro such as `@daily`.",
    bad="""
    schedule: "0 0 3 * * *"
    """,
    good="""
    schedule: "0 3 * * *"
    """,
)
define(
    "PC016",
    "structure",
    WARNING,
    "Ignore entry names no rule",
    why="""A component's `ignore:` entry names a rule ID that does not exist, usually a typo.
    The finding it was meant to accept is still reported, and the stale entry hides that
    nobody knows what it was for.""",
    fix="Write an existing rule ID (`platformc rules` lists them) or remove the entry.",
    bad="""
    ignore:
      - {rule: PC6O2, reason: single replica on purpose}
    """,
    good="""
    ignore:
      - {rule: PC602, reason: single replica on purpose}
    """,
    suppressible=False,
)
define(
    "PC017",
    "structure",
    WARNING,
    "Finding cannot be suppressed",
    why="""`ignore:` accepts warnings a team knowingly lives with. Errors that break the
    cluster (a workload admission refuses, a budget that blocks every drain, a missing
    component) and load, schema and verify findings cannot be ignored: the finding stays an
    error, and this warning says why the entry has no effect.""",
    fix="Fix the problem the error reports and remove the `ignore:` entry.",
    bad="""
    ignore:
      - {rule: PC501, reason: we need root}
    """,
    good="""
    exceptions:
      - {policy: require-run-as-nonroot, reason: the image's entrypoint needs root}
    """,
    suppressible=False,
)
