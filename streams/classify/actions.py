"""Building the `WorkflowAction`: owner, status, record link, billing note; and the triage row."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from schemas.models import BillingDetails, EnrichedCall, WorkflowAction
from streams.classify.facts import Facts
from streams.classify.review import URGENT, action_amount, high_value_of, review_reasons_for
from streams.classify.text import Texts, is_agent
from streams.classify.workflows import Score
from streams.policy import Policy, WorkflowPolicy, check_launch

REVIEW = "review"


def build_action(
    enriched: EnrichedCall,
    policy: Policy,
    texts: Texts,
    workflow: str,
    score: Score,
    detected: dict[str, Score],
    facts: Facts,
) -> WorkflowAction:
    spec = policy.workflow(workflow)
    if spec.destination_object is None or spec.status is None or spec.urgency is None or spec.next_step is None:
        check_launch(policy)  # raises with the file, workflow and field
    call = enriched.call
    billing = call.billing
    confidence = round(score.confidence, 3)
    amount = action_amount(enriched, workflow)
    high_value, high_value_evidence = high_value_of(enriched, policy)
    reasons, urgent_reasons = review_reasons_for(
        enriched, policy, texts, workflow, spec, confidence, amount, high_value, detected, facts
    )
    if urgent_reasons:
        # Slack is part of the review path: an alert always comes with a review row.
        reasons += [f"slack alert: {reason}" for reason in urgent_reasons]
    evidence = list(score.evidence)
    if high_value:
        evidence += high_value_evidence
    if enriched.redaction.payment_details_read_out:
        evidence.append("redaction.payment_details_read_out")
    owner = owner_for(policy, spec.owner or "", billing)
    deadline = billing.follow_up_deadline or _call_date(enriched) + timedelta(days=spec.follow_up_days)
    review_required = bool(reasons)
    return WorkflowAction(
        idempotency_key=f"{call.call_id}:{workflow}:{spec.action}",
        call_id=call.call_id,
        workflow=workflow,
        action=spec.action,
        destination_object=spec.destination_object or "",
        owner=owner,
        status=policy.review.status if review_required else spec.status or "",
        urgency=URGENT if urgent_reasons else spec.urgency or "",
        next_step=spec.next_step or "",
        record_url=_record_url(enriched, spec),
        confidence=confidence,
        evidence=evidence,
        review_required=review_required,
        review_reasons=reasons,
        summary=_note(enriched, policy, workflow, spec, owner, deadline),
        customer_email=billing.email,
        customer_name=billing.customer_name,
        amount=amount,
        invoice_number=billing.invoice_number,
        payment_id=billing.payment_id,
        transcript_url=billing.transcript_url,
        recording_url=billing.recording_url or call.recording_url,
        follow_up_deadline=deadline,  # the review sheet's deadline column
        **identity_fields(enriched),
    )


def identity_fields(enriched: EnrichedCall) -> dict[str, Any]:
    """Who the customer is, as enrichment resolved it: sinks find the vendor's customer by these."""
    call = enriched.call
    outbound = (call.direction or "").strip().lower() == "outbound"
    return {
        "stripe_customer_id": enriched.stripe.customer_id if enriched.stripe else None,
        "hubspot_contact_id": enriched.hubspot.contact_id if enriched.hubspot else None,
        "customer_number": call.billing.account_id,  # Altoviz finds its customer by number too
        "customer_phone": call.billing.phone
        or ((call.to_number or call.from_number) if outbound else call.from_number),
        "identity_match": enriched.identity_match,
        "identity_confidence": enriched.identity_confidence,
    }


def owner_for(policy: Policy, team: str, billing: BillingDetails) -> str:
    if policy.owners.accept_owner_from_call and billing.finance_owner:
        return billing.finance_owner
    region = (billing.tax_region or "").strip().upper()
    regions = {key.upper(): teams for key, teams in policy.owners.regions.items()}
    for candidate in (region, region.split("-")[0]):
        if candidate and team in regions.get(candidate, {}):
            return regions[candidate][team]
    return team


def _record_url(enriched: EnrichedCall, spec: WorkflowPolicy) -> str | None:
    # The recording is a private link and never becomes the record URL (an untagged field).
    billing, stripe, hubspot = enriched.call.billing, enriched.stripe, enriched.hubspot
    ticket = billing.support_ticket if billing.support_ticket and billing.support_ticket.startswith("http") else None
    sources = {
        "crm": billing.crm_url or (hubspot.crm_url if hubspot else None),
        "payment_platform": billing.payment_platform_url or (stripe.payment_platform_url if stripe else None),
        "support_ticket": ticket,
        "transcript": billing.transcript_url,
    }
    return next((sources[name] for name in spec.record_url or () if sources.get(name)), None)


def _call_date(enriched: EnrichedCall) -> date:
    call = enriched.call
    return (call.initiated_at or call.received_at).date()


def _note(
    enriched: EnrichedCall, policy: Policy, workflow: str, spec: WorkflowPolicy, owner: str, deadline: date
) -> str:
    """The billing note (FAQ): short operational summary, call id, transcript and recording links, owner,
    next step and deadline."""
    call = enriched.call
    limit = policy.note.summary_max_chars
    if spec.include_call_summary:
        first_caller_turn = next((t.text for t in call.transcript if not is_agent(t.speaker)), "")
        gist = shorten(call.summary or first_caller_turn or "no summary", limit)
    else:
        gist = "details are in the transcript and the finance system, not in this note"
    lines = [
        f"{workflow.replace('_', ' ')}: {gist}",
        f"call id: {call.call_id}",
        f"owner: {owner}",
        f"next step: {spec.next_step}",
        f"deadline: {deadline.isoformat()}",
    ]
    if workflow == "collections_log" and call.billing.promised_next_step:
        lines.append(f"customer promised: {shorten(call.billing.promised_next_step, limit)}")
    lines.append(f"transcript: {call.billing.transcript_url or 'not available'}")
    lines.append(f"recording: {call.billing.recording_url or call.recording_url or 'not available'}")
    return "\n".join(lines)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def triage_action(enriched: EnrichedCall, policy: Policy) -> WorkflowAction:
    call = enriched.call
    triage = policy.triage
    return WorkflowAction(
        idempotency_key=f"{call.call_id}:{REVIEW}:{triage.action}",
        call_id=call.call_id,
        workflow=REVIEW,
        action=triage.action,
        destination_object=triage.destination_object,
        owner=owner_for(policy, triage.owner, call.billing),
        status=policy.review.status,
        urgency=triage.urgency,
        next_step=triage.next_step,
        record_url=call.billing.crm_url or call.billing.transcript_url,
        confidence=0.0,
        evidence=["no workflow signal in intent, fields, transcript or summary; the call talks about billing"],
        review_required=True,
        review_reasons=["no workflow matched the call"]
        + (["sensitive data read out on the call"] if enriched.redaction.payment_details_read_out else []),
        summary=shorten(call.summary or "", policy.note.summary_max_chars),
        customer_email=call.billing.email,
        customer_name=call.billing.customer_name,
        transcript_url=call.billing.transcript_url,
        **identity_fields(enriched),
    )
