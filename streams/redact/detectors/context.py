"""Context detectors: a number of the right shape next to a cue word (CVV, expiry, PIN, routing
and account numbers, sort codes, SSN/ITIN/EIN, UTR, VAT)."""

from __future__ import annotations

import re

from streams.redact.context import CUE_AFTER_DISTANCE as _AFTER
from streams.redact.context import Context
from streams.redact.cues import MONTH_BEFORE, MONTH_NAME_BEFORE, NON_CARD_EXPIRY_PHRASES, WEAK_NEGATIVES
from streams.redact.detectors import bank, cards, tax
from streams.redact.detectors.cards import detect_month_name_expiry
from streams.redact.detectors.tax import detect_formatted_tax_ids
from streams.redact.fields import FieldCue
from streams.redact.findings import CARD_EXPIRY, Detection
from streams.redact.groups import Group, comma_parts, plain_digits, residual_groups, sub_group
from streams.redact.probe import ALNUM, LETTERS
from streams.redact.stutter import false_start_variants

_MAX_SPLIT_GROUPS = 4
# Card-family cues from an earlier turn always apply (PCI: recall first); bank and tax cues only
# when that turn asked for something (see Context.previous_turn_may_cue).
_CARD_CUES = frozenset(cards.CUE_TYPES)
# A turn that is little more than the number ("Um, 849 002 9897.") answers the question before it.
_MAX_BARE_ANSWER_WORDS = 3


# Each cue type belongs to one family; the family module says which finding a number of that
# shape is, given the cue (None: the digits do not fit the cue, try the next one).
_CLASSIFIERS = {
    **dict.fromkeys(cards.CUE_TYPES, cards.classify_by_cue),
    **dict.fromkeys(bank.CUE_TYPES, bank.classify_by_cue),
    **dict.fromkeys(tax.CUE_TYPES, tax.classify_by_cue),
}


def _classify_by_cue(cue: str, cue_text: str, digits: str, group: Group, context: Context) -> str | None:
    """The finding type for a group given one cue, or None if the digits do not fit that cue."""
    has_slash = any("/" in separator or "slash" in separator for separator in group.separators)
    if has_slash and cue != "expiry":
        return None  # dates and fractions are only ever expiry dates here
    classify = _CLASSIFIERS.get(cue)
    return None if classify is None else classify(cue, cue_text, digits, group, context)


def _classify_field(field: FieldCue, digits: str, group: Group, context: Context) -> str | None:
    cue = field.cue
    has_slash = any("/" in separator or "slash" in separator for separator in group.separators)
    if has_slash and cue != "expiry":
        return None
    if cue in cards.FIELD_CUE_TYPES:
        return cards.classify_field(cue, field.words, digits)
    if cue in bank.FIELD_CUE_TYPES:
        return bank.classify_field(cue, field.words, digits, context, group)
    if cue in tax.FIELD_CUE_TYPES:
        return tax.classify_field(cue, field.words, digits)
    return None


def _detection(finding_type: str, start: int, end: int, context: Context) -> Detection:
    span_start = start
    if finding_type == CARD_EXPIRY:
        month = MONTH_BEFORE.search(context.probe, max(0, start - 16), start)
        if month is not None:
            span_start = month.start()
    return Detection(finding_type, [(span_start, end)])


# A day number right before a month name ("15 March 2024", "the 3rd of May 2025").
_DAY_BEFORE = re.compile(r"(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?\Z")


def _date_part(group: Group, digits: str, context: Context) -> str | None:
    """How a number after a month name is part of a date: "full" for a day-month-year date
    ("15 March 2024", "March 15, 2024": never a secret, a card expiry has no day), "year" for a
    year ("March 2024": only ever an expiry, never a CVV or PIN), else None."""
    start = group.start
    probe = context.probe
    month = MONTH_NAME_BEFORE.search(probe, max(0, start - 16), start)
    if month is None:
        return None
    values = [atom.value for atom in group.atoms]
    year_like = len(digits) == 4 and digits[:2] in ("19", "20")
    if len(values) == 2 and len(values[1]) == 4 and values[1][:2] in ("19", "20") and 1 <= int(values[0]) <= 31:
        return "full"  # "March 15, 2024"
    if year_like:
        if _DAY_BEFORE.search(probe, max(0, month.start() - 10), month.start()) is not None:
            return "full"
        return "year"
    return None


def _detect_by_context(group: Group, digits: str, context: Context, end: int) -> Detection | None:
    detection = _detect_by_context_cues(group, digits, context, end)
    if detection is not None and not context.field_cue(group.start)[0]:
        date_part = _date_part(group, digits, context)
        if date_part == "full" or (date_part == "year" and detection.type != CARD_EXPIRY):
            return None
    return detection


def _detect_by_context_cues(group: Group, digits: str, context: Context, end: int) -> Detection | None:
    start = group.start
    # 1. A field name right before the value decides alone: `"routingNumber": "021000021"` is a
    # routing number, `"phone": "4155550134"` is kept, and a field that says nothing keeps the
    # cues of other fields away from its value.
    is_field, field = context.field_cue(start)
    if is_field:
        if field is None or field.cue == "negative":
            return None
        finding_type = _classify_field(field, digits, group, context)
        return None if finding_type is None else _detection(finding_type, start, end, context)
    if len(digits) < 3 or len(digits) > 17:
        return None
    # 2. Cue words near the number, nearest first. A negative cue in the number's own turn keeps
    # it ("the card ending in 4242"); in an earlier turn only a strong one does ("what's the best
    # phone number?"), not a word describing the answer's format ("the expiry, month and year?").
    # Cues in the number's own turn come first (nearest first), then those of earlier turns: "it's
    # 415-555-0134, that's my cell" is a phone number whatever the previous turn said.
    cues = sorted(context.cues_near(start, end), key=lambda cue: (not cue[3], cue[0]))
    if group.phone_shaped and any(
        cue[1] == "negative" and (cue[3] or (cue[2] not in WEAK_NEGATIVES and cue[0] < _AFTER)) for cue in cues
    ):
        # "the phone number on the bank account is 415-555-0134", "what's the mobile number on the
        # bank account?" / "415-555-0134": a number written like a phone number is one as soon as
        # phone talk is near it, whatever secret word is nearer.
        return None
    for distance, cue, cue_text, same_turn in cues:
        if cue == "negative":
            if cue_text in NON_CARD_EXPIRY_PHRASES and cue_text not in context.probe[max(0, start - 120) : start]:
                continue  # "It's 482. My trial ends Friday anyway.": the phrase names the date after it
            if same_turn or (cue_text not in WEAK_NEGATIVES and distance < _AFTER):
                return None
            continue  # a format word of the question, or the next turn's talk
        if not same_turn:
            if cue not in _CARD_CUES and not context.previous_turn_may_cue(start):
                continue  # "Agent: the bank account is set up." / "User: my number is 415 ..."
            cue_text += "|earlier"
        if group.phone_shaped and not same_turn and context.turn_words_besides(start, end) > _MAX_BARE_ANSWER_WORDS:
            continue  # "what's the routing number? ... / call me back on 415-555-0134"
        finding_type = _classify_by_cue(cue, cue_text, digits, group, context)
        if finding_type is not None:
            return _detection(finding_type, start, end, context)
    # 3. The dialogue state: what the other speaker asked for a turn or two before, when the
    # question is further back than the cue window ("Last thing, the CVV please." / "Sorry, one
    # sec." / "No problem." / "It's 123.").
    if group.phone_shaped and context.turn_words_besides(group.start, end) > _MAX_BARE_ANSWER_WORDS:
        return None  # "... call me on 415-555-0134 if ..." after a question about something else
    for cue, cue_text in context.asked(start):
        finding_type = _classify_by_cue(cue, cue_text, digits, group, context)
        if finding_type is not None:
            return _detection(finding_type, start, end, context)
    return None


def detect_in_chain(chain: list[Group], context: Context) -> list[Detection]:
    """Context detectors over the groups of a chain; a number split over turns is tried whole first."""
    detections: list[Detection] = []
    text = context.text
    chain = [part for group in chain for part in residual_groups(group, text)]
    index = 0
    while index < len(chain):
        group = chain[index]
        digits = plain_digits(group)
        # A lone digit can still start a number read over pauses ("one, okay, two three four").
        if digits is None or (len(digits) < 2 and index + 1 == len(chain)):
            index += 1
            continue
        detection = detect_formatted_tax_ids(group, digits)
        used = 1
        if detection is None and len(digits) in (2, 4) and MONTH_BEFORE.search(
            context.probe, max(0, group.start - 16), group.start
        ):
            # "August 2029" after "expiry and CVV?": a month name makes the year an expiry's, not a
            # four-digit code's.
            detection = detect_month_name_expiry(group, digits, context)
        # A field's value is one group: `sort.code=96-59-45` never runs on into the next line's
        # `last-four=3797`.
        # and a number written like a phone number is complete as it is.
        if detection is None and not group.phone_shaped and not context.field_cue(group.start)[0]:
            # Longest split reading first: "User: 548 659 / Agent: go on / User: 7166 3".
            for count in range(min(_MAX_SPLIT_GROUPS, len(chain) - index), 1, -1):
                parts = [plain_digits(part) for part in chain[index : index + count]]
                if any(part is None for part in parts):
                    continue
                if any(context.field_cue(part.start)[0] for part in chain[index + 1 : index + count]):
                    continue  # the next field's value is not the rest of this number
                joined = "".join(part for part in parts if part is not None)
                detection = _detect_by_context(group, joined, context, chain[index + count - 1].end)
                if detection is not None:
                    detection.spans = [(part.start, part.end) for part in chain[index : index + count]]
                    used = count
                    break
        if detection is None:
            detection = _detect_by_context(group, digits, context, group.end)
        if detection is None and len(group.atoms) > 1:
            # "021000021 021000021", "one two three four, one two three four, five six": a block
            # said twice in a row is read once.
            once = _without_repeated_blocks(group)
            if once is not None and once != digits:
                detection = _detect_by_context(group, once, context, group.end)
        if detection is None and len(group.atoms) > 2:
            # "four four- four five one ...": a false start dropped, the digits meant tried.
            detection = _without_false_start(group, context)
        if detection is None and len(digits) in (2, 4):
            detection = detect_month_name_expiry(group, digits, context)
        if detection is None and 2 <= len(digits) <= 6 and not group.phone_shaped:
            detection = cards.detect_card_talk_expiry(group, digits, context)
        if detection is None and any("/" in separator or "slash" in separator for separator in group.separators):
            # "08/29, 123" after "the expiry and the CVV?": a date-like reading and what follows
            # it after a pause are two answers; each is tried alone.
            parts = comma_parts(group, text)
            if parts:
                detections.extend(detect_in_chain(parts, context))
                index += 1
                continue
        if detection is None and len(group.atoms) > 1 and len(digits) >= _MIN_TWO_ANSWER_DIGITS:
            # "oh eight twenty-nine, seven three seven" / "08 29 737": two answers in one reading
            # (expiry then CVV, sort code then account). Accepted only when both halves fit a cue.
            pair = _two_answers(group, context, text)
            if pair is not None:
                detections.extend(pair)
                index += 1
                continue
        if detection is not None:
            for claimed in chain[index : index + used]:
                for atom in claimed.atoms:
                    atom.taken = True
            detections.append(detection)
        index += used
    return detections


_MIN_TWO_ANSWER_DIGITS = 7


def _candidate_types(group: Group, digits: str, context: Context) -> list[str]:
    """Finding types the cues around a group allow for its digits, in the order the cues were said."""
    cues = context.cues_near(group.start, group.end)
    if any(cue == "negative" and same_turn for _, cue, _, same_turn in cues):
        return []
    ordered = sorted((cue for cue in cues if cue[0] < _AFTER), key=lambda cue: -cue[0])
    types: list[str] = []
    for _, cue, cue_text, _ in ordered:
        if cue == "negative":
            continue
        finding_type = _classify_by_cue(cue, cue_text, digits, group, context)
        if finding_type is not None and finding_type not in types:
            types.append(finding_type)
    return types


def _two_answers(group: Group, context: Context, text: str) -> list[Detection] | None:
    if group.protected:
        return None  # no half has plain digits
    atoms = group.atoms
    # plain_digits of each half, from the atoms: a half is only built as a group once its digits
    # are long enough, and the right half only once the left one fits a cue.
    free = [not atom.taken and atom.kind not in (ALNUM, LETTERS) for atom in atoms]
    values = [atom.value for atom in atoms]
    for cut in range(1, len(atoms)):
        if not all(free[:cut]) or not all(free[cut:]):
            continue
        left_digits, right_digits = "".join(values[:cut]), "".join(values[cut:])
        if len(left_digits) < 3 or len(right_digits) < 3:
            continue
        left = sub_group(group, 0, cut, text)
        left_types = _candidate_types(left, left_digits, context)
        if not left_types:
            continue  # the right half's types would not be read (the look-ups have no side effects)
        right = sub_group(group, cut, len(atoms), text)
        right_types = _candidate_types(right, right_digits, context)
        for first in left_types:
            second = next((kind for kind in right_types if kind != first), None)
            if second is None:
                continue
            for atom in group.atoms:
                atom.taken = True
            return [
                _detection(first, left.start, left.end, context),
                _detection(second, right.start, right.end, context),
            ]
    return None


def _without_false_start(group: Group, context: Context) -> Detection | None:
    values = [atom.value for atom in group.atoms]
    for first, last in false_start_variants(values, group.separators):
        meant = "".join(values[:first] + values[last + 1 :])
        if len(meant) < 3:
            continue
        detection = _detect_by_context(group, meant, context, group.end)
        if detection is not None:
            return detection
    return None


def _without_repeated_blocks(group: Group) -> str | None:
    values = [atom.value for atom in group.atoms]
    kept = [value for index, value in enumerate(values) if index == 0 or value != values[index - 1] or len(value) < 3]
    return "".join(kept) if len(kept) < len(values) else None
