"""`python -m streams.redact.cli` (wired as `callstream redact`) follows the JSON-lines contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "streams.redact.cli"],
        input=stdin,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )


def test_contract_one_line_out_per_line_in_with_input_offsets() -> None:
    card_text = "User: my card is 4111 1111 1111 1111 and the CVV is 737"
    lines = [
        json.dumps({"id": "a", "text": card_text}),
        json.dumps({"id": 2, "text": "Agent: invoice INV-2024-00123 is paid."}),
        "this is not json 4111111111111111",
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"text": "no id here"}),
    ]
    stdin = ("\n".join(lines) + "\n").encode() + b'{"id": "d", "text": "\xff\xfe"}\n'
    completed = run_cli(stdin)
    assert completed.returncode == 0
    outputs = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert len(outputs) == 6

    first = outputs[0]
    assert set(first) == {"id", "text", "findings"}
    assert first["id"] == "a"
    assert first["text"] == "User: my card is [CARD ****1111] and the CVV is [CVV]"
    assert [(item["type"], card_text[item["start"] : item["end"]]) for item in first["findings"]] == [
        ("card_number", "4111 1111 1111 1111"),
        ("card_cvv", "737"),
    ]
    assert outputs[1] == {"id": 2, "text": "Agent: invoice INV-2024-00123 is paid.", "findings": []}

    assert outputs[2]["id"] is None and "error" in outputs[2]
    assert outputs[3]["id"] == "c" and "error" in outputs[3]
    assert outputs[4]["id"] is None and "error" in outputs[4]
    assert outputs[5]["id"] is None and "error" in outputs[5]
    # bad lines are never echoed
    assert b"4111111111111111" not in completed.stdout
    assert b"no id here" not in completed.stdout


def test_empty_input_gives_empty_output() -> None:
    completed = run_cli(b"")
    assert completed.returncode == 0
    assert completed.stdout == b""
