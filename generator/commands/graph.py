"""`platformc graph`: applications, components and sync waves as Mermaid, DOT or SVG."""

from __future__ import annotations

from generator.commands.common import mention_errors, one_platform, refuse
from generator.commands.output import write_stdout
from generator.options import EXIT_OK, GraphOptions


def graph(options: GraphOptions) -> int:
    from generator.graph import render_graph

    result = one_platform(options.root, options.env)
    if result.platform is None:
        return refuse("text", result.findings, "graph refused: the environment does not build")
    # A graph of a platform with errors (a dependency cycle, say) is how one finds them.
    mention_errors(result)
    write_stdout(render_graph(result.platform, options.fmt))
    return EXIT_OK
