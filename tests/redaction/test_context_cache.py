"""The per-text look-up caches of streams/redact/context.py give what a fresh look-up gives.

Context caches the cues before a number by its start, the cues after it by its end and field cues
by position (detectors ask about one start with several ends). A cache keyed on the wrong side
would hand one number another number's cues; these tests ask about every pair of positions in a
warm context and compare with a cold context per question.
"""

from __future__ import annotations

import itertools

from benchmarks.redaction.corpus import REALISTIC, generate_corpus
from streams.redact.context import Context
from streams.redact.probe import collect_atoms, make_probe
from streams.redact.structure import probe_source, structure_view

_TEXT = (
    "Agent: Could I take the card number and the security code please?\n"
    "User: sure, it's 4111 1111 1111 1111 and the CVV is 737, my phone is 415 555 0134.\n"
    'Agent: thanks. {"routing_number": "021000021", "invoice": "INV-2041"}\n'
    "User: the sort code is 20-00-00 and the account number 31926819, order 5521."
)


def _numbers(text: str) -> tuple[str, str, list[tuple[int, int]]]:
    view = structure_view(text)
    probe, probe_bytes = make_probe(probe_source(view))
    atoms = collect_atoms(view, probe, probe_bytes)
    return view, probe, [(atom.start, atom.end) for atom in atoms]


def _assert_same_as_cold(text: str) -> int:
    view, probe, spans = _numbers(text)
    warm = Context(view, probe)
    asked = 0
    # every start with every later end: split readings and two-answer halves ask exactly this
    for (start, _), (_, end) in itertools.combinations_with_replacement(spans, 2):
        assert warm.cues_near(start, end) == Context(view, probe).cues_near(start, end), (start, end)
        asked += 1
    for start, _ in spans:
        assert warm.field_cue(start) == Context(view, probe).field_cue(start), start
    return asked


def test_cached_cues_equal_fresh_look_ups() -> None:
    assert _assert_same_as_cold(_TEXT) > 20  # the text has numbers with cues on both sides


def test_cached_cues_equal_fresh_look_ups_on_corpus_calls() -> None:
    asked = sum(_assert_same_as_cold(record.text) for record in generate_corpus(12, seed=11, profile=REALISTIC))
    assert asked > 100


def test_returned_cue_lists_are_not_shared() -> None:
    # a caller that sorts or extends its list must not change what the next caller gets
    view, probe, spans = _numbers(_TEXT)
    context = Context(view, probe)
    start, end = spans[1]
    first = context.cues_near(start, end)
    first.append((0, "negative", "tampered", True))
    assert context.cues_near(start, end) == Context(view, probe).cues_near(start, end)
