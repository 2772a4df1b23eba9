"""Every semantic rule's ID, family, severity and documentation, one module per family.

Defining them here, apart from the checks, keeps docs/rules.md reading as one
reference and each check module about code.
"""

from __future__ import annotations

from generator.rules.catalog import (  # noqa: F401  (importing registers the rules)
    alerts,
    availability,
    credentials,
    engines,
    fields,
    images,
    jvm,
    operations,
    policy,
    rendering,
    secrets,
    structure,
    variables,
    wiring,
)
