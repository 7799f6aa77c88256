"""Workflow rules: which workflows a call raises, from intent, fields, text and Stripe/HubSpot context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.models import BillingDetails, EnrichedCall
from streams.classify.lexicon import BILLING_CUE, INTENT_ALIASES, NO_ACTION_INTENTS, WORKFLOW_SPECS
from streams.classify.text import Texts, cue_sources
from streams.policy import Policy

CONFIDENCE_CAP = 0.98
CORROBORATION_STEP = 0.03  # each further independent kind of signal adds this much
BILLING_FIELDS = (
    "amount", "invoice_number", "payment_id", "subscription_id", "refund_reason", "dispute_reason", "credit_request",
    "promised_next_step", "payment_status",
)  # fmt: skip
FAILED_SUBSCRIPTION = frozenset({"past_due", "incomplete", "incomplete_expired", "unpaid"})
UNPAID_INVOICE = frozenset({"open", "uncollectible"})


@dataclass
class Score:
    signals: dict[str, float] = field(default_factory=dict)  # signal kind -> best strength
    evidence: list[str] = field(default_factory=list)

    def add(self, kind: str, strength: float, evidence: str) -> None:
        if strength > self.signals.get(kind, 0.0):
            self.signals[kind] = strength
        if evidence not in self.evidence:
            self.evidence.append(evidence)

    @property
    def confidence(self) -> float:
        if not self.signals:
            return 0.0
        best = max(self.signals.values())
        return min(CONFIDENCE_CAP, best + CORROBORATION_STEP * (len(self.signals) - 1))


def no_action_status(enriched: EnrichedCall, policy: Policy) -> bool:
    status = (enriched.call.status or "").strip().lower()
    return bool(status) and status in policy.triage.no_action_statuses


def score_workflows(enriched: EnrichedCall, texts: Texts) -> dict[str, Score]:
    call = enriched.call
    billing = call.billing
    scores: dict[str, Score] = {}

    def score(name: str) -> Score:
        return scores.setdefault(name, Score())

    for source, intent in call_intents(enriched):
        workflow = INTENT_ALIASES.get(intent)
        if workflow:
            score(workflow).add("intent", 0.95, f"{source}={intent}")
    for name, spec in WORKFLOW_SPECS.items():
        for field_name, strength in spec.fields:
            if getattr(billing, field_name):
                score(name).add("field", strength, f"billing.{field_name}")
        for cue in spec.cues:
            for source in cue_sources(cue, texts.caller) if cue.strength else ():
                score(name).add("text", cue.strength, f"{source}: {cue.label}")
            for source in cue_sources(cue, texts.agent) if cue.agent else ():
                score(name).add("agent_text", cue.agent, f"{source}: {cue.label}")
    # Collections: both halves of a promise are a strong signal, one half alone a weak one.
    promise = [name for name in ("promised_next_step", "follow_up_deadline") if getattr(billing, name)]
    if promise:
        score("collections_log").add("field", 0.88 if len(promise) == 2 else 0.55, "billing." + "+".join(promise))
    corroborate(enriched, scores)
    return scores


def corroborate(enriched: EnrichedCall, scores: dict[str, Score]) -> None:
    """Context raises a workflow the call raised; it never creates one."""
    stripe, call = enriched.stripe, enriched.call
    renewal = scores.get("renewal_failed")
    if renewal and stripe and stripe.subscription_status in FAILED_SUBSCRIPTION:
        renewal.add("context", 0.85, f"stripe.subscription_status={stripe.subscription_status}")
    if renewal and (call.billing.payment_status or "").lower() in {"failed", "declined", "past_due", "unpaid"}:
        renewal.add("field", 0.7, "billing.payment_status")
    dispute = scores.get("charge_dispute")
    if dispute and stripe and stripe.open_disputes > 0:
        dispute.add("context", 0.85, "stripe.open_disputes")
    collections = scores.get("collections_log")
    if collections and stripe and stripe.latest_invoice_status in UNPAID_INVOICE:
        collections.add("context", 0.7, f"stripe.latest_invoice_status={stripe.latest_invoice_status}")
    if collections and (call.direction or "").lower() == "outbound":
        collections.add("direction", 0.6, "call.direction=outbound")
    invoice = scores.get("invoice_resend")
    if invoice and call.billing.invoice_number:
        invoice.add("field", 0.7, "billing.invoice_number")


def call_intents(enriched: EnrichedCall) -> list[tuple[str, str]]:
    call = enriched.call
    raw = [("billing.intent", call.billing.intent)]
    raw += [(f"post_call_analysis.{key}", call.post_call_analysis.get(key)) for key in ("intent", "call_intent")]
    found: list[tuple[str, str]] = []
    for source, value in raw:
        for part in re.split(r"[,;|+/]", value or ""):
            intent = re.sub(r"[\s-]+", "_", part.strip().lower())
            if intent and (source, intent) not in found:
                found.append((source, intent))
    return found


def add_contact_sync(enriched: EnrichedCall, policy: Policy, detected: dict[str, Score]) -> None:
    """Find-or-create the caller's Altoviz contact when a customer-facing workflow needs it (email required)."""
    email = enriched.call.billing.email
    if not email:
        detected.pop("contact_sync", None)  # nothing to find or create a contact by
        return
    triggers = [name for name in policy.workflow("contact_sync").triggered_by if name in detected]
    if not triggers:
        return
    sync = detected.setdefault("contact_sync", Score())
    # The match is as good as the classification that needs the contact.
    best = max(detected[name].confidence for name in triggers)
    sync.add("trigger", min(best, 0.95), "billing.email with " + "+".join(triggers))


def needs_triage(enriched: EnrichedCall, policy: Policy, texts: Texts) -> bool:
    mode = policy.triage.mode
    if mode == "never":
        return False
    call = enriched.call
    if mode == "always":
        return bool(call.transcript or call.summary)
    if has_billing_fields(call.billing):
        return True
    if any(intent not in NO_ACTION_INTENTS for _, intent in call_intents(enriched)):
        return True  # DialNexa saw an intent we have no workflow for: a human decides
    return BILLING_CUE.search(texts.caller.text) is not None


def has_billing_fields(billing: BillingDetails) -> bool:
    return any(getattr(billing, name) for name in BILLING_FIELDS)
