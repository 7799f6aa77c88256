"""Redaction benchmark: recall per type and form, kept rates, throughput, and Presidio side by side.

    python -m benchmarks.redaction.run [--records 3000] [--realistic-records 1500] [--seed 7]
                                       [--presidio-records 150] [--passes 7]

Two corpora from the same generator and templates (see corpus.py):

- dense: ~6 planted numbers in a 2.4 KB call; the recall corpus, and a worst case for speed;
- realistic: 3-6 KB calls of conversation with about one secret and three hard negatives each,
  closer to real billing calls. The issue's throughput target (MB/s of transcript text per core) is
  judged on this one, because production traffic looks like it; the dense figure is printed too.

Presidio runs with its predefined pattern recognizers (plus the ABA-routing and UK-NINO ones it
ships disabled) on a blank spaCy "en" pipeline: no model is downloaded, so its NER recognizer finds
nothing and only the pattern recognizers count. It is slow, so it scores a prefix of the corpus;
our redactor is timed on that same prefix for the speed ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.redaction.corpus import DENSE, REALISTIC, CallRecord, CorpusProfile, generate_corpus
from benchmarks.redaction.evaluate import Score, Span, score
from streams.redact import find_secrets, redact_text

CARD_AND_CVV = ("card_number", "card_cvv")


def our_detector(text: str) -> list[Span]:
    return [(finding.start, finding.end, finding.type) for finding in find_secrets(text)]


def _megabytes(records: list[CallRecord]) -> float:
    return sum(len(record.text.encode("utf-8")) for record in records) / 1e6


@dataclass(frozen=True)
class Throughput:
    """MB/s of one process over several passes (one process = one core: the engine is single-threaded).

    `cpu` divides by the process's CPU time, `wall` by elapsed time. On a machine shared with other
    work the wall figure drops when the process waits for a core; CPU time does not count waiting,
    so it is the steadier per-core figure. Both are printed.
    """

    wall: tuple[float, ...]
    cpu: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.cpu)

    def __str__(self) -> str:
        return (
            f"per CPU-second: median {statistics.median(self.cpu):.1f} MB/s "
            f"(min {min(self.cpu):.1f}, max {max(self.cpu):.1f}); "
            f"wall clock: median {statistics.median(self.wall):.1f} MB/s "
            f"(min {min(self.wall):.1f}, max {max(self.wall):.1f}); {len(self.cpu)} passes"
        )


def measure_throughput(records: list[CallRecord], run: Callable[[str], object], repeats: int = 3) -> Throughput:
    """MB/s of transcript text in this single process, one figure per pass over `records`."""
    size = _megabytes(records)
    texts = [record.text for record in records]
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        started_cpu = time.process_time()
        started = time.perf_counter()
        for text in texts:
            run(text)
        wall.append(size / (time.perf_counter() - started))
        cpu.append(size / max(time.process_time() - started_cpu, 1e-9))
    return Throughput(tuple(wall), tuple(cpu))


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unavailable"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def presidio_detector(score_threshold: float) -> Callable[[str], list[Span]]:
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import AbaRoutingRecognizer, UkNinoRecognizer

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        """spaCy's blank English tokenizer: no model download, no NER."""

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    nlp_engine = BlankSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.add_recognizer(AbaRoutingRecognizer())
    registry.add_recognizer(UkNinoRecognizer())
    analyzer = AnalyzerEngine(
        nlp_engine=nlp_engine,
        registry=registry,
        supported_languages=["en"],
        default_score_threshold=score_threshold,
    )

    def detect(text: str) -> list[Span]:
        return [(item.start, item.end, item.entity_type) for item in analyzer.analyze(text, language="en")]

    return detect


def _percent(value: float) -> str:
    return f"{100 * value:6.2f}%"


def print_score(title: str, result: Score) -> None:
    print(f"\n== {title}")
    print(f"{'secret type':<22}{'caught':>10}{'recall':>10}")
    for name, tally in sorted(result.by_type.items()):
        print(f"{name:<22}{tally.caught:>5}/{tally.total:<5}{_percent(tally.rate):>9}")
    print(f"\n{'surface form':<22}{'caught':>10}{'recall':>10}")
    for name, tally in sorted(result.by_form.items()):
        print(f"{name:<22}{tally.caught:>5}/{tally.total:<5}{_percent(tally.rate):>9}")
    print(f"\n{'form family':<22}{'caught':>10}{'recall':>10}")
    for name, tally in sorted(result.by_family.items()):
        print(f"{name:<22}{tally.caught:>5}/{tally.total:<5}{_percent(tally.rate):>9}")
    total = result.all_secrets
    print(f"{'ALL SECRETS':<22}{total.caught:>5}/{total.total:<5}{_percent(total.rate):>9}")
    print(f"typed correctly (of all secrets): {_percent(result.typed_correctly.rate)}")
    leaks = sum(tally.total - tally.caught for name, tally in result.by_type.items() if name in CARD_AND_CVV)
    print(f"card / CVV leaks: {leaks}")
    print(f"\n{'hard negative':<22}{'kept':>10}{'rate':>10}")
    for name, tally in sorted(result.negatives.items()):
        print(f"{name:<22}{tally.caught:>5}/{tally.total:<5}{_percent(tally.rate):>9}")
    negatives = result.all_negatives
    print(f"{'ALL NEGATIVES':<22}{negatives.caught:>5}/{negatives.total:<5}{_percent(negatives.rate):>9}")
    unchanged = result.unchanged_without_secrets
    print(f"records without secrets unchanged: {unchanged.caught}/{unchanged.total} {_percent(unchanged.rate)}")


def run_corpus(
    profile: CorpusProfile, count: int, seed: int, presidio_count: int, passes: int, show_misses: int
) -> Throughput:
    records = generate_corpus(count, seed=seed, profile=profile)
    size = _megabytes(records)
    secrets = sum(len(record.secrets) for record in records)
    negatives = sum(len(record.negatives) for record in records)
    label = profile.name.upper()
    print(f"\n######## {label} corpus")
    print(
        f"corpus: {len(records)} calls, {size:.2f} MB ({1000 * size / len(records):.1f} KB/call), "
        f"{secrets} planted secrets ({secrets / len(records):.2f}/call), "
        f"{negatives} hard negatives ({negatives / len(records):.2f}/call)"
    )

    ours = score(records, our_detector)
    print_score(f"callstream redactor ({profile.name} corpus)", ours)
    for record_id, secret_type, form in ours.missed[:show_misses]:
        print(f"  missed: {record_id} {secret_type} {form}")
    for record_id, kind in ours.dropped_negatives[:show_misses]:
        print(f"  negative redacted: {record_id} {kind}")

    print(f"\n{_load()}")
    throughput = measure_throughput(records, redact_text, repeats=passes)
    print(f"throughput [{profile.name}] (redact_text, 1 process = 1 core): {throughput}")

    if presidio_count > 0:
        subset = records[:presidio_count]
        print(f"\nPresidio comparison on the first {len(subset)} {profile.name} calls ({_megabytes(subset):.2f} MB)")
        # Our speed on the subset is timed before Presidio and spaCy are loaded: their millions of
        # live objects make every full garbage collection slower for any code in the process,
        # which is not how the redaction worker runs.
        our_speed = measure_throughput(subset, redact_text, repeats=passes).median
        presidio_results: dict[float, Score] = {}
        for threshold in (0.0, 0.4):
            presidio_results[threshold] = score(subset, presidio_detector(threshold))
            print_score(f"Presidio pattern recognizers, score threshold {threshold}", presidio_results[threshold])
        ours_subset = score(subset, our_detector)
        presidio_speed = measure_throughput(subset, presidio_detector(0.0), repeats=1).median
        our_speed_after = measure_throughput(subset, redact_text, repeats=passes).median
        print(f"\n== side by side on the same {len(subset)} {profile.name} calls")
        print(f"callstream recall: {_percent(ours_subset.all_secrets.rate)}")
        for threshold, result in presidio_results.items():
            print(
                f"Presidio recall (threshold {threshold}, any entity type counts): "
                f"{_percent(result.all_secrets.rate)}; negatives kept {_percent(result.all_negatives.rate)}"
            )
        print(f"callstream negatives kept: {_percent(ours_subset.all_negatives.rate)}")
        print(
            f"callstream {our_speed:.2f} MB/s, Presidio {presidio_speed:.3f} MB/s (medians per CPU-second), "
            f"ratio {our_speed / presidio_speed:.0f}x"
        )
        print(
            f"(callstream timed again with Presidio loaded in the process: {our_speed_after:.2f} MB/s, "
            f"ratio {our_speed_after / presidio_speed:.0f}x)"
        )
    return throughput


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=3000, help="calls in the dense corpus (0 skips)")
    parser.add_argument("--realistic-records", type=int, default=1500, help="calls in the realistic corpus (0 skips)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--presidio-records", type=int, default=150, help="per corpus; 0 skips Presidio")
    parser.add_argument("--passes", type=int, default=7, help="timed passes over each corpus")
    parser.add_argument("--show-misses", type=int, default=20, help="list up to N misses (ids and types only)")
    args = parser.parse_args(argv)

    results = {}
    if args.records > 0:  # --records 0 skips the dense corpus (a speed run on the realistic one only)
        results[DENSE.name] = run_corpus(
            DENSE, args.records, args.seed, args.presidio_records, args.passes, args.show_misses
        )
    if args.realistic_records > 0:
        results[REALISTIC.name] = run_corpus(
            REALISTIC, args.realistic_records, args.seed, args.presidio_records, args.passes, args.show_misses
        )
    print("\n######## throughput summary (target: >= 20 MB/s per core, judged on the realistic corpus)")
    for name, throughput in results.items():
        print(f"{name:<10} {throughput}")
    print(_load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
