"""Invalid inputs, one mistake each: the rule, the exact position and the wording of the fix."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.findings import Finding
from generator.load import Document, load_document
from generator.merge import merge_overlay
from generator.validate import SCHEMA_RULES, validate_document

HEAD = """\
apiVersion: platform.254carbon.com/v1alpha1
kind: Platform
metadata:
  name: demo
spec:
  kubernetesVersion: "1.31.0"
  gitops:
    repoURL: https://example.com/platform.git
    targetRevision: main
    path: rendered
    argocd: {namespace: argocd, project: platform}
  registries: [docker.io]
  namespaces:
    apps: {}
  applications:
    shop:
      namespace: apps
      components:
"""
WEB = """\
web:
  image: docker.io/library/nginx:1.27.2
  ports: {http: 8080}
"""


def platform(tmp_path: Path, components: str = WEB, name: str = "platform.yaml") -> tuple[Document, str]:
    """The minimal platform with `components` (YAML, any indentation) under application `shop`."""
    text = HEAD + textwrap.indent(textwrap.dedent(components), " " * 8)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, name), text


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of `needle`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f"{f.rule} {f.path}: {f.message}" for f in findings]
    return findings[0]


def test_the_minimal_platform_is_valid(tmp_path: Path) -> None:
    doc, _ = platform(tmp_path)
    assert validate_document(doc, None) == []


def test_misspelt_key_is_reported_at_the_key_with_a_suggestion(tmp_path: Path) -> None:
    doc, text = platform(
        tmp_path,
        """\
        web:
          image: docker.io/library/nginx:1.27.2
          resouces:
            requests: {cpu: 100m}
        """,
    )
    finding = only(validate_document(doc, "dev"))
    assert finding.rule == "PC004"
    assert (finding.file, finding.line, finding.column) == ("platform.yaml", *position(text, "resouces"))
    assert finding.path == "spec.applications.shop.components.web.resouces"
    assert "did you mean `resources`?" in finding.message
    assert "workload component" in finding.message
    assert finding.env == "dev"


def test_misspelt_kind_key_points_at_the_typo(tmp_path: Path) -> None:
    doc, text = platform(tmp_path, "web:\n  imgae: docker.io/library/nginx:1.27.2\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC004"
    assert (finding.line, finding.column) == position(text, "imgae")
    assert "did you mean `image`?" in finding.message


def test_key_of_another_component_kind_says_which_kind(tmp_path: Path) -> None:
    doc, _ = platform(tmp_path, "web:\n  image: docker.io/library/nginx:1.27.2\n  values: {a: 1}\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC004"
    assert "`values` belongs to a chart component" in finding.message


def test_wrong_type_is_reported_at_the_value(tmp_path: Path) -> None:
    doc, text = platform(tmp_path, 'web:\n  image: docker.io/library/nginx:1.27.2\n  replicas: "3"\n')
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC005"
    assert (finding.line, finding.column) == position(text, '"3"')
    assert finding.message == (
        "`spec.applications.shop.components.web.replicas` must be a whole number, "
        "not the string `3`; remove the quotes"
    )


def test_number_where_a_string_belongs_says_to_quote_it(tmp_path: Path) -> None:
    doc, _ = platform(tmp_path, "web:\n  image: docker.io/library/nginx:1.27.2\n  args: [--port, 5000]\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC005"
    assert finding.path == "spec.applications.shop.components.web.args[1]"
    assert 'quote it: `"5000"`' in finding.message


def test_missing_required_key_is_reported_at_the_parent_key(tmp_path: Path) -> None:
    doc, text = platform(
        tmp_path,
        """\
        web:
          image: docker.io/library/nginx:1.27.2
          exceptions:
            - policy: require-ro-rootfs
        """,
    )
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC006"
    assert (finding.line, finding.column) == position(text, "policy: require-ro-rootfs")
    assert "missing the required key `reason`" in finding.message


def test_missing_application_namespace_points_at_the_application(tmp_path: Path) -> None:
    doc, text = platform(tmp_path)
    broken = text.replace("      namespace: apps\n", "")
    (tmp_path / "platform.yaml").write_text(broken, encoding="utf-8")
    finding = only(validate_document(load_document(tmp_path / "platform.yaml", "platform.yaml"), None))
    assert finding.rule == "PC006"
    assert (finding.line, finding.column) == position(broken, "shop:")
    assert finding.path == "spec.applications.shop.namespace"


def test_component_of_no_kind(tmp_path: Path) -> None:
    doc, text = platform(tmp_path, "web:\n  enabled: true\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC006"
    assert (finding.line, finding.column) == position(text, "web:")
    assert "none of `image`, `chart`, `external`" in finding.message


@pytest.mark.parametrize("name", ["Web", "web_server", "-web", "web-", "a" * 64, '"web\\n"'])
def test_invalid_component_name(tmp_path: Path, name: str) -> None:
    doc, text = platform(tmp_path, f"{name}:\n  image: docker.io/library/nginx:1.27.2\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC008"
    assert (finding.line, finding.column) == position(text, f"{name}:")
    assert "not a valid Kubernetes name" in finding.message or "at most 63" in finding.message
    assert "DNS-1123 label" in finding.message


def test_port_name_of_sixteen_characters(tmp_path: Path) -> None:
    doc, text = platform(
        tmp_path, "web:\n  image: docker.io/library/nginx:1.27.2\n  ports: {abcdefghijklmnop: 80}\n"
    )
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC009"
    assert (finding.line, finding.column) == position(text, "abcdefghijklmnop")
    assert finding.path == "spec.applications.shop.components.web.ports.abcdefghijklmnop"
    assert "is 16 characters long; a port name has at most 15" in finding.message


@pytest.mark.parametrize(
    "ports", ["{http: 0}", "{http: 65536}", "{http: web}", "{web--ui: 80}", "{'8080': 80}"]
)
def test_invalid_port(tmp_path: Path, ports: str) -> None:
    doc, _ = platform(tmp_path, f"web:\n  image: docker.io/library/nginx:1.27.2\n  ports: {ports}\n")
    assert {f.rule for f in validate_document(doc, None)} == {"PC009"}


def test_fifteen_character_port_name_is_fine(tmp_path: Path) -> None:
    doc, _ = platform(
        tmp_path, "web:\n  image: docker.io/library/nginx:1.27.2\n  ports: {abcdefghijklmno: 80}\n"
    )
    assert validate_document(doc, None) == []


CRONJOB = "job:\n  type: cronjob\n  image: docker.io/library/busybox:1.36\n  schedule: '{}'\n"


@pytest.mark.parametrize(
    "schedule",
    [
        "0 */6 * * *",
        "@daily",
        "0 3 * * *",
        "*/15 9-17 * * MON-FRI",
        "0 0 1,15 * *",
        "30 2 * jan,jul sun",
        "0 0 ? * 7",
    ],
)
def test_valid_cron_schedules(tmp_path: Path, schedule: str) -> None:
    doc, _ = platform(tmp_path, CRONJOB.format(schedule))
    assert validate_document(doc, None) == []


@pytest.mark.parametrize(
    "schedule", ["0 25 * * *", "0 3 * *", "* * * * * *", "every day", "60 * * * *", "@fortnightly"]
)
def test_bad_cron_schedule(tmp_path: Path, schedule: str) -> None:
    doc, text = platform(tmp_path, CRONJOB.format(schedule))
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC010"
    assert (finding.line, finding.column) == position(text, f"'{schedule}'")
    assert "not a valid cron schedule" in finding.message and "`0 3 * * *`" in finding.message


def test_cronjob_without_schedule(tmp_path: Path) -> None:
    doc, _ = platform(tmp_path, "job:\n  type: cronjob\n  image: docker.io/library/busybox:1.36\n")
    finding = only(validate_document(doc, None))
    assert (finding.rule, finding.path) == ("PC006", "spec.applications.shop.components.job.schedule")


def test_wrong_value_in_an_overlay_is_located_in_the_overlay(tmp_path: Path) -> None:
    base, _ = platform(tmp_path)
    overlay_text = textwrap.dedent(
        """\
        spec:
          applications:
            shop:
              components:
                web: {replicas: -2}
        """
    )
    (tmp_path / "dev.yaml").write_text(overlay_text, encoding="utf-8")
    overlay = load_document(tmp_path / "dev.yaml", "overlays/dev.yaml")
    finding = only(validate_document(merge_overlay(base, overlay), "dev"))
    assert finding.rule == "PC007"
    assert (finding.file, finding.line, finding.column) == (
        "overlays/dev.yaml",
        *position(overlay_text, "-2"),
    )
    assert "it must be at least 0" in finding.message


def test_secret_reference_typo_is_reported_inside_the_reference(tmp_path: Path) -> None:
    doc, text = platform(
        tmp_path,
        "web:\n  image: docker.io/library/nginx:1.27.2\n  env:\n    TOKEN: {secert: api, key: token}\n",
    )
    rules = {(f.rule, f.path) for f in validate_document(doc, None)}
    assert rules == {
        ("PC004", "spec.applications.shop.components.web.env.TOKEN.secert"),
        ("PC006", "spec.applications.shop.components.web.env.TOKEN.secret"),
    }
    assert not any("valid under" in f.message for f in validate_document(doc, None))


def test_every_mistake_is_reported_not_only_the_first(tmp_path: Path) -> None:
    doc, _ = platform(
        tmp_path,
        "web:\n  image: docker.io/library/nginx:1.27.2\n  replicas: many\n  spread: yes\n  typo: 1\n",
    )
    assert sorted(f.rule for f in validate_document(doc, None)) == ["PC004", "PC005", "PC005"]


def test_language_growth_keys_are_accepted(tmp_path: Path) -> None:
    doc, text = platform(
        tmp_path,
        """\
        web:
          image: docker.io/library/nginx:1.27.2
          ignore:
            - {rule: PC123, reason: The upstream image needs it.}
        """,
    )
    extra = (
        "  cluster:\n"
        "    nodes:\n"
        "      - name: cpu1\n"
        "        cpu: 8\n"
        "        memory: 32Gi\n"
        "        labels: {254carbon.com/pool: general}\n"
        '        taints: [{key: gpu, value: "true", effect: NoSchedule}]\n'
    )
    text = text.replace(
        "    apps: {}\n", "    apps: {mesh: true, networkPolicy: 'off', labels: {team: data}}\n"
    )
    path = tmp_path / "platform.yaml"
    path.write_text(text + extra, encoding="utf-8")
    assert validate_document(load_document(path, "platform.yaml"), None) == []


def test_ignore_entries_need_a_rule_id_and_a_reason(tmp_path: Path) -> None:
    doc, _ = platform(tmp_path, "web:\n  image: docker.io/library/nginx:1.27.2\n  ignore: [{rule: PC12}]\n")
    assert sorted(f.rule for f in validate_document(doc, None)) == ["PC006", "PC007"]


@pytest.mark.parametrize("data", [None, [], [1, 2], "text", 42, 1.5, True, {}, {"spec": None}, {1: 2}])
def test_any_document_shape_gives_findings_not_tracebacks(data: Any) -> None:
    findings = validate_document(Document(data, "platform.yaml"), None)
    assert findings
    assert all(f.rule in SCHEMA_RULES for f in findings)
    assert all(f.file == "platform.yaml" and f.line >= 1 and f.column >= 1 for f in findings)


def test_a_document_that_is_not_a_mapping_is_one_finding() -> None:
    finding = only(validate_document(Document(["a"], "platform.yaml"), None))
    assert finding.rule == "PC005"
    assert (finding.line, finding.column) == (1, 1)
    assert "must be a mapping with `apiVersion`, `kind`, `metadata` and `spec`" in finding.message


def test_an_empty_platform_file_is_one_finding() -> None:
    finding = only(validate_document(Document(None, "platform.yaml"), "dev"))
    assert (finding.rule, finding.file, finding.line, finding.column) == ("PC005", "platform.yaml", 1, 1)
    assert finding.message.startswith("platform.yaml is empty; it must be a mapping with `apiVersion`")


@pytest.mark.parametrize(
    ("base", "overlay", "culprit", "line"),
    [
        ("# the platform\n- spec\n", "spec: {}\n", "platform.yaml", 2),  # at the list
        ("platform\n", "", "platform.yaml", 1),
        ("", "- spec\n", "platform.yaml", 1),  # the base first: every environment shares it
        (None, "- spec\n", "overlays/dev.yaml", 1),
        (None, "# dev\nprod\n", "overlays/dev.yaml", 1),  # a scalar has no position of its own
    ],
)
def test_a_file_that_is_not_a_mapping_is_reported_at_that_file(
    tmp_path: Path, base: str | None, overlay: str, culprit: str, line: int
) -> None:
    if base is None:
        base_doc, _ = platform(tmp_path)
    else:
        (tmp_path / "platform.yaml").write_text(base, encoding="utf-8")
        base_doc = load_document(tmp_path / "platform.yaml", "platform.yaml")
    (tmp_path / "dev.yaml").write_text(overlay, encoding="utf-8")
    overlay_doc = load_document(tmp_path / "dev.yaml", "overlays/dev.yaml")
    finding = only(validate_document(merge_overlay(base_doc, overlay_doc), "dev"))
    assert (finding.rule, finding.file) == ("PC005", culprit)
    assert (finding.line, finding.column) == (line, 1)
    assert finding.message.startswith(culprit)
    if culprit == "platform.yaml":
        assert "must be a mapping with `apiVersion`, `kind`, `metadata` and `spec`" in finding.message
    else:
        assert "must be a mapping of the keys this environment changes" in finding.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_gives_findings_not_tracebacks(tmp_path: Path, data: st.DataObject) -> None:
    doc, _ = platform(tmp_path)
    paths = list(doc.values)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(JSON_VALUES)
    tree = copy.deepcopy(doc.data)
    if path:
        node = tree
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    else:
        tree = value
    for finding in validate_document(Document(tree, doc.file, doc.keys, doc.values), None):
        assert finding.rule in SCHEMA_RULES
        assert finding.message and finding.line >= 1
