from __future__ import annotations

from generator.diff.changes import EnvDiff, ObjectChange, diff_environment, normalise_for_promotion
from generator.diff.markdown import render_markdown
from generator.diff.objects import HELM, PLATFORMC, DeployedObject, EnvObjects, ObjectKey, object_key
from generator.diff.report import render_text


def objects(*items: tuple[str, dict[str, object]]) -> EnvObjects:
    out = EnvObjects()
    for app, data in items:
        out.add(DeployedObject(app, object_key(data), data, HELM))
    return out


def config_map(name: str, **data: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "ns"},
        "data": data,
    }


def test_added_removed_changed_and_equal() -> None:
    old = objects(
        ("a", config_map("same", x="1")), ("a", config_map("gone")), ("a", config_map("edit", x="1"))
    )
    new = objects(
        ("a", config_map("same", x="1")), ("a", config_map("new")), ("a", config_map("edit", x="2"))
    )
    result = diff_environment("dev", "old", "new", old, new)
    assert [(c.key.name, c.status) for c in result.changes] == [
        ("edit", "changed"),
        ("gone", "removed"),
        ("new", "added"),
    ]
    edit = result.changes[0]
    assert edit.diff[:2] == ("--- a/a/ConfigMap/ns/edit", "+++ b/a/ConfigMap/ns/edit")
    assert "-  x: '1'" in edit.diff and "+  x: '2'" in edit.diff
    assert result.counts() == {"added": 1, "removed": 1, "changed": 1}


def application(env: str, revision: str) -> dict[str, object]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "kafka", "namespace": "argocd"},
        "spec": {"source": {"path": f"rendered/{env}/apps/kafka", "targetRevision": revision}},
    }


def test_promotion_ignores_the_env_path_segment_revision_and_root_name() -> None:
    staging = objects(
        ("root", application("staging", "staging")),
        ("root", {"kind": "Application", "metadata": {"name": "acme-staging"}, "spec": {"x": 1}}),
        ("apps", config_map("c", tags='["platformc","staging"]', env="staging", other="staging-db")),
    )
    prod = objects(
        ("root", application("prod", "release")),
        ("root", {"kind": "Application", "metadata": {"name": "acme-prod"}, "spec": {"x": 1}}),
        ("apps", config_map("c", tags='["platformc","prod"]', env="prod", other="staging-db")),
    )
    a = normalise_for_promotion(staging, "staging", "acme", "rendered")
    b = normalise_for_promotion(prod, "prod", "acme", "rendered")
    assert diff_environment("staging → prod", "b", "a", b, a).changes == []


def test_promotion_keeps_real_differences() -> None:
    dev = normalise_for_promotion(objects(("apps", config_map("c", replicas="1"))), "dev", "acme", "rendered")
    prod = normalise_for_promotion(
        objects(("apps", config_map("c", replicas="3"))), "prod", "acme", "rendered"
    )
    (change,) = diff_environment("dev → prod", "prod", "dev", prod, dev).changes
    assert change.status == "changed"


def change(diff: tuple[str, ...], source: str = HELM, note: str = "") -> ObjectChange:
    return ObjectChange("apps", ObjectKey("ConfigMap", "ns", "c"), "changed", diff, source, note)


def test_text_colours_only_when_asked() -> None:
    result = EnvDiff("dev", "old", "new", [change(("--- a", "+++ b", "@@ -1 +1 @@", "-x", "+y", " z"))])
    plain = render_text([result])
    assert "\x1b[" not in plain
    coloured = render_text([result], color=True)
    assert "\x1b[31m-x\x1b[0m" in coloured and "\x1b[32m+y\x1b[0m" in coloured
    assert "\x1b[36m@@ -1 +1 @@\x1b[0m" in coloured
    assert "      --- a\n" in coloured  # file headers stay plain


def test_markdown_fence_outlasts_backticks_in_the_object() -> None:
    result = EnvDiff("dev", "old", "new", [change(("+text: ```not the end```",))])
    markdown = render_markdown([result])
    assert "````diff\n+text: ```not the end```\n````" in markdown


def test_labels_what_helm_did_not_render() -> None:
    note = "upstream chart not vendored: values"
    result = EnvDiff("dev", "old", "new", [change(("+a",), PLATFORMC, note)])
    assert f"~ ConfigMap ns/c (changed) [{note}]" in render_text([result])
    assert f"<sub>{note}</sub>" in render_markdown([result])
