"""Stage 7: the rendered tree on disk — written atomically, compared for drift."""

from __future__ import annotations

from generator.write.drift import Drift, compare_tree
from generator.write.swap import render_lock, write_environment, write_environments

__all__ = ["Drift", "compare_tree", "render_lock", "write_environment", "write_environments"]
