"""Plain data plus a source map: the shape every later stage reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.findings import Mark

YamlPath = tuple[str | int, ...]


def format_path(path: YamlPath) -> str:
    """`('spec', 'applications', 'kafka', 'components', 0)` -> `spec.applications.kafka.components[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Document:
    """A YAML document as JSON-like data, with the position of every key and value.

    `keys[path]` is where the key of a mapping entry stands, `values[path]` where
    its value (or a sequence item) starts. Values merged in from an overlay keep
    the overlay's positions, so findings point at the file that caused them.
    """

    data: Any
    file: str
    keys: Mapping[YamlPath, Mark] = field(default_factory=dict)
    values: Mapping[YamlPath, Mark] = field(default_factory=dict)
    # Keys an overlay removed with `null`, at that `null`: a finding about a key that is gone
    # points at what removed it, not at the base file that still has it.
    removed: Mapping[YamlPath, Mark] = field(default_factory=dict)

    def mark(self, path: YamlPath, *, prefer_key: bool = False) -> Mark:
        """The closest known position for `path`, walking up to its parents."""
        probe = tuple(path)
        while True:
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            if probe in first:
                return first[probe]
            if probe in second:
                return second[probe]
            if not probe:
                return Mark(self.file, 1, 1)
            probe = probe[:-1]

    def get(self, path: YamlPath, default: Any = None) -> Any:
        node = self.data
        for part in path:
            in_list = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
            in_map = isinstance(part, str) and isinstance(node, dict) and part in node
            if not (in_list or in_map):
                return default
            node = node[part]
        return node
