"""Fail-safe for the PCI class: card-length digits read in card talk are a card, checksum or not.

The card detector needs Luhn and the issuer range because it must work without a cue. Speech-to-text
breaks both: a homophone or filler read as a digit, a digit lost, a caller who repeats a block or
takes one back ("4 4 1 2, no wait, 4 4 1 3 ..."). When a card word is in the number's own turn or
in the few turns before it, and no negative cue ("order", "phone", ...) is nearer, what is still
unclaimed of a reading of 13+ digits (up to a repeated or corrected card) is redacted as a card.
This pass runs last, so CVV, expiry and the other typed detectors keep what they recognised.
"""

from __future__ import annotations

import re

from streams.redact.context import Context
from streams.redact.cues import NEGATIVE_CUE_RE, SPEAKER_LABEL, has_negative_cue
from streams.redact.findings import CARD_NUMBER, Detection
from streams.redact.groups import Group, spans_of
from streams.redact.probe import DIGITS, SPOKEN, Atom

MIN_DIGITS = 13
# A card read twice, or read, taken back and read again: up to about two and a half cards.
MAX_DIGITS = 40
TURNS_BACK = 3
_TURNS_BACK_CHARS = 600

# Words that name the card number itself (not only card talk in general such as "expiry").
CARD_NUMBER_CUE = re.compile(
    r"\b(?:card|cards|visa|mastercard|master card|amex|american express|discover|debit|credit|diners|jcb"
    r"|maestro|pan|long number)\b"
)


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _content_start(text: str, line_start: int, limit: int) -> int:
    label = SPEAKER_LABEL.match(text, line_start)
    return label.end() if label is not None and label.end() <= limit else line_start


# Negative cues that only describe a date ("And the date?" / "08/2029" after the card number): they
# do not cancel card talk for an expiry-shaped value (detectors/cards.py).
_DATE_WORDS = frozenset({"date", "year"})


def card_cue_before(context: Context, start: int, expiry: bool = False) -> bool:
    """A card word in the turn holding `start` (before it) or in the TURNS_BACK turns before,
    with no negative cue after that word and before the number (for an expiry, "date" and "year"
    are no negative cue)."""
    text, probe = context.text, context.probe
    line_start = _line_start(text, start)
    window_start = line_start
    for _ in range(TURNS_BACK):
        if window_start == 0:
            break
        window_start = _line_start(text, window_start - 1)
    window_start = max(window_start, start - _TURNS_BACK_CHARS)
    cues = list(CARD_NUMBER_CUE.finditer(probe, window_start, start))
    if not cues:
        return False
    if not expiry:
        return not has_negative_cue(probe[cues[-1].end() : start])
    return all(match.group() in _DATE_WORDS for match in NEGATIVE_CUE_RE.finditer(probe, cues[-1].end(), start))


def detect_unchecked_cards(chain: list[Group], context: Context) -> list[Detection]:
    """Unclaimed digit atoms of a chain that together read 13-40 digits after a card cue."""
    atoms: list[Atom] = []
    groups: list[int] = []
    for index, group in enumerate(chain):
        if group.protected or group.phone_shaped:
            continue
        # A value under a field name ("seats: 94", "card_last4: 0265") is that field's, read by the
        # field detectors; lines of a key: value record are not pieces of one reading.
        if context.field_cue(group.start)[0]:
            continue
        for atom in group.atoms:
            if atom.kind in (DIGITS, SPOKEN) and not atom.taken:
                atoms.append(atom)
                groups.append(index)
    digits = sum(len(atom.value) for atom in atoms)
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        return []
    first = atoms[0]
    if not card_cue_before(context, first.start):
        return []
    # A negative cue in the turn of the first piece, before it, keeps the number ("order 1234...").
    text = context.text
    line_start = _line_start(text, first.start)
    if has_negative_cue(context.probe[_content_start(text, line_start, first.start) : first.start]):
        return []
    for atom in atoms:
        atom.taken = True
    value = "".join(atom.value for atom in atoms)
    return [Detection(CARD_NUMBER, spans_of(atoms, groups), value)]
