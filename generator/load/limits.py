"""What loading refuses, shared by both loading paths."""

from __future__ import annotations

from generator.findings import Mark

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64


class LoadError(Exception):
    """A file that cannot become a document; carries a rule ID and a position."""

    def __init__(self, rule: str, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.mark = mark
