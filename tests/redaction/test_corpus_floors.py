"""The issue's recall and kept-rate floors, asserted on a generated corpus (runs in a few seconds)."""

from __future__ import annotations

import pytest

from benchmarks.redaction.corpus import REALISTIC, SECRET_TYPES, SPLIT_NO_CARD_WORD, generate_corpus
from benchmarks.redaction.evaluate import Score, score
from benchmarks.redaction.run import our_detector
from streams.redact import FINDING_TYPES

CORPUS_CALLS = 1500
SEED = 20261125


@pytest.fixture(scope="module")
def result() -> Score:
    return score(generate_corpus(CORPUS_CALLS, seed=SEED), our_detector)


def test_corpus_plants_every_type_and_form_family(result: Score) -> None:
    assert set(result.by_type) == set(SECRET_TYPES) == set(FINDING_TYPES)
    assert {"digits", "spoken", "split"} <= set(result.by_family)
    assert all(tally.total >= 30 for tally in result.by_type.values())
    # The issue's own example (a card split over turns, no card word in the call) and split
    # references that only a cue word keeps apart from a card.
    assert result.by_form[SPLIT_NO_CARD_WORD].total >= 30
    assert result.negatives["split_reference_luhn"].total >= 60


def test_split_card_without_card_word_and_split_references(result: Score) -> None:
    assert result.by_form[SPLIT_NO_CARD_WORD].rate >= 0.99, result.missed[:10]
    assert result.negatives["split_reference_luhn"].rate >= 0.995, result.dropped_negatives[:10]


def test_issue10_classes_are_planted_and_meet_the_floors(result: Score) -> None:
    # Field names as the only cue, answers to a question a turn or two back, irregular splits,
    # small forms, and the hard negatives that used to be redacted in card and bank talk.
    for family in ("field", "dialogue"):
        assert result.by_family[family].total >= 30
        assert result.by_family[family].rate >= 0.99, result.missed[:10]
    for form in ("split_irregular", "small_form"):
        assert result.by_form[form].total >= 20
        assert result.by_form[form].rate >= 0.99, result.missed[:10]
    for kind in ("field_negative", "card_masked", "phone_international", "phone_national", "usage_count"):
        assert result.negatives[kind].total >= 10
        assert result.negatives[kind].rate >= 0.99, result.dropped_negatives[:10]


def test_recall_on_digit_forms_is_at_least_99_9_percent(result: Score) -> None:
    assert result.by_family["digits"].rate >= 0.999, result.missed[:10]


@pytest.mark.parametrize("family", ["spoken", "split"])
def test_recall_on_spoken_and_split_forms_is_at_least_99_percent(result: Score, family: str) -> None:
    assert result.by_family[family].rate >= 0.99, result.missed[:10]


def test_no_card_number_or_cvv_leaks(result: Score) -> None:
    leaks = [miss for miss in result.missed if miss[1] in ("card_number", "card_cvv")]
    assert leaks == []  # (record id, type, form) only: never the values


def test_hard_negatives_kept_at_least_99_5_percent(result: Score) -> None:
    assert result.all_negatives.rate >= 0.995, result.dropped_negatives[:10]


def test_records_without_secrets_unchanged_at_least_99_percent(result: Score) -> None:
    assert result.unchanged_without_secrets.total > 100
    assert result.unchanged_without_secrets.rate >= 0.99


def test_corpus_is_deterministic() -> None:
    first = generate_corpus(5, seed=3)
    again = generate_corpus(5, seed=3)
    other = generate_corpus(5, seed=4)
    assert [record.text for record in first] == [record.text for record in again]
    assert [record.text for record in first] != [record.text for record in other]


@pytest.fixture(scope="module")
def realistic() -> Score:
    # The realistic-density profile (3-6 KB of talk, about one secret per call) uses extra
    # conversation templates full of harmless numbers: the floors must hold there too.
    return score(generate_corpus(800, seed=SEED, profile=REALISTIC), our_detector)


def test_realistic_corpus_meets_the_same_floors(realistic: Score) -> None:
    assert realistic.by_family["digits"].rate >= 0.999, realistic.missed[:10]
    assert realistic.by_family["spoken"].rate >= 0.99, realistic.missed[:10]
    assert realistic.by_family["split"].rate >= 0.99, realistic.missed[:10]
    assert [miss for miss in realistic.missed if miss[1] in ("card_number", "card_cvv")] == []
    assert realistic.all_negatives.rate >= 0.995, realistic.dropped_negatives[:10]
    assert realistic.unchanged_without_secrets.total > 100
    assert realistic.unchanged_without_secrets.rate >= 0.99
