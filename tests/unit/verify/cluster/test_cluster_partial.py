"""What an Application rendered without some upstream charts (not vendored) might create is not
reported missing; what is found is still checked."""

from __future__ import annotations

from generator.verify.cluster import ClusterFacts, verify_cluster
from tests.unit.verify.cluster.cluster_env import Env, container, crd, deployment, obj

WIDGET = obj("Widget", "w", "example.com/v1", spec={})
READER = deployment(
    "web",
    {"containers": [container(envFrom=[{"secretRef": {"name": "token"}}], args=["http://api.shop.svc:80"])]},
)


def _rules(env: Env, partial: list[str]) -> list[str]:
    return sorted(f.rule for f in verify_cluster(env.sources, env.objects, ClusterFacts(), partial).findings)


def test_complete_environment_reports_what_is_missing(env: Env) -> None:
    env.app("shop", [], namespace="shop", wave=1).app("web", [WIDGET, READER], wave=2)
    assert _rules(env, []) == ["PC820", "PC822", "PC823"]


def test_partial_applications_may_hold_what_is_missing(env: Env) -> None:
    env.app("shop", [], namespace="shop", wave=1).app("web", [WIDGET, READER], wave=2)
    # shop (wave 1) may install the CRD and the Service; web itself may create its Secret
    assert _rules(env, ["shop", "web"]) == []


def test_a_partial_application_in_a_later_wave_hides_nothing(env: Env) -> None:
    env.app("web", [WIDGET], wave=1).app("later", [], wave=3)
    assert _rules(env, ["later"]) == ["PC820"]


def test_what_is_found_is_still_checked(env: Env) -> None:
    late = crd("example.com", "Widget")
    env.app("web", [WIDGET], wave=1).app("crds", [late], wave=2).app("other", [], wave=0)
    assert _rules(env, []) == ["PC820"]
