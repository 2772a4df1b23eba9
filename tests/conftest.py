"""Shared fixtures: the project's own platform, copied so tests never touch the repo."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# ------------------------------------------------------------------ tests that must really fork
#
# generator.write.fork runs tasks serially once the Helm binding's Go runtime is loaded (a forked
# copy of it would deadlock), and a full run loads it early. A test marked `fork` therefore runs
# here when this process can still fork, and otherwise in one clean interpreter started for all
# of them, where it must fork: each keeps its own outcome, and none is ever skipped.

_FORK_CHILD = "PLATFORMC_FORK_TESTS_CHILD"
_FORK_OUTCOMES = pytest.StashKey[dict[str, str]]()
_FORK_IDS = pytest.StashKey[list[str]]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_FORK_IDS] = [item.nodeid for item in items if item.get_closest_marker("fork")]


def _junit_key(classname: str, name: str) -> str:
    return f"{classname}::{name}"


def _item_key(nodeid: str) -> str:
    path, _, name = nodeid.partition("::")
    return _junit_key(path.removesuffix(".py").replace("/", "."), name)


def _fork_outcomes(config: pytest.Config) -> dict[str, str]:
    """Every fork test's outcome in a clean interpreter: "" when it passed, else its failure text."""
    if _FORK_OUTCOMES in config.stash:
        return config.stash[_FORK_OUTCOMES]
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "fork.xml"
        command = [sys.executable, "-m", "pytest", "-m", "", "-p", "no:cacheprovider", f"--junitxml={report}"]
        # A plain pytest of its own: none of this run's worker or current-test variables.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env[_FORK_CHILD] = "1"
        done = subprocess.run(
            [*command, *config.stash[_FORK_IDS]],
            cwd=config.rootpath,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        outcomes: dict[str, str] = {}
        if report.is_file():
            for case in ElementTree.parse(report).iter("testcase"):
                problems = [p for p in case if p.tag in ("failure", "error", "skipped")]
                text = "\n".join(f"{p.tag}: {p.get('message', '')}\n{p.text or ''}" for p in problems)
                outcomes[_junit_key(case.get("classname", ""), case.get("name", ""))] = text
    if not outcomes:
        outcomes["<none>"] = (
            f"the fork tests did not run (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    config.stash[_FORK_OUTCOMES] = outcomes
    return outcomes


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if pyfuncitem.get_closest_marker("fork") is None:
        return None
    from generator.write.fork import can_fork

    if can_fork():
        return None  # forks here
    if os.environ.get(_FORK_CHILD):
        pytest.fail("a fork test in the clean interpreter, and generator.write.fork still cannot fork")
    outcomes = _fork_outcomes(pyfuncitem.config)
    key = _item_key(pyfuncitem.nodeid)
    if key not in outcomes:
        pytest.fail(f"{key} did not run in the clean interpreter: {outcomes.get('<none>', sorted(outcomes))}")
    if outcomes[key]:
        pytest.fail(f"in a clean interpreter:\n{outcomes[key]}", pytrace=False)
    return True


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the repository (the reference platform, charts, CRDs). A test that reads it
    fails when it is missing instead of skipping: a skipped test checks nothing."""
    if not (SHARED / "reference" / "platform.yaml").is_file():
        pytest.fail(f"{SHARED} is missing: the tests read the shared reference beside the repository")
    return SHARED


@pytest.fixture(autouse=True)
def verify_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own verify cache, never the user's (~/.cache/platformc/verify)."""
    directory = tmp_path_factory.mktemp("platformc-cache")
    monkeypatch.setenv("PLATFORMC_CACHE_DIR", str(directory))
    monkeypatch.delenv("PLATFORMC_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def platform_root(tmp_path: Path) -> Path:
    """A copy of the repository's platform.yaml and overlays (no rendered/)."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "platform.yaml", root / "platform.yaml")
    shutil.copytree(REPO / "overlays", root / "overlays")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ a chart repository on loopback


class ChartRepository:
    """Charts the tests build, packaged and served over HTTP on 127.0.0.1; `requests` logs each GET."""

    def __init__(self, directory: Path, sources: Path, url: str) -> None:
        self.directory = directory
        self.sources = sources
        self.url = url
        self.requests: list[str] = []

    def publish(self, name: str, version: str, templates: dict[str, str]) -> Path:
        """Package a chart into the repository and regenerate index.yaml; the archive's path."""
        import helm_python

        chart = self.sources / f"{name}-{version}"
        write(chart / "Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: {version}\n")
        for file, text in templates.items():
            write(chart / "templates" / file, text)
        archive = Path(helm_python.package(chart, destination=self.directory))
        helm_python.repo_index_generate(self.directory)
        return archive

    def set_digest(self, name: str, digest: str) -> None:
        index = self.directory / "index.yaml"
        lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
        entry = next(i for i, line in enumerate(lines) if line.strip() == f"{name}:")
        at = next(i for i in range(entry, len(lines)) if lines[i].lstrip().startswith("digest:"))
        lines[at] = lines[at].split("digest:")[0] + f'digest: "{digest}"\n'
        index.write_text("".join(lines), encoding="utf-8")


@contextlib.contextmanager
def serve_directory(directory: Path, log: list[str] | None = None) -> Iterator[str]:
    """`directory` served over HTTP on 127.0.0.1 (an ephemeral port) until the block ends; its URL."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    requests = log if log is not None else []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name=f"serve {directory.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def chart_repository(tmp_path: Path) -> Iterator[ChartRepository]:
    served = tmp_path / "chart-repository"
    served.mkdir()
    log: list[str] = []
    with serve_directory(served, log) as url:
        repository = ChartRepository(served, tmp_path / "chart-sources", url)
        repository.requests = log
        yield repository


def find_shared() -> Path | None:
    """The shared inputs (`shared/charts`, `shared/reference`): beside the repository or a parent of it."""
    for parent in REPO.parents:
        if (parent / "shared" / "charts" / "index.yaml").is_file():
            return parent / "shared"
    return None


@pytest.fixture(scope="session")
def shared_charts() -> Path:
    """../shared/charts, the chart repository holding every upstream chart the platform pins."""
    shared = find_shared()
    if shared is None:
        pytest.fail(f"no shared/charts/index.yaml beside {REPO} or any folder above it")
    return shared / "charts"


@pytest.fixture
def shared_charts_http(shared_charts: Path) -> Iterator[str]:
    """../shared/charts served on loopback: the HTTP form of a mirror."""
    with serve_directory(shared_charts) as url:
        yield url


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


CHART_PLATFORM = """\
apiVersion: platform.254carbon.com/v1alpha1
kind: Platform
metadata:
  name: mini
spec:
  kubernetesVersion: "1.31.0"
  domain: mini.example.com
  gitops:
    repoURL: https://git.example.com/mini.git
    targetRevision: main
    path: rendered
    argocd: {{namespace: argocd, project: mini}}
  registries: [docker.io]
  policy:
    kyverno:
      version: "1.12"
      exceptionNamespace: kyverno
      policies:
        require-ro-rootfs: [validate-readOnlyRootFilesystem]
  secrets:
    store:
      kind: ClusterSecretStore
      name: vault-backend
      vault:
        server: https://vault.example.com
        path: secret
        version: v2
        auth: {{kubernetes: {{mountPath: kubernetes, role: external-secrets}}}}
    items:
      web-token: {{namespace: web, path: mini/web, keys: [token]}}
  namespaces:
    argocd: {{}}
    kyverno: {{}}
    web: {{}}
  applications:
    web:
      namespace: web
      components:
        alpha:
          chart: {{repository: {repository}, name: alpha, version: 1.2.3}}
          exceptions:
            - policy: require-ro-rootfs
              reason: the test chart writes to its root filesystem
        beta:
          chart: {{repository: {repository}, name: beta, version: 0.4.0}}
"""


@pytest.fixture
def chart_platform(tmp_path: Path) -> Callable[[str], Path]:
    """Writes a small platform (envs dev and prod) whose app `web` pins alpha 1.2.3 and beta 0.4.0."""

    def make(repository: str) -> Path:
        root = tmp_path / "platform"
        write(root / "platform.yaml", CHART_PLATFORM.format(repository=repository))
        write(root / "overlays" / "dev.yaml", "spec: {}\n")
        write(root / "overlays" / "prod.yaml", "spec:\n  domain: prod.mini.example.com\n")
        return root

    return make


# ------------------------------------------------------------------ chart archives built in memory


def build_chart_archive(
    name: str,
    version: str = "1.0.0",
    *,
    values: dict[str, object] | None = None,
    schema: dict[str, object] | None = None,
    templates: dict[str, str] | None = None,
    dependencies: list[dict[str, object]] | None = None,
    subcharts: dict[str, bytes] | None = None,
) -> bytes:
    """A packaged chart `<name>/…`, byte for byte the same each time; `subcharts` go under `charts/`."""
    import gzip
    import io
    import json
    import tarfile

    import yaml

    metadata: dict[str, object] = {"apiVersion": "v2", "name": name, "version": version}
    if dependencies:
        metadata["dependencies"] = dependencies
    files: dict[str, bytes] = {f"{name}/Chart.yaml": yaml.safe_dump(metadata).encode()}
    if values is not None:
        files[f"{name}/values.yaml"] = yaml.safe_dump(values).encode()
    if schema is not None:
        files[f"{name}/values.schema.json"] = json.dumps(schema).encode()
    for file, text in (templates or {}).items():
        files[f"{name}/templates/{file}"] = text.encode()
    for file, data in (subcharts or {}).items():
        files[f"{name}/charts/{file}"] = data
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w") as tar,
    ):
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def chart_archive() -> Callable[..., bytes]:
    return build_chart_archive
