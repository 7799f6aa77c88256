"""Workflow rules: which workflows a call raises, from intent, fields, text and Stripe/HubSpot context.

Signals per workflow (each kind counts once, at its strongest; more kinds add a little confidence):

- intent: DialNexa's intent (any analysis key the policy maps to `intent`), through aliases;
- field: structured analysis fields (`dispute_reason`, a new contact email, a tax id, ...);
- text / agent_text: lexicon pairs and phrases in the caller's words (agents count only for what an
  agent raises itself: collections, a failed renewal; an offer counts once the caller accepts it);
- context: Stripe/HubSpot state. Context confirms a workflow the call raised, and may *create* one
  where the call describes its symptom: a subscription Stripe shows failing plus "my service stopped"
  or "the payment bounced" is a failed renewal; the same words from a customer in good standing are
  a support problem, not a billing workflow.

The conversation is read in order and the caller's last word on a workflow stands:

- words that name a workflow only to negate, drop or decline it ("I'm not disputing it", "forget the
  refund", "No thanks" to an agent's offer) remove it, intent and fields included, when they come after
  everything that raised it (or when nothing in words raised it);
- a retraction ("never mind, my mistake", "scratch that") removes the workflow it names, or else the
  one raised just before it; a replacement ("I meant the invoice", "make that the receipt instead")
  raises the one it names and removes the one raised before it; an explanation accepted ("ah okay, that
  explains it") ends a dispute or refund raised before it. Raised again afterwards, a workflow stands;
- words that talk about a workflow without asking for it (a refund status question, "how do I download
  the receipt myself?") raise nothing and contradict an intent or field that says otherwise;
- a dispute mentioned only inside another request ("a receipt for my bank's dispute form") or in a card
  replaced after fraud is background, unless the caller contests a charge in so many words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.models import BillingDetails, CallEvent, EnrichedCall
from streams.classify.facts import Facts
from streams.classify.lexicon import (
    BILLING_CUE,
    CARD_REPLACED,
    EXPLICIT_DISPUTE,
    HOW_TO,
    INTENT_ALIASES,
    NO_ACTION_INTENT_WORDS,
    NO_ACTION_INTENTS,
    QUESTION_START,
    REPLACEABLE,
    SERVICE_STOPPED,
    UNHANDLED_REQUEST,
    WORKFLOW_SPECS,
)
from streams.classify.text import (
    Cue,
    Texts,
    cue_hits,
    explanations_accepted,
    named_negations,
    negated,
    replacements,
    retractions,
)
from streams.policy import Policy

CONFIDENCE_CAP = 0.98
CORROBORATION_STEP = 0.03  # each further independent kind of signal adds this much
BILLING_FIELDS = (
    "amount", "invoice_number", "payment_id", "subscription_id", "refund_reason", "dispute_reason", "credit_request",
    "promised_next_step", "payment_status",
)  # fmt: skip
# A change request names the old value negatively ("the new address, instead of the old billing
# address"): a later negated mention is the old value, not a retraction of the change.
CHANGE_WORKFLOWS = frozenset({"billing_correction", "contact_sync"})
FAILED_SUBSCRIPTION = frozenset({"past_due", "incomplete", "incomplete_expired", "unpaid"})
UNPAID_INVOICE = frozenset({"open", "uncollectible"})


@dataclass
class Score:
    signals: dict[str, float] = field(default_factory=dict)  # signal kind -> best strength
    evidence: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # where caller text raised it (offsets)
    firm: bool = False  # raised by something other than a puzzle cue (a request, an intent, a field)

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


def score_workflows(enriched: EnrichedCall, texts: Texts, facts: Facts) -> dict[str, Score]:
    call = enriched.call
    billing = call.billing
    scores: dict[str, Score] = {}

    def score(name: str) -> Score:
        return scores.setdefault(name, Score())

    for source, intent in call_intents(enriched, facts):
        workflow = INTENT_ALIASES.get(intent)
        if workflow:
            score(workflow).add("intent", 0.95, f"{source}={intent}")
    how_to_clauses = [(o, c) for o, c in _clause_list(texts.caller.text) if HOW_TO.search(c)]
    for name, spec in WORKFLOW_SPECS.items():
        for field_name, strength in spec.fields:
            if getattr(billing, field_name):
                score(name).add("field", strength, f"billing.{field_name}")
                score(name).firm = True
        negated_hits: list[int] = []  # the caller names it only to negate, drop or decline it
        not_requests: list[int] = []  # the caller talks about it without asking for it
        for cue in spec.cues:
            for source, offset in cue_hits(cue, texts.caller, negated_hits, not_requests) if cue.strength else ():
                score(name).add("text", cue.strength, f"{source}: {cue.label}")
                score(name).positions.append(offset)
                score(name).firm |= not (isinstance(cue, Cue) and cue.puzzle)
            for source, _ in cue_hits(cue, texts.agent) if cue.agent else ():
                score(name).add("agent_text", cue.agent, f"{source}: {cue.label}")
            # An offer the caller declined counts against what it offered, where the caller declined it.
            declined = texts.declined
            negated_hits += [declined.anchor_at(offset) for _, offset in cue_hits(cue, declined) if cue.strength]
        if spec.objects is not None:
            # "Where do I download the receipt myself?": named in a how-to question, asked for nothing.
            not_requests += [offset for offset, clause in how_to_clauses if spec.objects.search(clause)]
        if name not in scores:
            continue
        if any(kind in scores[name].signals for kind in ("intent", "agent_text")):
            scores[name].firm = True
        positions = scores[name].positions
        if (negated_hits or not_requests) and not positions:
            # The caller said they do not want it ("I'm not asking for a refund") or only asked about it
            # ("where is my refund?"): an intent or a field saying otherwise is contradicted.
            scores.pop(name)
        elif name not in CHANGE_WORKFLOWS and _last_word_negates(texts.caller.text, positions, negated_hits):
            # Their last word on it is a negation: "I want a refund ... so no refund needed".
            scores.pop(name)
    # Collections: both halves of a promise are a strong signal, one half alone a weak one.
    promise = [name for name in ("promised_next_step", "follow_up_deadline") if getattr(billing, name)]
    if promise:
        score("collections_log").add("field", 0.88 if len(promise) == 2 else 0.55, "billing." + "+".join(promise))
    # A contact to add or correct, named in the analysis.
    if facts.new_contact_email or facts.roles.get("new_phone"):
        score("contact_sync").add("field", 0.88, "post_call_analysis: new contact detail")
    # A tax identifier given on the call (a field, or only the redactor's finding) is a change for finance.
    if facts.tax_id_field:
        score("billing_correction").add("field", 0.86, "post_call_analysis: tax identifier")
    if facts.tax_findings:
        score("billing_correction").add("redaction", 0.84, "redaction: tax identifier read out")
    _background_dispute(texts, scores)
    _context(enriched, texts, scores)
    _retract(texts, scores)
    return scores


def _context(enriched: EnrichedCall, texts: Texts, scores: dict[str, Score]) -> None:
    """Stripe/HubSpot state: confirms what the call raised, and turns a described symptom into a workflow."""
    stripe, call = enriched.stripe, enriched.call
    failing = stripe is not None and stripe.subscription_status in FAILED_SUBSCRIPTION
    renewal = scores.get("renewal_failed")
    if stripe is not None and failing:
        symptom = renewal is not None and renewal.signals.get("text", 0) > 0
        if renewal is None and _symptom_in(texts):
            renewal = scores.setdefault("renewal_failed", Score())
            symptom = True
        if _recovery_call(call, texts):
            # We called a customer whose subscription Stripe shows failing, about that subscription:
            # a renewal recovery call, whatever words the agent chose. The balance talked about is the
            # renewal's, so payment words alone ("two instalments?") are not a separate collections call.
            renewal = scores.setdefault("renewal_failed", Score())
            renewal.add("direction", 0.6, "call.direction=outbound")
            collections = scores.get("collections_log")
            if collections is not None and not {"intent", "field"} & set(collections.signals):
                scores.pop("collections_log")
        if renewal is not None:
            # A failing subscription and the caller describing its effect: a failed renewal.
            status = stripe.subscription_status
            renewal.add("context", 0.9 if symptom else 0.85, f"stripe.subscription_status={status}")
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


def _clause_list(text: str) -> list[tuple[int, str]]:
    clauses, offset = [], 0
    for clause in text.split("\n"):
        clauses.append((offset, clause))
        offset += len(clause) + 1
    return clauses


def _last_word_negates(text: str, positions: list[int], negated_hits: list[int]) -> bool:
    """The last mention is negated, in a clause of its own: a clause that raises the workflow and also
    holds a negated cue of it ("our renewal didn't go through and the card was declined") raises it."""
    clause_of = {text.rfind("\n", 0, p) + 1 for p in positions}
    later = [n for n in negated_hits if n > max(positions) and text.rfind("\n", 0, n) + 1 not in clause_of]
    return bool(later)


def _background_dispute(texts: Texts, scores: dict[str, Score]) -> None:
    """A dispute mentioned inside another request ("the receipt for my bank's dispute form") or a card
    replaced after fraud is background: not a dispute of our charge unless the caller contests one in
    so many words ("I want to dispute", "I don't recognise this charge")."""
    dispute = scores.get("charge_dispute")
    if dispute is None:
        return
    text = texts.caller.text
    documents = [scores[name] for name in ("receipt_resend", "invoice_resend") if name in scores]
    document_asked = any(score.positions for score in documents)
    if not (document_asked or CARD_REPLACED.search(text)):
        return
    contested = any(not negated(text, m.start(), m.end()) for m in EXPLICIT_DISPUTE.finditer(text))
    if not contested:
        scores.pop("charge_dispute")


def _recovery_call(call: CallEvent, texts: Texts) -> bool:
    if (call.direction or "").strip().lower() != "outbound":
        return False
    topic = WORKFLOW_SPECS["renewal_failed"].objects
    return topic is not None and any(
        not negated(texts.agent.text, m.start(), m.end()) for m in topic.finditer(texts.agent.text)
    )


def _symptom_in(texts: Texts) -> bool:
    text = texts.caller.text
    return any(not negated(text, m.start(), m.end()) for m in SERVICE_STOPPED.finditer(text))


def _retract(texts: Texts, scores: dict[str, Score]) -> None:
    """Later words undo earlier ones: a retraction removes the workflow it names, or the one the caller
    raised just before it; a replacement raises the one it names and removes the one before it; an
    explanation accepted ends a dispute or refund raised before it. Raised again afterwards, it stands."""
    document = texts.caller
    events = [(offset, "retraction", clause) for offset, clause in retractions(document)]
    events += [(offset, "replacement", clause) for offset, clause in replacements(document)]
    events += [(offset, "explained", clause) for offset, clause in explanations_accepted(document)]
    events += [(offset, "named_only", clause) for offset, clause in named_negations(document)]
    for offset, kind, clause in sorted(events):
        named = [name for name, spec in WORKFLOW_SPECS.items() if spec.objects and spec.objects.search(clause)]
        if kind == "replacement":
            wanted = [name for name in named if name in REPLACEABLE]
            if not wanted:
                continue
            for name in wanted:  # "make that the receipt": the caller asks for it here
                score = scores.setdefault(name, Score())
                score.add("text", 0.84, f"{document.source_at(offset)}: replacement of an earlier request")
                score.positions.append(offset)
            earlier = _raised_before(scores, offset, exclude=set(wanted))
            _drop(scores, earlier[:1], offset)
            continue
        if kind == "explained":
            # Only what was raised as a puzzle ("I don't recognise this charge"), never a request.
            earlier = [name for name in _raised_before(scores, offset, exclude=set()) if not scores[name].firm]
            _drop(scores, earlier[:1], offset)
            continue
        if named or kind == "named_only":
            # It names what it retracts ("not the receipt"): only that, if it was raised.
            _drop(scores, [name for name in named if name in scores], offset)
            continue
        if not named:
            before = _raised_before(scores, offset, exclude=set())
            if before:
                named = before[:1]
            else:
                # Nothing raised in words before it: it retracts what the analysis said.
                named = [name for name, s in scores.items() if not s.positions and "text" not in s.signals]
                named = named[:1] if len(named) == 1 else []
        _drop(scores, named, offset)


def _raised_before(scores: dict[str, Score], offset: int, exclude: set[str]) -> list[str]:
    """Workflows the caller raised in words before `offset`, the most recent first."""
    before = [(max(p for p in s.positions if p < offset), name) for name, s in scores.items()
              if name not in exclude and any(p < offset for p in s.positions)]  # fmt: skip
    return [name for _, name in sorted(before, reverse=True)]


def _drop(scores: dict[str, Score], names: list[str], offset: int) -> None:
    for name in names:
        # Raised again after the retraction: it stands.
        if name in scores and not any(p > offset for p in scores[name].positions):
            scores.pop(name)


def call_intents(enriched: EnrichedCall, facts: Facts) -> list[tuple[str, str]]:
    call = enriched.call
    raw = [("billing.intent", call.billing.intent)]
    raw += [("post_call_analysis.intent", value) for value in facts.roles.get("intent", [])]
    found: list[tuple[str, str]] = []
    for source, value in raw:
        for part in re.split(r"[,;|+/&]|\band\b", value or ""):
            intent = re.sub(r"[\s-]+", "_", part.strip().lower())
            if intent and (source, intent) not in found:
                found.append((source, intent))
    return found


def add_contact_sync(enriched: EnrichedCall, policy: Policy, detected: dict[str, Score]) -> None:
    """contact_sync is a contact change the call asked for. A policy may still list `triggered_by`
    workflows (the old behaviour: find-or-create beside every action with an email)."""
    triggers = [name for name in policy.workflow("contact_sync").triggered_by if name in detected]
    if not triggers or not enriched.call.billing.email:
        return
    sync = detected.setdefault("contact_sync", Score())
    best = max(detected[name].confidence for name in triggers)
    sync.add("trigger", min(best, 0.95), "billing.email with " + "+".join(triggers))


def sensitive_findings(enriched: EnrichedCall, policy: Policy) -> list[str]:
    """The policy's sensitive finding types the redactor found on the call, sorted."""
    sensitive = policy.review.sensitive_finding_types
    return sorted(kind for kind, count in enriched.redaction.counts.items() if count and kind in sensitive)


def suppressed_kinds(enriched: EnrichedCall, policy: Policy) -> list[str]:
    """The kinds of data suppressed from the call that the policy says a human must see."""
    suppression = enriched.call.suppression
    return [kind for kind in policy.review.suppressed_data_needs_review if getattr(suppression, kind)]


def needs_triage(enriched: EnrichedCall, policy: Policy, texts: Texts, facts: Facts) -> bool:
    """A completed call with no workflow goes to a human only when it asks for something (mode
    `requests`), talks about money (`billing_cues`), always, or never."""
    mode = policy.triage.mode
    call = enriched.call
    # The caller read out card or bank details: whatever they wanted, and whatever the triage mode, a
    # human must see the call (the review gate is not a triage preference).
    if enriched.redaction.payment_details_read_out or sensitive_findings(enriched, policy):
        return True
    if suppressed_kinds(enriched, policy):
        return True
    if mode == "never":
        return False
    if mode == "always":
        return bool(call.transcript or call.summary)
    unknown_intents = [
        i
        for _, i in call_intents(enriched, facts)
        if i not in NO_ACTION_INTENTS and not NO_ACTION_INTENT_WORDS.search(i)
    ]
    if mode == "billing_cues":
        if has_billing_fields(call.billing) or unknown_intents:
            return True
        return BILLING_CUE.search(texts.caller.text) is not None
    # requests: a question the agent answered needs nobody; an unhandled request or escalation does.
    if call.billing.escalation_reason:
        return True
    if any(INTENT_ALIASES.get(i) is None for i in unknown_intents):
        return True
    text = texts.caller.text
    # A problem the caller withdraws later ("something looks off ... oh never mind, I see it now") is
    # resolved in the call: the caller's last word stands here too.
    settled = [offset for offset, _ in retractions(texts.caller) + explanations_accepted(texts.caller)]
    return any(
        not negated(text, m.start(), m.end())
        and not QUESTION_START.match(text, text.rfind("\n", 0, m.start()) + 1)
        and not any(offset > m.start() for offset in settled)
        for m in UNHANDLED_REQUEST.finditer(text)
    )


def has_billing_fields(billing: BillingDetails) -> bool:
    return any(getattr(billing, name) for name in BILLING_FIELDS)
