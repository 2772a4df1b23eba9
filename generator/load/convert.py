"""ruamel.yaml's round-trip tree to plain data and a source map: the careful loading path."""

from __future__ import annotations

import datetime
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedOrderedMap, CommentedSeq, CommentedSet, TaggedScalar

from generator.findings import Mark
from generator.load.document import Document, YamlPath
from generator.load.limits import MAX_DEPTH, MAX_NODES, LoadError, too_many_values

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


class Converter:
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
            too_many_values(self.display),
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
                too_many_values(self.display),
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
