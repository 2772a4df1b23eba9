"""`platformc rules [ID]`: every rule in one line each, or one rule's documentation."""

from __future__ import annotations

import sys

from generator.commands.output import write_stdout
from generator.options import EXIT_OK, RulesOptions


def rules(options: RulesOptions) -> int:
    from generator.rules.docs import rules_command

    code, text = rules_command(options.rule_id)
    text = text if text.endswith("\n") else text + "\n"
    if code == EXIT_OK:
        write_stdout(text)
    else:
        sys.stderr.write(text)
    return code
