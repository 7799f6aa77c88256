"""All wording of the corpus: cue nouns, question and answer frames, talk, keys, summaries.

Written for this set alone. `{v}` marks the value, `{c}` the cue noun. Mixed British/American
English with some Spanish and French code-switching, as callers to a multinational billing line do.
"""

from __future__ import annotations

CUES: dict[str, list[str]] = {
    "card_number": [
        "card number",
        "long number on the card",
        "card",
        "number on the front of the card",
        "debit card number",
        "credit card number",
        "Visa number",
        "full card number",
        "sixteen digits",
        "card details",
        "Mastercard",
        "company card",
        "payment card",
    ],
    "card_cvv": [
        "CVV",
        "CVC",
        "security code",
        "three-digit code on the back",
        "code on the back",
        "CVV2",
        "card verification code",
        "security digits",
        "little code by the signature strip",
        "CVC number",
    ],
    "card_expiry": [
        "expiry date",
        "expiration date",
        "expiry",
        "exp date",
        "valid-thru date",
        "expiration",
        "date it expires",
        "end date on the card",
        "good-thru date",
    ],
    "pin": ["PIN", "card PIN", "PIN number", "four-digit PIN", "PIN code", "phone banking PIN"],
    "iban": ["IBAN", "IBAN number", "international account number", "IBAN for the refund", "bank IBAN"],
    "bic": ["BIC", "SWIFT code", "SWIFT", "BIC code", "SWIFT/BIC", "bank identifier code"],
    "uk_sort_code": ["sort code", "bank sort code", "branch sort code", "sort-code"],
    "uk_bank_account": [
        "account number",
        "bank account number",
        "eight-digit account number",
        "current account number",
    ],
    "us_routing_number": [
        "routing number",
        "ABA number",
        "routing",
        "ABA routing number",
        "bank routing number",
        "routing transit number",
        "RTN",
    ],
    "us_bank_account": [
        "checking account number",
        "account number",
        "checking account",
        "savings account number",
        "bank account number",
        "account",
    ],
    "us_ssn": ["social security number", "social", "SSN", "social security", "social security no."],
    "us_itin": ["ITIN", "individual taxpayer number", "ITIN number", "taxpayer identification number"],
    "us_ein": [
        "EIN",
        "employer ID number",
        "federal tax ID",
        "FEIN",
        "business tax ID",
        "employer identification number",
    ],
    "uk_nino": ["national insurance number", "NI number", "National Insurance", "NINO", "N.I. number"],
    "uk_utr": ["UTR", "unique taxpayer reference", "self-assessment UTR", "tax reference", "UTR number"],
    "vat_number": ["VAT number", "VAT registration number", "VAT ID", "VAT reg", "VAT registration"],
    "secret_api_key": ["secret key", "API key", "Stripe secret key", "live key", "restricted key", "API secret"],
}

CUES_ES = {
    "card_number": "número de tarjeta",
    "card_cvv": "código de seguridad",
    "card_expiry": "fecha de caducidad",
    "pin": "PIN",
    "iban": "IBAN",
    "us_ssn": "número de seguro social",
    "us_bank_account": "número de cuenta",
    "us_routing_number": "número de ruta",
    "vat_number": "número de IVA",
    "us_itin": "ITIN",
}
CUES_FR = {
    "card_number": "numéro de carte",
    "card_cvv": "cryptogramme",
    "card_expiry": "date d'expiration",
    "pin": "code PIN",
    "iban": "IBAN",
    "bic": "code BIC",
    "vat_number": "numéro de TVA",
    "uk_bank_account": "numéro de compte",
}

# The caller volunteers the value with its cue in the same breath.
INLINE_USER = [
    "My {c} is {v}.",
    "Okay so the {c} is {v}.",
    "Right, {c}: {v}.",
    "It's {v}, that's the {c}.",
    "Have you got a pen? {c}, {v}.",
    "The {c} on it reads {v}.",
    "Yeah, {c} would be {v}, I think.",
    "I'll just give you the {c} now, it's {v}.",
    "{v}, that's my {c}.",
    "You want the {c}? Fine, {v}.",
    "So the {c}'s {v}, if that helps.",
    "Let me see... {c} {v}.",
    "Use the {c} {v} for it.",
    "I've got the {c} in front of me, {v}.",
    "Put it on the {c} {v}, please.",
    "Er, the {c}, it says {v}.",
]
INLINE_USER_ES = ["Vale, mi {c} es {v}.", "Sí, el {c}, {v}.", "Bueno, es {v}, el {c}."]
INLINE_USER_FR = ["Alors, mon {c}, c'est {v}.", "Oui, le {c} c'est {v}.", "D'accord, {c}: {v}."]

AGENT_ASK = [
    "Could I take the {c}, please?",
    "And what's the {c}?",
    "Next I'll need the {c}.",
    "Can you read me the {c}?",
    "Lastly, the {c}?",
    "Whenever you're ready, the {c}.",
    "Great. And the {c} for that one?",
    "Would you mind confirming the {c}?",
    "Okay, what {c} should I put down?",
    "I'll just need the {c} to finish this off.",
    "Perfect. Now the {c}, please.",
    "Go ahead with the {c} when you have it.",
    "Sorry, I didn't catch the {c}. Once more?",
    "¿Y el {c}, por favor?",
]
ANSWER = [
    "{v}",
    "Sure, {v}.",
    "Yeah, it's {v}.",
    "Okay. {v}.",
    "That'd be {v}.",
    "Right, um, {v}.",
    "Got it here: {v}.",
    "It is {v}.",
    "{v}, I believe.",
    "Yep. {v}",
    "Sí, {v}.",
    "Oui, {v}.",
    "Mm, {v}, yeah.",
    "I have it as {v}.",
    "Reading off the letter, {v}.",
]
INTERJECT_USER = [
    "Hang on, it's in my other bag.",
    "One sec, let me find it.",
    "Hold on, the dog's going mad.",
    "Give me a moment, I'm driving.",
    "Sorry, bear with me.",
    "Wait, which one, the new one?",
    "Let me just pull up the banking app.",
    "Un momento, por favor.",
    "Attendez, je cherche.",
]
INTERJECT_AGENT = [
    "No problem, take your time.",
    "Sure, no rush.",
    "Of course.",
    "Yes, the current one.",
    "That's fine, I'll wait.",
    "Take all the time you need.",
]
BACKCHANNEL = [
    "Mm-hm.",
    "Go on.",
    "Okay.",
    "Yep.",
    "Carry on.",
    "Right.",
    "Uh-huh.",
    "Got that.",
    "Yes, next bit?",
    "And then?",
    "Okay, keep going.",
    "Vale.",
    "D'accord.",
    "Lovely.",
    "With you.",
]
CHUNK_ECHO = ["{v}, got it.", "{v}.", "So {v}... yes.", "{v}, okay.", "I have {v}."]
SPLIT_LEAD = [
    "It's a bit long, I'll do it in bits.",
    "Okay, first bit.",
    "Right, here goes.",
    "Starting now.",
    "Bear with me, it's long.",
]
READBACK = [
    "Let me read that back: {v}.",
    "So that's {v}, correct?",
    "I have {v}, is that right?",
    "Just to confirm, {v}?",
    "Repeating it back to you, {v}.",
    "That's {v}, yes?",
]
CONFIRM = ["That's right.", "Yes, correct.", "Yep.", "Spot on.", "Exactly.", "Yeah.", "Correcto.", "C'est ça."]
SELF_CORRECT = [", no wait, ", ", sorry, ", "... no, hang on, ", ", actually, ", " - scratch that - ", ", I mean "]
RESTART = ["Let me start again. ", "Sorry, from the top. ", "No, I've muddled it, again: ", "Hmm, hold on. Okay: "]

OPENERS_AGENT = [
    "Thanks for calling the billing team, this is Nia, the virtual assistant. How can I help?",
    "Hello, you're through to accounts. What can I do for you today?",
    "Good afternoon, billing support. Who am I speaking with?",
    "Hi there, thanks for holding. What's the call about?",
    "Hola, this is the billing line. How can I help?",
    "Hello, I'm the automated billing agent. I can help with invoices, refunds and payments.",
]
OPENERS_USER = [
    "Hi, yes, I've been charged twice for the same month.",
    "Hello. I need a refund on last month's bill, we cancelled in time.",
    "Hiya, my renewal failed and now the account's locked.",
    "I'm calling about an invoice that never arrived.",
    "Morning. I want to update how we pay, the old card expired.",
    "Hi, we'd like the refund sent to our bank instead of the card.",
    "Yes hello, there's a charge on my statement I don't recognise.",
    "I'm ringing to sort out the VAT on our invoices, it's wrong.",
    "Buenos días, tengo un problema con la factura.",
    "Bonjour, I'm calling about a payment that bounced.",
    "Hi, the direct debit didn't go through and I got a late fee.",
    "Hey, I need to give you new payment details for the subscription.",
]
TALK_AGENT = [
    "I can help with that. Let me pull up the account.",
    "I understand, that's frustrating. Let's get it sorted.",
    "Thanks. I'm just checking the billing history now.",
    "I see the charge here. I'll make a note for finance.",
    "Our finance team approves refunds, so I'll raise a request.",
    "I'll need a few details to update the payment method.",
    "Okay. Is there anything else on the account you'd like me to look at?",
    "Bear with me while I load the latest invoice.",
    "Just so you know, this call may be recorded for quality.",
    "Right, I've added that to the ticket.",
    "I'm sorry about the delay on this.",
    "Noted. I'll email a confirmation once it's processed.",
]
TALK_USER = [
    "Okay, thanks.",
    "Great, that's what I wanted.",
    "It's been going on for a while, to be honest.",
    "The last one came through fine, it's just this month.",
    "I don't really want to be on the phone for long.",
    "Can you make sure it doesn't happen again?",
    "My accountant asked me to call.",
    "Perfecto, gracias.",
    "Honestly I thought it was already cancelled.",
    "Sure, whatever you need.",
    "We changed banks in the summer, that's probably why.",
    "Fine. Go ahead.",
]
CLOSERS_AGENT = [
    "Thanks for your patience. You'll get an email shortly. Anything else?",
    "All done on my side. Have a good day.",
    "I've logged everything. Someone from finance will follow up.",
    "That's everything, thanks for calling.",
]
CLOSERS_USER = [
    "No, that's all. Cheers.",
    "That's it, thank you.",
    "Nope, bye.",
    "Gracias, adiós.",
    "Merci, au revoir.",
]

SPEAKER_PAIRS = [
    ("Agent", "User"),
    ("Agent", "Customer"),
    ("AI", "Caller"),
    ("Assistant", "Caller"),
    ("Bot", "Customer"),
    ("agent", "user"),
    ("Speaker 0", "Speaker 1"),
    ("Nia", "Caller"),
    ("AGENT", "CUSTOMER"),
]

# Field-name cues, by style: snake_case, camelCase, dotted path, abbreviated.
KEYS: dict[str, dict[str, list[str]]] = {
    "card_number": {
        "snake": ["card_number", "credit_card_number", "payment_card_no"],
        "camel": ["cardNumber", "ccNumber", "paymentCardPan"],
        "dotted": ["card.number", "payment.card.pan"],
        "abbr": ["pan", "cc_num", "ccn", "card_no"],
    },
    "card_cvv": {
        "snake": ["card_cvv", "security_code", "cvv_code"],
        "camel": ["cardCvc", "securityCode", "cvv2"],
        "dotted": ["card.cvc", "payment.card.security_code"],
        "abbr": ["cvv", "cvc", "csc", "cid"],
    },
    "card_expiry": {
        "snake": ["card_expiry", "expiry_date", "expiration_date"],
        "camel": ["expDate", "cardExpiry", "validThru"],
        "dotted": ["card.expiry", "payment.card.exp"],
        "abbr": ["exp", "exp_mmyy", "expiry"],
    },
    "pin": {
        "snake": ["card_pin", "pin_code"],
        "camel": ["cardPin", "pinCode"],
        "dotted": ["card.pin", "auth.pin"],
        "abbr": ["pin"],
    },
    "iban": {
        "snake": ["payout_iban", "bank_iban", "refund_iban"],
        "camel": ["ibanNumber", "refundIban"],
        "dotted": ["bank.iban", "refund.destination.iban"],
        "abbr": ["iban", "IBAN"],
    },
    "bic": {
        "snake": ["swift_code", "bank_bic"],
        "camel": ["swiftCode", "bicSwift"],
        "dotted": ["bank.bic", "refund.destination.swift"],
        "abbr": ["bic", "swift"],
    },
    "uk_sort_code": {
        "snake": ["sort_code", "bank_sort_code"],
        "camel": ["sortCode", "bankSortCode"],
        "dotted": ["bank.sort_code", "payee.sortcode"],
        "abbr": ["sc", "srt_cd"],
    },
    "uk_bank_account": {
        "snake": ["account_number", "bank_account_no"],
        "camel": ["accountNumber", "bankAcctNo"],
        "dotted": ["bank.account_number", "payee.account"],
        "abbr": ["acct_no", "acc_num", "acct"],
    },
    "us_routing_number": {
        "snake": ["routing_number", "aba_routing"],
        "camel": ["routingNumber", "abaNumber"],
        "dotted": ["bank.routing", "ach.routing_number"],
        "abbr": ["aba", "rtn", "rt_no"],
    },
    "us_bank_account": {
        "snake": ["checking_account_number", "bank_account_number"],
        "camel": ["bankAccountNumber", "checkingAcct"],
        "dotted": ["bank.account", "ach.account_number"],
        "abbr": ["acct", "dda", "acct_num"],
    },
    "us_ssn": {
        "snake": ["social_security_number", "customer_ssn"],
        "camel": ["ssnNumber", "socialSecurityNo"],
        "dotted": ["taxpayer.ssn", "identity.ssn"],
        "abbr": ["ssn", "soc_sec"],
    },
    "us_itin": {
        "snake": ["taxpayer_itin", "itin_number"],
        "camel": ["itinNumber", "taxpayerItin"],
        "dotted": ["taxpayer.itin"],
        "abbr": ["itin"],
    },
    "us_ein": {
        "snake": ["employer_id_number", "federal_tax_id"],
        "camel": ["einNumber", "federalTaxId"],
        "dotted": ["business.ein", "company.tax.ein"],
        "abbr": ["ein", "fein"],
    },
    "uk_nino": {
        "snake": ["national_insurance_number", "ni_number"],
        "camel": ["niNumber", "nationalInsuranceNo"],
        "dotted": ["employee.nino", "identity.ni_number"],
        "abbr": ["nino", "ni_no"],
    },
    "uk_utr": {
        "snake": ["self_assessment_utr", "hmrc_utr"],
        "camel": ["utrNumber", "taxpayerReference"],
        "dotted": ["hmrc.utr", "tax.utr"],
        "abbr": ["utr", "sa_utr"],
    },
    "vat_number": {
        "snake": ["vat_number", "vat_reg_no"],
        "camel": ["vatId", "vatRegistrationNumber"],
        "dotted": ["company.vat_id", "tax.vat"],
        "abbr": ["vat", "vatno"],
    },
    "secret_api_key": {
        "snake": ["stripe_secret_key", "api_secret"],
        "camel": ["secretKey", "stripeApiKey"],
        "dotted": ["stripe.secret_key", "integration.api_key"],
        "abbr": ["sk", "api_key"],
    },
}

NOISE_KEYS = [
    ("call_status", "completed"),
    ("sentiment", "negative"),
    ("intent", "refund_request"),
    ("language", "en-GB"),
    ("agent_name", "Nia"),
    ("resolution", "escalated_to_finance"),
    ("customer_tier", "business"),
    ("channel", "phone_call"),
    ("follow_up_required", "yes"),
    ("dispute_reason", "duplicate charge"),
    ("refund_reason", "cancelled before renewal"),
    ("payment_status", "failed"),
    ("tax_region", "GB"),
    ("currency", "EUR"),
    ("next_step", "finance to approve refund"),
    ("caller_mood", "impatient"),
]

SUMMARY_INLINE = [
    "Caller gave {c} {v} to settle the overdue invoice.",
    "Customer read out their {c} ({v}) before the agent could stop them.",
    "{C} provided: {v}.",
    "The client supplied {c} {v}; agent reminded them not to share it by phone.",
    "Refund to be sent using {c} {v}.",
    "Payer confirmed {c} as {v}.",
    "Billing contact updated the {c} to {v}.",
    "El cliente dio su {c}: {v}.",
    "Le client a donné son {c} {v}.",
    "Noted {c} {v} for the finance team.",
]
SUMMARY_TALK = [
    "Caller disputed a duplicate charge on the March invoice.",
    "Customer asked for a refund after cancelling within the trial.",
    "Renewal failed because the card on file had expired.",
    "The agent raised a finance review for the refund.",
    "Customer requested the invoice be resent to the accounts inbox.",
    "Caller was unhappy about a late fee and asked for it to be waived.",
    "A billing address correction was requested for future invoices.",
    "Agent explained the pro-rata credit and the caller agreed.",
    "Follow-up promised within two working days.",
    "The call was transferred to a human for approval.",
]
