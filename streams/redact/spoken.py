"""Spoken-number normalisation (a small inverse text normaliser for digit strings).

Speech-to-text engines write numbers as words when numeral formatting is off, and callers read
card and account numbers digit by digit ("four one one one"), in pairs ("forty-one eleven"), with
"oh" for zero and "double four" / "triple seven" for repeats. This module turns a run of such words
into digit strings while keeping the character span of the words, so the redactor can remove the
words themselves. Only digit-string readings matter here: amounts in words are read the same way
("two hundred and fifty" -> "250") and left to the callers' context rules.

Written here instead of depending on text2num: that library aims at prose ("twenty-one thousand")
and does not handle "oh", "double"/"triple" or keep per-word offsets, which are the cases that
matter for redaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

DIGIT_WORDS: dict[str, str] = {
    "zero": "0",
    "oh": "0",
    "nought": "0",
    "nil": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
TEEN_WORDS: dict[str, str] = {
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
}
TENS_WORDS: dict[str, str] = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
REPEAT_WORDS: dict[str, int] = {"double": 2, "triple": 3, "treble": 3}
HUNDRED = "hundred"
# "two thousand and twenty-nine": a card expiry year (or an amount) said the long way. Only after a
# digit word; a lone "thousand" ("a thousand minutes") is not a number here.
THOUSAND = "thousand"

NUMBER_WORDS: frozenset[str] = frozenset(
    [*DIGIT_WORDS, *TEEN_WORDS, *TENS_WORDS, *REPEAT_WORDS, HUNDRED, THOUSAND]
)

# Words of one number may be joined by a space or a hyphen ("forty-one"); anything else (a comma,
# a word) ends the compound, so "forty, one" stays two numbers.
_COMPOUND_GAP = re.compile(r"[ \t]*-?[ \t]*")
_HUNDRED_AND_GAP = re.compile(r"[ \t]+and[ \t]+|[ \t]*-?[ \t]*")


@dataclass(slots=True)
class SpokenWord:
    start: int
    end: int
    word: str  # lower case, one of NUMBER_WORDS


@dataclass(slots=True)
class SpokenNumber:
    start: int
    end: int
    digits: str


def normalise_spoken(words: list[SpokenWord], text: str) -> list[SpokenNumber]:
    """Turn number words (in text order) into digit strings with the span of the words they came from."""
    numbers: list[SpokenNumber] = []
    count = len(words)
    index = 0

    def joined(left: SpokenWord, right: SpokenWord, gap_pattern: re.Pattern[str] = _COMPOUND_GAP) -> bool:
        return gap_pattern.fullmatch(text, left.end, right.start) is not None

    while index < count:
        current = words[index]
        following = words[index + 1] if index + 1 < count else None
        word = current.word
        if word in REPEAT_WORDS:
            # "double four" -> "44"; a lone "double" is not a number.
            if following is not None and following.word in DIGIT_WORDS and joined(current, following):
                numbers.append(
                    SpokenNumber(current.start, following.end, DIGIT_WORDS[following.word] * REPEAT_WORDS[word])
                )
                index += 2
            else:
                index += 1
            continue
        if word in TENS_WORDS:
            if (
                following is not None
                and following.word in DIGIT_WORDS
                and following.word not in ("oh", "zero", "nought", "nil")
                and joined(current, following)
            ):
                numbers.append(
                    SpokenNumber(current.start, following.end, TENS_WORDS[word] + DIGIT_WORDS[following.word])
                )
                index += 2
            else:
                numbers.append(SpokenNumber(current.start, current.end, TENS_WORDS[word] + "0"))
                index += 1
            continue
        if word in TEEN_WORDS:
            numbers.append(SpokenNumber(current.start, current.end, TEEN_WORDS[word]))
            index += 1
            continue
        if word in (HUNDRED, THOUSAND):
            previous = numbers[-1] if numbers else None
            if (
                word == HUNDRED
                and previous is not None
                and len(previous.digits) == 2
                and index > 0
                and words[index - 1].end == previous.end
                and joined(words[index - 1], current)
            ):
                # "forty-eight hundred twenty-one", "fifteen hundred": a pair times a hundred
                value = int(previous.digits) * 100
                end = current.end
                index += 1
                if index < count and joined(current, words[index], _HUNDRED_AND_GAP):
                    rest, rest_end, after = _below_hundred(words, index, count, joined)
                    if rest is not None:
                        value, end, index = value + rest, rest_end, after
                numbers[-1] = SpokenNumber(previous.start, end, str(value))
                continue
            if word == HUNDRED:
                numbers.append(SpokenNumber(current.start, current.end, "100"))
            index += 1
            continue
        # A digit word, possibly "N hundred [and] M" or "N thousand [and] M".
        if following is not None and following.word == THOUSAND and joined(current, following) and word != "oh":
            value = int(DIGIT_WORDS[word]) * 1000
            end = following.end
            index += 2
            if index < count and joined(following, words[index], _HUNDRED_AND_GAP):
                rest, rest_end, index = _below_thousand(words, index, count, joined)
                if rest is not None:
                    value += rest
                    end = rest_end
            numbers.append(SpokenNumber(current.start, end, str(value)))
            continue
        if following is not None and following.word == HUNDRED and joined(current, following) and word != "oh":
            value, end, index = _below_thousand(words, index, count, joined)
            assert value is not None
            numbers.append(SpokenNumber(current.start, end, str(value)))
            continue
        numbers.append(SpokenNumber(current.start, current.end, DIGIT_WORDS[word]))
        index += 1
    return numbers


def _below_thousand(
    words: list[SpokenWord], index: int, count: int, joined: Callable[..., bool]
) -> tuple[int | None, int, int]:
    """The number 1-999 that starts at words[index] ("five hundred and twelve", "twenty-nine",
    "twelve", "nine"): (value, end of its last word, index after it); (None, -1, index) if none."""
    current = words[index]
    word = current.word
    following = words[index + 1] if index + 1 < count else None
    if word in DIGIT_WORDS and word != "oh" and following is not None and following.word == HUNDRED and joined(
        current, following
    ):
        value = int(DIGIT_WORDS[word]) * 100
        end = following.end
        index += 2
        if index < count and joined(following, words[index], _HUNDRED_AND_GAP):
            rest, rest_end, after = _below_hundred(words, index, count, joined)
            if rest is not None:
                return value + rest, rest_end, after
        return value, end, index
    return _below_hundred(words, index, count, joined)


def _below_hundred(
    words: list[SpokenWord], index: int, count: int, joined: Callable[..., bool]
) -> tuple[int | None, int, int]:
    rest = words[index]
    if rest.word in TEEN_WORDS:
        return int(TEEN_WORDS[rest.word]), rest.end, index + 1
    if rest.word in TENS_WORDS:
        value = int(TENS_WORDS[rest.word]) * 10
        if index + 1 < count and words[index + 1].word in DIGIT_WORDS and joined(rest, words[index + 1]):
            return value + int(DIGIT_WORDS[words[index + 1].word]), words[index + 1].end, index + 2
        return value, rest.end, index + 1
    if rest.word in DIGIT_WORDS and rest.word != "oh":
        return int(DIGIT_WORDS[rest.word]), rest.end, index + 1
    return None, -1, index
