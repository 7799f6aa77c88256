"""Dialogue state: what the other speaker just asked for, carried into the answer.

"Agent: And the expiry, month and year?" / "User: 08-29." - the answer holds no cue word at all;
the cue is the question. A transcript is cut into turns (one line each, "Speaker: text"); for a
number in a turn, the turns before it are read back to the last turn that asks for something:

- a turn with a secret cue (and no strong negative cue) sets the state to that cue ("the CVV
  please", "could you read me the routing number?"); format words in the same question ("month and
  year", "the customer's ...") are weak negatives and do not cancel it;
- a turn with only negative cues ("what's the best phone number?") sets the state to "keep";
- short turns without digits or cues are interjections ("sorry, one sec", "no problem", "take your
  time") and the state survives up to _MAX_INTERJECTIONS of them; anything else ends it.

The state is a list of (cue type, cue phrase), the last cue of the question first (the thing asked
for usually ends the question: "after the card number, what's the CVV?").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING

from streams.redact.cues import SPEAKER_LABEL, WEAK_NEGATIVES, match_cues
from streams.redact.findings import CARD_NUMBER, Detection
from streams.redact.probe import SPOKEN

if TYPE_CHECKING:
    from streams.redact.groups import Group
    from streams.redact.probe import Atom

_MAX_INTERJECTIONS = 2
_MAX_INTERJECTION_WORDS = 12
_MAX_ANSWERER_STALL_WORDS = 24
_MAX_QUESTION_CHARS = 400
_MAX_TURNS_BACK = 1 + _MAX_INTERJECTIONS


# A turn asks for something when it is a question or a request ("the CVV please", "go ahead with
# the card number", "read me ..."); "I've got the routing number" asks for nothing.
_REQUEST_WORDS = frozenset(
    {"please", "could", "can", "would", "what", "what s", "whats", "need", "read", "give", "tell", "go", "ahead",
     "may", "let", "confirm", "provide", "share", "next", "and", "now", "last", "also", "lastly", "then"}
)  # fmt: skip


# A short turn naming a thing without a verb that states something about it is a request too
# ("First the routing number from the bottom of your check.", "The sort code next."); with one of
# these it is a statement ("The routing number is on file.", "I've got the card number.").
_STATEMENT_WORDS = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "got", "ve", "been", "will", "did", "does", "do", "s",
     "isn", "wasn", "don", "doesn", "didn", "updated", "changed", "saved", "set", "on", "file"}
)  # fmt: skip
_MAX_NOUN_REQUEST_WORDS = 14


def _is_request(line: str, words: list[str]) -> bool:
    if "?" in line:
        return True
    if not any(char in line for char in ".!"):
        return True  # speech-to-text without punctuation: a statement cannot be told from a question
    if any(word in _REQUEST_WORDS for word in words[:8]):
        return True
    return len(words) <= _MAX_NOUN_REQUEST_WORDS and _STATEMENT_WORDS.isdisjoint(words)


# "the last four of your social?": "last four" is a negative cue for a card ("the card ending
# 4242"), but asked about a social security (or tax) number it asks for part of that number.
_LAST_DIGITS_WORDS = frozenset({"last", "final"})
_TAX_ID_CUES = frozenset({"ssn", "itin", "tax"})
_MAX_LAST_DIGITS_GAP = 6  # words from "last four" to the tax id cue ("last four digits of your social")
LAST_DIGITS_OF_SSN = "ssn_last4"


def _last_digits_of_tax_ids(cues: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The question's cues with "last four ... social" read as a cue for those digits."""
    if len(cues) < 2:
        return cues
    result = list(cues)
    for index, (position, cue_type, phrase) in enumerate(cues):
        if cue_type != "negative" or phrase.split()[0] not in _LAST_DIGITS_WORDS:
            continue
        if any(
            other_type in _TAX_ID_CUES and 0 < other - position <= _MAX_LAST_DIGITS_GAP for other, other_type, _ in cues
        ):
            result[index] = (position, LAST_DIGITS_OF_SSN, phrase)
    return result


def last_digits_cues_near(
    cues: list[tuple[int, str, str, bool]], after_distance: int
) -> list[tuple[int, str, str, bool]]:
    """Context.cues_near results (distance in words from the number, nearest first; distances
    from `after_distance` up are after it) with "last four ... social" before the number read as a
    cue for those digits, as _last_digits_of_tax_ids does for a question."""
    if len(cues) < 2 or all(cue[1] not in _TAX_ID_CUES for cue in cues):
        return cues  # the usual case: no tax id cue near the number
    result = cues
    for index, (distance, cue_type, phrase, same_turn) in enumerate(cues):
        if cue_type != "negative" or distance >= after_distance or phrase.split()[0] not in _LAST_DIGITS_WORDS:
            continue
        if any(
            other_type in _TAX_ID_CUES and 0 < distance - other <= _MAX_LAST_DIGITS_GAP
            for other, other_type, _, _ in cues
        ):
            if result is cues:
                result = list(cues)
            result[index] = (distance, LAST_DIGITS_OF_SSN, phrase, same_turn)
    return result


def _line_bounds_before(text: str, line_start: int) -> tuple[int, int] | None:
    """The line before the one starting at `line_start`."""
    if line_start <= 0:
        return None
    end = line_start - 1  # the newline
    start = text.rfind("\n", 0, end) + 1
    return start, end


def asked_cues(text: str, probe: str, position: int, cache: dict[int, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The cues asked for before the turn holding `position` (empty: nothing asked, or "keep")."""
    line_start = text.rfind("\n", 0, position) + 1
    cached = cache.get(line_start)
    if cached is not None:
        return cached
    result: list[tuple[str, str]] = []
    bounds = _line_bounds_before(text, line_start)
    answerer: str | None = None
    for interjections in range(_MAX_TURNS_BACK):
        if bounds is None:
            break
        start, end = bounds
        if end - start > _MAX_QUESTION_CHARS:
            start = end - _MAX_QUESTION_CHARS
        words = probe[start:end].split()
        cues = _last_digits_of_tax_ids(match_cues(words))
        secret = [cue for cue in cues if cue[1] != "negative"]
        strong_negative = [cue for cue in cues if cue[1] == "negative" and cue[2] not in WEAK_NEGATIVES]
        if secret:
            if not strong_negative and _is_request(text[start:end], words):
                result = [(cue_type, phrase + "|earlier") for _, cue_type, phrase in reversed(secret)]
            break
        if strong_negative:
            break
        if interjections >= _MAX_INTERJECTIONS:
            break
        has_digit = any(char.isdigit() for char in text[start:end])
        if has_digit or len(words) > _MAX_INTERJECTION_WORDS:
            # The one answering may stall at length ("sorry, hold on a second, I need to find my
            # checkbook, it's in the other room") or make an earlier attempt ("User: 10" / "User:
            # let me start again, 191"): the question still stands. Another speaker's number or
            # long turn ends it.
            if answerer is None:
                answerer = _speaker(text, line_start)
            limit = _MAX_INTERJECTION_WORDS if has_digit else _MAX_ANSWERER_STALL_WORDS
            if not answerer or _speaker(text, start) != answerer or len(words) > limit:
                break
        bounds = _line_bounds_before(text, start)
    cache[line_start] = result
    return result


def _speaker(text: str, line_start: int) -> str:
    label = SPEAKER_LABEL.match(text, line_start)
    return text[line_start : label.end()].strip(" \t>*#[]()-:").lower() if label is not None else ""


def previous_turn_may_cue(text: str, probe: str, line_start: int) -> bool:
    """See Context.previous_turn_may_cue."""
    bounds = _line_bounds_before(text, line_start)
    if bounds is None:
        return True
    start, end = bounds
    # past interjections ("No problem, take your time.") to the turn that holds the cue
    for _ in range(_MAX_INTERJECTIONS):
        words = probe[start:end].split()
        if match_cues(words) or len(words) > _MAX_INTERJECTION_WORDS or any(char.isdigit() for char in text[start:end]):
            break
        earlier = _line_bounds_before(text, start)
        if earlier is None:
            break
        start, end = earlier
    speaker = _speaker(text, start)
    if not speaker or speaker == _speaker(text, line_start):
        return True  # no turns (a summary, a record) or the same speaker going on
    return _is_request(text[start:end], probe[start:end].split())


# A turn asking to hear a piece again ("sorry, could you repeat that?", "I missed that, say it
# again?", "you cut out there", "what was the last bit?") bridges the pieces of a reading like an
# acknowledgement does (groups.build_chains): the number goes on after it.
CLARIFICATION_WORDS = frozenset(
    {"could", "can", "repeat", "missed", "miss", "say", "pardon", "come", "time", "more", "what", "was", "slower",
     "slowly", "line", "broke", "breaking", "up", "cut", "out", "there", "comes", "hear", "didn", "t", "catch",
     "last", "bit", "part", "bits", "again", "once", "one", "that", "you", "me", "said", "after", "before"}
)  # fmt: skip

# Words of a turn that asks for the last piece again ("sorry, say again?", "could you repeat
# that?", "pardon?"): after one, the same speaker reading the same digits is a repeat, not a piece.
_AGAIN_WORDS = frozenset({"again", "repeat", "pardon", "sorry", "what", "missed", "come"})


def _group_digits(group: Group) -> str | None:
    if group.protected:
        return None
    parts: list[str] = []
    for atom in group.atoms:
        if atom.taken or atom.kind > SPOKEN:  # digit and spoken atoms only
            return None
        parts.append(atom.value)
    return "".join(parts)


def _group_reading(group: Group) -> str | None:
    """What a group reads, letters included ("AB 12" -> "AB12"), or None once anything is claimed."""
    if group.protected:
        return None
    atoms = [*group.lead, *group.atoms, *group.trail] if group.lead or group.trail else group.atoms
    if any(atom.taken for atom in atoms) or group.digit_count == 0:
        return None
    return "".join(atom.value for atom in atoms)


def split_echoes(chain: list[Group], text: str) -> tuple[list[Group], list[tuple[Group, Group]]]:
    """The chain without its echoes, and each echo with the piece it repeats.

    A group is an echo of the last kept group when it reads the same (2+ characters, digits and
    any letter blocks around them: "AB 12" / "AB 12"), lies in a later
    turn, and is said by the other speaker (the agent reading a piece back) or by the same speaker
    after a turn asking to hear it again."""
    if len(chain) < 2:
        return chain, []
    kept: list[Group] = [chain[0]]
    echoes: list[tuple[Group, Group]] = []
    last_digits = _group_reading(chain[0])
    previous = chain[0]
    for group in chain[1:]:
        source, before = kept[-1], previous
        previous = group
        digits = _group_reading(group)
        if (
            digits is not None
            and last_digits is not None
            and len(digits) >= 2
            and digits == last_digits
            and text.count("\n", source.end, group.start) >= 1
        ):
            group_line = text.rfind("\n", 0, group.start) + 1
            source_line = text.rfind("\n", 0, source.start) + 1
            speaker, source_speaker = _speaker(text, group_line), _speaker(text, source_line)
            # the agent's read-back follows the piece; a repeat follows the request to repeat it
            if (before is source and speaker and source_speaker and speaker != source_speaker) or (
                speaker == source_speaker
                and _AGAIN_WORDS.intersection(
                    text[before.end : group.start].lower().replace("?", " ").replace(",", " ").split()
                )
            ):
                echoes.append((group, source))
                continue
        kept.append(group)
        last_digits = digits
    return kept, echoes


def echo_detections(echoes: list[tuple[Group, Group]], found: list[Detection]) -> list[Detection]:
    """Echoes (split_echoes) of pieces a detection claimed, typed like that detection."""
    extra: list[Detection] = []
    for echo, source in echoes:
        if any(atom.taken for atom in echo.atoms) or not all(atom.taken for atom in source.atoms):
            continue
        for detection in found:
            if any(start <= source.start and source.end <= end for start, end in detection.spans):
                for atom in (*echo.lead, *echo.atoms, *echo.trail):
                    atom.taken = True
                extra.append(Detection(detection.type, [(echo.outer_start, echo.outer_end)]))
                break
    return extra


# A first attempt given up on: "4539 1488 33... no wait, let me start over: 4539 1488 0343 6467",
# "0210031, sorry, 021000021". The words that take an attempt back or start again.
_RESTART_WORDS = frozenset(
    {"no", "wait", "sorry", "actually", "mean", "correction", "scratch", "oops", "wrong", "again", "over",
     "restart", "start", "redo", "hang", "hold", "top", "beginning", "mistake", "messed", "muddled"}
)  # fmt: skip
_ATTEMPT_WINDOW = 320  # characters before the secret
_MAX_ATTEMPT_TURNS = 2  # the attempt is in the secret's turn or one or two turns before
_MIN_PREFIX_DIGITS = 4  # a start of the secret read again is an attempt without a restart word
_MIN_ATTEMPT_DIGITS = 2
_MAX_CARD_HEAD_DIGITS = 19


def abandoned_attempts(
    text: str,
    probe: str,
    detections: list[Detection],
    groups: list[Group],
    digits_of: dict[int, str],
    is_field: Callable[[int], bool],
) -> list[Detection]:
    """Attempts at a secret given up on before it: an unclaimed number right before a secret (the
    nearest group before it, in its turn or an earlier turn of the same speaker), that is either
    the start of the secret read again (4+ digits) or is followed by a restart word ("no wait",
    "let me start again"), and is not much longer than the secret. The attempt holds the secret's
    digits (or most of them), so it is redacted as that secret. Phone-shaped numbers and numbers
    with a negative cue between them and the secret ("my phone is ..., sorry, the card is ...")
    are kept, and so are the values of a record's fields (`is_field`)."""
    if not groups:
        return []
    starts = [group.start for group in groups]
    extra: list[Detection] = []
    for detection in detections:
        secret = digits_of.get(id(detection), "")
        if len(secret) < 3:
            continue
        begin = detection.spans[0][0]
        index = bisect_left(starts, begin) - 1
        if index < 0:
            continue
        group = groups[index]
        if detection.type == CARD_NUMBER and group.end > begin:
            # A card found inside a longer reading ("two two two one one three four one 4111 ...
            # / no wait, start over"): the digits read before it in the same breath are an
            # attempt at it.
            head: list[Atom] = []
            for atom in reversed([atom for atom in group.atoms if atom.end <= begin]):
                if atom.taken or atom.kind > SPOKEN:
                    break
                head.insert(0, atom)
            if head and not group.protected and sum(len(atom.value) for atom in head) <= _MAX_CARD_HEAD_DIGITS:
                for atom in head:
                    atom.taken = True
                extra.append(Detection(CARD_NUMBER, [(head[0].start, head[-1].end)]))
            index -= 1
            if index < 0:
                continue
            group = groups[index]
        if group.end > begin or group.protected or group.phone_shaped or begin - group.end > _ATTEMPT_WINDOW:
            continue
        attempt = _group_digits(group)
        if attempt is None or len(attempt) < _MIN_ATTEMPT_DIGITS or len(attempt) > len(secret) + 2:
            continue
        if text.count("\n", group.end, begin) > _MAX_ATTEMPT_TURNS:
            continue
        # cheap word tests first, then speakers, fields and cue look-ups
        between = probe[group.end : begin].split()
        restarted = not _RESTART_WORDS.isdisjoint(between)
        if not restarted and not (len(attempt) >= _MIN_PREFIX_DIGITS and secret.startswith(attempt)):
            continue
        group_line = text.rfind("\n", 0, group.start) + 1
        secret_line = text.rfind("\n", 0, begin) + 1
        if group_line != secret_line and _speaker(text, group_line) != _speaker(text, secret_line):
            continue
        if is_field(group.start) or is_field(begin):
            continue  # a record's fields are separate values ("customerAccountNumber=..., card.no = ...")
        before = probe[group_line : group.start].split()
        if match_cues(between) or any(cue[1] == "negative" for cue in match_cues(before)):
            continue  # another item introduced, or the earlier number is a phone, an order ...
        for atom in group.atoms:
            atom.taken = True
        extra.append(Detection(detection.type, [(group.start, group.end)]))
    return extra
