"""Combinations whose outcome Kyverno's own policy tests fix (kyverno/policies,
pod-security/restricted/*/.chainsaw-test: pods a cluster enforcing the policy admits or
rejects), re-encoded compactly: container / init container / pod-level settings."""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission import ClusterPolicy, Outcome, evaluate

Setting = Any  # True / False / None (unset)


def pod(
    field: str, pod_level: Setting, containers: list[Setting], init: list[Setting] | None = None
) -> dict[str, Any]:
    def container(name: str, value: Setting) -> dict[str, Any]:
        return {
            "name": name,
            "image": "busybox:1.35",
            **({} if value is None else {"securityContext": {field: value}}),
        }

    spec: dict[str, Any] = {"containers": [container(f"c{i}", v) for i, v in enumerate(containers)]}
    if init is not None:
        spec["initContainers"] = [container(f"i{i}", v) for i, v in enumerate(init)]
    if pod_level is not None:
        spec["securityContext"] = {field: pod_level}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "n"}, "spec": spec}


# (pod level, containers, init containers) -> admitted?
RUN_AS_NON_ROOT = [
    (True, [None], None, True),
    (None, [True], None, True),
    (True, [True], None, True),
    (True, [None, None], None, True),
    (True, [None, True], None, True),
    (True, [None], [None], True),
    (True, [None], [True], True),
    (None, [True], [True], True),
    (True, [None], [True, None], True),
    (None, [True], [True, True], True),
    (None, [None], None, False),
    (None, [False], None, False),
    (False, [None], None, False),
    (True, [False], None, False),
    (None, [None, None], None, False),
    (None, [None, False], None, False),
    (False, [None, None], None, False),
    (True, [None, False], None, False),
    (True, [True, False], None, False),
    (None, [True], [False], False),
    (False, [True], [None], False),
    (True, [True], [False], False),
    (None, [True], [None, None], False),
    (None, [True], [None, False], False),
    (False, [None], [None, None], False),
]


@pytest.mark.parametrize("set_name", ["published-restricted", "chart-restricted"])
@pytest.mark.parametrize(("pod_level", "containers", "init", "admitted"), RUN_AS_NON_ROOT)
def test_require_run_as_nonroot(
    policy_sets: dict[str, dict[str, ClusterPolicy]],
    set_name: str,
    pod_level: Setting,
    containers: list[Setting],
    init: list[Setting] | None,
    admitted: bool,
) -> None:
    policy = policy_sets[set_name]["require-run-as-nonroot"]
    [verdict] = evaluate([policy], [], pod("runAsNonRoot", pod_level, containers, init))
    assert verdict.outcome is (Outcome.PASS if admitted else Outcome.FAIL)


def caps(drop: list[str] | None = None, add: list[str] | None = None) -> dict[str, Any] | None:
    found = {k: v for k, v in (("drop", drop), ("add", add)) if v is not None}
    return found or None


# (containers' capabilities, init containers' capabilities, rule) -> admitted?
CAPABILITIES = [
    ([caps(["ALL"])], None, "require-drop-all", True),
    ([caps(["NET_RAW", "ALL"])], None, "require-drop-all", True),
    ([caps(["ALL"]), caps(["ALL"])], [caps(["ALL"])], "require-drop-all", True),
    ([None], None, "require-drop-all", False),
    ([caps(["NET_RAW"])], None, "require-drop-all", False),
    ([caps(["NET_RAW"]), caps(["ALL"])], None, "require-drop-all", False),
    ([caps(["ALL"])], [None], "require-drop-all", False),
    ([caps(["ALL"])], [caps(["ALL"]), caps(["NET_RAW"])], "require-drop-all", False),
    ([caps(["ALL"], ["NET_BIND_SERVICE"])], None, "adding-capabilities-strict", True),
    ([caps(["ALL"])], [caps(["ALL"], ["NET_BIND_SERVICE"])], "adding-capabilities-strict", True),
    ([caps(["ALL"], ["CHOWN"])], None, "adding-capabilities-strict", False),
    ([caps(["ALL"], ["CHOWN", "NET_BIND_SERVICE"])], None, "adding-capabilities-strict", False),
    (
        [caps(["ALL"], ["NET_BIND_SERVICE"]), caps(["ALL"], ["CHOWN"])],
        None,
        "adding-capabilities-strict",
        False,
    ),
    (
        [caps(["ALL"])],
        [caps(["ALL"], ["NET_BIND_SERVICE"]), caps(["ALL"], ["CHOWN"])],
        "adding-capabilities-strict",
        False,
    ),
]


@pytest.mark.parametrize(("containers", "init", "rule", "admitted"), CAPABILITIES)
def test_disallow_capabilities_strict(
    policy_sets: dict[str, dict[str, ClusterPolicy]],
    containers: list[Any],
    init: list[Any] | None,
    rule: str,
    admitted: bool,
) -> None:
    policy = policy_sets["published-restricted"]["disallow-capabilities-strict"]
    verdicts = {
        v.rule: v.outcome for v in evaluate([policy], [], pod("capabilities", None, containers, init))
    }
    assert verdicts[rule] is (Outcome.PASS if admitted else Outcome.FAIL)


# annotations -> admitted? (restrict-apparmor-profiles, annotation form)
APPARMOR = [
    (
        {
            "oof.org.io/foo": "bar",
            "container.apparmor.security.beta.kubernetes.io/busybox01": "runtime/default",
        },
        True,
    ),
    (
        {
            "container.apparmor.security.beta.kubernetes.io/busybox01": "localhost/foo",
            "oof.org.io/foo": "bar",
        },
        True,
    ),
    ({}, True),
    ({"oof.org.io/foo": "bar", "container.apparmor.security.beta.kubernetes.io/busybox01": "bar/foo"}, False),
    ({"container.apparmor.security.beta.kubernetes.io/busybox01": "foo/bar", "oof.org.io/foo": "bar"}, False),
    ({"container.apparmor.security.beta.kubernetes.io/container01": "unconfined"}, False),
]


@pytest.mark.parametrize(("annotations", "admitted"), APPARMOR)
def test_restrict_apparmor_profiles(
    policy_sets: dict[str, dict[str, ClusterPolicy]], annotations: dict[str, str], admitted: bool
) -> None:
    policy = policy_sets["published-baseline"]["restrict-apparmor-profiles"]
    resource = pod("privileged", None, [None])
    if annotations:
        resource["metadata"]["annotations"] = annotations
    [verdict] = evaluate([policy], [], resource)
    assert verdict.outcome is (Outcome.PASS if admitted else Outcome.FAIL)


def seccomp(kind: str | None) -> dict[str, str] | None:
    return None if kind is None else {"type": kind}


# (pod level, containers, init containers) -> admitted? (restrict-seccomp-strict)
SECCOMP_STRICT = [
    ("RuntimeDefault", [None], None, True),
    ("Localhost", [None, "RuntimeDefault"], None, True),
    (None, ["RuntimeDefault"], ["Localhost"], True),
    (None, [None], None, False),
    ("Unconfined", [None], None, False),
    ("RuntimeDefault", ["Unconfined"], None, False),
    (None, ["RuntimeDefault", None], None, False),
    (None, ["RuntimeDefault"], [None], False),
    ("RuntimeDefault", [None], ["Unconfined"], False),
]


@pytest.mark.parametrize(("pod_level", "containers", "init", "admitted"), SECCOMP_STRICT)
def test_restrict_seccomp_strict(
    policy_sets: dict[str, dict[str, ClusterPolicy]],
    pod_level: str | None,
    containers: list[str | None],
    init: list[str | None] | None,
    admitted: bool,
) -> None:
    policy = policy_sets["published-restricted"]["restrict-seccomp-strict"]
    resource = pod(
        "seccompProfile",
        seccomp(pod_level),
        [seccomp(c) for c in containers],
        None if init is None else [seccomp(i) for i in init],
    )
    [verdict] = evaluate([policy], [], resource)
    assert verdict.outcome is (Outcome.PASS if admitted else Outcome.FAIL)
