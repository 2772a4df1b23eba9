"""The rule registry: every rule is defined once, with its stage, and has a failing and a passing case.

Semantic rules are held to folders of tests/cases (`<rule>-<slug>` reports it,
`<rule>-ok-<slug>` is its passing neighbour, checked by test_cases.py). Rules
other stages report, and the few semantic ones whose case would not fit in a
folder, name the unit tests that fail and pass them; those tests must exist,
and a failing one must name the rule it reports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.load import load_document
from generator.rules import REGISTRY
from generator.rules.registry import CHECKS, STAGES, semantic_rules
from generator.rules.runner import SUPPRESS_REFUSED, SUPPRESS_UNKNOWN

TESTS = Path(__file__).resolve().parents[2]
CASES = TESTS / "cases"

# rule -> (unit test that reports it, unit test of a neighbour that does not), as `file::function`.
UNIT_CASES: dict[str, tuple[str, str]] = {
    "PC001": (
        "unit/load/test_yaml.py::test_syntax_error_points_at_the_line",
        "unit/load/test_yaml.py::test_values_keep_line_and_column",
    ),
    "PC002": (
        "unit/load/test_yaml.py::test_duplicate_key_is_refused_with_both_lines",
        "unit/load/test_yaml.py::test_values_keep_line_and_column",
    ),
    "PC003": (
        "unit/load/test_yaml.py::test_billion_laughs_fails_fast",
        "unit/load/test_yaml.py::test_sequence_items_are_located",
    ),
    "PC004": (
        "unit/validate/test_validate_cases.py::test_misspelt_key_is_reported_at_the_key_with_a_suggestion",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC005": (
        "unit/validate/test_validate_cases.py::test_wrong_type_is_reported_at_the_value",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC006": (
        "unit/validate/test_validate_cases.py::test_missing_required_key_is_reported_at_the_parent_key",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC007": (
        "unit/validate/test_validate_cases.py::test_wrong_value_in_an_overlay_is_located_in_the_overlay",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC008": (
        "unit/validate/test_validate_cases.py::test_invalid_component_name",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC009": (
        "unit/validate/test_validate_cases.py::test_invalid_port",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC010": (
        "unit/validate/test_validate_cases.py::test_bad_cron_schedule",
        "unit/validate/test_validate_cases.py::test_the_minimal_platform_is_valid",
    ),
    "PC018": (
        "unit/validate/test_environment.py::test_other_names_are_one_finding_at_the_overlay",
        "unit/validate/test_environment.py::test_dns_labels_are_environment_names",
    ),
    "PC705": (
        "unit/rules/test_helpers.py::test_files_over_a_configmap_are_refused",
        "cases/PC704-ok-distinct-files",
    ),
    "PC017": ("cases/PC017-cannot-suppress-error", "cases/PC016-ok-ignore-suppresses-warning"),
    "PC801": (
        "unit/verify/test_verify_kubeconform.py::test_each_validation_error_of_an_invalid_resource_is_a_pc801",
        "unit/verify/test_verify_kubeconform.py::test_valid_resources_are_silent_and_skipped_ones_are_not_verified",
    ),
    "PC802": (
        "unit/verify/test_verify_objects.py::test_an_unknown_custom_resource_has_no_schema",
        "unit/verify/test_verify_kubeconform.py::test_valid_resources_are_silent_and_skipped_ones_are_not_verified",
    ),
    "PC803": (
        "unit/verify/test_verify_kubeconform.py::test_output_that_is_not_a_report_is_pc803",
        "unit/verify/test_verify_kubeconform.py::test_valid_resources_are_silent_and_skipped_ones_are_not_verified",
    ),
    "PC804": (
        "unit/verify/test_verify_helm.py::test_lint_of_a_broken_template_is_pc804",
        "unit/verify/test_verify_helm.py::test_lint_of_a_sound_chart_reports_nothing_but_information",
    ),
    "PC805": (
        "unit/verify/test_verify_helm.py::test_a_chart_with_an_upstream_chart_not_vendored_renders_the_rest",
        "unit/verify/test_verify_helm.py::test_crds_are_included_and_notes_and_partials_are_not",
    ),
    "PC806": (
        "unit/verify/test_verify_sources.py::test_a_missing_application_source_is_pc806",
        "unit/verify/test_verify_sources.py::test_the_rendered_tree_has_a_source_for_every_application",
    ),
    "PC807": (
        "unit/verify/test_verify_cache.py::test_declared_namespaces_are_checked_on_a_hit",
        "unit/verify/test_verify_cache.py::test_a_hit_returns_the_same_findings",
    ),
    "PC809": (
        "unit/upstream/test_upstream_charts.py::test_a_digest_mismatch_is_pc809_and_nothing_at_all_is_written",
        "unit/upstream/test_upstream_charts.py::test_every_pinned_chart_is_fetched_once_and_locked",
    ),
    "PC820": (
        "unit/verify/cluster/test_cluster_crds.py::test_kind_without_any_crd_is_reported",
        "unit/verify/cluster/test_cluster_crds.py::test_crd_from_an_earlier_wave_passes",
    ),
    "PC821": (
        "unit/verify/cluster/test_cluster_apply.py::test_object_over_the_limit_with_client_side_apply_is_reported",
        "unit/verify/cluster/test_cluster_apply.py::test_object_over_the_limit_with_server_side_apply_passes",
    ),
    "PC822": (
        "unit/verify/cluster/test_cluster_services.py::test_name_of_a_missing_service_is_reported",
        "unit/verify/cluster/test_cluster_services.py::test_existing_service_and_port_pass",
    ),
    "PC823": (
        "unit/verify/cluster/test_cluster_secrets.py::test_secret_nothing_produces_is_reported",
        "unit/verify/cluster/test_cluster_secrets.py::test_secret_produced_in_the_same_or_an_earlier_wave_passes",
    ),
    "PC824": (
        "unit/verify/cluster/test_cluster_crds.py::test_custom_resource_failing_its_crd_schema_is_reported",
        "unit/verify/cluster/test_cluster_crds.py::test_custom_resource_matching_its_crd_schema_passes",
    ),
    "PC831": (
        "unit/verify/cluster/test_cluster_disruption.py::test_a_budget_that_never_allows_an_eviction_is_reported",
        "unit/verify/cluster/test_cluster_disruption.py::test_budgets_that_allow_an_eviction_pass",
    ),
    "PC832": (
        "unit/verify/cluster/test_cluster_mesh_jobs.py::test_a_job_injected_with_a_sidecar_is_reported",
        "unit/verify/cluster/test_cluster_mesh_jobs.py::test_jobs_without_a_sidecar_pass",
    ),
    "PC825": (
        "unit/verify/cluster/test_cluster_exposure.py::test_load_balancer_without_a_provider_is_reported",
        "unit/verify/cluster/test_cluster_exposure.py::test_load_balancer_with_a_cloud_provider_passes",
    ),
    "PC826": (
        "unit/verify/cluster/test_cluster_podsecurity.py::test_privileged_pod_in_a_baseline_namespace_is_reported",
        "unit/verify/cluster/test_cluster_podsecurity.py::test_restricted_pod_in_a_restricted_namespace_passes",
    ),
    "PC827": (
        "unit/verify/cluster/test_cluster_kyverno.py::test_a_pod_adding_net_raw_is_rejected_naming_workload_policy_and_rule",
        "unit/verify/cluster/test_cluster_kyverno.py::test_a_compliant_pod_is_admitted",
    ),
    "PC828": (
        "unit/verify/cluster/test_cluster_kyverno.py::test_an_exception_naming_a_policy_nothing_installs_is_an_error",
        "unit/verify/cluster/test_cluster_kyverno.py::test_an_exception_naming_installed_autogen_rules_is_fine",
    ),
    "PC829": (
        "unit/verify/cluster/test_cluster_kyverno.py::test_a_rule_the_evaluator_cannot_judge_is_a_warning_never_a_pass",
        "unit/verify/cluster/test_cluster_kyverno.py::test_rules_the_evaluator_judges_give_no_warning",
    ),
    "PC830": (
        "unit/verify/cluster/test_cluster_kyverno.py::test_a_listed_policy_nothing_installs_is_an_error",
        "unit/verify/cluster/test_cluster_kyverno.py::"
        "test_a_listed_rule_the_policy_lacks_is_an_error_and_installed_ones_are_fine",
    ),
    "PC710": (
        "unit/write/test_removals.py::test_dropping_a_stateful_component_says_what_data_is_left",
        "unit/write/test_removals.py::test_the_platform_as_committed_removes_nothing",
    ),
    "PC840": (
        "unit/verify/test_argocd_setup.py::test_waves_without_the_health_check_in_the_bootstrap_values_are_pc840",
        "unit/verify/test_argocd_setup.py::test_the_rendered_platform_has_the_health_check_in_both_installations",
    ),
    "PC841": (
        "unit/emit/test_argocd_clusters.py::test_in_cluster_names_collide_when_one_argocd_would_manage_them",
        "unit/emit/test_argocd_clusters.py::test_a_central_argocd_qualifies_every_name_and_no_two_environments_collide",
    ),
}


def _case_rules(folder: Path) -> set[str]:
    expect = load_document(folder / "expect.yaml", "expect.yaml").data or {}
    return {str(f["rule"]) for f in expect.get("findings") or []}


def _folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expect.yaml").is_file())


def _function_source(reference: str) -> str | None:
    """The source of `file::function` under tests/, or None when there is no such test."""
    file, _, name = reference.partition("::")
    path = TESTS / file
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(text, node)
    return None


def _evidence(reference: str, rule: str, *, failing: bool) -> bool:
    if reference.startswith("cases/"):
        folder = TESTS / reference
        if not (folder / "expect.yaml").is_file():
            return False
        return (rule in _case_rules(folder)) is failing
    source = _function_source(reference)
    return source is not None and (rule in source or not failing)


@pytest.mark.parametrize("rule", sorted(REGISTRY))
def test_every_rule_has_a_failing_and_a_passing_case(rule: str) -> None:
    folders = [p for p in _folders() if p.name.startswith(f"{rule}-")]
    failing = [p for p in folders if "-ok-" not in p.name and rule in _case_rules(p)]
    passing = [p for p in folders if p.name.startswith(f"{rule}-ok-") and rule not in _case_rules(p)]
    if failing and passing:
        return
    assert rule in UNIT_CASES, f"{rule} has no tests/cases/{rule}-<slug> and {rule}-ok-<slug>, nor UNIT_CASES"
    reports, passes = UNIT_CASES[rule]
    assert failing or _evidence(reports, rule, failing=True), f"{rule}: {reports} does not report it"
    assert passing or _evidence(passes, rule, failing=False), f"{rule}: {passes} is no passing case"


def test_unit_cases_name_only_rules_that_need_them() -> None:
    assert set(UNIT_CASES) <= set(REGISTRY)


def test_every_stage_is_known_and_semantic_rules_have_a_check() -> None:
    assert {rule.stage for rule in REGISTRY.values()} <= set(STAGES)
    declared = {rule for entry in CHECKS for rule in entry.rules}
    semantic = set(semantic_rules())
    assert declared <= semantic, sorted(declared - semantic)
    # The runner reports the two suppression rules itself; every other semantic rule has a check.
    assert semantic - declared == {SUPPRESS_UNKNOWN, SUPPRESS_REFUSED}


def test_only_semantic_rules_can_be_suppressed() -> None:
    assert not [r.id for r in REGISTRY.values() if r.suppressible and not r.semantic]
    assert {r.stage for r in REGISTRY.values() if not r.semantic} == {
        "load",
        "validate",
        "schema",
        "verify",
        "render",
    }
