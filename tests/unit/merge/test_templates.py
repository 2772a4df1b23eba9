"""Component templates: merged in order by the overlay rules, every value keeping where it was written."""

from __future__ import annotations

import copy
from collections.abc import Callable

from jsonschema import Draft202012Validator

from generator.findings import Mark
from generator.load.yaml import load_text
from generator.merge import expand_templates, merge_overlay
from generator.model import Platform
from generator.pipeline import EnvResult
from generator.validate import load_schema

Built = Callable[..., Platform]
Analysed = Callable[..., EnvResult]

BASE = b"""spec:
  templates:
    base:
      replicas: 2
      args: [--base]
      resources: {requests: {cpu: 100m, memory: 64Mi}}
    web:
      extends: base
      ports: {http: 8080}
      resources: {requests: {memory: 128Mi}}
    quiet:
      args: [--quiet]
      pdb: {maxUnavailable: 1}
  applications:
    shop:
      components:
        api:
          extends: [web, quiet]
          image: acme/api:1
          resources: {limits: {memory: 256Mi}}
          pdb: null
        plain:
          image: acme/plain:1
"""
API = ("spec", "applications", "shop", "components", "api")


def _expand(overlay: bytes = b"{}\n") -> tuple[dict[str, object], object]:
    merged = merge_overlay(load_text(BASE, "platform.yaml"), load_text(overlay, "overlays/dev.yaml"))
    doc, findings = expand_templates(merged, "dev")
    assert findings == []
    return doc.get(API), doc


def test_templates_merge_in_order_and_the_component_comes_last() -> None:
    api, _ = _expand()
    assert api == {
        "replicas": 2,  # base, through web
        "args": ["--quiet"],  # lists replace: quiet comes after web
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
        "ports": {"http": 8080},
        "image": "acme/api:1",
        # `pdb: null` in the component removes what quiet gives it; `extends` is spent
    }


def test_every_value_keeps_the_line_it_was_written_at() -> None:
    _, doc = _expand()
    mark = doc.mark  # type: ignore[attr-defined]
    assert mark((*API, "replicas")) == Mark("platform.yaml", 4, 17)  # templates.base
    assert mark((*API, "resources", "requests", "cpu")) == Mark("platform.yaml", 6, 35)  # base
    assert mark((*API, "resources", "requests", "memory")) == Mark("platform.yaml", 10, 38)  # web
    assert mark((*API, "resources", "limits", "memory")) == Mark("platform.yaml", 20, 40)  # its own
    assert mark((*API, "args", 0)) == Mark("platform.yaml", 12, 14)  # quiet


def test_an_overlay_value_wins_and_an_overlay_null_stays_removed() -> None:
    overlay = (
        b"spec:\n  applications:\n    shop:\n      components:\n"
        b"        api:\n          replicas: 5\n          ports: null\n"
    )
    api, doc = _expand(overlay)
    assert isinstance(api, dict)
    assert api["replicas"] == 5 and "ports" not in api
    assert doc.mark((*API, "replicas")).file == "overlays/dev.yaml"  # type: ignore[attr-defined]


def test_an_overlay_changes_a_template_for_every_component_that_extends_it() -> None:
    overlay = b"spec:\n  templates:\n    base:\n      replicas: 3\n"
    api, doc = _expand(overlay)
    assert isinstance(api, dict) and api["replicas"] == 3
    assert doc.mark((*API, "replicas")) == Mark("overlays/dev.yaml", 4, 17)  # type: ignore[attr-defined]


def test_expanding_leaves_the_templates_and_other_components_as_written() -> None:
    merged = merge_overlay(load_text(BASE, "platform.yaml"), load_text(b"{}\n", "overlays/dev.yaml"))
    before = copy.deepcopy(merged.data)
    doc, _ = expand_templates(merged, "dev")
    assert merged.data == before
    assert doc.get(("spec", "templates")) == before["spec"]["templates"]
    assert doc.get(("spec", "applications", "shop", "components", "plain")) == {"image": "acme/plain:1"}


def test_a_document_without_extends_is_returned_as_it_is() -> None:
    doc = load_text(
        b"spec:\n  applications:\n    a:\n      components:\n        b: {image: x}\n", "platform.yaml"
    )
    assert expand_templates(doc, "dev") == (doc, [])


def test_unknown_templates_and_cycles_are_findings_at_the_extends_line() -> None:
    text = BASE.replace(b"extends: [web, quiet]", b"extends: [web, quite]").replace(
        b"    quiet:\n", b"    quiet:\n      extends: loop\n    loop:\n      extends: [quiet]\n"
    )
    text += b"        other:\n          extends: loop\n          image: acme/other:1\n"
    doc, findings = expand_templates(load_text(text, "platform.yaml"), "dev")
    assert [(f.rule, f.line) for f in findings] == [("PC030", 21), ("PC031", 12)]
    assert 'did you mean "quiet"?' in findings[0].message
    assert "loop -> quiet -> loop" in findings[1].message


def test_a_finding_about_a_template_value_points_at_the_template(
    language_result: Analysed, language_text: str
) -> None:
    text = language_text.replace("readiness: {http: /, port: http}", "readiness: {http: /, port: htp}")
    result = language_result(text)
    line = text.splitlines().index("        readiness: {http: /, port: htp}") + 1
    found = [f for f in result.findings if f.is_error]
    assert found and {(f.file, f.line) for f in found} == {("platform.yaml", line)}, found
    assert all("api" in f.message for f in found)


def test_the_model_reads_template_values_at_the_template_line(language: Built, language_text: str) -> None:
    api = language().find("shop/api")
    assert api is not None and api.ingress is not None
    line = language_text.splitlines().index("      ingress: {host: shop, port: http}") + 1
    assert language().doc.mark(api.ingress.path).line == line


def test_extends_that_names_no_template_at_all_is_a_finding() -> None:
    doc = load_text(BASE.replace(b"extends: [web, quiet]", b"extends: [web, 3]"), "platform.yaml")
    _, findings = expand_templates(doc, "dev")
    assert [f.rule for f in findings] == ["PC030"] and "a list of template names" in findings[0].message


def test_an_editor_accepts_a_component_that_takes_its_image_from_a_template(language_text: str) -> None:
    text = language_text.replace("          image: docker.io/postgrest/postgrest:v12.2.3\n", "")
    written = load_text(text.encode(), "platform.yaml")
    validator = Draft202012Validator(load_schema())
    assert not list(validator.iter_errors(written.data))  # as written: `extends` stands for the image
    expanded, _ = expand_templates(written, "dev")
    problems = [e.message for e in validator.iter_errors(expanded.data)]
    assert problems  # merged: the component has no image, and the schema says so
