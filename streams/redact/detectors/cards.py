"""Card family: card numbers (issuer range + Luhn, no cue needed; also split over turns), expiry
dates."""

from __future__ import annotations

import itertools
import re

from streams.redact import validators
from streams.redact.context import Context
from streams.redact.cues import (
    CARD_CONTEXT,
    FILLER_WORDS,
    MONTH_BEFORE,
    NEGATIVE_CUE_RE,
    NON_CARD_EXPIRY_PHRASES,
    SPEAKER_LABEL,
    WEAK_NEGATIVES,
    has_negative_cue,
)
from streams.redact.detectors.failsafe import card_cue_before
from streams.redact.findings import CARD_CVV, CARD_EXPIRY, CARD_NUMBER, PIN, Detection
from streams.redact.groups import Group, spans_of
from streams.redact.probe import ALNUM, DIGITS, LETTERS, SPOKEN, Atom
from streams.redact.spoken import NUMBER_WORDS, SpokenWord, normalise_spoken
from streams.redact.stutter import false_start_variants, has_break

_CARD_LENGTH_PREFERENCE = {16: 8, 15: 7, 19: 6, 14: 5, 13: 4, 18: 3, 17: 2, 12: 1}


def _card_streams(chain: list[Group]) -> list[list[tuple[Atom, int, bool]]]:
    """Digit atoms of a chain as (atom, group index, may start a card), split at letters."""
    streams: list[list[tuple[Atom, int, bool]]] = []
    current: list[tuple[Atom, int, bool]] = []
    for group_index, group in enumerate(chain):
        digit_position = 0
        first_atom_digits = 0
        for atom_index, atom in enumerate(group.atoms):
            # An amount's currency word or sign never vetoes a checksum-valid card ("$ 4111 1111
            # 1111 1111" is a card read out, not an amount); a reference prefix (ORD-4539...) does.
            if atom.kind in (ALNUM, LETTERS) or atom.taken or (group.protected and not group.amount):
                if current:
                    streams.append(current)
                current = []
                digit_position = 0
                continue
            # A card is read from its first digit: it starts a group, or follows a stray
            # one-digit atom such as an "oh" interjection.
            # A card read again after a pause in one group ("4111 ... 1111, 4111 ...") starts there.
            may_start = (
                digit_position == 0
                or (digit_position == 1 and first_atom_digits <= 1)
                or (atom_index > 0 and _PAUSE_MARK.search(group.separators[atom_index - 1]) is not None)
            )
            if digit_position == 0:
                first_atom_digits = len(atom.value)
            current.append((atom, group_index, may_start))
            digit_position += 1
    if current:
        streams.append(current)
    return streams


def detect_cards(chain: list[Group], context: Context) -> list[Detection]:
    detections: list[Detection] = []
    for stream in _card_streams(chain):
        # A stutter first: read as written, a false start can leave a spurious Luhn match.
        detections.extend(_cards_without_false_start(stream, context))
        detections.extend(_cards_in_stream(stream, context))
        # Second pass over what is left, without the pieces a caller repeated or took back
        # ("4539 ... 4539 ...", "4412, no wait, 4413"): the digits read are then the card's.
        rest = [item for item in stream if not item[0].taken]
        cleaned, skipped = _without_repeats_and_retractions(rest, chain, context.text)
        if skipped:
            detections.extend(_cards_in_stream(cleaned, context, skipped))
        detections.extend(_taken_back_before_cards(stream, context.text))
    return detections


def _cards_without_false_start(stream: list[tuple[Atom, int, bool]], context: Context) -> list[Detection]:
    """A card read with a stutter ("four five- four five three nine ..."): what is left unclaimed is
    tried again without each false start (streams/redact/stutter.py)."""
    rest = [item for item in stream if not item[0].taken]
    if sum(len(item[0].value) for item in rest) < validators.CARD_MIN_DIGITS + 1:
        return []
    text = context.text
    gaps = [text[left[0].end : right[0].start] for left, right in itertools.pairwise(rest)]
    if not any(has_break(gap) for gap in gaps):
        return []
    for first, last in false_start_variants([item[0].value for item in rest], gaps):
        fragment = rest[first : last + 1]
        cleaned = rest[:first] + rest[last + 1 :]
        restart = cleaned[first]
        cleaned[first] = (restart[0], restart[1], restart[2] or fragment[0][2])
        found = _cards_in_stream(cleaned, context, fragment)
        if found:
            return found
    return []


def _taken_back_before_cards(stream: list[tuple[Atom, int, bool]], text: str) -> list[Detection]:
    """A piece read and taken back (or read twice) right before a card found is that card's too:
    both attempts are the caller's card digits ("4539 1489, sorry, 4539 1488 ...")."""
    detections: list[Detection] = []
    for position in range(len(stream)):
        size = _repeated_or_retracted(stream, position, text)
        if not size or not stream[position + size][0].taken:
            continue
        block = [item for item in stream[position : position + size] if not item[0].taken]
        if block:
            for item in block:
                item[0].taken = True
            spans = spans_of([item[0] for item in block], [item[1] for item in block])
            detections.append(Detection(CARD_NUMBER, spans))
    return detections


# Words that take back the piece just read ("no wait", "sorry, I mean", "scratch that").
_CORRECTION_WORDS = frozenset({"no", "wait", "sorry", "mean", "actually", "correction", "scratch", "oops", "wrong"})


_MAX_REPEAT_ATOMS = 4  # a block read again or taken back: up to four atoms ("4 4 1 2, no wait, 4 4 1 3")


def _without_repeats_and_retractions(
    stream: list[tuple[Atom, int, bool]], chain: list[Group], text: str
) -> tuple[list[tuple[Atom, int, bool]], list[tuple[Atom, int, bool]]]:
    """The stream without pieces read twice in a row ("4539 1488, 4539 1488 0343 ...") and
    pieces taken back by a correction word ("4539 1489, sorry, 4539 1488 ..."), and those pieces."""
    kept: list[tuple[Atom, int, bool]] = []
    skipped: list[tuple[Atom, int, bool]] = []
    stream = list(stream)
    count = len(stream)
    position = 0
    while position < count:
        size = _repeated_or_retracted(stream, position, text)
        if size:
            skipped.extend(stream[position : position + size])
            # the next piece may start the card in place of this one
            following_item = stream[position + size]
            stream[position + size] = (following_item[0], following_item[1], following_item[2] or stream[position][2])
            position += size
            continue
        kept.append(stream[position])
        position += 1
    return kept, skipped


def _repeated_or_retracted(stream: list[tuple[Atom, int, bool]], position: int, text: str) -> int:
    """How many atoms from `position` are read again, or taken back, right after (0: none)."""
    count = len(stream)
    for size in range(1, _MAX_REPEAT_ATOMS + 1):
        if position + 2 * size > count:
            break
        first = [item[0] for item in stream[position : position + size]]
        second = [item[0] for item in stream[position + size : position + 2 * size]]
        # Both tests below need pieces of the same lengths: most positions end here, before the
        # gap is read.
        lengths = [len(atom.value) for atom in first]
        if lengths != [len(atom.value) for atom in second]:
            continue
        digits = sum(lengths)
        if digits < 2:
            continue
        gap = text[first[-1].end : second[0].start].lower()
        if [atom.value for atom in first] == [atom.value for atom in second] and digits >= 3:
            return size
        if any(word.strip(",.;!?") in _CORRECTION_WORDS for word in gap.split()):
            return size
    return 0


def _cards_in_stream(
    stream: list[tuple[Atom, int, bool]],
    context: Context,
    skipped: list[tuple[Atom, int, bool]] | None = None,
) -> list[Detection]:
    detections: list[Detection] = []
    text = context.text
    index = 0
    count = len(stream)
    while index < count:
        _atom, first_group, may_start = stream[index]
        if not may_start or _atom.taken:
            index += 1
            continue
        best: tuple[tuple[bool, int, bool, int], int, str] | None = None
        digits = ""
        # The candidate spans more than one turn. Groups of one turn apart only by a filler ("four
        # five three nine, uh, one four ...") are one reading: a pause, not a split.
        crossed = False
        previous_atom = _atom
        for end_index in range(index, count):
            end_atom, end_group, _ = stream[end_index]
            if end_atom.taken:
                break
            digits += end_atom.value
            if len(digits) > validators.CARD_MAX_DIGITS:
                break
            crossed = crossed or text.find("\n", previous_atom.end, end_atom.start) != -1
            previous_atom = end_atom
            if len(digits) >= validators.CARD_MIN_DIGITS and validators.is_card_number(digits):
                claimed_atoms = [item[0] for item in stream[index : end_index + 1]]
                if crossed and not _may_join_split_card(claimed_atoms, context):
                    continue
                ends_group = end_index + 1 == count or stream[end_index + 1][1] != end_group
                # A span that ends where the caller paused first (a 16-digit prefix of a
                # 19-digit card can pass Luhn too), at the last such pause ("... 8700 / okay,
                # keep going / 264" is one 19-digit card, not a 16-digit one and three digits
                # left in the clear), then the common PAN lengths.
                rank = (
                    ends_group,
                    end_group if ends_group else -1,
                    len(digits) in (15, 16),
                    _CARD_LENGTH_PREFERENCE[len(digits)],
                )
                if best is None or rank > best[0]:
                    best = (rank, end_index, digits)
        if best is None:
            index += 1
            continue
        _, end_index, card_digits = best
        # A card that ends inside one reading takes the rest of it too: "five six three ... six
        # six six zero one" must not leave "zero one" behind when a prefix passes Luhn. A pause
        # written as a comma or slash ends the reading ("4111 ... 1111, 08/29, 123").
        end_group = stream[end_index][1]
        while (
            end_index + 1 < count
            and stream[end_index + 1][1] == end_group
            and not _PAUSE.search(text, stream[end_index][0].end, stream[end_index + 1][0].start)
            # "4539 ... 6467 08/2029 737": a month before a slash starts the expiry, not more card
            # "4539 ... 6467 08/2029 737": a month and year after a slash are the expiry, not more card
            and _expiry_after_card(stream, end_index, text, claim=False) is None
        ):
            end_index += 1
        # "4532 4532 0151 ...": a stutter of the first block, right before the card, goes with it.
        begin = index
        while (
            begin > 0
            and stream[begin - 1][1] == first_group
            and stream[begin - 1][0].value == stream[begin][0].value
            and not stream[begin - 1][0].taken
        ):
            begin -= 1
        claimed = stream[begin : end_index + 1]
        if skipped:
            first, last = claimed[0][0].start, claimed[-1][0].end
            groups = {item[1] for item in claimed}
            claimed = sorted(
                [*claimed, *(item for item in skipped if first < item[0].start < last or item[1] in groups)],
                key=lambda item: item[0].start,
            )
        for claimed_atom, _, _ in claimed:
            claimed_atom.taken = True
        detections.append(
            Detection(
                CARD_NUMBER,
                spans_of([item[0] for item in claimed], [item[1] for item in claimed]),
                card_digits,
            )
        )
        expiry = _expiry_after_card(stream, end_index, text)
        if expiry is not None:
            detections.append(expiry)
        index = end_index + 1
    return detections


_PAUSE = re.compile(r"[,/]|slash")
_SLASH = re.compile(r"/|slash")


def _expiry_after_card(
    stream: list[tuple[Atom, int, bool]], end_index: int, text: str, claim: bool = True
) -> Detection | None:
    """A month / card year read right after a card number in one breath ("4539 ... 6467 08/29")."""
    if end_index + 2 >= len(stream) or stream[end_index + 1][1] != stream[end_index][1]:
        return None
    month, year = stream[end_index + 1][0], stream[end_index + 2][0]
    if month.taken or year.taken or stream[end_index + 2][1] != stream[end_index][1]:
        return None
    if not _SLASH.search(text, month.end, year.start) or not (len(month.value) <= 2 and 1 <= int(month.value) <= 12):
        return None
    if not _card_year(year.value):
        return None
    if claim:
        month.taken = year.taken = True
    return Detection(CARD_EXPIRY, [(month.start, year.end)])
_PAUSE_MARK = re.compile(r"[,;.]")


# A card read over several pauses is joined even when nobody says "card" (the issue's own example:
# "User: 4111 1111 / Agent: go on / User: 1111 1111"): a PCI auditor prefers recall there. Without
# a card word anywhere in the call the join must look like a card read out and nothing else: the
# pieces are written digit groups of 4 (Amex/Diners 4-6-5 / 4-6-4; the last group of a 13- or
# 19-digit PAN shorter), each turn holding a piece says little else, and all pieces come from the
# same speaker. Luhn and the issuer range are checked by the caller.
_SPLIT_CARD_SHAPES = frozenset({(4, 6, 5), (4, 6, 4)})
_MAX_SPLIT_CARD_TURN_WORDS = 3  # non-filler words a turn holding a piece may have besides it


def _split_card_shape(atoms: list[Atom]) -> bool:
    if any(atom.kind != DIGITS for atom in atoms):
        return False
    lengths = tuple(len(atom.value) for atom in atoms)
    if lengths in _SPLIT_CARD_SHAPES:
        return True
    return all(length == 4 for length in lengths[:-1]) and 1 <= lengths[-1] <= 4


_MIN_IRREGULAR_PIECE_DIGITS = 5
_MAX_IRREGULAR_PIECES = 3


def _irregular_split_shape(lines: list[tuple[int, int, list[Atom]]]) -> bool:
    """Irregular pieces over turns (10 + 6, 6 + 10, 8 + 8 in digits or words): a few turns, each
    holding a long piece of digits or digit words, as a caller pausing for breath reads a card -
    not a run of small numbers."""
    if len(lines) > _MAX_IRREGULAR_PIECES:
        return False
    sizes = set()
    spoken = False
    for _, _, line_atoms in lines:
        if any(atom.kind not in (DIGITS, SPOKEN) for atom in line_atoms):
            return False
        spoken = spoken or any(atom.kind == SPOKEN for atom in line_atoms)
        size = sum(len(atom.value) for atom in line_atoms)
        if size < _MIN_IRREGULAR_PIECE_DIGITS:
            return False
        sizes.add(size)
    # Written pieces of one length ("41111111 / go on / 11111111") read like two references of one
    # kind (order, ticket numbers) one after the other: kept, as without a card word before.
    return spoken or len(sizes) > 1


def _may_join_split_card(atoms: list[Atom], context: Context) -> bool:
    """Whether a Luhn-valid card candidate whose atoms span several groups may be joined."""
    text = context.text
    probe = context.probe
    # The atoms of each line (turn) of the candidate: (line start, content start, atoms).
    lines: list[tuple[int, int, list[Atom]]] = []
    for atom in atoms:
        if lines and text.find("\n", lines[-1][2][-1].end, atom.start) == -1:
            lines[-1][2].append(atom)
            continue
        line_start = text.rfind("\n", 0, atom.start) + 1
        label = SPEAKER_LABEL.match(text, line_start)
        content_start = label.end() if label is not None and label.end() <= atom.start else line_start
        lines.append((line_start, content_start, [atom]))
    for _, content_start, line_atoms in lines:
        if has_negative_cue(probe[content_start : line_atoms[0].start]):
            return False
    line_start, content_start, line_atoms = lines[0]
    if line_start > 0 and CARD_CONTEXT.search(probe, content_start, line_atoms[0].start) is None:
        # The turn before the first piece is usually the question ("which order numbers were
        # affected?"); a card word in the piece's own turn ("my card is ...") overrides it.
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        if has_negative_cue(probe[previous_start : line_start - 1]):
            return False
    if context.card_context:
        return True
    if not (_split_card_shape(atoms) or _irregular_split_shape(lines)):
        return False
    speakers = set()
    for line_start, content_start, line_atoms in lines:
        speakers.add(text[line_start:content_start].strip().lower())
        line_end = text.find("\n", line_atoms[-1].end)
        if line_end == -1:
            line_end = len(text)
        words: list[str] = []
        cursor = content_start
        for atom in line_atoms:
            words.extend(probe[cursor : atom.start].split())
            cursor = atom.end
        words.extend(probe[cursor:line_end].split())
        if sum(word not in FILLER_WORDS for word in words) > _MAX_SPLIT_CARD_TURN_WORDS:
            return False
    return len(speakers) == 1


def is_expiry(digits: str) -> bool:
    if len(digits) == 3:
        return digits[0] != "0"
    if len(digits) == 4:
        return 1 <= int(digits[:2]) <= 12
    if len(digits) == 5:
        return digits[0] != "0" and digits[1:3] == "20"
    if len(digits) == 6:
        return 1 <= int(digits[:2]) <= 12 and digits[2:4] == "20"
    return False


def detect_month_name_expiry(group: Group, digits: str, context: Context) -> Detection | None:
    """ "December 2027" / "December twenty seven" after an expiry cue."""
    if len(digits) not in (2, 4):
        return None
    month = MONTH_BEFORE.search(context.probe, max(0, group.start - 16), group.start)
    if month is None or _day_before(context.probe, month.start()):
        return None
    for _, cue, cue_text, same_turn in context.cues_near(month.start(), group.end):
        if cue == "negative":
            if same_turn or cue_text not in WEAK_NEGATIVES:
                return None
            continue  # "the valid thru date?" / "August 2029"
        if cue == "expiry":
            return Detection(CARD_EXPIRY, [(month.start(), group.end)])
    if any(cue == "expiry" for cue, _ in context.asked(month.start())):
        return Detection(CARD_EXPIRY, [(month.start(), group.end)])
    return None


CUE_TYPES = ("cvv", "expiry", "pin")


def classify_by_cue(cue: str, cue_text: str, digits: str, group: Group, context: Context) -> str | None:
    """CVV (3-4 digits), expiry (m/yy .. mm/yyyy), PIN (4-6 digits) after their cue."""
    length = len(digits)
    if cue == "expiry":
        return CARD_EXPIRY if is_expiry(digits) else None
    if cue == "cvv":
        # "4 8 2, 4 8 2": a code read twice in one breath is still the code
        read_twice = length in (6, 8) and digits[: length // 2] == digits[length // 2 :]
        return CARD_CVV if length in (3, 4) or read_twice else None
    if cue == "pin":
        return PIN if 4 <= length <= 6 else None
    return None


FIELD_CUE_TYPES = ("cvv", "expiry", "pin", "card")


def classify_field(cue: str, words: tuple[str, ...], digits: str) -> str | None:
    """A value under a card-family field name ("cvc", "exp_month", "cc_number", "pin")."""
    length = len(digits)
    if cue == "card":
        # Under a PAN field any card-length number goes, checksum or not: the safe side.
        return CARD_NUMBER if 12 <= length <= 19 else None
    if cue == "cvv":
        return CARD_CVV if 3 <= length <= 4 else None
    if cue == "pin":
        return PIN if 4 <= length <= 8 else None
    if cue == "expiry":
        if "month" in words:
            return CARD_EXPIRY if length <= 2 and 1 <= int(digits) <= 12 else None
        if "year" in words:
            return CARD_EXPIRY if length in (2, 4) else None
        return CARD_EXPIRY if is_expiry(digits) else None
    return None


# --- expiry in card talk ------------------------------------------------------------------------
#
# "the card runs until 08/2029", "Agent: And the date on the card? / User: 8/29", "4539 ... 6467,
# August 2029, 737": an expiry is often read with no expiry word at all. In card talk (a card word
# in the number's turn or the few turns before, no negative cue after it, see failsafe) a value
# shaped like a card expiry - a month then a plausible card year, written with a slash or dash,
# as two numbers, spoken, or after a month name - is redacted as one: the fail-closed side.
_MIN_CARD_YEAR, _MAX_CARD_YEAR = 20, 45
_CLOCK_MINUTES = frozenset({"30", "40", "45"})  # minutes said as a time that are also card years


def _card_year(year: str) -> bool:
    if len(year) == 4:
        return year[:2] == "20" and _MIN_CARD_YEAR <= int(year[2:]) <= _MAX_CARD_YEAR
    return len(year) == 2 and _MIN_CARD_YEAR <= int(year) <= _MAX_CARD_YEAR


def expiry_shaped(group: Group, digits: str) -> bool:
    """A month (1-12) then a card year (yy or 20yy), read as a date: "8/29", "08-2029", "08 29",
    "oh eight twenty nine"."""
    atoms = group.atoms
    dated = any("/" in separator or "-" in separator or "slash" in separator for separator in group.separators)
    spoken = any(atom.kind == SPOKEN for atom in atoms)
    if not (dated or len(atoms) == 2 or spoken):
        return False
    if spoken and not dated and len(atoms) < 3 and digits[0] != "0" and digits[-2:] in _CLOCK_MINUTES:
        return False  # "two thirty", "ten forty-five": a clock time; "twelve twenty nine" is a date
    if atoms[0].kind == DIGITS and len(atoms) > 1 and len(atoms[0].value) not in (1, 2):
        return False  # a written month has one or two digits
    month_digits = 1 if len(digits) in (3, 5) else 2
    month = int(digits[:month_digits])
    return 1 <= month <= 12 and _card_year(digits[month_digits:]) and len(digits) in (3, 4, 5, 6)


# A day number right before a month name ("3 May 2025", "the 3rd of May 2025"): a full date, and a
# card expiry has no day.
_DAY_BEFORE = re.compile(r"(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?\Z")


def _day_before(probe: str, month_start: int) -> bool:
    return _DAY_BEFORE.search(probe, max(0, month_start - 10), month_start) is not None


def detect_card_talk_expiry(group: Group, digits: str, context: Context) -> Detection | None:
    month = MONTH_BEFORE.search(context.probe, max(0, group.start - 16), group.start)
    if month is not None and _day_before(context.probe, month.start()):
        return None
    if month is not None and len(digits) in (2, 4) and _card_year(digits):
        start = month.start()
    elif expiry_shaped(group, digits):
        start = group.start
    else:
        return None
    if _DATE_PREPOSITION.search(context.probe, max(0, start - 12), start) is not None:
        return None  # "the card was declined on 03/22", "I updated my card back in March 2024"
    if not card_cue_before(context, start, expiry=True):
        return None
    return Detection(CARD_EXPIRY, [(start, group.end)])


# With no expiry word, a month and year after a preposition of time is when something happened.
# ("until", "till", "through" say how long a card is good for: not in the list.)
_DATE_PREPOSITION = re.compile(r"(?<![a-z])(?:on|in|since|from|by|before|after|during|around|last|dated) +\Z")



# --- expiry read in parts -----------------------------------------------------------------------
#
# Call records and tool output often carry the expiry as two fields (`"exp_month": 8, "exp_year":
# 2029`, `expMonth=08`, `expiry month: 8` / `expiry year: 29`, `{"expiry": {"month": 8, "year":
# 2029}}`), and people say it the same way ("expiry month oh eight, year twenty twenty-nine"). The
# month alone is one digit or two and the year alone looks like any year, so the number-shape
# rules above never see them: here a month or year *part word* right before a value, named as the
# expiry's by an expiry word in the same key ("exp_month", "expiryYear") or shortly before it
# ("expiry": {"month": ..., "expiry month 11, year 2027"), makes the value an expiry part. The
# value must fit the part: a month 1-12 (digits, words or a month name), a card year (20-45,
# 2020-2045, "twenty twenty-nine", "two thousand twenty-nine"). Runs on the probe before the
# atoms, so one-digit months (which the atom stage drops as small talk) are seen too.
# The part word itself (a cheap scan: literal alternatives), then the key or phrase it ends, read
# backwards from it ("card_exp_month", "expiryYear" -> "expiryyear", "expiration month").
_PART_ONLY = re.compile(r"(?:month|year|yyyy|mm|yy|yr|mo)s?(?![a-z0-9])")
_PART_PREFIX = re.compile(
    r"(?<![a-z0-9])(?:card[ _]?)?(?:exp|expiry|expiration|expires|expiring|expire|valid|validity)?"
    r"(?:[ _]?date)?[ _]?\Z"
)
_EXPIRY_WORD = re.compile(r"(?<![a-z0-9])(?:exp|expiry|expiration|expires|expiring|expire|valid thru|valid until)")
_EXPIRY_GATE = ("expir", "exp ", "exp_", "expm", "expy", "valid")
_PART_CONTEXT_CHARS = 80
_PART_CONTEXT_LINES = 3
# Between the part word and its value: quotes, ':' '=' (blanked in the probe), "is", "of", "was".
_PART_VALUE_LEAD = re.compile(r"[ \t\"'\[(]*(?:(?:is|was|of|it s|its|as)[ \t]+)?")
_PART_VALUE_TOKEN = re.compile(r"[ \t,]*([0-9]{1,4}|[a-z]+)(?![a-z0-9])")
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MAX_PART_WORDS = 4
_BARE_PARTS = frozenset({"month", "year", "mm", "yy", "yyyy", "yr", "mo"})


def _part_kind(part: str) -> str:
    return "month" if part.rstrip("s").endswith(("month", "mm", "mo")) else "year"


def _part_value(text: str, probe: str, position: int, kind: str) -> tuple[int, int] | None:
    """The span of a month or card-year value starting at `position` of the probe, if it fits."""
    lead = _PART_VALUE_LEAD.match(probe, position)
    cursor = lead.end() if lead is not None else position
    words: list[SpokenWord] = []
    first = _PART_VALUE_TOKEN.match(probe, cursor)
    if first is None:
        return None
    token = first.group(1)
    if token.isdigit():
        value, span = token, first.span(1)
    elif kind == "month" and token in _MONTH_NAMES:
        return first.span(1)
    else:
        match = first
        while match is not None and len(words) < _MAX_PART_WORDS and match.group(1) in NUMBER_WORDS:
            words.append(SpokenWord(match.start(1), match.end(1), match.group(1)))
            match = _PART_VALUE_TOKEN.match(probe, match.end())
            if match is not None and match.group(1).isdigit():
                break
        if not words:
            return None
        numbers = normalise_spoken(words, text)
        value = "".join(number.digits for number in numbers)
        span = (numbers[0].start, numbers[-1].end) if numbers else (0, 0)
        if not numbers:
            return None
    fits = len(value) <= 2 and 1 <= int(value) <= 12 if kind == "month" else _card_year(value)
    if not fits or _UNIT_AFTER.match(text, span[1]) is not None:
        return None
    return span


# A count or an amount right after the value: "month 12 days", "year 2029 plan" is no expiry part.
_UNIT_AFTER = re.compile(
    r"[ \t]*(?:days?|weeks?|months?|years?|users?|seats?|dollars?|pounds?|euros?|percent|%|gb|sms|minutes?)\b",
    re.IGNORECASE,
)


def _named_as_expiry(text: str, probe: str, part_start: int, part: str, is_key: bool) -> bool:
    if "exp" in part or "valid" in part:
        return True
    window_start = max(0, part_start - _PART_CONTEXT_CHARS)
    newline = part_start
    for _ in range(_PART_CONTEXT_LINES):
        newline = text.rfind("\n", window_start, newline)
        if newline == -1:
            break
    else:
        window_start = max(window_start, newline)
    words = list(_EXPIRY_WORD.finditer(probe, window_start, part_start))
    if not words:
        after = probe[part_start + len(part) : part_start + len(part) + 12]
        return after.lstrip().startswith(("of expiry", "of expiration"))  # "month of expiry: 08"
    # "the offer expires next month": the words before the expiry word name what expires
    around = probe[max(0, words[-1].start() - 24) : part_start]
    if any(phrase in around for phrase in NON_CARD_EXPIRY_PHRASES):
        return False
    return not any(
        match.group() not in WEAK_NEGATIVES for match in NEGATIVE_CUE_RE.finditer(probe, words[-1].end(), part_start)
    ) and (is_key or text.count("\n", words[-1].end(), part_start) <= 1)


def detect_expiry_parts(text: str, probe: str) -> list[Detection]:
    """Expiry months and years given as separate parts (see above)."""
    if not any(word in probe for word in _EXPIRY_GATE):
        return []  # "expect", "experience", "explain" are no expiry words
    if not any(word in probe for word in ("month", "year", "mm", "yy", "yr", " mo")):
        return []
    detections: list[Detection] = []
    for hit in _PART_ONLY.finditer(probe):
        prefix = _PART_PREFIX.search(probe, max(0, hit.start() - 30), hit.start())
        if prefix is None:
            continue  # inside a word ("summary", "ammo")
        part = probe[prefix.start() : hit.end()].lstrip(" ")
        part_start, part_end = hit.end() - len(part), hit.end()
        if part_start > 0 and probe[part_start - 1] == "_" and "exp" not in part and "valid" not in part:
            continue  # "renewal_month", "billing_year": another thing's month
        # A key: "exp_month", "expMonth" (one probe word), or a word right before a quote, ':' or '='.
        is_key = (
            "_" in part
            or (" " not in part and part.rstrip("s") not in _BARE_PARTS)
            or text[part_end : part_end + 1] in ('"', "'", "=", ":")
        )
        if not _named_as_expiry(text, probe, part_start, part, is_key):
            continue
        span = _part_value(text, probe, part_end, _part_kind(part))
        if span is not None:
            detections.append(Detection(CARD_EXPIRY, [span]))
    return detections
