"""Classification: an enriched call to the workflow actions finance must see, and their routes.

The walking skeleton uses simple rules: DialNexa's post-call `intent` when it names a workflow,
else keywords in the redacted transcript and summary. Every action says which signal it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.models import WORKFLOWS, EnrichedCall, WorkflowAction

REVIEW = "review"


@dataclass(frozen=True)
class WorkflowSpec:
    """What every action of a workflow carries for finance: mapped before launch."""

    action: str
    destination_object: str
    owner: str
    urgency: str
    next_step: str
    money_or_sensitive: bool  # changes money, access, legal terms or commitments: a human looks first


WORKFLOW_SPECS: dict[str, WorkflowSpec] = {
    "receipt_resend": WorkflowSpec(
        "send_receipt", "altoviz.receipt", "billing-support", "normal", "send receipt to the verified email", False
    ),
    "charge_dispute": WorkflowSpec(
        "open_dispute_ticket", "zendesk.ticket", "finance-disputes", "high", "review the disputed charge", True
    ),
    "invoice_resend": WorkflowSpec(
        "resend_invoice", "altoviz.sale_invoice", "billing-support", "normal", "send invoice to the verified email",
        False,
    ),
    "renewal_failed": WorkflowSpec(
        "follow_up_failed_renewal", "zendesk.ticket", "account-management", "high",
        "contact the customer about the failed renewal", False,
    ),
    "refund_approval": WorkflowSpec(
        "request_refund_approval", "sheets.review_row", "finance-approvals", "high", "approve or reject the refund",
        True,
    ),
    "billing_correction": WorkflowSpec(
        "record_pending_billing_change", "sheets.review_row", "finance-operations", "normal",
        "verify and apply the billing change in the finance system", True,
    ),
    "collections_log": WorkflowSpec(
        "log_collections_note", "altoviz.customer_note", "collections", "normal",
        "follow up by the promised deadline", False,
    ),
    "contact_sync": WorkflowSpec(
        "find_or_create_contact", "altoviz.contact", "billing-support", "low", "none: contact kept in sync", False,
    ),
}  # fmt: skip
assert set(WORKFLOW_SPECS) == set(WORKFLOWS)

_KEYWORDS: dict[str, re.Pattern[str]] = {
    "charge_dispute": re.compile(
        r"\b(dispute|didn'?t authori[sz]e|chargeback|unauthori[sz]ed charge|never made)", re.I
    ),
    "refund_approval": re.compile(r"\b(refund|money back)\b", re.I),
    "invoice_resend": re.compile(
        r"\b(resend|re-send|send (me )?(the |my )?invoice( again)?)\b.*\binvoice|\binvoice\b.*\b(again|resend)\b", re.I
    ),
    "receipt_resend": re.compile(r"\breceipt\b", re.I),
    "renewal_failed": re.compile(
        r"\b(renewal (failed|didn'?t go through)|failed renewal|subscription (failed|lapsed))", re.I
    ),
    "billing_correction": re.compile(
        r"\b(vat number|tax (id|number|exempt)|billing address|company name on the invoice)", re.I
    ),
    "collections_log": re.compile(r"\b(overdue|past due|promise to pay|payment plan|collections?)\b", re.I),
}
_CONTACT_WORKFLOWS = {
    "receipt_resend",
    "invoice_resend",
    "charge_dispute",
    "refund_approval",
    "renewal_failed",
}


def classify(enriched: EnrichedCall) -> list[WorkflowAction]:
    call = enriched.call
    text = " ".join([call.summary or "", *(turn.text for turn in call.transcript)])
    matched: dict[str, tuple[float, str]] = {}
    intent = (call.billing.intent or "").strip().lower()
    if intent in WORKFLOW_SPECS:
        matched[intent] = (0.95, "post_call_analysis.intent")
    for workflow, pattern in _KEYWORDS.items():
        if workflow not in matched and pattern.search(text):
            matched[workflow] = (0.75, f"transcript keywords for {workflow}")
    if matched.keys() & _CONTACT_WORKFLOWS and call.billing.email:
        matched.setdefault("contact_sync", (0.9, "billing.email with a customer-facing workflow"))
    actions = [
        _action(enriched, workflow, confidence, evidence) for workflow, (confidence, evidence) in matched.items()
    ]
    if not actions and call.transcript:
        actions.append(_unclassified(enriched))
    return actions


def routes(action: WorkflowAction) -> list[str]:
    """Topic names (without prefix) an action goes to: its workflow, plus review when a human must look."""
    destinations = [f"workflow.{action.workflow}"] if action.workflow in WORKFLOW_SPECS else []
    if action.review_required:
        destinations.append(f"workflow.{REVIEW}")
    return destinations


def _action(enriched: EnrichedCall, workflow: str, confidence: float, evidence: str) -> WorkflowAction:
    spec = WORKFLOW_SPECS[workflow]
    call = enriched.call
    reasons = []
    if spec.money_or_sensitive:
        reasons.append(f"{workflow} changes money or customer commitments")
    if enriched.redaction.payment_details_read_out:
        reasons.append("caller read out payment details")
    if confidence < 0.8:
        reasons.append("low-confidence classification")
    return WorkflowAction(
        idempotency_key=f"{call.call_id}:{workflow}:{spec.action}",
        call_id=call.call_id,
        workflow=workflow,
        action=spec.action,
        destination_object=spec.destination_object,
        owner=call.billing.finance_owner or spec.owner,
        status="pending_review" if reasons else "ready",
        urgency=spec.urgency,
        next_step=spec.next_step,
        record_url=call.billing.crm_url or call.billing.transcript_url,
        confidence=confidence,
        evidence=[evidence],
        review_required=bool(reasons),
        review_reasons=reasons,
        summary=(call.summary or "")[:500],
        customer_email=call.billing.email,
        customer_name=call.billing.customer_name,
        amount=call.billing.amount,
        invoice_number=call.billing.invoice_number,
        payment_id=call.billing.payment_id,
        transcript_url=call.billing.transcript_url,
        recording_url=call.recording_url,
    )


def _unclassified(enriched: EnrichedCall) -> WorkflowAction:
    call = enriched.call
    return WorkflowAction(
        idempotency_key=f"{call.call_id}:{REVIEW}:triage_unclassified_call",
        call_id=call.call_id,
        workflow=REVIEW,
        action="triage_unclassified_call",
        destination_object="sheets.review_row",
        owner="billing-support",
        status="pending_review",
        urgency="low",
        next_step="read the call and pick a workflow, or close it",
        confidence=0.0,
        evidence=["no workflow signal in intent, transcript or summary"],
        review_required=True,
        review_reasons=["no workflow matched the call"],
        summary=(call.summary or "")[:500],
        customer_email=call.billing.email,
        transcript_url=call.billing.transcript_url,
    )
