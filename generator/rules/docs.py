"""The rule reference: every rule platformc can report, for docs/rules.md, SARIF and `platformc rules`.

Regenerate the reference with `python -m generator.rules.docs > docs/rules.md`.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

from generator.rules import REGISTRY
from generator.rules.cluster_docs import CLUSTER_RULES
from generator.rules.engine import FAMILIES, closest_rule
from generator.rules.stage_docs import LOAD_RULES, VERIFY_RULES, StageRule

EXIT_OK, EXIT_USAGE = 0, 2
_FAMILY_TITLES = {
    "structure": "Structure and input",
    "wiring": "Wiring",
    "engines": "Configuration of known engines",
    "images": "Images and charts",
    "secrets": "Secrets",
    "policy": "Security policy (Kyverno)",
    "availability": "Availability and capacity",
    "rendering": "Rendering",
    "verify": "Verify (Helm engine and output schemas)",
    "operations": "Operations (network policies, dashboards)",
}


@dataclass(frozen=True)
class RuleDoc:
    id: str
    family: str
    severity: str
    title: str
    why: str
    fix: str
    bad: str
    good: str
    suppressible: bool
    stage: str  # which stage reports it: load, validate, schema, rules, verify


def _schema_docs() -> list[RuleDoc]:
    try:
        from generator.validate.schema import SCHEMA_RULES
    except ImportError:  # the schema stage is optional for the reference
        return []
    return [
        RuleDoc(i, "structure", "error", t, d, "", "", "", False, "schema")
        for i, (t, d) in SCHEMA_RULES.items()
    ]


def _stage_doc(rule: StageRule, family: str, stage: str) -> RuleDoc:
    return RuleDoc(
        rule.id, family, rule.severity, rule.title, rule.why, rule.fix, rule.bad, rule.good, False, stage
    )


@functools.cache
def all_rules() -> dict[str, RuleDoc]:
    docs = [_stage_doc(r, "structure", r.stage or "load") for r in LOAD_RULES]
    docs += _schema_docs()
    docs += [
        RuleDoc(
            r.id, r.family, str(r.severity), r.title, r.why, r.fix, r.bad, r.good, r.suppressible, "rules"
        )
        for r in REGISTRY.values()
    ]
    docs += [_stage_doc(r, "verify", r.stage or "verify") for r in (*VERIFY_RULES, *CLUSTER_RULES)]
    return {d.id: d for d in sorted(docs, key=lambda d: d.id)}


def known_rule_ids() -> frozenset[str]:
    return frozenset(all_rules())


def rule_summary(rule_id: str) -> tuple[str, str]:
    """(title, documentation) of any rule platformc reports; an unknown ID gives (ID, "")."""
    doc = all_rules().get(rule_id)
    if doc is None:
        return rule_id, ""
    text = doc.why if not doc.fix else f"{doc.why}\n\nHow to fix: {doc.fix}"
    return doc.title, text


def _section(doc: RuleDoc) -> list[str]:
    lines = [
        f'<a id="{doc.id.lower()}"></a>',
        f"### {doc.id} — {doc.title}",
        "",
        f"Family: {doc.family} · severity: {doc.severity} · "
        f"suppressible: {'yes' if doc.suppressible else 'no'} · reported by: {doc.stage}",
        "",
        f"**Why.** {doc.why}",
        "",
    ]
    if doc.fix:
        lines += [f"**How to fix.** {doc.fix}", ""]
    if doc.bad:
        lines += ["**Example.** This is reported:", "", "```yaml", doc.bad, "```", ""]
        lines += ["Fixed:", "", "```yaml", doc.good, "```", ""] if doc.good else []
    return lines


def render_reference() -> str:
    rules = all_rules()
    families = [f for f in (*FAMILIES, "verify") if any(d.family == f for d in rules.values())]
    out = [
        "# Rule reference",
        "",
        "<!-- Generated from the rule registry; do not edit. Regenerate with:",
        "     python -m generator.rules.docs > docs/rules.md -->",
        "",
        "Every finding platformc reports names one of these rules: `platform.yaml:42:7: PC101 error: …`.",
        "`platformc rules` lists them and `platformc rules PC101` prints one. Errors stop `render` and fail",
        "`check`; warnings do not. Rules run on the merged document of each environment, so a mistake made",
        "only by an overlay is reported for that environment, at the overlay's line.",
        "",
        "A component can accept a warning it knowingly lives with:",
        '`ignore: [{rule: PC602, reason: "a single replica is enough in this cluster"}]`. The finding',
        "stays in the output, marked suppressed, with the reason. Rules marked *suppressible: no* break",
        "the cluster and cannot be ignored (PC017 says so where someone tried).",
        "",
        "## Contents",
        "",
    ]
    for family in families:
        members = [d for d in rules.values() if d.family == family]
        out.append(f"- [{_FAMILY_TITLES[family]}](#{family})")
        out += [f"  - [{d.id}](#{d.id.lower()}) {d.title}" for d in members]
    out.append("")
    for family in families:
        out += [f'<a id="{family}"></a>', f"## {_FAMILY_TITLES[family]}", ""]
        for doc in (d for d in rules.values() if d.family == family):
            out += _section(doc)
    return "\n".join(out).rstrip("\n") + "\n"


def rules_command(rule_id: str | None) -> tuple[int, str]:
    """`platformc rules [ID]`: (exit code, text)."""
    rules = all_rules()
    if rule_id is None:
        width = max(len(d.title) for d in rules.values())
        lines = [f"{d.id}  {d.severity:<7}  {d.family:<12}  {d.title:<{width}}" for d in rules.values()]
        return EXIT_OK, "\n".join(line.rstrip() for line in lines) + "\n"
    doc = rules.get(rule_id.strip().upper())
    if doc is None:
        hint = closest_rule(rule_id.strip(), rules)
        return EXIT_USAGE, f"platformc: unknown rule {rule_id!r}{hint} (`platformc rules` lists them)\n"
    text = "\n".join(line for line in _section(doc) if not line.startswith("<a id="))
    return EXIT_OK, text.rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_reference())
