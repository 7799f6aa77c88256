"""The holdout2 routing set for callstream's call router, scored by the independent set's scorer.

Written from the scenario descriptions (issue 11, DESIGN §2, the seed, the vendor facts) and the
labelling rules in ../independent/LABELS.md, by a helper who read neither the router nor the earlier
sets' generators or wordings. See README.md beside this file.

    from benchmarks.classification.holdout2 import generate, score
    cases = generate()                                   # list[Case], deterministic
    report = score(cases, {call_id: {"workflows": {...}, "review": bool}, ...})
"""

import warnings

# `python -m benchmarks.classification.holdout2.generate` imports this package (and so the module)
# before running it as __main__; runpy then warns it is already imported. Only that message is silenced.
warnings.filterwarnings(
    "ignore",
    message=r"'benchmarks\.classification\.holdout2\.(generate|score)' found in sys\.modules",
    category=RuntimeWarning,
)

from benchmarks.classification.holdout2.generate import (  # noqa: E402
    DEFAULT_SEED,
    KNOWN_WORKFLOWS,
    SCENARIO_COUNTS,
    Case,
    generate,
    is_high_value,
    label,
    load_jsonl,
    write_jsonl,
)
from benchmarks.classification.independent.score import Report, score  # noqa: E402

__all__ = [
    "DEFAULT_SEED",
    "KNOWN_WORKFLOWS",
    "SCENARIO_COUNTS",
    "Case",
    "Report",
    "generate",
    "is_high_value",
    "label",
    "load_jsonl",
    "score",
    "write_jsonl",
]
