"""The one dump helper: fixed options, so rendered YAML never varies between runs or machines."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.emit.yamltext import BlockWriter, Unsure
from generator.load.document import YamlPath

_YAML11 = VersionedResolver(version=(1, 1))
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_STR_TAG = "tag:yaml.org,2002:str"


def _represent_str(representer: Any, data: str) -> Any:
    # NEL, LS and PS are line breaks to a YAML 1.1 reader: in a literal block or single quotes they
    # would be folded into spaces. Double quotes write them as the escapes `\N`, `\L` and `\P`.
    if _ODD_BREAKS.search(data):
        return representer.represent_scalar(_STR_TAG, data, style='"')
    if "\n" in data and not any(line != line.rstrip() for line in data.splitlines()):
        return representer.represent_scalar(_STR_TAG, data, style="|")
    # Helm and kubectl read YAML 1.1: `on`, `yes`, `0755` or `1:30` would turn into
    # booleans and numbers there, so such strings are always quoted.
    if data and _YAML11.resolve(ScalarNode, data, (True, False)) != _STR_TAG:
        return representer.represent_scalar(_STR_TAG, data, style="'")
    return representer.represent_str(data)


def _writer() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.representer.add_representer(str, _represent_str)
    yaml.representer.add_representer(LiteralScalarString, _represent_str)
    return yaml


_WRITER: YAML | None = None


def dump_yaml_reference(data: Any, *, documents: bool = False) -> str:
    """Serialize with ruamel.yaml: the definition of the output, which `dump_yaml` reproduces faster."""
    global _WRITER
    if _WRITER is None:
        _WRITER = _writer()
    stream = io.StringIO()
    if documents:
        _WRITER.explicit_start = True
        try:
            _WRITER.dump_all(list(data), stream)
        finally:
            _WRITER.explicit_start = False
    else:
        _WRITER.dump(data, stream)
    return stream.getvalue()


_FAST = BlockWriter(dump_yaml_reference)


def dump_yaml(data: Any, *, documents: bool = False) -> str:
    """Serialize with fixed options; `documents=True` writes a `---`-separated stream.

    The fast writer answers when it can prove its text is ruamel.yaml's; anything
    else (a shared container, a complex key, a scalar root...) goes through ruamel.yaml.
    """
    if documents:
        data = list(data)
    try:
        return _FAST.dump_all(data) if documents else _FAST.dump(data)
    except Unsure:
        return dump_yaml_reference(data, documents=documents)


def walk(data: Any, visit: Callable[[YamlPath, Any], None], path: YamlPath = ()) -> None:
    """Call `visit(path, value)` for every node, parents before children."""
    visit(path, data)
    if isinstance(data, dict):
        for key, value in data.items():
            walk(value, visit, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            walk(value, visit, (*path, index))
