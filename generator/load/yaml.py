"""Loading YAML files with positions: the fast libyaml path first, ruamel.yaml where it declines.

Loading refuses what a platform file never needs and an attacker might send:
duplicate keys, alias expansion past a bound (billion laughs), oversized files,
deep nesting, and tags that would construct objects.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
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
from generator.load.convert import Converter
from generator.load.document import Document
from generator.load.fast import fast_load
from generator.load.limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LoadError,
    recursive_alias,
    too_many_aliases,
)


class _Constructor(RoundTripConstructor):
    """Dates stay text: the schema checks their format, with a position and a message."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


class _TooDeepError(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__("too deep")
        self.line = line
        self.column = column


class _RefusedAliasError(Exception):
    """Too many aliases, or an alias inside the node its anchor names; `message` says which."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
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
        self._open_anchors: list[str] = []  # anchors of the collections being composed
        self._aliases = 0
        self.display = ""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self._check_alias(event)
        if not isinstance(event, MappingStartEvent | SequenceStartEvent):
            return super().compose_node(parent, index)
        self._open += 1
        if event.anchor is not None:
            self._open_anchors.append(event.anchor)
        try:
            if self._open > MAX_DEPTH + 1:
                raise _TooDeepError(event.start_mark.line + 1, event.start_mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self._open -= 1
            if event.anchor is not None:
                self._open_anchors.pop()

    def _check_alias(self, event: Any) -> None:
        """Refused before ruamel builds it: a merge key into its own mapping (`a: &a {<<: *a}`)
        crashes its constructor, and any alias inside its own anchor expands without end."""
        self._aliases += 1
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if self._aliases > MAX_ALIASES:
            raise _RefusedAliasError(too_many_aliases(self.display), line, column)
        if event.anchor in self._open_anchors:
            raise _RefusedAliasError(recursive_alias(event.anchor), line, column)


class _Scanner(RoundTripScanner):
    """Stops at the depth limit while scanning `[` and `{`: ruamel looks up to 1,024 characters ahead
    for a possible key and re-checks every open flow level at each step, which makes `[[[[…`
    quadratic long before the composer sees it."""

    def fetch_flow_collection_start(self, *args: Any, **kwargs: Any) -> None:
        if len(self.flow_context) > MAX_DEPTH:
            mark = self.reader.get_mark()
            raise _TooDeepError(mark.line + 1, mark.column + 1)
        super().fetch_flow_collection_start(*args, **kwargs)


def _reader(display: str = "") -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.Composer = _Composer
    yaml.Scanner = _Scanner
    yaml.allow_duplicate_keys = False
    yaml.composer.display = display
    return yaml


def load_document(path: Path, display: str) -> Document:
    """Read one YAML file; `display` is the name findings use for it."""
    try:
        kind = _not_regular(path)
        if kind:
            raise LoadError("PC001", f"cannot read {display}: it is {kind}, not a file", Mark(display, 1, 1))
        with path.open("rb") as handle:
            # Never more than the limit in memory, whatever the file claims to be.
            raw = handle.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                raise _too_big(display, max(len(raw), os.fstat(handle.fileno()).st_size))
    except OSError as e:
        raise LoadError("PC001", f"cannot read {display}: {e.strerror or e}", Mark(display, 1, 1)) from e
    return load_text(raw, display)


def _not_regular(path: Path) -> str:
    """What `path` is when it is not a regular file (opening a FIFO would wait for a writer forever)."""
    if path.is_symlink() and not path.exists():
        return "a symbolic link to nothing"
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


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
    return fast_load(text, display) or careful_load(text, display)


def careful_load(text: str, display: str) -> Document:
    """ruamel.yaml's pure-Python reader: every file the fast path declines, with precise findings."""
    start = Mark(display, 1, 1)
    try:
        with warnings.catch_warnings():
            # ruamel warns (re-used anchors, YAML 1.1 floats); the schema judges values instead.
            warnings.simplefilter("ignore", YAMLWarning)
            warnings.simplefilter("ignore", YAMLFutureWarning)
            tree = _reader(display).load(io.StringIO(text))
    except _RefusedAliasError as e:
        raise LoadError("PC003", e.message, Mark(display, e.line, e.column)) from e
    except _TooDeepError as e:
        raise LoadError(
            "PC003",
            f"{display} nests deeper than {MAX_DEPTH} levels; refusing to read it",
            Mark(display, e.line, e.column),
        ) from e
    except DuplicateKeyError as e:
        raise LoadError("PC002", _duplicate_message(e, text), _mark_of(e, display)) from e
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
    return Converter(display).document(tree)


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


def _duplicate_message(error: DuplicateKeyError, text: str) -> str:
    from generator.load.duplicates import first_key_line

    problem = str(error.problem or "duplicate key")
    first = first_key_line(error, text)
    where = f" (first defined on line {first})" if first is not None else ""
    return f"{problem.rstrip('.')}{where}; a key may appear only once in a mapping"
