"""Stage 6: the resolved platform turned into files — charts, Kyverno, ArgoCD, namespaces."""

from __future__ import annotations

from generator.emit.environment import emit_platform
from generator.emit.tree import RenderedTree

__all__ = ["RenderedTree", "emit_platform"]
