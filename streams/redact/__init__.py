"""Text redaction engine: card, bank and tax identifiers out of call transcripts.

Public API:

- `find_secrets(text) -> list[Finding]`: sorted, non-overlapping spans of the input text.
- `redact_text(text) -> RedactedText`: the text with typed placeholders (`[CARD ****4242]` keeps at
  most the last four digits of a card; `[CVV]`, `[PIN]`, `[IBAN]`, `[SSN]` ... keep nothing), the
  findings, counts per type (never values) and whether payment details were read out at all.

Pass a whole call transcript ("Agent: ...\\nUser: ...") as one text: numbers split across speaker
turns and agent read-backs are only caught with the whole call in view. Pure functions, no I/O.
"""

from streams.redact.engine import find_secrets, redact_text
from streams.redact.findings import FINDING_TYPES, PAYMENT_DETAIL_TYPES, PLACEHOLDERS, Finding, RedactedText

__all__ = [
    "FINDING_TYPES",
    "PAYMENT_DETAIL_TYPES",
    "PLACEHOLDERS",
    "Finding",
    "RedactedText",
    "find_secrets",
    "redact_text",
]
