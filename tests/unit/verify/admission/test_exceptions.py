"""PolicyExceptions: which rules they name, what they match, and the Pod names Kyverno sees.

Expected outcomes: the Policy Exceptions page (https://kyverno.io/docs/writing-policies/exceptions/:
an exception for a Pod rule must also name the autogen rules and controller kinds to exempt the
controllers), Exception.Contains (api/kyverno/v2: ruleNames with wildcards) and
pkg/utils/match (names with wildcards; generated names are set before validating admission).
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission import (
    ClusterPolicy,
    KyvernoConfig,
    Outcome,
    PolicyException,
    dangling,
    evaluate_workload,
    honoured,
    parse_documents,
    parse_filters,
    pods_from_template,
    pods_of,
)

POLICY = {
    "apiVersion": "kyverno.io/v1",
    "kind": "ClusterPolicy",
    "metadata": {"name": "disallow-host-path"},
    "spec": {
        "validationFailureAction": "Enforce",
        "rules": [
            {
                "name": "host-path",
                "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                "validate": {
                    "message": "no hostPath",
                    "pattern": {"spec": {"=(volumes)": [{"X(hostPath)": "null"}]}},
                },
            }
        ],
    },
}


def exception(
    names: list[str],
    kinds: list[str],
    rules: list[str],
    namespaces: list[str] | None = None,
    api: str = "kyverno.io/v2",
    policy: str = "disallow-host-path",
) -> dict[str, Any]:
    resources: dict[str, Any] = {"kinds": kinds, "names": names}
    if namespaces:
        resources["namespaces"] = namespaces
    return {
        "apiVersion": api,
        "kind": "PolicyException",
        "metadata": {"name": "fluent-bit", "namespace": "kyverno"},
        "spec": {
            "exceptions": [{"policyName": policy, "ruleNames": rules}],
            "match": {"any": [{"resources": resources}]},
        },
    }


def daemonset(name: str = "fluent-bit", namespace: str = "logging") -> dict[str, Any]:
    spec = {
        "containers": [{"name": "c", "image": "fluent-bit:3"}],
        "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": {"metadata": {"labels": {"app": name}}, "spec": spec}},
    }


def judge(*exceptions: dict[str, Any]) -> dict[tuple[str, str], Outcome]:
    policies, parsed = parse_documents([POLICY, *exceptions])
    return {(v.kind, v.rule): v.outcome for v in evaluate_workload(policies, parsed, daemonset())}


def test_without_exception_both_the_controller_and_its_pods_are_rejected() -> None:
    assert judge() == {("DaemonSet", "autogen-host-path"): Outcome.FAIL, ("Pod", "host-path"): Outcome.FAIL}


def test_an_exception_naming_the_rule_and_its_autogen_rule_with_a_name_wildcard() -> None:
    ex = exception(["fluent-bit*"], ["Pod", "DaemonSet"], ["host-path", "autogen-host-path"])
    assert judge(ex) == {
        ("DaemonSet", "autogen-host-path"): Outcome.EXCEPTED,
        ("Pod", "host-path"): Outcome.EXCEPTED,
    }


def test_the_controller_name_alone_does_not_match_its_pods() -> None:
    ex = exception(["fluent-bit"], ["Pod", "DaemonSet"], ["host-path", "autogen-host-path"])
    assert judge(ex) == {
        ("DaemonSet", "autogen-host-path"): Outcome.EXCEPTED,
        ("Pod", "host-path"): Outcome.FAIL,
    }


def test_the_pod_rule_alone_leaves_the_controller_rejected() -> None:
    ex = exception(["fluent-bit*"], ["Pod"], ["host-path"])
    assert judge(ex) == {
        ("DaemonSet", "autogen-host-path"): Outcome.FAIL,
        ("Pod", "host-path"): Outcome.EXCEPTED,
    }


@pytest.mark.parametrize("api", ["kyverno.io/v2", "kyverno.io/v2beta1"])
def test_rule_name_wildcards_and_both_api_versions(api: str) -> None:
    ex = exception(["fluent-bit*"], ["Pod", "DaemonSet"], ["*host-path"], api=api)
    assert set(judge(ex).values()) == {Outcome.EXCEPTED}


@pytest.mark.parametrize(
    "ex",
    [
        exception(
            ["fluent-bit*"],
            ["Pod", "DaemonSet"],
            ["host-path", "autogen-host-path"],
            namespaces=["monitoring"],
        ),
        exception(
            ["fluent-bit*"],
            ["Pod", "DaemonSet"],
            ["host-path", "autogen-host-path"],
            policy="disallow-host-ports",
        ),
        exception(["vector*"], ["Pod", "DaemonSet"], ["host-path", "autogen-host-path"]),
        exception(["fluent-bit*"], ["Deployment"], ["autogen-host-path"]),
    ],
    ids=["other-namespace", "other-policy", "other-name", "other-kind"],
)
def test_exceptions_that_do_not_match(ex: dict[str, Any]) -> None:
    assert set(judge(ex).values()) == {Outcome.FAIL}


def test_exception_conditions_are_evaluated() -> None:
    ex = exception(["fluent-bit*"], ["Pod", "DaemonSet"], ["host-path", "autogen-host-path"])
    ex["spec"]["conditions"] = {
        "any": [{"key": "{{ request.object.metadata.namespace }}", "operator": "Equals", "value": "prod"}]
    }
    assert set(judge(ex).values()) == {Outcome.FAIL}
    ex["spec"]["conditions"]["any"][0]["value"] = "logging"
    assert set(judge(ex).values()) == {Outcome.EXCEPTED}


def installed() -> list[ClusterPolicy]:
    return parse_documents([POLICY])[0]


def exceptions_of(*documents: dict[str, Any]) -> list[PolicyException]:
    return parse_documents(list(documents))[1]


def test_dangling_names_are_reported_and_autogen_names_count_as_installed() -> None:
    good = exception(["x"], ["Pod"], ["host-path", "autogen-host-path", "autogen-cronjob-host-path"])
    assert dangling(exceptions_of(good), installed()) == []
    wrong_rule = exception(["x"], ["Pod"], ["host-path", "autogen-hostpath"])
    assert [(d.policy, d.rule) for d in dangling(exceptions_of(wrong_rule), installed())] == [
        ("disallow-host-path", "autogen-hostpath")
    ]
    missing = exception(["x"], ["Pod"], ["validate-readOnlyRootFilesystem"], policy="require-ro-rootfs")
    [found] = dangling(exceptions_of(missing), installed())
    assert (found.exception, found.policy, found.rule) == ("kyverno/fluent-bit", "require-ro-rootfs", "")


@pytest.mark.parametrize(
    ("kind", "spec", "display", "owner"),
    [
        ("Deployment", {"template": {}}, "web-<hash>-<suffix>", "ReplicaSet"),
        ("StatefulSet", {"replicas": 3, "template": {}}, "web-<ordinal>", "StatefulSet"),
        ("DaemonSet", {"template": {}}, "web-<suffix>", "DaemonSet"),
        ("Job", {"template": {}}, "web-<suffix>", "Job"),
        ("CronJob", {"jobTemplate": {"spec": {"template": {}}}}, "web-<time>-<suffix>", "Job"),
    ],
)
def test_pod_names_as_the_controllers_generate_them(
    kind: str, spec: dict[str, Any], display: str, owner: str
) -> None:
    samples = pods_of(
        {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "web", "namespace": "n"}, "spec": spec}
    )
    assert len(samples) == 2
    names = [s.manifest["metadata"]["name"] for s in samples]
    assert names[0] != names[1] and all(n.startswith("web-") for n in names)
    assert {s.display for s in samples} == {display}
    assert samples[0].manifest["metadata"]["ownerReferences"][0]["kind"] == owner
    if kind == "StatefulSet":
        assert names == ["web-0", "web-2"]


def test_a_failure_names_the_exceptions_that_missed_it() -> None:
    ex = exception(["fluent-bit"], ["Pod", "DaemonSet"], ["host-path", "autogen-host-path"])
    policies, parsed = parse_documents([POLICY, ex])
    verdicts = {(v.kind, v.rule): v for v in evaluate_workload(policies, parsed, daemonset())}
    assert verdicts[("Pod", "host-path")].near_misses == ("kyverno/fluent-bit",)
    assert verdicts[("DaemonSet", "autogen-host-path")].near_misses == ()
    assert verdicts[("DaemonSet", "autogen-host-path")].exception == "kyverno/fluent-bit"


def test_only_the_exceptions_kyverno_reads_are_honoured() -> None:
    parsed = exceptions_of(exception(["x"], ["Pod"], ["host-path"]))
    assert honoured(parsed) == parsed
    assert honoured(parsed, enabled=False) == []
    assert honoured(parsed, namespace="kyverno") == parsed
    assert honoured(parsed, namespace="policies") == []


def test_pods_an_operator_makes_from_a_template() -> None:
    template = {
        "metadata": {"labels": {"ray.io/node-type": "head"}},
        "spec": {"containers": [{"name": "ray-head"}]},
    }
    samples = pods_from_template(
        template, "ray", "raycluster-head-", ("ray.io/v1", "RayCluster", "raycluster")
    )
    names = [s.manifest["metadata"]["name"] for s in samples]
    assert len(set(names)) == 2 and all(n.startswith("raycluster-head-") and len(n) == 21 for n in names)
    assert samples[0].manifest["metadata"]["labels"] == {"ray.io/node-type": "head"}
    assert samples[0].manifest["metadata"]["ownerReferences"][0]["kind"] == "RayCluster"


def test_a_cronjob_exception_must_cover_the_job_it_creates() -> None:
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "fluent-bit", "namespace": "logging"},
        "spec": {"jobTemplate": {"spec": {"template": daemonset()["spec"]["template"]}}},
    }
    rules = ["host-path", "autogen-host-path", "autogen-cronjob-host-path"]
    policies, parsed = parse_documents([POLICY, exception(["fluent-bit*"], ["Pod", "CronJob"], rules)])
    found = {(v.kind, v.rule): v.outcome for v in evaluate_workload(policies, parsed, cronjob)}
    assert found == {
        ("CronJob", "autogen-cronjob-host-path"): Outcome.EXCEPTED,
        ("Job", "autogen-host-path"): Outcome.FAIL,
        ("Pod", "host-path"): Outcome.EXCEPTED,
    }
    policies, parsed = parse_documents([POLICY, exception(["fluent-bit*"], ["Pod", "Job", "CronJob"], rules)])
    assert {v.outcome for v in evaluate_workload(policies, parsed, cronjob)} == {Outcome.EXCEPTED}


def test_a_deployments_replicaset_is_judged_unless_kyverno_filters_it() -> None:
    deployment = {**daemonset(), "kind": "Deployment"}
    rules = ["host-path", "autogen-host-path"]
    kinds_without = exception(["fluent-bit*"], ["Pod", "Deployment"], rules)
    kinds_with = exception(["fluent-bit*"], ["Pod", "Deployment", "ReplicaSet"], rules)
    policies, parsed = parse_documents([POLICY, kinds_without])
    found = {(v.kind, v.name): v.outcome for v in evaluate_workload(policies, parsed, deployment)}
    assert found[("ReplicaSet", "fluent-bit-<hash>")] is Outcome.FAIL
    filtered = evaluate_workload(
        policies, parsed, deployment, config=KyvernoConfig(parse_filters("[ReplicaSet,*,*]"))
    )
    assert {v.kind for v in filtered} == {"Deployment", "Pod"}
    policies, parsed = parse_documents([POLICY, kinds_with])
    assert {v.outcome for v in evaluate_workload(policies, parsed, deployment)} == {Outcome.EXCEPTED}
