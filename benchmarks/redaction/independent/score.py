"""Score `callstream redact` (black box) on the independent corpus.

    python -m benchmarks.redaction.independent.score [--count N] [--seed S] [--json out.json]
                                                     [--summary-only] [--show-misses N] [--cli CMD]

The CLI runs once as a subprocess; every record goes through its stdin in one batch.

* A secret is **caught** when every letter/digit of every one of its spans lies inside some finding
  (of any type). An error record counts as fully redacted.
* **Strict**: no run of 6 consecutive digits of the secret (as written in the text) survives in the
  redacted text. Digits are read from numerals and spoken digit words; the stream is broken at the
  redactor's bracketed placeholders. Only secrets with at least 6 digits are checked.
* A negative is **kept** when no finding overlaps its span (an error record keeps none).
* A secret-free record is **changed** when its output text differs from the input, or it errored.

`--summary-only` prints aggregates only (no record ids, no text): that is how engineers tuning the
redactor should run it, so they cannot tune on individual records. `--show-misses N` prints record
text around misses, for auditors only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from .generate import Record, generate
from .speech import digit_stream

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{0,80}\]")
STRICT_WINDOW = 6


def default_cli() -> list[str]:
    exe = Path(sys.executable).with_name("callstream")
    if exe.exists():
        return [str(exe), "redact"]
    return ["callstream", "redact"]


def run_cli(records: list[Record], cli: list[str], timeout: float = 900.0, timing: dict | None = None) -> list[dict]:
    payload = "".join(json.dumps({"id": r.id, "text": r.text}, ensure_ascii=False) + "\n" for r in records)
    data = payload.encode()
    env = dict(os.environ)
    t0 = time.perf_counter()
    proc = subprocess.run(cli, input=data, capture_output=True, timeout=timeout, env=env, check=False)
    if timing is not None:
        timing["cli_wall_seconds"] = round(time.perf_counter() - t0, 3)
        timing["input_bytes"] = len(data)
    if proc.returncode != 0:
        raise SystemExit(f"redactor exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-2000:]}")
    lines = [ln for ln in proc.stdout.decode().splitlines() if ln.strip()]
    if len(lines) != len(records):
        raise SystemExit(f"redactor wrote {len(lines)} lines for {len(records)} records")
    outs = [json.loads(ln) for ln in lines]
    for r, o in zip(records, outs, strict=True):
        if o.get("id") != r.id and "error" not in o:
            raise SystemExit(f"output out of order: expected id {r.id}, got {o.get('id')}")
    return outs


def _covered(findings: list[dict], n: int) -> bytearray:
    mask = bytearray(n)
    for f in findings:
        s, e = max(0, int(f["start"])), min(n, int(f["end"]))
        for i in range(s, e):
            mask[i] = 1
    return mask


def _surface_digits(text: str, spans: list[list[int]]) -> str:
    return "".join(digit_stream(text[s:e]) for s, e in spans)


def _redacted_streams(text: str) -> list[str]:
    return [digit_stream(part) for part in _PLACEHOLDER.split(text)]


class Tally:
    def __init__(self) -> None:
        self.n: Counter = Counter()
        self.ok: Counter = Counter()

    def add(self, key: str, ok: bool) -> None:
        self.n[key] += 1
        self.ok[key] += int(ok)

    def table(self) -> dict:
        return {k: {"n": self.n[k], "ok": self.ok[k], "rate": round(self.ok[k] / self.n[k], 4)}
                for k in sorted(self.n)}


def score(records: list[Record], outs: list[dict]) -> tuple[dict, list[dict]]:
    overall, strict = Tally(), Tally()
    by: dict[str, Tally] = defaultdict(Tally)
    neg_by = Tally()
    free_changed = 0
    free_n = 0
    free_findings = 0
    errors = 0
    leaks: Counter = Counter()
    misses: list[dict] = []
    for r, o in zip(records, outs, strict=True):
        err = "error" in o
        errors += err
        findings = [] if err else o.get("findings", [])
        mask = _covered(findings, len(r.text))
        red_text = "" if err else o.get("text", "")
        streams = None
        for s in r.secrets:
            # An error record is withheld entirely, so it leaks nothing.
            caught = err or all(mask[i] for a, b in s["spans"] for i in range(a, b) if r.text[i].isalnum())
            overall.add("all", caught)
            by["family"].add(s["family"], caught)
            by["type"].add(s["type"], caught)
            by["form"].add(s["form"], caught)
            by["class"].add(s["class"], caught)
            by["shape"].add(r.shape, caught)
            if not caught:
                leaks[s["type"]] += 1
                misses.append({"record": r, "secret": s})
            digits = _surface_digits(r.text, s["spans"])
            if len(digits) >= STRICT_WINDOW:
                if err:
                    ok = True
                else:
                    if streams is None:
                        streams = _redacted_streams(red_text)
                    windows = {digits[i:i + STRICT_WINDOW] for i in range(len(digits) - STRICT_WINDOW + 1)}
                    ok = not any(w in st for st in streams for w in windows)
                strict.add("all", ok)
                by["strict_type"].add(s["type"], ok)
        for ng in r.negatives:
            a, b = ng["span"]
            kept = not err and not any(int(f["start"]) < b and int(f["end"]) > a for f in findings)
            neg_by.add(ng["kind"], kept)
            neg_by.add("_all", kept)
        if r.secret_free:
            free_n += 1
            changed = err or red_text != r.text
            free_changed += changed
            free_findings += len(findings)
    summary = {
        "records": len(records),
        "secrets": overall.n["all"],
        "negatives": neg_by.n["_all"],
        "secret_free_records": free_n,
        "recall": round(overall.ok["all"] / max(1, overall.n["all"]), 4),
        "leaked": overall.n["all"] - overall.ok["all"],
        "card_number_leaks": leaks["card_number"],
        "card_cvv_leaks": leaks["card_cvv"],
        "strict_checked": strict.n["all"],
        "strict_leaks": strict.n["all"] - strict.ok["all"],
        "strict_pass_rate": round(strict.ok["all"] / max(1, strict.n["all"]), 4),
        "negatives_kept": round(neg_by.ok["_all"] / max(1, neg_by.n["_all"]), 4),
        "secret_free_changed": round(free_changed / max(1, free_n), 4),
        "secret_free_changed_n": free_changed,
        "findings_in_secret_free_records": free_findings,
        "errors": errors,
        "recall_by_family": by["family"].table(),
        "recall_by_class": by["class"].table(),
        "recall_by_type": by["type"].table(),
        "recall_by_shape": by["shape"].table(),
        "recall_by_form": by["form"].table(),
        "strict_by_type": by["strict_type"].table(),
        "negatives_kept_by_kind": {k: v for k, v in neg_by.table().items() if k != "_all"},
        "leaks_by_type": dict(sorted(leaks.items())),
    }
    return summary, misses


def _print_table(title: str, table: dict, out) -> None:
    print(f"\n{title}", file=out)
    for k, v in table.items():
        print(f"  {k:<32} {v['ok']:>5}/{v['n']:<5} {v['rate']:.4f}", file=out)


def print_summary(s: dict, out=sys.stdout) -> None:
    print("Independent redaction corpus (benchmarks/redaction/independent)", file=out)
    print(f"records {s['records']}  secrets {s['secrets']}  negatives {s['negatives']}  "
          f"secret-free records {s['secret_free_records']}", file=out)
    print(f"recall {s['recall']:.4f}  leaked {s['leaked']}  card_number leaks {s['card_number_leaks']}  "
          f"card_cvv leaks {s['card_cvv_leaks']}", file=out)
    print(f"strict (no {STRICT_WINDOW}-digit window survives): {s['strict_pass_rate']:.4f} of {s['strict_checked']} "
          f"({s['strict_leaks']} leaks)", file=out)
    print(f"negatives kept {s['negatives_kept']:.4f}  secret-free records changed {s['secret_free_changed']:.4f} "
          f"({s['secret_free_changed_n']})  errors {s['errors']}", file=out)
    if "cli_wall_seconds" in s:
        print(f"CLI wall time {s['cli_wall_seconds']:.2f} s for {s['input_bytes'] / 1e6:.2f} MB "
              "(one process, start-up included; not a throughput benchmark)", file=out)
    _print_table("recall by family", s["recall_by_family"], out)
    _print_table("recall by class", s["recall_by_class"], out)
    _print_table("recall by type", s["recall_by_type"], out)
    _print_table("recall by shape", s["recall_by_shape"], out)
    _print_table("recall by form", s["recall_by_form"], out)
    _print_table("strict pass by type", s["strict_by_type"], out)
    _print_table("negatives kept by kind", s["negatives_kept_by_kind"], out)


def show_misses(misses: list[dict], n: int, out=sys.stdout) -> None:
    print(f"\n--- {min(n, len(misses))} of {len(misses)} misses (auditor view: contains record text) ---", file=out)
    for m in misses[:n]:
        r, s = m["record"], m["secret"]
        a = max(0, min(sp[0] for sp in s["spans"]) - 120)
        b = min(len(r.text), max(sp[1] for sp in s["spans"]) + 60)
        pieces = [r.text[x:y] for x, y in s["spans"]]
        print(f"[{r.id}] {s['type']} / {s['form']} / {s['class']}: {pieces}", file=out)
        print("    ..." + r.text[a:b].replace("\n", " | ") + "...", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score `callstream redact` on the independent corpus.")
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--json", dest="json_out", help="write the aggregate summary as JSON to this path")
    ap.add_argument("--summary-only", action="store_true", help="aggregates only: no record ids or text")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N", help="auditors: print N misses with text")
    ap.add_argument("--cli", help="redactor command (default: the venv's `callstream redact`)")
    args = ap.parse_args(argv)
    records = generate(args.count, args.seed)
    cli = shlex.split(args.cli) if args.cli else default_cli()
    timing: dict = {}
    outs = run_cli(records, cli, timing=timing)
    summary, misses = score(records, outs)
    summary["seed"] = args.seed
    summary.update(timing)
    print_summary(summary)
    if not args.summary_only:
        ids = Counter(m["record"].id for m in misses)
        print(f"\nrecords with misses ({len(ids)}): {', '.join(sorted(ids)[:200])}")
        if args.show_misses:
            show_misses(misses, args.show_misses)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
