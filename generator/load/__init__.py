"""Stage 1: read YAML files into plain data that remembers where every value came from."""

from __future__ import annotations

from generator.load.document import Document, YamlPath, format_path
from generator.load.limits import LoadError
from generator.load.yaml import load_document

__all__ = ["Document", "LoadError", "YamlPath", "format_path", "load_document"]
