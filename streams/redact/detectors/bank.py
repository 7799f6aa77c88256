"""Bank family: BIC/SWIFT codes after their cue, and routing numbers, bank account numbers and sort
codes next to a cue. (IBANs carry letters and are found in detectors/letters.py.)"""

from __future__ import annotations

import re

from streams.redact import validators
from streams.redact.context import Context
from streams.redact.cues import BANK_CONTEXT_CHARS
from streams.redact.findings import (
    BIC,
    UK_BANK_ACCOUNT,
    UK_SORT_CODE,
    US_BANK_ACCOUNT,
    US_ROUTING_NUMBER,
    Detection,
)
from streams.redact.groups import Group

_BIC_CUE = re.compile(r"\b(?:bic|swift)(?: code)?\b")
_BIC_SHAPE = re.compile(r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b")


def detect_bic(text: str, probe: str) -> list[Detection]:
    detections: list[Detection] = []
    if "bic" in probe or "swift" in probe:
        for cue in _BIC_CUE.finditer(probe):
            candidate = _BIC_SHAPE.search(text, cue.end(), min(len(text), cue.end() + 60))
            if candidate is not None and validators.is_bic(candidate.group()):
                detections.append(Detection(BIC, [(candidate.start(), candidate.end())]))
    return detections


CUE_TYPES = ("routing", "sort", "account")


def classify_by_cue(cue: str, cue_text: str, digits: str, group: Group, context: Context) -> str | None:
    length = len(digits)
    if cue == "routing":
        if length == 9:
            return US_ROUTING_NUMBER
        # "routing and account number: ..." - but a "routing" said in an earlier turn does not make
        # every later number an account (context.py passes the cue text with a "|earlier" mark).
        if cue_text.endswith("|earlier"):
            return None
        return US_BANK_ACCOUNT if 4 <= length <= 17 else None
    if cue == "sort":
        if length == 6:
            return UK_SORT_CODE
        return UK_BANK_ACCOUNT if 7 <= length <= 10 else None
    if cue == "account":
        if not 4 <= length <= 17:
            return None
        bank_cue = any(word in cue_text for word in ("bank", "checking", "savings", "current", "chequing"))
        if not bank_cue and not context.has_bank_context(group.start, group.end):
            return None  # a customer account with the business, not a bank account
        if (
            length == 9
            and validators.is_us_routing_number(digits)
            and "routing" in context.probe[max(0, group.start - BANK_CONTEXT_CHARS) : group.end + BANK_CONTEXT_CHARS]
        ):
            return US_ROUTING_NUMBER
        if context.mentions_sort_code(group.start, group.end) and 6 <= length <= 10:
            return UK_BANK_ACCOUNT
        return US_BANK_ACCOUNT
    return None


FIELD_CUE_TYPES = ("routing", "sort", "account")


def classify_field(cue: str, words: tuple[str, ...], digits: str, context: Context, group: Group) -> str | None:
    """A value under a bank field name: the name says what it is, lengths are only sanity bounds."""
    length = len(digits)
    if not 4 <= length <= 34:
        return None
    if cue == "routing":
        return US_ROUTING_NUMBER if length == 9 else US_BANK_ACCOUNT
    if cue == "sort":
        return UK_SORT_CODE if length == 6 else UK_BANK_ACCOUNT
    uk = "sort" in words or "uk" in words or context.mentions_sort_code(group.start, group.end)
    return UK_BANK_ACCOUNT if uk and 6 <= length <= 10 else US_BANK_ACCOUNT
