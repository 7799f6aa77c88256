"""Issue 4 acceptance: a call with every secret type leaves no trace downstream or in the worker log."""

from __future__ import annotations

import json
import re

import pytest

from callstream.kafkaio import produce
from callstream.settings import Settings
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration

# (secret as the caller said it, finding type). Values are checksum-valid test numbers.
SECRETS = [
    ("4111 1111 1111 1111", "card_number"),
    ("3782 822463 10005", "card_number"),
    ("2223 0000 4840 0011", "card_number"),
    ("09/28", "card_expiry"),
    ("737", "card_cvv"),
    ("4931", "pin"),
    ("GB82 WEST 1234 5698 7654 32", "iban"),
    ("DEUTDEFF", "bic"),
    ("021000021", "us_routing_number"),
    ("123456789012", "us_bank_account"),
    ("20-00-00", "uk_sort_code"),
    ("55779911", "uk_bank_account"),
    ("536-22-1234", "us_ssn"),
    ("912-70-1234", "us_itin"),
    ("04-2103594", "us_ein"),
    ("AB 12 34 56 C", "uk_nino"),
    ("1955839661", "uk_utr"),
    ("DE136695976", "vat_number"),
    ("sk_live_51HqLyjWDarjtT1zdp7dcXAMPLE0000", "secret_api_key"),
]
TRANSCRIPT = """Agent: Thanks for calling billing, how can I help?
User: I want a refund. My card is {0}, expires {3}, security code {4}. The amex is {1}, the mastercard {2}.
User: my pin is {5}.
User: pay it back by bank: IBAN {6}, BIC {7}.
User: or routing number {8} and checking account number {9}.
User: or UK sort code {10}, account number {11}.
User: my social security number is {12}, my ITIN is {13}, our EIN is {14}.
User: national insurance number {15}, UTR {16}, our VAT number is {17}.
Agent: Please never read those out. And the key you pasted, {18}, is revoked.""".format(*(s for s, _ in SECRETS))


def digits_or_text(secret: str) -> str:
    digits = re.sub(r"\D", "", secret)
    return digits if len(digits) >= 8 else secret


def test_every_secret_type_is_gone_downstream_and_from_the_log(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    worker = start_worker()
    payload = {
        "event_type": "call_ended",
        "payload": {
            "call": {
                "id": "call_secrets",
                "status": "completed",
                "transcript": TRANSCRIPT,
                "summary": f"Caller read card {SECRETS[0][0]} and IBAN {SECRETS[6][0]} aloud.",
                "post_call_analysis": {"email": "ana@acme.example", "card_number": SECRETS[0][0], "notes": TRANSCRIPT},
            }
        },
    }
    produce(
        settings.bootstrap_servers,
        settings.topic("dialnexa.calls.raw"),
        [(b"call_secrets", json.dumps(payload).encode())],
    )
    values = read_until(
        settings, ["calls.redacted", "sink.results", "calls.deadletter"], until=lambda v: len(v["sink.results"]) >= 2
    )
    [redacted] = values["calls.redacted"]
    assert values["calls.deadletter"] == []
    expected_types = {kind for _, kind in SECRETS}
    assert set(redacted.redaction.counts) == expected_types
    assert redacted.redaction.payment_details_read_out
    flags = redacted.call.suppression
    assert flags.card_numbers and flags.bank_details and flags.tax_identifiers
    assert "post_call_analysis.card_number" in redacted.redaction.dropped_fields

    downstream = redacted.model_dump_json()
    compact = re.sub(r"\s|-|/", "", downstream)
    worker.stop()  # flush the log
    log = worker.log_path.read_text()
    for secret, kind in SECRETS:
        needle = digits_or_text(secret)
        for name, text in (("calls.redacted", downstream), ("compact calls.redacted", compact), ("worker log", log)):
            if kind in {"card_cvv", "pin", "card_expiry"}:
                # Short values occur innocently (e.g. in a timestamp); check them in their sentence.
                assert (
                    f"code {secret}" not in text and f"pin is {secret}" not in text and f"expires {secret}" not in text
                )
            else:
                assert needle not in text, f"{kind} survived in {name}"


def test_redaction_timeout_quarantines_the_call(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings.model_copy(update={"redaction_timeout_seconds": 1e-6})
    start_worker(settings)
    call = {"call_id": "call_slow", "status": "completed", "transcript": TRANSCRIPT * 50}
    produce(
        settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), [(b"call_slow", json.dumps(call).encode())]
    )
    values = read_until(
        settings, ["calls.deadletter", "calls.redacted"], until=lambda v: len(v["calls.deadletter"]) >= 1
    )
    [letter] = values["calls.deadletter"]
    assert letter.call_id == "call_slow" and letter.stage == "redact"
    assert letter.reason.startswith("quarantined: redaction took longer than")
    assert letter.payload is None
    assert values["calls.redacted"] == []
