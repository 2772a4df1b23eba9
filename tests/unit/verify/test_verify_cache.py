from __future__ import annotations

import ast
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.findings import Finding, Severity
from generator.verify import application, cache, toolchain
from generator.verify.application import Placement, SourceVerdict
from generator.verify.cache import VerifyCache, cache_directory
from generator.verify.helm import ChartCheck, RenderResult, check_chart
from generator.verify.tree import EnvVerification, Target, open_cache, verify_environment

APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: {name}, namespace: argocd}}
spec:
  project: default
  destination: {{namespace: {namespace}}}
  source:
    path: rendered/dev/{path}
{source}
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
data:
  color: {{ .Values.color | quote }}
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: elsewhere}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, colour: red}]}
"""
TARGET = Target("dev", "1.31", "rendered", frozenset({"argocd", "web", "shop"}))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rendered_tree(root: Path, charts: int = 1) -> Path:
    """rendered/dev: root.yaml (a directory source, argocd/) and Applications for `charts` charts."""
    env = root / "rendered" / "dev"
    directory = "    directory: {recurse: false}"
    write(
        env / "root.yaml",
        APPLICATION.format(name="root", namespace="argocd", path="argocd", source=directory),
    )
    for number in range(charts):
        name = f"web{number}" if number else "web"
        helm_source = "    helm: {valueFiles: [values.yaml]}"
        write(
            env / "argocd" / f"{name}.yaml",
            APPLICATION.format(name=name, namespace="web", path=f"apps/{name}", source=helm_source),
        )
        chart = env / "apps" / name
        write(chart / "Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
        write(chart / "values.yaml", "color: blue\nreplicas: 2\n")
        write(chart / "templates" / "settings.yaml", CONFIGMAP)
        # lands in an undeclared namespace (PC807), with a bad field (PC801): findings to keep
        write(chart / "templates" / "web.yaml", DEPLOYMENT)
    return root / "rendered"


@pytest.fixture(autouse=True)
def engine_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """helm-python and the embedded validator, whatever is on PATH; a fixed name for the Helm engine."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(toolchain, "helm_identity", lambda: "helm-python (test)")


@pytest.fixture
def store(tmp_path: Path) -> VerifyCache:
    made = open_cache(tmp_path / "cache")
    assert made is not None
    return made


def verify(
    rendered: Path, store: VerifyCache | None, target: Target = TARGET, workers: int = 1
) -> EnvVerification:
    return verify_environment(rendered, target, cache=store, workers=workers)


def rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)


# ------------------------------------------------------------------ hits and misses


def test_a_hit_returns_the_same_findings(tmp_path: Path, store: VerifyCache) -> None:
    rendered = rendered_tree(tmp_path)
    uncached = verify(rendered, None)
    first = verify(rendered, store)
    second = verify(rendered, open_cache(store.directory))
    assert "PC801" in rules(uncached.findings) and "PC807" in rules(uncached.findings)
    assert (first.charts, first.directories, first.from_cache) == (1, 1, 0)
    assert (second.charts, second.directories, second.from_cache) == (1, 1, 2)
    assert first.findings == uncached.findings
    assert second.findings == first.findings


def test_one_byte_of_a_chart_file_misses(tmp_path: Path, store: VerifyCache) -> None:
    rendered = rendered_tree(tmp_path)
    verify(rendered, store)
    values = rendered / "dev" / "apps" / "web" / "values.yaml"
    values.write_text(values.read_text().replace("replicas: 2", "replicas: 3"))
    again = verify(rendered, store)
    assert again.from_cache == 1  # the argocd/ directory; the chart is verified again
    values.write_text(values.read_text().replace("replicas: 3", "replicas: x"))
    broken = verify(rendered, store)
    assert broken.from_cache == 1
    assert any("replicas" in f.message for f in broken.findings if f.rule == "PC801")


def test_a_new_file_in_a_chart_misses(tmp_path: Path, store: VerifyCache) -> None:
    rendered = rendered_tree(tmp_path)
    verify(rendered, store)
    write(rendered / "dev" / "apps" / "web" / "templates" / "NOTES.txt", "hello\n")
    assert verify(rendered, store).from_cache == 1


def test_another_kubernetes_version_misses(tmp_path: Path, store: VerifyCache) -> None:
    rendered = rendered_tree(tmp_path)
    verify(rendered, store)
    older = Target("dev", "1.30", TARGET.gitops_path, TARGET.namespaces)
    assert verify(rendered, store, older).from_cache == 0
    assert verify(rendered, store, older).from_cache == 2


def test_another_platformc_version_misses(
    tmp_path: Path, store: VerifyCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = rendered_tree(tmp_path)
    verify(rendered, store)
    monkeypatch.setattr(toolchain, "__version__", "99.0.0")
    assert verify(rendered, open_cache(store.directory)).from_cache == 0


def test_another_helm_misses(tmp_path: Path, store: VerifyCache, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = rendered_tree(tmp_path)
    verify(rendered, store)
    monkeypatch.setattr(toolchain, "helm_identity", lambda: "helm-python (another build)")
    assert verify(rendered, open_cache(store.directory)).from_cache == 0


def test_declared_namespaces_are_checked_on_a_hit(tmp_path: Path, store: VerifyCache) -> None:
    rendered = rendered_tree(tmp_path)
    assert "PC807" in rules(verify(rendered, store).findings)
    declared = Target("dev", "1.31", "rendered", TARGET.namespaces | {"elsewhere"})
    hit = verify(rendered, store, declared)
    assert hit.from_cache == 2
    assert "PC807" not in rules(hit.findings)
    assert hit.findings == verify(rendered, None, declared).findings


def test_a_corrupt_entry_is_a_miss_and_is_replaced(tmp_path: Path, store: VerifyCache) -> None:
    rendered = rendered_tree(tmp_path)
    first = verify(rendered, store)
    entries = sorted(store.directory.glob("*/*.json"))
    assert len(entries) == 2
    for entry in entries:
        entry.write_text(entry.read_text()[:40])  # cut short, as by a full disk
    again = verify(rendered, store)
    assert again.from_cache == 0
    assert again.findings == first.findings
    assert verify(rendered, store).from_cache == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda e: b"\xff\xfe not utf-8", id="bytes"),
        pytest.param(lambda e: b"[]", id="not-an-object"),
        pytest.param(lambda e: json.dumps({**e, "format": 0}).encode(), id="old-format"),
        pytest.param(lambda e: json.dumps({**e, "key": "0" * 64}).encode(), id="another-key"),
        pytest.param(lambda e: json.dumps({**e, "findings": [["PC801"]]}).encode(), id="short-finding"),
        pytest.param(
            lambda e: json.dumps({**e, "findings": [["PC801", "fatal", "m", "f", 1, 1, "p"]]}).encode(),
            id="unknown-severity",
        ),
        pytest.param(
            lambda e: json.dumps({**e, "findings": [["PC801", "error", "m", "f", "1", 1, "p"]]}).encode(),
            id="line-not-a-number",
        ),
        pytest.param(lambda e: json.dumps({**e, "placements": {}}).encode(), id="placements-not-a-list"),
    ],
)
def test_an_entry_that_does_not_decode_is_a_miss(tmp_path: Path, damage: object) -> None:
    store = VerifyCache(tmp_path, "toolchain")
    verdict = SourceVerdict(
        (Finding("PC801", Severity.ERROR, "bad", "rendered/dev/x.yaml", 1, 1, "ConfigMap/a"),),
        (Placement("rendered/dev/x.yaml", "ConfigMap", "a", "web"),),
    )
    key = store.key({"application": "x"}, "digest")
    store.store(key, verdict)
    assert store.load(key) == verdict
    path = next(tmp_path.glob("*/*.json"))
    path.write_bytes(damage(json.loads(path.read_text())))  # type: ignore[operator]
    assert store.load(key) is None


def test_an_entry_that_cannot_be_read_is_a_miss(tmp_path: Path) -> None:
    store = VerifyCache(tmp_path, "toolchain")
    key = store.key({}, "digest")
    store._path(key).mkdir(parents=True)  # a directory where the entry should be
    assert store.load(key) is None


def test_a_cache_that_cannot_be_written_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-directory", "")
    store = VerifyCache(blocker / "cache", "toolchain")
    rendered = rendered_tree(tmp_path)
    found = verify(rendered, store)
    assert found.findings == verify(rendered, None).findings
    assert store.stored == 0
    assert store.write_error is not None and "cannot write the verify cache" in store.write_error


def test_entries_are_written_whole(tmp_path: Path, store: VerifyCache) -> None:
    verify(rendered_tree(tmp_path), store)
    assert [p.name for p in store.directory.rglob("*") if p.is_file() and p.suffix != ".json"] == []
    assert store.stored == 2


def test_an_incomplete_verification_is_not_kept(
    tmp_path: Path, store: VerifyCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = rendered_tree(tmp_path)
    failed = RenderResult((), ("cannot read the chart: disk on fire",), (), "helm-python", complete=False)
    with monkeypatch.context() as patched:
        patched.setattr(application, "check_chart", lambda *a, **k: ChartCheck((), failed, complete=False))
        found = verify(rendered, store)
    assert any("disk on fire" in f.message for f in found.findings)
    assert store.stored == 1  # the argocd/ directory only
    again = verify(rendered, store)
    assert again.from_cache == 1
    assert not any("disk on fire" in f.message for f in again.findings)


def test_a_chart_that_changes_while_it_is_verified_is_not_kept(
    tmp_path: Path, store: VerifyCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = rendered_tree(tmp_path)

    def render_meanwhile(chart: Path, **options: object) -> ChartCheck:
        write(chart / "values.yaml", "color: red\nreplicas: 2\n")  # a render swapped the tree in
        return check_chart(chart, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(application, "check_chart", render_meanwhile)
    verify(rendered, store)
    assert store.stored == 1  # the argocd/ directory only


def test_a_warm_cache_does_not_load_helm(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.verify.tree import open_cache\n"
        f"assert open_cache(Path({str(tmp_path)!r})) is not None\n"
        "print('helm_python' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_old_entries_are_pruned(tmp_path: Path, store: VerifyCache) -> None:
    verify(rendered_tree(tmp_path), store)
    entries = sorted(store.directory.glob("*/*.json"))
    os.utime(entries[0], (1_000_000, 1_000_000))
    store.prune()
    assert sorted(store.directory.glob("*/*.json")) == entries[1:]


# ------------------------------------------------------------------ threads


def test_threads_find_what_one_thread_finds_in_the_same_order(tmp_path: Path) -> None:
    rendered = rendered_tree(tmp_path, charts=6)
    serial = verify(rendered, None, workers=1)
    assert serial.charts == 6
    for _ in range(3):
        assert verify(rendered, None, workers=4).findings == serial.findings


# ------------------------------------------------------------------ where the cache lives


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PLATFORMC_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/c"),
        ({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/platformc/verify"),
        ({"XDG_CACHE_HOME": "relative", "HOME": "/h"}, "/h/.cache/platformc/verify"),
        ({"HOME": "/h"}, "/h/.cache/platformc/verify"),
        ({"PLATFORMC_NO_CACHE": "0", "HOME": "/h"}, "/h/.cache/platformc/verify"),
        ({"PLATFORMC_NO_CACHE": "1", "PLATFORMC_CACHE_DIR": "/c"}, None),
        ({"PLATFORMC_NO_CACHE": "true"}, None),
    ],
)
def test_cache_directory(
    environ: dict[str, str], expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", environ.get("HOME", "/h"))
    found = cache_directory(environ)
    assert (str(found) if found else None) == expected


def test_the_fingerprint_names_the_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    first = toolchain.fingerprint()
    assert toolchain.fingerprint() == first
    monkeypatch.setattr(toolchain, "helm_identity", lambda: "helm b")
    assert toolchain.fingerprint() != first


def test_a_helm_binary_that_does_not_say_its_version_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "helm"
    write(fake, "#!/bin/sh\nexit 3\n").chmod(0o755)
    monkeypatch.undo()  # the real helm_identity and shutil.which
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    assert open_cache(tmp_path / "cache") is None


def _runtime_imports(node: ast.AST) -> Iterator[str]:
    """The modules `node` imports when it runs (an `if TYPE_CHECKING:` block imports nothing)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING":
            continue
        if isinstance(child, ast.ImportFrom) and child.module:
            yield child.module
        elif isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        yield from _runtime_imports(child)


def test_the_code_in_the_key_covers_every_module_verify_imports() -> None:
    package = Path(cache.__file__).parent
    imported = {
        name
        for module in package.rglob("*.py")
        for name in _runtime_imports(ast.parse(module.read_text(encoding="utf-8")))
        if name.startswith("generator")
    }
    outside = {m for m in imported if not m.startswith("generator.verify") and m != "generator"}
    covered = {"generator." + name.removesuffix(".py").replace("/", ".") for name in toolchain.CODE}
    assert outside <= covered


def test_chart_files_are_read_through_links_and_a_loop_ends(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    write(chart / "Chart.yaml", "name: c\n")
    write(tmp_path / "shared" / "templates" / "cm.yaml", "kind: ConfigMap\n")
    (chart / "templates").symlink_to(tmp_path / "shared" / "templates")
    (chart / "loop").symlink_to(chart)
    names = [p.relative_to(chart).as_posix() for p in cache.tree_files(chart)]
    assert names == ["Chart.yaml", "templates/cm.yaml"]
    before = cache.files_digest(chart, cache.tree_files(chart))
    write(tmp_path / "shared" / "templates" / "cm.yaml", "kind: Secret\n")
    assert cache.files_digest(chart, cache.tree_files(chart)) != before
