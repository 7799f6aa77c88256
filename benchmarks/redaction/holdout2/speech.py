"""How a value is said or typed: groups, digit words, ASR noise, expiry renderings.

Each function returns plain text; the generator decides what part of it is a span. Spoken renderings
keep fillers and stutters inside the returned string, so the span covers them (scoring rule).
"""

from __future__ import annotations

import random

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ES_DIGITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
FR_DIGITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
# Sounds-alike words an ASR engine writes instead of the digit.
HOMOPHONES = {"1": ["won"], "2": ["to", "too"], "4": ["for"], "8": ["ate"]}
FILLERS = ["um", "uh", "erm", "er", "like", "uhh", "hmm"]


def two_digit_words(n: int) -> str:
    if n < 10:
        return ONES[n]
    if n < 20:
        return TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return TENS[tens] + ("" if ones == 0 else "-" + ONES[ones])


def group(value: str, sizes: list[int], sep: str = " ") -> str:
    parts, pos = [], 0
    for size in sizes:
        if pos >= len(value):
            break
        parts.append(value[pos : pos + size])
        pos += size
    if pos < len(value):
        parts.append(value[pos:])
    return sep.join(parts)


def chunks(value: str, sizes: list[int]) -> list[str]:
    return group(value, sizes, "\x00").split("\x00")


def card_groups(length: int) -> list[int]:
    return {15: [4, 6, 5], 14: [4, 6, 4], 13: [4, 4, 5], 19: [4, 4, 4, 4, 3]}.get(length, [4, 4, 4, 4])


def digit_word(d: str, rng: random.Random, zero: str = "oh", homophone: float = 0.0, lang: str = "en") -> str:
    if not d.isdigit():
        return d.upper()  # letters of an IBAN, NINO or VAT number are read one by one
    if lang == "es":
        return ES_DIGITS[int(d)]
    if lang == "fr":
        return FR_DIGITS[int(d)]
    if d == "0":
        return zero if zero != "mix" else rng.choice(["oh", "zero", "oh", "o"])
    if homophone and d in HOMOPHONES and rng.random() < homophone:
        return rng.choice(HOMOPHONES[d])
    return ONES[int(d)]


def words(
    value: str,
    rng: random.Random,
    *,
    zero: str = "oh",
    homophone: float = 0.0,
    doubles: bool = False,
    lang: str = "en",
    sep: str = " ",
) -> str:
    """One word per digit; `doubles` says "double four"/"triple seven" for runs (English only)."""
    out: list[str] = []
    i = 0
    while i < len(value):
        d = value[i]
        run = 1
        while i + run < len(value) and value[i + run] == d and run < 3:
            run += 1
        if doubles and lang == "en" and run >= 2 and d.isdigit():
            out.append(("double " if run == 2 else "triple ") + digit_word(d, rng, zero))
            i += run
            continue
        out.append(digit_word(d, rng, zero, homophone, lang) if d.isdigit() else d.upper())
        i += 1
    return sep.join(out)


def grouped_words(
    value: str,
    sizes: list[int],
    rng: random.Random,
    *,
    zero: str = "oh",
    homophone: float = 0.0,
    doubles: bool = False,
    lang: str = "en",
    group_sep: str = ", ",
) -> str:
    return group_sep.join(
        words(c, rng, zero=zero, homophone=homophone, doubles=doubles, lang=lang) for c in chunks(value, sizes)
    )


def pairs(value: str, rng: random.Random) -> str:
    """ "forty-one eleven" style: two-digit pairs, single digits where a pair starts with 0."""
    out = []
    for i in range(0, len(value) - 1, 2):
        a, b = value[i], value[i + 1]
        out.append(f"{digit_word(a, rng)} {digit_word(b, rng)}" if a == "0" else two_digit_words(int(a + b)))
    if len(value) % 2:
        out.append(digit_word(value[-1], rng))
    return " ".join(out)


def noisy(value: str, sizes: list[int], rng: random.Random, kind: str) -> str:
    """ASR noise inside one reading; kind in homophone, filler, stutter, double."""
    groups = chunks(value, sizes)
    said = []
    for n, g in enumerate(groups):
        if kind == "homophone":
            text = words(g, rng, zero="oh", homophone=0.9)
        elif kind == "double":
            text = words(g, rng, zero=rng.choice(["oh", "zero"]), doubles=True)
        elif kind == "stutter" and n in (0, len(groups) // 2):
            first = digit_word(g[0], rng)
            text = f"{first}- {first} " + words(g[1:], rng) if len(g) > 1 else f"{first}- {first}"
        elif kind == "digits_mixed":
            text = g if n % 2 == 0 else words(g, rng, zero="oh")
        else:
            text = words(g, rng, zero=rng.choice(["oh", "zero"]))
        said.append(text)
    if kind == "filler":
        out = said[0]
        for text in said[1:]:
            out += rng.choice([", ", " ", "... "]) + rng.choice(FILLERS) + rng.choice([", ", " ", "... "]) + text
        return out
    return rng.choice([", ", " ", "... "]).join(said)


def wrong_group(group_text: str, rng: random.Random) -> str:
    """A digit group with two neighbours swapped (what a caller says before correcting themselves)."""
    digits = list(group_text)
    if len(digits) < 2:
        d = digits[0]
        return str((int(d) + 1) % 10) if d.isdigit() else ("B" if d.upper() != "B" else "C")
    for _ in range(5):
        i = rng.randrange(len(digits) - 1)
        if digits[i] != digits[i + 1]:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            return "".join(digits)
    digits[-1] = str((int(digits[-1]) + 1) % 10) if digits[-1].isdigit() else "X"
    return "".join(digits)


def year_words(year: int, rng: random.Random) -> str:
    yy = year % 100
    return rng.choice(
        [f"twenty {two_digit_words(yy)}", f"twenty {two_digit_words(yy)}", f"two thousand and {two_digit_words(yy)}"]
    )


EXPIRY_DIGIT_FORMS = ["mm/yy", "m/yy", "mm/yyyy", "mm-yy", "mm.yy", "yyyy-mm", "mm / yy", "mmyy", "m/yyyy"]
EXPIRY_WORD_FORMS = ["Month yyyy", "Mon yy", "Mon 'yy", "month of yy", "es", "fr"]
EXPIRY_SPOKEN_FORMS = [
    "oh m slash y y",
    "oh m yy-words",
    "m yy-words",
    "zero m, y y",
    "Month year-words",
    "mm-words yy-words",
    "end of Month year-words",
]


def expiry(month: int, year: int, form: str, rng: random.Random) -> str:
    yy, mm = year % 100, f"{month:02d}"
    if form == "mm/yy":
        return f"{mm}/{yy:02d}"
    if form == "m/yy":
        return f"{month}/{yy:02d}"
    if form == "mm/yyyy":
        return f"{mm}/{year}"
    if form == "m/yyyy":
        return f"{month}/{year}"
    if form == "mm-yy":
        return f"{mm}-{yy:02d}"
    if form == "mm.yy":
        return f"{mm}.{yy:02d}"
    if form == "yyyy-mm":
        return f"{year}-{mm}"
    if form == "mm / yy":
        return f"{mm} / {yy:02d}"
    if form == "mmyy":
        return f"{mm}{yy:02d}"
    if form == "Month yyyy":
        return f"{MONTHS[month - 1]} {year}"
    if form == "Mon yy":
        return f"{MONTHS[month - 1][:3]} {yy:02d}"
    if form == "Mon 'yy":
        return f"{MONTHS[month - 1][:3]} '{yy:02d}"
    if form == "month of yy":
        return f"{MONTHS[month - 1].lower()} of {two_digit_words(yy)}"
    if form == "es":
        return f"{MONTHS_ES[month - 1]} de {year}"
    if form == "fr":
        return f"{MONTHS_FR[month - 1]} {year}"
    if form == "oh m slash y y":
        return f"{words(mm, rng, zero='oh')} slash {words(f'{yy:02d}', rng)}"
    if form == "oh m yy-words":
        return f"{words(mm, rng, zero='oh')} {two_digit_words(yy)}"
    if form == "m yy-words":
        return f"{two_digit_words(month)} {two_digit_words(yy)}"
    if form == "zero m, y y":
        return f"{words(mm, rng, zero='zero')}, {words(f'{yy:02d}', rng)}"
    if form == "Month year-words":
        return f"{MONTHS[month - 1]} {year_words(year, rng)}"
    if form == "mm-words yy-words":
        return f"{two_digit_words(month)}, {two_digit_words(yy)}"
    if form == "end of Month year-words":
        return f"{MONTHS[month - 1]} {two_digit_words(yy)}"
    raise ValueError(form)
