"""The second hold-out corpus generator (benchmarks/redaction/holdout2): not the redactor.

Checks what the scores rest on: the same seed gives the same records (and record i does not depend
on the count), every planted value passes its checksum, every span reads back to the value it
labels, and no hard negative overlaps a secret.
"""

from __future__ import annotations

import json
import re

import pytest

from benchmarks.redaction.holdout2 import values
from benchmarks.redaction.holdout2.generate import generate, make_record

COUNT = 300
SEED = 90210

SPOKEN = {
    "cero": "0",
    "uno": "1",
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
    "zéro": "0",
    "un": "1",
    "deux": "2",
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "sept": "7",
    "huit": "8",
    "neuf": "9",
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "one": "1",
    "won": "1",
    "two": "2",
    "to": "2",
    "too": "2",
    "three": "3",
    "four": "4",
    "for": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "ate": "8",
    "nine": "9",
}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return generate(COUNT, SEED)


def test_deterministic_and_prefix_stable(records: list[dict]) -> None:
    again = generate(COUNT, SEED)
    assert json.dumps(records) == json.dumps(again)
    assert json.dumps(make_record(SEED, 123)) == json.dumps(records[123])
    assert json.dumps(generate(5, SEED + 1)) != json.dumps(records[:5])


def test_mix_has_every_type_class_and_secret_free_records(records: list[dict]) -> None:
    types = {s["type"] for r in records for s in r["secrets"]}
    classes = {s["cls"] for r in records for s in r["secrets"]}
    assert len(types) == 17
    assert classes == {"field", "inline", "question", "asr", "split", "small"}
    free = sum(1 for r in records if not r["secrets"])
    assert 0.25 * COUNT < free < 0.45 * COUNT
    assert all(r["negatives"] for r in records)


def test_every_planted_value_passes_its_checksum(records: list[dict]) -> None:
    for r in records:
        for s in r["secrets"]:
            assert values.is_valid(s["type"], s["value"]), (r["id"], s["type"], s["value"])


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _digits_of_words(text: str) -> str:
    out = []
    text = re.sub(r"\w+- ", " ", text)  # a stutter fragment ("five- five") is said again right after
    tokens = re.findall(r"[a-záéèíóúç]+|\d", text.lower())
    for n, token in enumerate(tokens):
        if token in ("double", "triple"):
            continue
        digit = SPOKEN.get(token, token if token.isdigit() else None)
        if digit is None:
            continue
        repeat = {"double": 2, "triple": 3}.get(tokens[n - 1], 1) if n else 1
        out.append(digit * repeat)
    return "".join(out)


def test_spans_read_back_to_the_value(records: list[dict]) -> None:
    checked = 0
    for r in records:
        text = r["text"]
        if r["shape"] != "summary" and r["shape"] != "transcript" and r["shape"] != "kv_lines":
            json.loads(text)  # JSON shapes stay valid JSON with the planted values in them
        for s in r["secrets"]:
            assert s["spans"], (r["id"], s)
            pieces = [text[a:b] for a, b in s["spans"]]
            assert all(p.strip() for p in pieces)
            joined = " ".join(pieces)
            value = _compact(s["value"].replace("/", ""))
            form = s["form"]
            base = form.split(":")[0].removeprefix("readback-")
            exact = s["cls"] == "field" or base in ("digits", "grouped") or (base == "split" and ":digits:" in form)
            noisy = any(word in form for word in ("selfcorrect", "restart", "echo", "pairs"))
            if s["type"] == "card_expiry":
                year = s["value"].split("/")[1]
                said = _compact(joined) + " " + _digits_of_words(joined)
                assert year[2:] in said or "twenty" in joined or "thirty" in joined, (r["id"], pieces)
            elif exact and not noisy:
                # Written readings hold the value exactly, case and separators aside.
                assert _compact(joined) == value, (r["id"], pieces, s["value"])
                checked += 1
            elif not noisy and s["type"] not in ("bic", "iban", "uk_nino", "vat_number", "secret_api_key"):
                # Spoken digits: the digit words spell the value.
                assert _digits_of_words(joined) == value, (r["id"], pieces, s["value"])
                checked += 1
    assert checked > 300


def test_no_negative_overlaps_a_secret(records: list[dict]) -> None:
    for r in records:
        secret_spans = [span for s in r["secrets"] for span in s["spans"]]
        for n in r["negatives"]:
            start, end = n["span"]
            assert end > start, (r["id"], n)
            assert all(end <= a or start >= b for a, b in secret_spans), (r["id"], n)
