"""Where a duplicated key first appeared: the line PC002 names beside the duplicate's own.

ruamel.yaml's DuplicateKeyError marks where the mapping starts, which is the
first key's line only when the duplicated key happens to come first. The
document is composed (nodes with positions, no construction, so no duplicate
check) and the key's first occurrence looked up in that mapping.
"""

from __future__ import annotations

import io
import re
import warnings

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_DUPLICATE_KEY = re.compile(r'found duplicate key "((?:[^"\\]|\\.)*)"')


def first_key_line(error: DuplicateKeyError, text: str) -> int | None:
    """The line of the key's first occurrence: ruamel's context mark is where its mapping starts."""
    start, named = error.context_mark, _DUPLICATE_KEY.search(str(error.problem or ""))
    if start is None:
        return None
    if named is None:
        return int(start.line) + 1
    try:
        with warnings.catch_warnings():  # re-used anchors and the like: the loader judged them
            warnings.simplefilter("ignore")
            root = YAML(typ="rt").compose(io.StringIO(text))
    except (YAMLError, RecursionError, ValueError):
        return int(start.line) + 1
    mapping = _node_at(root, start.line, start.column)
    for key, _ in getattr(mapping, "value", None) or []:
        if isinstance(key, ScalarNode) and str(key.value) == named.group(1):
            return int(key.start_mark.line) + 1
    return int(start.line) + 1


def _node_at(root: Node | None, line: int, column: int) -> MappingNode | None:
    """The mapping composed at (line, column), walked without recursion and each node once."""
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            if (node.start_mark.line, node.start_mark.column) == (line, column):
                return node
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return None
