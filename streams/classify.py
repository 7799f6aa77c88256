"""Classification: an enriched call to the workflow actions finance must see, and their routes.

Pure functions, no Kafka. `classify(enriched, policy)` reads four kinds of signal and scores each
workflow from them:

- **intent**: DialNexa's post-call `intent` (in `billing.intent` or the analysis), through aliases;
- **fields**: structured post-call fields (`dispute_reason`, `refund_reason`, `promised_next_step`, ...);
- **text**: phrase cues in the redacted summary, the caller's turns and the analysis values. Agent
  turns count only for the workflows an agent raises itself (collections, a failed renewal), because
  an agent *offering* a refund is not a caller asking for one. A cue preceded by a negation in its
  clause ("I'm not disputing it") does not count;
- **context**: Stripe/HubSpot state (a past-due subscription, open disputes). Context only
  corroborates a workflow the call itself raised: a past-due customer calling for a receipt is a
  receipt call.

Each workflow whose score reaches `classification.min_confidence` becomes one `WorkflowAction`; the
policy then decides whether it needs a human (`review_reasons`), whether finance is alerted on Slack
(urgency "urgent"), who owns it and what the billing note says. Evidence holds field names and cue
labels only, never values: the transcript is redacted, but amounts, emails and names stay out too.

A call that needs nothing yields no action: a call nobody answered (`triage.no_action_statuses`), a
call with nothing to read, or one that never talks about money. A completed call that talks about
money but matches no workflow goes to review as `triage_unclassified_call`. `no_action_reason`
says why a call yielded nothing, so the agent can account for it (see docs/policy.md).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas.models import WORKFLOWS, BillingDetails, EnrichedCall, Money, WorkflowAction
from streams.policy import Policy, PolicyError, WorkflowPolicy, check_launch, load_policy

__all__ = [
    "REVIEW",
    "WORKFLOW_SPECS",
    "Policy",
    "PolicyError",
    "WorkflowSignals",
    "check_launch",
    "classify",
    "load_policy",
    "no_action_reason",
    "routes",
]

REVIEW = "review"
URGENT = "urgent"  # the review path alerts finance on Slack for these
_CONFIDENCE_CAP = 0.98
_CORROBORATION_STEP = 0.03  # each further independent kind of signal adds this much


def _rx(pattern: str) -> re.Pattern[str]:
    # Text is matched as clauses joined by newlines: a gap inside a cue never crosses a clause.
    return re.compile(pattern.replace("[^.?!]", "[^\\n]"), re.I)


@dataclass(frozen=True)
class Cue:
    """A phrase that is evidence for a workflow.

    `agent` is its strength in an agent's turn (0: ignored). `keywords` is a cheap pre-filter: the
    regular expression only runs when one of these lower-case substrings is in the text.
    """

    label: str
    keywords: tuple[str, ...]
    pattern: re.Pattern[str]
    strength: float
    agent: float = 0.0
    unless: re.Pattern[str] | None = None  # the clause also matching this means the cue is about something else


@dataclass(frozen=True)
class WorkflowSignals:
    """What the classifier looks for, per workflow. Owners, statuses and review rules live in the policy."""

    intents: frozenset[str]
    cues: tuple[Cue, ...] = ()
    fields: tuple[tuple[str, float], ...] = ()  # (BillingDetails field, strength when set)


_REQUEST = (
    r"(send|resend|re-send|e-?mail|forward|mail|need|want|like|get|give|copy of|where'?s|where is|missing|lost"
    r"|didn'?t (get|receive)|did not (get|receive)|never (got|received|arrived)|can'?t find|cannot find|looking for"
    r"|request(ing)?)"
)
_CHANGE = (
    r"(add|include|remove|put|updat(e|ed|ing)|chang(e|ed|ing)|correct(ed)?|fix|amend|wrong|incorrect|outdated|old"
    r"|new|mov(e|ed)|different)"
)
_BILLING_DETAIL = (
    r"(billing (address|details|entity|name)|company name|legal (entity|name)|registered (address|name)"
    r"|address on (the|our|my) invoices?|vat( number| id| details)?|tax (id|number|details|region|status|code))"
)

WORKFLOW_SPECS: dict[str, WorkflowSignals] = {
    "receipt_resend": WorkflowSignals(
        intents=frozenset({"receipt", "receipt_resend", "resend_receipt", "receipt_request", "send_receipt"}),
        cues=(
            Cue(
                "receipt request phrase",
                ("receipt", "proof of payment", "payment confirmation"),
                _rx(rf"\b{_REQUEST}\b[^.?!]{{0,40}}\b(receipts?|proof of payment|payment confirmation)\b"),
                0.85,
            ),
            Cue(
                "receipt for a payment phrase",
                ("receipt", "proof of payment"),
                _rx(r"\b(receipts?\s+(for|from|of|please)|proof of payment)\b"),
                0.82,
                unless=_rx(r"\b(already (got|have|received)|got the receipt)\b"),
            ),
        ),
    ),
    "charge_dispute": WorkflowSignals(
        intents=frozenset({"dispute", "charge_dispute", "chargeback", "dispute_charge", "unauthorized_charge"}),
        cues=(
            Cue(
                "dispute phrase",
                ("disput", "charge", "authori", "never", "recogni", "fraud", "wasn", "bank", "contest"),
                _rx(
                    r"\b(disput(e|ed|es|ing)|contest(ed|ing)?|charge-?backs?|charge back"
                    r"|(didn'?t|did not|never) authori[sz](e|ed)|unauthori[sz]ed|never (made|approved|agreed to)"
                    r"|(don'?t|do not|doesn'?t) recogni[sz]e|fraud(ulent)?|wasn'?t me"
                    r"|(claim|complaint) with (my|the|our) bank)\b"
                ),
                0.86,
            ),
            Cue(
                "charged without consent phrase",
                ("never", "didn", "did not"),
                _rx(r"\b(didn'?t|never|did not) (buy|order|purchase|sign(ed)? up for|subscribe(d)? to)\b"),
                0.8,
            ),
        ),
        fields=(("dispute_reason", 0.9),),
    ),
    "invoice_resend": WorkflowSignals(
        intents=frozenset({"invoice_resend", "resend_invoice", "invoice_request", "invoice_copy", "send_invoice"}),
        cues=(
            Cue(
                "invoice resend phrase",
                ("invoice",),
                _rx(rf"\b{_REQUEST}\b[^.?!]{{0,40}}\binvoices?\b"),
                0.85,
                unless=_rx(
                    r"\b(wrong|incorrect|correct(ed|ion)?|update|change|fix|amend|pay|overdue|outstanding|unpaid"
                    r"|past due|vat|tax|address|company name|contact)\b"
                ),
            ),
            Cue(
                "invoice did not arrive phrase",
                ("invoice",),
                _rx(r"\binvoices?\b[^.?!]{0,40}\b(again|never (came|arrived)|didn'?t (come|arrive)|went to (spam|junk)"
                    r"|got lost|missing)\b"),
                0.85,
            ),
        ),
    ),
    "renewal_failed": WorkflowSignals(
        intents=frozenset(
            {"renewal_failed", "failed_renewal", "payment_failed", "subscription_failed", "renewal_failure"}
        ),
        cues=(
            Cue(
                "failed renewal phrase",
                ("renew",),
                _rx(
                    r"\b(renewal|auto-?renew(al)?)\b[^.?!]{0,30}\b(fail(ed|s)?|didn'?t (go through|work|process)"
                    r"|did not (go through|work)|declined|bounced|rejected|unsuccessful)\b"
                    r"|\b(failed|unsuccessful|declined|rejected) (my |the |our )?(renewal|subscription payment)\b"
                    r"|\b(couldn'?t|could not|can'?t|unable to) renew\b"
                ),
                0.88,
                agent=0.7,
            ),
            Cue(
                "subscription lapsed phrase",
                ("subscription",),
                _rx(
                    r"\bsubscription\b[^.?!]{0,30}\b(failed|lapsed|expired|didn'?t renew|did not renew|wasn'?t renewed"
                    r"|(got|get|was|been) (cancell?ed|suspended)|payment failed)\b"
                ),
                0.85,
                agent=0.7,
            ),
            Cue(
                "declined payment or locked account phrase",
                ("declin", "payment", "account", "access", "service", "plan"),
                _rx(
                    r"\b(card (was |got |is |keeps getting )?declined|payment (failed|was declined|didn'?t go through"
                    r"|bounced)|account (is |was |got |has been )?(locked|suspended|deactivated|disabled)"
                    r"|(service|access) (was |got )?(cut off|suspended)|plan (has )?(expired|lapsed))\b"
                ),
                0.6,
                agent=0.6,
            ),
        ),
    ),
    "refund_approval": WorkflowSignals(
        intents=frozenset({"refund", "refund_request", "refund_approval", "request_refund", "credit_request"}),
        cues=(
            Cue(
                "refund request phrase",
                ("refund", "money back", "reimburs", "back", "reverse"),
                _rx(
                    r"\b(refund(ed|s)?|money back|reimburs(e|ed|ement)|credit (it |that |this )?back"
                    r"|reverse (the|that|this) (charge|payment)|pay (me|us) back)\b"
                ),
                0.86,
                # A refund already given or on its way is a status question, not a request.
                unless=_rx(
                    r"\b(when (will|does|is)|status of|already (got|received|had)|arrived|came through|went through"
                    r"|has been processed|was processed|(you|they) (gave|issued|sent|processed))\b"
                ),
            ),
        ),
        fields=(("refund_reason", 0.9), ("credit_request", 0.85)),
    ),
    "billing_correction": WorkflowSignals(
        intents=frozenset(
            {"billing_correction", "tax_correction", "address_change", "billing_address_change", "vat_change",
             "update_billing_details"}
        ),
        cues=(
            Cue(
                "billing detail change phrase",
                ("billing", "company", "legal", "registered", "address", "vat", "tax"),
                _rx(rf"\b{_CHANGE}\b[^.?!]{{0,40}}\b{_BILLING_DETAIL}\b"),
                0.88,
            ),
            Cue(
                "billing detail wrong phrase",
                ("billing", "company", "legal", "registered", "address", "vat", "tax"),
                _rx(
                    rf"\b{_BILLING_DETAIL}\b[^.?!]{{0,40}}\b(wrong|incorrect|outdated|changed|missing|updated"
                    r"|corrected|needs? (to be )?(updated|changed|corrected|added))\b"
                ),
                0.88,
            ),
            Cue("tax exemption phrase", ("tax", "reverse"), _rx(r"\b(tax[- ]exempt(ion)?|reverse[- ]charge)\b"), 0.85),
            Cue("tax identifier read out (placeholder)", ("[vat", "[ein"), _rx(r"\[(VAT NUMBER|EIN)\]"), 0.6),
        ),
    ),
    "collections_log": WorkflowSignals(
        intents=frozenset(
            {"collections", "collections_log", "collection_call", "payment_promise", "promise_to_pay",
             "overdue_payment"}
        ),
        cues=(
            Cue(
                "collections phrase",
                ("overdue", "past", "outstanding", "unpaid", "promise", "plan", "instal", "collection"),
                _rx(
                    r"\b(overdue|past[- ]due|outstanding (balance|amount|invoices?|payments?)|unpaid (balance|invoices?"
                    r"|bills?)|promise to pay|payment plan|instal?lments?|collections?)\b"
                ),
                0.85,
                agent=0.82,
            ),
            Cue(
                "promise to pay phrase",
                ("pay", "settle", "clear"),
                _rx(
                    r"\b(pay|settle|clear)\b (it|this|that|the (rest|balance|remainder|amount|invoice|bill)|everything"
                    r"|in full|off)\b[^.?!]{0,20}\b(by|on|next|this|before|within|end of|tomorrow|friday|monday)\b"
                ),
                0.82,
            ),
            Cue(
                "intent to pay an invoice phrase",
                ("pay", "settle"),
                _rx(r"\b(pay|settle)\s+(the|this|that|my|our)\s+(invoice|bill|balance)\b"),
                0.6,
            ),
        ),
    ),
    "contact_sync": WorkflowSignals(
        intents=frozenset({"contact_sync", "contact_update", "update_contact", "update_email", "new_contact"}),
        cues=(
            Cue(
                "contact detail change phrase",
                ("mail", "contact", "phone"),
                _rx(
                    r"\b(update|change|correct|new|add)\b[^.?!]{0,30}\b(e-?mail( address)?|contact (details|info"
                    r"|information|person)|phone number)\b|\bmake sure\b[^.?!]{0,30}\be-?mail\b"
                ),
                0.85,
            ),
        ),
    ),
}  # fmt: skip
assert set(WORKFLOW_SPECS) == set(WORKFLOWS)

_INTENT_ALIASES = {alias: name for name, spec in WORKFLOW_SPECS.items() for alias in spec.intents}
# Intents DialNexa gives calls that need nothing; any other unknown intent is a billing cue for triage.
_NO_ACTION_INTENTS = frozenset(
    {"", "none", "no_intent", "chit_chat", "small_talk", "wrong_number", "voicemail", "greeting", "other", "hangup"}
)
_AGENT_SPEAKERS = frozenset({"agent", "assistant", "bot", "ai", "system", "dialnexa"})
# A negation in the few words before a cue, in the same clause, cancels it ("no need for a refund").
_NEGATION = _rx(
    r"\b(no|not|don'?t|doesn'?t|won'?t|isn'?t|aren'?t|without|never ?mind|no need|nothing|neither|nor"
    r"|didn'?t (ask|want|mean|request|need)|did not (ask|want|mean|request|need))\b"
)
_CLAUSE_SPLIT = re.compile(r"[.?!;,]+|\s(?:but|just|instead|only|although|though|however)\s", re.I)
_BILLING_CUE = _rx(
    r"\b(bill(s|ed|ing)?|invoices?|receipts?|charges?|charged|payments?|pay|paid|refunds?|subscriptions?|plans?"
    r"|pricing|price|fees?|balance|credit|debit|renewal|renew|tax|vat|statement|overdue|card|discount|upgrade"
    r"|downgrade|cost|costs)\b"
)
_BILLING_FIELDS = (
    "amount", "invoice_number", "payment_id", "subscription_id", "refund_reason", "dispute_reason", "credit_request",
    "promised_next_step", "payment_status",
)  # fmt: skip
_FAILED_SUBSCRIPTION = frozenset({"past_due", "incomplete", "incomplete_expired", "unpaid"})
_UNPAID_INVOICE = frozenset({"open", "uncollectible"})
# Only refund_approval has a rule (the FAQ's) under which a money-changing action may run unattended.
_GUARDED_AUTOMATION = frozenset({"refund_approval"})


@dataclass
class _Score:
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
        return min(_CONFIDENCE_CAP, best + _CORROBORATION_STEP * (len(self.signals) - 1))


@dataclass(frozen=True)
class _Document:
    """Clauses of one side of the call joined by newlines, with where each source's text starts."""

    text: str
    starts: tuple[int, ...]
    sources: tuple[str, ...]
    lowered: str  # for the cues' keyword pre-filter

    def source_at(self, offset: int) -> str:
        return self.sources[bisect_right(self.starts, offset) - 1]


@dataclass(frozen=True)
class _Texts:
    caller: _Document  # summary, the caller's turns, analysis values: what the customer asked for
    agent: _Document

    @property
    def empty(self) -> bool:
        return not (self.caller.text or self.agent.text)


def classify(enriched: EnrichedCall, policy: Policy) -> list[WorkflowAction]:
    """The workflow actions finance must see for a call, each with its review decision. [] if none."""
    if _no_action_status(enriched, policy):
        return []
    texts = _texts(enriched)
    scores = _score(enriched, texts)
    floor = policy.classification.min_confidence
    detected = {name: score for name, score in scores.items() if score.confidence >= floor}
    _add_contact_sync(enriched, policy, detected)
    actions = [
        _action(enriched, policy, texts, name, detected[name], detected)
        for name in WORKFLOWS  # stable order, finance's reading order
        if name in detected
    ]
    if not actions and _needs_triage(enriched, policy, texts):
        actions.append(_triage(enriched, policy))
    return actions


def no_action_reason(enriched: EnrichedCall, policy: Policy) -> str | None:
    """Why `classify` yields nothing for this call (for the agent's accounting), or None if it yields actions."""
    if classify(enriched, policy):
        return None
    status = (enriched.call.status or "").strip().lower()
    if status in policy.triage.no_action_statuses:
        return f"call status {status!r}: nobody to act for"
    if _texts(enriched).empty and not _has_billing_fields(enriched.call.billing):
        return "no transcript, summary or analysis to classify"
    return "no workflow signal and no billing content"


def routes(action: WorkflowAction) -> list[str]:
    """Topic names (without prefix) an action goes to: its workflow, plus review when a human must look."""
    destinations = [f"workflow.{action.workflow}"] if action.workflow in WORKFLOW_SPECS else []
    if action.review_required:
        destinations.append(f"workflow.{REVIEW}")
    return destinations


# --- signals -----------------------------------------------------------------------------------------


def _no_action_status(enriched: EnrichedCall, policy: Policy) -> bool:
    status = (enriched.call.status or "").strip().lower()
    return bool(status) and status in policy.triage.no_action_statuses


def _texts(enriched: EnrichedCall) -> _Texts:
    call = enriched.call
    caller: list[tuple[str, str]] = []
    agent: list[tuple[str, str]] = []
    if call.summary:
        caller.append(("summary", call.summary))
    for turn in call.transcript:
        if _is_agent(turn.speaker):
            agent.append(("transcript.agent", turn.text))
        else:
            caller.append(("transcript.caller", turn.text))
    for key, value in call.post_call_analysis.items():
        if key.lower() not in _NON_TEXT_ANALYSIS_KEYS and value:
            caller.append((f"post_call_analysis.{key}", value))
    return _Texts(_document(caller), _document(agent))


def _is_agent(speaker: str) -> bool:
    speaker = speaker.strip().lower()
    return speaker in _AGENT_SPEAKERS or speaker.startswith("agent")


def _document(parts: list[tuple[str, str]]) -> _Document:
    chunks: list[str] = []
    starts: list[int] = []
    sources: list[str] = []
    offset = 0
    for source, text in parts:
        clauses = [part.strip() for part in _CLAUSE_SPLIT.split(text) if part and part.strip()]
        if not clauses:
            continue
        chunk = "\n".join(clauses)
        starts.append(offset)
        sources.append(source)
        chunks.append(chunk)
        offset += len(chunk) + 1
    text = "\n".join(chunks)
    return _Document(text, tuple(starts), tuple(sources), text.lower())


# Analysis keys the normaliser maps into BillingDetails: their values are ids, amounts or the intent.
_NON_TEXT_ANALYSIS_KEYS = frozenset(
    {"intent", "call_intent", "reason_for_call", "email", "phone", "amount", "currency", "invoice_number",
     "payment_id", "payment_intent", "charge_id", "subscription_id", "account_id", "customer_name", "tax_region",
     "due_date", "follow_up_deadline", "finance_owner", "approval_threshold", "transcript_url", "recording_url",
     "crm_url", "support_ticket", "payment_platform_url"}
)  # fmt: skip


def _score(enriched: EnrichedCall, texts: _Texts) -> dict[str, _Score]:
    call = enriched.call
    billing = call.billing
    scores: dict[str, _Score] = {}

    def score(name: str) -> _Score:
        return scores.setdefault(name, _Score())

    for source, intent in _intents(enriched):
        workflow = _INTENT_ALIASES.get(intent)
        if workflow:
            score(workflow).add("intent", 0.95, f"{source}={intent}")
    for name, spec in WORKFLOW_SPECS.items():
        for field_name, strength in spec.fields:
            if getattr(billing, field_name):
                score(name).add("field", strength, f"billing.{field_name}")
        for cue in spec.cues:
            for source in _cue_sources(cue, texts.caller) if cue.strength else ():
                score(name).add("text", cue.strength, f"{source}: {cue.label}")
            for source in _cue_sources(cue, texts.agent) if cue.agent else ():
                score(name).add("agent_text", cue.agent, f"{source}: {cue.label}")
    # Collections: both halves of a promise are a strong signal, one half alone a weak one.
    promise = [name for name in ("promised_next_step", "follow_up_deadline") if getattr(billing, name)]
    if promise:
        score("collections_log").add("field", 0.88 if len(promise) == 2 else 0.55, "billing." + "+".join(promise))
    _corroborate(enriched, scores)
    return scores


def _corroborate(enriched: EnrichedCall, scores: dict[str, _Score]) -> None:
    """Context raises a workflow the call raised; it never creates one."""
    stripe, call = enriched.stripe, enriched.call
    renewal = scores.get("renewal_failed")
    if renewal and stripe and stripe.subscription_status in _FAILED_SUBSCRIPTION:
        renewal.add("context", 0.85, f"stripe.subscription_status={stripe.subscription_status}")
    if renewal and (call.billing.payment_status or "").lower() in {"failed", "declined", "past_due", "unpaid"}:
        renewal.add("field", 0.7, "billing.payment_status")
    dispute = scores.get("charge_dispute")
    if dispute and stripe and stripe.open_disputes > 0:
        dispute.add("context", 0.85, "stripe.open_disputes")
    collections = scores.get("collections_log")
    if collections and stripe and stripe.latest_invoice_status in _UNPAID_INVOICE:
        collections.add("context", 0.7, f"stripe.latest_invoice_status={stripe.latest_invoice_status}")
    if collections and (call.direction or "").lower() == "outbound":
        collections.add("direction", 0.6, "call.direction=outbound")
    invoice = scores.get("invoice_resend")
    if invoice and call.billing.invoice_number:
        invoice.add("field", 0.7, "billing.invoice_number")


def _intents(enriched: EnrichedCall) -> list[tuple[str, str]]:
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


def _cue_sources(cue: Cue, document: _Document) -> list[str]:
    """The sources in which the cue matches, not negated and not about something else."""
    found: list[str] = []
    text = document.text
    if not any(keyword in document.lowered for keyword in cue.keywords):
        return found
    for match in cue.pattern.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        before = text[start : match.start()].split()[-5:]
        if before and _NEGATION.search(" ".join(before)):
            continue
        if cue.unless is not None:
            end = text.find("\n", match.end())
            if cue.unless.search(text, start, len(text) if end < 0 else end):
                continue
        source = document.source_at(match.start())
        if source not in found:
            found.append(source)
    return found


def _add_contact_sync(enriched: EnrichedCall, policy: Policy, detected: dict[str, _Score]) -> None:
    """Find-or-create the caller's Altoviz contact when a customer-facing workflow needs it (email required)."""
    email = enriched.call.billing.email
    if not email:
        detected.pop("contact_sync", None)  # nothing to find or create a contact by
        return
    triggers = [name for name in policy.workflow("contact_sync").triggered_by if name in detected]
    if not triggers:
        return
    sync = detected.setdefault("contact_sync", _Score())
    # The match is as good as the classification that needs the contact.
    best = max(detected[name].confidence for name in triggers)
    sync.add("trigger", min(best, 0.95), "billing.email with " + "+".join(triggers))


def _needs_triage(enriched: EnrichedCall, policy: Policy, texts: _Texts) -> bool:
    mode = policy.triage.mode
    if mode == "never":
        return False
    call = enriched.call
    if mode == "always":
        return bool(call.transcript or call.summary)
    if _has_billing_fields(call.billing):
        return True
    if any(intent not in _NO_ACTION_INTENTS for _, intent in _intents(enriched)):
        return True  # DialNexa saw an intent we have no workflow for: a human decides
    return _BILLING_CUE.search(texts.caller.text) is not None


def _has_billing_fields(billing: BillingDetails) -> bool:
    return any(getattr(billing, name) for name in _BILLING_FIELDS)


# --- review and the action ---------------------------------------------------------------------------


def _action(
    enriched: EnrichedCall,
    policy: Policy,
    texts: _Texts,
    workflow: str,
    score: _Score,
    detected: dict[str, _Score],
) -> WorkflowAction:
    spec = policy.workflow(workflow)
    if spec.destination_object is None or spec.status is None or spec.urgency is None or spec.next_step is None:
        check_launch(policy)  # raises with the file, workflow and field
    call = enriched.call
    billing = call.billing
    confidence = round(score.confidence, 3)
    amount = _amount(enriched, workflow)
    high_value, high_value_evidence = _high_value(enriched, policy)
    reasons, urgent_reasons = _review(enriched, policy, texts, workflow, spec, confidence, amount, high_value, detected)
    if urgent_reasons:
        # Slack is part of the review path: an alert always comes with a review row.
        reasons += [f"slack alert: {reason}" for reason in urgent_reasons]
    evidence = list(score.evidence)
    if high_value:
        evidence += high_value_evidence
    if enriched.redaction.payment_details_read_out:
        evidence.append("redaction.payment_details_read_out")
    owner = _owner(policy, spec.owner or "", billing)
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
        stripe_customer_id=enriched.stripe.customer_id if enriched.stripe else None,
        hubspot_contact_id=enriched.hubspot.contact_id if enriched.hubspot else None,
        customer_phone=billing.phone or call.from_number,
        customer_number=billing.account_id,
        follow_up_deadline=deadline,
    )


def _review(
    enriched: EnrichedCall,
    policy: Policy,
    texts: _Texts,
    workflow: str,
    spec: WorkflowPolicy,
    confidence: float,
    amount: Money | None,
    high_value: bool,
    detected: dict[str, _Score],
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
    elif spec.changes and workflow not in _GUARDED_AUTOMATION:
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


def _sensitive_labels(policy: Policy, texts: _Texts) -> list[str]:
    # The caller's words, the summary and the analysis: an agent saying "don't read card numbers" or
    # "log in to the portal" is not a sensitive request.
    return [label for label, pattern in policy.sensitive_patterns if pattern.search(texts.caller.text)]


def _amount(enriched: EnrichedCall, workflow: str) -> Money | None:
    amount = enriched.call.billing.amount
    if amount is None and workflow in ("renewal_failed", "collections_log") and enriched.stripe:
        amount = enriched.stripe.amount_due
    return amount


def _high_value(enriched: EnrichedCall, policy: Policy) -> tuple[bool, list[str]]:
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


def _owner(policy: Policy, team: str, billing: BillingDetails) -> str:
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
        first_caller_turn = next((t.text for t in call.transcript if not _is_agent(t.speaker)), "")
        gist = _shorten(call.summary or first_caller_turn or "no summary", limit)
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
        lines.append(f"customer promised: {_shorten(call.billing.promised_next_step, limit)}")
    lines.append(f"transcript: {call.billing.transcript_url or 'not available'}")
    lines.append(f"recording: {call.billing.recording_url or call.recording_url or 'not available'}")
    return "\n".join(lines)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _triage(enriched: EnrichedCall, policy: Policy) -> WorkflowAction:
    call = enriched.call
    triage = policy.triage
    return WorkflowAction(
        idempotency_key=f"{call.call_id}:{REVIEW}:{triage.action}",
        call_id=call.call_id,
        workflow=REVIEW,
        action=triage.action,
        destination_object=triage.destination_object,
        owner=_owner(policy, triage.owner, call.billing),
        status=policy.review.status,
        urgency=triage.urgency,
        next_step=triage.next_step,
        record_url=call.billing.crm_url or call.billing.transcript_url,
        confidence=0.0,
        evidence=["no workflow signal in intent, fields, transcript or summary; the call talks about billing"],
        review_required=True,
        review_reasons=["no workflow matched the call"],
        summary=_shorten(call.summary or "", policy.note.summary_max_chars),
        customer_email=call.billing.email,
        transcript_url=call.billing.transcript_url,
    )
