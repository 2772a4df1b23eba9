"""`platformc explain`: one component, resolved, with the file:line of every value."""

from __future__ import annotations

from generator.commands.common import mention_errors, one_platform, refuse
from generator.commands.output import write_stdout
from generator.options import EXIT_OK, ExplainOptions


def explain(options: ExplainOptions) -> int:
    from generator.explain.explanation import explain_component
    from generator.explain.report import render_explanation

    result = one_platform(options.root, options.env)
    if result.platform is None:
        return refuse(options.fmt, result.findings, "explain refused: the environment does not build")
    mention_errors(result)
    explanation = explain_component(result.platform, options.target, result.findings)
    write_stdout(render_explanation(explanation, options.fmt))
    return EXIT_OK
