from __future__ import annotations

from generator.findings import Mark
from generator.load.yaml import load_text
from generator.merge import merge_overlay

BASE = b"""spec:
  domain: example.com
  registries: [docker.io, ghcr.io]
  apps:
    a:
      replicas: 3
      pdb: {minAvailable: 2}
"""


def test_maps_merge_lists_replace_null_removes() -> None:
    base = load_text(BASE, "platform.yaml")
    overlay = load_text(
        b"spec:\n  registries: [quay.io]\n  apps:\n    a:\n      replicas: 1\n      pdb: null\n",
        "overlays/dev.yaml",
    )
    merged = merge_overlay(base, overlay)
    assert merged.data == {
        "spec": {"domain": "example.com", "registries": ["quay.io"], "apps": {"a": {"replicas": 1}}}
    }


def test_overlay_values_keep_overlay_positions() -> None:
    base = load_text(BASE, "platform.yaml")
    overlay = load_text(b"spec:\n  apps:\n    a:\n      replicas: 1\n", "overlays/dev.yaml")
    merged = merge_overlay(base, overlay)
    assert merged.mark(("spec", "apps", "a", "replicas")) == Mark("overlays/dev.yaml", 4, 17)
    assert merged.mark(("spec", "apps", "a", "pdb", "minAvailable")).file == "platform.yaml"
    assert merged.mark(("spec", "domain")).file == "platform.yaml"


def test_removed_keys_lose_their_positions() -> None:
    base = load_text(BASE, "platform.yaml")
    overlay = load_text(b"spec:\n  apps:\n    a:\n      pdb: null\n", "overlays/dev.yaml")
    merged = merge_overlay(base, overlay)
    assert ("spec", "apps", "a", "pdb", "minAvailable") not in merged.values


def test_a_new_subtree_comes_entirely_from_the_overlay() -> None:
    base = load_text(BASE, "platform.yaml")
    overlay = load_text(b"spec:\n  apps:\n    b:\n      replicas: 2\n", "overlays/dev.yaml")
    merged = merge_overlay(base, overlay)
    assert merged.mark(("spec", "apps", "b", "replicas")).file == "overlays/dev.yaml"


def test_empty_overlay_changes_nothing() -> None:
    base = load_text(BASE, "platform.yaml")
    assert merge_overlay(base, load_text(b"", "overlays/prod.yaml")).data == base.data


def test_base_is_not_mutated() -> None:
    base = load_text(BASE, "platform.yaml")
    before = repr(base.data)
    merge_overlay(base, load_text(b"spec:\n  apps:\n    a:\n      replicas: 1\n", "o.yaml"))
    assert repr(base.data) == before


def test_a_base_that_is_not_a_mapping_is_passed_on_as_it_is() -> None:
    overlay = load_text(b"spec:\n  domain: x.com\n", "overlays/dev.yaml")
    for text in (b"", b"- spec\n", b"platform\n"):
        base = load_text(text, "platform.yaml")
        merged = merge_overlay(base, overlay)
        assert merged.data == base.data and merged.file == "platform.yaml"
        assert merged.mark(()).file == "platform.yaml"


def test_an_overlay_that_is_not_a_mapping_is_passed_on_as_it_is() -> None:
    base = load_text(BASE, "platform.yaml")
    for text in (b"- spec\n", b"prod\n", b"42\n"):
        merged = merge_overlay(base, load_text(text, "overlays/dev.yaml"))
        assert merged.file == "overlays/dev.yaml"
        assert merged.mark(()) == Mark("overlays/dev.yaml", 1, 1)


def test_a_broken_base_comes_before_a_broken_overlay() -> None:
    base = load_text(b"- a\n", "platform.yaml")
    assert merge_overlay(base, load_text(b"- b\n", "overlays/dev.yaml")).file == "platform.yaml"
