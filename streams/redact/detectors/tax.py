"""Tax family: SSN / ITIN / EIN in their distinctive written formats, and tax numbers next to a cue.
(NINO and prefixed VAT numbers carry letters and are found in detectors/letters.py.)"""

from __future__ import annotations

import re

from streams.redact import validators
from streams.redact.context import Context
from streams.redact.cues import FILLER_WORDS, SPEAKER_LABEL
from streams.redact.findings import UK_NINO, UK_UTR, US_EIN, US_ITIN, US_SSN, VAT_NUMBER, Detection
from streams.redact.groups import Group
from streams.redact.probe import DIGITS
from streams.redact.spoken import DIGIT_WORDS


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


CUE_TYPES = ("ssn", "itin", "ein", "utr", "tax", "vat")


def classify_by_cue(cue: str, cue_text: str, digits: str, group: Group, context: Context) -> str | None:
    length = len(digits)
    if cue == "ssn":
        if length == 9:
            return US_ITIN if validators.is_us_itin(digits) else US_SSN
        return None
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


FIELD_CUE_TYPES = ("ssn", "itin", "ein", "utr", "tax", "vat")


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
    return detections + detect_nino_readings(text, probe)


# --- NINO read out in pieces ----------------------------------------------------------------------
#
# After a National Insurance cue the number is often spelled: lower-case letters, digits as words,
# and split over turns ("it's A B" / "okay" / "one two three four five six C"). The pieces are read
# as a token stream from the cue on: letters (single letters, or a two-letter block that is not an
# ordinary word), digits (written or spoken), and filler / acknowledgement words and speaker labels
# that are skipped; any other word ends the reading. Two letters, six digits and a suffix letter that
# pass the HMRC format rules are a NINO, redacted piece by piece.
_NINO_CUE_WORDS = ("insurance", "nino", " ni ")


def _nino_cue_ends(probe: str) -> list[int]:
    """Where each NINO cue ends, in text order (str.find: far cheaper than a regex over the call)."""
    ends: list[int] = []
    for word in _NINO_CUE_WORDS:
        position = probe.find(word)
        while position != -1:
            ends.append(position + len(word) - (1 if word[-1] == " " else 0))
            position = probe.find(word, position + 1)
    return sorted(ends)
_DIGIT_OR_WORD = re.compile(r"[0-9]|\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b")
_NINO_WINDOW = 300
_NINO_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")
_TWO_LETTER_WORDS = frozenset(
    {"is", "it", "on", "no", "so", "ok", "oh", "to", "me", "my", "we", "us", "up", "at", "as", "an", "am", "be", "by",
     "do", "go", "he", "if", "in", "of", "or", "hi", "ya", "yo", "uh", "um", "er", "mm", "hm", "ah", "eh", "ta", "ni"}
)  # fmt: skip
_NINO_SKIP_WORDS = FILLER_WORDS | {"national", "insurance", "number", "my", "nino", "it's", "its", "is", "s"}
_MAX_NINO_TOKENS = 16


def _nino_tokens(text: str, start: int, end: int) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end) with kind "L" (letters), "D" (digits) or "X" (ends a reading)."""
    tokens: list[tuple[str, str, int, int]] = []
    labels: list[tuple[int, int]] = []
    line_start = text.rfind("\n", 0, start) + 1
    while line_start < end:
        label = SPEAKER_LABEL.match(text, line_start)
        if label is not None:
            labels.append(label.span())
        newline = text.find("\n", line_start, end)
        if newline == -1:
            break
        line_start = newline + 1
    label_index = 0
    for match in _NINO_TOKEN.finditer(text, start, end):
        token_start, token_end = match.span()
        while label_index < len(labels) and labels[label_index][1] <= token_start:
            label_index += 1
        if label_index < len(labels) and labels[label_index][0] <= token_start:
            continue  # a speaker label
        word = match.group()
        lower = word.lower()
        if word.isdigit():
            tokens.append(("D", word, token_start, token_end))
        elif lower in DIGIT_WORDS:
            tokens.append(("D", DIGIT_WORDS[lower], token_start, token_end))
        elif len(word) == 1 or (len(word) == 2 and (word.isupper() or lower not in _TWO_LETTER_WORDS)):
            tokens.append(("L", word.upper(), token_start, token_end))
        elif lower in _NINO_SKIP_WORDS:
            continue
        else:
            tokens.append(("X", "", token_start, token_end))
    return tokens


def _nino_at(tokens: list[tuple[str, str, int, int]], index: int) -> int | None:
    """The index of the last token of a NINO reading that starts at tokens[index], if any."""
    letters = ""
    digits = ""
    for position in range(index, min(len(tokens), index + _MAX_NINO_TOKENS)):
        kind, value, _, _ = tokens[position]
        if kind == "X":
            return None
        if len(letters) < 2:
            if kind != "L" or len(letters) + len(value) > 2:
                return None
            letters += value
        elif len(digits) < 6:
            if kind != "D" or len(digits) + len(value) > 6:
                return None
            digits += value
        else:
            if kind == "L" and len(value) == 1 and validators.is_uk_nino(letters + digits + value):
                return position
            return None
    return None


def detect_nino_readings(text: str, probe: str) -> list[Detection]:
    detections: list[Detection] = []
    claimed_until = 0
    scanned_until = 0
    for cue_end in _nino_cue_ends(probe):
        if cue_end < max(claimed_until, scanned_until - _NINO_WINDOW // 2):
            continue  # read with the cue before
        window_end = min(len(text), cue_end + _NINO_WINDOW)
        scanned_until = window_end
        # six digits, written or spoken, must follow (most cues are "insurance" in passing)
        if len(_DIGIT_OR_WORD.findall(probe, cue_end, window_end)) < 6:
            continue
        tokens = _nino_tokens(text, cue_end, window_end)
        for index, token in enumerate(tokens):
            if token[0] != "L" or token[2] < claimed_until:
                continue
            last = _nino_at(tokens, index)
            if last is None:
                continue
            spans: list[tuple[int, int]] = []
            for _, _, token_start, token_end in tokens[index : last + 1]:
                if spans and text.find("\n", spans[-1][1], token_start) == -1:
                    spans[-1] = (spans[-1][0], token_end)
                else:
                    spans.append((token_start, token_end))
            detections.append(Detection(UK_NINO, spans))
            claimed_until = tokens[last][3]
            break
    return detections
