"""Which sinks an action needs, decided from WorkflowAction fields only (never classifier internals).

An action can arrive twice: on `workflow.<name>` and, when a human must look, on `workflow.review`
too, with the same idempotency key. Each (action, sink) pair is owned by exactly one of the two
topics so two agents never race on the same write:

| workflow topic       | writes                                                                        |
|----------------------|-------------------------------------------------------------------------------|
| receipt_resend       | Altoviz: send the paid invoice to the verified email; if review is required   |
|                      | (email unverified) a Zendesk ticket instead, never an automatic send          |
| charge_dispute       | Zendesk ticket + Altoviz customer note                                        |
| invoice_resend       | Altoviz: find invoice by number, send to the verified email (not if review)   |
| renewal_failed       | Zendesk ticket + Altoviz customer note                                        |
| refund_approval      | Zendesk ticket (+ Sheets review row when no review copy exists)               |
| billing_correction   | Sheets review row (a pending-change record) when no review copy exists        |
| collections_log      | Altoviz customer note                                                         |
| contact_sync         | Altoviz contact: find by internalId, email, phone, else create                |
| review               | Sheets review row, for every action on it                                     |
| any (own topic)      | + Slack alert when the action's urgency is in `slack_alert_urgencies`         |

Slack is sent from the action's own workflow topic; from `workflow.review` only for actions whose
workflow has no topic of its own (unclassified calls).
"""

from __future__ import annotations

from schemas.models import WORKFLOWS, WorkflowAction

ALTOVIZ = "altoviz"
ZENDESK = "zendesk"
SHEETS = "sheets"
SLACK = "slack"
VENDORS: tuple[str, ...] = (ALTOVIZ, ZENDESK, SHEETS, SLACK)
REVIEW = "review"

# Every sink an agent on this topic may ever write: the worker starts one agent per pair.
TOPIC_SINKS: dict[str, tuple[str, ...]] = {
    "receipt_resend": (ALTOVIZ, ZENDESK, SLACK),
    "charge_dispute": (ZENDESK, ALTOVIZ, SLACK),
    "invoice_resend": (ALTOVIZ, SLACK),
    "renewal_failed": (ZENDESK, ALTOVIZ, SLACK),
    "refund_approval": (ZENDESK, SHEETS, SLACK),
    "billing_correction": (SHEETS, SLACK),
    "collections_log": (ALTOVIZ, SLACK),
    "contact_sync": (ALTOVIZ, SLACK),
    REVIEW: (SHEETS, SLACK),
}
assert set(TOPIC_SINKS) == {*WORKFLOWS, REVIEW}


def needs(topic_workflow: str, sink: str, action: WorkflowAction, alert_urgencies: frozenset[str]) -> bool:
    """Does the agent for (`topic_workflow`, `sink`) write this action?"""
    if sink not in TOPIC_SINKS.get(topic_workflow, ()):
        return False
    if sink == SLACK:
        own_topic = topic_workflow == action.workflow or (topic_workflow == REVIEW and action.workflow not in WORKFLOWS)
        return own_topic and action.urgency.lower() in alert_urgencies
    if topic_workflow == REVIEW:
        return sink == SHEETS
    if sink == SHEETS:
        return not action.review_required  # with review required, the review topic's copy writes the row
    if topic_workflow in ("receipt_resend", "invoice_resend") and sink == ALTOVIZ:
        return not action.review_required  # never send a document to an unverified address
    if topic_workflow == "receipt_resend" and sink == ZENDESK:
        return action.review_required
    return True


def altoviz_operation(action: WorkflowAction) -> str:
    """contact | send_invoice | customer_note, from the workflow (destination_object as a fallback)."""
    if action.workflow == "contact_sync" or action.destination_object == "altoviz.contact":
        return "contact"
    if action.workflow in ("invoice_resend", "receipt_resend"):
        return "send_invoice"
    return "customer_note"


def review_copy(action: WorkflowAction, vendor: str, key: str, outcome: str, detail: str = "") -> WorkflowAction:
    """The review row for a write a person must finish: a post whose outcome nobody knows
    (`unconfirmed`: a Slack webhook post whose answer was lost) or one that cannot be made without
    a person (`needs_review`: no Altoviz customer could be identified). Its own idempotency key
    (`<key>:<vendor>_<outcome>`), so it is written exactly once however often the write is seen."""
    if outcome == "unconfirmed":
        what = "Slack post" if vendor == SLACK else f"{vendor} write"
        where = "the channel" if vendor == SLACK else vendor
        reason = f"{what} unconfirmed: check {where} for 'ref: {key}'"
        next_step = f"find 'ref: {key}' in {where}; post it by hand if it is missing"
    else:
        reason = f"{vendor}: {detail or 'needs a person'}"
        next_step = f"{vendor}: find or create the customer by hand, then {action.next_step}"
    return action.model_copy(
        update={
            "idempotency_key": f"{action.idempotency_key}:{vendor}_{outcome}",
            "review_required": True,
            "status": "check_vendor" if outcome == "unconfirmed" else "needs_review",
            "review_reasons": [reason, *action.review_reasons],
            "next_step": next_step,
        }
    )
