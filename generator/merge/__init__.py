"""Stage 2: overlays merged onto the base document, one environment at a time."""

from __future__ import annotations

from generator.merge.overlay import merge_overlay
from generator.merge.templates import expand_templates

__all__ = ["expand_templates", "merge_overlay"]
