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
_SUFFIX = {
    "": Fraction(1),
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
    "Ki": Fraction(2**10),
    "Mi": Fraction(2**20),
    "Gi": Fraction(2**30),
    "Ti": Fraction(2**40),
    "Pi": Fraction(2**50),
    "Ei": Fraction(2**60),
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
