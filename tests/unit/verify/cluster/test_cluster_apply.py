"""PC821: an object too large for client-side apply needs ServerSideApply."""

from __future__ import annotations

from generator.verify.cluster.apply import ANNOTATION_LIMIT, LAST_APPLIED, annotation_bytes
from tests.unit.verify.cluster.cluster_env import Env, crd, obj


def _big_crd(size: int) -> dict[str, object]:
    schema = {"type": "object", "description": "x" * size, "x-kubernetes-preserve-unknown-fields": True}
    return crd("example.com", "Widget", schema)


def test_annotation_size_counts_the_object_the_key_and_other_annotations() -> None:
    small = obj("ConfigMap", "c", data={"a": "b"}, annotations={"note": "hi"})
    size = annotation_bytes(small)
    assert size > len(LAST_APPLIED) + len("note") + len("hi")
    assert (
        annotation_bytes(obj("ConfigMap", "c", data={"a": "<>"}))
        - annotation_bytes(obj("ConfigMap", "c", data={"a": "ab"}))
        == 10
    )  # Go's encoder writes each of < and > as six bytes


def test_object_over_the_limit_with_client_side_apply_is_reported(env: Env) -> None:
    env.app("web", [_big_crd(ANNOTATION_LIMIT)])
    [found] = env.findings("PC821")
    assert "too large for client-side apply" in found.message
    assert "`serverSideApply: true` on application web" in found.message


def test_object_over_the_limit_with_server_side_apply_passes(env: Env) -> None:
    env.app("web", [_big_crd(ANNOTATION_LIMIT)], options=["ServerSideApply=true"])
    assert env.rules() == []


def test_object_annotated_for_server_side_apply_passes(env: Env) -> None:
    big = _big_crd(ANNOTATION_LIMIT)
    big["metadata"]["annotations"] = {"argocd.argoproj.io/sync-options": "Prune=false, ServerSideApply=true"}  # type: ignore[index]
    env.app("web", [big])
    assert env.rules() == []


def test_object_under_the_limit_passes(env: Env) -> None:
    env.app("web", [_big_crd(ANNOTATION_LIMIT // 2)])
    assert env.rules() == []
