"""What the acceptance tests share: platformc through its CLI, in-process or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

Run = Callable[..., tuple[int, str]]


def run_in_process(*args: str) -> tuple[int, str]:
    """platformc in-process (exceptions propagate): exit code and everything it printed."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def run() -> Run:
    return run_in_process


@dataclass(frozen=True)
class Process:
    code: int
    stdout: bytes
    stderr: str


@pytest.fixture(name="run_process")
def run_process_fixture() -> Callable[..., Process]:
    return run_process


def run_process(args: Sequence[str], *, env: dict[str, str] | None = None, shell_suffix: str = "") -> Process:
    """platformc as a process of its own (`python -m generator`), for what only a real process has:
    its own stdout (a full disk, a closed descriptor) and its own encoding. `shell_suffix` is
    appended to the command line run by /bin/sh (a redirection such as `>/dev/full`)."""
    command = [sys.executable, "-m", "generator", *args]
    full_env = {**os.environ, **(env or {})}
    if shell_suffix:
        line = " ".join(_quote(part) for part in command) + " " + shell_suffix
        done = subprocess.run(["/bin/sh", "-c", line], capture_output=True, env=full_env, timeout=300)
    else:
        done = subprocess.run(command, capture_output=True, env=full_env, timeout=300)
    return Process(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    """A platform made by `platformc init` (environments dev and prod), not rendered."""
    root = tmp_path / "demo"
    code, output = run_in_process("init", str(root))
    assert code == 0, output
    return root
