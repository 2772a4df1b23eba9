"""`platformc init`: a new repository that validates, renders and checks at once."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from generator import __version__
from tests.acceptance.conftest import Run


def test_a_new_platform_validates_renders_and_checks(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "acme-platform"
    code, output = run("init", str(root))
    assert code == 0, output
    assert f"next: cd {root} && make render" in output
    code, output = run("validate", "--root", str(root))
    # its one upstream chart is not vendored yet: one note says its values were not checked
    note = "values contract not checked for chart external-secrets 0.10.4: it is not vendored"
    assert code == 0, output
    assert output.splitlines() == [f"{note} (run `platformc vendor`)", "0 errors, 0 warnings"]
    code, output = run("render", "--root", str(root))
    assert code == 0, output
    assert (root / "rendered" / "dev" / "root.yaml").is_file()
    assert (root / "rendered" / "prod" / "apps" / "apps" / "Chart.yaml").is_file()
    # check verifies with Helm and the schemas; an upstream chart not vendored is a warning only.
    code, output = run("check", "--root", str(root))
    assert code == 0, output
    assert "0 errors" in output


def test_the_new_platform_shows_the_language(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    text = (root / "platform.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schemas/platform.schema.json\n")
    assert "metadata:\n  name: demo\n" in text
    assert text.count("chart: {repository:") == 1  # one upstream chart
    assert "{secret: app-db, key: password}" in text  # one secret
    assert "${ref:postgres.postgres}" in text  # one reference
    assert (
        "postgresql://app:${secret:app-db.password}@${ref:postgres.postgres}/app" in text
    )  # a secret in a DSN
    schema = json.loads((root / "schemas" / "platform.schema.json").read_text())
    Draft202012Validator.check_schema(schema)


def test_the_files_around_it(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    yaml = YAML(typ="safe")
    workflow = yaml.load((root / ".github" / "workflows" / "platform.yml").read_text())
    steps = " ".join(str(step.get("run", "")) for step in workflow["jobs"]["check"]["steps"])
    assert "platformc validate --format github" in steps
    assert 'platformc diff --base "origin/${{ github.base_ref }}" --format markdown' in steps
    assert "platformc check --format github" in steps
    hooks = yaml.load((root / ".pre-commit-config.yaml").read_text())
    # One hook: check validates first. The revision is the tag of the release that wrote it.
    assert [h["id"] for h in hooks["repos"][0]["hooks"]] == ["platformc-check"]
    assert hooks["repos"][0]["rev"] == f"v{__version__}"
    assert f"@v{__version__}" in workflow["env"]["PLATFORMC"]  # the same release in CI
    makefile = (root / "Makefile").read_text()
    for target in ("validate", "render", "diff", "check"):
        assert f"\n{target}:\n\t$(PLATFORMC) {target}" in makefile
    assert (root / ".gitignore").is_file()
    assert (root / "README.md").read_text().startswith("# demo\n")


def test_refuses_a_directory_that_is_not_empty(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, output = run("init", str(tmp_path))
    assert code == 2
    assert "is not empty; init never overwrites files" in output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("name", ["Acme", "acme_platform", "-acme", "a" * 64])
def test_refuses_a_name_kubernetes_would_refuse(run: Run, tmp_path: Path, name: str) -> None:
    code, output = run("init", str(tmp_path / "x"), "--name", name)
    assert code == 2
    assert "is not a Kubernetes name" in output
    assert not (tmp_path / "x").exists()


def test_derives_the_name_from_the_directory(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "My_Platform"
    assert run("init", str(root))[0] == 0
    assert "metadata:\n  name: my-platform\n" in (root / "platform.yaml").read_text()


def git_top(directory: Path) -> str:
    done = subprocess.run(["git", "-C", str(directory), "rev-parse", "--show-toplevel"], capture_output=True)
    return done.stdout.decode().strip()


def test_init_makes_a_git_repository(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    code, output = run("init", str(root))
    assert code == 0
    assert f"initialised a Git repository in {root}\n" in output
    assert (root / ".git").is_dir() and git_top(root) == str(root)


def test_init_inside_a_repository_leaves_it_alone(run: Run, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "mono")], check=True)
    root = tmp_path / "mono" / "platform"
    code, output = run("init", str(root))
    assert code == 0
    assert (
        f"not running `git init`: {root} is already inside the Git repository {tmp_path / 'mono'}" in output
    )
    assert not (root / ".git").exists()


def test_init_without_git_says_so(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, output = run("init", str(tmp_path / "demo"))
    assert code == 0
    assert "git is not on PATH, so no Git repository was created: run `git init` there" in output
    assert (tmp_path / "demo" / "platform.yaml").is_file() and not (tmp_path / "demo" / ".git").exists()


def test_docs_show_the_pre_commit_config_init_writes(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    written = (root / ".pre-commit-config.yaml").read_text()
    docs = (Path(__file__).resolve().parents[2] / "docs" / "ci.md").read_text()
    shown = docs.split("## pre-commit", 1)[1].split("```yaml\n", 1)[1].split("```\n", 1)[0]
    assert shown == written[written.index("repos:\n") :]
