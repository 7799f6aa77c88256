"""Review rules: why an action needs a human (each reason stated), and when finance is alerted on Slack."""

from __future__ import annotations

from schemas.models import EnrichedCall, Money
from streams.classify.facts import Facts
from streams.classify.lexicon import ACCESS_CHANGE, OWN_DETAIL_CORRECTION, TERMS_CHANGE
from streams.classify.text import Texts, negated
from streams.classify.workflows import Score, sensitive_findings, suppressed_kinds
from streams.identity import normalise
from streams.policy import Policy, WorkflowPolicy

URGENT = "urgent"  # the review path alerts finance on Slack for these

# The review gate is structural: an action of a workflow whose policy lists `changes` (money, access,
# legal terms, commitments) goes to review unless a positive rule below clears it. Two rules exist:
# refund_approval's FAQ automation (below threshold, verified, matching charge, no dispute; checked
# with the refund's own reasons, and only when the policy makes refunds `automatic`), and contact_sync's
# correction of the caller's own phone or name for a confidently matched customer.
GUARDED_AUTOMATION = frozenset({"refund_approval"})
# Workflows about an amount owed, where new terms asked for (a plan, an extension, a discount) are a commitment.
TERMS_WORKFLOWS = frozenset({"collections_log", "renewal_failed"})

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
    facts: Facts,
) -> tuple[list[str], list[str]]:
    """(review reasons, Slack alert reasons) for one action under the policy."""
    call, stripe = enriched.call, enriched.stripe
    reasons: list[str] = []
    urgent: list[str] = []
    if confidence < policy.classification.low_confidence:
        reasons.append(f"low-confidence classification ({confidence:.2f} < {policy.classification.low_confidence})")
    if enriched.redaction.payment_details_read_out:
        reasons.append("caller read out payment card details: flagged, never processed automatically")
    found = sensitive_findings(enriched, policy)
    if found and not enriched.redaction.payment_details_read_out:
        reasons.append(f"sensitive data read out on the call ({', '.join(found)})")
    suppressed = suppressed_kinds(enriched, policy)
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
    elif spec.changes and workflow not in GUARDED_AUTOMATION and not _cleared(workflow, policy, texts, facts):
        reasons.append(f"policy: {workflow} changes {', '.join(spec.changes)}")
    if facts.tax_findings or call.suppression.tax_identifiers:
        reasons.append("tax identifier read out on the call: finance applies tax details")
    if workflow in policy.review.customer_required_workflows and not facts.identified:
        reasons.append("customer not identified (no Stripe or HubSpot record matches the call's identifiers)")
    if policy.review.low_confidence_match_needs_review and _weak_match(facts, policy):
        reasons.append(
            f"low-confidence customer match by {enriched.identity_match} "
            f"({facts.identity_confidence:.2f} < {policy.identity.low_confidence})"
        )
    verified = facts.destination_verified
    threshold = policy.thresholds.get(amount.currency) if amount else None
    above_threshold = amount is not None and threshold is not None and amount.amount > threshold

    if workflow in ("receipt_resend", "invoice_resend") and not verified:
        reasons.append(_unverified_reason(facts))
    invoice_number = facts.invoice_number
    if workflow == "invoice_resend" and not invoice_number and not (stripe and stripe.latest_invoice_id):
        reasons.append("no invoice number captured and none in Stripe: finance must find the invoice")
    elif workflow == "invoice_resend" and invoice_number and stripe and stripe.invoice_numbers:
        # Stripe lists the customer's recent invoices and this number is not one of them.
        known = {normalise("invoice_number", n) for n in stripe.invoice_numbers}
        if normalise("invoice_number", invoice_number) not in known:
            reasons.append("invoice number not among the customer's Stripe invoices: finance must find the invoice")
    if workflow == "refund_approval":
        # FAQ: automatic only below threshold, for a verified customer, with a matching charge, no dispute.
        if amount is None:
            reasons.append("refund amount not captured")
        elif threshold is None:
            reasons.append(f"no approval threshold for {amount.currency} in the policy")
        elif above_threshold:
            reasons.append(f"refund above the {amount.currency} approval threshold")
        if not verified:
            reasons.append(_unverified_reason(facts))
        reasons += _charge_mismatch(enriched, amount)
        payment = getattr(stripe, "payment", None)
        disputed = (stripe and stripe.open_disputes > 0) or (payment is not None and payment.disputed)
        if disputed or "charge_dispute" in detected:
            reasons.append("the charge is disputed")
    if workflow in TERMS_WORKFLOWS:
        # Logging a promise to pay, or a renewal recovered by a card update, changes nothing; a plan, an
        # extension or a discount asked for in a collections or renewal call is a commitment (LABELS 3.4).
        text = texts.caller.text
        if any(not negated(text, m.start(), m.end()) for m in TERMS_CHANGE.finditer(text)):
            reasons.append("commitments: the customer asks to change payment terms (plan, extension, discount)")

    slack = policy.slack
    if slack.on_dispute and workflow == "charge_dispute":
        urgent.append("dispute")
    if slack.on_amount_above_threshold and workflow in slack.amount_workflows and above_threshold:
        urgent.append("amount above threshold")
    if slack.on_high_value_failure and workflow in slack.failure_workflows and high_value:
        urgent.append("high-value failure")
    return reasons, urgent


def _cleared(workflow: str, policy: Policy, texts: Texts, facts: Facts) -> bool:
    """A positive rule that lets an action the policy marks as changing something run without a human."""
    if workflow != "contact_sync":
        return False
    # Only a correction of the caller's own details (phone, name spelling) for a customer matched with
    # confidence: a new billing recipient, another e-mail or a new customer changes who sees billing data.
    if not facts.identified or facts.new_contact_email:
        return False
    if _weak_match(facts, policy):
        return False
    if facts.mentioned_emails - facts.on_file_emails:
        return False
    text = texts.caller.text
    if any(not negated(text, m.start(), m.end()) for m in ACCESS_CHANGE.finditer(text)):
        return False
    return bool(facts.roles.get("new_phone")) or OWN_DETAIL_CORRECTION.search(text) is not None


def _weak_match(facts: Facts, policy: Policy) -> bool:
    """The customer was matched, but below the policy's identity confidence."""
    return facts.identity_confidence is not None and facts.identity_confidence < policy.identity.low_confidence


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


def _unverified_reason(facts: Facts) -> str:
    if not facts.on_file_emails:
        return "email not verified: no email on file in Stripe or HubSpot to check it against"
    if facts.destination is None:
        return "email not verified: no email to send to"
    if facts.delivery_email:
        return "email not verified: a send to an email other than the one on file"
    return "email not verified: differs from the email on file"


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
    # The account rules (HubSpot tier / contract value, Stripe MRR / lifetime value, lifecycle stage).
    evidence += [reason for reason in rule.reasons(enriched.stripe, enriched.hubspot) if reason not in evidence]
    amounts = [
        ("billing.amount", enriched.call.billing.amount),
        ("stripe.amount_due", enriched.stripe.amount_due if enriched.stripe else None),
    ]
    for name, money in amounts:
        limit = rule.amount_at_least.get(money.currency) if money else None
        if money is not None and limit is not None and money.amount >= limit:
            evidence.append(f"{name} at or above the high-value amount")
    return bool(evidence), evidence
