"""False starts inside one reading: "four four- four five one two ...", "5 3 6- 5 3 6 9 0 ...".

Speech-to-text keeps a stutter: the caller starts a number, breaks off (written as a dash glued to
the last word, "four-", or an ellipsis) and starts again from the beginning or from a few digits
back. Read as written the reading has one to four digits too many, so no length or checksum rule
fits it and the whole number leaks. A *false start* is the run of atoms before such a break whose
restart begins with the same digit as the run; the variants here drop one such run (any suffix of
up to _MAX_FRAGMENT_ATOMS atoms before the break, since the caller may restart from the first digit
or from the one that was cut), so the detectors can validate the digits the caller meant. The
redacted span stays the whole reading, fragments included.
"""

from __future__ import annotations

import re

# A break: a dash glued to the word before it and a space after ("four- four"), or an ellipsis.
_BREAK = re.compile(r"(?:[-\u2013\u2014]{1,2}|\.\.\.|\u2026)[ \t,]")
_MAX_FRAGMENT_ATOMS = 4
_MAX_VARIANTS = 8


def has_break(gap: str) -> bool:
    return _BREAK.match(gap) is not None


def false_start_variants(values: list[str], gaps: list[str]) -> list[tuple[int, int]]:
    """(first, last) atom indices of runs that may be false starts, for atoms with digit `values`
    and `gaps[i]` the text between atom i and atom i + 1. Runs never cross an earlier break."""
    variants: list[tuple[int, int]] = []
    floor = 0
    for cut, gap in enumerate(gaps):
        if not has_break(gap) or cut + 1 >= len(values):
            continue
        restart = values[cut + 1]
        for first in range(cut, max(floor, cut - _MAX_FRAGMENT_ATOMS + 1) - 1, -1):
            if values[first][:1] == restart[:1]:
                variants.append((first, cut))
                if len(variants) >= _MAX_VARIANTS:
                    return variants
        floor = cut + 1
    return variants
