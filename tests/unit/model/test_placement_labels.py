"""Placement by labels: the eligible nodes a selector and tolerations leave, which capacity then measures."""

from __future__ import annotations

from collections.abc import Callable

from generator.model import Platform
from generator.model.parts import Toleration
from generator.pipeline import EnvResult

Built = Callable[..., Platform]
Analysed = Callable[..., EnvResult]


def _names(platform: Platform, component_id: str) -> list[str]:
    component = platform.find(component_id)
    assert component is not None
    return [node.name for node in platform.eligible_nodes(component)]


def test_a_selector_and_tolerations_decide_the_eligible_nodes(language: Built, language_text: str) -> None:
    platform = language()
    assert _names(platform, "shop/api") == ["node-1", "node-2"]  # disktype=ssd
    assert _names(platform, "shop/db") == ["node-3"]  # pool=analytics, its taint tolerated
    # Without a toleration the tainted node takes nothing that is not pinned to it.
    plain = language(
        language_text.replace(
            "          placement: {nodeSelector: {disktype: ssd}, spreadAcross: zone, avoid: [db]}\n", ""
        )
    )
    assert _names(plain, "shop/api") == ["node-1", "node-2"]
    tolerant = language(
        language_text.replace(
            "placement: {nodeSelector: {disktype: ssd}, spreadAcross: zone, avoid: [db]}",
            "placement: {tolerations: [{key: dedicated, operator: Exists}]}",
        )
    )
    assert _names(tolerant, "shop/api") == ["node-1", "node-2", "node-3"]


def test_tolerations_match_as_kubernetes_matches_them() -> None:
    equal = Toleration("dedicated", "Equal", "analytics", "NoSchedule", ())
    assert equal.tolerates("dedicated", "analytics", "NoSchedule")
    assert not equal.tolerates("dedicated", "reporting", "NoSchedule")
    assert not equal.tolerates("dedicated", "analytics", "NoExecute")
    every_effect = Toleration("dedicated", "Exists", None, None, ())
    assert every_effect.tolerates("dedicated", "x", "NoExecute")
    assert not every_effect.tolerates("gpu", None, "NoSchedule")
    everything = Toleration("", "Exists", None, None, ())
    assert everything.tolerates("anything", "at-all", "NoSchedule")
    assert everything.as_kubernetes() == {"operator": "Exists"}
    assert equal.as_kubernetes() == {
        "key": "dedicated",
        "operator": "Equal",
        "value": "analytics",
        "effect": "NoSchedule",
    }


def test_capacity_is_measured_against_the_selected_nodes(
    language_result: Analysed, language_text: str
) -> None:
    # 12 cpus fit node-3 (16) but not the ssd nodes (8) the selector leaves.
    text = language_text.replace(
        "requests: {cpu: 100m, memory: 128Mi}", 'requests: {cpu: "12", memory: 128Mi}'
    )
    found = [f for f in language_result(text).findings if f.rule == "PC606"]
    assert len(found) == 1 and "api" in found[0].message and "node-1" in found[0].message, found
    fits = language_text.replace(
        "requests: {cpu: 100m, memory: 128Mi}", 'requests: {cpu: "6", memory: 128Mi}'
    )
    assert not [f for f in language_result(fits).findings if f.rule == "PC606"]
