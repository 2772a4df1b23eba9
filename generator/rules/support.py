"""What several families need: locating text inside a block, overlay-first marks, amounts, pod counts."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TypedDict

from generator.findings import Mark
from generator.load.document import YamlPath
from generator.model.parts import Autoscaling
from generator.model.types import Component, Platform

# ---------------------------------------------------------------------------- locations


def text_mark(platform: Platform, path: YamlPath, text: str, index: int) -> Mark:
    """Where character `index` of the string at `path` stands in the source file.

    A multi-line value is a block scalar (`|`): its content starts on the line
    after the value's mark. A one-line value is located at the value itself.
    """
    mark = platform.doc.mark(path)
    if "\n" not in text:
        return mark
    line = text.count("\n", 0, index)
    key = platform.doc.mark(path, prefer_key=True)
    return Mark(mark.file, mark.line + 1 + line, key.column + 2)


def overlay_first(platform: Platform, paths: Sequence[YamlPath]) -> YamlPath:
    """The first path an overlay set, else the first that exists: the value this environment changed."""
    present = [path for path in paths if platform.doc.get(path) is not None]
    for path in present:
        if platform.doc.mark(path).file != platform.doc.file:
            return path
    return present[0] if present else paths[0]


class Located(TypedDict):
    """A Hit's `path` and `mark`, as keywords."""

    path: YamlPath
    mark: Mark | None


def caused_by(platform: Platform, usage: YamlPath, *settings: YamlPath) -> Located:
    """Where a finding about `usage` belongs (`Hit(rule, message, **caused_by(…))`): the usage where
    an overlay wrote it; else the first of `settings` (what the usage is judged against) this
    environment's overlay removed with `null` (at that `null`) or set; else the usage. A mistake
    only an overlay makes points into the overlay."""
    doc = platform.doc
    if doc.get(usage) is not None and doc.mark(usage).file != doc.file:
        return Located(path=usage, mark=None)
    for setting in settings:
        if setting in doc.removed:
            return Located(path=usage, mark=doc.removed[setting])
        if doc.get(setting) is not None and doc.mark(setting).file != doc.file:
            return Located(path=setting, mark=None)
    return Located(path=usage, mark=None)


def mask(text: str, pattern: re.Pattern[str]) -> str:
    """Blank out matches (keeping offsets), e.g. `${…}` tokens a rule must not look inside."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def lines_of(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for every line of a text."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def walk_strings(value: object, path: YamlPath, key: str = "") -> Iterator[tuple[YamlPath, str, str]]:
    """(path, nearest mapping key, text) for every string in a value tree."""
    if isinstance(value, str):
        yield path, key, value
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from walk_strings(item, (*path, k), str(k))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, (*path, index), key)


def names(components: Sequence[Component]) -> str:
    """`trino`, `trino and kafka`, `trino and 3 others`: who a platform-wide finding affects."""
    if len(components) <= 2:
        return " and ".join(c.name for c in components)
    return f"{components[0].name} and {len(components) - 1} others"


# ---------------------------------------------------------------------------- amounts


def show(amount: Fraction, resource: str) -> str:
    """A readable amount: cores for cpu, Gi/Mi for memory, a count otherwise."""
    if resource == "memory":
        for unit, size in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
            if amount >= size:
                return f"{_number(amount / size)}{unit}"
        return _number(amount)
    return _number(amount)


def _number(amount: Fraction) -> str:
    if amount.denominator == 1:
        return str(amount.numerator)
    return f"{float(amount):.3f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------- workloads and pods


def workloads(platform: Platform) -> list[Component]:
    return [c for c in platform.components() if c.kind == "workload"]


def scaled(component: Component) -> bool:
    return component.workload_type in ("deployment", "statefulset")


def autoscaling(component: Component) -> Autoscaling | None:
    """The autoscaler of a Deployment or StatefulSet (other types cannot have one: PC702)."""
    return component.autoscaling if scaled(component) else None


def replica_range(component: Component, nodes: int) -> tuple[int, int]:
    """(fewest, most) pods this workload runs: the autoscaler's bounds, replicas, a pod per node."""
    kind = component.workload_type
    if kind == "daemonset":
        return nodes, nodes
    if kind in ("job", "cronjob"):
        return 1, 1  # concurrencyPolicy Forbid: one run at a time
    scaler = autoscaling(component)
    if scaler is not None:
        low = scaler.floor
        return low, max(low, scaler.max_replicas)
    count = 1 if component.replicas is None else component.replicas
    return count, count


def pdb_allowed(amount: int | str, which: str, pods: int) -> int:
    """How many of `pods` a PodDisruptionBudget lets go at once (percentages round up, as Kubernetes does)."""
    if isinstance(amount, str) and amount.endswith("%"):
        value = math.ceil(int(amount[:-1]) * pods / 100)
    else:
        value = int(amount)
    if which == "minAvailable":
        return max(pods - value, 0)
    return max(min(value, pods), 0)
