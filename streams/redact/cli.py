"""`callstream redact`: dry-run the redactor on JSON lines (contract, DESIGN.md section 6).

Input, one JSON object per line:   {"id": ..., "text": "..."}
Output, one line per input line, in order:
    {"id": ..., "text": "<redacted text>", "findings": [{"type", "start", "end"}, ...]}
Offsets in `findings` index the *input* text (Python string indices, i.e. code points).
A line that cannot be processed gives {"id": <id or null>, "error": "<reason>"}; the bad line's
text is never echoed, since it may hold the very data being removed. The exit code is 0 unless
standard input itself cannot be read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from streams.redact import redact_text

# One call transcript is tens of kB; anything far beyond is a broken producer, not a call.
MAX_TEXT_CHARS = 5_000_000


def _input_lines(stdin: TextIO) -> Iterator[str | UnicodeDecodeError]:
    """Lines without their newline; undecodable lines come back as the decode error."""
    raw = getattr(stdin, "buffer", None)
    if raw is None:
        for line in stdin:
            yield line.rstrip("\r\n")
        return
    for raw_line in raw:
        try:
            yield raw_line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as error:
            yield error


def _process(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return {"id": None, "error": "line is not valid JSON"}
    if not isinstance(record, dict):
        return {"id": None, "error": "line is not a JSON object"}
    record_id = record.get("id")
    if not isinstance(record_id, str | int) or isinstance(record_id, bool):
        record_id = None
    if record_id is None:
        return {"id": None, "error": "missing or invalid 'id' (string or integer expected)"}
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": record_id, "error": "missing or invalid 'text' (string expected)"}
    if len(text) > MAX_TEXT_CHARS:
        return {"id": record_id, "error": f"'text' longer than {MAX_TEXT_CHARS} characters"}
    try:
        result = redact_text(text)
    except Exception:  # fail closed: report the record, never pass its text through
        return {"id": record_id, "error": "redaction failed"}
    return {
        "id": record_id,
        "text": result.text,
        "findings": [{"type": finding.type, "start": finding.start, "end": finding.end} for finding in result.findings],
    }


def run(stdin: TextIO, stdout: TextIO) -> int:
    try:
        for line in _input_lines(stdin):
            if isinstance(line, UnicodeDecodeError):
                output: dict[str, Any] = {"id": None, "error": "line is not valid UTF-8"}
            else:
                output = _process(line)
            stdout.write(json.dumps(output) + "\n")
    except OSError as error:
        print(f"callstream redact: cannot read standard input: {error.strerror or error}", file=sys.stderr)
        stdout.flush()
        return 1
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.stdin, sys.stdout))
