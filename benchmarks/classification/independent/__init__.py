"""An independent labelled routing set for callstream's classifier, and its scorer.

Written from the scenario descriptions (issue 11, DESIGN §2, the seed) by someone who did not read
the classifier, its policies or its own corpus. See README.md and LABELS.md beside this file.

    from benchmarks.classification.independent import generate, score
    cases = generate()                                   # list[Case], deterministic
    report = score(cases, {call_id: {"workflows": {...}, "review": bool}, ...})
    print(report.table())
"""

from benchmarks.classification.independent.generate import (
    DEFAULT_SEED,
    KNOWN_WORKFLOWS,
    SCENARIO_COUNTS,
    Case,
    generate,
    load_jsonl,
    write_jsonl,
)
from benchmarks.classification.independent.score import Report, score

__all__ = [
    "DEFAULT_SEED",
    "KNOWN_WORKFLOWS",
    "SCENARIO_COUNTS",
    "Case",
    "Report",
    "generate",
    "load_jsonl",
    "score",
    "write_jsonl",
]
