"""What each workflow is recognised by: DialNexa intents, phrase cues and structured fields.

A policy owner reads this file to see which words raise which workflow; owners, statuses and review
rules live in the policy file, and how signals combine lives in `workflows.py`.
"""

from __future__ import annotations

from schemas.models import WORKFLOWS
from streams.classify.text import Cue, WorkflowSignals, rx

REQUEST = (
    r"(send|resend|re-send|e-?mail|forward|mail|need|want|like|get|give|copy of|where'?s|where is|missing|lost"
    r"|didn'?t (get|receive)|did not (get|receive)|never (got|received|arrived)|can'?t find|cannot find|looking for"
    r"|request(ing)?)"
)
CHANGE = (
    r"(add|include|remove|put|updat(e|ed|ing)|chang(e|ed|ing)|correct(ed)?|fix|amend|wrong|incorrect|outdated|old"
    r"|new|mov(e|ed)|different)"
)
BILLING_DETAIL = (
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
                rx(rf"\b{REQUEST}\b[^.?!]{{0,40}}\b(receipts?|proof of payment|payment confirmation)\b"),
                0.85,
            ),
            Cue(
                "receipt for a payment phrase",
                ("receipt", "proof of payment"),
                rx(r"\b(receipts?\s+(for|from|of|please)|proof of payment)\b"),
                0.82,
                unless=rx(r"\b(already (got|have|received)|got the receipt)\b"),
            ),
        ),
    ),
    "charge_dispute": WorkflowSignals(
        intents=frozenset({"dispute", "charge_dispute", "chargeback", "dispute_charge", "unauthorized_charge"}),
        cues=(
            Cue(
                "dispute phrase",
                ("disput", "charge", "authori", "never", "recogni", "fraud", "wasn", "bank", "contest"),
                rx(
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
                rx(r"\b(didn'?t|never|did not) (buy|order|purchase|sign(ed)? up for|subscribe(d)? to)\b"),
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
                rx(rf"\b{REQUEST}\b[^.?!]{{0,40}}\binvoices?\b"),
                0.85,
                unless=rx(
                    r"\b(wrong|incorrect|correct(ed|ion)?|update|change|fix|amend|pay|overdue|outstanding|unpaid"
                    r"|past due|vat|tax|address|company name|contact)\b"
                ),
            ),
            Cue(
                "invoice did not arrive phrase",
                ("invoice",),
                rx(r"\binvoices?\b[^.?!]{0,40}\b(again|never (came|arrived)|didn'?t (come|arrive)|went to (spam|junk)"
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
                rx(
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
                rx(
                    r"\bsubscription\b[^.?!]{0,30}\b(failed|lapsed|expired|didn'?t renew|did not renew|wasn'?t renewed"
                    r"|(got|get|was|been) (cancell?ed|suspended)|payment failed)\b"
                ),
                0.85,
                agent=0.7,
            ),
            Cue(
                "declined payment or locked account phrase",
                ("declin", "payment", "account", "access", "service", "plan"),
                rx(
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
                rx(
                    r"\b(refund(ed|s)?|money back|reimburs(e|ed|ement)|credit (it |that |this )?back"
                    r"|reverse (the|that|this) (charge|payment)|pay (me|us) back)\b"
                ),
                0.86,
                # A refund already given or on its way is a status question, not a request.
                unless=rx(
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
                rx(rf"\b{CHANGE}\b[^.?!]{{0,40}}\b{BILLING_DETAIL}\b"),
                0.88,
            ),
            Cue(
                "billing detail wrong phrase",
                ("billing", "company", "legal", "registered", "address", "vat", "tax"),
                rx(
                    rf"\b{BILLING_DETAIL}\b[^.?!]{{0,40}}\b(wrong|incorrect|outdated|changed|missing|updated"
                    r"|corrected|needs? (to be )?(updated|changed|corrected|added))\b"
                ),
                0.88,
            ),
            Cue("tax exemption phrase", ("tax", "reverse"), rx(r"\b(tax[- ]exempt(ion)?|reverse[- ]charge)\b"), 0.85),
            Cue("tax identifier read out (placeholder)", ("[vat", "[ein"), rx(r"\[(VAT NUMBER|EIN)\]"), 0.6),
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
                rx(
                    r"\b(overdue|past[- ]due|outstanding (balance|amount|invoices?|payments?)|unpaid (balance|invoices?"
                    r"|bills?)|promise to pay|payment plan|instal?lments?|collections?)\b"
                ),
                0.85,
                agent=0.82,
            ),
            Cue(
                "promise to pay phrase",
                ("pay", "settle", "clear"),
                rx(
                    r"\b(pay|settle|clear)\b (it|this|that|the (rest|balance|remainder|amount|invoice|bill)|everything"
                    r"|in full|off)\b[^.?!]{0,20}\b(by|on|next|this|before|within|end of|tomorrow|friday|monday)\b"
                ),
                0.82,
            ),
            Cue(
                "intent to pay an invoice phrase",
                ("pay", "settle"),
                rx(r"\b(pay|settle)\s+(the|this|that|my|our)\s+(invoice|bill|balance)\b"),
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
                rx(
                    r"\b(update|change|correct|new|add)\b[^.?!]{0,30}\b(e-?mail( address)?|contact (details|info"
                    r"|information|person)|phone number)\b|\bmake sure\b[^.?!]{0,30}\be-?mail\b"
                ),
                0.85,
            ),
        ),
    ),
}  # fmt: skip
assert set(WORKFLOW_SPECS) == set(WORKFLOWS)


INTENT_ALIASES = {alias: name for name, spec in WORKFLOW_SPECS.items() for alias in spec.intents}
# Intents DialNexa gives calls that need nothing; any other unknown intent is a billing cue for triage.
NO_ACTION_INTENTS = frozenset(
    {"", "none", "no_intent", "chit_chat", "small_talk", "wrong_number", "voicemail", "greeting", "other", "hangup"}
)
BILLING_CUE = rx(
    r"\b(bill(s|ed|ing)?|invoices?|receipts?|charges?|charged|payments?|pay|paid|refunds?|subscriptions?|plans?"
    r"|pricing|price|fees?|balance|credit|debit|renewal|renew|tax|vat|statement|overdue|card|discount|upgrade"
    r"|downgrade|cost|costs)\b"
)
