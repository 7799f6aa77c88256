"""A labelled evaluation set for the classifier: synthetic `EnrichedCall`s built in code.

Every call carries the set of workflows a finance person would expect from it ("review" for a call
that should be triaged by a human, the empty set for a call that needs nothing). The wording banks
were written as callers talk, independently of the classifier's cue lists, and include calls the
classifier is expected to find hard: negations, an agent's offer the caller turns down, a refund
status question, two requests in one call, intents without wording and wording without intents.

Labels follow the product rules, not the classifier: `contact_sync` is expected only when the call
asks to add, replace or correct a contact (finding the Altoviz contact is a step of every Altoviz
action, not a workflow); a billing question the agent answered needs nothing, while a request no
workflow handles (cancel a plan, a callback) is triaged by a human.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from schemas.models import (
    BillingDetails,
    CallEvent,
    EnrichedCall,
    EnrichmentStatus,
    HubSpotContext,
    Money,
    PaymentContext,
    RedactionReport,
    StripeContext,
    SuppressionFlags,
    TranscriptTurn,
)

TRIAGE = "review"
SEED = 20261120


@dataclass(frozen=True)
class LabelledCall:
    case_id: str
    kind: str  # single | mixed | ambiguous | triage | no_action
    enriched: EnrichedCall
    expected: frozenset[str]


# What callers say, per workflow. {inv} is an invoice number; amounts are said as words on purpose
# in some lines (the redactor leaves amounts alone; the classifier must not need them).
CALLER_LINES: dict[str, list[str]] = {
    "receipt_resend": [
        "Hi, can you send me the receipt for my March payment?",
        "I need a copy of the receipt for last month, my accountant is asking.",
        "I never got a receipt after I paid yesterday.",
        "Could you email me the receipt again? I deleted it by mistake.",
        "Where is my receipt? I paid on Monday and nothing arrived.",
        "I'd like proof of payment for the annual plan, for my expense report.",
        "Can I get a receipt for the two payments I made this quarter?",
        "My finance team wants the payment confirmation for our last charge, can you forward it?",
        "Please resend the receipts for January and February.",
        "I'm looking for the receipt from my last top-up.",
    ],
    "charge_dispute": [
        "There is a charge on my card I never made, I want to dispute it.",
        "I don't recognise this charge from last Tuesday.",
        "Someone charged my account and it wasn't me, this is fraud.",
        "I did not authorise this payment and I want it investigated.",
        "I'm disputing the charge from the twelfth, I never approved an upgrade.",
        "I've opened a chargeback with my bank for that payment.",
        "This transaction is unauthorized, please look into it.",
        "I was charged for a plan I never signed up for.",
        "I filed a claim with my bank about your charge, I want to contest it.",
        "We see a payment we don't recognize on the company card.",
    ],
    "invoice_resend": [
        "Could you resend invoice {inv}? I can't find it.",
        "I need a copy of invoice {inv} for our records.",
        "The invoice for October never arrived, can you send it again?",
        "Can you email me invoice {inv} again please?",
        "Our accounts payable team lost the invoice, could you re-send it?",
        "I didn't receive the invoice for this month.",
        "Please send invoice {inv} to me, it went to spam I think.",
        "I'm looking for last quarter's invoice, can you forward it?",
        "Would you mail the invoice again, the PDF link expired.",
        "Where's the invoice for our September usage?",
    ],
    "renewal_failed": [
        "My subscription renewal failed this morning and the dashboard is locked.",
        "The auto-renewal didn't go through, my card was declined.",
        "I got an email saying the renewal was unsuccessful.",
        "Our subscription lapsed because the payment failed.",
        "I couldn't renew the plan, it keeps rejecting my card.",
        "Why did my subscription get cancelled? I thought it renews automatically.",
        "The renewal payment bounced and now we lost access.",
        "Our annual subscription expired last night, the renewal failed.",
        "I tried to renew but it says the payment failed.",
        "The system declined my renewal, can you help me sort it out?",
    ],
    "refund_approval": [
        "I was billed twice for November, I'd like a refund for the duplicate.",
        "I want my money back for the month I didn't use.",
        "Can you refund the upgrade? I clicked it by accident.",
        "I cancelled before the trial ended, please refund me.",
        "I'd like to be reimbursed for the overcharge.",
        "Please refund the last payment, the service was down all week.",
        "We downgraded but got charged the old price, can we get a refund of the difference?",
        "I'm asking for a refund on the annual plan, we switched providers.",
        "Could you credit that back to my card? It was a mistake.",
        "I want a refund for the add-on, it never worked.",
    ],
    "billing_correction": [
        "We need to update the VAT number and the billing address on our account.",
        "The company name on the invoice is wrong, it should be our new legal entity.",
        "Our billing address changed, we moved offices last month.",
        "Can you add our tax ID to future invoices?",
        "We are tax exempt, the invoices shouldn't include sales tax.",
        "The address on our invoices is outdated, please correct it.",
        "Our VAT ID is missing from the invoices.",
        "Please change the billing details to our Dublin entity.",
        "We changed our registered name, the invoices need to reflect that.",
        "The tax region on our account is incorrect, we're in Germany now.",
    ],
    "collections_log": [
        "I know the balance is overdue, I can pay it by Friday.",
        "Can we set up a payment plan for the outstanding invoices?",
        "I'll settle the rest of the balance next week.",
        "Yes I got your reminder about the unpaid invoice, I'll pay on the fifteenth.",
        "We can pay half now and the remainder by the end of the month.",
        "I promise to pay the outstanding amount on Monday.",
        "Could we split the overdue amount into instalments?",
        "Our payment is late because of the holidays, we'll clear it this week.",
        "Tell the collections team we'll pay in full by the end of the month.",
        "I'll pay off the past due amount tomorrow.",
    ],
    "contact_sync": [
        "Please make sure my new work email is the one you have.",
        "Can you update my email address? The old one is gone.",
        "Please add my colleague as a new contact for billing emails, her email is on the form.",
        "I'd like to change the email you have for me.",
        "We have a new contact person for invoices, please update the contact details.",
    ],
}

SUMMARIES: dict[str, list[str]] = {
    "receipt_resend": ["Caller asked for a payment receipt.", "Customer requested a copy of a receipt."],
    "charge_dispute": ["Caller disputes a charge they do not recognise.", "Customer reports an unauthorized charge."],
    "invoice_resend": ["Caller asked for an invoice to be resent.", "Customer did not receive an invoice."],
    "renewal_failed": ["Subscription renewal failed; caller wants access back.", "Customer's renewal was declined."],
    "refund_approval": ["Caller requests a refund.", "Customer asked for money back on a charge."],
    "billing_correction": ["Caller wants billing address and VAT details updated.", "Company name on invoices wrong."],
    "collections_log": ["Overdue balance; customer promised to pay.", "Collections call, payment plan discussed."],
    "contact_sync": ["Caller asked to update their contact email."],
}

INTENTS: dict[str, list[str]] = {
    "receipt_resend": ["receipt_resend", "receipt request", "send_receipt"],
    "charge_dispute": ["charge_dispute", "dispute", "chargeback"],
    "invoice_resend": ["invoice_resend", "resend-invoice", "invoice_request"],
    "renewal_failed": ["renewal_failed", "payment_failed"],
    "refund_approval": ["refund", "refund_request", "refund_approval"],
    "billing_correction": ["billing_correction", "address_change"],
    "collections_log": ["collections", "promise_to_pay"],
    "contact_sync": ["contact_update", "contact_sync"],
}

AGENT_OPENINGS = [
    "Thanks for calling Acme billing, how can I help?",
    "Hello, you're through to the billing desk.",
    "Good morning, this is the Acme assistant.",
]
AGENT_OUTBOUND = [
    "Hi, I'm calling from Acme about the overdue balance on your account.",
    "Hello, this is Acme accounts receivable calling about an outstanding invoice.",
]
AGENT_CLOSINGS = ["I'll take care of that.", "Understood, I'll pass this on.", "Thanks, noted.", "Okay, one moment."]
CALLER_SPEAKERS = ["user", "customer", "caller"]

# Calls that need nothing: (status, turns). No billing content, or nobody spoke.
NO_ACTION: list[tuple[str | None, list[tuple[str, str]]]] = [
    ("hangup", []),
    ("no_answer", []),
    ("busy", []),
    ("voicemail", []),
    ("completed", []),
    ("completed", [("agent", "Hello, Acme billing?"), ("user", "Sorry, wrong number.")]),
    ("completed", [("agent", "How can I help?"), ("user", "What a nice day, I just wanted to say thanks!")]),
    ("completed", [("user", "What are your opening hours on Saturday?"), ("agent", "Nine to five.")]),
    ("completed", [("user", "Can I talk to someone in sales about a demo?"), ("agent", "I'll transfer you.")]),
    ("completed", [("agent", "Hello?"), ("user", "Hello? I can't hear you."), ("agent", "Hello?")]),
    ("hangup", [("agent", "Thanks for calling Acme billing.")]),
    ("completed", [("user", "Is the office closed for the holiday?"), ("agent", "Yes, on Monday.")]),
    ("completed", [("user", "I just wanted to say your support was great yesterday.")]),
    ("failed", []),
    ("did_not_pick", []),
    ("completed", [("user", "Who am I speaking with?"), ("agent", "The Acme assistant."), ("user", "Ok bye.")]),
]

# Requests no workflow handles: a human triages them.
TRIAGE_LINES = [
    "I want to cancel my subscription at the end of this month.",
    "Please downgrade our plan to the basic tier from next cycle.",
    "I'd like to speak to a manager about how this was handled.",
    "Can someone call me back about our contract tomorrow?",
    "We need to change the payment method on the account to a bank transfer.",
]
# Billing questions the agent answered: nothing to do.
QUESTION_LINES = [
    "I have a question about my bill.",
    "How much does the enterprise plan cost per seat?",
    "Can I pay by bank transfer next time instead of card?",
    "Why did my price go up this month?",
    "When will my refund arrive? You approved it last week.",
    "I already got the receipt, thanks, but what does the platform fee cover?",
    "Do you offer a discount for nonprofits?",
    "Is VAT included in the price you quoted?",
    "Can I switch from monthly to annual billing?",
    "What payment methods do you accept?",
]

# Hard calls, each with what finance expects (without contact_sync, added by the email rule).
AMBIGUOUS: list[tuple[list[tuple[str, str]], frozenset[str]]] = [
    (
        [("user", "I'm not disputing anything, I just need the receipt for March.")],
        frozenset({"receipt_resend"}),
    ),
    (
        [("agent", "Would you like a refund for that month?"), ("user", "No, that's fine, just resend the invoice.")],
        frozenset({"invoice_resend"}),
    ),
    (
        [("user", "I don't want a refund, I want to know why the renewal failed.")],
        frozenset({"renewal_failed"}),
    ),
    (
        [("user", "No need to refund anything, can you send me the receipt though?")],
        frozenset({"receipt_resend"}),
    ),
    (
        # Resolved in the call: the caller recognises the charge once the agent explains it.
        [("agent", "Should I open a dispute?"), ("user", "No no, I recognise it now, sorry. Bye.")],
        frozenset(),
    ),
    (
        [("user", "The invoice is fine, but the company name on it is wrong.")],
        frozenset({"billing_correction"}),
    ),
    (
        [("user", "I'd like to pay the invoice, can I do it by Friday?"), ("agent", "Yes, noted.")],
        frozenset({"collections_log"}),
    ),
    (
        [("user", "My refund already came through, thanks. Can you update my email address too?")],
        frozenset({"contact_sync"}),
    ),
    (
        [("agent", "Your renewal failed, do you want to update your card?"), ("user", "Yes, I'll do it online.")],
        frozenset({"renewal_failed"}),
    ),
    (
        [("user", "I'm not asking for money back, just the receipt for the refund you gave me.")],
        frozenset({"receipt_resend"}),
    ),
    (
        [("user", "I got the invoice, thanks. But the billing address on it is outdated.")],
        frozenset({"billing_correction"}),
    ),
    (
        [("user", "Is there a fee if I pay late?"), ("agent", "A small one.")],
        frozenset(),
    ),
    (
        # Retracted later in the call.
        [("user", "I want to dispute the charge from Tuesday."), ("agent", "Let me check."),
         ("user", "Oh wait, never mind, my mistake, it was my colleague.")],
        frozenset(),
    ),
    (
        [("user", "I need a receipt for the dispute form my bank sent me.")],
        frozenset({"receipt_resend"}),
    ),
    (
        [("user", "My card was stolen so the bank sent me a new card, there was fraud on the old one."),
         ("user", "I just want to put the replacement card on file.")],
        frozenset(),
    ),
    (
        [("user", "The PDF attachment won't open. Could you forward it again?")],
        frozenset({"invoice_resend"}),
    ),
]

# Context: the caller describes a symptom; Stripe's subscription status decides (status, lines, expected).
CONTEXT: list[tuple[str, list[str], frozenset[str]]] = [
    ("past_due", ["Our service stopped working this morning, what happened?"], frozenset({"renewal_failed"})),
    ("past_due", ["I think the payment bounced, the dashboard says we're suspended."], frozenset({"renewal_failed"})),
    ("unpaid", ["We can't access the platform since yesterday."], frozenset({"renewal_failed"})),
    ("active", ["I can't log in, I forgot my password."], frozenset()),
    ("active", ["The dashboard is not working for me today, is there an outage?"], frozenset()),
    ("past_due", ["Hi, can you send me the receipt for my last payment?"], frozenset({"receipt_resend"})),
]

# The review gate's newer rules: each call must reach review (line, expected workflows, call options).
GATE: list[tuple[str, frozenset[str], dict[str, object]]] = [
    ("Please send the receipt for last month.", frozenset({"receipt_resend"}),
     {"analysis": {"send_to": "someone.else@elsewhere.example"}}),
    ("Our new number is [VAT NUMBER], please use it from now on.", frozenset({"billing_correction"}),
     {"counts": {"vat_number": 1}}),
    ("Here it is: [EIN].", frozenset({"billing_correction"}), {"counts": {"us_ein": 1}}),
    ("Could you resend invoice INV-2026-0042? I can't find it.", frozenset({"invoice_resend"}),
     {"identity": ("company", 0.6)}),
    ("My subscription renewal failed yesterday.", frozenset({"renewal_failed"}),
     {"hubspot_properties": {"account_tier": "Enterprise"}}),
    ("Could you resend invoice INV-2026-0043? I can't find it.", frozenset({"invoice_resend"}),
     {"hubspot_properties": {"company.contract_value": "120000"}}),
    # A contact change that changes who receives billing documents is an access change (issue 11).
    ("Our controller is leaving, please set up her replacement as the billing contact.",
     frozenset({"contact_sync"}), {}),
    ("Could you add a second recipient for our bills, the finance inbox.", frozenset({"contact_sync"}), {}),
]  # fmt: skip

# Round 4 (route-lang): the language classes a hold-out run showed weak, in wordings written from the
# class descriptions only (withdrawn and replaced requests, declined and accepted offers, mentions
# inside another request, answered questions, late requests, other languages, several intents).
# (kind, turns, expected workflows, call options); "review" marks a call a human must triage.
U, A = "user", "agent"
LANGUAGE: list[tuple[str, list[tuple[str, str]], frozenset[str], dict[str, object]]] = [
    # --- a request withdrawn, negated or declined: nothing (or only what the caller keeps) ---
    ("negation", [(U, "I'd like to dispute the charge from the ninth."), (A, "Sure, what was the amount?"),
                  (U, "Hold on, I see it now, that was our annual plan. Forget the dispute, sorry.")], frozenset(),
     {"intent": "dispute", "fields": {"dispute_reason": "unrecognised charge"}}),
    ("negation", [(U, "Just to be clear, I am not disputing the payment."), (U, "I only need the receipt for it.")],
     frozenset({"receipt_resend"}), {}),
    ("negation", [(A, "I can put in a refund request for the unused days if you want."),
                  (U, "No thank you, we'll use them next month.")], frozenset(), {}),
    ("negation", [(A, "Would you like me to open a dispute on that charge?"),
                  (U, "Nah, it's fine, my partner bought it.")], frozenset(), {}),
    ("negation", [(U, "Can you refund last month and send me the invoice for this month?"), (A, "Of course."),
                  (U, "Actually, leave the refund, we did use the service. Only the invoice please.")],
     frozenset({"invoice_resend"}), {}),
    ("negation", [(U, "There's no need to refund anything, I just want to understand the charge."),
                  (A, "It's the seat add-on you added in May."), (U, "Right, that makes sense, thanks.")],
     frozenset(), {}),
    ("negation", [(U, "I was going to ask for my money back, but honestly it isn't worth the hassle."),
                  (U, "Never mind, have a good day.")], frozenset(), {"intent": "refund"}),
    ("negation", [(U, "I don't want to contest anything, but the receipt never reached me.")],
     frozenset({"receipt_resend"}), {}),
    ("negation", [(U, "I want to raise a dispute about the payment on the third."), (A, "Let me pull that up."),
                  (U, "Oh wait, scratch that, my accountant made that payment.")], frozenset(), {}),
    ("negation", [(U, "A refund? No, I'm not after a refund."),
                  (U, "I need the company name on our invoices changed to our new legal name.")],
     frozenset({"billing_correction"}), {"intent": "refund"}),
    ("negation", [(U, "I'm calling about the double charge, but I'm not asking you to refund it,"
                      " the bank already reversed one of them. Can you send a receipt for the other?")],
     frozenset({"receipt_resend"}), {}),
    ("negation", [(U, "We don't dispute the amount at all, we just want the invoice copy for our auditors.")],
     frozenset({"invoice_resend"}), {"intent": "charge_dispute"}),
    # --- the caller changes their mind: the later request replaces the earlier one ---
    ("changed_mind", [(U, "I'd like a refund for the last charge."), (A, "Okay, let me check."),
                      (U, "Actually, you know what, forget the refund. Just send me the invoice for it so I can"
                          " file it.")], frozenset({"invoice_resend"}), {"intent": "refund"}),
    ("changed_mind", [(U, "I want to dispute this charge."), (A, "I can help with that."),
                      (U, "On second thought, rather than a dispute, could you just refund it? It was a"
                          " duplicate.")], frozenset({"refund_approval"}), {}),
    ("changed_mind", [(U, "Can you send me the receipt for October?"), (A, "Sure."),
                      (U, "Sorry, I meant the invoice, not the receipt. The invoice for October.")],
     frozenset({"invoice_resend"}), {}),
    ("changed_mind", [(U, "Our billing address is wrong on the account."), (A, "What should it be?"),
                      (U, "Hmm, I just checked and it's correct after all, my mistake."),
                      (U, "I only need a receipt for the last payment then.")], frozenset({"receipt_resend"}), {}),
    ("changed_mind", [(U, "Please refund the setup fee."), (A, "Let me look."),
                      (U, "Hmm, let's skip the refund. Could I get a receipt for the setup fee instead?")],
     frozenset({"receipt_resend"}), {}),
    ("changed_mind", [(U, "I need to dispute a charge from last week."), (A, "Which one?"),
                      (U, "The one on the fourth. Ah, no, hold on, I recognise it now."),
                      (U, "Could you email me the receipt for it instead?")], frozenset({"receipt_resend"}), {}),
    ("changed_mind", [(U, "Send the invoice to my email again please."), (A, "Sure."),
                      (U, "Actually make that the receipt instead, the invoice I already have.")],
     frozenset({"receipt_resend"}), {}),
    ("changed_mind", [(U, "I wanted a refund for the duplicate charge, but I see the second one was reversed"
                          " already."), (U, "So no refund needed, just a receipt for the one that stayed.")],
     frozenset({"receipt_resend"}), {"fields": {"refund_reason": "duplicate charge"}}),
    # --- a dispute mentioned only inside another request ---
    ("mention", [(U, "My bank is looking into a dispute on my card and they asked me for the receipt of your"
                     " charge. Can you send it?")], frozenset({"receipt_resend"}), {}),
    ("mention", [(U, "I need proof of payment for a chargeback claim I'm handling with my bank about another"
                     " shop.")], frozenset({"receipt_resend"}), {}),
    ("mention", [(U, "For the dispute paperwork, could you email me a copy of the receipt from June?")],
     frozenset({"receipt_resend"}), {}),
    ("mention", [(U, "The card company opened a dispute case automatically and wants the payment receipt."),
                 (U, "I'm fine with your charge, I just need the receipt.")], frozenset({"receipt_resend"}),
     {"intent": "dispute"}),
    ("mention", [(U, "Could you resend the receipt? I have to attach it to a claim form for my insurer.")],
     frozenset({"receipt_resend"}), {}),
    # --- a card replaced after fraud is not a dispute of our charge ---
    ("card_replaced", [(U, "Someone stole my card details, so the bank cancelled the card."),
                       (U, "I have a new one now, how do I put it on the account?"),
                       (A, "You can update it under Billing.")], frozenset(), {"subscription_status": "active"}),
    ("card_replaced", [(U, "There was fraud on my card last week, not with you, and I got a replacement."),
                       (U, "I just wanted to update the card you have.")], frozenset(),
     {"subscription_status": "active"}),
    ("card_replaced", [(U, "My card got compromised and the bank blocked it, so I guess the renewal bounced."),
                       (U, "Our account is suspended now.")], frozenset({"renewal_failed"}),
     {"subscription_status": "past_due"}),
    ("card_replaced", [(U, "The bank replaced my card after some fraudulent purchases elsewhere, and now the"
                           " subscription payment didn't go through.")], frozenset({"renewal_failed"}),
     {"subscription_status": "past_due"}),
    ("card_replaced", [(U, "My card was skimmed at a petrol station and the bank issued a new one."),
                       (U, "None of your charges are wrong, just letting you know the card number will change.")],
     frozenset(), {"subscription_status": "active"}),
    # --- a question the agent answered: nothing to do ---
    ("question", [(U, "Has my refund gone through yet? You said it was approved on Monday."),
                  (A, "Yes, it was sent yesterday, it takes five days."), (U, "Great, thanks.")], frozenset(),
     {"intent": "refund"}),
    ("question", [(U, "I'm just checking on the refund from last week, did it get processed?"),
                  (A, "It has, you'll see it soon.")], frozenset(), {}),
    ("question", [(U, "What's this charge of forty nine dollars on my statement?"),
                  (A, "That's the monthly plan."), (U, "Ah okay, that explains it, thanks.")], frozenset(), {}),
    ("question", [(U, "When is my next payment due?"), (A, "On the first of the month.")], frozenset(), {}),
    ("question", [(U, "Did you receive my payment for the March invoice?"), (A, "Yes, it's marked paid.")],
     frozenset(), {}),
    ("question", [(U, "Why was I charged tax this month?"), (A, "Your billing region changed in October."),
                  (U, "Okay, understood.")], frozenset(), {}),
    ("question", [(U, "How do I download a receipt from the portal myself?"),
                  (A, "Under Billing, then History, there's a download button.")], frozenset(), {}),
    ("question", [(U, "Is my refund still pending? I haven't seen it on my card."),
                  (A, "It was issued on the second, banks take up to ten days.")], frozenset(), {}),
    # --- a problem the agent could not pin down, handed to a person ---
    ("unclear", [(U, "Something's not right with my bill this month, I can't really explain it."),
                 (U, "Can someone call me back?")], frozenset({"review"}), {}),
    ("unclear", [(U, "I'm confused about the billing, there's a number that doesn't add up."),
                 (A, "Can you tell me which invoice?"), (U, "I'm not sure, please have a person phone me.")],
     frozenset({"review"}), {}),
    ("unclear", [(U, "There's an issue with our account charges but I need to check with finance first."),
                 (U, "Could you ring me tomorrow?")], frozenset({"review"}), {}),
    # --- small talk first, the request last ---
    ("late_request", [(A, "How are you today?"), (U, "Oh not bad, it's been raining all week here."),
                      (A, "Same here."), (U, "My kids are off school, so it's chaos, you know how it is."),
                      (A, "I can imagine."), (U, "Anyway, the reason I called: the invoice from May never came"
                                                 " through, can you resend it?")],
     frozenset({"invoice_resend"}), {}),
    ("late_request", [(U, "Hi, I hope you're having a good day."), (A, "I am, thanks."),
                      (U, "We just moved offices, it's been a lot, boxes everywhere."), (A, "Sounds busy."),
                      (U, "Oh, and before I forget, I'd like a refund for the extra seat we were billed for.")],
     frozenset({"refund_approval"}), {}),
    ("late_request", [(U, "Hello, lovely weather today."), (A, "It is."), (U, "I was out walking the dog."),
                      (U, "So, I'm calling because our renewal didn't go through and the card was declined.")],
     frozenset({"renewal_failed"}), {}),
    # --- an agent's offer counts when the caller accepts it ---
    ("offer", [(U, "I was charged twice for the same month."),
               (A, "I can refund the duplicate charge for you, would you like that?"), (U, "Yes please, go ahead.")],
     frozenset({"refund_approval"}), {}),
    ("offer", [(U, "I can't find last month's invoice anywhere."),
               (A, "Do you want me to send you a fresh copy of the invoice?"), (U, "Yes, that would be great.")],
     frozenset({"invoice_resend"}), {}),
    ("offer", [(A, "Your payment went through. Should I email you the receipt?"), (U, "Sure, thanks.")],
     frozenset({"receipt_resend"}), {}),
    ("offer", [(U, "Please resend the March invoice."), (A, "Done. Want the receipt for February as well?"),
               (U, "No, I have that one.")], frozenset({"invoice_resend"}), {}),
    # --- other languages ---
    ("non_english", [(U, "Hola, necesito el recibo del pago de marzo, ¿me lo pueden enviar por correo?")],
     frozenset({"receipt_resend"}), {}),
    ("non_english", [(U, "No me llegó la factura de octubre, ¿podrían reenviarla?")],
     frozenset({"invoice_resend"}), {}),
    ("non_english", [(U, "Hay un cargo en mi tarjeta que no reconozco, quiero disputarlo.")],
     frozenset({"charge_dispute"}), {}),
    ("non_english", [(U, "Me cobraron dos veces este mes, quiero un reembolso del cargo duplicado.")],
     frozenset({"refund_approval"}), {}),
    ("non_english", [(U, "La renovación de mi suscripción falló, la tarjeta fue rechazada.")],
     frozenset({"renewal_failed"}), {}),
    ("non_english", [(U, "Necesitamos cambiar la dirección de facturación de la empresa.")],
     frozenset({"billing_correction"}), {}),
    ("non_english", [(A, "Le llamo por la factura vencida."), (U, "Sí, lo sé, la pagaré el viernes.")],
     frozenset({"collections_log"}), {}),
    ("non_english", [(U, "¿Cuánto cuesta el plan anual?"), (A, "Quinientos dólares al año.")], frozenset(), {}),
    ("non_english", [(U, "No quiero disputar nada, solo necesito el recibo de abril.")],
     frozenset({"receipt_resend"}), {}),
    ("non_english", [(U, "Bonjour, pourriez-vous me renvoyer le reçu de mon dernier paiement ?")],
     frozenset({"receipt_resend"}), {}),
    ("non_english", [(U, "Je n'ai jamais reçu la facture de septembre, vous pouvez me l'envoyer à nouveau ?")],
     frozenset({"invoice_resend"}), {}),
    ("non_english", [(U, "Je conteste ce prélèvement, je ne l'ai jamais autorisé.")],
     frozenset({"charge_dispute"}), {}),
    ("non_english", [(U, "Je voudrais être remboursé pour le mois que je n'ai pas utilisé.")],
     frozenset({"refund_approval"}), {}),
    ("non_english", [(U, "Le renouvellement de notre abonnement a échoué, le paiement a été refusé.")],
     frozenset({"renewal_failed"}), {}),
    ("non_english", [(U, "L'adresse de facturation sur nos factures est incorrecte, il faut la corriger.")],
     frozenset({"billing_correction"}), {}),
    ("non_english", [(A, "Nous vous appelons au sujet d'un solde impayé."),
                     (U, "Oui, je vais payer la semaine prochaine.")], frozenset({"collections_log"}), {}),
    ("non_english", [(U, "Quels moyens de paiement acceptez-vous ?"), (A, "Carte et virement.")], frozenset(), {}),
    ("non_english", [(U, "Je ne conteste pas le paiement, j'ai juste besoin du reçu.")],
     frozenset({"receipt_resend"}), {}),
    ("non_english", [(U, "Guten Tag, können Sie mir bitte die Quittung für die letzte Zahlung schicken?")],
     frozenset({"receipt_resend"}), {}),
    ("non_english", [(U, "Die Rechnung für November ist nie angekommen, bitte schicken Sie sie noch einmal.")],
     frozenset({"invoice_resend"}), {}),
    ("non_english", [(U, "Ich erkenne diese Abbuchung nicht, ich möchte sie anfechten.")],
     frozenset({"charge_dispute"}), {}),
    ("non_english", [(U, "Wir wurden doppelt belastet, ich möchte eine Rückerstattung.")],
     frozenset({"refund_approval"}), {}),
    ("non_english", [(U, "Die Verlängerung unseres Abonnements ist fehlgeschlagen, die Karte wurde abgelehnt.")],
     frozenset({"renewal_failed"}), {}),
    ("non_english", [(U, "Bitte ändern Sie die Rechnungsadresse auf unserem Konto.")],
     frozenset({"billing_correction"}), {}),
    ("non_english", [(A, "Wir rufen wegen der überfälligen Rechnung an."), (U, "Ja, ich zahle bis Freitag.")],
     frozenset({"collections_log"}), {}),
    ("non_english", [(U, "Wann wird die nächste Zahlung abgebucht?"), (A, "Am ersten des Monats.")], frozenset(), {}),
    ("non_english", [(U, "Ich möchte nichts anfechten, ich brauche nur die Quittung.")],
     frozenset({"receipt_resend"}), {}),
    # --- two and three requests ---
    ("multi", [(U, "Can you send me the receipt for March?"),
               (U, "Also our VAT number changed, please update it on the account.")],
     frozenset({"receipt_resend", "billing_correction"}), {}),
    ("multi", [(U, "I need the invoice for May resent."), (U, "The billing address on it is outdated, please fix"
                                                              " that too."),
               (U, "And I'd like a refund for the duplicate charge in April.")],
     frozenset({"invoice_resend", "billing_correction", "refund_approval"}), {}),
    ("multi", [(U, "I don't recognise a charge from the fifth and I want it refunded."),
               (A, "Do you want to dispute it with us?"), (U, "Yes, dispute it please.")],
     frozenset({"charge_dispute", "refund_approval"}), {}),
    ("multi", [(A, "I'm calling about the overdue invoice on your account."),
               (U, "Right, I'll pay it on Thursday. Can you email me the invoice again? I lost it.")],
     frozenset({"collections_log", "invoice_resend"}), {"direction": "outbound"}),
]  # fmt: skip

# Two requests in one call.
MIXED: list[tuple[str, str]] = [
    ("charge_dispute", "refund_approval"),
    ("receipt_resend", "invoice_resend"),
    ("billing_correction", "invoice_resend"),
    ("renewal_failed", "collections_log"),
    ("charge_dispute", "billing_correction"),
    ("refund_approval", "receipt_resend"),
    ("renewal_failed", "refund_approval"),
    ("contact_sync", "invoice_resend"),
]


def build_eval_set(seed: int = SEED) -> list[LabelledCall]:
    """The evaluation set: deterministic for a seed."""
    rng = random.Random(seed)
    calls: list[LabelledCall] = []

    def add(kind: str, turns: list[tuple[str, str]], expected: set[str], **options: object) -> None:
        case_id = f"eval_{len(calls):03d}_{kind}"
        enriched, _ = _build(rng, case_id, turns, **options)  # type: ignore[arg-type]
        labels = set(expected)
        read_out = enriched.redaction.payment_details_read_out and enriched.call.transcript
        if not labels and read_out and (enriched.call.status or "completed") == "completed":
            labels.add(TRIAGE)  # card details read out: a human sees the call, whatever it asked
        calls.append(LabelledCall(case_id, kind, enriched, frozenset(labels)))

    for workflow, lines in CALLER_LINES.items():
        for index, line in enumerate(lines):
            for variant in range(2):
                turns = _dialogue(rng, workflow, [line])
                summary = rng.choice(SUMMARIES[workflow]) if rng.random() < 0.4 else None
                intent = rng.choice(INTENTS[workflow]) if rng.random() < 0.3 else None
                if workflow == "contact_sync":
                    add("single", turns, {workflow}, summary=summary, intent=intent, email_rate=1.0)
                    continue
                add("single", turns, {workflow}, summary=summary, intent=intent, workflow=workflow)
                if variant == 0 and index % 5 == 0:
                    # Intent and fields only: DialNexa's analysis without a usable transcript.
                    add("single", [], {workflow}, intent=INTENTS[workflow][0], workflow=workflow, status="completed")
                    break
    for first, second in MIXED:
        for _ in range(3):
            line_a, line_b = rng.choice(CALLER_LINES[first]), rng.choice(CALLER_LINES[second])
            turns = _dialogue(rng, first, [line_a, line_b])
            add("mixed", turns, {first, second}, workflow=first)
    for turns, expected in AMBIGUOUS:
        for _ in range(2):
            add("ambiguous", list(turns), set(expected))
    for line in TRIAGE_LINES:
        for _ in range(2):
            add("triage", [("agent", rng.choice(AGENT_OPENINGS)), ("user", line)], {TRIAGE})
    for line in QUESTION_LINES:
        add("question", [("agent", rng.choice(AGENT_OPENINGS)), ("user", line), ("agent", "Happy to explain.")], set())
    for status, lines, expected in CONTEXT:
        for _ in range(2):
            turns = [("agent", rng.choice(AGENT_OPENINGS))] + [("user", line) for line in lines]
            add("context", turns, set(expected), subscription_status=status, email_rate=1.0)
    for line, expected, options in GATE:
        for _ in range(2):
            add("gate", [("agent", rng.choice(AGENT_OPENINGS)), ("user", line)], set(expected), email_rate=1.0,
                **options)  # fmt: skip
    for status, turns in NO_ACTION:
        add("no_action", list(turns), set(), status=status, email_rate=0.5)
    for kind, turns, expected, options in LANGUAGE:
        add(kind, list(turns), set(expected), email_rate=1.0, **options)
    return calls


def _dialogue(rng: random.Random, workflow: str, lines: list[str]) -> list[tuple[str, str]]:
    outbound = workflow == "collections_log" and rng.random() < 0.5
    turns = [("agent", rng.choice(AGENT_OUTBOUND if outbound else AGENT_OPENINGS))]
    for line in lines:
        turns.append(("user", line.format(inv=f"INV-2026-{rng.randint(1, 9999):04d}")))
        turns.append(("agent", rng.choice(AGENT_CLOSINGS)))
    return turns


def _build(
    rng: random.Random,
    case_id: str,
    turns: list[tuple[str, str]],
    *,
    summary: str | None = None,
    intent: str | None = None,
    workflow: str | None = None,
    status: str | None = "completed",
    email_rate: float = 0.8,
    subscription_status: str | None = None,
    analysis: dict[str, str] | None = None,
    counts: dict[str, int] | None = None,
    identity: tuple[str, float] | None = None,
    hubspot_properties: dict[str, str] | None = None,
    fields: dict[str, object] | None = None,
    direction: str | None = None,
) -> tuple[EnrichedCall, bool]:
    caller = rng.choice(CALLER_SPEAKERS)
    transcript = [TranscriptTurn(speaker=caller if who == "user" else who, text=text) for who, text in turns]
    name = rng.choice(["ana", "ben", "cara", "dev", "erin", "fay", "gus", "hana"])
    email = f"{name}.{case_id[5:8]}@{rng.choice(['acme', 'globex', 'initech', 'umbrella'])}.example"
    has_email = rng.random() < email_rate
    currency = rng.choice(["USD", "EUR", "GBP", "USD", "CHF"])
    amount = Money(
        amount=Decimal(rng.choice(["15.00", "49.00", "120.50", "249.00", "980.00", "12500.00"])), currency=currency
    )
    extra_fields = fields or {}
    fields = {
        "email": email if has_email else None,
        "intent": intent,
        "transcript_url": f"https://app.dialnexa.example/calls/{case_id}/transcript",
        "tax_region": rng.choice([None, "EU-DE", "UK", "US-CA", "EU-FR"]),
    }
    if workflow in ("refund_approval", "charge_dispute") or (workflow and rng.random() < 0.3):
        fields["amount"] = amount
    if workflow in ("refund_approval", "charge_dispute") and rng.random() < 0.6:
        fields["payment_id"] = f"pi_{case_id}"
    if workflow == "refund_approval" and rng.random() < 0.5:
        fields["refund_reason"] = "duplicate charge"
    if workflow == "charge_dispute" and rng.random() < 0.4:
        fields["dispute_reason"] = "not recognised"
    if workflow == "collections_log" and rng.random() < 0.7:
        fields["promised_next_step"] = "pay the overdue balance"
        fields["follow_up_deadline"] = date(2026, 11, 20) + timedelta(days=rng.randint(2, 14))
        fields["finance_owner"] = rng.choice([None, "collections-team"])
    if workflow == "invoice_resend" and rng.random() < 0.7:
        fields["invoice_number"] = f"INV-2026-{rng.randint(1, 9999):04d}"
    fields.update(extra_fields)  # analysis fields a case sets (some misleading: the conversation wins)
    verified = has_email and rng.random() < 0.65
    stripe = None
    if has_email and (rng.random() < 0.85 or subscription_status):
        on_file = email.upper() if verified and rng.random() < 0.2 else email if verified else f"other.{email}"
        stripe = StripeContext(
            customer_id=f"cus_{case_id}",
            email=on_file,
            subscription_status=subscription_status
            or (rng.choice(["past_due", "incomplete", "active"]) if workflow == "renewal_failed" else "active"),
            latest_invoice_status=rng.choice(["paid", "open"]),
            open_disputes=1 if workflow == "charge_dispute" and rng.random() < 0.3 else 0,
            payment=_payment(rng, fields) if fields.get("payment_id") else None,
            payment_platform_url=f"https://dashboard.stripe.com/customers/cus_{case_id}",
        )
    hubspot = (
        HubSpotContext(contact_id=f"hs_{case_id}", crm_url=f"https://app.hubspot.com/{case_id}",
                       properties=hubspot_properties or {})
        if has_email
        else None
    )  # fmt: skip
    read_out = rng.random() < 0.06
    call = CallEvent(
        call_id=case_id,
        event_type="call_ended",
        source_shape="synthetic",
        status=status,
        direction=direction or ("outbound" if any(t[1] in AGENT_OUTBOUND for t in turns) else "inbound"),
        initiated_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        transcript=transcript,
        summary=summary,
        billing=BillingDetails.model_validate(fields),
        suppression=SuppressionFlags(card_numbers=read_out, tax_identifiers=rng.random() < 0.03),
        recording_url=f"https://recordings.dialnexa.example/{case_id}.wav",
        post_call_analysis=analysis or {},
    )
    report = RedactionReport(redactor_version="eval", payment_details_read_out=read_out, counts=counts or {})
    enriched = EnrichedCall(
        call=call,
        redaction=report,
        stripe=stripe,
        hubspot=hubspot,
        high_value=rng.random() < 0.1,
        enrichment=EnrichmentStatus(complete=stripe is not None),
        identity_match=identity[0] if identity else ("email" if stripe else None),
        identity_confidence=identity[1] if identity else (0.97 if stripe else None),
    )
    return enriched, has_email


def _payment(rng: random.Random, fields: dict[str, object]) -> PaymentContext | None:
    """The charge Stripe knows for the payment id the caller named: usually matching, sometimes not."""
    if rng.random() < 0.25:
        return None  # enrichment could not look it up
    amount = fields.get("amount")
    charged = (
        amount if isinstance(amount, Money) and rng.random() < 0.8 else Money(amount=Decimal("10.00"), currency="USD")
    )
    return PaymentContext(
        id=str(fields["payment_id"]),
        kind="payment_intent",
        status="succeeded",
        amount=charged,
        refunded=rng.random() < 0.1,
        disputed=rng.random() < 0.1,
    )
