"""The verify cache keeps each source's objects, which the cluster stage reads on a hit."""

from __future__ import annotations

import json
from pathlib import Path

from generator.verify.application import SourceVerdict
from generator.verify.cache import VerifyCache
from generator.verify.objects import RenderedObject


def _verdict() -> SourceVerdict:
    objects = (
        RenderedObject("rendered/dev/x.yaml", 0, {"kind": "ConfigMap", "data": {"a": "1"}}, "web/api", 3),
        RenderedObject("rendered/dev/y.yaml", 1, {"kind": "Secret"}, None),
    )
    return SourceVerdict((), (), objects)


def test_objects_come_back_from_the_cache(tmp_path: Path) -> None:
    store = VerifyCache(tmp_path, "toolchain")
    key = store.key({"application": "x"}, "digest")
    store.store(key, _verdict())
    assert store.load(key) == _verdict()


def test_an_entry_whose_object_is_not_a_mapping_is_a_miss(tmp_path: Path) -> None:
    store = VerifyCache(tmp_path, "toolchain")
    key = store.key({"application": "x"}, "digest")
    store.store(key, _verdict())
    path = next(tmp_path.glob("*/*.json"))
    entry = json.loads(path.read_text())
    entry["objects"][0][4] = ["not", "a", "mapping"]
    path.write_text(json.dumps(entry))
    assert store.load(key) is None
