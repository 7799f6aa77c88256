"""Score `callstream redact` on the hold-out corpus (black box: only its JSON-lines output is read).

Tuners: run with --summary-only (aggregates only; no record ids or text).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.redaction.holdout.generate import DEFAULT_COUNT, DEFAULT_SEED, Record, generate

DEFAULT_CLI = str(Path(".venv/bin/callstream")) + " redact"


def run_cli(records: list[Record], cli: str, timeout: float = 900.0) -> list[dict[str, Any]]:
    """All records through the CLI's stdin in one batch; one output line per input line, in order."""
    payload = "".join(json.dumps({"id": r.id, "text": r.text}, ensure_ascii=False) + "\n" for r in records)
    proc = subprocess.run(shlex.split(cli), input=payload.encode("utf-8"), capture_output=True,
                          timeout=timeout, check=False)
    lines = proc.stdout.decode("utf-8").splitlines()
    if len(lines) != len(records):
        raise SystemExit(f"CLI gave {len(lines)} lines for {len(records)} records (exit {proc.returncode})")
    out = [json.loads(line) for line in lines]
    for r, o in zip(records, out, strict=True):
        if o.get("id") not in (r.id, None):
            raise SystemExit("CLI output is out of order")
    return out


def coarse_form(form: str) -> str:
    """The form without its piece sizes: "split_words_4-4-8" -> "split_words"."""
    return re.sub(r"[_-]?\d+(-\d+)+$", "", form).rstrip("_-") or form


def _covered(findings: list[tuple[int, int]], text: str, span: tuple[int, int]) -> bool:
    """Every letter/digit of the span lies inside some finding."""
    return all(any(a <= i < b for a, b in findings)
               for i in range(span[0], span[1]) if text[i].isalnum())


def _overlaps(findings: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in findings)


class Tally:
    def __init__(self) -> None:
        self.n: dict[str, int] = defaultdict(int)
        self.hit: dict[str, int] = defaultdict(int)

    def add(self, key: str, ok: bool) -> None:
        self.n[key] += 1
        self.hit[key] += ok

    def rows(self) -> list[tuple[str, int, int]]:
        return sorted(((k, self.hit[k], self.n[k]) for k in self.n), key=lambda r: (r[1] / r[2], -r[2]))


def score(records: list[Record], outputs: list[dict[str, Any]]) -> dict[str, Any]:
    groups = {g: Tally() for g in ("family", "class", "type", "form", "type:form", "shape", "negative")}
    total = caught = errors = 0
    leaks: dict[str, int] = defaultdict(int)
    free_total = free_changed = 0
    neg_total = neg_kept = 0
    misses: list[dict[str, Any]] = []
    for r, o in zip(records, outputs, strict=True):
        error = "error" in o
        errors += error
        findings = [] if error else [(f["start"], f["end"]) for f in o.get("findings", [])]
        for s in r.secrets:
            ok = error or all(_covered(findings, r.text, sp) for sp in s.spans)
            total += 1
            caught += ok
            for g, key in (("family", s.family), ("class", s.klass), ("type", s.type),
                           ("form", coarse_form(s.form)), ("type:form", f"{s.type}:{coarse_form(s.form)}"),
                           ("shape", r.shape)):
                groups[g].add(key, ok)
            if not ok:
                leaks[s.type] += 1
                misses.append({"id": r.id, "type": s.type, "form": s.form, "class": s.klass,
                               "pieces": [r.text[a:b] for a, b in s.spans]})
        for n in r.negatives:
            kept = not error and not _overlaps(findings, n.span)
            neg_total += 1
            neg_kept += kept
            groups["negative"].add(n.kind, kept)
        if r.secret_free:
            free_total += 1
            free_changed += error or o.get("text") != r.text
    return {
        "records": len(records), "secrets": total, "recall": caught / total if total else 1.0,
        "leaked": total - caught, "card_number_leaks": leaks["card_number"], "card_cvv_leaks": leaks["card_cvv"],
        "negatives": neg_total, "negatives_kept": neg_kept / neg_total if neg_total else 1.0,
        "secret_free": free_total, "secret_free_changed": free_changed,
        "secret_free_changed_share": free_changed / free_total if free_total else 0.0, "errors": errors,
        "by": {g: [{"key": k, "caught": h, "n": n} for k, h, n in t.rows()] for g, t in groups.items()},
        "misses": misses,
    }


def print_summary(result: dict[str, Any], forms_shown: int) -> None:
    r = result
    print(f"records {r['records']}  secrets {r['secrets']}  errors {r['errors']}")
    print(f"recall {r['recall']:.3f}  ({r['leaked']} leaked)  card_number leaks {r['card_number_leaks']}"
          f"  card_cvv leaks {r['card_cvv_leaks']}")
    print(f"negatives kept {r['negatives_kept']:.3f} of {r['negatives']}")
    print(f"secret-free records changed {r['secret_free_changed_share']:.1%} "
          f"({r['secret_free_changed']} of {r['secret_free']})")
    for group in ("family", "class", "type", "shape", "form", "negative", "type:form"):
        rows = r["by"][group]
        if group == "type:form":
            rows = rows[:forms_shown]
            print(f"\nweakest {len(rows)} type:form pairs:")
        else:
            print(f"\nby {group}:")
        for row in rows:
            print(f"  {row['key']:<48} {row['caught'] / row['n']:.3f}  ({row['caught']}/{row['n']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cli", default=DEFAULT_CLI, help="command that reads JSON lines on stdin")
    parser.add_argument("--summary-only", action="store_true", help="aggregates only (for tuners)")
    parser.add_argument("--json", type=Path, help="write the full result (with missed record ids) here")
    parser.add_argument("--show-misses", type=int, default=0, help="auditors: print N missed secrets")
    parser.add_argument("--forms", type=int, default=25, help="how many of the weakest forms to list")
    args = parser.parse_args(argv)
    records = generate(args.count, args.seed)
    result = score(records, run_cli(records, args.cli))
    print_summary(result, args.forms)
    if args.summary_only:
        return 0
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    for miss in result["misses"][: args.show_misses]:
        sys.stdout.write(json.dumps(miss, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
