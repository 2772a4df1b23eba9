"""The reliability suites: hostile input, the filesystem, secrets, determinism, PolicyExceptions.

Campaigns (`@pytest.mark.slow`) run in `make test-all` (CI) with moderate sizes and in
`make fuzz` with PLATFORMC_FUZZ_EXAMPLES examples; `make test` leaves them out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the shared campaigns: tests/reliability/reliability_kit

from reliability_kit.fuzz import prepare  # noqa: E402
from reliability_kit.repo import copy_inputs, run_cli  # noqa: E402


@pytest.fixture(scope="session")
def reference_render(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the reference inputs, rendered once per session; read it, never write it."""
    root = copy_inputs(tmp_path_factory.mktemp("reference") / "repo")
    result = run_cli(["render", "--root", str(root)])
    assert result.code == 0, result.output
    return root


@pytest.fixture(scope="module")
def prepared_repo(tmp_path_factory: pytest.TempPathFactory, reference_render: Path) -> Path:
    """A repository with an already rendered tree that a module's cases overwrite in turn."""
    return prepare(tmp_path_factory.mktemp("hostile") / "repo", rendered=reference_render / "rendered")
