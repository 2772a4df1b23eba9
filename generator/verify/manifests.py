"""Reading rendered manifests the way Helm, Argo CD and the API server read them.

Two splitters cut a stream into documents, each the one its reader uses:

- `split_helm`: Helm's own (`releaseutil.SplitManifests`), applied to every
  rendered template: the regular expression `(?:^|\\s*\\n)---\\s*` (Go's `\\s`,
  ASCII whitespace), so a `---` glued to a comment (`---# Permission to ...`,
  as cert-manager's templates write it) or to a key still separates documents.
  Helm then prints each piece after its own `---` line, which is what Argo CD
  reads back.
- `split_kube`: the reader of `kubectl` and Argo CD (`k8s.io/apimachinery`
  `YAMLReader`, behind gitops-engine's `SplitYAML`), applied to plain manifest
  files (directory applications, CRD files): a line that starts with `---` ends a
  document when the rest of it is blank or a comment, and is an error otherwise;
  a stream whose first non-blank character is `{` is a stream of JSON values.

Kubernetes turns each document into JSON with sigs.k8s.io/yaml: YAML 1.1 (`on`,
`yes` are booleans), but no timestamps (`2024-01-31` stays a string), every
mapping key a string, and only the first document of a piece is read. PyYAML,
which kubernetes-validate brings, reads YAML 1.1 and is fast with libyaml; the
loader below drops its timestamp resolver (and that of `=`, which only PyYAML
reads as a "value" tag it then cannot construct) and the keys are made strings.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from typing import Any

# Go's unicode.IsSpace: the characters with Unicode's White_Space property
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_GO_SPACE += "\u2028\u2029\u202f\u205f\u3000"
# RE2's \s, in Helm's separator `(?:^|\s*\n)---\s*`
_RE2_SPACE = frozenset("\t\n\f\r ")
_SEPARATOR = "---"
# Argo CD sniffs this many bytes for a leading `{` (gitops-engine's SplitYAML)
_JSON_SNIFF_BYTES = 4096
# YAML 1.1 types PyYAML resolves and Go's YAML does not: a timestamp and `=` stay strings
_NOT_RESOLVED = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"})


def split_helm(text: str) -> list[str]:
    """The documents Helm's SplitManifests cuts a rendered template into, in order.

    The same cut as Helm's regular expression, found in one pass: a match is the
    whitespace run before a line starting with `---` (when that run ends with a
    newline), the `---`, and the whitespace after it. A backtracking regular
    expression would take quadratic time on a long run of blanks.
    """
    text = text.lstrip(_GO_SPACE)
    pieces: list[str] = []
    start = _skip_space(text, len(_SEPARATOR)) if text.startswith(_SEPARATOR) else 0
    while (newline := text.find("\n" + _SEPARATOR, start)) != -1:
        begin = newline
        while begin > start and text[begin - 1] in _RE2_SPACE:
            begin -= 1
        pieces.append(text[start:begin])
        start = _skip_space(text, newline + 1 + len(_SEPARATOR))
    pieces.append(text[start:])
    return [piece.lstrip(_GO_SPACE) for piece in pieces if piece]


def split_kube(text: str) -> list[str]:
    """The YAML documents kubectl and Argo CD read from a manifest file, in order.

    Lines end at a newline only (a carriage return before one is dropped), as Go's bufio reads them.
    Raises ValueError for a line starting with `---` followed by anything but a comment.
    """
    documents: list[str] = []
    lines: list[str] = []
    split = text.split("\n")
    if split[-1] == "":
        split.pop()  # the end of the text, after its last newline: no line
    for number, line in enumerate(split):
        if number < len(split) - 1 or text.endswith("\n"):
            line = line.removesuffix("\r")
        if line.startswith(_SEPARATOR):
            rest = line[len(_SEPARATOR) :].strip(_GO_SPACE)
            if rest and not rest.startswith("#"):
                raise ValueError(f"invalid YAML document separator: {rest}")
            if lines:
                documents.append("".join(lines))
            lines = []
        else:
            lines.append(line + "\n")
    if lines:
        documents.append("".join(lines))
    return documents


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in _RE2_SPACE:
        at += 1
    return at


def parse_manifests(text: str) -> list[Any]:
    """Every document of a manifest file as kubectl and Argo CD read it (`split_kube`).

    A document with nothing in it is None. Raises ValueError when it is not YAML.
    """
    head = text.encode("utf-8")[:_JSON_SNIFF_BYTES].decode("utf-8", errors="ignore")
    if head.lstrip(_GO_SPACE).startswith("{"):
        return _json_stream(text)
    return [parse_document(document) for document in split_kube(text)]


def parse_rendered(text: str) -> list[Any]:
    """Every document of one rendered template as Helm reads it (`split_helm`); ValueError if not YAML."""
    return [parse_document(document) for document in split_helm(text)]


def read_rendered(text: str) -> tuple[Any, ...]:
    """`parse_rendered`; a template of CRDs is remembered for the run (shared objects, never changed)."""
    if _CRD_KIND not in text:
        return tuple(parse_rendered(text))
    return _RENDERED.get(text, parse_rendered)


def read_crds(text: str) -> tuple[Any, ...]:
    """`parse_manifests` of a chart's CRD file, remembered for the run: shared, never to be changed."""
    return _CRDS.get(text, parse_manifests)


class _Memo:
    """What a large text parsed to, up to a budget of source characters: verify renders the same
    charts (their CRDs, most templates) in every environment, and reads them once."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.parsed: dict[str, tuple[Any, ...]] = {}
        self.lock = threading.Lock()

    def get(self, text: str, parse: Callable[[str], list[Any]]) -> tuple[Any, ...]:
        with self.lock:
            found = self.parsed.get(text)
        if found is not None:
            return found
        documents = tuple(parse(text))  # a ValueError is not remembered: it is reported each time
        with self.lock:
            if _MEMO_SMALLEST <= len(text) <= self.budget:
                self.parsed[text] = documents
                self.budget -= len(text)
        return documents


# Source characters whose parse is kept per kind. Only large texts of CustomResourceDefinitions are
# kept: upstream charts render the same ones in every environment and they take most of the time,
# while a platform's own templates, kept, would hold their objects for the whole run.
_MEMO_BUDGET = 32 * 1024 * 1024
_MEMO_SMALLEST = 8 * 1024
_CRD_KIND = "kind: CustomResourceDefinition"
_RENDERED = _Memo(_MEMO_BUDGET)
_CRDS = _Memo(_MEMO_BUDGET)


def parse_document(text: str) -> Any:
    """The first YAML document of `text` (None when there is none), as sigs.k8s.io/yaml reads it."""
    yaml = _yaml()
    try:
        for document in yaml.load_all(text, Loader=_kube_loader()):
            return _string_keys(document)
    except yaml.YAMLError as e:
        raise ValueError(str(e)) from e
    except RecursionError as e:  # an alias inside itself, or nesting past Python's stack
        raise ValueError("the document nests too deeply (or an alias contains itself)") from e
    return None


def _json_stream(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    values: list[Any] = []
    at = 0
    while True:
        at = len(text) - len(text[at:].lstrip(_GO_SPACE))
        if at >= len(text):
            return values
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as e:
            raise ValueError(f"not JSON: {e}") from e
        values.append(value)


def _yaml() -> Any:
    import yaml

    return yaml


@functools.cache
def _kube_loader() -> Any:
    yaml = _yaml()
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag not in _NOT_RESOLVED]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type("KubeLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def _string_keys(node: Any) -> Any:
    """Every mapping key a string, as in JSON. The parsed tree is fresh: changed in place, and a
    mapping is rebuilt only when a key is not a string already (the rare case)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list):
                node[key] = _string_keys(value)
        if all(type(key) is str for key in node):
            return node
        return {str(key): value for key, value in node.items()}
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict | list):
                node[index] = _string_keys(item)
    return node
