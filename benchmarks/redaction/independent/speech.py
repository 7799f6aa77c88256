"""Spoken renderings of digit strings (what an ASR engine without number formatting writes) and the
reverse mapping the corpus tests use to check that a span holds the digits planted in it.

The renderers return words for one *group*; the scenes decide how groups are separated (commas,
fillers, whole turns). The normaliser only has to understand this module's own output.
"""

from __future__ import annotations

import random
import re

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


def digit_word(d: str, rng: random.Random, zero_style: str = "mixed", homophones: bool = False) -> str:
    if d == "0":
        if zero_style == "zero":
            return "zero"
        if zero_style == "oh":
            return "oh"
        return rng.choice(("zero", "oh", "oh", "o"))
    if homophones and d == "4" and rng.random() < 0.6:
        return "for"
    if homophones and d == "2" and rng.random() < 0.6:
        return rng.choice(("to", "too"))
    return ONES[int(d)]


def pair_words(nn: str, rng: random.Random) -> str:
    """Two digits as one spoken number: "41" -> "forty-one", "05" -> "oh five", "10" -> "ten"."""
    a, b = int(nn[0]), int(nn[1])
    if a == 0:
        return f"{rng.choice(('oh', 'zero'))} {ONES[b]}"
    if a == 1:
        return TEENS[b]
    if b == 0:
        return TENS[a]
    return f"{TENS[a]}{rng.choice(('-', '-', ' '))}{ONES[b]}"


def single(group: str, rng: random.Random, *, homophones: bool = False, runs: bool = False,
           zero_style: str = "mixed") -> str:
    """Digit by digit; with `runs`, "double"/"triple" for repeated digits."""
    words: list[str] = []
    i = 0
    while i < len(group):
        d = group[i]
        run = 1
        while i + run < len(group) and group[i + run] == d and run < 3:
            run += 1
        if runs and run == 3:
            words.append(f"triple {digit_word(d, rng, zero_style)}")
            i += 3
            continue
        if runs and run >= 2:
            words.append(f"double {digit_word(d, rng, zero_style)}")
            i += 2
            continue
        words.append(digit_word(d, rng, zero_style, homophones))
        i += 1
    return " ".join(words)


def pairs(group: str, rng: random.Random) -> str:
    """In pairs, a leading odd digit alone: "4111" -> "forty-one eleven", "407" -> "four oh seven"."""
    words: list[str] = []
    start = 0
    if len(group) % 2:
        words.append(digit_word(group[0], rng, "oh"))
        start = 1
    for i in range(start, len(group), 2):
        words.append(pair_words(group[i:i + 2], rng))
    return " ".join(words)


def spoken_group(group: str, rng: random.Random, style: str) -> str:
    if style == "single":
        return single(group, rng)
    if style == "runs":
        return single(group, rng, runs=True)
    if style == "homophones":
        return single(group, rng, homophones=True)
    if style == "pairs":
        return pairs(group, rng)
    if style == "mixed":
        return rng.choice((single, pairs))(group, rng)
    raise ValueError(style)


def letters(chars: str, rng: random.Random, zero_style: str = "mixed") -> str:
    """Characters of an IBAN/NINO read out one by one: letters as capitals, digits as words."""
    out = []
    for ch in chars:
        out.append(digit_word(ch, rng, zero_style) if ch.isdigit() else ch.upper())
    return " ".join(out)


# ------------------------------------------------------------------ normaliser (for the tests)
_WORD = re.compile(r"[A-Za-z]+|\d+")
_ONES = {w: str(i) for i, w in enumerate(ONES)}
_ONES.update({"oh": "0", "o": "0", "for": "4", "to": "2", "too": "2"})
_TEENS = {w: str(10 + i) for i, w in enumerate(TEENS)}
_TENS = {w: str(i) for i, w in enumerate(TENS) if w}
_MONTHS = {m: f"{i + 1:02d}" for i, m in enumerate(MONTHS)}
_SKIP = {"slash", "of", "dash", "thru", "until"}


def to_chars(text: str) -> str:
    """Digits and single capital letters that `text` spells, per this module's vocabulary."""
    toks = _WORD.findall(text)
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower()
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        if low in _SKIP:
            pass
        elif t.isdigit():
            out.append(t)
        elif low in ("double", "triple") and nxt in _ONES:
            out.append(_ONES[nxt] * (2 if low == "double" else 3))
            i += 1
        elif low in _TENS:
            if nxt in _ONES and nxt not in ("oh", "o", "zero", "for", "to", "too"):
                out.append(_TENS[low] + _ONES[nxt])
                i += 1
            else:
                out.append(_TENS[low] + "0")
        elif low in _TEENS:
            out.append(_TEENS[low])
        elif low in _ONES and not (low == "o" and t == "O"):
            out.append(_ONES[low])
        elif low in _MONTHS:
            out.append(_MONTHS[low])
        elif (len(t) == 1 and t.isalpha()) or (t.isalnum() and any(c.isdigit() for c in t)):
            out.append(t.upper())
        elif t.isalpha() and t.isupper() and len(t) <= 11:
            out.append(t)
        elif t.isalpha() and len(t) <= 4 and low == t:
            # lower-case IBAN/NINO letter groups ("abna", "qq")
            out.append(t.upper())
        i += 1
    return "".join(out)


_STREAM_TOKEN = re.compile(r"\d+|[A-Za-z]+")
_WEAK = {"for": "4", "to": "2", "too": "2"}


def digit_stream(text: str) -> str:
    """All digits `text` writes or speaks, in order, letters and punctuation skipped.

    "for"/"to"/"too" count as digits only next to another digit token, so ordinary prose does not
    break up a run of leaked digits.
    """
    toks = _STREAM_TOKEN.findall(text)
    vals: list[str | None] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower()
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        if t.isdigit():
            vals.append(t)
        elif low in ("double", "triple") and nxt in _ONES and nxt not in _WEAK:
            vals.append(_ONES[nxt] * (2 if low == "double" else 3))
            i += 1
        elif low in _TENS:
            if nxt in _ONES and nxt not in ("oh", "o", "zero") and nxt not in _WEAK:
                vals.append(_TENS[low] + _ONES[nxt])
                i += 1
            else:
                vals.append(_TENS[low] + "0")
        elif low in _TEENS:
            vals.append(_TEENS[low])
        elif low in _ONES and low not in _WEAK and t != "O":
            vals.append(_ONES[low])
        elif low in _WEAK:
            vals.append("?" + _WEAK[low])
        else:
            vals.append(None)
        i += 1
    out = []
    for k, v in enumerate(vals):
        if v is None:
            continue
        if v.startswith("?"):
            prev_d = k > 0 and vals[k - 1] is not None and not vals[k - 1].startswith("?")
            next_d = k + 1 < len(vals) and vals[k + 1] is not None and not vals[k + 1].startswith("?")
            if prev_d or next_d:
                out.append(v[1:])
            continue
        out.append(v)
    return "".join(out)
