"""Policy rules (PC501–PC599): Kyverno admission and PolicyExceptions."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC501",
    "policy",
    ERROR,
    "Workload breaks an enforced policy without an exception",
    why="""platformc renders workloads secure by default; `security:` can loosen that
    (`readOnlyRootFilesystem: false`, added `capabilities`, `runAsUser: 0`). Where the cluster
    enforces the matching policy (require-ro-rootfs, disallow-capabilities-strict rule
    adding-capabilities-strict, require-run-as-nonroot) and the component has no exception for
    exactly that policy and rule, Kyverno refuses its pods: the Deployment exists, no pod ever
    does.""",
    fix="Add an exception for the policy (and its rule) with a reason, or drop the setting.",
    bad="""
    security: {readOnlyRootFilesystem: false}
    """,
    good="""
    security: {readOnlyRootFilesystem: false}
    exceptions:
      - policy: require-ro-rootfs
        reason: Trino spills to its var directory on the root filesystem.
    """,
)
define(
    "PC502",
    "policy",
    ERROR,
    "Exception names a policy the cluster does not enforce",
    why="""Exceptions may only name the policies in `spec.policy.kyverno.policies`. A misspelt
    policy (`require-ro-rootfs` vs `require-rootfs-ro`) matches nothing: the exception is
    rendered, and the workload it was meant for is still refused.""",
    fix="Name an enforced policy (the message suggests the closest).",
    bad="""
    exceptions: [{policy: require-readonly-rootfs, reason: …}]
    """,
    good="""
    exceptions: [{policy: require-ro-rootfs, reason: …}]
    """,
)
define(
    "PC503",
    "policy",
    ERROR,
    "Exception names a rule the policy does not have",
    why="""An exception's `rules` must be rules of its policy as listed in
    `spec.policy.kyverno.policies`. A wrong rule name exempts nothing. Kyverno checks Pod
    controllers through rules it generates (`autogen-<rule>`, `autogen-cronjob-<rule>`);
    platformc adds those names itself, so write the base rule only.""",
    fix="Use the rule names listed for the policy; leave out `rules` to cover all of them.",
    bad="""
    - policy: disallow-capabilities-strict
      rules: [autogen-adding-capabilities-strict]
    """,
    good="""
    - policy: disallow-capabilities-strict
      rules: [adding-capabilities-strict]
    """,
)
define(
    "PC504",
    "policy",
    ERROR,
    "Exception without a reason",
    why="""Every exception weakens the cluster's security policy for one component. A blank
    reason leaves the next reviewer unable to tell whether it is still needed.""",
    fix="Say in `reason` why the component needs the exception.",
    bad="""
    - {policy: require-ro-rootfs, reason: " "}
    """,
    good="""
    - {policy: require-ro-rootfs, reason: Elasticsearch writes its keystore under its home.}
    """,
)
define(
    "PC505",
    "policy",
    ERROR,
    "Exception past its expiry date",
    why="""`expires` records when an exception should have been made unnecessary. Past that date
    the exception fails `check`: either the component was fixed and the exception should go, or
    the date must be renewed deliberately. (Today's date can be fixed with PLATFORMC_TODAY.)""",
    fix="Make the component comply and remove the exception, or set a new date with a current reason.",
    bad="""
    - {policy: disallow-capabilities-strict, reason: …, expires: "2024-01-31"}
    """,
    good="""
    - {policy: disallow-capabilities-strict, reason: …, expires: "2027-06-30"}
    """,
)
define(
    "PC506",
    "policy",
    WARNING,
    "Exception nothing needs",
    why="""An exception for a policy the workload does not break (a require-ro-rootfs exception
    while `readOnlyRootFilesystem` is not false; privilege escalation and seccomp, which
    platformc always sets compliantly) exempts nothing today, and silently allows a later
    change to break the policy. Chart components are not judged: platformc cannot see their
    pods.""",
    fix="Remove the exception.",
    bad="""
    security: {runAsUser: 1000}
    exceptions: [{policy: require-ro-rootfs, reason: …}]
    """,
    good="""
    security: {runAsUser: 1000}
    """,
)
define(
    "PC507",
    "policy",
    ERROR,
    "Kyverno installed with PolicyExceptions turned off",
    why="""PolicyExceptions only take effect when the Kyverno installation enables them for the
    exception namespace (from Kyverno 1.13 they are off by default). platformc sets
    `features.policyExceptions` in the values of the Kyverno chart it installs, unless the values
    set them otherwise: turned off, or another namespace, every exception is ignored and the
    workloads that need one are refused.""",
    fix="Remove the explicit `features.policyExceptions` settings, or make the namespace "
    "match `spec.policy.kyverno.exceptionNamespace`.",
    bad="""
    values:
      features: {policyExceptions: {enabled: false}}
    """,
    good="""
    values: {}   # platformc enables policyExceptions for the exception namespace
    """,
)
define(
    "PC508",
    "policy",
    ERROR,
    "Kyverno version without PolicyExceptions",
    why="""The PolicyException apiVersion follows the Kyverno version (`kyverno.io/v2beta1` for
    1.11–1.12, `kyverno.io/v2` from 1.13). Before 1.11 neither exists, so the exceptions
    cannot be applied and the workloads that need them are refused.""",
    fix="Upgrade Kyverno to 1.11 or later (and set `spec.policy.kyverno.version`).",
    bad="""
    kyverno: {version: "1.10", …}
    """,
    good="""
    kyverno: {version: "1.12", …}
    """,
)
