"""A/B of two redactor checkouts on the same tuning corpus: same output, and speed side by side.

    python -m benchmarks.redaction.ab --baseline /tmp/old-checkout [--realistic-records 800]
                                      [--records 0] [--seed 7] [--independent 1500] [--rounds 4]
                                      [--check-only]

`--baseline` is the root of another checkout of this repository (e.g. a `git worktree add --detach`
of an older commit); the candidate is this checkout. The corpus is generated once, here, and both
engines read the same texts, each in its own process (`streams.redact` imported from its root).

- **Output**: every record's `redact_text` result (text, findings, counts) from both engines is
  compared; any record that differs is listed by index. A speed change must leave this empty.
  `--independent N` adds the first N records of the independent corpus to this check, compared by
  hash only and counted, never listed or printed (its records stay unread).
- **Speed**: rounds alternate A, B, B, A, ..., so both engines see the same machine load. Each
  round runs one process per engine: a warm-up pass over the realistic corpus, then `--passes`
  timed passes of which the best counts (on a shared machine a pass only gets slower when another
  process shares the core, so the best pass is the closest to the engine's own cost). MB/s per
  CPU-second, the median per engine and the median of the per-round ratios are printed with the
  load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.redaction.corpus import DENSE, REALISTIC, generate_corpus
from benchmarks.redaction.independent.generate import generate as generate_independent

_CHILD = r"""
import hashlib, json, sys, time
root, corpus_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, root)
from streams.redact import redact_text
texts = json.load(open(corpus_path))
if mode == "check":
    out = []
    for text in texts:
        result = redact_text(text)
        blob = json.dumps([result.text, [(f.type, f.start, f.end) for f in result.findings],
                           result.counts, result.payment_details_read_out], sort_keys=True)
        out.append(hashlib.sha256(blob.encode()).hexdigest())
    print(json.dumps(out))
else:
    for text in texts:  # warm-up: regex caches, lazy imports
        redact_text(text)
    size = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    figures = []
    for _ in range(int(sys.argv[4])):
        started = time.process_time()
        for text in texts:
            redact_text(text)
        figures.append(size / max(time.process_time() - started, 1e-9))
    print(json.dumps({"cpu": max(figures)}))
"""


def _child(root: Path, corpus: Path, mode: str, passes: int = 1) -> object:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(root), str(corpus), mode, str(passes)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(done.stdout)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, required=True, help="root of the other checkout")
    parser.add_argument("--records", type=int, default=3000, help="dense calls for the output check")
    parser.add_argument("--realistic-records", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=4, help="timed rounds (each: one process per engine)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes per process; the best one counts")
    parser.add_argument(
        "--independent",
        type=int,
        default=1500,
        help="independent-corpus records added to the output check (0 skips); only their hashes are compared",
    )
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    candidate = Path(__file__).resolve().parents[2]

    with tempfile.TemporaryDirectory() as scratch:
        realistic = [
            record.text for record in generate_corpus(args.realistic_records, seed=args.seed, profile=REALISTIC)
        ]
        dense = (
            [record.text for record in generate_corpus(args.records, seed=args.seed, profile=DENSE)]
            if args.records
            else []
        )
        # The independent corpus is compared by output hash only: its records are never printed,
        # so a speed change can be checked on it without anyone reading them.
        independent = (
            [record.text for record in generate_independent(args.independent)] if args.independent else []
        )
        tuning = len(dense) + len(realistic)
        check_path = Path(scratch, "check.json")
        check_path.write_text(json.dumps(dense + realistic + independent))
        old, new = _child(args.baseline, check_path, "check"), _child(candidate, check_path, "check")
        assert isinstance(old, list) and isinstance(new, list)
        differing = [index for index, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        tuning_differing = [index for index in differing if index < tuning]
        independent_differing = len(differing) - len(tuning_differing)
        print(
            f"output check: {len(new)} records ({len(dense)} dense, {len(realistic)} realistic, "
            f"{len(independent)} independent), {len(differing)} differ"
            + (f": first tuning indices {tuning_differing[:20]}" if tuning_differing else "")
            + (f"; {independent_differing} independent" if independent_differing else "")
        )
        if args.check_only:
            return 1 if differing else 0

        speed_path = Path(scratch, "realistic.json")
        speed_path.write_text(json.dumps(realistic))
        size = sum(len(text.encode("utf-8")) for text in realistic) / 1e6
        print(f"speed: realistic corpus, {len(realistic)} calls, {size:.2f} MB; {_load()}")
        figures: dict[str, list[float]] = {"baseline": [], "candidate": []}
        ratios: list[float] = []
        for round_index in range(args.rounds):
            order = ("baseline", "candidate") if round_index % 2 == 0 else ("candidate", "baseline")
            got: dict[str, float] = {}
            for name in order:
                result = _child(args.baseline if name == "baseline" else candidate, speed_path, "time", args.passes)
                assert isinstance(result, dict)
                got[name] = result["cpu"]
                figures[name].append(result["cpu"])
            ratios.append(got["candidate"] / got["baseline"])
            print(
                f"  round {round_index + 1}: baseline {got['baseline']:.2f}, candidate {got['candidate']:.2f} "
                f"MB/s per CPU-second (ratio {ratios[-1]:.2f}); {_load()}"
            )
        for name, values in figures.items():
            print(
                f"{name:<10} median {statistics.median(values):.2f} MB/s per CPU-second "
                f"(min {min(values):.2f}, max {max(values):.2f})"
            )
        print(
            f"candidate / baseline: median ratio {statistics.median(ratios):.2f} "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f}); {_load()}"
        )
        return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
