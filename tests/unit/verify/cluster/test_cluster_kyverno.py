"""PC827-PC830: Kyverno admission over an environment, with Kyverno's published policies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.verify.cluster import ClusterFacts, verify_cluster
from tests.unit.verify.cluster.cluster_env import Env, container, crd, deployment, obj

SHARED = Path(__file__).resolve().parents[5]
COMPONENT = "platform.254carbon.com/component"
APPLICATION = "platform.254carbon.com/application"
RESTRICTED_CONTAINER = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "runAsNonRoot": True,
    "runAsUser": 1000,
    "seccompProfile": {"type": "RuntimeDefault"},
    "readOnlyRootFilesystem": True,
}
COMPLIANT = {"containers": [container(securityContext=RESTRICTED_CONTAINER)]}
NET_RAW = {
    "containers": [
        container(
            securityContext={**RESTRICTED_CONTAINER, "capabilities": {"add": ["NET_RAW"], "drop": ["ALL"]}}
        )
    ]
}
LABELS = {COMPONENT: "gateway", APPLICATION: "web"}


def _shared() -> Path:
    for base in (SHARED, *SHARED.parents):
        if (base / "shared" / "crds" / "kyverno-policies").is_dir():
            return base / "shared"
    raise FileNotFoundError("../shared is not next to the repository")


def policy(level: str, name: str, action: str = "Enforce") -> dict[str, Any]:
    """One of Kyverno's published policies, as the cluster would hold it."""
    path = _shared() / "crds" / "kyverno-policies" / level / f"{name}.yaml"
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["spec"]["validationFailureAction"] = action
    return document


def exception(
    name: str, pairs: list[tuple[str, list[str]]], names: list[str], **extra: Any
) -> dict[str, Any]:
    return obj(
        "PolicyException",
        name,
        "kyverno.io/v2beta1",
        "kyverno",
        labels=LABELS,
        spec={
            "exceptions": [{"policyName": p, "ruleNames": r} for p, r in pairs],
            "match": {"any": [{"resources": {"kinds": ["Deployment", "ReplicaSet", "Pod"], "names": names}}]},
            **extra,
        },
    )


def kyverno(env: Env, *policies: dict[str, Any], exceptions: tuple[dict[str, Any], ...] = ()) -> Env:
    kinds = [crd("kyverno.io", "ClusterPolicy"), crd("kyverno.io", "PolicyException", version="v2beta1")]
    env.app("kyverno", [*kinds, *policies], wave=1, namespace="kyverno")
    return env.app("policies", list(exceptions), wave=2, namespace="kyverno")


CAPABILITIES = (
    policy("baseline", "disallow-capabilities"),
    policy("restricted", "disallow-capabilities-strict"),
)


def test_a_pod_adding_net_raw_is_rejected_naming_workload_policy_and_rule(env: Env) -> None:
    kyverno(env, *CAPABILITIES).app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    [found] = env.findings("PC827")
    assert found.severity.value == "error"
    assert "Kyverno rejects Deployment/gateway in namespace web (Application web)" in found.message
    assert "disallow-capabilities/autogen-adding-capabilities" in found.message
    assert "disallow-capabilities-strict/autogen-adding-capabilities-strict" in found.message


def test_a_compliant_pod_is_admitted(env: Env) -> None:
    kyverno(env, *CAPABILITIES).app("web", [deployment("gateway", COMPLIANT, labels=LABELS)], wave=3)
    assert env.findings("PC827") == []


def test_an_exception_for_the_strict_policy_alone_leaves_the_baseline_one(env: Env) -> None:
    strict = exception("web-gateway", [("disallow-capabilities-strict", ["autogen-adding-capabilities-strict",
                                                                        "adding-capabilities-strict"])],
                       ["gateway", "gateway-*"])  # fmt: skip
    kyverno(env, *CAPABILITIES, exceptions=(strict,))
    env.app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    [found] = env.findings("PC827")
    assert "disallow-capabilities/autogen-adding-capabilities" in found.message
    assert "disallow-capabilities-strict" not in found.message


def test_exceptions_for_both_policies_admit_the_pod(env: Env) -> None:
    both = exception(
        "web-gateway",
        [
            (
                "disallow-capabilities-strict",
                ["adding-capabilities-strict", "autogen-adding-capabilities-strict"],
            ),
            ("disallow-capabilities", ["adding-capabilities", "autogen-adding-capabilities"]),
        ],
        ["gateway", "gateway-*"],
    )
    kyverno(env, *CAPABILITIES, exceptions=(both,))
    env.app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    assert env.rules() == []


def test_an_exception_that_names_the_rule_but_not_the_workload_is_pointed_at(env: Env) -> None:
    pairs = [
        (
            "disallow-capabilities-strict",
            ["adding-capabilities-strict", "autogen-adding-capabilities-strict"],
        ),
        ("disallow-capabilities", ["adding-capabilities", "autogen-adding-capabilities"]),
    ]
    wrong = exception("web-gateway", pairs, ["gateway-v2", "gateway-v2-*"])
    other = exception("web-other", pairs, ["other"])
    other["metadata"]["labels"] = {COMPONENT: "other", APPLICATION: "web"}
    kyverno(env, *CAPABILITIES, exceptions=(wrong, other))
    env.app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    [found] = env.findings("PC827")
    assert "PolicyException kyverno/web-gateway names the rule but does not match" in found.message
    assert "web-other" not in found.message


def test_pods_are_judged_under_their_generated_names(env: Env) -> None:
    pairs = [
        ("disallow-capabilities-strict", ["adding-capabilities-strict"]),
        ("disallow-capabilities", ["adding-capabilities"]),
    ]
    only_pods = exception("web-gateway", pairs, ["gateway-*"])
    kyverno(env, *CAPABILITIES, exceptions=(only_pods,))
    env.app("web", [obj("Pod", "gateway-5d4f8", namespace="web", labels=LABELS, spec=NET_RAW)], wave=3)
    assert env.findings("PC827") == []


def test_audit_policies_reject_nothing(env: Env) -> None:
    audit = policy("baseline", "disallow-capabilities", action="Audit")
    kyverno(env, audit).app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    assert env.findings("PC827") == []


def test_helm_test_pods_argo_cd_never_applies_are_not_judged(env: Env) -> None:
    test_pod = obj("Pod", "probe", annotations={"helm.sh/hook": "test"}, spec=NET_RAW)
    kyverno(env, *CAPABILITIES).app("web", [test_pod], wave=3)
    assert env.findings("PC827") == []


def test_helm_hooks_argo_cd_runs_are_judged(env: Env) -> None:
    hook = obj("Pod", "migrate", annotations={"helm.sh/hook": "pre-install,pre-upgrade"}, spec=NET_RAW)
    kyverno(env, *CAPABILITIES).app("web", [hook], wave=3)
    assert [f.rule for f in env.findings("PC827")] == ["PC827"]


def _ray(head: dict[str, Any]) -> dict[str, Any]:
    template = {"spec": head}
    return obj(
        "RayCluster",
        "ray",
        "ray.io/v1",
        "web",
        spec={"headGroupSpec": {"template": template}, "workerGroupSpecs": []},
    )


def test_a_ray_clusters_head_pod_is_judged_under_kuberays_name(env: Env) -> None:
    kyverno(env, *CAPABILITIES).app("web", [crd("ray.io", "RayCluster"), _ray(NET_RAW)], wave=3)
    [found] = env.findings("PC827")
    assert "RayCluster/ray" in found.message and "Pod ray-head-<suffix>" in found.message


def test_a_compliant_ray_cluster_is_admitted(env: Env) -> None:
    kyverno(env, *CAPABILITIES).app("web", [crd("ray.io", "RayCluster"), _ray(COMPLIANT)], wave=3)
    assert env.findings("PC827") == []


def test_an_exception_naming_a_policy_nothing_installs_is_an_error(env: Env) -> None:
    dangling = exception(
        "web-gateway", [("require-ro-rootfs", ["validate-readOnlyRootFilesystem"])], ["gateway"]
    )
    kyverno(env, *CAPABILITIES, exceptions=(dangling,))
    [found] = env.findings("PC828")
    assert "names policy 'require-ro-rootfs', which the environment does not install" in found.message


def test_an_exception_naming_installed_autogen_rules_is_fine(env: Env) -> None:
    named = exception(
        "web-gateway",
        [("disallow-capabilities", ["adding-capabilities", "autogen-cronjob-adding-capabilities"])],
        ["gateway"],
    )
    kyverno(env, *CAPABILITIES, exceptions=(named,))
    assert env.findings("PC828") == []


def test_an_exception_naming_a_rule_the_policy_lacks_is_an_error(env: Env) -> None:
    named = exception("web-gateway", [("disallow-capabilities", ["autogen-adding-everything"])], ["gateway"])
    kyverno(env, *CAPABILITIES, exceptions=(named,))
    [found] = env.findings("PC828")
    assert "autogen-adding-everything" in found.message


def test_a_rule_the_evaluator_cannot_judge_is_a_warning_never_a_pass(env: Env) -> None:
    cel = policy("baseline", "disallow-capabilities")
    cel["spec"]["rules"][0]["celPreconditions"] = [{"name": "always", "expression": "true"}]
    kyverno(env, cel).app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    [found] = env.findings("PC829")
    assert found.severity.value == "warning"
    assert "disallow-capabilities/adding-capabilities was not evaluated" in found.message
    assert "not passed" in found.message


def test_rules_the_evaluator_judges_give_no_warning(env: Env) -> None:
    kyverno(env, *CAPABILITIES).app("web", [deployment("gateway", NET_RAW, labels=LABELS)], wave=3)
    assert env.findings("PC829") == []


def test_a_listed_policy_nothing_installs_is_an_error(env: Env) -> None:
    kyverno(env, *CAPABILITIES)
    facts = ClusterFacts(policies={"require-ro-rootfs": ("validate-readOnlyRootFilesystem",)})
    [found] = env.findings("PC830", facts)
    assert "lists 'require-ro-rootfs', which no application installs" in found.message


def test_a_listed_rule_the_policy_lacks_is_an_error_and_installed_ones_are_fine(env: Env) -> None:
    kyverno(env, *CAPABILITIES)
    good = ClusterFacts(policies={"disallow-capabilities": ("adding-capabilities",)})
    assert env.findings("PC830", good) == []
    bad = ClusterFacts(policies={"disallow-capabilities": ("adding-capabilities-strict",)})
    [found] = env.findings("PC830", bad)
    assert "rule 'adding-capabilities-strict'" in found.message


def test_each_distinct_workload_is_evaluated_once(env: Env, monkeypatch: Any) -> None:
    from generator.verify import admission

    calls: list[str] = []
    real = admission.evaluate_workload

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[2]["metadata"]["name"])
        return real(*args, **kwargs)

    monkeypatch.setattr(admission, "evaluate_workload", counting)
    same = deployment("gateway", NET_RAW, labels=LABELS)
    kyverno(env, *CAPABILITIES).app("web", [same], wave=3).app("copy", [same], wave=3)
    assert len(env.findings("PC827")) == 2
    assert calls == ["gateway"]


def _admission_controller(namespace: str) -> dict[str, Any]:
    args = ["--enablePolicyException=true", f"--exceptionNamespace={namespace}"]
    pod = {"containers": [container("kyverno", args=args, securityContext=RESTRICTED_CONTAINER)]}
    return deployment("kyverno-admission-controller", pod, namespace="kyverno")


def test_an_exception_outside_the_namespace_kyverno_reads_exempts_nothing(env: Env) -> None:
    named = exception("web-gateway", [("disallow-capabilities", ["adding-capabilities"])], ["gateway"])
    kyverno(env, *CAPABILITIES, exceptions=(named,)).app("k", [_admission_controller("policies")], wave=1)
    [found] = env.findings("PC828")
    assert "Kyverno reads PolicyExceptions only in namespace policies" in found.message


def test_an_exception_in_the_namespace_kyverno_reads_is_honoured(env: Env) -> None:
    named = exception("web-gateway", [("disallow-capabilities", ["adding-capabilities"])], ["gateway"])
    kyverno(env, *CAPABILITIES, exceptions=(named,)).app("k", [_admission_controller("kyverno")], wave=1)
    assert env.findings("PC828") == []


def test_nothing_is_called_dangling_while_a_chart_is_not_rendered(env: Env) -> None:
    dangling = exception("web-gateway", [("require-ro-rootfs", [])], ["gateway"])
    kyverno(env, *CAPABILITIES, exceptions=(dangling,))
    verdict = verify_cluster(env.sources, env.objects, ClusterFacts(), partial=["kyverno"])
    assert [f for f in verdict.findings if f.rule == "PC828"] == []
