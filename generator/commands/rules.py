"""`platformc rules [ID]`: every rule in one line each, or one rule's documentation; or JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from generator.commands.output import write_stdout
from generator.options import EXIT_OK, EXIT_USAGE, RulesOptions


def rules(options: RulesOptions) -> int:
    from generator.rules.docs import rules_command

    if options.fmt == "json":
        return _rules_json(options.rule_id)
    code, text = rules_command(options.rule_id)
    text = text if text.endswith("\n") else text + "\n"
    if code == EXIT_OK:
        write_stdout(text)
    else:
        sys.stderr.write(text)
    return code


def _rules_json(rule_id: str | None) -> int:
    """Every rule (or the one named) as data: what editors, dashboards and scripts read."""
    from generator.rules.docs import all_rules
    from generator.rules.registry import closest_rule

    known = all_rules()
    if rule_id is not None:
        wanted = rule_id.strip().upper()
        if wanted not in known:
            hint = closest_rule(rule_id.strip(), known)
            sys.stderr.write(f"platformc: unknown rule {rule_id!r}{hint} (`platformc rules` lists them)\n")
            return EXIT_USAGE
        known = {wanted: known[wanted]}
    payload: list[dict[str, Any]] = [
        {
            "id": rule.id,
            "severity": str(rule.severity),
            "family": rule.family,
            "title": rule.title,
            "why": rule.why,
            "fix": rule.fix,
            "suppressible": rule.suppressible,
            "stage": rule.stage,
            "example": {"bad": rule.bad, "good": rule.good} if rule.bad else None,
        }
        for rule in known.values()
    ]
    write_stdout(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
