"""`platformc diff` through the CLI, on a platform made by `platformc init`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.options import DIFF_EXIT_CHANGES, DIFF_EXIT_ERROR
from tests.acceptance.conftest import Run


@pytest.fixture
def repo(run: Run, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    assert run("render", "--root", str(root))[0] == 0
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def scale_api(root: Path) -> None:
    edit(
        root / "overlays" / "prod.yaml",
        "        api:\n          replicas: 2",
        "        api:\n          replicas: 3",
    )


def test_no_change_exits_0(run: Run, repo: Path) -> None:
    code, output = run("diff", "--root", str(repo))
    assert code == 0, output
    assert "diff dev: rendered/dev on disk → platform.yaml rendered now: no changes" in output
    assert "diff prod:" in output


def test_a_change_shows_the_object_and_its_yaml_diff_and_exits_2(run: Run, repo: Path) -> None:
    scale_api(repo)
    code, output = run("diff", "--root", str(repo))
    assert code == DIFF_EXIT_CHANGES
    assert "diff dev: rendered/dev on disk → platform.yaml rendered now: no changes" in output
    assert (
        "diff prod: rendered/prod on disk → platform.yaml rendered now: 1 object in 1 application" in output
    )
    assert "  apps\n    ~ Deployment apps/api (changed)" in output
    assert "--- a/apps/Deployment/apps/api" in output
    assert "-  replicas: 2\n" in output and "+  replicas: 3\n" in output
    assert "\x1b[" not in output  # no colour when piped


def test_env_limits_the_environments(run: Run, repo: Path) -> None:
    scale_api(repo)
    code, output = run("diff", "--root", str(repo), "--env", "dev")
    assert code == 0
    assert "prod" not in output


def test_markdown_for_a_pull_request_comment(run: Run, repo: Path) -> None:
    scale_api(repo)
    code, output = run("diff", "--root", str(repo), "--format", "markdown")
    assert code == DIFF_EXIT_CHANGES
    assert "### platformc diff: 1 object change\n" in output
    assert "| prod | apps | 0 | 1 | 0 |" in output
    assert "| dev | *no changes* | 0 | 0 | 0 |" in output
    assert "<details>\n<summary><b>apps</b>: 1 changed in prod</summary>" in output
    assert "**~ `Deployment apps/api`** changed in prod" in output
    assert "```diff\n--- a/apps/Deployment/apps/api" in output
    assert output.count("<details>") == output.count("</details>") == 1


def test_json_contract(run: Run, repo: Path) -> None:
    scale_api(repo)
    code, output = run("diff", "--root", str(repo), "--env", "prod", "--format", "json")
    assert code == DIFF_EXIT_CHANGES
    payload = json.loads(output)
    assert payload["changed"] is True
    (env,) = payload["environments"]
    assert env["environment"] == "prod"
    assert env["summary"] == {"added": 0, "removed": 0, "changed": 1}
    (change,) = env["changes"]
    assert {k: change[k] for k in ("application", "kind", "namespace", "name", "status", "source")} == {
        "application": "apps",
        "kind": "Deployment",
        "namespace": "apps",
        "name": "api",
        "status": "changed",
        "source": "helm",
    }
    assert "+  replicas: 3" in change["diff"]


def test_added_and_removed_objects(run: Run, repo: Path) -> None:
    edit(repo / "platform.yaml", "          ingress: {host: web, port: http}\n", "")
    code, output = run("diff", "--root", str(repo), "--env", "dev")
    assert code == DIFF_EXIT_CHANGES
    assert "- Ingress apps/web (removed)" in output
    assert "+++ /dev/null" in output


def test_upstream_chart_not_vendored_is_shown_as_its_values_and_labelled(run: Run, repo: Path) -> None:
    edit(repo / "platform.yaml", "installCRDs: true", "installCRDs: true\n            replicaCount: 2")
    code, output = run("diff", "--root", str(repo), "--env", "dev")
    assert code == DIFF_EXIT_CHANGES
    assert "~ Values external-secrets/external-secrets (changed) [upstream chart not vendored" in output
    assert "+  replicaCount: 2" in output


def test_refuses_a_platform_with_errors(run: Run, repo: Path) -> None:
    edit(repo / "platform.yaml", "${ref:postgres.postgres}", "${ref:postgres.nope}")
    code, output = run("diff", "--root", str(repo))
    assert code == DIFF_EXIT_ERROR
    assert "diff refused: platform.yaml does not render" in output
    assert "PC1" in output  # the wiring rule that names the port


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-C", str(root), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_base_revision_reads_git_without_touching_the_work_tree(run: Run, repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    scale_api(repo)
    status = git(repo, "status", "--porcelain")
    code, output = run("diff", "--root", str(repo), "--base", "HEAD")
    assert code == DIFF_EXIT_CHANGES, output
    assert "diff prod: HEAD (" in output and "→ working tree: 1 object in 1 application" in output
    assert "+  replicas: 3" in output
    assert git(repo, "status", "--porcelain") == status
    assert len(git(repo, "worktree", "list").splitlines()) == 1


def test_base_revision_errors(run: Run, repo: Path) -> None:
    shutil.rmtree(repo / ".git")  # the repository `platformc init` made
    code, output = run("diff", "--root", str(repo), "--base", "HEAD")
    assert code == DIFF_EXIT_ERROR
    assert "is not inside a Git repository" in output
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    code, output = run("diff", "--root", str(repo), "--base", "no-such-branch")
    assert code == DIFF_EXIT_ERROR
    assert "--base no-such-branch: no such revision" in output


def test_promotion_ignores_what_names_the_environment(run: Run, repo: Path) -> None:
    edit(repo / "overlays" / "prod.yaml", "    targetRevision: main", "    targetRevision: release")
    code, output = run("diff", "--root", str(repo), "--envs", "dev", "prod", "--format", "json")
    assert code == DIFF_EXIT_CHANGES
    (env,) = json.loads(output)["environments"]
    assert env["environment"] == "dev → prod"
    changed = {(c["kind"], c["name"]) for c in env["changes"]}
    # rendered/dev vs rendered/prod, targetRevision and the root Application's name are not changes…
    assert not any(kind in ("Application", "AppProject") for kind, _ in changed)
    # …but what the overlays set differently is.
    assert ("Deployment", "api") in changed
    assert ("PodDisruptionBudget", "api") in changed
    assert ("Ingress", "web") in changed  # dev.example.com against example.com


def test_promotion_takes_two_different_known_environments(run: Run, repo: Path) -> None:
    assert run("diff", "--root", str(repo), "--envs", "dev", "dev")[0] == DIFF_EXIT_ERROR
    code, output = run("diff", "--root", str(repo), "--envs", "dev", "qa")
    assert code == DIFF_EXIT_ERROR
    assert "unknown environment 'qa'" in output
    code, output = run("diff", "--root", str(repo), "--envs", "dev", "prod", "--base", "HEAD")
    assert code == DIFF_EXIT_ERROR
    assert "takes neither --env nor --base" in output


def test_base_revision_when_the_platform_is_a_subdirectory_of_the_repository(
    run: Run, tmp_path: Path
) -> None:
    root = tmp_path / "monorepo" / "platform"
    root.parent.mkdir()
    git(root.parent, "init", "-q")
    assert run("init", str(root))[0] == 0  # inside the repository: no `git init` of its own
    git(root.parent, "add", "-A")
    git(root.parent, "commit", "-qm", "start")
    scale_api(root)
    (root / "overlays" / "staging.yaml").write_text("spec: {}\n")  # an environment new since HEAD
    code, output = run("diff", "--root", str(root), "--base", "HEAD", "--format", "json")
    assert code == DIFF_EXIT_CHANGES, output
    envs = {e["environment"]: e for e in json.loads(output)["environments"]}
    assert envs["dev"]["changes"] == []
    assert [c["name"] for c in envs["prod"]["changes"]] == ["api"]
    assert envs["staging"]["summary"]["removed"] == 0 and envs["staging"]["summary"]["added"] > 10


def test_a_usage_error_is_an_error_not_changes(run: Run, repo: Path) -> None:
    code, output = run("diff", "--root", str(repo), "--format", "nope")
    assert code == DIFF_EXIT_ERROR
    assert "Invalid value for '--format'" in output


def test_summary_prints_counts_without_diffs(run: Run, repo: Path) -> None:
    scale_api(repo)
    code, output = run("diff", "--root", str(repo), "--summary")
    assert code == DIFF_EXIT_CHANGES
    assert output.splitlines()[1:] == [
        "diff prod: rendered/prod on disk → platform.yaml rendered now: 1 object in 1 application: 1 changed",
        "  apps: 1 changed",
    ]
    assert "replicas" not in output
    code, output = run("diff", "--root", str(repo), "--summary", "--format", "json")
    (_, prod) = json.loads(output)["environments"]
    assert prod["applications"] == {"apps": {"added": 0, "changed": 1, "removed": 0}}
    assert "changes" not in prod


def test_app_keeps_one_applications_changes(run: Run, repo: Path) -> None:
    scale_api(repo)
    edit(repo / "platform.yaml", "installCRDs: true", "installCRDs: true\n            replicaCount: 2")
    code, output = run("diff", "--root", str(repo), "--env", "prod", "--app", "apps")
    assert code == DIFF_EXIT_CHANGES
    assert "Deployment apps/api" in output and "external-secrets" not in output
    code, output = run("diff", "--root", str(repo), "--env", "prod", "--app", "external-secrets")
    assert code == DIFF_EXIT_CHANGES
    assert "Values external-secrets/external-secrets" in output and "apps/api" not in output
    code, output = run("diff", "--root", str(repo), "--env", "dev", "--app", "apps")
    assert code == 0  # dev's api is not scaled: nothing of `apps` changes there


def test_app_can_name_what_platformc_adds(run: Run, repo: Path) -> None:
    edit(repo / "platform.yaml", "refreshInterval: 1h", "refreshInterval: 5m")
    code, output = run("diff", "--root", str(repo), "--env", "dev", "--app", "platform-secrets", "--summary")
    assert code == DIFF_EXIT_CHANGES, output
    assert output.splitlines()[1:] == ["  platform-secrets: 1 changed"]


def test_app_must_name_an_application(run: Run, repo: Path) -> None:
    code, output = run("diff", "--root", str(repo), "--app", "nope")
    assert code == DIFF_EXIT_ERROR
    assert "--app nope: no such application; known: apps, external-secrets" in output


AIRFLOW = Path(__file__).parent / "data" / "airflow-application.yaml"


def add_airflow(root: Path) -> None:
    """An Airflow application of six components (database, broker, scheduler, webserver with an
    ingress, worker, triggerer) sharing their settings through a YAML anchor."""
    edit(
        root / "platform.yaml",
        "    external-secrets: {}\n    apps:\n",
        "    external-secrets: {}\n    airflow: {}\n    apps:\n",
    )
    edit(root / "platform.yaml", "  applications:\n", "  applications:\n" + AIRFLOW.read_text())
    edit(
        root / "platform.yaml",
        "    items:\n",
        "    items:\n      airflow-db: {namespace: airflow, path: demo/airflow-db, keys: [password]}\n",
    )


def test_markdown_of_a_new_application_fits_one_comment(run: Run, repo: Path) -> None:
    add_airflow(repo)
    code, output = run("diff", "--root", str(repo), "--format", "markdown")
    assert code == DIFF_EXIT_CHANGES, output
    assert len(output) <= 65_536
    head, details = output.split("<details>", 1)
    assert "| dev | airflow | 28 | 0 | 0 |" in head and "| prod | airflow | 28 | 0 | 0 |" in head
    assert "<summary><b>airflow</b>: 28 added in dev; 28 added in prod</summary>" in details
    # The same object added in both environments is shown once, naming both.
    assert details.count("`Deployment airflow/worker`") == 1
    assert "**+ `Deployment airflow/worker`** added in dev, prod" in details
    # …and one that differs (the ingress host) once per environment.
    assert details.count("`Ingress airflow/webserver`") == 2
    assert output.count("<details>") == output.count("</details>")
