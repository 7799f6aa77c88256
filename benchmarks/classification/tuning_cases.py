"""The tuning set (`corpus.py`) as end-to-end cases: DialNexa payloads plus the Stripe and HubSpot objects
behind each call's context, in the independent set's `Case` shape so one harness and one scorer serve both.

`corpus.py` builds `EnrichedCall`s directly; here each becomes what the pipeline would have received:
a flat DialNexa payload (transcript as turns, analysis fields as DialNexa sends them) and the vendor
objects enrichment turns into the same context. The expected review flag restates the policy's rules
from what the payload and the objects say (the corpus only labels workflows).
"""

from __future__ import annotations

from typing import Any

from benchmarks.classification.corpus import TRIAGE, LabelledCall, build_eval_set
from benchmarks.classification.independent import Case
from schemas.models import EnrichedCall

ALWAYS_REVIEWED = {"charge_dispute", "refund_approval", "billing_correction"}
TAX_FINDINGS = {"vat_number", "us_ein", "uk_utr"}


def _payload(enriched: EnrichedCall) -> dict[str, Any]:
    call = enriched.call
    billing = call.billing
    analysis: dict[str, Any] = dict(call.post_call_analysis)
    for name in ("email", "intent", "invoice_number", "payment_id", "refund_reason", "dispute_reason",
                 "promised_next_step", "finance_owner", "tax_region", "transcript_url"):  # fmt: skip
        value = getattr(billing, name)
        if value:
            analysis[name] = value
    if billing.amount is not None:
        analysis["amount"] = str(billing.amount.amount)
        analysis["currency"] = billing.amount.currency
    if billing.follow_up_deadline:
        analysis["follow_up_deadline"] = billing.follow_up_deadline.isoformat()
    payload: dict[str, Any] = {
        "call_id": call.call_id,
        "status": call.status,
        "direction": call.direction,
        "transcript": [{"role": turn.speaker, "text": turn.text} for turn in call.transcript],
        "extracted_data": analysis,
    }
    if call.summary:
        payload["summary"] = call.summary
    return payload


def _stripe_objects(enriched: EnrichedCall) -> list[dict[str, Any]]:
    stripe = enriched.stripe
    if stripe is None or stripe.customer_id is None:
        return []
    cid = stripe.customer_id
    objects: list[dict[str, Any]] = [{"object": "customer", "id": cid, "email": stripe.email, "name": None}]
    if stripe.subscription_status:
        objects.append({"object": "subscription", "id": f"sub_{cid}", "customer": cid, "created": 10,
                        "status": stripe.subscription_status, "currency": "usd", "items": {"data": []}})  # fmt: skip
    if stripe.latest_invoice_status:
        due = stripe.amount_due
        objects.append({"object": "invoice", "id": f"in_{cid}", "customer": cid, "created": 10,
                        "status": stripe.latest_invoice_status, "number": enriched.call.billing.invoice_number,
                        "amount_due": int(due.amount * 100) if due else 0,
                        "currency": (due.currency if due else "USD").lower()})  # fmt: skip
    payment = stripe.payment
    if payment is not None and payment.amount is not None:
        charge_id = f"ch_{payment.id}"
        objects.append({"object": "payment_intent", "id": payment.id, "customer": cid, "created": 10,
                        "status": payment.status, "amount": int(payment.amount.amount * 100),
                        "currency": payment.amount.currency.lower(), "latest_charge": charge_id})  # fmt: skip
        objects.append({"object": "charge", "id": charge_id, "customer": cid, "created": 10, "status": payment.status,
                        "amount": int(payment.amount.amount * 100), "currency": payment.amount.currency.lower(),
                        "refunded": payment.refunded, "amount_refunded": 0, "disputed": payment.disputed,
                        "payment_intent": payment.id})  # fmt: skip
        if payment.disputed:
            objects.append({"object": "dispute", "id": f"dp_{payment.id}", "charge": charge_id, "created": 10,
                            "status": "needs_response", "amount": 100, "currency": "usd"})  # fmt: skip
    return objects


def _hubspot_objects(enriched: EnrichedCall) -> dict[str, list[dict[str, Any]]]:
    hubspot = enriched.hubspot
    email = enriched.call.billing.email or (enriched.stripe.email if enriched.stripe else None)
    if hubspot is None or hubspot.contact_id is None or not email:
        return {}
    properties = {"email": email, **{k: v for k, v in hubspot.properties.items() if not k.startswith("company.")}}
    return {"contacts": [{"id": hubspot.contact_id, "properties": properties, "updatedAt": "2026-11-01T00:00:00Z"}]}


def _expected_review(call: LabelledCall) -> bool:
    enriched, expected = call.enriched, call.expected
    if TRIAGE in expected or expected & ALWAYS_REVIEWED:
        return True
    # (The corpus's random high-value flag and suppression flags do not survive into a payload: the
    # worker recomputes both, so they are not restated here.)
    properties = enriched.hubspot.properties if enriched.hubspot else {}
    if properties.get("account_tier", "").lower() == "enterprise":
        return True
    text = " ".join(turn.text for turn in enriched.call.transcript).lower()
    if "collections_log" in expected and any(w in text for w in ("payment plan", "instalment", "installment")):
        return True
    if enriched.stripe is None and expected:
        return True  # nobody to act for: a human finds the customer
    if set(enriched.redaction.counts) & TAX_FINDINGS or "[vat number]" in text or "[ein]" in text:
        return True
    stated = (enriched.call.billing.email or "").lower()
    on_file = ((enriched.stripe.email if enriched.stripe else None) or "").lower()
    return bool(expected & {"receipt_resend", "invoice_resend"} and (not on_file or (stated and stated != on_file)))


def tuning_cases(count: int | None = None, seed: int | None = None) -> list[Case]:
    calls = build_eval_set(seed) if seed is not None else build_eval_set()
    cases = []
    for labelled in calls[: count or None]:
        enriched = labelled.enriched
        if enriched.redaction.payment_details_read_out:
            continue  # the corpus marks a read-out card without the digits the redactor would find
        cases.append(
            Case(
                call_id=labelled.case_id,
                scenario=labelled.kind,
                tags=(),
                call=_payload(enriched),
                stripe=_stripe_objects(enriched),
                hubspot=_hubspot_objects(enriched),
                expected={"workflows": sorted(labelled.expected - {TRIAGE}), "review": _expected_review(labelled)},
            )
        )
    return cases
