"""The files other tools read: pre-commit hooks, the project's CI, the user workflow in docs/ci.md."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

from generator import __version__
from generator.templating import render_template

REPO = Path(__file__).resolve().parents[2]


def load(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_pre_commit_hooks() -> None:
    hooks = {hook["id"]: hook for hook in load(REPO / ".pre-commit-hooks.yaml")}  # type: ignore[attr-defined]
    assert set(hooks) == {"platformc-validate", "platformc-check"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["entry"].startswith("platformc ")
    validate = re.compile(hooks["platformc-validate"]["files"])
    check = re.compile(hooks["platformc-check"]["files"])
    for path in ("platform.yaml", "overlays/dev.yaml", "overlays/prod.yml"):
        assert validate.search(path) and check.search(path)
    assert check.search("rendered/dev/root.yaml") and not validate.search("rendered/dev/root.yaml")
    for path in ("README.md", "generator/cli.py", "docs/platform.yaml", "overlays/x/dev.yaml"):
        assert not validate.search(path)


def test_project_ci_runs_test_lint_check_and_audit() -> None:
    workflow = load(REPO / ".github" / "workflows" / "ci.yml")
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]  # type: ignore[index]
    for target in ("make test ", "make test-slow", "make lint", "make check", "make audit"):
        assert any(run.startswith(target) for run in runs), target
    local = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in local if line.startswith("make ")] == [
        "make test",
        "make test-slow",
        "make lint",
        "make check",
        "make audit",
    ]


def test_docs_ci_shows_the_workflow_init_writes() -> None:
    docs = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    shown = docs.split("```yaml\n", 1)[1].split("```\n", 1)[0]
    written = render_template("init/github-workflow.yml.j2", platform="demo", version=__version__)
    assert shown == written[written.index("name: platform\n") :]
