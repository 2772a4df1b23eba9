"""What the CLI parsed, handed to the core as frozen data (the core never sees click)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    root: Path
    envs: tuple[str, ...] = ()
    fmt: str = "text"
    color: bool = False
    out: Path | None = None
    verify: bool = True
    progress: bool = False  # one status line per environment on stderr (a terminal only)
    jobs: int = 0  # worker processes for emitting environments; 0: one per CPU
    verify_cache: Path | None = None  # where verify keeps results of unchanged sources; None: no cache
    mirrors: tuple[str, ...] = ()  # `vendor --mirror UPSTREAM=MIRROR`


@dataclass(frozen=True)
class DiffOptions:
    root: Path
    envs: tuple[str, ...] = ()
    base: str | None = None  # a Git revision; None: the rendered/ tree on disk
    promote: tuple[str, str] | None = None  # (from, to): what promoting `from` to `to` changes
    fmt: str = "text"
    color: bool = False
    progress: bool = False
    summary: bool = False  # the table of counts only, no object diffs
    apps: tuple[str, ...] = ()  # only these Applications; empty: all


@dataclass(frozen=True)
class GraphOptions:
    root: Path
    env: str | None = None
    fmt: str = "mermaid"


@dataclass(frozen=True)
class ExplainOptions:
    root: Path
    target: str  # `<app>/<component>`, or a component name that is unique
    env: str | None = None
    fmt: str = "text"


@dataclass(frozen=True)
class InitOptions:
    directory: Path
    name: str | None = None  # the platform's name; default: derived from the directory


@dataclass(frozen=True)
class RulesOptions:
    rule_id: str | None = None  # None: list every rule
    fmt: str = "text"


DIFF_FORMATS = ("text", "markdown", "json")
GRAPH_FORMATS = ("mermaid", "dot", "svg")
EXPLAIN_FORMATS = ("text", "json")
RULES_FORMATS = ("text", "json")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130

# `platformc diff` follows Helmfile's `diff --detailed-exitcode` (and `terraform plan
# -detailed-exitcode`): CI tells "changes" from "broken" without parsing the output.
DIFF_EXIT_NO_CHANGES = 0
DIFF_EXIT_ERROR = 1
DIFF_EXIT_CHANGES = 2
