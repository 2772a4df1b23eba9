"""The fast path of loading: libyaml's parser, when PyYAML brings it, builds the document directly.

It takes only the plain shape of a platform file: mappings with string keys,
sequences, and scalars whose YAML 1.2 meaning is unambiguous. Anything else —
a tag, a directive, a merge key, a duplicate key, a number
in an unusual notation, an alias to an unknown anchor, more than one document, a syntax error — returns None,
and the careful ruamel.yaml path reads the file and reports what is wrong with
it. So the two paths agree on data and types: the fast one answers only where
it is certain, and tests compare them on every file they have and on generated
ones. One position differs by design: a value left empty (`key:`) is placed
right after its key's colon here, where ruamel.yaml places it at the next token
(often the next line); libyaml's place is the one a reader looks at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from generator.findings import Mark
from generator.load.document import Document, YamlPath
from generator.load.limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_NODES,
    LoadError,
    too_many_aliases,
    too_many_values,
)

try:  # PyYAML built against libyaml; without it every file takes the careful path.
    from yaml import YAMLError
    from yaml._yaml import CParser
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
except ImportError:  # pragma: no cover - depends on the installation
    CParser = None  # type: ignore[misc,assignment]

# Anchors a platform file uses are a handful; each one costs a scan of the positions so far.
MAX_ANCHORS = 256
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# Everything else YAML 1.2 (and ruamel's leniencies: `_` separators, `0o`, `.inf`,
# timestamps, `<<`) could read as a non-string. Such a scalar goes the careful way.
_MAYBE_NOT_TEXT = re.compile(
    r"[-+]?[0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?0[box][0-9a-fA-F_]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?"
    r"|<<|="
)


# Text the two readers treat differently goes the careful way: YAML 1.1 breaks lines at NEL, LS
# and PS too (positions would differ), and ruamel refuses tabs in places libyaml accepts them.
_CAREFUL_TEXT = re.compile("[\t\x85\u2028\u2029\ufeff]|\r(?!\n)")


class _Unsure(Exception):
    """The fast path declines; the careful path decides."""


def available() -> bool:
    return CParser is not None


def plain_scalar(value: str) -> Any:
    """A plain scalar's meaning under YAML 1.2, or _Unsure when it is not obvious."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.fullmatch(value):
        if len(value) > 4000:
            raise _Unsure
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _MAYBE_NOT_TEXT.fullmatch(value):
        raise _Unsure
    return value


def _scalar(event: Any) -> Any:
    if event.tag is not None:
        raise _Unsure
    value = event.value
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:  # a lone surrogate escape: the careful path explains it
            raise _Unsure from e
    return plain_scalar(value) if event.style == "" else value


def _key(event: Any) -> str:
    if event.__class__ is not ScalarEvent or event.anchor is not None:
        raise _Unsure  # a collection as a key
    key = _scalar(event)
    if not isinstance(key, str) or key == "<<":
        raise _Unsure
    return key


class _Builder:
    """Builds data and the source map from the event stream, with an explicit stack (no recursion)."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.keys: dict[YamlPath, Mark] = {}
        self.values: dict[YamlPath, Mark] = {}
        self.anchors: dict[str, tuple[Any, list[tuple[YamlPath, Mark]], list[tuple[YamlPath, Mark]]]] = {}
        self.nodes = 0
        self.aliases = 0

    def _mark(self, event: Any) -> Mark:
        start = event.start_mark
        return Mark(self.display, start.line + 1, start.column + 1)

    def document(self, next_event: Callable[[], Any]) -> Document:
        if next_event().__class__ is not StreamStartEvent:
            raise _Unsure
        start = next_event()
        if start.__class__ is not DocumentStartEvent or start.version or start.tags:
            raise _Unsure
        first = next_event()
        if first.__class__ is not MappingStartEvent and first.__class__ is not SequenceStartEvent:
            raise _Unsure  # an empty or scalar document: the careful path reports it
        data = self._collection(first, next_event)
        if next_event().__class__ is not DocumentEndEvent or next_event().__class__ is not StreamEndEvent:
            raise _Unsure  # a second document
        return Document(data=data, file=self.display, keys=self.keys, values=self.values)

    def _collection(self, first: Any, next_event: Callable[[], Any]) -> Any:
        if first.anchor is not None or first.tag is not None:
            raise _Unsure
        root: Any = {} if first.__class__ is MappingStartEvent else []
        self.values[()] = self._mark(first)
        # A frame: [container, its path, the key awaiting a value (None while a key is due), its anchor,
        # and where its key and value positions start].
        stack: list[list[Any]] = [[root, (), None, None]]
        self.nodes = 1
        while stack:
            event = next_event()
            cls = event.__class__
            frame = stack[-1]
            container, path, key = frame[0], frame[1], frame[2]
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
                if frame[3] is not None:
                    self._anchor(frame[3], container, path, frame[4], frame[5])
                continue
            if isinstance(container, dict):
                if key is None:
                    key = _key(event)
                    if key in container:
                        raise _Unsure  # a duplicate key: the careful path names both lines
                    frame[2] = key
                    self.keys[(*path, key)] = self._mark(event)
                    continue
                child = (*path, key)
                frame[2] = None
            else:
                child = (*path, len(container))
            self._count(child, 1)
            self.values[child] = self._mark(event)
            if cls is ScalarEvent:
                value = _scalar(event)
                if event.anchor is not None:
                    self._anchor(event.anchor, value, child, len(self.keys), len(self.values) - 1)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag is not None:
                    raise _Unsure
                value = {} if cls is MappingStartEvent else []
                # With an anchor, where its positions start: it holds every one recorded after.
                stack.append([value, child, None, event.anchor, len(self.keys), len(self.values) - 1])
            else:
                value = self._alias(event.anchor, child)
            if isinstance(container, dict):
                container[key] = value
            else:
                container.append(value)
        return root

    def _count(self, path: YamlPath, nodes: int) -> None:
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            # Certain, and cheap to say here: handing a file this large to the careful path would
            # have ruamel parse all of it (tens of seconds for a few megabytes of aliases).
            raise LoadError(
                "PC003", too_many_values(self.display), self.values.get(path, Mark(self.display, 1, 1))
            )
        if len(path) > MAX_DEPTH:
            raise _Unsure  # the careful path names the limit and where it was crossed

    def _anchor(self, name: str, value: Any, path: YamlPath, key_start: int, value_start: int) -> None:
        """Remember an anchored node with the positions inside it, relative to it: the positions
        recorded since it started (the builder goes depth first, so those are its own)."""
        if len(self.anchors) >= MAX_ANCHORS:
            raise _Unsure
        depth = len(path)
        keys = [(p[depth:], m) for p, m in _since(self.keys, key_start)]
        values = [(p[depth:], m) for p, m in _since(self.values, value_start)]
        self.anchors[name] = (value, keys, values)

    def _alias(self, name: str, path: YamlPath) -> Any:
        """An alias expands to a copy of its anchor; positions inside it are the anchor's, as in ruamel."""
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise LoadError("PC003", too_many_aliases(self.display), self.values[path])
        if name not in self.anchors:
            raise _Unsure  # undefined, or an anchor used inside itself
        value, keys, values = self.anchors[name]
        self._count(path, len(values))
        if any(len(path) + len(relative) > MAX_DEPTH for relative, _ in values):
            raise _Unsure
        for relative, mark in keys:
            self.keys[path + relative] = mark
        for relative, mark in values:
            self.values[path + relative] = mark
        return _copy(value)


def _since(marks: dict[YamlPath, Mark], start: int) -> list[tuple[YamlPath, Mark]]:
    """The entries added to `marks` after its first `start` ones, in order, without walking those."""
    return list(islice(reversed(marks.items()), len(marks) - start))[::-1]


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def fast_load(text: str, display: str) -> Document | None:
    """The document, or None when the careful path must read this text.

    Raises LoadError where the answer is certain without the careful path: past the node budget."""
    if CParser is None or _CAREFUL_TEXT.search(text):
        return None
    parser = CParser(text)
    try:
        return _Builder(display).document(parser.get_event)
    except (_Unsure, YAMLError, ValueError, RecursionError, MemoryError):
        return None
    finally:
        parser.dispose()
