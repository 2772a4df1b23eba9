"""Anchors, wildcards in keys and arrays of patterns, on small hand-written patterns.

Expected outcomes: the "Anchors" section of the Validate Rules page
(https://kyverno.io/docs/writing-policies/validate/#anchors), and where the docs speak loosely
("the rule does not apply") the engine's exact answer in pkg/engine/validate/validate.go
(a conditional anchor that never holds makes the rule skip, not pass).
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission import ClusterPolicy, Outcome, evaluate, parse_policy


def policy(pattern: Any = None, any_pattern: Any = None, kinds: tuple[str, ...] = ("Pod",)) -> ClusterPolicy:
    validate: dict[str, Any] = {"message": "check"}
    if pattern is not None:
        validate["pattern"] = pattern
    if any_pattern is not None:
        validate["anyPattern"] = any_pattern
    return parse_policy(
        {
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "p"},
            "spec": {
                "validationFailureAction": "Enforce",
                "rules": [
                    {
                        "name": "r",
                        "match": {"any": [{"resources": {"kinds": list(kinds)}}]},
                        "validate": validate,
                    }
                ],
            },
        }
    )


def pod(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "n", **metadata},
        "spec": spec,
    }


def outcome(p: ClusterPolicy, resource: dict[str, Any]) -> Outcome:
    verdicts = evaluate([p], [], resource)
    assert len(verdicts) == 1
    return verdicts[0].outcome


def containers(*items: dict[str, Any]) -> dict[str, Any]:
    return {"containers": list(items)}


# Conditional: "If image has tag latest then imagePullPolicy cannot be IfNotPresent."
LATEST = policy({"spec": {"containers": [{"(image)": "*:latest", "imagePullPolicy": "!IfNotPresent"}]}})


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (containers({"image": "nginx:latest", "imagePullPolicy": "IfNotPresent"}), Outcome.FAIL),
        (containers({"image": "nginx:latest", "imagePullPolicy": "Always"}), Outcome.PASS),
        (containers({"image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"}), Outcome.SKIP),
        # one element applies: the others are skipped, the rule passes
        (
            containers(
                {"image": "a:1", "imagePullPolicy": "IfNotPresent"},
                {"image": "b:latest", "imagePullPolicy": "Always"},
            ),
            Outcome.PASS,
        ),
    ],
)
def test_conditional_anchor(spec: dict[str, Any], expected: Outcome) -> None:
    assert outcome(LATEST, pod(spec)) is expected


def test_conditional_anchor_on_a_missing_key_skips() -> None:
    assert outcome(LATEST, pod(containers({"imagePullPolicy": "IfNotPresent"}))) is Outcome.SKIP


# Equality: "If hostPath is defined then the path cannot be /var/lib."
HOSTPATH = policy({"spec": {"=(volumes)": [{"=(hostPath)": {"path": "!/var/lib"}}]}})


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"volumes": [{"name": "v", "hostPath": {"path": "/var/lib"}}]}, Outcome.FAIL),
        ({"volumes": [{"name": "v", "hostPath": {"path": "/data"}}]}, Outcome.PASS),
        ({"volumes": [{"name": "v", "emptyDir": {}}]}, Outcome.PASS),
        ({}, Outcome.PASS),
    ],
)
def test_equality_anchor(spec: dict[str, Any], expected: Outcome) -> None:
    assert outcome(HOSTPATH, pod(spec)) is expected


# Negation: "hostPath cannot be defined" - the value is not evaluated.
NO_HOSTPATH = policy({"spec": {"=(volumes)": [{"X(hostPath)": "null"}]}})


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ({"hostPath": {"path": "/"}}, Outcome.FAIL),
        ({"hostPath": {}}, Outcome.FAIL),
        ({"emptyDir": {}}, Outcome.PASS),
    ],
)
def test_negation_anchor(volume: dict[str, Any], expected: Outcome) -> None:
    assert outcome(NO_HOSTPATH, pod({"volumes": [{"name": "v", **volume}]})) is expected


# Existence: "At least one container with image nginx:latest" (lists only).
EXISTS = policy({"spec": {"^(containers)": [{"image": "nginx:latest"}]}})


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (containers({"image": "busybox:1"}, {"image": "nginx:latest"}), Outcome.PASS),
        (containers({"image": "busybox:1"}, {"image": "nginx:1.27"}), Outcome.FAIL),
        ({"containers": {"image": "nginx:latest"}}, Outcome.FAIL),  # not a list
    ],
)
def test_existence_anchor(spec: dict[str, Any], expected: Outcome) -> None:
    assert outcome(EXISTS, pod(spec)) is expected


# Global: "if any container uses someimagename, imagePullSecrets must name my-registry-secret".
GLOBAL = policy(
    {
        "spec": {
            "containers": [{"name": "*", "<(image)": "someimagename"}],
            "imagePullSecrets": [{"name": "my-registry-secret"}],
        }
    }
)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (containers({"name": "a", "image": "someimagename"}), Outcome.FAIL),
        (
            {
                **containers({"name": "a", "image": "someimagename"}),
                "imagePullSecrets": [{"name": "my-registry-secret"}],
            },
            Outcome.PASS,
        ),
        (containers({"name": "a", "image": "other"}), Outcome.SKIP),
    ],
)
def test_global_anchor(spec: dict[str, Any], expected: Outcome) -> None:
    assert outcome(GLOBAL, pod(spec)) is expected


def test_plain_keys_are_required_and_star_means_present() -> None:
    required = policy({"spec": {"containers": [{"securityContext": {"runAsNonRoot": True}}]}})
    assert outcome(required, pod(containers({"name": "a"}))) is Outcome.FAIL
    assert (
        outcome(required, pod(containers({"name": "a", "securityContext": {"runAsNonRoot": True}})))
        is Outcome.PASS
    )
    present = policy({"metadata": {"labels": {"team": "*"}}})
    assert outcome(present, pod({}, labels={"team": ""})) is Outcome.PASS
    assert outcome(present, pod({}, labels={"owner": "x"})) is Outcome.FAIL


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({"app.kubernetes.io/name": "web"}, Outcome.PASS),
        ({"app.kubernetes.io/name": ""}, Outcome.FAIL),
        ({"app": "web"}, Outcome.FAIL),
    ],
)
def test_wildcard_keys_in_metadata(labels: dict[str, str], expected: Outcome) -> None:
    # Validate Rules, "Wildcards": "?*" asks for a non-empty value; key wildcards expand in labels/annotations
    named = policy({"metadata": {"labels": {"app.kubernetes.io/*": "?*"}}})
    assert outcome(named, pod({}, labels=labels)) is expected


def test_every_matching_wildcard_key_is_checked() -> None:
    annotations = {
        "container.apparmor.security.beta.kubernetes.io/a": "runtime/default",
        "container.apparmor.security.beta.kubernetes.io/b": "unconfined",
    }
    apparmor = policy(
        {
            "=(metadata)": {
                "=(annotations)": {"=(container.apparmor.security.beta.kubernetes.io/*)": "runtime/default"}
            }
        }
    )
    assert outcome(apparmor, pod({}, annotations=annotations)) is Outcome.FAIL
    annotations["container.apparmor.security.beta.kubernetes.io/b"] = "runtime/default"
    assert outcome(apparmor, pod({}, annotations=annotations)) is Outcome.PASS


def test_a_scalar_in_a_list_pattern_applies_to_every_element() -> None:
    args = policy({"spec": {"containers": [{"=(args)": ["!*--privileged*"]}]}})
    assert outcome(args, pod(containers({"args": ["--port=80", "--privileged=true"]}))) is Outcome.FAIL
    assert outcome(args, pod(containers({"args": ["--port=80"]}))) is Outcome.PASS


def test_any_pattern_passes_on_one_and_skips_when_all_skip() -> None:
    either = policy(any_pattern=[{"spec": {"hostNetwork": False}}, {"metadata": {"labels": {"net": "host"}}}])
    assert outcome(either, pod({"hostNetwork": True}, labels={"net": "host"})) is Outcome.PASS
    assert outcome(either, pod({"hostNetwork": True})) is Outcome.FAIL
    skipping = policy(any_pattern=[{"spec": {"(hostNetwork)": True, "dnsPolicy": "ClusterFirstWithHostNet"}}])
    assert outcome(skipping, pod({"dnsPolicy": "Default"})) is Outcome.SKIP


def test_a_failure_reports_the_path() -> None:
    verdicts = evaluate([NO_HOSTPATH], [], pod({"volumes": [{"name": "a"}, {"name": "b", "hostPath": {}}]}))
    assert verdicts[0].path == "/spec/volumes/1/hostPath/"
    assert verdicts[0].blocks
    assert verdicts[0].describe() == (
        "Pod n/p: p/r fails (Enforce) at /spec/volumes/1/hostPath/: "
        "check (/spec/volumes/1/hostPath/ is not allowed)"
    )


def test_nulls_read_as_absent_as_the_api_server_decodes_them() -> None:
    # a typed field set to null is its zero value, which the API server leaves out
    privileged = policy({"spec": {"containers": [{"=(securityContext)": {"=(privileged)": "false"}}]}})
    assert outcome(privileged, pod(containers({"name": "a", "securityContext": None}))) is Outcome.PASS
    assert (
        outcome(privileged, pod(containers({"name": "a", "securityContext": {"privileged": True}})))
        is Outcome.FAIL
    )
