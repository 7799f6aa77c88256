"""Scoring of a redactor against the planted corpus (shared by run.py and the floor test).

A planted secret counts as caught when every letter and digit inside its spans is covered by some
finding, whatever the finding's type: for a leak only coverage matters. (Typed correctly is
reported separately.) A hard negative counts as kept when no finding overlaps it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from benchmarks.redaction.corpus import FORM_FAMILY, CallRecord

Span = tuple[int, int, str]  # start, end, type
Detector = Callable[[str], list[Span]]


@dataclass
class Tally:
    caught: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.caught += int(ok)

    @property
    def rate(self) -> float:
        return self.caught / self.total if self.total else 1.0


@dataclass
class Score:
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_form: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_family: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    typed_correctly: Tally = field(default_factory=Tally)
    negatives: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    unchanged_without_secrets: Tally = field(default_factory=Tally)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, type, form): ids only
    dropped_negatives: list[tuple[str, str]] = field(default_factory=list)  # (record id, kind)

    @property
    def all_secrets(self) -> Tally:
        tally = Tally()
        for item in self.by_type.values():
            tally.caught += item.caught
            tally.total += item.total
        return tally

    @property
    def all_negatives(self) -> Tally:
        tally = Tally()
        for item in self.negatives.values():
            tally.caught += item.caught
            tally.total += item.total
        return tally


def _covered(spans: list[tuple[int, int]], findings: list[Span], text: str) -> bool:
    for start, end in spans:
        for position in range(start, end):
            if not text[position].isalnum():
                continue
            if not any(f_start <= position < f_end for f_start, f_end, _ in findings):
                return False
    return True


def score(records: Iterable[CallRecord], detect: Detector) -> Score:
    result = Score()
    for record in records:
        findings = detect(record.text)
        for secret in record.secrets:
            caught = _covered(secret.spans, findings, record.text)
            result.by_type[secret.type].add(caught)
            result.by_form[secret.form].add(caught)
            result.by_family[FORM_FAMILY[secret.form]].add(caught)
            typed = caught and all(
                any(f_type == secret.type and f_start < end and start < f_end for f_start, f_end, f_type in findings)
                for start, end in secret.spans
            )
            result.typed_correctly.add(typed)
            if not caught:
                result.missed.append((record.id, secret.type, secret.form))
        for negative in record.negatives:
            kept = not any(f_start < negative.end and negative.start < f_end for f_start, f_end, _ in findings)
            result.negatives[negative.kind].add(kept)
            if not kept:
                result.dropped_negatives.append((record.id, negative.kind))
        if not record.secrets:
            result.unchanged_without_secrets.add(not findings)
    return result
