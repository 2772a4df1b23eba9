"""Kubernetes quantities (`500m`, `4Gi`, `1e3`) as exact numbers, for the rules and for verify.

`parse_quantity` reads Kubernetes' own grammar to the letter, as Kyverno compares values;
`quantity` reads an amount as platform.yaml writes it (a YAML number, surrounding blanks,
`K` for `k`) through the same grammar.
"""

from __future__ import annotations

import re
from fractions import Fraction

_QUANTITY = re.compile(
    r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$"
)
# Decimal suffixes are powers of ten, binary ones (`Ki` … `Ei`) powers of 1024.
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_SUFFIX = {
    **{suffix: Fraction(10) ** power for suffix, power in _DECIMAL.items()},
    **{f"{prefix}i": Fraction(2) ** (10 * step) for step, prefix in enumerate("KMGTPE", 1)},
}
# Past this, a power of ten has more digits than any amount Kubernetes holds (it caps
# quantities at 2^63-1) and would only cost time and memory to compute exactly.
_LARGEST_EXPONENT = 999_999


def parse_quantity(text: str) -> Fraction | None:
    """A Kubernetes resource quantity (`500m`, `1Gi`, `1e3`), or None when `text` is not one."""
    found = _QUANTITY.match(text)
    if found is None:
        return None
    number, exponent, suffix = found.groups()
    if exponent:
        power = int(exponent[1:])
        if abs(power) > _LARGEST_EXPONENT:
            return None
        return Fraction(number) * Fraction(10) ** power
    return Fraction(number) * _SUFFIX[suffix or ""]


def quantity(value: object) -> Fraction | None:
    """An amount as platform.yaml writes it (`500m`, `4Gi`, `4K`, `2`, 0.5) exactly; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Fraction(str(value))
    text = str(value).strip()
    # The schema writes memory units as K too; Kubernetes' own `k` means the same.
    return parse_quantity(text[:-1] + "k" if text.endswith("K") else text)
