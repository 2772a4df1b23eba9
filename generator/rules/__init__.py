"""Stage 5: semantic rules over the resolved model of one environment."""

from __future__ import annotations

from generator.rules.engine import run_rules

__all__ = ["run_rules"]
