"""Maps a chart's templates write whole, followed through variables, `with` blocks and helpers.

The templates are the shapes the pinned upstream charts use (VictoriaMetrics'
`vm.securityContext` helper, external-secrets' `renderSecurityContext`), each next
to a neighbour that reads named fields only and so leaves the map closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.rules.chart_declaration import declaration_of
from generator.rules.template_flow import helper_bodies, summarise, whole_maps
from generator.rules.values_contract import Problem, check_values

Build = Callable[..., bytes]

# victoria-metrics-common 0.0.x, templates/_pod.tpl (the comment and the helper as shipped)
VM_HELPER = """
{{- /*
Usage:
{{- include "vm.securityContext" (dict "securityContext" .Values.containerSecurityContext "helm" .) -}}
*/ -}}
{{- define "vm.securityContext" -}}
  {{- $securityContext := .securityContext -}}
  {{- $Values := (.helm).Values | default .Values -}}
  {{- $adaptMode := (((($Values).global).compatibility).openshift).adaptSecurityContext | default "" -}}
  {{- if or (eq $adaptMode "force") (and (eq $adaptMode "auto") (include "vm.isOpenshift" .)) -}}
    {{- $securityContext = omit $securityContext "fsGroup" "runAsUser" "runAsGroup" -}}
  {{- end -}}
  {{- omit $securityContext "enabled" | toYaml -}}
{{- end -}}
"""
# victoria-metrics-single 0.12.2, templates/server-deployment.yaml (the lines that use it, indented less)
VM_DEPLOYMENT = """
{{- $app := .Values.server }}
spec:
  {{- if $app.podSecurityContext.enabled }}
  securityContext:
    {{- include "vm.securityContext" (dict "securityContext" $app.podSecurityContext "helm" .) }}
  {{- end }}
"""
# external-secrets 0.10.4, templates/deployment.yaml (indented less) and _helpers.tpl
ESO_DEPLOYMENT = """
  {{- with .Values.podSecurityContext }}
  {{- if and (.enabled) (gt (keys . | len) 1) }}
  securityContext:
    {{- include "external-secrets.renderSecurityContext" (dict "securityContext" . "context" $) | nindent 8 }}
  {{- end }}
  {{- end }}
"""
ESO_HELPER = """
{{- define "external-secrets.renderSecurityContext" -}}
{{- $adaptedContext := .securityContext -}}
{{- if .context.Values.global.compatibility -}}
  {{- $adaptedContext = omit $adaptedContext "fsGroup" "runAsUser" "runAsGroup" -}}
{{- end -}}
{{- omit $adaptedContext "enabled" | toYaml -}}
{{- end -}}
"""
# The neighbour: a helper that tests the switch and writes fixed fields, not the map.
NAMED_HELPER = """
{{- define "app.securityContext" -}}
{{- if .securityContext.enabled }}
runAsNonRoot: true
{{- end }}
{{- end -}}
"""
RESTRICTED = {
    "enabled": True,
    "runAsNonRoot": True,
    "runAsUser": 65534,
    "seccompProfile": {"type": "RuntimeDefault"},
}


def problems(
    build: Build, templates: dict[str, str], values: dict[str, Any], defaults: dict[str, Any]
) -> list[Problem]:
    return check_values(declaration_of(build("app", values=defaults, templates=templates)), values)


def test_a_map_a_helper_writes_with_omit_and_toyaml_takes_any_key(chart_archive: Build) -> None:
    defaults = {"server": {"podSecurityContext": {"enabled": True}}}
    values = {"server": {"podSecurityContext": RESTRICTED}}
    templates = {"_pod.tpl": VM_HELPER, "deployment.yaml": VM_DEPLOYMENT}
    assert problems(chart_archive, templates, values, defaults) == []


def test_a_map_a_helper_reads_fields_of_stays_closed(chart_archive: Build) -> None:
    defaults = {"server": {"podSecurityContext": {"enabled": True}}}
    values = {"server": {"podSecurityContext": RESTRICTED}}
    deployment = VM_DEPLOYMENT.replace('"vm.securityContext"', '"app.securityContext"')
    templates = {"_pod.tpl": NAMED_HELPER, "deployment.yaml": deployment}
    found = problems(chart_archive, templates, values, defaults)
    assert [(p.kind, p.path[-1]) for p in found] == [
        ("unknown", "runAsNonRoot"),
        ("unknown", "runAsUser"),
        ("unknown", "seccompProfile"),
    ]


def test_the_dot_of_a_with_block_carries_the_map_into_the_helper(chart_archive: Build) -> None:
    defaults = {"podSecurityContext": {"enabled": True}, "global": {"compatibility": {}}}
    templates = {"_helpers.tpl": ESO_HELPER, "deployment.yaml": ESO_DEPLOYMENT}
    assert problems(chart_archive, templates, {"podSecurityContext": RESTRICTED}, defaults) == []
    closed = {"deployment.yaml": ESO_DEPLOYMENT}  # no helper of that name: nothing writes the map
    found = problems(chart_archive, closed, {"podSecurityContext": RESTRICTED}, defaults)
    assert [p.path[-1] for p in found] == ["runAsNonRoot", "runAsUser", "seccompProfile"]


def test_a_misspelt_key_beside_an_open_map_is_still_unknown(chart_archive: Build) -> None:
    defaults = {"server": {"podSecurityContext": {"enabled": True}, "retentionPeriod": 1}}
    templates = {"_pod.tpl": VM_HELPER, "deployment.yaml": VM_DEPLOYMENT}
    values = {"server": {"podSecurityContext": RESTRICTED, "retentionPeriodd": "30d"}}
    [problem] = problems(chart_archive, templates, values, defaults)
    assert (problem.kind, problem.path) == ("unknown", ("server", "retentionPeriodd"))
    assert problem.suggestions == ("server.retentionPeriod",)


def test_a_helper_handing_its_argument_to_another_helper_writes_it_whole() -> None:
    outer = '{{- define "outer" -}}{{ include "vm.securityContext" (dict "securityContext" .sc) }}{{- end -}}'
    helpers = {**helper_bodies(VM_HELPER), **helper_bodies(outer)}
    assert summarise(helpers)["outer"] == frozenset({("sc",)})
    use = '{{ include "outer" (dict "sc" .Values.a.b) }}'
    assert whole_maps([use], helpers) == frozenset({("a", "b")})


def test_an_else_branch_leaves_the_with_dot_behind() -> None:
    text = "{{ with .Values.a }}x{{ else }}{{ toYaml . }}{{ end }}{{ with .Values.b }}{{ toYaml . }}{{ end }}"
    assert whole_maps([text], {}) == frozenset({("b",)})


def test_ranging_over_a_map_or_reading_its_fields_does_not_write_it_whole() -> None:
    text = "{{ range .Values.hosts }}{{ toYaml .paths }}{{ end }}{{ $c := .Values.c }}{{ $c.port }}"
    assert whole_maps([text], {}) == frozenset()
    assert whole_maps(["{{ $c := .Values.c }}{{ $c | toJson }}"], {}) == frozenset({("c",)})


def test_a_helper_body_runs_only_where_it_is_included() -> None:
    text = '{{- define "h" -}}{{ toYaml .Values.x }}{{- end -}}'
    assert whole_maps([text], helper_bodies(text)) == frozenset()
    assert whole_maps([text, '{{ include "h" . }}'], helper_bodies(text)) == frozenset({("x",)})
