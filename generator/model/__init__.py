"""Stage 4: the typed, resolved platform of one environment."""

from __future__ import annotations

from generator.model.build import build_platform
from generator.model.parts import SecretUse
from generator.model.types import Application, Component, Platform, Reference

__all__ = ["Application", "Component", "Platform", "Reference", "SecretUse", "build_platform"]
