"""Surface forms of one secret value: (family, form, pieces). A split form has several pieces."""

from __future__ import annotations

import random

from benchmarks.redaction.holdout import speech

DIGIT_TYPES = ("card_number", "card_cvv", "pin", "uk_sort_code", "uk_bank_account", "us_routing_number",
               "us_bank_account", "us_ssn", "us_itin", "us_ein", "uk_utr")
ALNUM_TYPES = ("iban", "bic", "uk_nino", "vat_number", "secret_api_key")


def grouped(stype: str, value: str, rng: random.Random) -> tuple[str, str]:
    """(form, text) for the printed grouping of a value."""
    sep = rng.choice((" ", "-")) if stype not in ("iban", "uk_nino") else " "
    if stype == "card_number":
        sizes = (4, 6, 5) if len(value) == 15 else (4, 4, 4, 4)
    elif stype in ("us_ssn", "us_itin"):
        sizes = (3, 2, 4)
    elif stype == "us_ein":
        sizes, sep = (2, 7), "-"
    elif stype == "uk_sort_code":
        sizes = (2, 2, 2)
    elif stype == "us_routing_number":
        sizes = (3, 3, 3) if rng.random() < 0.5 else (4, 4, 1)
    elif stype == "uk_utr":
        sizes = (5, 5)
    elif stype == "iban":
        sizes = tuple([4] * (len(value) // 4) + ([len(value) % 4] if len(value) % 4 else []))
    elif stype == "uk_nino":
        sizes = (2, 2, 2, 2, 1)
    elif stype in ("card_cvv", "pin"):
        return "spaced", " ".join(value)
    elif stype == "bic":
        return "compact", value
    elif stype == "vat_number":
        return "grouped", value[:2] + " " + " ".join(value[i:i + 3] for i in range(2, len(value), 3))
    else:  # accounts
        half = len(value) // 2
        return f"grouped{sep.strip() or '_'}", value[:half] + sep + value[half:]
    out, i = [], 0
    for n in sizes:
        out.append(value[i:i + n])
        i += n
    if i < len(value):
        out.append(value[i:])
    return f"grouped{'-' if sep == '-' else '_'}{'-'.join(map(str, sizes))}", sep.join(out)


def spell_alnum(value: str, rng: random.Random) -> str:
    """IBAN/NINO/VAT read aloud: letters one by one, digits in words or numerals."""
    digits_as_words = rng.random() < 0.6
    out = []
    for ch in value:
        if ch.isdigit():
            out.append(speech.word(ch, rng) if digits_as_words else ch)
        else:
            out.append(ch.upper())
    return " ".join(out)


def expiry_form(month: int, year: int, rng: random.Random, spoken: bool) -> tuple[str, str]:
    yy = year % 100
    if not spoken:
        return rng.choice((
            ("mm/yy", f"{month:02d}/{yy:02d}"), ("m/yy", f"{month}/{yy:02d}"),
            ("mm/yyyy", f"{month:02d}/{year}"), ("mm-yy", f"{month:02d}-{yy:02d}"),
            ("mm yy", f"{month:02d} {yy:02d}"), ("mm.yy", f"{month:02d}.{yy:02d}"),
        ))
    mm = f"{month:02d}"
    return rng.choice((
        ("spoken_pairs", f"{speech.pair(mm, rng)} {speech.pair(f'{yy:02d}', rng)}"),
        ("spoken_slash", f"{speech.words(mm, rng)} slash {speech.words(f'{yy:02d}', rng)}"),
        ("spoken_month", f"{speech.MONTHS[month - 1]} {speech.year_words(year, rng)}"),
        ("spoken_month_yyyy", f"{speech.MONTHS[month - 1]} {year}"),
        ("spoken_digits", f"{speech.words(mm, rng)} {speech.words(f'{yy:02d}', rng)}"),
    ))


def single(stype: str, value: str, rng: random.Random, family: str) -> tuple[str, str]:
    """(form, text) for a one-piece form of the family digits/grouped/spoken/asr/small."""
    if stype == "secret_api_key":
        return "key", value
    if family == "digits":
        return "compact", value
    if family == "grouped":
        return grouped(stype, value, rng)
    if family == "spoken":
        if stype in ALNUM_TYPES:
            return "spelled", spell_alnum(value, rng)
        style = rng.choice(speech.SPOKEN_STYLES)
        if stype in ("card_cvv", "pin") and style in ("mixed", "grouped_words"):
            style = "words"
        return f"spoken_{style}", speech.spoken(value, rng, style)
    if family == "asr":
        if stype in ALNUM_TYPES:
            return "spelled", spell_alnum(value, rng)
        style = rng.choice(speech.ASR_STYLES)
        return f"asr_{style}", speech.spoken(value, rng, style)
    if family == "small":
        if stype == "iban":
            return "lower_spaced", " ".join(value[i:i + 4] for i in range(0, len(value), 4)).lower()
        if stype == "uk_nino":
            return "lower_spaced", " ".join((value[:2], value[2:4], value[4:6], value[6:8], value[8])).lower()
        if stype in ("card_cvv", "pin"):
            return "spaced_digits", rng.choice((" ", ", ", "-")).join(value)
        if stype == "bic":
            return "lower", value.lower()
        if stype == "vat_number":
            return "lower_compact", value.lower()
        return "compact", value
    raise ValueError(family)


def split_sizes(stype: str, value: str, rng: random.Random) -> tuple[int, ...]:
    n = len(value)
    if stype == "card_number":
        if n == 15:
            return rng.choice(((4, 6, 5), (6, 4, 5), (10, 5), (4, 2, 4, 5)))
        return rng.choice(((4, 4, 4, 4), (8, 8), (4, 4, 8), (6, 10), (4, 12), (10, 6)))
    if stype == "iban":  # people pause at the printed groups of four
        cut = 4 * rng.randint(1, (n - 1) // 4)
        if rng.random() < 0.6 or cut < 8:
            return (cut, n - cut)
        return (4, cut - 4, n - cut)
    natural = {
        "uk_sort_code": ((2, 2, 2), (2, 4), (4, 2)),
        "uk_nino": ((2, 6, 1), (2, 2, 2, 2, 1), (4, 5), (2, 7)),
        "us_routing_number": ((3, 3, 3), (4, 5), (5, 4)),
        "us_ssn": ((3, 2, 4), (3, 6), (5, 4)), "us_itin": ((3, 2, 4), (3, 6)),
        "us_ein": ((2, 7), (2, 3, 4)), "uk_utr": ((5, 5), (3, 3, 4)),
        "vat_number": ((2, n - 2), (5, n - 5)),
    }
    if stype in natural:
        return rng.choice(natural[stype])
    # account numbers: chunks of three or four, as read off a statement
    sizes, left = [], n
    while left > 5:
        k = rng.choice((3, 4))
        sizes.append(k)
        left -= k
    if left:
        sizes.append(left)
    return tuple(sizes)


def split_pieces(stype: str, value: str, rng: random.Random) -> tuple[str, list[str]]:
    """(form, pieces) for a value read in chunks across turns."""
    sizes = split_sizes(stype, value, rng)
    chunks, i = [], 0
    for n in sizes:
        chunks.append(value[i:i + n])
        i += n
    style = rng.choice(("digits", "words", "half", "grouped"))
    pieces = []
    for k, chunk in enumerate(chunks):
        if stype in ALNUM_TYPES and style in ("words", "half"):
            pieces.append(spell_alnum(chunk, rng) if (style == "words" or k % 2) else chunk)
        elif style == "digits":
            pieces.append(chunk)
        elif style == "words" or (style == "half" and k % 2):
            pieces.append(speech.words(chunk, rng, runs=rng.random() < 0.3))
        elif style == "grouped" and len(chunk) > 4:
            pieces.append(" ".join(chunk[j:j + 4] for j in range(0, len(chunk), 4)))
        else:
            pieces.append(chunk if stype not in ALNUM_TYPES else chunk.lower() if rng.random() < 0.3 else chunk)
    return f"split_{style}_{'-'.join(map(str, sizes))}", pieces


def wrong_attempt(value: str, rng: random.Random) -> str:
    """The abandoned start of a self-correction: the first few digits with one of them wrong."""
    k = min(len(value), rng.choice((3, 4, 5, 6)))
    head = list(value[:k])
    j = rng.randrange(k)
    head[j] = str((int(head[j]) + rng.randint(1, 8)) % 10) if head[j].isdigit() else head[j]
    return "".join(head)
