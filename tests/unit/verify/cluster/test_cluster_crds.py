"""PC820 (a custom resource's CRD is installed before it) and PC824 (it matches the CRD's schema)."""

from __future__ import annotations

from tests.unit.verify.cluster.cluster_env import Env, crd, obj

WIDGET = obj("Widget", "w", "example.com/v1", spec={"size": 3})


def test_kind_without_any_crd_is_reported(env: Env) -> None:
    env.app("web", [WIDGET], wave=2)
    [found] = env.findings("PC820")
    assert "no Application of this environment installs" in found.message
    assert "Widget.example.com" in found.message


def test_crd_from_an_earlier_wave_passes(env: Env) -> None:
    env.app("crds", [crd("example.com", "Widget")], wave=1).app("web", [WIDGET], wave=2)
    assert env.rules() == []


def test_crd_from_another_application_of_the_same_wave_is_reported(env: Env) -> None:
    env.app("crds", [crd("example.com", "Widget")], wave=2).app("web", [WIDGET], wave=2)
    [found] = env.findings("PC820")
    assert "installed by Application crds in wave 2, not before it" in found.message


def test_crd_from_a_later_wave_is_reported_even_with_skip_dry_run(env: Env) -> None:
    env.app("web", [WIDGET], wave=1, options=["SkipDryRunOnMissingResource=true"])
    env.app("crds", [crd("example.com", "Widget")], wave=3)
    assert env.rules() == ["PC820"]


def test_crd_in_the_same_application_passes(env: Env) -> None:
    env.app("web", [WIDGET, crd("example.com", "Widget")], wave=2)
    assert env.rules() == []


def test_crd_in_the_same_application_but_a_later_object_wave_is_reported(env: Env) -> None:
    late = crd("example.com", "Widget", annotations={"argocd.argoproj.io/sync-wave": "5"})
    env.app("web", [WIDGET, late], wave=2)
    assert env.rules() == ["PC820"]


def test_built_in_and_argocd_kinds_need_no_crd(env: Env) -> None:
    env.app(
        "web",
        [obj("ConfigMap", "c"), obj("Application", "a", "argoproj.io/v1alpha1", "argocd", spec={})],
    )
    assert env.rules() == []


SCHEMA = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"type": "object"},
        "spec": {
            "type": "object",
            "required": ["provider"],
            "properties": {
                "provider": {"type": "string"},
                "port": {"x-kubernetes-int-or-string": True},
                "note": {"type": "string", "nullable": True},
                "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
        },
    },
}


def _located(spec: dict[str, object]) -> dict[str, object]:
    return obj("Location", "default", "example.com/v1", spec=spec)


def test_custom_resource_failing_its_crd_schema_is_reported(env: Env) -> None:
    env.app("web", [crd("example.com", "Location", SCHEMA), _located({"provider": None, "colour": "red"})])
    messages = [f.message for f in env.findings("PC824")]
    assert any("at spec.provider: None is not of type 'string'" in m for m in messages)
    assert any("'colour' was unexpected" in m for m in messages)


def test_custom_resource_matching_its_crd_schema_passes(env: Env) -> None:
    valid = _located({"provider": "aws", "port": "http", "note": None, "config": {"anything": {"goes": 1}}})
    env.app("web", [crd("example.com", "Location", SCHEMA), valid])
    assert env.rules() == []
    assert ("rendered/dev/apps/web/o1.yaml", "Location/default") in env.verify().validated


def test_int_or_string_refuses_other_types(env: Env) -> None:
    env.app("web", [crd("example.com", "Location", SCHEMA), _located({"provider": "aws", "port": [1]})])
    assert env.rules() == ["PC824"]


def test_version_not_served_is_reported(env: Env) -> None:
    env.app("web", [crd("example.com", "Location", SCHEMA, version="v2"), _located({"provider": "aws"})])
    [found] = env.findings("PC824")
    assert "not a served version" in found.message and "v2" in found.message
