"""bench/ holds scripts, not a package: make its modules importable for these tests.

Appended, not prepended, so nothing in bench/ can shadow an installed module.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))
