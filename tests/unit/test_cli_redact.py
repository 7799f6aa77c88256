"""`callstream redact` follows the auditors' contract (DESIGN §6) through the real console entry point."""

from __future__ import annotations

import json
import subprocess
import sys


def test_callstream_redact_contract() -> None:
    lines = [
        {"id": "1", "text": "card 4111 1111 1111 1111, invoice INV-2026-0042"},
        {"id": "2", "text": "nothing secret here"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "callstream.cli", "redact"], input=stdin, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["id"] == "1" and first["text"] == "card [CARD ****1111], invoice INV-2026-0042"
    [finding] = first["findings"]
    assert lines[0]["text"][finding["start"] : finding["end"]] == "4111 1111 1111 1111"  # offsets into the input
    assert finding["type"] == "card_number"
    assert second == {"id": "2", "text": "nothing secret here", "findings": []}
