"""Kyverno admission, evaluated offline: validate rules of ClusterPolicies against workloads.

policies, exceptions = parse_documents(objects)
verdicts = evaluate_workload(policies, exceptions, deployment)
rejected = [v for v in verdicts if v.blocks]
"""

from __future__ import annotations

from generator.verify.admission.autogen import computed_rules, controllers, installed_rule_names, rule_name
from generator.verify.admission.config import KyvernoConfig, parse_config, parse_filters
from generator.verify.admission.engine import evaluate, evaluate_workload
from generator.verify.admission.exceptions import (
    DanglingName,
    ExceptionIndex,
    dangling,
    honoured,
    names_rule,
    naming,
)
from generator.verify.admission.model import (
    ClusterPolicy,
    Outcome,
    PolicyException,
    Rule,
    Unsupported,
    Verdict,
    parse_documents,
    parse_exception,
    parse_policy,
)
from generator.verify.admission.pods import PodSample, pods_from_template, pods_of

__all__ = [
    "ClusterPolicy",
    "DanglingName",
    "ExceptionIndex",
    "KyvernoConfig",
    "Outcome",
    "PodSample",
    "PolicyException",
    "Rule",
    "Unsupported",
    "Verdict",
    "computed_rules",
    "controllers",
    "dangling",
    "evaluate",
    "evaluate_workload",
    "installed_rule_names",
    "honoured",
    "names_rule",
    "naming",
    "parse_documents",
    "parse_config",
    "parse_exception",
    "parse_filters",
    "parse_policy",
    "pods_from_template",
    "pods_of",
    "rule_name",
]
