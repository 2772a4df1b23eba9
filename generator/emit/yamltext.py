"""A fast block-style YAML writer that agrees byte for byte with the reference dump.

ruamel.yaml's emitter is pure Python and walks every node through a state
machine; rendering spent most of its time there. This writer covers the shape
manifests have — block mappings and sequences, `{}`/`[]`, ints, bools, null,
plain strings and literal blocks — with string concatenation, and asks the
reference how it would write any one scalar it is not sure of (quotes, floats,
unicode, indicators...), remembering the answer. When even that answer does not
fit (it spans lines, a key is not a simple string, a container appears twice and
would get an anchor, the root is a scalar, a line would reach the wrap width),
it raises `Unsure` and the caller dumps the whole data with ruamel.yaml.
Tests compare the two on generated data and on every rendered file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import LiteralScalarString

_STR_TAG = "tag:yaml.org,2002:str"
# The dumper resolves with YAML 1.2; the representer also quotes what YAML 1.1 would not read as text.
_RESOLVERS = (VersionedResolver(version=(1, 2)), VersionedResolver(version=(1, 1)))
# Printable ASCII without what would make ruamel quote a scalar: a leading indicator or space,
# `---`/`...` at the start, a lone or space-followed `-`. `: `, ` #` and the ends are checked apart.
_PLAIN = re.compile(r"(?!---|\.\.\.)(?:-(?=[!-~])|(?![-?:#,\[\]{}&*!|>'\"%@`])[!-~])[ -~]*")
# Line breaks ruamel knows besides `\n`: a literal block or a quoted scalar holding one is written
# over several lines, indented by position, so it takes the careful path.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")
# ruamel wraps lines past its width (4096), and writes a key as `? key` once the key and its
# tag (`!!str`, counted though never written) reach 128 characters.
_MAX_LINE = 4000
_MAX_SIMPLE_KEY = 122
_MAX_MEMO = 50_000
_STRINGS = (str, LiteralScalarString)


class Unsure(Exception):
    """The fast writer cannot prove it would write what ruamel.yaml writes."""


def _plain(text: str) -> bool:
    return (
        _PLAIN.fullmatch(text) is not None
        and ": " not in text
        and " #" not in text
        and text[-1] not in " :"
        and all(r.resolve(ScalarNode, text, (True, False)) == _STR_TAG for r in _RESOLVERS)
    )


def literal_header(text: str) -> str | None:
    """`|`, `|-`, `|+` (with `2` for a leading space or break) if the text is written as a literal block."""
    # The same test the representer makes: multi-line, and no line ends in whitespace.
    if "\n" not in text or any(line != line.rstrip() for line in text.splitlines()):
        return None
    if _ODD_BREAKS.search(text):
        raise Unsure("a line break other than \\n in a literal block")
    hints = "|2" if text[0] in " \n" else "|"
    if text[-1] != "\n":
        return hints + "-"
    if len(text) == 1 or text[-2] == "\n":
        return hints + "+"
    return hints


def _literal_body(text: str, indent: int) -> str:
    pad = " " * indent
    lines = (text if text[-1] == "\n" else text + "\n")[:-1].split("\n")
    return "".join(pad + line + "\n" if line else "\n" for line in lines)


class BlockWriter:
    """Writes plain data as block YAML; `reference` is the ruamel dump it must agree with."""

    def __init__(self, reference: Callable[[Any], str]) -> None:
        self._reference = reference
        self._values: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._floats: dict[str, str] = {}

    def dump(self, data: Any) -> str:
        out: list[str] = []
        self._document(out, data, "")
        self._close(out, data)
        return "".join(out)

    def dump_all(self, documents: list[Any]) -> str:
        out: list[str] = []
        for data in documents:
            self._document(out, data, "---")
        if documents:
            self._close(out, documents[-1])
        return "".join(out)

    def _document(self, out: list[str], data: Any, start: str) -> None:
        kind = type(data)
        if kind is not dict and kind is not list:
            raise Unsure("the root is not a mapping or a sequence")
        if not data:
            out.append((start + " " if start else "") + ("{}\n" if kind is dict else "[]\n"))
            return
        if start:
            out.append(start + "\n")
        # Containers met so far: ruamel anchors one met twice (within one document).
        seen = {id(data)}
        if kind is dict:
            self._mapping(out, data, 0, "", seen)
        else:
            self._sequence(out, data, 0, "", seen)

    @staticmethod
    def _close(out: list[str], data: Any) -> None:
        # A `|+` block as the very last scalar leaves the stream open-ended: ruamel closes it with `...`.
        while type(data) in (dict, list) and data:
            data = list(data.values())[-1] if type(data) is dict else data[-1]
        if type(data) in _STRINGS and (literal_header(data) or "").endswith("+"):
            out.append("...\n")

    @staticmethod
    def _container(value: Any, seen: set[int]) -> None:
        ident = id(value)
        if ident in seen:
            raise Unsure("a container appears twice: ruamel writes an anchor and an alias")
        seen.add(ident)

    def _mapping(self, out: list[str], data: dict[Any, Any], indent: int, lead: str, seen: set[int]) -> None:
        pad = " " * indent
        keys = self._keys
        for key, value in data.items():
            if type(key) not in _STRINGS:
                raise Unsure("a key that is not a string")
            text = keys.get(key)
            if text is None:
                text = self._key(key)
            line = lead + text + ":"
            lead = pad
            kind = type(value)
            if kind is dict or kind is list:
                self._container(value, seen)
                if not value:
                    out.append(line + (" {}\n" if kind is dict else " []\n"))
                elif kind is dict:
                    out.append(line + "\n")
                    self._mapping(out, value, indent + 2, pad + "  ", seen)
                else:
                    out.append(line + "\n")
                    self._sequence(out, value, indent, pad, seen)
            else:
                out.append(self._scalar(line + " ", value, indent + 2))

    def _sequence(self, out: list[str], data: list[Any], indent: int, lead: str, seen: set[int]) -> None:
        pad = " " * indent
        for value in data:
            line = lead + "- "
            lead = pad
            kind = type(value)
            if kind is dict or kind is list:
                self._container(value, seen)
                if not value:
                    out.append(line + ("{}\n" if kind is dict else "[]\n"))
                elif kind is dict:
                    self._mapping(out, value, indent + 2, line, seen)
                else:
                    self._sequence(out, value, indent + 2, line, seen)
            else:
                out.append(self._scalar(line, value, indent + 2))

    def _scalar(self, line: str, value: Any, indent: int) -> str:
        """The rest of the line after `line` for a scalar value; a literal block brings its own lines."""
        kind = type(value)
        if kind is str or kind is LiteralScalarString:
            text = self._values.get(value)
            if text is None:
                header = literal_header(value)
                if header is not None:
                    return line + header + "\n" + _literal_body(value, indent)
                text = self._value(value)
        elif kind is bool:
            text = "true" if value else "false"
        elif kind is int:
            text = str(value)
        elif value is None:
            text = "null"
        elif kind is float:
            text = self._float(value)
        else:
            raise Unsure(f"a value of type {kind.__name__}")
        if len(line) + len(text) > _MAX_LINE:
            raise Unsure("a line long enough for ruamel to wrap")
        return line + text + "\n"

    def _value(self, value: str) -> str:
        text = value if _plain(value) else self._ask(value)
        self._remember(self._values, value, text)
        return text

    def _ask(self, value: Any) -> str:
        """How ruamel writes one scalar as a sequence item; the same text follows `key: `."""
        written = self._reference([value])
        text = written[2:-1]
        if not written.startswith("- ") or not written.endswith("\n") or not text or _BREAKS.search(text):
            raise Unsure("ruamel writes this scalar over several lines")
        return text

    def _float(self, value: float) -> str:
        text = self._floats.get(repr(value))
        if text is None:
            text = self._ask(value)
            self._remember(self._floats, repr(value), text)
        return text

    def _key(self, key: str) -> str:
        if len(key) <= _MAX_SIMPLE_KEY and _plain(key):
            text = key
        else:
            written = self._reference({key: 0})
            text = written[:-4]
            if not written.endswith(": 0\n") or not text or _BREAKS.search(text) or text.startswith("? "):
                raise Unsure("ruamel writes this key as a complex key")
        self._remember(self._keys, key, text)
        return text

    @staticmethod
    def _remember(memo: dict[str, str], key: str, text: str) -> None:
        if len(memo) >= _MAX_MEMO:
            memo.clear()
        memo[key] = text
