"""Placement by labels: node selectors, tolerations and avoided components, against the declared cluster.

`spec.cluster.nodes` declares each node's labels and taints, so a selector no
node carries, or taints that keep a component off every node its selector
picks, are known before anything is applied (generator.model.placement works
out the eligible nodes the capacity rules then measure).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model import placement
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import workloads

ERROR = Severity.ERROR

define(
    "PC630",
    "availability",
    ERROR,
    "Node selector matches no declared node",
    why="""`placement.nodeSelector` keeps a workload to nodes with those labels. When no node of
    `spec.cluster.nodes` (among `placement.nodes`, when given) has every one of them, the
    scheduler finds no node and the pod stays Pending.""",
    fix="Select labels a declared node has (the message lists the labels each node has), or label the node.",
    bad="""
    placement: {nodeSelector: {disktype: nvme}}   # the nodes are labelled disktype: ssd
    """,
    good="""
    placement: {nodeSelector: {disktype: ssd}}
    """,
)

define(
    "PC631",
    "availability",
    ERROR,
    "Every selected node has a taint the component does not tolerate",
    why="""A node tainted `NoSchedule` or `NoExecute` takes only pods that tolerate the taint.
    When every node the component's `placement.nodeSelector` picks carries a taint its
    `placement.tolerations` do not cover, no node can take it and the pod stays Pending.""",
    fix="Add a toleration for the taint the message names, or select nodes without it.",
    bad="""
    placement:
      nodeSelector: {pool: analytics}   # its nodes are tainted dedicated=analytics:NoSchedule
    """,
    good="""
    placement:
      nodeSelector: {pool: analytics}
      tolerations: [{key: dedicated, value: analytics, effect: NoSchedule}]
    """,
)

define(
    "PC632",
    "availability",
    ERROR,
    "Placement avoids an unknown component",
    why="""`placement.avoid` keeps a workload's pods off the nodes that run another component's
    pods. A name that is no component selects no pods, so the rule silently does nothing.""",
    fix="Name a component (`<component>` or `<application>/<component>`); the message suggests one.",
    bad="""
    placement: {avoid: [kafka-brokr]}
    """,
    good="""
    placement: {avoid: [kafka-broker]}
    """,
)


def _labels(platform: Platform) -> str:
    shown = [
        f"{node.name} ({', '.join(f'{k}={v}' for k, v in sorted(node.labels.items())) or 'no labels'})"
        for node in platform.nodes
    ]
    return "; ".join(shown)


def _selector(component: Component) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(component.node_selector.items()))


@check("PC630", "PC631")
def node_selectors(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        if not component.node_selector or not platform.nodes:
            continue
        where = (*component.path, "placement", "nodeSelector")
        nodes = placement.selected(platform.nodes, component.placement, component.node_selector.items())
        if not nodes:
            yield Hit(
                "PC630",
                f"{component.name}: placement.nodeSelector {_selector(component)} matches no node of "
                f"spec.cluster.nodes ({_labels(platform)}); the pod would stay Pending",
                where,
            )
            continue
        if placement.is_restricted(component) or platform.eligible_nodes(component):
            continue
        blocked = sorted(
            {
                f"{t.key}={t.value}:{t.effect}" if t.value else f"{t.key}:{t.effect}"
                for node in nodes
                for t in placement.untolerated(node, component.tolerations)
            }
        )
        yield Hit(
            "PC631",
            f"{component.name}: every node placement.nodeSelector {_selector(component)} selects "
            f"({', '.join(n.name for n in nodes)}) has a taint it does not tolerate ({', '.join(blocked)}); "
            f"add a toleration to placement.tolerations, or select other nodes",
            where,
        )


@check("PC632")
def avoided_components(platform: Platform) -> Iterator[Hit]:
    known = [c.id for c in platform.components(enabled_only=False)]
    for component in workloads(platform):
        for avoided in component.avoid:
            if platform.find(avoided.target) is None:
                yield Hit(
                    "PC632",
                    f'{component.name}: placement.avoid names "{avoided.written}", which is no component'
                    f"{did_you_mean(avoided.target, known)}",
                    avoided.path,
                )
