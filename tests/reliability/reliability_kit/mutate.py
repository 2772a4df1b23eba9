"""Hypothesis strategies that mutate the reference platform and its overlays into hostile inputs.

A case starts from the real platform.yaml and overlays (parsed here with
PyYAML, independently of platformc) and applies one to four mutations: keys
deleted, values of the wrong type, hostile names (homoglyphs, `..`, `/`,
uppercase, 64+ characters), huge numbers, deep nesting, empty documents, new
overlays with odd environment names, and byte-level damage to the text.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from reliability_kit.repo import REPO
from reliability_kit.vocabulary import (
    FREE_TEXT_UNDER,
    HOSTILE_ENVS,
    RAW_DAMAGE,
    free_text,
    leaf,
    names,
    nested_values,
)

Path_ = tuple[str | int, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class Case:
    """One hostile input: the files to write (None deletes) and how it was made."""

    files: dict[str, bytes | None]
    steps: list[str] = field(default_factory=list)
    envs: tuple[str, ...] = ()  # --env for render and check; () means every environment
    fmt: str = "text"


@dataclass(frozen=True)
class BaseInputs:
    platform: Any
    overlays: dict[str, Any]

    @classmethod
    def read(cls, root: Path = REPO) -> BaseInputs:
        platform = yaml.load((root / "platform.yaml").read_text(encoding="utf-8"), Loader=_Loader)
        overlays = {
            p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader)
            for p in sorted((root / "overlays").glob("*.yaml"))
        }
        return cls(platform, overlays)


def dump(data: Any) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return str(text).encode("utf-8")


def all_paths(data: Any, path: Path_ = ()) -> list[Path_]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(all_paths(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out.extend(all_paths(value, (*path, index)))
    return out


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(doc: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


def _delete(doc: Any, path: Path_) -> Any:
    if not path:
        return None
    parent = _get(doc, path[:-1])
    del parent[path[-1]]
    return doc


def _rename(doc: Any, path: Path_, new: str) -> Any:
    parent = _get(doc, path[:-1])
    if not isinstance(parent, dict) or new in parent:
        return doc
    items = [(new if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return doc


def _nested(depth: int, leaf: Any, *, mapping: bool) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"k": value} if mapping else [value]
    return value


def _components(doc: Any) -> list[Path_]:
    apps = _dig(doc, ("spec", "applications"))
    out: list[Path_] = []
    if isinstance(apps, dict):
        for app, spec in apps.items():
            comps = spec.get("components") if isinstance(spec, dict) else None
            if isinstance(comps, dict):
                out.extend(("spec", "applications", app, "components", c) for c in comps)
    return out


def _dig(doc: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            return None
    return doc


HOSTILE_OPS = (
    "delete",
    "retype",
    "retype",
    "rename",
    "add",
    "clone-component",
    "rename-component",
    "namespace",
    "deep",
    "empty",
    "override",
    "free-text",
    "free-values",
)
# Valid but awkward: these keep the platform renderable, so emitters and the writer see odd data.
VALID_OPS = ("free-text", "free-values")


def _mutation(draw: st.DrawFn, docs: dict[str, Any], steps: list[str], ops: tuple[str, ...]) -> None:
    name = draw(st.sampled_from(sorted(docs)))
    doc = docs[name]
    op = draw(st.sampled_from(ops))
    paths = all_paths(doc)
    whole = _WHOLE_DOCUMENT_OPS.get(op)
    if whole is not None:
        if whole(draw, docs, name, steps):
            return
        if op in _RETYPE_WHEN_IDLE:
            op = "retype"
    _at_path(draw, docs, name, steps, op, draw(st.sampled_from(paths)))


def _free_text(draw: st.DrawFn, docs: dict[str, Any], name: str, steps: list[str]) -> bool:
    doc = docs[name]
    texts = [
        p for p in all_paths(doc) if isinstance(_get(doc, p), str) and FREE_TEXT_UNDER & set(map(str, p))
    ]
    if not texts:
        return False
    path, value = draw(st.sampled_from(texts)), draw(free_text)
    _set(doc, path, value)
    steps.append(f"{name}: {'.'.join(map(str, path))} = {value!r:.80}")
    return True


def _free_values(draw: st.DrawFn, docs: dict[str, Any], name: str, steps: list[str]) -> bool:
    platform = docs["platform.yaml"]
    charts = [
        c
        for c in _components(platform)
        if isinstance(_get(platform, c), dict) and isinstance(_get(platform, c).get("chart"), dict)
    ]
    if not charts:
        return False
    component = _get(platform, draw(st.sampled_from(charts)))
    chart_values = component.setdefault("values", {})
    if not isinstance(chart_values, dict):
        return False
    key, value = draw(names), draw(nested_values)
    chart_values[key] = value
    chart = component["chart"].get("name")
    steps.append(f"platform.yaml: values of chart {chart} gain {key!r}: {value!r:.80}")
    return True


def _empty(draw: st.DrawFn, docs: dict[str, Any], name: str, steps: list[str]) -> bool:
    docs[name] = draw(st.sampled_from([None, {}, [], "", 0, "spec"]))
    steps.append(f"{name}: whole document -> {docs[name]!r}")
    return True


def _component_op(op: str) -> Callable[[st.DrawFn, dict[str, Any], str, list[str]], bool]:
    def apply(draw: st.DrawFn, docs: dict[str, Any], name: str, steps: list[str]) -> bool:
        doc = docs["platform.yaml"]
        if not _components(doc):
            return False
        if op == "namespace":
            app = draw(st.sampled_from(_components(doc)))[:3]
            new = draw(names)
            _get(doc, app)["namespace"] = new
            steps.append(f"platform.yaml: {'.'.join(map(str, app))}.namespace = {new!r}")
            return True
        source = draw(st.sampled_from(_components(doc)))
        new = draw(names)
        if op == "clone-component":
            _get(doc, source[:-1])[new] = copy.deepcopy(_get(doc, source))
        else:
            _rename(doc, source, new)
        steps.append(f"platform.yaml: {op} {'.'.join(map(str, source))} as {new!r}")
        return True

    return apply


def _override(draw: st.DrawFn, docs: dict[str, Any], name: str, steps: list[str]) -> bool:
    """An overlay sets a path of the base to something else (merge across types)."""
    base_paths = [p for p in all_paths(docs["platform.yaml"]) if p and all(isinstance(x, str) for x in p)]
    overlays = [n for n in docs if n.startswith("overlays/")]
    if not (base_paths and overlays):
        return False
    target = draw(st.sampled_from(overlays))
    path = draw(st.sampled_from(base_paths))
    value = draw(nested_values)
    overlay = docs[target] if isinstance(docs[target], dict) else {}
    node = overlay
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[path[-1]] = value
    docs[target] = overlay
    steps.append(f"{target}: override {'.'.join(map(str, path))} = {value!r:.80}")
    return True


_WHOLE_DOCUMENT_OPS: dict[str, Callable[[st.DrawFn, dict[str, Any], str, list[str]], bool]] = {
    "free-text": _free_text,
    "free-values": _free_values,
    "empty": _empty,
    "clone-component": _component_op("clone-component"),
    "rename-component": _component_op("rename-component"),
    "namespace": _component_op("namespace"),
    "override": _override,
}
# Ops that fall back to a change of type where they find nothing to change.
_RETYPE_WHEN_IDLE = frozenset({"free-text", "free-values", "override"})


def _at_path(draw: st.DrawFn, docs: dict[str, Any], name: str, steps: list[str], op: str, path: Any) -> None:
    doc = docs[name]
    where = f"{name}: {'.'.join(map(str, path)) or '<root>'}"
    if op == "delete":
        docs[name] = _delete(doc, path)
        steps.append(f"{where} deleted")
    elif op == "rename" and path and isinstance(_get(doc, path[:-1]), dict):
        new = draw(names)
        docs[name] = _rename(doc, path, new)
        steps.append(f"{where} renamed to {new!r}")
    elif op == "add" and isinstance(_get(doc, path), dict):
        key, value = draw(names), draw(nested_values)
        _get(doc, path)[key] = value
        steps.append(f"{where} gains {key!r}: {value!r:.80}")
    elif op == "deep":
        depth = draw(st.integers(min_value=1, max_value=120))
        value = _nested(depth, draw(leaf), mapping=draw(st.booleans()))
        docs[name] = _set(doc, path, value)
        steps.append(f"{where} = nesting {depth} deep")
    else:
        value = draw(nested_values)
        docs[name] = _set(doc, path, value)
        steps.append(f"{where} = {value!r:.80}")


@st.composite
def cases(draw: st.DrawFn, base: BaseInputs, *, every_env: bool = True) -> Case:
    """A hostile case; `every_env=False` keeps to one environment per run (a quicker campaign)."""
    docs: dict[str, Any] = {"platform.yaml": copy.deepcopy(base.platform)}
    for env, overlay in base.overlays.items():
        docs[f"overlays/{env}.yaml"] = copy.deepcopy(overlay)
    steps: list[str] = []
    # About one case in four stays valid (odd text and chart values only) and so reaches the emitters and
    # the writer. (Hypothesis favours small integers: the rarer branch goes on the large ones.)
    valid = draw(st.integers(min_value=0, max_value=9)) >= 7
    new_env = None if valid else draw(st.one_of(st.none(), st.sampled_from(HOSTILE_ENVS)))
    if new_env is not None:
        docs[f"overlays/{new_env}.yaml"] = copy.deepcopy(draw(st.sampled_from(list(base.overlays.values()))))
        steps.append(f"new overlay overlays/{new_env}.yaml")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        _mutation(draw, docs, steps, VALID_OPS if valid else HOSTILE_OPS)
    files: dict[str, bytes | None] = {}
    for name, data in docs.items():
        try:
            files[name] = dump(data)
        except (yaml.YAMLError, ValueError, RecursionError) as e:  # e.g. an int too long to print
            steps.append(f"{name}: could not be dumped ({type(e).__name__}); written empty")
            files[name] = b""
    if not valid and draw(st.integers(min_value=0, max_value=5)) == 0:
        name = draw(st.sampled_from(sorted(files)))
        damage = draw(st.sampled_from(sorted(RAW_DAMAGE)))
        content = files[name] or b""
        at = draw(st.integers(min_value=0, max_value=max(0, len(content))))
        files[name] = RAW_DAMAGE[damage](content, at)
        steps.append(f"{name}: bytes damaged ({damage} at {at})")
    envs = sorted(
        n.removeprefix("overlays/").removesuffix(".yaml") for n in files if n.startswith("overlays/")
    )
    # One environment mostly (a render of all of them costs three times as much), all of them sometimes.
    every = every_env and draw(st.integers(min_value=0, max_value=4)) == 4
    selection: tuple[str, ...] = () if every else (draw(st.sampled_from(envs)),)
    fmt = draw(st.sampled_from(["text", "json", "github", "sarif"]))
    return Case(files=files, steps=steps, envs=selection, fmt=fmt)
