"""Stage 7: the rendered tree on disk — written atomically, compared for drift."""

from __future__ import annotations

from generator.write.drift import Drift, compare_tree, compare_trees, compare_trees_alongside
from generator.write.fork import default_jobs
from generator.write.ownership import is_platformc_tree, refuse_foreign_trees
from generator.write.swap import render_lock, write_environment, write_environments

__all__ = [
    "Drift",
    "compare_tree",
    "compare_trees",
    "compare_trees_alongside",
    "default_jobs",
    "is_platformc_tree",
    "refuse_foreign_trees",
    "render_lock",
    "write_environment",
    "write_environments",
]
