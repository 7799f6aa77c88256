"""Surface forms of secret values inside one turn or field: compact, grouped, spoken, noisy.

`render(secret_type, value, form, rng, sec)` returns segments for a single place in the text. The
family of each form (digits / grouped / spoken) is given by `FAMILY`; split and field families are
assigned by the scene that places the pieces.
"""

from __future__ import annotations

import random

from . import speech
from .doc import Secret, Seg, V

FILLERS = ("uh", "um", "er", "uh,", "um,", "hmm")


def groups_of(type_: str, value: str, rng: random.Random) -> list[str]:
    """How people group this value when they read it out."""
    n = len(value)
    if type_ == "card_number":
        if n == 15:
            return [value[:4], value[4:10], value[10:]]
        if n == 19:
            return [value[i:i + 4] for i in range(0, 16, 4)] + [value[16:]]
        return [value[i:i + 4] for i in range(0, n, 4)]
    if type_ in ("us_ssn", "us_itin"):
        return [value[:3], value[3:5], value[5:]]
    if type_ == "us_ein":
        return [value[:2], value[2:]]
    if type_ == "us_routing_number":
        return rng.choice(([value[:3], value[3:6], value[6:]], [value[:4], value[4:8], value[8:]]))
    if type_ == "uk_sort_code":
        return [value[:2], value[2:4], value[4:]]
    if type_ == "uk_bank_account":
        return [value[:4], value[4:]]
    if type_ == "uk_utr":
        return rng.choice(([value[:5], value[5:]], [value[:3], value[3:6], value[6:]]))
    if type_ == "iban":
        return [value[i:i + 4] for i in range(0, n, 4)]
    if type_ == "uk_nino":
        return [value[:2], value[2:4], value[4:6], value[6:8], value[8]]
    if type_ == "vat_number":
        # Country prefix, then digits in threes (the rest as the tail).
        head = 3 if value.startswith("ATU") else 2
        body = value[head:]
        return [value[:head]] + [body[i:i + 3] for i in range(0, len(body), 3)]
    if type_ == "bic":
        parts = [value[:4], value[4:6], value[6:8]]
        return parts + ([value[8:]] if n > 8 else [])
    if type_ == "us_bank_account":
        if n <= 9:
            return [value[:4], value[4:]]
        return [value[i:i + 4] for i in range(0, n, 4)]
    # cvv, pin: one group
    return [value]


# form -> family, for the single-place forms
FAMILY = {
    "compact": "digits", "upper_compact": "digits", "dashed": "grouped", "spaced": "grouped",
    "spaced_single": "grouped", "lower_spaced": "grouped", "dotted": "grouped",
    "spoken": "spoken", "spoken_pairs": "spoken", "spoken_runs": "spoken", "homophones": "spoken",
    "fillers": "spoken", "mixed_digits_words": "spoken", "spelled": "grouped",
    "mm/yy": "digits", "m/yy": "digits", "mm/yyyy": "digits", "mm-yy": "digits", "mm yy": "grouped",
    "spoken_slash": "spoken", "spoken_pair_year": "spoken", "month_name": "spoken", "spoken_full_year": "spoken",
}

DIGIT_TYPES = {"card_number", "card_cvv", "pin", "us_routing_number", "us_bank_account", "uk_sort_code",
               "uk_bank_account", "us_ssn", "us_itin", "us_ein", "uk_utr"}


def forms_for(type_: str) -> list[str]:
    if type_ == "card_expiry":
        return ["mm/yy", "m/yy", "mm/yyyy", "mm-yy", "mm yy", "spoken_slash", "spoken_pair_year", "month_name",
                "spoken_full_year"]
    if type_ == "secret_api_key":
        return ["compact"]
    if type_ == "bic":
        return ["compact", "spaced", "spelled"]
    if type_ == "iban":
        return ["compact", "spaced", "lower_spaced", "spoken"]
    if type_ == "uk_nino":
        return ["compact", "spaced", "lower_spaced", "spoken"]
    if type_ == "vat_number":
        return ["compact", "spaced", "compact"]
    if type_ in ("card_cvv", "pin"):
        return ["compact", "spaced_single", "spoken", "spoken_pairs", "homophones"]
    return ["compact", "spaced", "dashed", "spoken", "spoken_pairs", "spoken_runs", "homophones", "fillers",
            "mixed_digits_words"]


def _join(pieces: list[str], sec: Secret, seps: list[str] | str, one_span: bool = False) -> list[Seg]:
    """Pieces separated by separators; each piece is its own span unless `one_span`."""
    if isinstance(seps, str):
        seps = [seps] * (len(pieces) - 1)
    if one_span:
        text = pieces[0] + "".join(s + p for s, p in zip(seps, pieces[1:], strict=True))
        return [V(text, sec)]
    out: list[Seg] = [V(pieces[0], sec)]
    for sep, p in zip(seps, pieces[1:], strict=True):
        out.append(sep)
        out.append(V(p, sec))
    return out


def expiry_text(month: int, year: int, form: str, rng: random.Random) -> str:
    yy = f"{year % 100:02d}"
    if form == "mm/yy":
        return f"{month:02d}/{yy}"
    if form == "m/yy":
        return f"{month}/{yy}"
    if form == "mm/yyyy":
        return f"{month:02d}/{year}"
    if form == "mm-yy":
        return f"{month:02d}-{yy}"
    if form == "mm yy":
        return f"{month:02d} {yy}"
    mm = f"{month:02d}"
    if form == "spoken_slash":
        return f"{speech.single(mm, rng, zero_style='oh')} slash {speech.single(yy, rng)}"
    if form == "spoken_pair_year":
        m = speech.single(mm, rng, zero_style="oh") if month < 10 and rng.random() < 0.7 else speech.pairs(
            str(month), rng) if month >= 10 else speech.ONES[month]
        return f"{m} {speech.pair_words(yy, rng)}"
    if form == "month_name":
        name = speech.MONTHS[month - 1]
        name = name.capitalize() if rng.random() < 0.6 else name
        return f"{name} {rng.choice(('', 'of '))}{speech.pair_words(yy, rng)}".replace("  ", " ")
    if form == "spoken_full_year":
        m = speech.single(mm, rng, zero_style="oh") if month < 10 else speech.pair_words(mm, rng)
        return f"{m} {rng.choice(('', 'slash '))}twenty {speech.pair_words(yy, rng)}".replace("  ", " ")
    raise ValueError(form)


def render(type_: str, value: str, form: str, rng: random.Random, sec: Secret) -> list[Seg]:
    """Segments for `value` written in `form` at one place (one turn, one field)."""
    if type_ == "card_expiry":
        month, year = (int(x) for x in value.split("/"))
        return [V(expiry_text(month, year, form, rng), sec)]
    if type_ == "secret_api_key" or form in ("compact", "upper_compact"):
        return [V(value, sec)]
    groups = groups_of(type_, value, rng)
    if form == "spaced":
        return _join(groups, sec, " ", one_span=True)
    if form == "dashed":
        return _join(groups, sec, "-", one_span=True)
    if form == "dotted":
        return _join(groups, sec, ".", one_span=True)
    if form == "spaced_single":
        return _join(list(value), sec, " ", one_span=True)
    if form == "lower_spaced":
        return _join([g.lower() for g in groups], sec, " ", one_span=True)
    if form == "spelled":
        return _join(list(value), sec, "-", one_span=True)
    alnum = type_ in ("iban", "uk_nino", "vat_number", "bic")
    if form == "spoken":
        speak = speech.letters if alnum else speech.single
        words = [speak(g, rng) for g in groups]
        return _join(words, sec, rng.choice((", ", " ", "... ", " - ")))
    if form == "spoken_pairs":
        return _join([speech.pairs(g, rng) for g in groups], sec, rng.choice((", ", " ", "... ")))
    if form == "spoken_runs":
        return _join([speech.single(g, rng, runs=True) for g in groups], sec, ", ")
    if form == "homophones":
        return _join([speech.single(g, rng, homophones=True) for g in groups], sec, rng.choice((" ", ", ")))
    if form == "fillers":
        words = [rng.choice((speech.single, speech.pairs))(g, rng) for g in groups]
        seps = [rng.choice((", uh, ", " um ", ", er, ", "... uh ", " ")) for _ in words[1:]]
        return _join(words, sec, seps)
    if form == "mixed_digits_words":
        half = max(1, len(groups) // 2)
        pieces = groups[:half] + [speech.single(g, rng) for g in groups[half:]]
        return _join(pieces, sec, rng.choice((" ", ", ")))
    raise ValueError(f"{type_}/{form}")
