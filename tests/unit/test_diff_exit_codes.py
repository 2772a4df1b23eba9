"""The exit codes of `platformc diff` agree everywhere a reader or a CI job meets them.

The code's constants, the workflow and Makefile `platformc init` writes, README
and docs/ci.md: each says 0 no changes, 2 changes, 1 error (Helmfile's
`diff --detailed-exitcode`), and every scripted `platformc diff` accepts exactly
the "changes" code, so an error still fails the job.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator import __version__
from generator.options import DIFF_EXIT_CHANGES, DIFF_EXIT_ERROR, DIFF_EXIT_NO_CHANGES
from generator.templating import render_template

REPO = Path(__file__).resolve().parents[2]
_ACCEPTS = re.compile(r"platformc\)? diff[^\n]*\|\| test \$\$?\? -eq (\d+)", re.IGNORECASE)
_STATED = re.compile(r"`(\d)` no changes, `(\d)` changes, `(\d)` error")


def _sources() -> dict[str, str]:
    return {
        "workflow": render_template("init/github-workflow.yml.j2", platform="demo", version=__version__),
        "Makefile": render_template("init/Makefile.j2", platform="demo", version=__version__),
        "README.md": (REPO / "README.md").read_text(encoding="utf-8"),
        "docs/ci.md": (REPO / "docs" / "ci.md").read_text(encoding="utf-8"),
    }


def test_the_scheme_is_helmfiles_detailed_exitcode() -> None:
    assert (DIFF_EXIT_NO_CHANGES, DIFF_EXIT_CHANGES, DIFF_EXIT_ERROR) == (0, 2, 1)


def test_every_scripted_diff_accepts_changes_and_only_changes() -> None:
    for name in ("workflow", "Makefile", "docs/ci.md"):
        accepted = _ACCEPTS.findall(_sources()[name])
        assert accepted, f"{name} runs no `platformc diff … || test $? -eq N`"
        assert set(accepted) == {str(DIFF_EXIT_CHANGES)}, name


def test_readme_and_docs_state_the_codes_the_code_returns() -> None:
    expected = (str(DIFF_EXIT_NO_CHANGES), str(DIFF_EXIT_CHANGES), str(DIFF_EXIT_ERROR))
    for name in ("README.md", "docs/ci.md"):
        stated = _STATED.findall(_sources()[name])
        assert stated, f"{name} does not state the diff exit codes"
        assert set(stated) == {expected}, name


def test_nothing_still_says_exit_1_means_changes() -> None:
    for name, text in _sources().items():
        assert "exit 1 = changes" not in text and "`1` changes" not in text, name


def test_the_mismatch_this_test_catches() -> None:
    """The neighbour: a workflow that accepts 1 (the old scheme) is found."""
    old = 'platformc diff --base "origin/main" --format markdown > diff.md || test $? -eq 1'
    assert _ACCEPTS.findall(old) == ["1"]
