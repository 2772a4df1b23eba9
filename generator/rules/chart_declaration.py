"""What an upstream chart declares as its values, read from its archive once per digest.

A chart declares its values in `values.yaml` (the defaults) and, optionally, in
`values.schema.json`. Its dependencies (`charts/<dir>/` or `charts/<name>.tgz`
inside the archive) declare theirs the same way; Helm hands a dependency the
parent's values under the dependency's alias (or its name) and shares `global`
with every chart of the tree.

Nothing here knows the platform: archive bytes in, `ChartDeclaration` out.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.helm_values import merge_maps
from generator.rules.template_flow import helper_bodies, whole_maps
from generator.upstream.archive import MAX_ARCHIVE_BYTES

# Helm's own bound on a chart's unpacked size: a gzip bomb stops here.
_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_MAX_FILE_BYTES = 8 * 1024 * 1024
_WANTED = ("Chart.yaml", "values.yaml", "values.schema.json")
# Istio's charts keep their defaults under `defaults:` and merge them into .Values in this template.
_PROFILE_TEMPLATE = "templates/zzz_profile.yaml"
_CACHE: dict[str, ChartDeclaration | None] = {}
# id(archive) -> (the archive, its digest): the bytes are kept, so an id is never reused while cached
_DIGESTS: dict[int, tuple[bytes, str]] = {}
# `.Values.a.b` (also `$.Values…`, `$root.Values…`) in a template: a value the chart reads.
_READ = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
# A map a template takes whole (ranges over its keys, omits some, writes it out as YAML or JSON):
# every key inside it reaches the output, so the chart leaves it open.
_WHOLE = re.compile(
    r"(?:range\s+\$\w+\s*,\s*\$\w+\s*:=\s*|\b(?:omit|toYaml|toJson|toPrettyJson|keys)\s+\(?\s*)"
    r"\$?\w*\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?![\w.])"
)
# `index .Values.a "b-c" "d"`: keys a template cannot reach with dots.
_INDEXED = re.compile(r'\bindex\s+\$?\w*\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)*)((?:\s+"[^"\\]*")+)')
_PIPED = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\|\s*(?:toYaml|toJson|toPrettyJson)\b")
# `{{- with .Values.a }} ... {{ toYaml . }}`: the map written out whole inside its `with` block.
_WITH_WHOLE = re.compile(
    r"\bwith\s+\$?\w*\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*-?\}\}"
    r"(?:(?!\{\{-?\s*(?:end|else|with|range|if)\b)[\s\S]){0,160}?"
    r"(?:toYaml|toJson|toPrettyJson)\s+\.\s"
)
# `tpl .Values.a.b $`, `tpl (toYaml .Values.a) .`, and Bitnami's `common.tplvalues.render` helper
# (`dict "value" .Values.a "context" $`): a value the chart runs through Helm's template engine.
_TEMPLATED = re.compile(
    r"(?:\btpl\s+\(?\s*(?:(?:toYaml|toJson|toPrettyJson)\s+)?\(?|"
    r"tplvalues\.render\"\s+\(\s*dict\s+\"value\"\s+)\s*\$?\w*\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)"
)
Chain = tuple[str, ...]


class ChartUnreadable(ValueError):
    """The archive cannot be read as a chart: its values cannot be checked."""


@dataclass(frozen=True)
class ChartDeclaration:
    """One chart's declared values: defaults, schema, and its dependencies by the key Helm gives them."""

    name: str
    version: str
    defaults: dict[str, Any]
    schema: dict[str, Any] | None
    dependencies: dict[str, ChartDeclaration | None] = field(default_factory=dict)
    # Paths the templates read (every prefix of every `.Values.a.b.c`), and maps they take whole.
    reads: frozenset[Chain] = frozenset()
    whole: frozenset[Chain] = frozenset()
    # Every helper (`define`) of the chart and its dependencies, by name: a template can include any.
    helpers: dict[str, str] = field(default_factory=dict)
    # Values the templates pass to `tpl`: text in them is a template Helm evaluates.
    templated: frozenset[Chain] = frozenset()

    def templated_values(self) -> frozenset[Chain]:
        """Every value of the tree a chart runs through `tpl`, as the parent's values name it."""
        found = set(self.templated)
        for key, dependency in self.dependencies.items():
            if dependency is not None:
                found.update((key, *chain) for chain in dependency.templated_values())
        return frozenset(found)

    def global_reads(self) -> tuple[frozenset[Chain], frozenset[Chain]]:
        """What any chart of the tree reads under `global`, and the global maps any takes whole."""
        reads = {c for c in self.reads if c[:1] == ("global",)}
        whole = {c for c in self.whole if c[:1] == ("global",)}
        for dependency in self.dependencies.values():
            if dependency is not None:
                sub_reads, sub_whole = dependency.global_reads()
                reads.update(sub_reads)
                whole.update(sub_whole)
        return frozenset(reads), frozenset(whole)

    def declared_globals(self) -> tuple[bool, dict[str, Any]]:
        """Whether any chart of the tree declares `global`, and every global default merged."""
        declared = "global" in self.defaults
        merged: dict[str, Any] = {}
        own = self.defaults.get("global")
        if isinstance(own, dict):
            merged = merge_maps(merged, own)
        for dependency in self.dependencies.values():
            if dependency is None:
                continue
            sub_declared, sub = dependency.declared_globals()
            declared = declared or sub_declared
            merged = merge_maps(merged, sub)
        return declared, merged


def declaration_of(archive: bytes) -> ChartDeclaration:
    """The chart in `archive`; read once per digest however many components or environments use it."""
    seen = _DIGESTS.get(id(archive))
    if seen is not None and seen[0] is archive:
        digest = seen[1]  # the same bytes object again (every component, every environment)
    else:
        digest = hashlib.sha256(archive).hexdigest()
        _DIGESTS[id(archive)] = (archive, digest)
    if digest not in _CACHE:
        try:
            _CACHE[digest] = read_declaration(archive)
        except ChartUnreadable:
            _CACHE[digest] = None
    found = _CACHE[digest]
    if found is None:
        raise ChartUnreadable("the archive is not a readable chart")
    return found


def read_declaration(archive: bytes) -> ChartDeclaration:
    if len(archive) > MAX_ARCHIVE_BYTES:
        raise ChartUnreadable("the archive is too large")
    files = _chart_files(archive)
    roots = {path.split("/", 1)[0] for path in files}
    if len(roots) != 1:
        raise ChartUnreadable("the archive does not hold exactly one chart")
    return _declaration(files, f"{roots.pop()}/")


def _chart_files(archive: bytes) -> dict[str, bytes]:
    """Chart.yaml, values.yaml, values.schema.json and nested archives, by path in the archive."""
    files: dict[str, bytes] = {}
    unpacked = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            for member in tar:
                unpacked += member.size
                if unpacked > _MAX_UNPACKED_BYTES:
                    raise ChartUnreadable("the archive unpacks past 100 MiB")
                if member.isfile() and _wanted(member.name) and member.size <= _MAX_FILE_BYTES:
                    stream = tar.extractfile(member)
                    if stream is not None:
                        files[member.name] = stream.read(_MAX_FILE_BYTES + 1)
    except (OSError, EOFError, tarfile.TarError) as e:
        raise ChartUnreadable(f"the archive cannot be read: {e}") from e
    return files


def _wanted(name: str) -> bool:
    parts = name.split("/")
    if "templates" in parts[1:-1]:
        return True
    if parts[-1] in _WANTED:
        return len(parts) == 2 or (len(parts) >= 4 and parts[-3] == "charts")
    return len(parts) >= 3 and parts[-2] == "charts" and parts[-1].endswith(".tgz")


def _declaration(files: dict[str, bytes], prefix: str) -> ChartDeclaration:
    metadata = _yaml_map(files.get(f"{prefix}Chart.yaml"))
    defaults = _yaml_map(files.get(f"{prefix}values.yaml"))
    if f"{prefix}{_PROFILE_TEMPLATE}" in files and isinstance(defaults.get("defaults"), dict):
        defaults = merge_maps(defaults, defaults["defaults"])
    schema = _schema(files.get(f"{prefix}values.schema.json"))
    bundled = _bundled_charts(files, prefix)
    dependencies: dict[str, ChartDeclaration | None] = {}
    for entry in metadata.get("dependencies") or []:
        if isinstance(entry, dict) and entry.get("name"):
            key = str(entry.get("alias") or entry["name"])
            dependencies[key] = bundled.get(str(entry["name"]))
    for name, chart in bundled.items():  # charts/ without a Chart.yaml entry are dependencies too
        if not any(d is chart for d in dependencies.values()):
            dependencies.setdefault(name, chart)
    helpers = _helpers(files, prefix, dependencies)
    reads, whole = _template_reads(files, f"{prefix}templates/", helpers)
    return ChartDeclaration(
        str(metadata.get("name", prefix.rstrip("/"))),
        str(metadata.get("version", "")),
        defaults,
        schema,
        dependencies,
        reads,
        whole,
        helpers,
        _templated(files, f"{prefix}templates/"),
    )


def _helpers(
    files: dict[str, bytes], prefix: str, dependencies: dict[str, ChartDeclaration | None]
) -> dict[str, str]:
    """The helpers the chart's templates can include: its own, its directories', its archives'."""
    helpers: dict[str, str] = {}
    for dependency in dependencies.values():
        if dependency is not None:
            helpers.update(dependency.helpers)
    for path in sorted(files):
        if path.startswith(prefix) and "/templates/" in path and not path.endswith(".tgz"):
            helpers.update(helper_bodies(files[path].decode("utf-8", errors="replace")))
    return helpers


def _template_reads(
    files: dict[str, bytes], templates: str, helpers: dict[str, str]
) -> tuple[frozenset[Chain], frozenset[Chain]]:
    reads: set[Chain] = set()
    whole: set[Chain] = set()
    texts: list[str] = []
    for path, raw in sorted(files.items()):
        if not path.startswith(templates) or path.endswith(".tgz"):
            continue
        text = raw.decode("utf-8", errors="replace")
        texts.append(text)
        for match in _READ.finditer(text):
            chain = tuple(match.group(1)[1:].split("."))
            reads.update(chain[:end] for end in range(1, len(chain) + 1))
        for match in _INDEXED.finditer(text):
            chain = (*match.group(1)[1:].split("."), *re.findall(r'"([^"]*)"', match.group(2)))
            chain = tuple(part for part in chain if part)
            reads.update(chain[:end] for end in range(1, len(chain) + 1))
        for pattern in (_WHOLE, _PIPED, _WITH_WHOLE):
            whole.update(tuple(m.group(1)[1:].split(".")) for m in pattern.finditer(text))
    whole.update(whole_maps(texts, helpers))
    return frozenset(reads), frozenset(whole)


def _templated(files: dict[str, bytes], templates: str) -> frozenset[Chain]:
    found: set[Chain] = set()
    for path, raw in files.items():
        if path.startswith(templates) and not path.endswith(".tgz") and b"tpl" in raw:
            text = raw.decode("utf-8", errors="replace")
            found.update(tuple(m.group(1)[1:].split(".")) for m in _TEMPLATED.finditer(text))
    return frozenset(found)


def _bundled_charts(files: dict[str, bytes], prefix: str) -> dict[str, ChartDeclaration]:
    """The charts under `<prefix>charts/`, directories and archives, by their chart name."""
    charts: dict[str, ChartDeclaration] = {}
    below = f"{prefix}charts/"
    for path in sorted(files):
        rest = path[len(below) :] if path.startswith(below) else ""
        if rest.count("/") == 1 and rest.endswith("/Chart.yaml"):
            chart = _declaration(files, f"{below}{rest.split('/')[0]}/")
        elif "/" not in rest and rest.endswith(".tgz"):
            try:
                chart = read_declaration(files[path])
            except ChartUnreadable:
                continue
        else:
            continue
        charts.setdefault(chart.name, chart)
    return charts


def _yaml_map(raw: bytes | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _schema(raw: bytes | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
