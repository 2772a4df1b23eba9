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


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130
