"""The homophone pre-filter in probe.py never changes what the anchored look-ups find.

`homophone_candidates` skips the two anchored look-ups around a number word when one search of
the window they read finds no homophone there. That is only a speed-up if it is a necessary
condition: these tests compare it with the look-ups run at every word (the reference below), and
check that every homophone and pause filler of the vocabulary is inside the pre-filter's reach,
so a word added to the vocabulary (or a longer filler) cannot slip past it unnoticed.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.redact import probe
from streams.redact.spoken import NUMBER_WORDS


def _flat(text: str) -> bytes:
    _, probe_bytes = probe.make_probe(text)
    return b" " + probe_bytes.translate(probe._FLAT_BYTES) + b" "


def _edges(flat: bytes) -> list[tuple[int, int]]:
    """Number words and single written digits, as collect_atoms hands them to the homophone pass."""
    # Text offsets: flat is the text with one padding space in front.
    edges = [(match.start(), match.end() - 1) for match in probe._NUMBER_WORD.finditer(flat)]
    edges += [(match.start() - 1, match.end() - 1) for match in re.finditer(rb"(?<= )[0-9](?= )", flat)]
    return edges


def _reference_candidates(flat: bytes, edges: list[tuple[int, int]]) -> dict[int, bytes]:
    """The candidate search with both anchored look-ups at every word (no pre-filter)."""
    candidates: dict[int, bytes] = {}
    for _ in range(probe._MAX_HOMOPHONE_CHAIN):
        fresh: list[tuple[int, int]] = []
        for word_start, word_end in edges:
            for found in (
                probe._HOMOPHONE_AFTER.match(flat, word_end + 1),
                probe._HOMOPHONE_BEFORE.search(flat, max(0, word_start - 18), word_start + 1),
            ):
                if found is not None:
                    homophone = probe._HOMOPHONE.match(flat, found.start(1))
                    if homophone is not None and homophone.start() not in candidates:
                        candidates[homophone.start()] = homophone.group()
                        fresh.append((homophone.start(), homophone.end() - 1))
        if not fresh:
            break
        edges = fresh
    return candidates


def _candidates(text: str) -> tuple[dict[int, bytes], dict[int, bytes]]:
    flat = _flat(text)
    edges = _edges(flat)
    got = {position: match.group() for position, match in probe.homophone_candidates(flat, edges).items()}
    return got, _reference_candidates(flat, edges)


_HOMOPHONES = [word.decode() for word in probe._HOMOPHONES]
_FILLERS = [word.decode() for word in probe._PAUSE_FILLERS]


def test_every_homophone_and_filler_is_within_the_prefilter_reach() -> None:
    # Each homophone at the far end of each look-up's reach: right after a number word, after the
    # longest separator / filler / separator gap the look-up allows, and before a number word
    # behind the longest gap. Every case must be found, by the look-ups and through the pre-filter.
    cases = 0
    for homophone in _HOMOPHONES:
        for filler in _FILLERS:
            for text in (
                f"seven {homophone} x",
                f"seven,- {homophone} x",
                f"seven,- {filler},-,- {homophone} x",
                f"4,- {filler},-,- {homophone} x",
                f"x {homophone},-,- seven",
                f"x {homophone}    {filler},-,- seven",
                f"x {homophone}    {filler},-,- 4",
            ):
                got, reference = _candidates(text)
                assert reference, text  # the case is inside the look-ups' reach
                assert got == reference, text
                cases += 1
    assert cases == len(_HOMOPHONES) * len(_FILLERS) * 7


def test_prefilter_patterns_are_built_from_the_vocabulary() -> None:
    for homophone in _HOMOPHONES:
        padded = f" {homophone} ".encode()
        assert probe._HOMOPHONE_ANYWHERE.search(padded)
        assert probe._HOMOPHONE.match(padded)
    longest = max(map(len, _HOMOPHONES)) + 2
    assert 1 + 2 + 1 + max(map(len, _FILLERS)) + 4 + longest <= probe._AFTER_REACH


_TOKENS = st.sampled_from(
    [
        *sorted(NUMBER_WORDS),
        *_HOMOPHONES,
        *_FILLERS,
        "4",
        "7",
        "12",
        "O",
        "Two",
        "FOR",
        "the",
        "card",
        "days",
        "is",
        "it's",
        "User:",
        "Agent:",
    ]
)
_SEPARATORS = st.sampled_from([" ", "  ", ", ", " - ", "-", "... ", ". ", "\n", " \u2026 ", "   ", ",  , "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_TOKENS, _SEPARATORS), min_size=1, max_size=40))
def test_prefilter_finds_the_same_candidates_as_the_lookups_everywhere(pieces: list[tuple[str, str]]) -> None:
    text = "".join(token + separator for token, separator in pieces)
    got, reference = _candidates(text)
    assert got == reference
