"""An independent labelled routing set for callstream's classifier, and its scorer.

Written from the scenario descriptions (issue 11, DESIGN §2, the seed) by someone who did not read
the classifier, its policies or its own corpus. See README.md and LABELS.md beside this file.

    from benchmarks.classification.independent import generate, score
    cases = generate()                                   # list[Case], deterministic
    report = score(cases, {call_id: {"workflows": {...}, "review": bool}, ...})
    print(report.table())
"""

import warnings

# `python -m benchmarks.classification.independent.generate` imports this package (and so the
# generate module) before running the module as __main__; runpy then warns that it is already
# imported. Harmless here (main() uses only its own module), and only that one message is silenced.
warnings.filterwarnings(
    "ignore",
    message=r"'benchmarks\.classification\.independent\.(generate|score)' found in sys\.modules",
    category=RuntimeWarning,
)

from benchmarks.classification.independent.generate import (  # noqa: E402
    DEFAULT_SEED,
    KNOWN_WORKFLOWS,
    SCENARIO_COUNTS,
    Case,
    generate,
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
    "load_jsonl",
    "score",
    "write_jsonl",
]
