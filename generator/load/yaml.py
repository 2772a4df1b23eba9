"""The one module that owns ruamel.yaml: loading with positions, and dumping.

Loading refuses what a platform file never needs and an attacker might send:
duplicate keys, alias expansion past a bound (billion laughs), oversized files,
deep nesting, and tags that would construct objects.
"""

from __future__ import annotations

import datetime
import io
import os
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedOrderedMap, CommentedSeq, CommentedSet, TaggedScalar
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLFutureWarning, YAMLWarning
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.scanner import RoundTripScanner

from generator.findings import Mark
from generator.load.document import Document, YamlPath

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64
_STR_TAGS = {"tag:yaml.org,2002:str", "!!str"}
# Types ruamel builds from standard tags a platform file never needs.
_REFUSED_TYPES: dict[type, str] = {
    CommentedOrderedMap: "tag:yaml.org,2002:omap",
    CommentedSet: "tag:yaml.org,2002:set",
    bytes: "tag:yaml.org,2002:binary",
    list: "tag:yaml.org,2002:pairs",
    tuple: "tag:yaml.org,2002:pairs",
}
_STANDARD_TAGS = {
    None,
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!map",
    "!!seq",
}


class LoadError(Exception):
    """A file that cannot become a document; carries a rule ID and a position."""

    def __init__(self, rule: str, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.mark = mark


class _Constructor(RoundTripConstructor):
    """Dates stay text: the schema checks their format, with a position and a message."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


class _TooDeepError(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__("too deep")
        self.line = line
        self.column = column


class _Composer(Composer):
    """Stops at the depth limit while composing, before Python's recursion limit.

    The converter below enforces MAX_DEPTH precisely; this guard only keeps a
    document nested thousands of levels deep (`[[[[…`, `- - - …`) from reaching
    ruamel's recursive composer and its quadratic scan of open flow levels.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self.warn_double_anchors = False  # a re-used anchor name is legal YAML
        self._open = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if not isinstance(event, MappingStartEvent | SequenceStartEvent):
            return super().compose_node(parent, index)
        self._open += 1
        try:
            if self._open > MAX_DEPTH + 1:
                raise _TooDeepError(event.start_mark.line + 1, event.start_mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self._open -= 1


class _Scanner(RoundTripScanner):
    """Stops at the depth limit while scanning `[` and `{`: ruamel looks up to 1,024 characters ahead
    for a possible key and re-checks every open flow level at each step, which makes `[[[[…`
    quadratic long before the composer sees it."""

    def fetch_flow_collection_start(self, *args: Any, **kwargs: Any) -> None:
        if len(self.flow_context) > MAX_DEPTH:
            mark = self.reader.get_mark()
            raise _TooDeepError(mark.line + 1, mark.column + 1)
        super().fetch_flow_collection_start(*args, **kwargs)


def _reader() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.Composer = _Composer
    yaml.Scanner = _Scanner
    yaml.allow_duplicate_keys = False
    return yaml


def load_document(path: Path, display: str) -> Document:
    """Read one YAML file; `display` is the name findings use for it."""
    try:
        with path.open("rb") as handle:
            # Never more than the limit in memory, whatever the file claims to be.
            raw = handle.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                raise _too_big(display, max(len(raw), os.fstat(handle.fileno()).st_size))
    except OSError as e:
        raise LoadError("PC001", f"cannot read {display}: {e.strerror or e}", Mark(display, 1, 1)) from e
    return load_text(raw, display)


def _too_big(display: str, size: int) -> LoadError:
    return LoadError(
        "PC003",
        f"{display} is {size:,} bytes; platformc reads files up to {MAX_FILE_BYTES:,} bytes",
        Mark(display, 1, 1),
    )


def load_text(raw: bytes, display: str) -> Document:
    start = Mark(display, 1, 1)
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(display, len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(
            "PC001", f"{display} is not UTF-8 text (byte {e.start})", Mark(display, line, column)
        ) from e
    if "\x00" in text:
        raise LoadError("PC001", f"{display} contains a NUL character; it is not a text file", start)
    try:
        with warnings.catch_warnings():
            # ruamel warns (re-used anchors, YAML 1.1 floats); the schema judges values instead.
            warnings.simplefilter("ignore", YAMLWarning)
            warnings.simplefilter("ignore", YAMLFutureWarning)
            tree = _reader().load(io.StringIO(text))
    except _TooDeepError as e:
        raise LoadError(
            "PC003",
            f"{display} nests deeper than {MAX_DEPTH} levels; refusing to read it",
            Mark(display, e.line, e.column),
        ) from e
    except DuplicateKeyError as e:
        raise LoadError("PC002", _duplicate_message(e), _mark_of(e, display)) from e
    except MarkedYAMLError as e:
        raise LoadError("PC001", _syntax_message(e), _mark_of(e, display)) from e
    except (YAMLError, RecursionError, ValueError) as e:
        raise LoadError("PC001", f"{display} is not valid YAML: {_plain(e)}", start) from e
    except TypeError as e:
        if "unhashable" not in str(e):
            raise
        # `? [a, [b]]: x` — ruamel cannot even build a key that is a list holding a list.
        message = "a mapping key is a list or a mapping; keys must be strings"
        raise LoadError("PC005", message, _complex_key_mark(text, display)) from e
    return _Converter(display).document(tree)


def _complex_key_mark(text: str, display: str) -> Mark:
    """Where the first mapping key that is itself a collection starts (events only, no construction)."""
    open_maps: list[list[bool] | None] = []  # per open collection: [next node is a key] for mappings
    try:
        for event in _reader().parse(io.StringIO(text)):
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                open_maps.pop()
                continue
            if not isinstance(event, MappingStartEvent | SequenceStartEvent | ScalarEvent | AliasEvent):
                continue
            frame = open_maps[-1] if open_maps else None
            if frame is not None:
                is_key = frame[0]
                frame[0] = not is_key
                if is_key and isinstance(event, MappingStartEvent | SequenceStartEvent):
                    return Mark(display, event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, MappingStartEvent):
                open_maps.append([True])
            elif isinstance(event, SequenceStartEvent):
                open_maps.append(None)
    except YAMLError:
        pass
    return Mark(display, 1, 1)


def _plain(error: Exception) -> str:
    if isinstance(error, ValueError) and "integer string conversion" in str(error):
        return "a number has more than 4,300 digits"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _mark_of(error: MarkedYAMLError, display: str) -> Mark:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Mark(display, 1, 1)
    return Mark(display, mark.line + 1, mark.column + 1)


def _syntax_message(error: MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    context = f" {error.context}" if error.context else ""
    hint = ""
    if "\\t" in problem or "\t" in problem or "tab" in problem:
        hint = "; YAML indentation uses spaces, never tabs"
    elif "mapping values are not allowed" in problem:
        hint = "; check the indentation of this line and the one above"
    return f"YAML syntax error: {problem}{context}{hint}"


def _duplicate_message(error: DuplicateKeyError) -> str:
    problem = str(error.problem or "duplicate key")
    first = error.context_mark
    where = f" (first defined on line {first.line + 1})" if first is not None else ""
    return f"{problem.rstrip('.')}{where}; a key may appear only once in a mapping"


class _Converter:
    """Turn ruamel's round-trip tree into plain data and a source map.

    Aliases are expanded here, so the node budget is what bounds them: a
    billion-laughs document stops after MAX_NODES nodes instead of eating memory.
    """

    def __init__(self, display: str) -> None:
        self.display = display
        self.keys: dict[YamlPath, Mark] = {}
        self.values: dict[YamlPath, Mark] = {}
        self.nodes = 0

    def document(self, tree: Any) -> Document:
        if tree is not None:
            self.values[()] = self._start_of(tree) or Mark(self.display, 1, 1)
        self._refuse_expansion(tree)
        data = self._convert(tree, (), 0)
        return Document(data=data, file=self.display, keys=self.keys, values=self.values)

    def _refuse_expansion(self, tree: Any) -> None:
        """Size the expanded document first (shared nodes counted once per use, not walked again),
        so an alias bomb is refused in milliseconds instead of after converting MAX_NODES values."""
        sizes: dict[int, int] = {}
        if _expanded_size(tree, sizes) <= MAX_NODES:
            return
        node, mark = tree, self.values.get((), Mark(self.display, 1, 1))
        while isinstance(node, CommentedMap):  # point at the entry that explodes, as deep as keys go
            heavy = [k for k in node if sizes.get(id(node[k]), 1) > MAX_NODES]
            if len(heavy) != 1:
                break
            node, mark = node[heavy[0]], self._start_of(node[heavy[0]]) or self._key_mark(node, heavy[0], ())
        raise LoadError(
            "PC003",
            f"{self.display} expands to more than {MAX_NODES:,} values (alias expansion?); "
            "refusing to read it",
            mark,
        )

    def _start_of(self, node: Any) -> Mark | None:
        lc = getattr(node, "lc", None)
        if lc is None or lc.line is None:
            return None
        return Mark(self.display, lc.line + 1, lc.col + 1)

    def _count(self, path: YamlPath) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LoadError(
                "PC003",
                f"{self.display} expands to more than {MAX_NODES:,} values (alias expansion?); "
                "refusing to read it",
                self.values.get(path[:-1], Mark(self.display, 1, 1)),
            )
        if len(path) > MAX_DEPTH:
            raise LoadError(
                "PC003",
                f"{self.display} nests deeper than {MAX_DEPTH} levels; refusing to read it",
                self.values.get(path[:-1], Mark(self.display, 1, 1)),
            )

    def _convert(self, node: Any, path: YamlPath, depth: int) -> Any:
        self._count(path)
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, TaggedScalar) and tag in _STR_TAGS:
            return self._text(str(node.value), path)  # `!!str 1.0` is how YAML spells a string
        refused = _REFUSED_TYPES.get(type(node))
        if refused is not None:
            tag = refused
        if refused or isinstance(node, TaggedScalar) or (tag is not None and tag not in _STANDARD_TAGS):
            mark = self.values.get(path, Mark(self.display, 1, 1))
            raise LoadError("PC001", f"YAML tag {tag!r} is not allowed in a platform file", mark)
        if isinstance(node, CommentedMap):
            return self._mapping(node, path, depth)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, path, depth)
        if isinstance(node, str):
            return self._text(node, path)
        return _scalar(node)

    def _text(self, value: str, path: YamlPath, *, key: bool = False) -> str:
        """Text that cannot be written back as UTF-8 (a lone surrogate from `"\\ud800"`) is refused."""
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as e:
                where = self.keys if key else self.values
                mark = where.get(path) or self.values.get(path[:-1], Mark(self.display, 1, 1))
                raise LoadError(
                    "PC001",
                    f"{'key' if key else 'value'} holds U+{ord(value[e.start]):04X}, "
                    "which is not a Unicode character (a lone surrogate escape); remove the escape",
                    mark,
                ) from e
        return str(value)

    def _mapping(self, node: CommentedMap, path: YamlPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in node:
            if not isinstance(key, str):
                # YAML allows `1:` or `true:` as keys; a platform file does not.
                key_text = _scalar_key(key)
                mark = self._key_mark(node, key, path)
                raise LoadError("PC005", f"mapping key {key_text!r} must be a string; quote it", mark)
            child = (*path, key)
            self.keys[child] = self._key_mark(node, key, path)
            self._text(key, child, key=True)
            # Keys merged in with `<<: *anchor` have no position in this mapping (lc.data may be None).
            position = node.lc.value(key) if key in (node.lc.data or {}) else None
            if position is not None:
                self.values[child] = Mark(self.display, position[0] + 1, position[1] + 1)
            out[str(key)] = self._convert(node[key], child, depth + 1)
        return out

    def _key_mark(self, node: CommentedMap, key: Any, path: YamlPath) -> Mark:
        try:
            line, column = node.lc.key(key)
        except (KeyError, TypeError):
            return self.values.get(path, Mark(self.display, 1, 1))
        return Mark(self.display, line + 1, column + 1)

    def _sequence(self, node: CommentedSeq, path: YamlPath, depth: int) -> list[Any]:
        out: list[Any] = []
        for index, item in enumerate(node):
            child = (*path, index)
            try:
                line, column = node.lc.item(index)
                self.values[child] = Mark(self.display, line + 1, column + 1)
            except (KeyError, TypeError):
                pass
            out.append(self._convert(item, child, depth + 1))
        return out


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """Values in `node` once aliases are expanded; memoized on identity, capped past the budget."""
    if not isinstance(node, CommentedMap | CommentedSeq):
        return 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = MAX_NODES + 1  # a node that contains itself expands without end
    children = node.values() if isinstance(node, CommentedMap) else node
    total = 1
    for child in children:
        total += _expanded_size(child, sizes)
        if total > MAX_NODES:
            break
    sizes[id(node)] = total
    return total


def _scalar_key(key: Any) -> str:
    return str(key)


def _scalar(node: Any) -> Any:
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, datetime.datetime | datetime.date):
        return node.isoformat()
    return str(node)
