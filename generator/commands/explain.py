"""`platformc explain`: one component, resolved, with the file:line of every value."""

from __future__ import annotations

from generator.commands.common import checked_envs, mention_errors, one_platform, refuse
from generator.commands.output import write_stdout
from generator.options import EXIT_OK, ExplainOptions
from generator.pipeline import analyse

ALL_ENVS = "all"


def explain(options: ExplainOptions) -> int:
    from generator.explain.explanation import explain_component
    from generator.explain.report import render_explanation

    if options.env == ALL_ENVS and ALL_ENVS not in checked_envs(options.root, []):
        return _explain_across(options)
    result = one_platform(options.root, options.env)
    if result.platform is None:
        return refuse(options.fmt, result.findings, "explain refused: the environment does not build")
    mention_errors(result)
    explanation = explain_component(result.platform, options.target, result.findings)
    write_stdout(render_explanation(explanation, options.fmt))
    return EXIT_OK


def _explain_across(options: ExplainOptions) -> int:
    """`--env all`: the component in every environment, side by side."""
    from generator.explain.across import render_across_json, render_across_text
    from generator.explain.explanation import explain_component

    results = analyse(options.root, checked_envs(options.root, []))
    broken = [r for r in results if r.platform is None]
    if broken:
        findings = [f for r in broken for f in r.findings]
        return refuse(options.fmt, findings, f"explain refused: {broken[0].env} does not build")
    explanations = []
    for result in results:
        assert result.platform is not None
        mention_errors(result)
        explanations.append(explain_component(result.platform, options.target, result.findings))
    render = render_across_json if options.fmt == "json" else render_across_text
    write_stdout(render(explanations))
    return EXIT_OK
