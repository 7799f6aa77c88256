"""Values into text (one reading per mode) and documents into text with exact spans.

A document is a list of segments `(text, tag)`; `tag` is None, ("s", i) for a piece of secret i or
("n", j) for negative j. `Segs` embeds segments as a JSON string, `Raw` as a bare JSON number, so
records can be serialised (even JSON inside a JSON string) while every span stays exact: JSON
escaping works character by character, so escaping each segment alone gives the same text.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from benchmarks.redaction.holdout2 import speech

Tag = tuple[str, int] | None
Seg = tuple[str, Tag]


@dataclass
class Segs:
    """A JSON string value made of segments."""

    segs: list[Seg]


@dataclass
class Raw:
    """A bare JSON literal (a number) that is itself a tagged segment."""

    text: str
    tag: Tag


def groups_for(kind: str, value: str) -> list[int]:
    if kind == "card_number":
        return speech.card_groups(len(value))
    if kind in ("iban",):
        return [4] * 9
    if kind == "bic":
        return [4, 2, 2, 3]
    if kind == "uk_sort_code":
        return [2, 2, 2]
    if kind == "uk_bank_account":
        return [4, 4]
    if kind == "us_routing_number":
        return [3, 3, 3]
    if kind == "us_bank_account":
        return [4] * 5 if len(value) % 4 == 0 else [3, 3, 4, 4]
    if kind in ("us_ssn", "us_itin"):
        return [3, 2, 4]
    if kind == "us_ein":
        return [2, 7]
    if kind == "uk_nino":
        return [2, 2, 2, 2, 1]
    if kind == "uk_utr":
        return [5, 5]
    if kind == "vat_number":
        return [2, 3, 4, 2] if value.startswith("GB") else [2, 4, 4, 4]
    return [len(value)]


GROUP_SEPS = {
    "uk_sort_code": ["-", "-", " ", "."],
    "us_ssn": ["-", "-", " "],
    "us_itin": ["-", " "],
    "us_ein": ["-"],
    "us_routing_number": [" ", "-"],
    "card_number": [" ", " ", "-", "."],
    "iban": [" ", " ", "-"],
}


def render(kind: str, value: str, mode: str, rng: random.Random) -> tuple[str, str]:
    """(text, form) for one reading of a value; mode in digits, grouped, spoken, mixed."""
    sizes = groups_for(kind, value)
    if kind == "secret_api_key" or (mode in ("spoken", "mixed") and kind == "bic" and rng.random() < 0.5):
        mode = "digits"
    if mode == "digits":
        if kind == "us_ein" and rng.random() < 0.5:
            return speech.group(value, [2, 7], "-"), "grouped:dash"
        return value, "digits:compact"
    if mode == "grouped":
        sep = rng.choice(GROUP_SEPS.get(kind, [" ", "-"]))
        name = {" ": "space", "-": "dash", ".": "dot"}[sep]
        text = speech.group(value, [2, 7] if kind == "us_ein" else sizes, sep)
        return text, (f"grouped:{name}" if text != value else "digits:compact")
    if mode == "mixed":
        return speech.noisy(value, sizes, rng, "digits_mixed"), "spoken:mixed"
    style = rng.choice(["plain", "plain", "double", "pairs", "nought", "zero"])
    if style == "pairs" and value.isdigit() and len(value) >= 6:
        return ", ".join(speech.pairs(c, rng) for c in speech.chunks(value, sizes)), "spoken:pairs"
    if style == "double":
        return speech.grouped_words(
            value, sizes, rng, zero="oh", doubles=True, group_sep=rng.choice([", ", " "])
        ), "spoken:double"
    zero = {"nought": "nought", "zero": "zero"}.get(style, "oh")
    return speech.grouped_words(
        value, sizes, rng, zero=zero, group_sep=rng.choice([", ", " ", ", "])
    ), f"spoken:{style if style != 'pairs' else 'plain'}"


def render_pieces(pieces: list[str], mode: str, rng: random.Random) -> list[str]:
    """Split pieces, each said in digits, words, or alternately (half and half)."""
    out = []
    for n, p in enumerate(pieces):
        if mode == "digits":
            out.append(p)
        elif mode == "words":
            out.append(speech.words(p, rng, zero=rng.choice(["oh", "zero"])))
        else:
            out.append(p if n % 2 == 0 else speech.words(p, rng, zero="oh"))
    return out


def fill(frame: str, value: list[Seg], cue: str = "") -> list[Seg]:
    """Frame text with `{c}`/`{C}` replaced by the cue and `{v}` by the value segments."""
    frame = frame.replace("{C}", cue[:1].upper() + cue[1:]).replace("{c}", cue)
    if "{v}" not in frame:
        return [(frame, None)]
    before, after = frame.split("{v}", 1)
    out: list[Seg] = []
    if before:
        out.append((before, None))
    out.extend(value)
    if after:
        out.append((after, None))
    return out


def _escape(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def to_json(obj: Any, indent: int | None, level: int = 0) -> list[Seg]:
    """Serialise like json.dumps (indent or compact), keeping segment tags."""
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    comma = "," if indent is not None else ", "
    if isinstance(obj, Segs):
        return [('"', None), *[(_escape(t), tag) for t, tag in obj.segs], ('"', None)]
    if isinstance(obj, Raw):
        return [(obj.text, obj.tag)]
    if isinstance(obj, dict):
        if not obj:
            return [("{}", None)]
        out: list[Seg] = [("{", None)]
        for n, (key, val) in enumerate(obj.items()):
            out.append(((comma if n else "") + pad + json.dumps(key, ensure_ascii=False) + ": ", None))
            out.extend(to_json(val, indent, level + 1))
        out.append((end + "}", None))
        return out
    if isinstance(obj, list):
        if not obj:
            return [("[]", None)]
        out = [("[", None)]
        for n, val in enumerate(obj):
            out.append(((comma if n else "") + pad, None))
            out.extend(to_json(val, indent, level + 1))
        out.append((end + "]", None))
        return out
    return [(json.dumps(obj, ensure_ascii=False), None)]


def flatten(segs: list[Seg]) -> tuple[str, list[tuple[Tag, int, int]]]:
    parts, spans, pos = [], [], 0
    for text, tag in segs:
        if tag is not None:
            spans.append((tag, pos, pos + len(text)))
        parts.append(text)
        pos += len(text)
    return "".join(parts), spans
