"""Evaluate the classifier on the labelled set: accuracy, per-workflow precision/recall, a confusion matrix.

    python -m benchmarks.classification.run [--policy FILE] [--passes N] [--show-errors]

Accuracy counts a call as right only when the set of workflows it produced equals the labelled set
exactly (a dispute call that also needed a contact and got no contact_sync is wrong). Labels are the
eight workflows, "review" (triaged for a human, no workflow) and "none" (no action at all).

Confusion matrix, multi-label: a label both expected and produced counts on the diagonal; each
expected label that was missed is paired with each produced label that was not expected (or "none"
if nothing extra was produced), and each extra label with no missed one pairs with "none" as the row.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.classification.corpus import TRIAGE, LabelledCall, build_eval_set
from schemas.models import WORKFLOWS
from streams.classify import classify, load_policy
from streams.policy import Policy

LABELS: tuple[str, ...] = (*WORKFLOWS, TRIAGE)
NONE = "none"


@dataclass(frozen=True)
class Evaluation:
    total: int
    correct: int
    per_label: dict[str, tuple[int, int, int]]  # label -> (true positives, false positives, false negatives)
    confusion: Counter[tuple[str, str]]
    errors: list[tuple[str, frozenset[str], frozenset[str]]]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def precision(self, label: str) -> float:
        tp, fp, _ = self.per_label[label]
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, label: str) -> float:
        tp, _, fn = self.per_label[label]
        return tp / (tp + fn) if tp + fn else 1.0


def predicted_labels(call: LabelledCall, policy: Policy) -> frozenset[str]:
    return frozenset(action.workflow for action in classify(call.enriched, policy))


def evaluate(calls: list[LabelledCall], policy: Policy) -> Evaluation:
    counts = {label: [0, 0, 0] for label in LABELS}
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    correct = 0
    for call in calls:
        expected, produced = call.expected, predicted_labels(call, policy)
        if expected == produced:
            correct += 1
        else:
            errors.append((call.case_id, expected, produced))
        for label in expected & produced:
            counts[label][0] += 1
            confusion[label, label] += 1
        missed, extra = expected - produced, produced - expected
        for label in extra:
            counts[label][1] += 1
        for label in missed:
            counts[label][2] += 1
            for other in extra or {NONE}:
                confusion[label, other] += 1
        if extra and not missed:
            for other in extra:
                confusion[NONE, other] += 1
        if not expected and not produced:
            confusion[NONE, NONE] += 1
    per_label = {label: (tp, fp, fn) for label, (tp, fp, fn) in counts.items()}
    return Evaluation(len(calls), correct, per_label, confusion, errors)


def time_per_call(calls: list[LabelledCall], policy: Policy, passes: int) -> tuple[float, float]:
    """(median, max) microseconds per call over `passes` passes of the whole set."""
    samples = []
    for _ in range(passes):
        started = time.perf_counter()
        for call in calls:
            classify(call.enriched, policy)
        samples.append((time.perf_counter() - started) / len(calls) * 1e6)
    return statistics.median(samples), max(samples)


def report(evaluation: Evaluation, timing: tuple[float, float], show_errors: bool) -> str:
    lines = [
        f"calls: {evaluation.total}   exact-set accuracy: {evaluation.accuracy:.1%} "
        f"({evaluation.correct}/{evaluation.total})",
        "",
        f"{'label':<20} {'precision':>9} {'recall':>7} {'support':>8}",
    ]
    for label in LABELS:
        tp, _, fn = evaluation.per_label[label]
        lines.append(f"{label:<20} {evaluation.precision(label):>9.1%} {evaluation.recall(label):>7.1%} {tp + fn:>8}")
    columns = (*LABELS, NONE)
    short = {label: label.split("_")[0][:7] for label in columns}
    lines += [
        "",
        "confusion (rows: expected, columns: produced)",
        " " * 20 + "".join(f"{short[c]:>8}" for c in columns),
    ]
    for row in columns:
        cells = "".join(f"{evaluation.confusion.get((row, col), 0) or '.':>8}" for col in columns)
        lines.append(f"{row:<20}{cells}")
    median, worst = timing
    lines += ["", f"classify: {median:.0f} µs per call (median of passes; slowest pass {worst:.0f} µs)"]
    if show_errors and evaluation.errors:
        lines += ["", "misclassified:"]
        for case_id, expected, produced in evaluation.errors:
            lines.append(f"  {case_id}: expected {sorted(expected) or [NONE]}, got {sorted(produced) or [NONE]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", type=Path, default=None, help="policy file (default: the packaged one)")
    parser.add_argument("--passes", type=int, default=20, help="timing passes over the whole set")
    parser.add_argument("--show-errors", action="store_true", help="list every misclassified call")
    args = parser.parse_args(argv)
    policy = load_policy(args.policy)
    calls = build_eval_set()
    print(report(evaluate(calls, policy), time_per_call(calls, policy, args.passes), args.show_errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
