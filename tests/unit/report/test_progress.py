from __future__ import annotations

import io
import sys

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.cli import running as cli_module
from generator.report.progress import Progress


def test_progress_overwrites_one_line_and_clears_it() -> None:
    stream = io.StringIO()
    with Progress(True, stream) as progress:
        progress.step("rendering dev (1/2)")
        progress.step("writing dev")
    assert stream.getvalue() == ("\rrendering dev (1/2)" + "\rwriting dev        " + "\r" + " " * 11 + "\r")


def test_disabled_progress_writes_nothing() -> None:
    stream = io.StringIO()
    with Progress(False, stream) as progress:
        progress.step("rendering dev")
    assert stream.getvalue() == ""


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: object) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path) + "/p"], catch_exceptions=False)
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["validate", "--root", str(tmp_path) + "/p"], catch_exceptions=False)
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("tty", "no_color", "fmt", "expected"),
    [
        (True, False, "text", True),
        (False, False, "text", False),  # piped
        (True, True, "text", False),  # NO_COLOR
        (True, False, "json", False),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, tty: bool, no_color: bool, fmt: str, expected: bool
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module.color_for(fmt) is expected
