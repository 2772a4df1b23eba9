"""Throughput of platformc's embedded validator, in a fresh process, for `bench/run.py`.

Loads a YAML stream of Kubernetes objects, then times one call of
`generator.verify.objects.validate_objects` over all of them: the first call,
so compiling the validators is part of the cost, as it is in `platformc verify`.
Interpreter start-up and imports are not. A second call is timed too, to show
what reuse of compiled validators buys. Prints JSON:

    python bench/embedded_validate.py MANIFESTS --kubernetes-version 1.31.0
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_VERSION_PARAMETERS = ("kubernetes_version", "kube_version", "version")


def load_objects(path: Path) -> list[dict[str, Any]]:
    yaml = YAML(typ="safe", pure=True)
    return [item for item in yaml.load_all(path.read_text(encoding="utf-8")) if isinstance(item, dict)]


def _call(validate: Callable[..., Any], objects: list[dict[str, Any]], version: str) -> tuple[float, Any]:
    parameters = inspect.signature(validate).parameters
    keywords = {name: version for name in _VERSION_PARAMETERS if name in parameters}
    start = time.perf_counter()
    result = validate(objects, **keywords)
    if isinstance(result, Iterator):
        result = list(result)  # a lazy validator has done nothing until it is consumed
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time generator.verify.objects.validate_objects; print JSON."
    )
    parser.add_argument("manifests", type=Path)
    parser.add_argument("--kubernetes-version", default="1.31.0")
    args = parser.parse_args(argv)
    try:
        from generator.verify import objects as module
    except ImportError as e:
        print(json.dumps({"status": "not available", "detail": f"generator.verify.objects: {e}"}))
        return 0
    validate_objects = getattr(module, "validate_objects", None)
    if validate_objects is None:
        detail = "generator.verify.objects has no validate_objects"
        print(json.dumps({"status": "not available", "detail": detail}))
        return 0
    data = load_objects(args.manifests)
    # The validator takes objects with their origin (file, index) when it defines such a type.
    wrap = getattr(module, "RenderedObject", None)
    name = args.manifests.name
    objects = [wrap(file=name, index=i, data=item) for i, item in enumerate(data)] if wrap else data
    try:
        cold, result = _call(validate_objects, objects, args.kubernetes_version)
        warm, _ = _call(validate_objects, objects, args.kubernetes_version)
    except Exception as e:  # the validator is written concurrently; record, do not crash the harness
        print(json.dumps({"status": "error", "detail": f"{type(e).__name__}: {e}"[:400]}))
        return 1
    findings = len(result) if isinstance(result, list | tuple) else None
    print(
        json.dumps(
            {"status": "ok", "objects": len(objects), "cold_s": cold, "warm_s": warm, "findings": findings}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
