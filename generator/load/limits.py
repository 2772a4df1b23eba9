"""What loading refuses, shared by both loading paths."""

from __future__ import annotations

from generator.findings import Mark

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64
# A platform file uses a handful of aliases. Past this many, reading on costs seconds
# (every alias an event) for a document that the node budget refuses anyway.
MAX_ALIASES = 10_000


class LoadError(Exception):
    """A file that cannot become a document; carries a rule ID and a position."""

    def __init__(self, rule: str, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.mark = mark


def too_many_values(display: str) -> str:
    return f"{display} expands to more than {MAX_NODES:,} values (alias expansion?); refusing to read it"


def too_many_aliases(display: str) -> str:
    return f"{display} uses more than {MAX_ALIASES:,} aliases (`*name`); refusing to read it"


def recursive_alias(name: str) -> str:
    return (
        f"the alias *{name} is used inside the node its anchor &{name} names (a recursive alias "
        "or merge key), so it expands without end; point it at another anchor"
    )
