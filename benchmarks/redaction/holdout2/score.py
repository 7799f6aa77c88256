"""Score `callstream redact` on the second hold-out corpus, as a black box (see README.md).

    python -m benchmarks.redaction.holdout2.score --summary-only     # tuners: aggregates only
    python -m benchmarks.redaction.holdout2.score --json out.json    # + missed ids and pieces
    python -m benchmarks.redaction.holdout2.score --show-misses 50   # auditors only

All records go through the CLI's stdin in one batch; only its JSON-lines output is read.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from collections import defaultdict
from typing import Any

from benchmarks.redaction.holdout2.generate import DEFAULT_COUNT, DEFAULT_SEED, generate

DEFAULT_CLI = ".venv/bin/callstream redact"
TIMEOUT_SECONDS = 600


def run_cli(cli: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stdin = "".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in records)
    proc = subprocess.run(
        shlex.split(cli), input=stdin.encode("utf-8"), capture_output=True, timeout=TIMEOUT_SECONDS, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"redact CLI exited {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
    lines = proc.stdout.decode("utf-8").splitlines()
    if len(lines) != len(records):
        raise SystemExit(f"redact CLI gave {len(lines)} lines for {len(records)} records")
    outputs = [json.loads(line) for line in lines]
    for record, out in zip(records, outputs, strict=True):
        if out.get("id") != record["id"]:
            raise SystemExit(f"output out of order: expected id {record['id']!r}, got {out.get('id')!r}")
    return outputs


def coverage(text: str, findings: list[dict[str, Any]]) -> bytearray:
    mask = bytearray(len(text))
    for f in findings:
        start, end = max(0, int(f["start"])), min(len(text), int(f["end"]))
        mask[start:end] = b"\x01" * max(0, end - start)
    return mask


def caught(text: str, mask: bytearray, spans: list[list[int]]) -> bool:
    """Every letter and digit of every span lies inside some finding."""
    return all(mask[p] for s, e in spans for p in range(s, e) if text[p].isalnum())


def overlaps(findings: list[dict[str, Any]], span: list[int]) -> bool:
    return any(int(f["start"]) < span[1] and int(f["end"]) > span[0] for f in findings)


def coarse(form: str) -> str:
    return form.split(":")[0]


def score(records: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> dict[str, Any]:
    tallies: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    negatives: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[dict[str, Any]] = []
    lost: list[dict[str, Any]] = []
    free_total = free_changed = errors = 0
    leaks = {"card_number": 0, "card_cvv": 0}
    for record, out in zip(records, outputs, strict=True):
        text = record["text"]
        failed = "error" in out
        errors += failed
        findings = [] if failed else out.get("findings", [])
        mask = coverage(text, findings)
        for s in record["secrets"]:
            ok = failed or caught(text, mask, s["spans"])
            keys = {
                "overall": "all",
                "family": s["family"],
                "class": s["cls"],
                "type": s["type"],
                "shape": record["shape"],
                "form": coarse(s["form"]),
                "type:form": f"{s['type']}:{s['form']}",
            }
            for table, key in keys.items():
                tallies[table][key][0] += ok
                tallies[table][key][1] += 1
            if not ok:
                if s["type"] in leaks:
                    leaks[s["type"]] += 1
                misses.append(
                    {
                        "id": record["id"],
                        "type": s["type"],
                        "class": s["cls"],
                        "form": s["form"],
                        "pieces": [text[a:b] for a, b in s["spans"]],
                        "spans": s["spans"],
                    }
                )
        for n in record["negatives"]:
            kept = not failed and not overlaps(findings, n["span"])
            negatives[n["kind"]][0] += kept
            negatives[n["kind"]][1] += 1
            if not kept:
                lost.append({"id": record["id"], "kind": n["kind"], "text": text[n["span"][0] : n["span"][1]]})
        if not record["secrets"]:
            free_total += 1
            free_changed += failed or out.get("text") != text
    neg_kept = sum(v[0] for v in negatives.values())
    neg_total = sum(v[1] for v in negatives.values())
    return {
        "tables": {k: {kk: list(vv) for kk, vv in v.items()} for k, v in tallies.items()},
        "negatives": {k: list(v) for k, v in negatives.items()},
        "negatives_kept": [neg_kept, neg_total],
        "leaks": leaks,
        "secret_free_changed": [free_changed, free_total],
        "errors": errors,
        "records": len(records),
        "misses": misses,
        "negatives_lost": lost,
    }


def _rate(pair: list[int]) -> str:
    ok, total = pair
    return f"{ok / total:.3f}" if total else "  n/a"


def report(result: dict[str, Any], forms: int) -> str:
    lines = []
    t = result["tables"]
    overall = t["overall"]["all"]
    lines.append(
        f"records {result['records']}, secrets {overall[1]}, negatives {result['negatives_kept'][1]}, "
        f"errors {result['errors']}"
    )
    lines.append(f"recall {_rate(overall)} ({overall[1] - overall[0]} of {overall[1]} leaked)")
    lines.append(f"card_number leaks {result['leaks']['card_number']}, card_cvv leaks {result['leaks']['card_cvv']}")
    nk = result["negatives_kept"]
    lines.append(f"negatives kept {_rate(nk)} ({nk[1] - nk[0]} of {nk[1]} lost)")
    fc = result["secret_free_changed"]
    lines.append(f"secret-free records changed {100 * fc[0] / max(1, fc[1]):.1f} % ({fc[0]} of {fc[1]})")
    for table in ("family", "class", "type", "shape", "form"):
        lines.append(f"\nrecall by {table}:")
        for key, pair in sorted(t[table].items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0])):
            lines.append(f"  {key:28} {_rate(pair)}  ({pair[0]}/{pair[1]})")
    lines.append("\nnegatives kept by kind:")
    for key, pair in sorted(result["negatives"].items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0])):
        lines.append(f"  {key:28} {_rate(pair)}  ({pair[0]}/{pair[1]})")
    if forms:
        pairs = [(k, v) for k, v in t["type:form"].items() if v[1] >= 5]
        pairs.sort(key=lambda kv: (kv[1][0] / kv[1][1], -kv[1][1], kv[0]))
        lines.append(f"\nweakest type:form pairs (at least 5 cases, {forms} shown):")
        for key, pair in pairs[:forms]:
            lines.append(f"  {key:56} {_rate(pair)}  ({pair[0]}/{pair[1]})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default=DEFAULT_CLI, help=f"redact command (default {DEFAULT_CLI!r})")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--forms", type=int, default=12, help="weakest type:form pairs to list")
    parser.add_argument("--summary-only", action="store_true", help="aggregates only: what a tuner may see")
    parser.add_argument("--json", metavar="PATH", help="write aggregates plus missed ids and pieces as JSON")
    parser.add_argument(
        "--show-misses",
        type=int,
        default=0,
        metavar="N",
        help="print N missed secrets and lost negatives (auditors only)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    records = generate(args.count, args.seed)
    outputs = run_cli(args.cli, records)
    result = score(records, outputs)
    print(f"holdout2 seed {args.seed}, cli {args.cli!r}, {time.monotonic() - started:.1f} s")
    print(report(result, args.forms))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({k: v for k, v in result.items()}, handle, ensure_ascii=False, indent=1)
        print(f"\nwrote {args.json}")
    if args.show_misses and not args.summary_only:
        print(f"\nmissed secrets (first {args.show_misses}):")
        for miss in result["misses"][: args.show_misses]:
            print(f"  {miss['id']} {miss['type']} {miss['class']} {miss['form']}: {miss['pieces']}")
        print(f"\nlost negatives (first {args.show_misses}):")
        for item in result["negatives_lost"][: args.show_misses]:
            print(f"  {item['id']} {item['kind']}: {item['text']!r}")
    elif args.show_misses:
        print("--show-misses ignored with --summary-only", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
