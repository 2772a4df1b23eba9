"""Component templates: `spec.templates` of named component defaults, and `extends` on a component.

A component that `extends: [a, b]` (or `extends: a`) is the templates merged in
order, then its own keys, by the overlay rules (generator.merge.overlay): maps
merge, lists and scalars replace, `null` removes. A template may extend other
templates. Expansion runs on the merged document of one environment, before the
schema sees it, so a component is validated as it will run; every value keeps
the position it was written at, so a finding about a value a template gave
points at the template's line. A key the environment's overlay removed with
`null` stays removed, whatever a template says. `extends` itself is spent by
the expansion: the schema (whose component definition accepts a component with
`extends` as written, for editors) checks the merged component without it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from generator.findings import Finding, Mark, Severity, make_finding
from generator.load.document import Document, YamlPath, format_path

TEMPLATES: YamlPath = ("spec", "templates")
UNKNOWN_TEMPLATE = "PC030"
TEMPLATE_CYCLE = "PC031"


@dataclass
class _Layer:
    """Data and, for each path inside it, where in the document it was written (nearest entry wins)."""

    data: dict[str, Any]
    origins: dict[YamlPath, YamlPath] = field(default_factory=dict)


def _names_only(value: object) -> bool:
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def extended(value: object) -> list[tuple[int | None, str]]:
    """`extends` as (index in the list or None for a single name, template name)."""
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, list):
        return [(index, name) for index, name in enumerate(value) if isinstance(name, str)]
    return []


class _Expander:
    def __init__(self, doc: Document, env: str | None) -> None:
        self.doc = doc
        self.env = env
        spec = doc.data.get("spec") if isinstance(doc.data, dict) else None
        templates = spec.get("templates") if isinstance(spec, dict) else None
        self.templates: dict[str, Any] = templates if isinstance(templates, dict) else {}
        self.resolved: dict[str, _Layer] = {}
        self.findings: list[Finding] = []
        self.reported_cycles: set[str] = set()

    def finding(self, rule: str, message: str, path: YamlPath) -> None:
        mark = self.doc.mark(path)
        self.findings.append(make_finding(rule, Severity.ERROR, message, mark, format_path(path), self.env))

    def layers(self, value: object, where: YamlPath, chain: tuple[str, ...]) -> list[_Layer]:
        """The resolved templates `extends` (at `where`) names, in order; unknown ones are reported."""
        out: list[_Layer] = []
        if value is not None and not _names_only(value):
            self.finding(
                UNKNOWN_TEMPLATE,
                f"extends is {value!r}; write a template name or a list of template names",
                where,
            )
        for index, name in extended(value):
            at = where if index is None else (*where, index)
            if name not in self.templates or not isinstance(self.templates[name], dict):
                close = difflib.get_close_matches(name, list(self.templates), n=1, cutoff=0.6)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                known = ", ".join(sorted(self.templates)) or "none"
                self.finding(
                    UNKNOWN_TEMPLATE,
                    f'extends names template "{name}", which spec.templates does not declare{hint} '
                    f"(declared: {known})",
                    at,
                )
            elif name in chain:
                self.cycle(name, chain, at)
            else:
                out.append(self.template(name, chain))
        return out

    def cycle(self, name: str, chain: tuple[str, ...], at: YamlPath) -> None:
        loop = [*chain[chain.index(name) :], name]
        if name in self.reported_cycles:
            return
        self.reported_cycles.update(loop)
        self.finding(
            TEMPLATE_CYCLE,
            f"templates extend each other in a cycle: {' -> '.join(loop)}; remove one of these `extends`",
            at,
        )

    def template(self, name: str, chain: tuple[str, ...]) -> _Layer:
        if name in self.resolved:
            return self.resolved[name]
        body: dict[str, Any] = self.templates[name]
        where = (*TEMPLATES, name)
        parents = self.layers(body.get("extends"), (*where, "extends"), (*chain, name))
        own = {k: v for k, v in body.items() if k != "extends"}
        layer = _combine([*parents, _Layer(own, {(): where})])
        self.resolved[name] = layer
        return layer


def _combine(layers: list[_Layer]) -> _Layer:
    out = _Layer({}, {})
    for layer in layers:
        _merge_into(out, layer, ())
    return out


def _origin(layer: _Layer, rel: YamlPath) -> YamlPath:
    """The document path `rel` of the layer was written at."""
    for cut in range(len(rel), -1, -1):
        prefix = layer.origins.get(rel[:cut])
        if prefix is not None:
            return (*prefix, *rel[cut:])
    return rel


def _merge_into(acc: _Layer, layer: _Layer, rel: YamlPath) -> None:
    target = _get(acc.data, rel)
    for key, value in _get(layer.data, rel).items():
        child = (*rel, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = dict(target[key])  # copied: a resolved template is shared by its users
            _merge_into(acc, layer, child)
            continue
        for path in [p for p in acc.origins if p[: len(child)] == child]:
            del acc.origins[path]
        if value is None:
            target.pop(key, None)
            continue
        target[key] = value
        acc.origins[child] = _origin(layer, child)
        for path, prefix in layer.origins.items():
            if len(path) > len(child) and path[: len(child)] == child:
                acc.origins[path] = prefix


def _get(data: dict[str, Any], rel: YamlPath) -> dict[str, Any]:
    node = data
    for part in rel:
        node = node[str(part)]
    return node


def expand_templates(doc: Document, env: str | None) -> tuple[Document, list[Finding]]:
    """The document with every component's templates merged in, and PC030/PC031 findings."""
    if not isinstance(doc.data, dict):
        return doc, []
    expander = _Expander(doc, env)
    spec = doc.data.get("spec")
    apps = spec.get("applications") if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or not isinstance(apps, dict) or not _any_extends(apps):
        return doc, []
    keys = dict(doc.keys)
    values = dict(doc.values)
    inside = _paths_by_component(doc)
    new_apps: dict[str, Any] = {}
    for app_name, app in apps.items():
        components = app.get("components") if isinstance(app, dict) else None
        if not isinstance(components, dict):
            new_apps[app_name] = app
            continue
        new_components: dict[str, Any] = {}
        for name, component in components.items():
            path: YamlPath = ("spec", "applications", app_name, "components", name)
            if not isinstance(component, dict) or "extends" not in component:
                new_components[name] = component
                continue
            layer = _expand(expander, doc, component, path)
            new_components[name] = layer.data
            for old in inside.get(path, ()):
                keys.pop(old, None)
                values.pop(old, None)
            _relocate(doc, layer, path, keys, values)
        new_apps[app_name] = {**app, "components": new_components}
    data = {**doc.data, "spec": {**spec, "applications": new_apps}}
    return Document(data, doc.file, keys, values, doc.removed), expander.findings


def _any_extends(apps: dict[str, Any]) -> bool:
    for app in apps.values():
        components = app.get("components") if isinstance(app, dict) else None
        found = isinstance(components, dict) and any(
            isinstance(c, dict) and "extends" in c for c in components.values()
        )
        if found:
            return True
    return False


def _expand(expander: _Expander, doc: Document, component: dict[str, Any], path: YamlPath) -> _Layer:
    parents = expander.layers(component.get("extends"), (*path, "extends"), ())
    # `extends` is spent: the schema checks the merged component as it will run.
    own = {k: v for k, v in component.items() if k != "extends"}
    layer = _combine([*parents, _Layer(own, {(): path})])
    for removed in doc.removed:
        if removed[: len(path)] == path and len(removed) > len(path):
            _remove(layer.data, removed[len(path) :])
    return layer


def _remove(data: dict[str, Any], rel: YamlPath) -> None:
    """Remove `rel`, copying the mappings on the way: they may be a template's, shared."""
    node = data
    names = [str(part) for part in rel]
    for part in names[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            return
        node[part] = node = dict(child)
    node.pop(names[-1], None)


def _paths_by_component(doc: Document) -> dict[YamlPath, list[YamlPath]]:
    """Component path -> the positioned paths inside it, found in one pass over the document's marks."""
    out: dict[YamlPath, list[YamlPath]] = {}
    for path in {*doc.keys, *doc.values}:
        if len(path) > 5 and path[:2] == ("spec", "applications") and path[3] == "components":
            out.setdefault(path[:5], []).append(path)
    return out


def _relocate(
    doc: Document,
    layer: _Layer,
    path: YamlPath,
    keys: dict[YamlPath, Mark],
    values: dict[YamlPath, Mark],
) -> None:
    """Give every merged value under `path` the position it was written at (its old ones are gone)."""
    stack: list[tuple[YamlPath, Any]] = [((), layer.data)]
    while stack:
        rel, node = stack.pop()
        if rel:
            source = _origin(layer, rel)
            if source in doc.keys:
                keys[(*path, *rel)] = doc.keys[source]
            if source in doc.values:
                values[(*path, *rel)] = doc.values[source]
        if isinstance(node, dict):
            stack.extend(((*rel, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*rel, i), v) for i, v in enumerate(node))
