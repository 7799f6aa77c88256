"""The redaction stage over a whole call: every string in it, structured fields included.

Text detection lives in the text engine (`redact_text`); this module decides *where* to apply it:
- fields whose name says they hold a secret (card number, CVV, IBAN, SSN, ...) are dropped outright,
  whatever their value;
- every other string in the call is scanned and rewritten with typed placeholders;
- the transcript is scanned as one text, so numbers split across turns are caught, then cut back
  into turns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from schemas.models import CallEvent, RedactedCall, RedactionReport, SuppressionFlags, TranscriptTurn
from streams.redact import PLACEHOLDERS, redact_text
from streams.redact.fields import classify_key
from streams.redact.findings import CARD_NUMBER

REDACTOR_VERSION = "callstream-redact-1"

# Keys (in post-call analysis, metadata) whose value is a secret by definition.
_SECRET_KEY = re.compile(
    r"(card|cc_?num|pan$|cvv|cvc|security_code|expir|exp_date|pin$|pin_|iban|bic|swift|routing|"
    r"account_number|bank_account|sort_code|ssn|itin|ein$|tax_id|taxpayer|vat_number|nino|utr)",
    re.IGNORECASE,
)
# Structural fields that never hold free text and must keep their exact value.
_STRUCTURAL_FIELDS = frozenset(
    {"call_id", "event_type", "source_shape", "status", "direction", "call_type", "agent_id", "workspace_id",
     "hangup_reason", "sentiment", "speaker", "currency"}
)  # fmt: skip


def _is_secret_key(key: str) -> bool:
    """A field whose name says it holds a secret: the pattern above, or a name the text engine's
    field-name reader classifies as a secret field (camelCase "accountNumber", "sortCode", "taxId")."""
    if _SECRET_KEY.search(key):
        return True
    cue = classify_key(key)
    return cue is not None and cue.cue != "negative"


class RedactionFailed(RuntimeError):
    """Redaction could not complete: the event must be quarantined, never forwarded."""


def redact_call(call: CallEvent) -> RedactedCall:
    counts: Counter[str] = Counter()
    dropped: list[str] = []
    read_out = False

    def scan(text: str) -> str:
        nonlocal read_out
        result = redact_text(text)
        counts.update(result.counts)
        read_out = read_out or result.payment_details_read_out
        return result.text

    data = call.model_dump(mode="python")
    transcript, transcript_counts, transcript_read_out = redact_transcript(call.transcript)
    data["transcript"] = transcript
    counts.update(transcript_counts)
    read_out = read_out or transcript_read_out
    for mapping_name in ("post_call_analysis", "metadata"):
        kept = {}
        for key, value in data[mapping_name].items():
            if _is_secret_key(key):
                dropped.append(f"{mapping_name}.{key}")
            else:
                kept[key] = scan(value)
        data[mapping_name] = kept
    for key, value in list(data.items()):
        if key not in ("transcript", "post_call_analysis", "metadata"):
            data[key] = _scan_value(key, value, scan)
    data["suppression"] = _suppression(counts, call.suppression, dropped).model_dump()
    try:
        redacted = CallEvent.model_validate(data)
    except Exception as error:  # the model refused what the redactor produced: fail closed
        raise RedactionFailed(f"redacted call failed validation ({type(error).__name__})") from None
    report = RedactionReport(
        counts=dict(sorted(counts.items())),
        dropped_fields=dropped,
        payment_details_read_out=read_out,
        redactor_version=REDACTOR_VERSION,
    )
    return RedactedCall(call=redacted, redaction=report)


def redact_transcript(turns: list[TranscriptTurn]) -> tuple[list[dict[str, str]], Counter[str], bool]:
    """Redact the transcript as one text (a number read over several turns is one number), then cut
    the result back into the same turns. Anything that does not line up fails closed."""
    if not turns:
        return [], Counter(), False
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for index, turn in enumerate(turns):
        # The engine knows "Speaker: text" lines; labels it never redacts let it bridge turns.
        prefix = ("\n" if index else "") + f"{turn.speaker}: "
        pieces.extend((prefix, turn.text))
        spans.append((length + len(prefix), length + len(prefix) + len(turn.text)))
        length += len(prefix) + len(turn.text)
    joined = "".join(pieces)
    result = redact_text(joined)
    wanted = [offset for span in spans for offset in span]
    to_output = _output_positions(joined, result.text, result.findings, wanted)
    redacted_turns = []
    for turn, (start, end) in zip(turns, spans, strict=True):
        redacted_turns.append({"speaker": turn.speaker, "text": result.text[to_output[start] : to_output[end]]})
    return redacted_turns, Counter(result.counts), result.payment_details_read_out


_CARD_WITH_LAST4 = re.compile(r"\[CARD \*{4}\d{4}\]")


def _output_positions(source: str, output: str, findings: list[Any], wanted: list[int]) -> dict[int, int]:
    """Where each `wanted` input offset lands in the redacted output.

    Walks the findings, checking that the output holds exactly the expected placeholder at each one;
    a wanted offset inside a finding (a placeholder crossing a speaker label) fails closed.
    """
    plain_segments: list[tuple[int, int, int]] = []  # (source start, output start, length) of kept text
    source_cursor = output_cursor = 0
    for finding in findings:
        kept = finding.start - source_cursor
        plain_segments.append((source_cursor, output_cursor, kept))
        at = output_cursor + kept
        card = _CARD_WITH_LAST4.match(output, at) if finding.type == CARD_NUMBER else None
        placeholder = card.group(0) if card else PLACEHOLDERS[finding.type]
        if not output.startswith(placeholder, at):
            raise RedactionFailed("redacted text does not match the findings")
        source_cursor, output_cursor = finding.end, at + len(placeholder)
    plain_segments.append((source_cursor, output_cursor, len(source) - source_cursor))
    if output_cursor + len(source) - source_cursor != len(output):
        raise RedactionFailed("redacted text length does not match the findings")
    positions: dict[int, int] = {}
    for offset in wanted:
        segment = next((seg for seg in plain_segments if seg[0] <= offset <= seg[0] + seg[2]), None)
        if segment is None:
            raise RedactionFailed("a redacted span crossed a speaker label")
        positions[offset] = segment[1] + offset - segment[0]
    return positions


def _scan_value(key: str, value: Any, scan: Callable[[str], str]) -> Any:
    if key in _STRUCTURAL_FIELDS:
        return value
    if isinstance(value, str):
        return scan(value)
    if isinstance(value, dict):
        return {k: _scan_value(k, v, scan) for k, v in value.items()}
    if isinstance(value, list):
        return [_scan_value(key, item, scan) for item in value]
    return value


_BANK_TYPES = {"iban", "bic", "us_routing_number", "us_bank_account", "uk_sort_code", "uk_bank_account"}
_TAX_TYPES = {"us_ssn", "us_itin", "us_ein", "uk_nino", "uk_utr", "vat_number"}


def _suppression(counts: Counter[str], before: SuppressionFlags, dropped: list[str]) -> SuppressionFlags:
    found = set(counts)
    dropped_text = " ".join(dropped).lower()
    return SuppressionFlags(
        card_numbers=before.card_numbers
        or bool(found & {"card_number", "card_cvv", "card_expiry", "pin"})
        or any(word in dropped_text for word in ("card", "cvv", "cvc", "expir")),
        bank_details=before.bank_details
        or bool(found & _BANK_TYPES)
        or any(word in dropped_text for word in ("iban", "routing", "account_number", "sort_code", "bank")),
        tax_identifiers=before.tax_identifiers
        or bool(found & _TAX_TYPES)
        or any(word in dropped_text for word in ("ssn", "tax", "vat", "nino", "utr", "itin", "ein")),
        private_documents=before.private_documents,
    )
