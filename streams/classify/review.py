"""Review rules: why an action needs a human (each reason stated), and when finance is alerted on Slack."""

from __future__ import annotations

from schemas.models import EnrichedCall, Money
from streams.classify.text import Texts
from streams.classify.workflows import Score
from streams.policy import Policy, WorkflowPolicy

URGENT = "urgent"  # the review path alerts finance on Slack for these

# Only refund_approval has a rule (the FAQ's) under which a money-changing action may run unattended.
GUARDED_AUTOMATION = frozenset({"refund_approval"})

# --- review and the action ---------------------------------------------------------------------------


def review_reasons_for(
    enriched: EnrichedCall,
    policy: Policy,
    texts: Texts,
    workflow: str,
    spec: WorkflowPolicy,
    confidence: float,
    amount: Money | None,
    high_value: bool,
    detected: dict[str, Score],
) -> tuple[list[str], list[str]]:
    """(review reasons, Slack alert reasons) for one action under the policy."""
    call, stripe = enriched.call, enriched.stripe
    reasons: list[str] = []
    urgent: list[str] = []
    if confidence < policy.classification.low_confidence:
        reasons.append(f"low-confidence classification ({confidence:.2f} < {policy.classification.low_confidence})")
    if enriched.redaction.payment_details_read_out:
        reasons.append("caller read out payment card details: flagged, never processed automatically")
    suppressed = [kind for kind in policy.review.suppressed_data_needs_review if getattr(call.suppression, kind)]
    if suppressed:
        reasons.append(f"sensitive data was suppressed from the call ({', '.join(suppressed)})")
    sensitive = _sensitive_labels(policy, texts)
    if sensitive:
        reasons.append(f"sensitive request ({', '.join(sensitive)})")
    if high_value and workflow in policy.review.high_value_workflows:
        reasons.append("high-value customer")
    if not spec.automatic:
        what = f" (changes {', '.join(spec.changes)})" if spec.changes else ""
        reasons.append(f"policy: {workflow} is never automatic{what}")
    elif spec.changes and workflow not in GUARDED_AUTOMATION:
        reasons.append(f"policy: {workflow} changes {', '.join(spec.changes)}")
    if workflow in policy.review.customer_required_workflows and not _customer_known(enriched):
        reasons.append("customer not identified (no email, account id or Stripe/HubSpot match)")
    verified = _email_verified(enriched)
    threshold = policy.thresholds.get(amount.currency) if amount else None
    above_threshold = amount is not None and threshold is not None and amount.amount > threshold

    if workflow in ("receipt_resend", "invoice_resend") and not verified:
        reasons.append(_unverified_reason(enriched))
    if workflow == "invoice_resend" and not call.billing.invoice_number:
        reasons.append("no invoice number captured: finance must find the invoice")
    if workflow == "refund_approval":
        # FAQ: automatic only below threshold, for a verified customer, with a matching charge, no dispute.
        if amount is None:
            reasons.append("refund amount not captured")
        elif threshold is None:
            reasons.append(f"no approval threshold for {amount.currency} in the policy")
        elif above_threshold:
            reasons.append(f"refund above the {amount.currency} approval threshold")
        if not verified:
            reasons.append(_unverified_reason(enriched))
        reasons += _charge_mismatch(enriched, amount)
        payment = getattr(stripe, "payment", None)
        disputed = (stripe and stripe.open_disputes > 0) or (payment is not None and payment.disputed)
        if disputed or "charge_dispute" in detected:
            reasons.append("the charge is disputed")
    if workflow == "collections_log":
        missing = [name for name in ("promised_next_step", "follow_up_deadline") if not getattr(call.billing, name)]
        if missing:
            reasons.append(f"collections note lacks {' and '.join(m.replace('_', ' ') for m in missing)}")

    slack = policy.slack
    if slack.on_dispute and workflow == "charge_dispute":
        urgent.append("dispute")
    if slack.on_amount_above_threshold and workflow in slack.amount_workflows and above_threshold:
        urgent.append("amount above threshold")
    if slack.on_high_value_failure and workflow in slack.failure_workflows and high_value:
        urgent.append("high-value failure")
    return reasons, urgent


def _charge_mismatch(enriched: EnrichedCall, amount: Money | None) -> list[str]:
    """Why the refund has no matching charge ([] when Stripe confirms the charge the caller named)."""
    payment_id = enriched.call.billing.payment_id
    # `stripe.payment` is the charge enrichment looked up for the payment id the caller named.
    payment = getattr(enriched.stripe, "payment", None)
    if not payment_id:
        return ["no matching charge: payment id not captured"]
    if payment is None or payment.id != payment_id:
        return ["no matching charge: Stripe has not confirmed the payment id"]
    problems = []
    if payment.status not in (None, "succeeded"):
        problems.append(f"no matching charge: the charge is {payment.status}")
    if payment.refunded:
        problems.append("the charge is already refunded")
    if amount is not None and payment.amount is not None:
        refunded = payment.amount_refunded.amount if payment.amount_refunded else 0
        if payment.amount.currency != amount.currency or amount.amount > payment.amount.amount - refunded:
            problems.append("the refund is more than what is left of the charge")
    return problems


def _unverified_reason(enriched: EnrichedCall) -> str:
    if not enriched.call.billing.email:
        return "email not verified: no email captured"
    if not enriched.stripe or not enriched.stripe.email:
        return "email not verified: no Stripe customer email to check it against"
    return "email not verified: differs from the Stripe customer email"


def _email_verified(enriched: EnrichedCall) -> bool:
    email = (enriched.call.billing.email or "").strip().casefold()
    on_file = ((enriched.stripe.email if enriched.stripe else None) or "").strip().casefold()
    return bool(email) and email == on_file


def _customer_known(enriched: EnrichedCall) -> bool:
    billing = enriched.call.billing
    return bool(
        billing.email
        or billing.account_id
        or (enriched.stripe and enriched.stripe.customer_id)
        or (enriched.hubspot and enriched.hubspot.contact_id)
    )


def _sensitive_labels(policy: Policy, texts: Texts) -> list[str]:
    # The caller's words, the summary and the analysis: an agent saying "don't read card numbers" or
    # "log in to the portal" is not a sensitive request.
    return [label for label, pattern in policy.sensitive_patterns if pattern.search(texts.caller.text)]


def action_amount(enriched: EnrichedCall, workflow: str) -> Money | None:
    amount = enriched.call.billing.amount
    if amount is None and workflow in ("renewal_failed", "collections_log") and enriched.stripe:
        amount = enriched.stripe.amount_due
    return amount


def high_value_of(enriched: EnrichedCall, policy: Policy) -> tuple[bool, list[str]]:
    rule = policy.high_value
    evidence: list[str] = []
    if rule.use_enrichment_flag and enriched.high_value:
        evidence.append("enrichment.high_value")
    stage = (enriched.hubspot.lifecycle_stage if enriched.hubspot else None) or ""
    if stage and stage.casefold() in {s.casefold() for s in rule.lifecycle_stages}:
        evidence.append("hubspot.lifecycle_stage")
    amounts = [
        ("billing.amount", enriched.call.billing.amount),
        ("stripe.amount_due", enriched.stripe.amount_due if enriched.stripe else None),
    ]
    for name, money in amounts:
        limit = rule.amount_at_least.get(money.currency) if money else None
        if money is not None and limit is not None and money.amount >= limit:
            evidence.append(f"{name} at or above the high-value amount")
    return bool(evidence), evidence
