"""Integrity of the independent redaction corpus generator (benchmarks/redaction/independent).

These tests check the *generator* only: planted values are valid (python-stdnum / schwifty checks),
spans point at exactly the planted value, negatives never overlap secrets, and a seed fixes the
corpus. The redactor's score on this corpus is a benchmark, not a test.
"""

from __future__ import annotations

from collections import Counter

import pytest
from stdnum import luhn

from benchmarks.redaction.independent import speech, values
from benchmarks.redaction.independent.generate import generate

N = 400


@pytest.fixture(scope="module")
def corpus():
    return generate(N, 4242)


def _expected_chars(secret: dict) -> set[str]:
    t, v = secret["type"], secret["value"]
    if t == "card_expiry":
        m, y = v.split("/")
        months = {m, str(int(m))}
        years = {y, y[2:]}
        out = {mm + yy for mm in months for yy in years} | {mm + "20" + y[2:] for mm in months}
        if secret["form"] == "field_month_year":  # two fields, in either order
            out |= {yy + mm for mm in months for yy in years}
        return out
    return {v.upper()}


def test_same_seed_same_corpus_and_other_seed_differs():
    a = [r.to_dict() for r in generate(80, 11)]
    b = [r.to_dict() for r in generate(80, 11)]
    c = [r.to_dict() for r in generate(80, 12)]
    assert a == b
    assert a != c
    # A record does not depend on how many records come after it.
    assert [r.to_dict() for r in generate(30, 11)] == a[:30]


def test_every_planted_value_is_valid(corpus):
    seen = Counter()
    for r in corpus:
        for s in r.secrets:
            assert values.validate(s["type"], s["value"]), (r.id, s["type"], s["value"])
            seen[s["type"]] += 1
    # Every type the CLI knows about is planted.
    assert set(seen) == {
        "card_number", "card_cvv", "card_expiry", "pin", "iban", "bic", "us_routing_number", "us_bank_account",
        "uk_sort_code", "uk_bank_account", "us_ssn", "us_itin", "us_ein", "uk_nino", "uk_utr", "vat_number",
        "secret_api_key",
    }


def test_cards_cover_the_brands_and_pass_luhn(corpus):
    cards = [s["value"] for r in corpus for s in r.secrets if s["type"] == "card_number"]
    assert all(luhn.is_valid(c) for c in cards)
    kinds = {("amex" if len(c) == 15 else "visa19" if len(c) == 19 else
              "mc2" if 2221 <= int(c[:4]) <= 2720 else "mc5" if 51 <= int(c[:2]) <= 55 else
              "visa" if c[0] == "4" else "discover" if c[0] == "6" else "?") for c in cards}
    assert kinds >= {"amex", "visa19", "mc2", "mc5", "visa", "discover"}


def test_spans_hold_exactly_the_planted_value(corpus):
    for r in corpus:
        for s in r.secrets:
            assert s["spans"], (r.id, s)
            for a, b in s["spans"]:
                assert 0 <= a < b <= len(r.text)
                piece = r.text[a:b]
                assert piece == piece.strip(), (r.id, piece)
            kept = [sp for i, sp in enumerate(s["spans"]) if i not in s["discarded"]]
            surface = " | ".join(r.text[a:b] for a, b in kept)
            if s["type"] == "secret_api_key":
                assert surface == s["value"]
                continue
            # Each span is read on its own: "two forty" + "three five eight" is not "two forty-three ...".
            got = "".join(speech.to_chars(r.text[a:b]) for a, b in kept)
            assert got in _expected_chars(s), (r.id, s["type"], s["form"], surface, got, s["value"])
            if s["discarded"]:
                assert s["form"] in ("self_correction", "repeat_group")


def test_split_secrets_have_one_span_per_piece_on_different_lines(corpus):
    splits = [(r, s) for r in corpus for s in r.secrets if s["family"] == "split"]
    assert len(splits) >= 30
    for r, s in splits:
        assert len(s["spans"]) >= 2
        gaps = [r.text[s["spans"][i][1]:s["spans"][i + 1][0]] for i in range(len(s["spans"]) - 1)]
        # Pieces sit in different turns: a line break or turn separator lies between each pair.
        assert all(("\n" in g or "\\n" in g or " / " in g) for g in gaps), (r.id, gaps)


def test_negatives_do_not_overlap_secrets_and_are_not_empty(corpus):
    for r in corpus:
        secret_spans = [sp for s in r.secrets for sp in s["spans"]]
        for n in r.negatives:
            a, b = n["span"]
            assert 0 <= a < b <= len(r.text)
            assert not any(a < sb and b > sa for sa, sb in secret_spans), (r.id, n, r.text[a:b])


def test_no_negative_is_itself_a_card_number(corpus):
    # A Luhn-valid 13-19 digit number may rightly be redacted whatever its label, so none is planted
    # as a negative.
    for r in corpus:
        for n in r.negatives:
            a, b = n["span"]
            text = r.text[a:b]
            digits = "".join(c for c in text if c.isdigit())
            if 13 <= len(digits) <= 19 and all(c.isdigit() or c in " -+()." for c in text):
                assert not luhn.is_valid(digits), (r.id, n["kind"], text)


def test_mix_of_classes_families_and_secret_free_records(corpus):
    fam = Counter(s["family"] for r in corpus for s in r.secrets)
    cls = Counter(s["class"] for r in corpus for s in r.secrets)
    assert set(fam) == {"digits", "grouped", "spoken", "split", "field"}
    assert set(cls) == {"field", "question", "split", "small", "asr", "inline"}
    free = sum(r.secret_free for r in corpus)
    assert 0.3 * N <= free <= 0.5 * N
    assert all(not r.secrets for r in corpus if r.secret_free)
    kinds = Counter(n["kind"] for r in corpus for n in r.negatives)
    for k in ("phone_us", "phone_uk", "phone_intl", "last4", "masked_card", "usage_count", "date", "amount",
              "invoice_no", "order_no", "stripe_id", "ticket", "postcode", "time", "percentage", "call_id"):
        assert kinds[k] > 0, k


def test_normaliser_reads_the_spoken_forms():
    assert speech.to_chars("forty-one eleven") == "4111"
    assert speech.to_chars("four triple one, double oh") == "411100"
    assert speech.to_chars("oh eight slash two nine") == "0829"
    assert speech.to_chars("for to too one") == "4221"
    assert speech.to_chars("nl91 abna 0417") == "NL91ABNA0417"
    assert speech.digit_stream("call me for a chat, 4111 for 1111") == "411141111"
