"""Reporters: small classes over the same findings, one per output format."""

from __future__ import annotations

from generator.report.formats import FORMATS, Report, render_report

__all__ = ["FORMATS", "Report", "render_report"]
