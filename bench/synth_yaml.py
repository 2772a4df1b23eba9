"""Serialize synthetic platforms with ruamel.yaml, in the reference file's style.

Small leaf mappings and lists of scalars are written inline (`ports: {http: 8080}`),
everything else as blocks. The options are fixed, so the same data always gives
the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

_INLINE_WIDTH = 100


def _represent_none(representer: RoundTripRepresenter, _data: None) -> Any:
    # An overlay's `pdb: null` removes the key; write it out, not as an empty value.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _writer() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.representer.add_representer(type(None), _represent_none)
    return yaml


def dump(data: Any, header: str = "") -> str:
    """YAML text for plain data (dicts, lists, scalars), with an optional comment header."""
    node = _node(data)
    if header and isinstance(node, CommentedMap):
        node.yaml_set_start_comment(header)
    out = io.StringIO()
    _writer().dump(node, out)
    return out.getvalue()


def _node(data: Any) -> Any:
    if isinstance(data, dict):
        mapping = CommentedMap((key, _node(value)) for key, value in data.items())
        if data and _inline_length(data) <= _INLINE_WIDTH:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(data, list):
        seq = CommentedSeq(_node(item) for item in data)
        if data and _inline_length(data) <= _INLINE_WIDTH:
            seq.fa.set_flow_style()
        return seq
    if isinstance(data, str) and "\n" in data:
        return LiteralScalarString(data)
    return data


def _inline_length(data: Any) -> int:
    """Roughly how wide `data` is written inline; large when it should not be inline."""
    if isinstance(data, dict):
        if any(isinstance(value, list | dict) and not _is_leaf(value) for value in data.values()):
            return _INLINE_WIDTH + 1
        return sum(len(str(key)) + 2 + _inline_length(value) + 2 for key, value in data.items()) + 2
    if isinstance(data, list):
        if not all(_is_scalar(item) for item in data):
            return _INLINE_WIDTH + 1
        return sum(len(str(item)) + 2 for item in data) + 2
    if isinstance(data, str) and "\n" in data:
        return _INLINE_WIDTH + 1
    return len(str(data)) + 2


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


def _is_leaf(value: Any) -> bool:
    """A mapping of scalars (an env value's `{secret, key}`) or a list of scalars."""
    if isinstance(value, dict):
        return all(_is_scalar(item) for item in value.values())
    return all(_is_scalar(item) for item in value)
