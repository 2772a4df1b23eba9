"""Stage 3: the merged document checked against the platform language's JSON Schema."""

from __future__ import annotations

from generator.validate.schema import SCHEMA_RULES, load_schema, validate_document

__all__ = ["SCHEMA_RULES", "load_schema", "validate_document"]
