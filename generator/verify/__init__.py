"""Stage 8: prove the rendered tree with the real Helm engine and schema validation."""
