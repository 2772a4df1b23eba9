"""No credential in any rendered file, and none in what platformc prints.

Every rendered file (the committed tree, a fresh render, and every tree the
fuzz campaign writes) is scanned by reliability_kit.secrets; the scanner itself
is proven on planted credentials. A literal password written into platform.yaml
is refused, masked in every output format, and never reaches rendered/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from reliability_kit.repo import REPO, CliResult, copy_inputs, run_cli
from reliability_kit.secrets import PLACEMENTS, PLANTED, SAFE, SECRET, plant_password, scan_file, scan_tree

FORMATS = ("text", "json", "github", "sarif")


def test_committed_tree_holds_no_credentials() -> None:
    files, hits = scan_tree(REPO / "rendered")
    assert files > 100
    assert [str(h) for h in hits] == []


def test_fresh_render_holds_no_credentials(reference_render: Path) -> None:
    files, hits = scan_tree(reference_render / "rendered")
    assert files > 100
    assert [str(h) for h in hits] == []


def test_secrets_in_the_tree_are_only_external_secret_references(reference_render: Path) -> None:
    for env_dir in (p for p in (reference_render / "rendered").iterdir() if p.is_dir()):
        for path in (env_dir / "secrets").rglob("*.yaml"):
            text = path.read_text()
            assert re.search(r"^kind: ExternalSecret$", text, re.MULTILINE), path
            assert "remoteRef:" in text and not re.search(r"^\s*(stringData|data):\s*\{?\w", text, re.M), path


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_scanner_finds_planted_credentials_and_masks_them(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PLANTED[name])
    hits = scan_file(path, name)
    assert hits, f"the scanner missed {name}"
    for hit in hits:
        assert (
            SECRET not in str(hit)
            and "AKIAIOSFODNN7EXAMPLE" not in str(hit)
            and "hunter2pass" not in str(hit)
        )


@pytest.mark.parametrize("name", sorted(SAFE))
def test_the_scanner_passes_references_and_digests(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SAFE[name])
    assert [str(h) for h in scan_file(path, name)] == []


# ------------------------------------------------------------------ a literal password in platform.yaml


def _planted(tmp_path: Path, placement: str) -> tuple[Path, str]:
    return plant_password(copy_inputs(tmp_path / "repo"), placement)


def test_a_literal_password_is_masked_in_every_format(tmp_path: Path) -> None:
    root, secret = _planted(tmp_path, "env value")
    for fmt in FORMATS:
        result = run_cli(["validate", "--root", str(root), "--env", "prod", "--format", fmt])
        assert result.code == 1, result.output
        assert secret not in result.output, f"--format {fmt} prints the password"
        assert "PC40" in result.output


@dataclass(frozen=True)
class Planted:
    secret: str
    validate: CliResult
    render: CliResult
    leaked: list[str]  # rendered files holding the secret


class PlantedRuns:
    """Each placement is validated and rendered once, whichever tests look at it."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self._done: dict[str, Planted] = {}

    def __getitem__(self, placement: str) -> Planted:
        if placement not in self._done:
            root, secret = plant_password(copy_inputs(self.work / placement.replace(" ", "-")), placement)
            validate = run_cli(["validate", "--root", str(root), "--env", "prod", "--format", "json"])
            render = run_cli(["render", "--root", str(root), "--env", "prod"])
            tree = root / "rendered" / "prod"
            files = [p for p in tree.rglob("*") if p.is_file()] if tree.is_dir() else []
            leaked = [str(p.relative_to(tree)) for p in files if secret in p.read_text()]
            self._done[placement] = Planted(secret, validate, render, leaked)
        return self._done[placement]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> PlantedRuns:
    return PlantedRuns(tmp_path_factory.mktemp("planted"))


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_a_literal_password_is_never_printed(planted: PlantedRuns, placement: str) -> None:
    run = planted[placement]
    assert run.secret not in run.validate.output, "validate prints the password"
    assert run.secret not in run.render.output, "render prints the password"


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_a_literal_password_never_reaches_rendered(planted: PlantedRuns, placement: str) -> None:
    assert planted[placement].leaked == []


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_a_literal_password_is_refused(planted: PlantedRuns, placement: str) -> None:
    run = planted[placement]
    assert run.validate.code == 1, run.validate.output
