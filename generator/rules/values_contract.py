"""The values contract: every key passed to a chart is one the chart declares, of a type it takes.

A key is declared when the chart's `values.yaml` has it at that path, when its
`values.schema.json` accepts it, when it sits inside a map the chart leaves open
(a default of `{}` or `null`, a schema object that lists no properties, or a map
its templates write out whole: `rules/template_flow.py`), or inside a list
element. A key naming a dependency is checked against that dependency's values
(with the parent's defaults for it on top, as Helm coalesces them); `global`
against what any chart of the tree declares under `global`.

A type contradicts the chart when the chart's schema names types the value is
not, or, without a schema type, when its default is of another kind (a map for
a list, a string for a boolean). A `null` default accepts anything; integers and
floats are one kind, and against a default (not a schema, which Helm enforces) a
string and a number are interchangeable: a template writes either as text.
Pure: a `ChartDeclaration` and plain values in, `Problem`s out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from generator.helm_values import merge_maps
from generator.load.document import YamlPath, format_path
from generator.rules.chart_declaration import Chain, ChartDeclaration
from generator.rules.values_schema import schema_child, schema_kinds, schema_openness, schema_properties

_MISSING: Any = object()
_ARTICLE = {
    "map": "a map",
    "list": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "number": "a number",
}


@dataclass(frozen=True)
class Problem:
    """One key the chart does not declare (`unknown`), or a value of a kind it does not take (`type`)."""

    kind: Literal["unknown", "type"]
    path: YamlPath  # below the values given to the top chart
    chart: str  # `loki 6.16.0`, or the dependency that declares the level
    suggestions: tuple[str, ...] = ()
    expected: str = ""
    found: str = ""
    default: Any = None


@dataclass(frozen=True)
class _Level:
    """What the chart declares at one path: its default there and the schema node for it."""

    defaults: Any
    schema: dict[str, Any] | None
    root: dict[str, Any] | None  # the schema document `$ref`s resolve in
    chart: str
    at: Chain = ()  # the path below the chart's own values
    reads: frozenset[Chain] = frozenset()  # what its templates read (every prefix)
    whole: frozenset[Chain] = frozenset()  # maps its templates take whole


def check_values(chart: ChartDeclaration, values: dict[str, Any]) -> list[Problem]:
    """Every problem with `values` as the values of `chart`, in the order of the values."""
    return list(_check_chart(chart, values, None, ()))


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "list"
    return "string"  # timestamps and other scalars reach Helm as strings


def default_at(chart: ChartDeclaration, path: YamlPath) -> tuple[bool, Any]:
    """Whether the chart (or a dependency, for a key naming one) has a default at `path`, and which."""
    head = str(path[0]) if path else ""
    dependency = chart.dependencies.get(head) if path else None
    if dependency is not None:
        over = chart.defaults.get(head)
        coalesced = merge_maps(dependency.defaults, over if isinstance(over, dict) else {})
        return default_at(replace(dependency, defaults=coalesced), path[1:])
    node: Any = chart.declared_globals()[1] if head == "global" else chart.defaults
    for part in path[1:] if head == "global" else path:
        found, node = _step(node, part)
        if not found:
            return False, None
    return True, node


# ---------------------------------------------------------------------------- charts and dependencies


def _label(chart: ChartDeclaration) -> str:
    return f"{chart.name} {chart.version}".strip()


def _check_chart(
    chart: ChartDeclaration, values: dict[str, Any], over: dict[str, Any] | None, path: YamlPath
) -> Iterator[Problem]:
    defaults = merge_maps(chart.defaults, over) if over else chart.defaults
    level = _Level(defaults, chart.schema, chart.schema, _label(chart), (), chart.reads, chart.whole)
    extra = (*chart.dependencies, "global")
    for key, value in values.items():
        where = (*path, key)
        if key == "global":
            yield from _check_global(chart, level, value, where)
        elif key in chart.dependencies:
            yield from _check_dependency(chart, defaults, key, value, where)
        else:
            yield from _check_key(level, key, value, where, extra)


def _check_dependency(
    chart: ChartDeclaration, defaults: dict[str, Any], key: str, value: Any, where: YamlPath
) -> Iterator[Problem]:
    dependency = chart.dependencies[key]
    if value is None:
        return
    if not isinstance(value, dict):
        yield Problem("type", where, _label(chart), expected="map", found=kind_of(value))
        return
    if dependency is None:
        return  # declared but not bundled in the archive: nothing to check against
    over = defaults.get(key)
    yield from _check_chart(dependency, value, over if isinstance(over, dict) else None, where)


def _check_global(chart: ChartDeclaration, level: _Level, value: Any, where: YamlPath) -> Iterator[Problem]:
    declared, merged = chart.declared_globals()
    found, schema = schema_child(level.schema, level.root, "global")
    if value is None:
        return
    if not isinstance(value, dict):
        yield Problem("type", where, level.chart, expected="map", found=kind_of(value))
        return
    reads, whole = chart.global_reads()
    if not declared and not found and not reads:
        for key in value:
            yield Problem("unknown", (*where, key), level.chart)
        return
    defaults = merged if declared else _MISSING
    scope = _Level(defaults, schema, level.root, level.chart, ("global",), reads, whole)
    yield from _check_map(scope, value, where)


# ---------------------------------------------------------------------------- maps and keys


def _check_map(level: _Level, values: dict[str, Any], path: YamlPath) -> Iterator[Problem]:
    if _is_open(level):
        return
    for key, value in values.items():
        yield from _check_key(level, key, value, (*path, key), ())


def _check_key(
    level: _Level, key: Any, value: Any, where: YamlPath, extra: tuple[str, ...]
) -> Iterator[Problem]:
    child = _child(level, key)
    if child is None:
        yield Problem("unknown", where, level.chart, _suggest(level, str(key), extra, where[:-1]))
        return
    wrong = _type_problem(child, value)
    if wrong is not None:
        default = None if child.defaults is _MISSING else child.defaults
        yield Problem("type", where, level.chart, expected=wrong, found=kind_of(value), default=default)
        return
    if isinstance(value, dict):
        yield from _check_map(child, value, where)


def _child(level: _Level, key: Any) -> _Level | None:
    defaults = level.defaults.get(key, _MISSING) if isinstance(level.defaults, dict) else _MISSING
    found, schema = schema_child(level.schema, level.root, str(key))
    at = (*level.at, str(key))
    if defaults is _MISSING and not found and at not in level.reads:
        return None
    return _Level(defaults, schema, level.root, level.chart, at, level.reads, level.whole)


def _is_open(level: _Level) -> bool:
    """Whether the chart leaves this map open: any key is accepted below it."""
    if level.at and level.at in level.whole:
        return True
    state = schema_openness(level.schema, level.root)
    if state is not None:
        return state
    if level.defaults is _MISSING:
        # declared by the schema or a template alone: open unless the templates read inside it
        return not any(len(c) > len(level.at) and c[: len(level.at)] == level.at for c in level.reads)
    return level.defaults is None or level.defaults == {}


def _type_problem(level: _Level, value: Any) -> str | None:
    """The kind the chart takes here when `value` is not of it; None when it fits."""
    found = kind_of(value)
    if found == "null":
        return None  # null removes the chart's default, which Helm allows anywhere
    kinds = schema_kinds(level.schema, level.root)
    if kinds:
        return None if found in kinds else " or ".join(sorted(kinds - {"null"}) or sorted(kinds))
    if level.defaults is _MISSING or level.defaults is None:
        return None
    expected = kind_of(level.defaults)
    if expected == found or {expected, found} == {"string", "number"}:
        return None  # a template writes a number or a string alike ("30d" where the default is 1)
    return expected


def _suggest(level: _Level, key: str, extra: tuple[str, ...], parent: YamlPath) -> tuple[str, ...]:
    candidates = {str(k) for k in level.defaults} if isinstance(level.defaults, dict) else set()
    candidates.update(schema_properties(level.schema, level.root))
    depth = len(level.at) + 1
    candidates.update(c[-1] for c in level.reads if len(c) == depth and c[:-1] == level.at)
    candidates.update(extra)
    close = difflib.get_close_matches(key, sorted(candidates), n=3, cutoff=0.6)
    return tuple(format_path((*parent, c)) for c in close)


def _step(node: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(node, dict) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[int(part)]
    return False, None


def describe(kind: str) -> str:
    return " or ".join(_ARTICLE.get(part, part) for part in kind.split(" or "))
