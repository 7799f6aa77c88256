"""How digits come out of a speech-to-text engine: words, "oh", double/triple, pairs, homophones,
fillers, stutters. Every function returns the surface text only; labelling is the caller's job."""

from __future__ import annotations

import random

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# What an ASR engine writes for a digit when the acoustic model hears a common word instead.
HOMOPHONES = {"4": ("for",), "2": ("to", "too"), "8": ("ate",), "1": ("won",)}
FILLERS = ("um", "uh", "erm")


def word(d: str, rng: random.Random, zero_as_oh: float = 0.6) -> str:
    if d == "0":  # "nought" is how many British callers say it
        return rng.choices(("oh", "zero", "o", "nought"), (zero_as_oh, 1 - zero_as_oh, 0.1, 0.08))[0]
    return WORDS[int(d)]


def pair(two: str, rng: random.Random) -> str:
    """Two digits read as one number: 41 -> forty-one, 05 -> oh five, 10 -> ten, 00 -> double oh."""
    a, b = two
    if a == "0":
        return ("double oh" if b == "0" else f"oh {WORDS[int(b)]}")
    if a == "1":
        return TEENS[int(b)]
    if b == "0":
        return TENS[int(a)]
    return f"{TENS[int(a)]}{rng.choice(('-', ' '))}{WORDS[int(b)]}"


def words(digits: str, rng: random.Random, *, runs: bool = False, homophones: float = 0.0,
          fillers: float = 0.0, stutter: float = 0.0, sep: str = " ") -> str:
    """Digit by digit in words; optionally "double four", homophones, fillers and stutters."""
    out: list[str] = []
    i = 0
    while i < len(digits):
        d = digits[i]
        n = 1
        while runs and i + n < len(digits) and digits[i + n] == d and n < 3:
            n += 1
        if n >= 2:
            out.append(("double " if n == 2 else "triple ") + word(d, rng))
        else:
            w = word(d, rng)
            if d in HOMOPHONES and rng.random() < homophones:
                w = rng.choice(HOMOPHONES[d])
            if rng.random() < stutter:
                w = f"{w[0]}- {w}"  # a cut-off start, as ASR writes a stutter
            out.append(w)
        i += n
        if i < len(digits) and rng.random() < fillers:
            out.append(rng.choice(FILLERS))
    return sep.join(out)


def pairs(digits: str, rng: random.Random) -> str:
    """4111 -> "forty-one eleven"; an odd digit out is read alone."""
    chunks = []
    i = 0
    if len(digits) % 2:
        chunks.append(word(digits[0], rng))
        i = 1
    while i < len(digits):
        chunks.append(pair(digits[i:i + 2], rng))
        i += 2
    return " ".join(chunks)


def mixed(digits: str, rng: random.Random) -> str:
    """Some groups as numerals, some as words, as ASR outputs on a noisy line."""
    groups = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    return " ".join(g if rng.random() < 0.5 else words(g, rng) for g in groups)


def spoken(digits: str, rng: random.Random, style: str) -> str:
    if style == "words":
        return words(digits, rng)
    if style == "runs":
        return words(digits, rng, runs=True)
    if style == "pairs":
        return pairs(digits, rng)
    if style == "homophones":
        return words(digits, rng, homophones=0.8)
    if style == "fillers":
        return words(digits, rng, fillers=0.25)
    if style == "stutter":
        return words(digits, rng, stutter=0.2)
    if style == "mixed":
        return mixed(digits, rng)
    if style == "grouped_words":
        size = 3 if len(digits) == 9 else 4
        return ", ".join(words(digits[i:i + size], rng) for i in range(0, len(digits), size))
    raise ValueError(style)


SPOKEN_STYLES = ("words", "runs", "pairs", "grouped_words", "mixed")
ASR_STYLES = ("homophones", "fillers", "stutter", "runs")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def year_words(year: int, rng: random.Random) -> str:
    yy = f"{year % 100:02d}"
    return rng.choice((pair(yy, rng), f"twenty {pair(yy, rng)}"))


def number_words(n: int) -> str:
    """Cardinal words for 0..999,999 (amounts and counts, never secrets)."""
    if n < 10:
        return WORDS[n]
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + WORDS[n % 10])
    if n < 1000:
        rest = n % 100
        return WORDS[n // 100] + " hundred" + ("" if not rest else " and " + number_words(rest))
    rest = n % 1000
    return number_words(n // 1000) + " thousand" + ("" if not rest else " " + number_words(rest))


_UNITS = {w: str(i) for i, w in enumerate(WORDS)} | {"oh": "0", "o": "0", "nought": "0", "for": "4", "to": "2",
                                                    "too": "2", "ate": "8", "won": "1"}
_TEEN = {w: str(10 + i) for i, w in enumerate(TEENS)}
_TEN = {w: str(i) for i, w in enumerate(TENS) if w}


def to_digits(text: str) -> str:
    """Digits a listener hears in `text` (numerals and digit words); fillers, stutters and other
    words are skipped. Used by the integrity test, not by the scorer."""
    tokens = text.lower().replace(",", " ").replace(".", " ").replace("/", " ").replace("-", "- ").split()
    out: list[str] = []
    repeat = 1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.endswith("-") and tok[:-1] not in _TEN and not tok[:-1].isdigit():
            continue  # a stutter fragment or a hyphen separator
        tok = tok.rstrip("-")
        if tok in ("double", "triple"):
            repeat = 2 if tok == "double" else 3
            continue
        if tok in _TEN:
            nxt = tokens[i].rstrip("-") if i < len(tokens) else ""
            if nxt in WORDS[1:]:
                out.append(_TEN[tok] + _UNITS[nxt])
                i += 1
            else:
                out.append(_TEN[tok] + "0")
        elif tok in _TEEN:
            out.append(_TEEN[tok])
        elif tok in _UNITS:
            out.append(_UNITS[tok] * repeat)
        elif tok.isdigit():
            out.append(tok)
        repeat = 1
    return "".join(out)
