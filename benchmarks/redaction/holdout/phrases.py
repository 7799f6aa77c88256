"""All wording of the hold-out corpus. Written for this corpus; keep it apart from the engine."""

from __future__ import annotations

# What the agent says to ask for each type (the cue is the question, the answer is bare).
QUESTIONS = {
    "card_number": ("Whenever you're ready, read me the long number on the card.",
                    "What are the digits across the front of the card?",
                    "Okay, and the card number itself?",
                    "Go ahead with the full number on the card, nice and slowly.",
                    "Which card would you like to use? I'll need the whole number."),
    "card_expiry": ("And the expiry on it?", "What's the valid-thru date printed there?",
                    "Month and year it runs out?", "When does that card expire?",
                    "And the end date, as it's shown on the card?"),
    "card_cvv": ("Flip it over for me, what are the three digits by the signature?",
                 "And the little security code on the back?", "Last bit, the CVC please.",
                 "Now the security number, the short one.", "What's the CVV?"),
    "card_cvv_amex": ("It's an Amex, so there's a four-digit code above the number, what is it?",
                      "And the four-digit security code on the front?"),
    "pin": ("For security, what's the phone banking PIN you set up?",
            "Can you give me your account passcode, the numeric one?",
            "What's your four-digit PIN for the account?"),
    "iban": ("What IBAN should we send the refund to?",
             "Can you give me the IBAN, country letters first?",
             "Which account, as an IBAN please?"),
    "bic": ("And the SWIFT code for that bank?", "Do you have the BIC as well?"),
    "uk_sort_code": ("What's the sort code?", "Six digit sort code for that account?",
                     "And the sort code, in pairs is fine."),
    "uk_bank_account": ("And the account number?", "Eight-digit account number next.",
                        "Then the account number, please."),
    "us_routing_number": ("What's the routing number? It's the nine digits bottom left on a check.",
                          "Can I get the ABA number for the bank?", "Routing number, please."),
    "us_bank_account": ("And the checking account number?", "Now the account number after the routing.",
                        "What's the account number you want us to debit?"),
    "us_ssn": ("To verify your identity I need your Social Security number.",
               "Can you confirm your social for me?", "What's the SSN on the account?"),
    "us_itin": ("What's the ITIN you file under?", "Your individual taxpayer number from the IRS, please."),
    "us_ein": ("What's the company's EIN?", "Federal tax ID for the business?",
               "And the employer identification number?"),
    "uk_nino": ("What's your National Insurance number?", "Can I take your NI number?"),
    "uk_utr": ("What's your UTR, the ten digits from HMRC?", "And the Unique Taxpayer Reference?"),
    "vat_number": ("What VAT number should go on the invoices?", "Is there a VAT registration number?"),
    "secret_api_key": ("Can you read me the live secret key from the dashboard so I can reconnect it?",
                       "Paste the restricted key here and I'll update the integration."),
}

# Bare answers; {} is the value.
ANSWERS = ("{}", "{}.", "It's {}.", "Yeah, {}.", "{}, I believe.", "Okay so, {}.", "Right, {}.",
           "Got it here, {}.", "Sure, {}.", "Um, {}.", "Yep it's {}", "That'd be {}.")

# The speaker names the value in the same sentence.
INLINE = {
    "card_number": ("I'd like to pay with my Visa, it's {}.", "The card I want on file is {}.",
                    "Put it on the Mastercard, {}.", "Card number {} and it's in my name.",
                    "New card, {}, the old one was stolen."),
    "card_expiry": ("It expires {}.", "Expiry is {}.", "Good thru {}.", "The end date on it says {}."),
    "card_cvv": ("Security code on the back is {}.", "The CVV is {}.", "Three digit code's {}."),
    "pin": ("My PIN is {}.", "The passcode I set was {}.", "PIN's {} I think."),
    "iban": ("Refund it to my IBAN, {}.", "My IBAN is {}.", "The IBAN on my statement reads {}."),
    "bic": ("The BIC is {}.", "SWIFT code {}."),
    "uk_sort_code": ("Sort code's {}.", "It's sort code {} at Lloyds.", "The sort code is {}."),
    "uk_bank_account": ("Account number {}.", "The account is {}.", "And my account number's {}."),
    "us_routing_number": ("Routing is {}.", "The routing number on my checks is {}.",
                          "Bank routing {}, that's Chase."),
    "us_bank_account": ("Checking account {}.", "Account number's {}.", "The account ends up being {}."),
    "us_ssn": ("My social is {}.", "SSN {}.", "Social security number, {}."),
    "us_itin": ("I use an ITIN, it's {}.", "My ITIN is {}."),
    "us_ein": ("Our EIN is {}.", "The federal tax ID is {}.", "EIN for the LLC is {}."),
    "uk_nino": ("My NI number is {}.", "National Insurance {}."),
    "uk_utr": ("My UTR is {}.", "Unique taxpayer reference {}."),
    "vat_number": ("We're VAT registered, {}.", "VAT number {}."),
    "secret_api_key": ("The key is {}.", "Our live secret key is {}, can you check it?"),
}

INTERJECTIONS = (
    ("user", "Sorry, one sec, it's in my other bag."),
    ("user", "Hang on, I need to find my glasses."),
    ("user", "Can you hold a moment? The dog's barking."),
    ("user", "Sorry, you cut out there, what did you need?"),
    ("user", "Just a second, I'm driving, let me pull over."),
)
INTERJECTION_REPLIES = ("Take your time.", "No problem, I'm still here.", "Sure, no rush.",
                        "That's fine.", "I'll wait.")

BACKCHANNELS = ("Mm-hm.", "Go on.", "Got that, keep going.", "Yep.", "Okay.", "Uh-huh, next part?",
                "Right.", "Keep going.", "Mhm, and then?", "Sure.")

READBACKS = ("Let me read that back: {}. Is that right?", "So I have {}, correct?",
             "Just to confirm, {}?", "Okay, that's {}, yes?", "I've got {}, can you confirm?")
READBACK_ACKS = ("Yes, that's right.", "Correct.", "Yep, that's it.", "That's it, yes.")

CORRECTIONS = (", no wait, ", ", sorry, ", "... no, let me start again, ", ", scratch that, ",
               " - no, hold on - ")

OPENINGS = (
    ("agent", "Thanks for calling Brightline billing, this is Sam, how can I help?"),
    ("agent", "Hi, you're through to accounts, my name's Priya."),
    ("agent", "Good afternoon, Northwave payments team, Dani speaking."),
    ("agent", "Hello, this is the virtual assistant for Helio Telecom billing."),
    ("agent", "Hiya, you've reached the collections line, I'm Jo."),
)
REASONS = (
    "I'm calling because my payment failed.", "I need to update the card on my account.",
    "Yeah hi, I want to pay off what I owe.", "I got a letter about a late fee and I'm not happy.",
    "We want to switch to paying by direct debit.", "I'm trying to get a refund sorted.",
    "My accountant asked me to give you our tax details.", "Can you set up a payment plan?",
)
CLOSINGS = (
    ("agent", "That's all done. Anything else today?"), ("agent", "Perfect, you're all set."),
    ("user", "Great, thanks for your help."), ("agent", "You'll get an email confirmation shortly."),
    ("user", "Cheers, bye."),
)
CHITCHAT = (
    ("user", "Sorry, it's been a long week."), ("agent", "Let me just pull that up."),
    ("agent", "Bear with me, the system is slow today."), ("user", "Okay."),
    ("agent", "Thanks for waiting."), ("user", "Is this going to take long?"),
)

SPEAKERS = (("Agent", "Customer"), ("agent", "caller"), ("AI", "User"), ("assistant", "user"),
            ("Rep", "Caller"), ("SPEAKER_00", "SPEAKER_01"), ("Bot", "Human"))

SUMMARY_LEADS = (
    "Caller phoned about an unpaid balance.", "Customer wanted to change payment details.",
    "The user disputed a charge and asked for a refund.", "Business owner called to update tax info.",
    "Caller asked to set up a monthly instalment plan.",
)
SUMMARY_SECRET = {
    "card_number": ("Customer gave card {} for the payment.", "New card on file: {}.",
                    "Paid with card number {}."),
    "card_expiry": ("Expiry given as {}.", "Card expires {}."),
    "card_cvv": ("CVV {} provided.", "Security code {} was read out."),
    "pin": ("Verified with PIN {}.",),
    "iban": ("Refund to IBAN {}.", "Customer's IBAN is {}."),
    "bic": ("BIC {}.",),
    "uk_sort_code": ("Sort code {}.",), "uk_bank_account": ("Account number {}.",),
    "us_routing_number": ("Routing number {}.",), "us_bank_account": ("Checking account {}.",),
    "us_ssn": ("SSN given: {}.",), "us_itin": ("ITIN {}.",), "us_ein": ("Company EIN {}.",),
    "uk_nino": ("NI number {}.",), "uk_utr": ("UTR {}.",), "vat_number": ("VAT reg {}.",),
    "secret_api_key": ("Customer shared their Stripe key {} (should not have).",),
}

# Field names where only the key hints at the secret.
FIELD_KEYS = {
    "card_number": ("card_number", "pan", "cardNo", "cc_num", "primary_account_number", "payment_card"),
    "card_expiry": ("expiry", "card_exp", "expDate", "valid_thru"),
    "card_cvv": ("cvc", "cvv2", "security_code", "card_cvv", "csc"),
    "pin": ("pin", "account_pin", "phone_pin", "passcode"),
    "iban": ("iban", "ibanNumber", "payout_iban", "bank_iban"),
    "bic": ("bic", "swift", "swift_code", "bicCode"),
    "uk_sort_code": ("sort_code", "sortCode", "sort_cd", "bank_sort"),
    "uk_bank_account": ("account_number", "acct_no", "uk_acct", "bankAccountNumber"),
    "us_routing_number": ("routing_number", "aba", "routingNo", "rtn", "bank_routing"),
    "us_bank_account": ("checking_account", "acctNum", "account_no", "dda_number"),
    "us_ssn": ("ssn", "social", "ssn_full", "socialSecurityNumber"),
    "us_itin": ("itin", "taxpayer_itin", "individual_tin"),
    "us_ein": ("ein", "fein", "employer_tax_id", "federalTaxId"),
    "uk_nino": ("nino", "ni_number", "nationalInsurance"),
    "uk_utr": ("utr", "sa_utr", "hmrc_utr"),
    "vat_number": ("vat_number", "vatNo", "vat_reg"),
    "secret_api_key": ("stripe_secret_key", "api_key", "secretKey", "sk"),
}
# Look-alike keys over negatives.
NEGATIVE_KEYS = {
    "amount": ("amount_due", "balance", "refund_amount"), "date": ("due_date", "last_payment_date"),
    "time": ("callback_time",), "phone_us": ("phone", "callback_number"), "phone_uk": ("phone", "mobile"),
    "phone_intl": ("from_number", "to_number"), "last4": ("card_hint",),
    "masked_card": ("masked_pan", "card_display"), "invoice_no": ("invoice_no", "invoiceNumber"),
    "order_no": ("order_id", "orderRef"), "ticket": ("ticket", "zendesk_ticket"),
    "tracking": ("tracking_number",), "stripe_id": ("stripe_invoice", "charge_id", "customer_id"),
    "percentage": ("discount",), "usage_count": ("usage",), "postcode": ("billing_postcode", "zip"),
    "call_id": ("call_ref",), "phone_spoken": ("callback_note",),
}
