"""Tax family: SSN / ITIN / EIN in their distinctive written formats, and tax numbers next to a cue.
(NINO and prefixed VAT numbers carry letters and are found in detectors/letters.py.)"""

from __future__ import annotations

import re

from streams.redact import validators
from streams.redact.context import Context
from streams.redact.findings import UK_NINO, UK_UTR, US_EIN, US_ITIN, US_SSN, VAT_NUMBER, Detection
from streams.redact.groups import Group
from streams.redact.probe import DIGITS


def detect_formatted_tax_ids(group: Group, digits: str) -> Detection | None:
    """SSN/ITIN written ddd-dd-dddd and EIN written dd-ddddddd are distinctive enough alone."""
    if len(digits) != 9 or any(atom.kind != DIGITS for atom in group.atoms):
        return None
    lengths = tuple(len(atom.value) for atom in group.atoms)
    separators = {separator.strip() for separator in group.separators}
    if len(separators) != 1:
        return None
    (separator,) = separators
    span = [(group.start, group.end)]
    if lengths == (3, 2, 4) and separator in ("-", ".", ""):
        if validators.is_us_itin(digits):
            return Detection(US_ITIN, span)
        if validators.is_us_ssn(digits):
            return Detection(US_SSN, span)
    if lengths == (2, 7) and separator == "-" and validators.is_us_ein(digits):
        return Detection(US_EIN, span)
    return None


CUE_TYPES = ("ssn", "itin", "ein", "utr", "tax", "vat", "ssn_last4")


def classify_by_cue(cue: str, cue_text: str, digits: str, group: Group, context: Context) -> str | None:
    length = len(digits)
    if cue == "ssn":
        if length == 9:
            return US_ITIN if validators.is_us_itin(digits) else US_SSN
        return None
    if cue == "ssn_last4":
        return US_SSN if length == 4 else None  # asked for "the last four of your social" (dialogue.py)
    if cue == "itin":
        return US_ITIN if length == 9 else None
    if cue == "ein":
        return US_EIN if length == 9 else None
    if cue == "utr":
        return UK_UTR if length == 10 else None
    if cue == "tax":
        if length == 9:
            if validators.is_us_itin(digits):
                return US_ITIN
            return US_EIN if validators.is_us_ein(digits) else US_SSN
        return UK_UTR if length == 10 and validators.is_uk_utr(digits) else None
    if cue == "vat":
        return VAT_NUMBER if 8 <= length <= 12 else None
    return None


FIELD_CUE_TYPES = ("ssn", "itin", "ein", "utr", "tax", "vat", "ssn_last4")


def classify_field(cue: str, words: tuple[str, ...], digits: str) -> str | None:
    """A value under a tax field name ("ssn", "taxId", "employer_ein", "utr")."""
    length = len(digits)
    if not 6 <= length <= 14:
        return None
    if cue == "ssn":
        return US_ITIN if length == 9 and validators.is_us_itin(digits) else US_SSN
    if cue == "itin":
        return US_ITIN
    if cue == "ein":
        return US_EIN
    if cue == "utr":
        return UK_UTR
    if cue == "vat":
        return VAT_NUMBER
    if length == 10:
        return UK_UTR
    if length == 9 and validators.is_us_itin(digits):
        return US_ITIN
    return US_EIN if length == 9 and validators.is_us_ein(digits) else US_SSN


# A NINO in lower case or with dashes ("ab 12 34 56 c", "AB-12-34-56-C"), which the letter-block
# grouping (upper case, no reference prefix) does not see: found from its digits, read backwards.
_NINO_TAIL = re.compile(r"[0-9]{2}[ \t.-]?[0-9]{2}[ \t.-]?[0-9]{2}[ \t.-]?[A-Da-d](?![A-Za-z0-9])")
_NINO_HEAD = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])[ \t.]?([A-Za-z])[ \t.-]?\Z")


def detect_nino_forms(text: str, probe: str) -> list[Detection]:
    detections: list[Detection] = []
    if "insurance" not in probe and "nino" not in probe and " ni " not in probe and "ni:" not in probe:
        return detections  # only after its cue: the digits-first scan is not free
    for tail in _NINO_TAIL.finditer(text):
        head = _NINO_HEAD.search(text, max(0, tail.start() - 6), tail.start())
        if head is None:
            continue
        compact = (head.group(1) + head.group(2) + re.sub(r"[^0-9A-Za-z]", "", tail.group())).upper()
        if validators.is_uk_nino(compact):
            detections.append(Detection(UK_NINO, [(head.start(), tail.end())]))
    return detections
