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
from dataclasses import dataclass, field
from typing import Any

from stdnum import luhn

from schemas.models import CallEvent, RedactedCall, RedactionReport, SuppressionFlags, TranscriptTurn

REDACTOR_VERSION = "skeleton-1"

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

_CARD_CANDIDATE = re.compile(r"(?<![\w])\d(?:[ -]?\d){12,18}(?![\w])")
_TURN_SEPARATOR = "\n\u241e\n"  # a record-separator glyph no transcript contains


@dataclass
class TextRedaction:
    text: str
    counts: Counter[str] = field(default_factory=Counter)
    payment_details_read_out: bool = False


def redact_text(text: str) -> TextRedaction:
    """A first, simple rule: Luhn-valid 13-19 digit card numbers, contiguous or grouped."""
    counts: Counter[str] = Counter()

    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if not luhn.is_valid(digits):
            return match.group(0)
        counts["card_number"] += 1
        return f"[CARD ****{digits[-4:]}]"

    redacted = _CARD_CANDIDATE.sub(replace, text)
    return TextRedaction(redacted, counts, payment_details_read_out=counts["card_number"] > 0)


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
    data["transcript"] = _redact_transcript(call.transcript, scan)
    for mapping_name in ("post_call_analysis", "metadata"):
        kept = {}
        for key, value in data[mapping_name].items():
            if _SECRET_KEY.search(key):
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


def _redact_transcript(turns: list[TranscriptTurn], scan: Any) -> list[dict[str, str]]:
    if not turns:
        return []
    # One text for the whole call: a number read in two turns is still one number.
    joined = _TURN_SEPARATOR.join(turn.text for turn in turns)
    pieces = scan(joined).split(_TURN_SEPARATOR)
    if len(pieces) != len(turns):
        raise RedactionFailed("a placeholder spanned speaker turns and the transcript could not be re-split")
    return [{"speaker": turn.speaker, "text": text} for turn, text in zip(turns, pieces, strict=True)]


def _scan_value(key: str, value: Any, scan: Any) -> Any:
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
