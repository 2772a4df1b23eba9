"""The library chart every umbrella chart carries as `charts/platformc-lib/`.

Its files are package data (`generator/emit/library/`), copied verbatim; the
named templates they define are the other half of docs/chart-contract.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable

# The one template of every workload subchart, and the umbrella's templates/objects.yaml, which
# writes out the files under the umbrella's objects/.
WORKLOAD_TEMPLATE = '{{ include "platformc.workload" . }}\n'
OBJECTS_TEMPLATE = '{{ include "platformc.objects" . }}\n'

_PACKAGE = "generator.emit"
_LIBRARY_DIR = "library"


def library_files() -> dict[str, bytes]:
    """Every file of the library chart, by path relative to the chart, sorted by path."""
    root = files(_PACKAGE).joinpath(_LIBRARY_DIR)
    return dict(sorted(_walk(root, "")))


def _walk(directory: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for entry in directory.iterdir():
        # Editors and interpreters leave files behind; they are not part of the chart.
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        path = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, f"{path}/")
        else:
            yield path, entry.read_bytes()
