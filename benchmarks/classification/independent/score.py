"""Score what a classifier did with the independent routing set.

    from benchmarks.classification.independent import generate, score
    report = score(cases, actual)
    print(report.table())

`actual` maps each DialNexa call id to what the pipeline produced for it:
``{"workflows": set of workflow names it reached (the `workflow.<name>` topics, without "review"),
"review": whether it reached `workflow.review`}``. A "review" inside `workflows` is accepted and
read as review=True. A call id absent from `actual` counts as having produced nothing (no workflow,
no review) and is listed in `Report.missing`.

Measures (all over the cases given):

- review recall: share of review=true cases that reached review;
- false review rate: share of review=false cases that reached review;
- exact workflow-set accuracy with contact_sync left aside (removed from both sides);
- exact workflow-set accuracy including contact_sync;
- per workflow (contact_sync included): precision, recall, F1 over calls;
- confusion summary: per workflow, what was produced instead when it was missed, and what was
  expected when it was produced wrongly; and the most frequent (expected set, produced set) mismatches.

    python -m benchmarks.classification.independent.score --cases cases.jsonl --actual actual.jsonl

reads `actual.jsonl` lines of ``{"call_id": ..., "workflows": [...], "review": bool}``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.classification.independent.generate import KNOWN_WORKFLOWS, Case, load_jsonl

__all__ = ["Report", "WorkflowScore", "score"]


@dataclass(frozen=True)
class WorkflowScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Report:
    cases: int
    review_expected: int
    review_reached: int  # of the review_expected ones
    no_review_expected: int
    false_reviews: int
    exact_without_contact_sync: int
    exact_with_contact_sync: int
    per_workflow: dict[str, WorkflowScore]
    missed_reviews: list[str] = field(default_factory=list)  # call ids
    false_review_ids: list[str] = field(default_factory=list)
    wrong_sets: list[str] = field(default_factory=list)  # call ids wrong with contact_sync left aside
    missing: list[str] = field(default_factory=list)  # call ids with no entry in `actual`
    instead_of_missed: dict[str, Counter[str]] = field(default_factory=dict)
    expected_for_spurious: dict[str, Counter[str]] = field(default_factory=dict)
    set_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_scenario: dict[str, tuple[int, int]] = field(default_factory=dict)  # scenario -> (right, total)

    @property
    def review_recall(self) -> float:
        return self.review_reached / self.review_expected if self.review_expected else 1.0

    @property
    def false_review_rate(self) -> float:
        return self.false_reviews / self.no_review_expected if self.no_review_expected else 0.0

    @property
    def accuracy_without_contact_sync(self) -> float:
        return self.exact_without_contact_sync / self.cases if self.cases else 0.0

    @property
    def accuracy(self) -> float:
        return self.exact_with_contact_sync / self.cases if self.cases else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "review_recall": self.review_recall,
            "review_missed": len(self.missed_reviews),
            "review_expected": self.review_expected,
            "false_review_rate": self.false_review_rate,
            "false_reviews": self.false_reviews,
            "no_review_expected": self.no_review_expected,
            "accuracy_without_contact_sync": self.accuracy_without_contact_sync,
            "accuracy": self.accuracy,
            "per_workflow": {
                name: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn}
                for name, s in self.per_workflow.items()
            },
            "missing": list(self.missing),
            "missed_reviews": list(self.missed_reviews),
            "false_review_ids": list(self.false_review_ids),
        }

    @staticmethod
    def _row(measure: str, value: float, detail: str) -> str:
        return f"{measure:<48}{value:>8.3f}  {detail}"

    def table(self, confusions: int = 12) -> str:
        """The report as a printable table: headline measures, per workflow, confusions, per scenario."""
        lines = [
            f"independent routing set: {self.cases} calls"
            + (f" ({len(self.missing)} with no result)" if self.missing else ""),
            "",
            f"{'measure':<48}{'value':>8}  detail",
            self._row(
                "review recall",
                self.review_recall,
                f"{self.review_reached} of {self.review_expected} reached review ({len(self.missed_reviews)} missed)",
            ),
            self._row(
                "false review rate",
                self.false_review_rate,
                f"{self.false_reviews} of {self.no_review_expected} sent to review",
            ),
            self._row(
                "exact workflow-set accuracy (contact_sync aside)",
                self.accuracy_without_contact_sync,
                f"{self.exact_without_contact_sync} of {self.cases}",
            ),
            self._row(
                "exact workflow-set accuracy (with contact_sync)",
                self.accuracy,
                f"{self.exact_with_contact_sync} of {self.cases}",
            ),
            "",
            f"{'workflow':<22}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}",
        ]
        for name, s in self.per_workflow.items():
            lines.append(f"{name:<22}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>5}{s.fn:>5}")
        lines += ["", "confusion (per workflow): missed -> produced instead | spurious <- expected instead"]
        for name in self.per_workflow:
            missed = self.instead_of_missed.get(name)
            spurious = self.expected_for_spurious.get(name)
            if not missed and not spurious:
                continue
            m = ", ".join(f"{k} {v}" for k, v in missed.most_common(4)) if missed else "-"
            s = ", ".join(f"{k} {v}" for k, v in spurious.most_common(4)) if spurious else "-"
            lines.append(f"  {name:<20} missed -> {m} | spurious <- {s}")
        if self.set_confusions:
            lines += ["", f"most frequent set mismatches (contact_sync aside), top {confusions}:"]
            for (exp, got), n in self.set_confusions.most_common(confusions):
                lines.append(f"  {n:>3} x expected {exp:<40} got {got}")
        lines += ["", f"{'scenario':<32}{'right':>7}{'total':>7}"]
        for scenario, (right, total) in sorted(self.per_scenario.items()):
            lines.append(f"{scenario:<32}{right:>7}{total:>7}")
        return "\n".join(lines)


def _normalise(result: Mapping[str, Any] | None) -> tuple[frozenset[str], bool]:
    if result is None:
        return frozenset(), False
    raw = {str(w).removeprefix("workflow.") for w in result.get("workflows", ())}
    review = bool(result.get("review", False)) or "review" in raw
    return frozenset(raw - {"review"}), review


def _label(names: Iterable[str]) -> str:
    names = sorted(names)
    return "+".join(names) if names else "none"


def score(cases: Iterable[Case], actual: Mapping[str, Mapping[str, Any]]) -> Report:
    """Compare the pipeline's per-call result with each case's `expected` (see module docstring)."""
    cases = list(cases)
    per = {name: [0, 0, 0] for name in KNOWN_WORKFLOWS}
    instead: dict[str, Counter[str]] = defaultdict(Counter)
    expected_for: dict[str, Counter[str]] = defaultdict(Counter)
    set_conf: Counter[tuple[str, str]] = Counter()
    scen: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    report = Report(
        cases=len(cases),
        review_expected=0,
        review_reached=0,
        no_review_expected=0,
        false_reviews=0,
        exact_without_contact_sync=0,
        exact_with_contact_sync=0,
        per_workflow={},
    )
    for case in cases:
        if case.call_id not in actual:
            report.missing.append(case.call_id)
        got, got_review = _normalise(actual.get(case.call_id))
        want = frozenset(case.expected["workflows"])
        want_review = bool(case.expected["review"])
        if want_review:
            report.review_expected += 1
            if got_review:
                report.review_reached += 1
            else:
                report.missed_reviews.append(case.call_id)
        else:
            report.no_review_expected += 1
            if got_review:
                report.false_reviews += 1
                report.false_review_ids.append(case.call_id)
        aside_want, aside_got = want - {"contact_sync"}, got - {"contact_sync"}
        right = aside_want == aside_got
        report.exact_without_contact_sync += right
        report.exact_with_contact_sync += want == got
        scen[case.scenario][0] += right
        scen[case.scenario][1] += 1
        if not right:
            report.wrong_sets.append(case.call_id)
            set_conf[(_label(aside_want), _label(aside_got))] += 1
        for name in KNOWN_WORKFLOWS:
            if name in want and name in got:
                per[name][0] += 1
            elif name in got:
                per[name][1] += 1
                for other in (want - got) or {"none"}:
                    expected_for[name][other] += 1
            elif name in want:
                per[name][2] += 1
                for other in (got - want) or {"none"}:
                    instead[name][other] += 1
        unknown = got - set(KNOWN_WORKFLOWS)
        if unknown:
            raise ValueError(f"call {case.call_id}: unknown workflow names {sorted(unknown)}")
    report.per_workflow = {name: WorkflowScore(*per[name]) for name in KNOWN_WORKFLOWS}
    report.instead_of_missed = dict(instead)
    report.expected_for_spurious = dict(expected_for)
    report.set_confusions = set_conf
    report.per_scenario = {k: (v[0], v[1]) for k, v in scen.items()}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score a classifier's results on the independent routing set")
    parser.add_argument("--cases", type=Path, required=True, help="cases.jsonl written by the generator")
    parser.add_argument(
        "--actual", type=Path, required=True, help='JSON lines {"call_id", "workflows": [...], "review"}'
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    args = parser.parse_args(argv)
    actual: dict[str, dict[str, Any]] = {}
    with args.actual.open(encoding="utf-8") as source:
        for line in source:
            if line.strip():
                row = json.loads(line)
                actual[row["call_id"]] = {"workflows": set(row.get("workflows", ())), "review": bool(row.get("review"))}
    report = score(load_jsonl(args.cases), actual)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
