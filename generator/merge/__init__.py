"""Stage 2: overlays merged onto the base document, one environment at a time."""

from __future__ import annotations

from generator.merge.overlay import merge_overlay

__all__ = ["merge_overlay"]
