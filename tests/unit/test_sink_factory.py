"""Which sink each vendor gets, and strict mode (CALLSTREAM_REQUIRE_VENDORS)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from callstream.settings import Settings
from sinks.factory import VendorsNotConfigured, build_sinks, missing_credentials
from sinks.outbox import Outbox

ROOT = Path(__file__).resolve().parents[2]
ALL_VENDORS = {
    "altoviz_api_key": SecretStr("k"),
    "zendesk_base_url": "https://acme.zendesk.example",
    "zendesk_email": "agent@acme.example",
    "zendesk_api_token": SecretStr("t"),
    "google_sheets_spreadsheet_id": "sheet",
    "google_sheets_token": SecretStr("g"),
    "slack_webhook_url": SecretStr("https://hooks.slack.example/services/T/B/x"),
    "quickbooks_realm_id": "9130355377",
    "quickbooks_client_id": "qbo-client",
    "quickbooks_client_secret": SecretStr("qbo-secret"),
    "quickbooks_refresh_token": SecretStr("qbo-rt"),
    "quickbooks_refund_item_id": "21",
    "quickbooks_refund_account_id": "35",
    "gmail_sender": "billing@acme.example",
    "gmail_token": SecretStr("ya29.static"),
}


def test_strict_mode_names_every_missing_vendor_its_workflows_and_variables(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, require_vendors=True, altoviz_api_key=SecretStr("k"), zendesk_email="a@b.example"
    )
    with pytest.raises(VendorsNotConfigured) as raised:
        build_sinks(settings, Outbox(tmp_path / "o.sqlite3"), httpx.AsyncClient())
    message = str(raised.value)
    assert "altoviz" not in message.split("credentials:")[1]
    assert "zendesk (workflows receipt_resend, charge_dispute, renewal_failed, refund_approval): " in message
    assert "set ZENDESK_BASE_URL, ZENDESK_API_TOKEN;" in message  # the email is set
    assert "GOOGLE_SHEETS_SPREADSHEET_ID, GOOGLE_SHEETS_TOKEN or GOOGLE_APPLICATION_CREDENTIALS" in message
    assert "slack (workflows receipt_resend," in message and "SLACK_WEBHOOK_URL" in message


def test_strict_mode_with_every_vendor_configured_builds_vendor_sinks_and_off_it_falls_back(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    strict = Settings(_env_file=None, require_vendors=True, **ALL_VENDORS)
    assert missing_credentials(strict) == {}
    sinks = build_sinks(strict, outbox, httpx.AsyncClient())
    assert {vendor: sink.name for vendor, sink in sinks.items()} == {
        v: v for v in ("altoviz", "zendesk", "sheets", "slack", "quickbooks", "gmail")
    }
    relaxed = build_sinks(Settings(_env_file=None), outbox, httpx.AsyncClient())
    assert {sink.name for sink in relaxed.values()} == {
        "outbox:altoviz",
        "outbox:zendesk",
        "outbox:sheets",
        "outbox:slack",
        "outbox:quickbooks",
        "outbox:gmail",
    }


def test_worker_refuses_to_start_in_strict_mode_with_a_clear_error(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CALLSTREAM_", "ALTOVIZ_", "ZENDESK_", "GOOGLE_", "SLACK_"))
    }
    environment.update({
        "CALLSTREAM_REQUIRE_VENDORS": "true",
        "CALLSTREAM_DATA_DIR": str(tmp_path / "data"),
        "CALLSTREAM_OUTBOX_PATH": str(tmp_path / "outbox.sqlite3"),
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",  # never reached: it refuses before connecting
    })  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "callstream.cli", "worker"],
        cwd=tmp_path, env={**environment, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 78, done.stderr[-2000:]
    assert "refusing to start: CALLSTREAM_REQUIRE_VENDORS is set" in done.stderr
    assert "altoviz (workflows receipt_resend, charge_dispute," in done.stderr and "ALTOVIZ_API_KEY" in done.stderr


def test_quickbooks_and_gmail_fall_back_to_the_outbox_naming_what_is_missing(tmp_path: Path) -> None:
    partial = Settings(_env_file=None, quickbooks_realm_id="1", gmail_token=SecretStr("t"))
    missing = missing_credentials(partial)
    assert missing["quickbooks"] == [
        "CALLSTREAM_QUICKBOOKS_CLIENT_ID",
        "CALLSTREAM_QUICKBOOKS_CLIENT_SECRET",
        "CALLSTREAM_QUICKBOOKS_REFRESH_TOKEN",
        "CALLSTREAM_QUICKBOOKS_REFUND_ITEM_ID",
        "CALLSTREAM_QUICKBOOKS_REFUND_ACCOUNT_ID",
    ]
    assert missing["gmail"] == ["CALLSTREAM_GMAIL_SENDER"]
    sinks = build_sinks(partial, Outbox(tmp_path / "o.sqlite3"), httpx.AsyncClient())
    assert sinks["quickbooks"].name == "outbox:quickbooks" and sinks["gmail"].name == "outbox:gmail"
    # Not routed yet (the approvals loop decides): strict mode does not ask for them.
    strict = Settings(_env_file=None, require_vendors=True, **{
        k: v for k, v in ALL_VENDORS.items() if not k.startswith(("quickbooks_", "gmail_"))
    })  # fmt: skip
    assert set(build_sinks(strict, Outbox(tmp_path / "o2.sqlite3"), httpx.AsyncClient())) >= {"quickbooks", "gmail"}
