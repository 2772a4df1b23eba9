"""What verify's findings depend on beside the rendered files: the toolchain, named.

platformc's version and the verify code, the Python libraries that read and
validate (PyYAML, jsonschema, the Kubernetes schemas of kubernetes-validate),
the Helm engine (helm-python's library, and the `helm` binary when one is on
PATH) and kubeconform when it validates. Each is named without loading it, so
a run that finds everything in the cache never starts the Go runtime.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from generator import __version__
from generator.verify import kubeconform
from generator.verify.cache import digest_json, files_digest, tree_files
from generator.verify.helm import HELM

_GENERATOR = Path(__file__).resolve().parent.parent
# the verify package, and every module outside it that verify imports (a test keeps this list whole)
CODE = (
    "verify",
    "errors.py",
    "findings.py",
    "helm_values.py",
    "load/document.py",
    "emit/yamldump.py",
    "quantity.py",
)
LIBRARIES = ("PyYAML", "jsonschema", "referencing", "kubernetes-validate", "helm-python-sdk")


def fingerprint() -> str:
    """A digest of the whole toolchain. Raises OSError when an engine does not say its version:
    results from it could not be told apart from another's, so nothing may be cached."""
    validator = f"kubeconform {kubeconform.version()}" if kubeconform.available() else "embedded"
    return digest_json(
        {
            "platformc": __version__,
            "code": _code_digest(),
            "python": list(sys.version_info[:2]),
            "libraries": {name: _library_version(name) for name in LIBRARIES},
            "helm": helm_identity(),
            "validator": validator,
        }
    )


def helm_identity() -> str:
    """helm-python's version and library file, and the `helm` binary's version when it is on PATH."""
    return f"{_helm_python_identity()}; {_helm_binary_identity()}"


def _code_digest() -> str:
    files: list[Path] = []
    for name in CODE:
        path = _GENERATOR / name
        if path.is_dir():
            files.extend(p for p in tree_files(path) if "__pycache__" not in p.parts)
        else:
            files.append(path)
    return files_digest(_GENERATOR, files)


def _library_version(name: str) -> str:
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"
    if name == "PyYAML":  # the C loader and the pure one agree, but say which one ran
        import yaml

        return f"{version} libyaml={bool(yaml.__with_libyaml__)}"
    return version


def _helm_python_identity() -> str:
    try:
        version = metadata.version("helm-python-sdk")
    except metadata.PackageNotFoundError:
        return "helm-python absent"
    # The library helm_python._native would load; its size and time stand for its bytes.
    override = os.environ.get("HELM_C_LIB", "")
    spec = find_spec("helm_python")  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    libraries = [Path(override).expanduser()] if override else []
    libraries += sorted(Path(locations[0], "lib").glob("libhelm_c*")) if locations else []
    stamps = []
    for library in libraries:
        if library.is_file():
            status = library.stat()
            stamps.append(f"{library}:{status.st_size}:{status.st_mtime_ns}")
    return f"helm-python-sdk {version} HELM_C_LIB={override!r} {' '.join(stamps)}"


def _helm_binary_identity() -> str:
    path = shutil.which(HELM)
    return f"helm binary {path} {_binary_version(path)}" if path else "no helm binary"


@functools.cache
def _binary_version(path: str) -> str:
    try:
        done = subprocess.run(
            [path, "version", "--short"], capture_output=True, text=True, timeout=30, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise OSError(f"`{path} version` did not answer") from e
    if done.returncode != 0 or not done.stdout.strip():
        raise OSError(f"`{path} version` failed: {done.stderr.strip() or done.returncode}")
    return done.stdout.strip()
