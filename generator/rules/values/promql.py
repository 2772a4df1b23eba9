"""PromQL, judged by the maintained parser Prometheus' own grammar is ported to (`promql-parser`)."""

from __future__ import annotations


def promql_error(expr: str) -> str | None:
    """Why `expr` is not a PromQL expression (the parser's message), or None when it parses."""
    import promql_parser  # a compiled extension: imported when an alert is first read

    try:
        promql_parser.parse(expr)
    except ValueError as e:
        return str(e) or "invalid expression"
    return None
