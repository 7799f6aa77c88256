"""WorkflowActions for sink tests, built from fields only (no classifier involved)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from schemas.models import Money, WorkflowAction

DESTINATIONS = {
    "receipt_resend": ("send_receipt", "altoviz.receipt"),
    "charge_dispute": ("open_dispute_ticket", "zendesk.ticket"),
    "invoice_resend": ("resend_invoice", "altoviz.sale_invoice"),
    "renewal_failed": ("follow_up_failed_renewal", "zendesk.ticket"),
    "refund_approval": ("request_refund_approval", "sheets.review_row"),
    "billing_correction": ("record_pending_billing_change", "sheets.review_row"),
    "collections_log": ("log_collections_note", "altoviz.customer_note"),
    "contact_sync": ("find_or_create_contact", "altoviz.contact"),
}
FIXED_TIME = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make_action(call_id: str, workflow: str, **fields: Any) -> WorkflowAction:
    action, destination = DESTINATIONS[workflow]
    values: dict[str, Any] = {
        "idempotency_key": f"{call_id}:{workflow}:{action}",
        "call_id": call_id,
        "workflow": workflow,
        "action": action,
        "destination_object": destination,
        "owner": "finance-ops",
        "status": "ready",
        "urgency": "normal",
        "next_step": "look at it",
        "confidence": 0.9,
        "summary": f"Caller on {call_id} asked about {workflow.replace('_', ' ')}.",
        "customer_email": f"{call_id}@customers.example",
        "customer_name": "Ana Lima",
        "amount": Money(amount=Decimal("49.00"), currency="EUR"),
        "transcript_url": f"https://dialnexa.example/calls/{call_id}/transcript",
        "created_at": datetime.now(UTC),
    }
    values.update(fields)
    return WorkflowAction(**values)
