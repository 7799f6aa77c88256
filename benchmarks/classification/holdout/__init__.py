"""The holdout routing set for callstream's call router, and its scorer (the independent set's).

Written from the scenario descriptions (issue 11, DESIGN §2, the seed, the vendor facts) and the
labelling rules in ../independent/LABELS.md, by someone who read neither the router nor the earlier
independent set's generator or wordings. See README.md beside this file.

    from benchmarks.classification.holdout import generate, score
    cases = generate()                                   # list[Case], deterministic
    report = score(cases, {call_id: {"workflows": {...}, "review": bool}, ...})
"""

from benchmarks.classification.holdout.generate import (
    DEFAULT_SEED,
    KNOWN_WORKFLOWS,
    SCENARIO_COUNTS,
    Case,
    generate,
    label,
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
    "label",
    "load_jsonl",
    "score",
    "write_jsonl",
]
