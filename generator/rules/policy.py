"""Policy: workloads Kyverno would refuse, and exceptions that are wrong, stale or unneeded.

platformc renders every workload secure by default (non-root, read-only root,
all capabilities dropped, no privilege escalation, RuntimeDefault seccomp); a
component only breaks a policy through `security:`. Those settings are the
only ones checked here, and only against policies the cluster enforces.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.parts import PolicyException
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import caused_by

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# What a workload's `security:` can break, and the rule of the policy that refuses it.
_RO_ROOT = ("require-ro-rootfs", "validate-readOnlyRootFilesystem")
_CAPABILITIES = ("disallow-capabilities-strict", "adding-capabilities-strict")
_NON_ROOT = ("require-run-as-nonroot", "run-as-non-root")
# The baseline policy refuses capabilities beyond these (the Pod Security Standards' baseline list).
_BASELINE_CAPABILITIES = ("disallow-capabilities", "adding-capabilities")
BASELINE_ALLOWED = frozenset(
    {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE"}
    | {"SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
)
# Policies a platformc workload can never break (the renderer always complies).
_ALWAYS_MET = frozenset({"disallow-privilege-escalation", "restrict-seccomp-strict"})
_KNOWN = frozenset({_RO_ROOT[0], _CAPABILITIES[0], _NON_ROOT[0], _BASELINE_CAPABILITIES[0], *_ALWAYS_MET})


@dataclass(frozen=True)
class Violation:
    policy: str
    rules: tuple[str, ...]  # rules an exception must name (any of them is not enough: all)
    setting: str
    path: YamlPath


def violations(platform: Platform, component: Component) -> list[Violation]:
    enforced = platform.enforced_policies
    security = component.security
    found: list[Violation] = []
    checks = (
        (
            _RO_ROOT,
            security.read_only_root_filesystem is False,
            "readOnlyRootFilesystem: false",
            "readOnlyRootFilesystem",
        ),
        (
            _CAPABILITIES,
            bool(security.capabilities),
            f"capabilities [{', '.join(security.capabilities)}]",
            "capabilities",
        ),
        (
            _BASELINE_CAPABILITIES,
            bool(set(security.capabilities) - BASELINE_ALLOWED),
            f"capabilities [{', '.join(sorted(set(security.capabilities) - BASELINE_ALLOWED))}]",
            "capabilities",
        ),
        (_NON_ROOT, security.runs_as_root, "runAsUser: 0 (root)", "runAsUser"),
    )
    for (policy, rule), broken, setting, key in checks:
        if broken and policy in enforced:
            rules = list(enforced[policy])
            needed = (rule,) if rule in rules or not rules else tuple(rules)
            found.append(Violation(policy, needed, setting, (*security.path, key)))
    return found


def _misspelt(written: str, meant: Iterable[str]) -> bool:
    base = written.removeprefix("autogen-cronjob-").removeprefix("autogen-")
    return base in meant or bool(difflib.get_close_matches(written, list(meant), n=1, cutoff=0.6))


def _covered(platform: Platform, component: Component, violation: Violation) -> bool:
    """Granted, or meant to be by an exception whose misspelt policy or rule PC502/PC503 reports."""
    enforced = platform.enforced_policies
    for exception in component.exceptions:
        policy, rules = exception.policy, exception.rules
        if policy not in enforced and _misspelt(policy, [violation.policy]):
            return True
        if policy != violation.policy:
            continue
        if not rules or set(violation.rules) <= set(rules):
            return True
        known = enforced[policy]
        if any(r not in known and _misspelt(r, violation.rules) for r in rules):
            return True
    return False


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


@check("PC501")
def unexcepted_violations(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        for violation in violations(platform, component):
            if _covered(platform, component, violation):
                continue
            granted = [e for e in component.exceptions if e.policy == violation.policy]
            rules = ", ".join(violation.rules)
            if granted:
                listed = ", ".join(r for e in granted for r in e.rules)
                detail = f"its exception for {violation.policy} names only {listed}; add {rules} to its rules"
            else:
                detail = (
                    f"add an exception {{policy: {violation.policy}, rules: [{rules}], reason: …}} "
                    f"or remove the setting"
                )
            yield Hit(
                "PC501",
                f"{component.name}: {violation.setting} breaks the enforced Kyverno policy "
                f"{violation.policy} (rule {rules}), so admission refuses its pods; {detail}",
                violation.path,
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


@check("PC502", "PC503", "PC504", "PC505", "PC506")
def exception_entries(platform: Platform) -> Iterator[Hit]:
    enforced = platform.enforced_policies
    for component in platform.components():
        needed = {v.policy for v in violations(platform, component)} if component.kind == "workload" else None
        for exception in component.exceptions:
            policy = exception.policy
            if policy not in enforced:
                yield Hit(
                    "PC502",
                    f'{component.name}: the exception names policy "{policy}", which the cluster does not '
                    f"enforce{did_you_mean(policy, enforced)}; exceptions may only name "
                    f"spec.policy.kyverno.policies",
                    **caused_by(platform, (*exception.path, "policy"), _listed(policy)),
                )
                continue
            yield from _rules(platform, component, list(enforced[policy]), exception)
            yield from _entry(platform, component, exception, needed)


def _entry(
    platform: Platform, component: Component, exception: PolicyException, needed: set[str] | None
) -> Iterator[Hit]:
    """PC504, PC505 and PC506 for one exception whose policy the cluster enforces."""
    policy, path = exception.policy, exception.path
    if not exception.reason.strip():
        yield Hit(
            "PC504",
            f"{component.name}: the exception for {policy} gives no reason; say why the "
            f"component needs it, for whoever reviews it next",
            path,
        )
    if exception.expires is not None:
        yield from _expiry(component, policy, exception.expires, (*path, "expires"), platform.today)
    if needed is not None and policy in _KNOWN and policy not in needed:
        yield Hit(
            "PC506",
            f"{component.name}: the exception for {policy} is not needed: nothing in its "
            f"`security:` breaks that policy; remove it, so the exception cannot hide a later change",
            (*path, "policy"),
        )


def _listed(policy: str) -> YamlPath:
    """Where spec.policy.kyverno.policies lists `policy` and its rules."""
    return ("spec", "policy", "kyverno", "policies", policy)


def _rules(
    platform: Platform, component: Component, known: list[str], exception: PolicyException
) -> Iterator[Hit]:
    policy = exception.policy
    for index, rule in enumerate(exception.rules):
        if rule in known:
            continue
        base = rule.removeprefix("autogen-cronjob-").removeprefix("autogen-")
        if base != rule and base in known:
            hint = f"; platformc adds the autogen-… names itself: write {base}"
        else:
            hint = did_you_mean(rule, known) + f" (rules of {policy}: {', '.join(known) or 'none'})"
        yield Hit(
            "PC503",
            f'{component.name}: the exception names rule "{rule}", which {policy} does not have{hint}',
            **caused_by(platform, (*exception.path, "rules", index), _listed(policy)),
        )


def _expiry(
    component: Component, policy: str, expires: str, path: YamlPath, now: datetime.date
) -> Iterator[Hit]:
    try:
        date = datetime.date.fromisoformat(expires)
    except ValueError:
        return  # the schema reports malformed dates
    if date < now:
        yield Hit(
            "PC505",
            f"{component.name}: the exception for {policy} expired on {expires} "
            f"({(now - date).days} days ago); fix the component so it complies, or renew the exception "
            f"with a new date and reason",
            path,
        )
