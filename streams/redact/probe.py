"""Stage 1-2: the probe text and the atoms (digit strings, digit-bearing words, spoken numbers).

The text is encoded one byte per character and lower-cased / de-punctuated with bytes.translate
into a *probe* with the same offsets. Digit runs are found with bytes.find on a digit mask and
number words with one regex, so ordinary talk costs only C-level scans. Words become *atoms*, each
with its character span. A number of at most two digits between two ordinary words ("give me one
moment", "about 12 of us") is dropped here: it can neither be nor join a secret.
"""

from __future__ import annotations

import codecs
import operator
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from streams.redact.cues import LONE_TEST_FILLER_WORDS, MONTH_BEFORE
from streams.redact.spoken import DIGIT_WORDS, NUMBER_WORDS, TEEN_WORDS, TENS_WORDS, SpokenWord, normalise_spoken

DIGITS, SPOKEN, ALNUM, LETTERS = range(4)


@dataclass(slots=True, eq=False)
class Atom:
    start: int
    end: int
    value: str  # digits, or upper-case letters/digits for ALNUM and LETTERS
    kind: int
    taken: bool = False


# Lower-cases ASCII letters and turns punctuation into spaces in one pass while keeping every
# character in place, so offsets in this "probe" text are offsets in the input. (str.lower() is
# not used: it can change the length of non-ASCII text.)
# Typographic punctuation that speech-to-text output uses (curly quotes, ellipsis, guillemets,
# dashes, bullets): blanked like ASCII punctuation, else '“4111' or 'three…' is not a number word.
_NON_ASCII_PUNCTUATION = frozenset(
    "\u2013\u2014\u2015\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2026\u00ab\u00bb\u2039\u203a"
    "\u2022\u00b7\u00a1\u00bf\u2032\u2033\u00a3\u20ac"
)
PROBE_TABLE = str.maketrans(
    {
        **{chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)},
        **dict.fromkeys(",.;:!?\"()[]{}-/\\+$%*&'#<>=|~`", " "),
        **dict.fromkeys(_NON_ASCII_PUNCTUATION, " "),
    }
)


def _probe_replace(error: UnicodeError) -> tuple[str, int]:
    """Encode-error handler: one ASCII stand-in per non-ASCII character, so offsets stay put.

    Punctuation that the probe blanks and any whitespace become a space, every other character a
    non-space, non-letter byte (it still ends a word and never matches a cue or a digit).
    """
    assert isinstance(error, UnicodeEncodeError)
    chunk = error.object[error.start : error.end]
    return "".join(" " if char in _NON_ASCII_PUNCTUATION or char.isspace() else "\x01" for char in chunk), error.end


_PROBE_ERRORS = "callstream.redact.probe"
codecs.register_error(_PROBE_ERRORS, _probe_replace)


def _byte_table(mapping: dict[int, int], default: int | None = None) -> bytes:
    table = bytearray(range(256)) if default is None else bytearray([default] * 256)
    for source, target in mapping.items():
        table[source] = target
    return bytes(table)


# The probe as bytes: the text encoded one byte per character, then lower-cased and de-punctuated
# by bytes.translate. Both steps run at memcpy-like speed, several times faster than str.translate.
_PROBE_BYTES = _byte_table(
    {
        **{code: code + 32 for code in range(ord("A"), ord("Z") + 1)},
        **dict.fromkeys(b",.;:!?\"()[]{}-/\\+$%*&'#<>=|~`", ord(" ")),
    }
)
# Every whitespace byte as a plain space, so a number word is exactly " word " in the padded text.
_FLAT_BYTES = _byte_table(dict.fromkeys(b"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85", ord(" ")))
# Digits as "0", everything else as ".": memchr-speed search for digit runs.
_DIGIT_MARK_BYTES = _byte_table(dict.fromkeys(b"0123456789", ord("0")), default=ord("."))
_ALPHA_WORD = re.compile(r"[a-z]+")


def _number_word_pattern() -> re.Pattern[bytes]:
    # Alternatives grouped by first letter: the regex engine then tries one branch per space.
    by_first: dict[str, list[str]] = {}
    for word in sorted(NUMBER_WORDS, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    return re.compile(f" ({branches})(?= )".encode())


# A number word as a whole word of the flattened probe, padded with a space at each end.
_NUMBER_WORD = _number_word_pattern()


# --- lone small numbers ------------------------------------------------------------------------
#
# Most numbers in a call are small talk: "give me one moment", "about 12 of us". A number of at
# most two digits that stands between two ordinary words can never be (part of) a secret: it
# cannot join a group (the words are not separators or letter blocks), cannot be bridged to a
# neighbour (the words are not filler), has no lead or trail letters, and no detector fires on a
# lone group of fewer than 3 digits except a month-name expiry ("December 27"). Dropping it
# before groups are built gives the same findings for far less work.
# Part of a speaker label ("User:") could start at or run through the number: then a word after it
# may be removed from a bridge, so the number is not treated as lone.
_LABEL_TAIL = re.compile(r"[ \t]*[A-Za-z .'\-]{0,25}:")
_NOT_BLOCKING = frozenset([*LONE_TEST_FILLER_WORDS, *NUMBER_WORDS, "slash"])
# Digits a number word reads as when it stands alone (see spoken.normalise_spoken).
_LONE_CANDIDATE_DIGITS: dict[str, int] = {
    **dict.fromkeys(DIGIT_WORDS, 1),
    **dict.fromkeys(TEEN_WORDS, 2),
    **dict.fromkeys(TENS_WORDS, 2),
}


# The ordinary word right after a number: only spaces and punctuation the probe blanks (no colon,
# no hyphen) before it, and a character the probe blanks (or the end) after it, so it is exactly
# one probe word. Possessive quantifiers: nothing to backtrack into.
_WORD_AFTER = re.compile(r"[ \t,.;!?\"()]*+([A-Za-z]++)(?=[ \t\n,.;!?\"()]|\Z)")


def _is_lone_small_number(text: str, reversed_text: str, probe: str, start: int, end: int, digit_count: int) -> bool:
    """True if the number at [start, end) reads as at most two digits between two blocking words.

    A blocking word is a whole probe word of letters that is not filler, not a number word, not
    "slash" and not an upper-case letter block (which could be part of an IBAN or a cue acronym).
    Only spaces and blanked punctuation (never a colon, so no speaker label) may separate it from
    the number, and no label may run from the number into the word after it. The word before is
    read with the same anchored regex on the reversed text: a search backwards from `start` would
    try every position of a window.
    """
    if digit_count > 2:
        return False
    after = _WORD_AFTER.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    if word.isupper() or word.lower() in _NOT_BLOCKING:
        return False
    # A label from `end` is spaces, then at most 25 letters, spaces or .'- and a colon.
    if text.find(":", end, after.end() + 27) != -1 and _LABEL_TAIL.match(text, end) is not None:
        return False
    before = _WORD_AFTER.match(reversed_text, len(text) - start)
    if before is None:
        return False
    word = before.group(1)
    if word.isupper() or word[::-1].lower() in _NOT_BLOCKING:
        return False
    return digit_count < 2 or MONTH_BEFORE.search(probe, max(0, start - 16), start) is None


_NAME_BEFORE = re.compile(r"([A-Za-z]+)[._-]\Z")
_NAME_AFTER = re.compile(r"[._-]([A-Za-z]+)")


def _is_part_of_name(text: str, start: int, end: int) -> bool:
    """A number word glued to a word by "." "_" "-" is part of a name ("last.four", "card_one",
    "plan-two"); glued to another number word it is a compound ("thirty-two")."""
    if start >= 2 and text[start - 1] in "._-":
        before = _NAME_BEFORE.search(text, max(0, start - 24), start)
        if before is not None and before.group(1).lower() not in NUMBER_WORDS:
            return True
    if text[end : end + 1] in ("._-") and end + 1 < len(text):
        after = _NAME_AFTER.match(text, end)
        if after is not None and after.group(1).lower() not in NUMBER_WORDS:
            return text[end] != "." or (after.end() - after.start() > 1 and text[end + 1 : end + 2] != " ")
    return False


# "the next four", "first eight", "the other six", "the remaining three": how many digits are
# coming, said between the pieces of a number - not digits of it.
_COUNTING_WORDS = frozenset({"next", "first", "last", "other", "remaining", "final", "another", "middle"})
_COUNT_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"})


def _counts_digits(probe: str, start: int, word: str) -> bool:
    if word not in _COUNT_WORDS:
        return False
    window = probe[max(0, start - 12) : start]
    newline = window.rfind("\n")
    before = window[newline + 1 :].split()  # the same turn only: "next" / "User: nine ..." is a digit
    return bool(before) and before[-1] in _COUNTING_WORDS


# Speech-to-text writes digits as words that sound the same: "for" 4, "to"/"too" 2, "won" 1,
# "ate" 8, "o" 0 ("my card is for five three two, one to eight three"). Such a word is a digit only
# between two number words, or at the edge of a run of at least three of them.
_HOMOPHONES: dict[bytes, str] = {b"for": "four", b"fore": "four", b"to": "two", b"too": "two", b"won": "one",
                                 b"ate": "eight", b"o": "oh"}  # fmt: skip
# The homophones and the pause fillers that may sit inside a reading, each written once: every
# pattern below is built from these, so a homophone added here is looked for everywhere (and
# tests/redaction/test_probe_prefilter.py checks the pre-filter against the look-ups).
_HOMOPHONE_WORDS = b"|".join(_HOMOPHONES)
_PAUSE_FILLERS = (b"um", b"uh", b"er", b"erm", b"umm", b"uhm", b"hmm")
_FILLER_WORDS = b"|".join(_PAUSE_FILLERS)
_HOMOPHONE = re.compile(rb" (" + _HOMOPHONE_WORDS + rb")(?= )")
# The homophone right after / right before a number word, as " word" spans of the padded flat text.
# A filler may sit between ("won um three", "three er, o"): a pause inside the reading.
_HOMOPHONE_AFTER = re.compile(
    rb"(?=[ ,-]{0,2}(?: (?:" + _FILLER_WORDS + rb")[ ,-]{0,4})? (?:" + _HOMOPHONE_WORDS + rb") )"
    rb"[ ,-]{0,2}(?: (?:" + _FILLER_WORDS + rb")[ ,-]{0,4})?( (" + _HOMOPHONE_WORDS + rb"))(?= )"
)
_HOMOPHONE_BEFORE = re.compile(
    rb"( (" + _HOMOPHONE_WORDS + rb"))(?= )(?: {1,4}(?:" + _FILLER_WORDS + rb"))?[ ,-]{1,5}$"
)
# The pre-filter of the two look-ups: the window of flat around a word at [start, end) that they
# read. _HOMOPHONE_BEFORE searches [start - _BEFORE_REACH, start + 1); _HOMOPHONE_AFTER matches
# from end + 1 over two separators, a space and a filler, four separators, then " homophone "; so a
# homophone either finds lies wholly inside the window, followed by a space.
_BEFORE_REACH = 18
_AFTER_REACH = 1 + 2 + (1 + max(map(len, _PAUSE_FILLERS))) + 4 + (2 + max(map(len, _HOMOPHONES)))
_HOMOPHONE_ANYWHERE = re.compile(rb" (?:" + _HOMOPHONE_WORDS + rb") ")
_ADJACENT_GAP = re.compile(r"[ \t]*[,-]?[ \t]*(?:(?i:uh|um|umm|uhm|er|erm|hmm)(?:\.\.\.|[,.])?[ \t]*)?")
_MAX_ADJACENT_GAP = 11  # characters: ", um... " between two words of one reading
_MIN_RUN_AT_EDGE = 3
# Homophones that are no preposition or adverb between two number words ("nine ate three", "six
# won two", "four o seven"): unlike "to"/"for"/"too" ("five to seven", "two for one") they make no range.
_UNAMBIGUOUS_HOMOPHONES = frozenset({b"ate", b"won", b"o", b"fore"})
_MAX_HOMOPHONE_CHAIN = 6
_MAX_RUN_WORDS = 64  # a run is walked at most this far each way  # homophones in a row ("for to too ...") looked for


_READING_WORDS = frozenset(
    {"zero", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double", "triple",
     "for", "fore", "to", "too", "won", "ate", "it", "its", "it's", "is", "um", "uh", "er", "erm", "yeah", "yes",
     "sure", "okay", "ok", "so", "that's", "thats"}
)  # fmt: skip
_MAX_READING_WORDS = 8
_READING_PUNCTUATION = str.maketrans("", "", ",.;!?-/|")
_TURN_TAIL = re.compile(r"[ \t,.;!?/|\-]*(?:\n|\Z)")


def _bare_reading(text: str, position: int, end: int | None = None) -> bool:
    """Whether the line holding `position` (after its speaker label) is only a short reading of
    digits: digit words, written digits, homophones and a few lead-in words - or, when the reading
    ending at `end` closes its turn, any short turn ("the code is six for six.")."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    colon = line.find(":")
    if colon != -1 and colon < position - line_start:
        line = line[colon + 1 :]
    words = line.lower().translate(_READING_PUNCTUATION).split()
    if not words or len(words) > _MAX_READING_WORDS:
        return False
    if end is not None and _TURN_TAIL.match(text, end) is not None:
        return True
    return all(word in _READING_WORDS or word.isdigit() for word in words)


# A card code asked for or named in the turn or the two before ("the CVV?" / "one four to"): there
# a homophone beside a two-word reading is a digit, as a range of two numbers makes no code.
_CODE_TALK = re.compile(
    r"\b(?:cvv|cvc|cvn|cv2|csc|security code|code on the back|on the back|three digits|four digits|pin)\b",
    re.IGNORECASE,
)
_CODE_TALK_TURNS = 2
# The reading ends at a pause (punctuation, a line end): "one four to, correct?", not "five to
# seven working days" or "the two for one offer".
_READING_CLOSED = re.compile(r"[ \t]*(?:[,.;!?/|]|\n|\Z)")
_CODE_TALK_CHARS = 400


def _code_talk(text: str, position: int) -> bool:
    start = text.rfind("\n", 0, position) + 1
    for _ in range(_CODE_TALK_TURNS):
        if start == 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return _CODE_TALK.search(text, max(start, position - _CODE_TALK_CHARS), position) is not None


def homophone_candidates(flat: bytes, edges: list[tuple[int, int]]) -> dict[int, re.Match[bytes]]:
    """Homophones right next to a word at one of `edges` (text offsets), or next to such a
    homophone, by the position of their padding space in `flat`: anchored matches at each word's
    edges (a few per call) instead of a scan of the whole text."""
    candidates: dict[int, re.Match[bytes]] = {}
    for _ in range(_MAX_HOMOPHONE_CHAIN):
        fresh: list[tuple[int, int]] = []
        for word_start, word_end in edges:
            # One search of the window both look-ups read settles most words: no homophone there,
            # nothing for either to find (a necessary condition, so the same candidates result).
            if _HOMOPHONE_ANYWHERE.search(flat, max(0, word_start - _BEFORE_REACH), word_end + _AFTER_REACH) is None:
                continue
            for found in (
                _HOMOPHONE_AFTER.match(flat, word_end + 1),
                _HOMOPHONE_BEFORE.search(flat, max(0, word_start - _BEFORE_REACH), word_start + 1),
            ):
                if found is not None:
                    homophone = _HOMOPHONE.match(flat, found.start(1))  # " word", as the full scan gives it
                    if homophone is not None and homophone.start() not in candidates:
                        candidates[homophone.start()] = homophone
                        fresh.append((homophone.start(), homophone.end() - 1))
        if not fresh:
            break
        edges = fresh
    return candidates


def _homophone_digits(
    text: str, flat: bytes, words: list[SpokenWord], lone: list[SpokenWord], digit_words: list[SpokenWord]
) -> list[tuple[SpokenWord, SpokenWord | None]]:
    """(homophone read as a digit word, a lone number word it makes part of a number) pairs.

    Homophones and number words that follow each other (only spaces, a comma or a dash between)
    form a *run*; homophones may follow each other too ("six for too six", "five too for three").
    A run holding at least _MIN_RUN_AT_EDGE number words is a reading: all its homophones are
    digits. A shorter run counts only in a turn that is only a short reading ("it's for one two",
    "oh to three", "for to six"): there it needs one number word and three words in all. A range
    ("five to seven days", "one to five") has two number words and one homophone: kept as words.
    """
    words = [*words, *digit_words]
    candidates = homophone_candidates(flat, [(word.start, word.end) for word in (*words, *lone)])
    if not candidates:
        return []
    homophone_words: list[SpokenWord] = []
    unambiguous: set[int] = set()
    for key in sorted(candidates):
        match = candidates[key]
        position, end = match.span()
        end -= 1
        if match.group(1) == b"o" and (text[position] == "O" or not text[position].islower()):
            continue  # a capital O is a letter ("R A B O"), speech-to-text writes the digit lower case
        homophone_words.append(SpokenWord(position, end, _HOMOPHONES[match.group(1)]))
        if match.group(1) in _UNAMBIGUOUS_HOMOPHONES:
            unambiguous.add(id(homophone_words[-1]))
    if not homophone_words:
        return []
    homophone_ids = {id(word) for word in homophone_words}
    lone_ids = {id(word) for word in lone}
    # Runs are walked out from each homophone through its neighbours: the nearest word after (or
    # before) it, found by bisect. A farther word can never be the neighbour instead: the gap to it
    # would hold the nearer word, and a gap holds only separators and one filler.
    by_start = {word.start: word for word in (*words, *lone, *homophone_words)}
    by_end = {word.end: word for word in (*words, *lone, *homophone_words)}
    starts = sorted(by_start)
    ends = sorted(by_end)

    def neighbour(word: SpokenWord, step: int) -> SpokenWord | None:
        if step > 0:
            index = bisect_left(starts, word.end)
            if index == len(starts) or starts[index] - word.end >= _MAX_ADJACENT_GAP:
                return None
            other = by_start[starts[index]]
            return other if _ADJACENT_GAP.fullmatch(text, word.end, other.start) else None
        index = bisect_right(ends, word.start) - 1
        if index < 0 or word.start - ends[index] >= _MAX_ADJACENT_GAP:
            return None
        other = by_end[ends[index]]
        return other if _ADJACENT_GAP.fullmatch(text, other.end, word.start) else None

    found: list[tuple[SpokenWord, SpokenWord | None]] = []
    seen: set[int] = set()
    for homophone in homophone_words:
        if id(homophone) in seen:
            continue
        first = homophone
        for _ in range(_MAX_RUN_WORDS):
            before = neighbour(first, -1)
            if before is None:
                break
            first = before
        run = [first]
        for _ in range(_MAX_RUN_WORDS):
            after = neighbour(run[-1], 1)
            if after is None:
                break
            run.append(after)
        seen.update(id(word) for word in run)
        homophones_in_run = [word for word in run if id(word) in homophone_ids]
        number_words = len(run) - len(homophones_in_run)
        if (
            number_words >= _MIN_RUN_AT_EDGE
            or (number_words >= 2 and len(run) > _MIN_RUN_AT_EDGE)
            or (number_words >= 2 and all(id(word) in unambiguous for word in homophones_in_run))
            or (number_words >= 1 and len(run) >= _MIN_RUN_AT_EDGE and _bare_reading(text, run[0].start, run[-1].end))
            or (
                number_words >= 1
                and (number_words >= 2 or len(run) >= _MIN_RUN_AT_EDGE)
                and _READING_CLOSED.match(text, run[-1].end) is not None
                and _code_talk(text, run[0].start)
            )
        ):
            found.extend((digit, None) for digit in homophones_in_run)
            found.extend((homophones_in_run[0], word) for word in run if id(word) in lone_ids)
    return found


def make_probe(text: str) -> tuple[str, bytes]:
    """The probe text and its bytes (same length as `text`, same offsets)."""
    raw = text.encode("ascii", _PROBE_ERRORS)
    probe_bytes = raw.translate(_PROBE_BYTES)
    return probe_bytes.decode("ascii"), probe_bytes


_atom_start = operator.attrgetter("start")


def collect_atoms(text: str, probe: str, probe_bytes: bytes) -> list[Atom]:
    """Digit-bearing words and spoken numbers, in text order.

    Everything here is driven by C-level scans (bytes.find over a digit mask, one regex for number
    words), so text without numbers costs almost nothing; Python only runs for actual hits.
    """
    atoms: list[Atom] = []
    size = len(probe)
    reversed_text = text[::-1]  # for anchored look-backs (see _is_lone_small_number)
    marks = probe_bytes.translate(_DIGIT_MARK_BYTES)
    run_start = marks.find(b"0")
    while run_start != -1:
        run_end = marks.find(b".", run_start)
        if run_end == -1:
            run_end = size
        start = run_start
        word_end = run_end
        whole_run = (run_start, run_end)
        # Usually the run is a whole word; only walk out to the word's edges when it is not.
        if start > 0 and not probe[start - 1].isspace():
            while start > 0 and not probe[start - 1].isspace():
                start -= 1
        if word_end < size and not probe[word_end].isspace():
            while word_end < size and not probe[word_end].isspace():
                word_end += 1
        # The next run to look at starts after this word ("a1b2" is one word).
        run_start = marks.find(b"0", word_end)
        word = probe[start:word_end]
        if "_" in word or "@" in word:
            continue  # ids such as pi_3Mtw... and e-mail addresses are never numbers to join
        if (start, word_end) == whole_run:
            if not _is_lone_small_number(text, reversed_text, probe, start, word_end, word_end - start):
                atoms.append(Atom(start, word_end, word, DIGITS))
        else:
            atoms.append(Atom(start, word_end, text[start:word_end].upper(), ALNUM))
    spoken_words: list[SpokenWord] = []
    flat = b" " + probe_bytes.translate(_FLAT_BYTES) + b" "
    lone_words: list[SpokenWord] = []  # kept aside: a homophone next to one makes it a digit again
    for match in _NUMBER_WORD.finditer(flat):
        # match.start() is the padding space before the word: in `text` the word starts there.
        position, end = match.span()
        end -= 1
        word = probe[position:end]
        # A lone word reads as at most two digits ("one", "twelve", "forty"); "hundred" reads as
        # three and "double"/"triple" alone as none, so those always go to the normaliser.
        digit_count = _LONE_CANDIDATE_DIGITS.get(word)
        if digit_count is not None and _is_lone_small_number(text, reversed_text, probe, position, end, digit_count):
            lone_words.append(SpokenWord(position, end, word))
            continue
        # One-character and set tests first: most number words are neither part of a name nor a count.
        glued = text[position - 1] in "._-" or text[end : end + 1] in "._-"
        if (glued and _is_part_of_name(text, position, end)) or (
            word in _COUNT_WORDS and _counts_digits(probe, position, word)
        ):
            continue
        spoken_words.append(SpokenWord(position, end, word))
    # Written single digits are neighbours too: speech-to-text mixes them ("4 5 3 9 1 for 8 8").
    digit_words = [SpokenWord(atom.start, atom.end, atom.value) for atom in atoms if len(atom.value) == 1]
    if spoken_words or lone_words or digit_words:
        homophones = _homophone_digits(text, flat, spoken_words, lone_words, digit_words)
        if homophones:
            taken_back = {id(word) for _, word in homophones if word is not None}
            spoken_words.extend(word for word in lone_words if id(word) in taken_back)
            spoken_words.extend({id(digit): digit for digit, _ in homophones}.values())
            spoken_words.sort(key=_atom_start)
    if spoken_words:
        atoms.extend(
            Atom(number.start, number.end, number.digits, SPOKEN) for number in normalise_spoken(spoken_words, text)
        )
        atoms.sort(key=_atom_start)
    return atoms
