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
    return cases if count else cases + identity_cases()


# --- identity cases: the customer is known only by a number, stored and dialled in different forms ----
# Written from the failure classes of issue 11 (numbers in national / E.164 / formatted forms, test
# ranges no plan allocates, extensions, 00 / 011 prefixes, a country only in the customer's address,
# outbound calls, numbers read out), not from any evaluation set's cases.

OUR_LINE = "+18885550100"
RECEIPT = "Hi, could you send me the receipt for my last payment? I can't find it."
# (stored in Stripe, customer address country, number DialNexa sends, direction)
PHONE_FORMS: list[tuple[str, str | None, str, str]] = [
    ("(415) 555-0134", None, "14155550134", "inbound"),
    ("+1 415-555-0135", None, "4155550135", "inbound"),
    ("415.555.0136 ext. 204", None, "+14155550136", "inbound"),
    ("(555) 555-0137", None, "5555550137", "inbound"),  # area code 555: allocated to nobody
    ("+1 202 555 0138", None, "2025550138", "inbound"),  # 555-01xx, the fictional range
    ("07700 900138", "GB", "+447700900138", "inbound"),  # the UK's drama range, country from the address
    ("07700 900139", None, "447700900139", "inbound"),
    ("+44 (0)20 7946 0140", None, "+442079460140", "inbound"),
    ("0044 20 7946 0141", None, "442079460141", "inbound"),
    ("011 44 20 7946 0142", None, "+442079460142", "inbound"),
    ("030 1234543", "DE", "+49301234543", "inbound"),
    ("+61 491 570 144", None, "61491570144", "outbound"),  # outbound: the customer is the number called
    ("+1 (646) 555-0145", None, "16465550145", "outbound"),
]


def _customer(cid: str, email: str, phone: str | None, country: str | None = None,
              name: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"object": "customer", "id": cid, "email": email, "name": name, "phone": phone,
            "address": {"country": country} if country else None}  # fmt: skip


def _subscription(cid: str, status: str) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = [
        {"object": "subscription", "id": f"sub_{cid}", "customer": cid, "created": 10, "status": status,
         "currency": "usd", "items": {"data": []}},
    ]  # fmt: skip
    if status in ("past_due", "unpaid"):
        objects.append({"object": "invoice", "id": f"in_{cid}", "customer": cid, "created": 10, "status": "open",
                        "number": f"{cid[-6:].upper()}-0001", "amount_due": 4900, "currency": "usd"})  # fmt: skip
    return objects


def _call(call_id: str, turns: list[tuple[str, str]], number: str | None, direction: str = "inbound",
          **analysis: str) -> dict[str, Any]:  # fmt: skip
    lines = {"from_number": OUR_LINE, "to_number": number} if direction == "outbound" else {
        "from_number": number, "to_number": OUR_LINE}
    payload: dict[str, Any] = {"call_id": call_id, "status": "completed", "direction": direction,
                               "transcript": [{"role": r, "text": t} for r, t in turns], **lines}  # fmt: skip
    if analysis:
        payload["extracted_data"] = analysis
    return {k: v for k, v in payload.items() if v is not None}


def _case(call_id: str, scenario: str, call: dict[str, Any], stripe: list[dict[str, Any]], workflows: list[str],
          review: bool, hubspot: dict[str, list[dict[str, Any]]] | None = None) -> Case:  # fmt: skip
    return Case(call_id=call_id, scenario=scenario, tags=(), call=call, stripe=stripe, hubspot=hubspot or {},
                expected={"workflows": sorted(workflows), "review": review})  # fmt: skip


def identity_cases() -> list[Case]:
    cases: list[Case] = []
    for n, (stored, country, dialled, direction) in enumerate(PHONE_FORMS):
        cid = f"cus_idphone{n:02d}"
        turns = [("agent", "Thanks for calling billing, how can I help?"), ("user", RECEIPT)]
        if direction == "outbound":
            turns = [("agent", "Hi, this is the billing team following up on your account."),
                     ("user", "Sure. While I have you, " + RECEIPT[4:])]  # fmt: skip
        cases.append(_case(f"id-phone-{n:02d}", "identity_phone_form", _call(f"id-phone-{n:02d}", turns, dialled,
                           direction), [_customer(cid, f"billing{n}@phone{n}.example", stored, country)],
                           ["receipt_resend"], False))  # fmt: skip
    # A HubSpot-only contact whose national mobile is read in the contact's country.
    contact = {"id": "77001", "properties": {"email": "ops@hubonly.example", "mobilephone": "07700 900150",
               "country": "United Kingdom"}, "updatedAt": "2026-11-01T00:00:00Z"}  # fmt: skip
    cases.append(_case("id-hub-country", "identity_phone_form",
                       _call("id-hub-country", [("user", "We'd like to add a new accounts payable contact, "
                             "please: send future invoices to our new AP clerk too.")], "+447700900150"), [],
                       ["contact_sync"], True, {"contacts": [contact]}))  # fmt: skip
    # Caller id withheld: the caller reads out the number on the account.
    spoken = [("agent", "I can't see your number, which number is on the account?"),
              ("user", "It's four one five, five five five, oh one five one. Can you resend the receipt for "
                       "my last payment?")]  # fmt: skip
    cases.append(_case("id-spoken", "identity_phone_form", _call("id-spoken", spoken, None),
                       [_customer("cus_idspoken", "sam@spoken.example", "+1 415 555 0151")], ["receipt_resend"],
                       False))  # fmt: skip

    # Context only: a symptom said by a customer Stripe shows past_due is a failed renewal.
    symptoms = ["I'm locked out of the dashboard since this morning, what's going on?",
                "Our account was suspended overnight and the team can't work.",
                "I got an email saying the payment bounced, what do I need to do?",
                "The service stopped working for all our users today."]  # fmt: skip
    for n, words in enumerate(symptoms):
        cid, number = f"cus_idctx{n}", f"+1 312 555 01{60 + n}"
        cases.append(_case(f"id-ctx-{n}", "identity_context_renewal", _call(f"id-ctx-{n}", [("user", words)],
                           f"1312555016{n}"), [_customer(cid, f"ctx{n}@ctx.example", number),
                           *_subscription(cid, "past_due")], ["renewal_failed"], False))  # fmt: skip
    # ... and from a customer in good standing, a support problem.
    cases.append(_case("id-ctx-ok", "identity_context_renewal",
                       _call("id-ctx-ok", [("user", "I'm locked out of the dashboard, I think I forgot my "
                             "password.")], "13125550170"),
                       [_customer("cus_idctxok", "ok@ctx.example", "(312) 555-0170"),
                        *_subscription("cus_idctxok", "active")], [], False))  # fmt: skip

    # Outbound renewal calls: recovery of a past_due subscription, and a courtesy reminder.
    recovery = "Hi, I'm calling from billing because the renewal payment for your subscription didn't go through."
    outbound = [
        ("Oh, my card expired last month. I'll put the new one in through the link you sent.", "past_due",
         ["renewal_failed"], False),
        ("We'd renew today if you can give us a discount on this year, money is tight.", "past_due",
         ["renewal_failed"], True),
        ("Can we pay it in two instalments instead? The full amount is hard this month.", "past_due",
         ["renewal_failed"], True),
    ]  # fmt: skip
    for n, (answer, status, workflows, review) in enumerate(outbound):
        cid = f"cus_idout{n}"
        cases.append(_case(f"id-out-{n}", "identity_outbound_renewal",
                           _call(f"id-out-{n}", [("agent", recovery), ("user", answer)], f"1720555018{n}",
                                 "outbound"),
                           [_customer(cid, f"out{n}@out.example", f"720-555-018{n}"), *_subscription(cid, status)],
                           workflows, review))  # fmt: skip
    courtesy = [("agent", "Just a courtesy call: your plan renews next week and there's nothing you need to do."),
                ("user", "Great, thanks for letting me know.")]  # fmt: skip
    cases.append(_case("id-out-courtesy", "identity_outbound_renewal",
                       _call("id-out-courtesy", courtesy, "17205550189", "outbound"),
                       [_customer("cus_idoutc", "c@out.example", "(720) 555-0189"),
                        *_subscription("cus_idoutc", "active")], [], False))  # fmt: skip

    # Low-confidence matches: the number of one customer and the spelled-out email of another; a
    # company name two customers share (and a number nobody has).
    cases.append(_case("id-low-conflict", "identity_low_confidence",
                       _call("id-low-conflict", [("user", "Please resend the receipt for my last payment, my email "
                             "is dana dot reyes at conflictb dot example.")], "+13035550190"),
                       [_customer("cus_idlowa", "ops@conflict-a.example", "303-555-0190"),
                        _customer("cus_idlowb", "dana.reyes@conflictb.example", "+1 303 555 0191")],
                       ["receipt_resend"], True))  # fmt: skip
    cases.append(_case("id-low-company", "identity_low_confidence",
                       _call("id-low-company", [("user", "Hi, I'm calling from Nordlicht Analytics, can you resend "
                             "our last receipt?")], "+13035550192"),
                       [_customer("cus_idnorde", "ap@nordlicht.example", "+49 30 1234550", "DE",
                                  "Nordlicht Analytics GmbH"),
                        _customer("cus_idnordu", "ap@nordlicht.example.co.uk", "+44 20 7946 0193", "GB",
                                  "Nordlicht Analytics Ltd")], ["receipt_resend"], True))  # fmt: skip

    # High value from HubSpot only (a tier on the contact, a contract value on its company), found by number.
    for n, (contact_props, company_props) in enumerate([({"account_tier": "Enterprise"}, {}),
                                                        ({}, {"annual_contract_value": "120000"})]):  # fmt: skip
        cid, email = f"cus_idhv{n}", f"finance{n}@hv.example"
        company = {"id": f"88{n}01", "properties": {"name": f"Highvalue {n} Inc", **company_props},
                   "updatedAt": "2026-11-01T00:00:00Z"}  # fmt: skip
        hub_contact = {"id": f"88{n}02", "properties": {"email": email, "stripe_customer_id": cid,
                       "phone": f"+1 617 555 02{n}0", **contact_props}, "updatedAt": "2026-11-01T00:00:00Z",
                       "associations": {"companies": [f"88{n}01"]}}  # fmt: skip
        cases.append(_case(f"id-hv-{n}", "identity_high_value_hubspot",
                           _call(f"id-hv-{n}", [("user", RECEIPT)], f"61755502{n}0"),
                           [_customer(cid, email, None)], ["receipt_resend"], True,
                           {"companies": [company], "contacts": [hub_contact]}))  # fmt: skip
    return cases
