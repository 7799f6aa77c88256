"""Wording banks: cues, questions, field names, interjections and harmless chatter.

Written from a list of forms and contexts, not from any redactor's code or test data. Placeholders
in braces ({phone}, {amount}, ...) become hard negatives; {V} is where a secret value goes.
"""

from __future__ import annotations

# Inline cues: the speaker names what they are giving. Some put the cue after the value.
INLINE = {
    "card_number": [
        "my card number is {V}", "the card is {V}", "it's a {brand}, {V}", "okay the long number is {V}",
        "use my {brand}, {V}", "number on the front is {V}", "{V}, that's the card", "card number {V}",
        "sure, it's {V} on the debit card", "the new card is {V}", "please charge {V} instead",
        "it's the {brand} card, {V}", "on the {brand} it's {V}", "can you try {V}",
        "I've got a different card, {V}", "the replacement they sent me is {V}",
    ],
    "card_cvv": [
        "the CVV is {V}", "security code {V}", "the three digits on the back are {V}", "CVC is {V}",
        "code on the back, {V}", "{V} is the security code", "and the CVV, {V}", "the little code is {V}",
        "three-digit code {V}",
    ],
    "card_expiry": [
        "it expires {V}", "expiry {V}", "exp {V}", "valid thru {V}", "the expiration date is {V}",
        "good through {V}", "expiring {V}", "{V} is the expiry date", "it runs out {V}", "exp date {V}",
    ],
    "pin": ["my PIN is {V}", "the pin's {V}", "PIN number {V}", "the passcode I set was {V}",
            "{V}, that's my pin"],
    "iban": ["my IBAN is {V}", "IBAN {V}", "the IBAN for the refund is {V}", "send it to IBAN {V}",
             "{V}, that's the IBAN"],
    "bic": ["the BIC is {V}", "SWIFT code {V}", "swift is {V}", "the bank's BIC is {V}", "BIC/SWIFT {V}"],
    "us_routing_number": ["the routing number is {V}", "routing {V}", "ABA {V}", "the ABA number's {V}",
                          "{V} is the routing", "routing number, {V}", "bank routing {V}",
                          "the transit number on the cheque is {V}", "routing's {V}"],
    "us_bank_account": ["the account number is {V}", "checking account {V}", "acct {V}",
                        "my savings account is {V}", "{V}, that's the account number", "account {V}",
                        "you can debit account {V}", "the checking is {V}"],
    "uk_sort_code": ["the sort code is {V}", "sort code {V}", "sort code's {V}", "{V} is the sort code"],
    "uk_bank_account": ["account number {V}", "the account's {V}", "acc no {V}", "and the account is {V}"],
    "us_ssn": ["my social is {V}", "social security number {V}", "SSN {V}", "my social security is {V}",
               "{V}, that's my social", "the last... no, the full social is {V}", "social's {V}"],
    "us_itin": ["my ITIN is {V}", "the taxpayer ID is {V}", "ITIN {V}", "individual taxpayer number {V}"],
    "us_ein": ["our EIN is {V}", "the business EIN is {V}", "federal tax ID {V}", "employer ID number {V}"],
    "uk_nino": ["my national insurance number is {V}", "NI number {V}", "NINO {V}", "my NI is {V}"],
    "uk_utr": ["my UTR is {V}", "unique taxpayer reference {V}", "the self assessment UTR is {V}",
               "UTR {V}"],
    "vat_number": ["our VAT number is {V}", "VAT ID {V}", "VAT reg {V}", "the VAT registration number is {V}",
                   "{V} is our VAT number"],
    "secret_api_key": ["my API key is {V}", "the secret key is {V}", "here's the live key: {V}",
                       "our Stripe secret key is {V}", "the key in the config is {V}"],
}

QUESTIONS = {
    "card_number": [
        "Can I take the long number on the card?", "What's the card number?",
        "Go ahead with the card number whenever you're ready.", "Please read me the number across the front.",
        "Which card would you like to use? Can you give me the number?", "Okay, the sixteen-digit number please.",
        "Could you say the card number for me, slowly?", "And the number on the new card?",
        "Alright, what are the digits on the card?", "Ready when you are: the card number.",
        "What's the number on the card you'd like to put on file?",
    ],
    "card_cvv": [
        "Last thing, the CVV please.", "And the three-digit security code on the back?", "What's the CVC?",
        "Can you read me the security code?", "And the code on the back of the card?",
        "For Amex, the four digits printed above the number?", "Security code?",
        "And the little code on the signature strip?", "Could I have the CVV to finish?",
    ],
    "card_expiry": [
        "And the expiry, month and year?", "What's the expiration date?", "When does the card expire?",
        "Expiry date?", "And the valid-thru date on the front?", "What month and year does it expire?",
        "And the expiry?", "Could you give me the date it runs out?",
    ],
    "pin": ["Can you confirm the PIN on the account?", "What's the four-digit PIN?",
            "And your account PIN, please?", "Please say your PIN now."],
    "iban": ["What IBAN should we send the refund to?", "Can I have the IBAN?",
             "Could you read out the IBAN, including the two letters at the start?"],
    "bic": ["And the BIC or SWIFT code?", "What's the bank's SWIFT code?", "The bank identifier code?"],
    "us_routing_number": [
        "What's your routing number?", "And the nine-digit routing number, bottom left of the check?",
        "Could you give me the ABA routing number?", "Routing?", "What's the bank's routing number?",
        "Now the routing number, that's the first nine digits on the cheque.",
    ],
    "us_bank_account": ["And the account number?", "What's the checking account number?",
                        "Which account should we debit? Read me the account number.", "Account number, please."],
    "uk_sort_code": ["The sort code?", "What's the sort code?", "And your bank's sort code, the six digits?",
                     "Which sort code is that?"],
    "uk_bank_account": ["And the eight-digit account number?", "Account number?",
                        "Then the account number, please."],
    "us_ssn": ["Your social?", "What's your Social Security number?", "To verify, I need your SSN.",
               "For the tax form, what's the social?",
               "Can I get your social security number, please?"],
    "us_itin": ["What's your ITIN?", "The individual taxpayer identification number?"],
    "us_ein": ["What's the business's EIN?", "Federal tax ID number for the company?",
               "And the employer identification number?"],
    "uk_nino": ["Can I take your National Insurance number?", "And your NI number?"],
    "uk_utr": ["What's your UTR, the ten digits from HMRC?", "Unique Taxpayer Reference, please.",
               "And the UTR?"],
    "vat_number": ["What's your VAT number so we can add it to the invoices?", "And the VAT ID for the reverse charge?",
                   "VAT number?"],
    "secret_api_key": ["Can you paste the secret key you're using?", "Which key is the integration configured with?"],
}

# Key names: snake_case, camelCase, dotted and abbreviated. Several are deliberately terse.
KEYS = {
    "card_number": ["card_number", "cardNumber", "pan", "cc_num", "card.number", "payment.card_no", "ccNumber",
                    "CardNo", "primary_account_number", "card", "cc", "card_pan"],
    "card_cvv": ["cvv", "cvc", "cvv2", "card.cvc", "securityCode", "security_code", "cid", "card_cvc", "csc"],
    "card_expiry": ["exp", "expiry", "exp_date", "expiration", "card.expiry", "expDate", "valid_thru", "card_exp"],
    "pin": ["pin", "account_pin", "pinCode", "security.pin", "passcode"],
    "iban": ["iban", "IBAN", "bank.iban", "payout_iban", "ibanNumber", "beneficiary_iban"],
    "bic": ["bic", "swift", "swift_code", "bank.bic", "swiftBic", "bic_code"],
    "us_routing_number": ["routing_no", "routingNumber", "aba", "bank.routing", "rtn", "routing", "aba_routing",
                          "routing_num"],
    "us_bank_account": ["acctNum", "account_number", "bank.acct", "acct_no", "accountNumber", "bank_account",
                        "checking_acct", "acct"],
    "uk_sort_code": ["sortCode", "sort_code", "bank.sort", "sortcode", "sort"],
    "uk_bank_account": ["acct_number", "accountNo", "bank.account_number", "acc_no", "uk_account"],
    "us_ssn": ["ssn", "social", "socialSecurityNumber", "tax.ssn", "customer.ssn", "ss_no"],
    "us_itin": ["itin", "taxId", "tax_id", "taxpayer_id", "tin"],
    "us_ein": ["ein", "employerId", "fein", "company.ein", "federal_tax_id", "taxId"],
    "uk_nino": ["nino", "ni_number", "nationalInsurance", "ni", "customer.nino"],
    "uk_utr": ["utr", "UTR", "tax_ref", "hmrc_utr", "utrNumber"],
    "vat_number": ["vat", "vatNumber", "vat_id", "tax.vat", "vat_reg_no", "vatin"],
    "secret_api_key": ["api_key", "stripe_secret", "secretKey", "stripe.sk", "apiKey", "STRIPE_SECRET_KEY",
                       "auth.token"],
}

# Harmless keys with number-like values: (key, negative maker)
NEG_KEYS = [
    ("order_id", "order"), ("orderId", "order"), ("phone", "phone"), ("phone_number", "phone"),
    ("callback", "phone"), ("invoice_no", "invoice"), ("invoiceNumber", "invoice"), ("ticket", "ticket"),
    ("ticket_id", "ticket"), ("zendesk.ticket", "ticket"), ("amount", "amount"), ("amount_due", "amount"),
    ("customer_id", "stripe_id"), ("stripe.invoice", "stripe_id"), ("charge", "stripe_id"),
    ("card_last4", "last4"), ("last4", "last4"), ("last_four", "last4"), ("zip", "postcode"),
    ("postcode", "postcode"), ("call_id", "call_id"), ("session_id", "call_id"), ("created", "date"),
    ("due_date", "date"), ("callback_time", "time"), ("discount", "percent"), ("usage", "usage"),
    ("masked_pan", "masked_card"), ("card_display", "masked_card"),
]

INTERJECTIONS_USER = [
    "sorry, one sec", "hang on", "hold on, let me grab my wallet", "one moment", "uh, just a second",
    "let me find it", "okay, hang on, it's in the other room", "sorry, the dog - one second",
    "right, let me check", "um, where did I put it",
]
INTERJECTIONS_AGENT = ["No problem.", "Take your time.", "Sure.", "Of course.", "Mm-hm.", "No rush."]

ANSWER_WRAP = ["{V}", "{V}", "{V}", "{V}.", "it's {V}", "yeah, {V}", "sure, {V}", "{V}, I think", "okay, {V}",
               "that'd be {V}", "um, {V}", "{V}, yeah", "right, {V}", "so {V}"]

CONTINUERS = ["go ahead", "yes", "mm-hm", "okay", "got it", "yep, keep going", "uh-huh", "and the rest?",
              "next ones?", "okay, go on", "right", "yep", "carry on", "I'm with you"]
ACKS = ["Thanks.", "Perfect, thank you.", "Got it.", "Great.", "Lovely, thanks.", "Okay, noted.", "Thank you."]
CORRECTIONS = [", no wait, ", ", sorry, ", " - no, let me start again - ", ", no, I mean ", "... sorry, that's wrong, "]
LAST4_CONFIRM = ["Thanks, I've got the card ending {L}.", "Great, that's the one ending in {L}.",
                 "Okay, card ending {L} is saved.", "So the last four are {L}, right?"]
READBACK = ["Let me read that back: {V}. Is that right?", "So that's {V}, correct?", "I have {V}. Correct?",
            "Just to confirm, {V}?", "Reading it back, {V}."]

# Harmless chatter. A = agent, U = user.
CHATTER = [
    ("U", "Sure, it's {phone}."),
    ("U", "You can reach me on {phone} if we get cut off."),
    ("U", "My number's {phone_spoken}."),
    ("U", "If I'm not in, try my mobile, {phone_spoken}."),
    ("A", "I see a card ending {last4} on file, is that still the one you use?"),
    ("U", "The card on file ends in {last4}, but that one expired."),
    ("A", "The payment method showing is {masked_card}."),
    ("A", "Your plan includes {usage} a month and you've used {usage} so far."),
    ("U", "We went over, we sent about {usage} last month."),
    ("A", "The invoice dated {date} was for {amount}."),
    ("U", "I was charged {amount} on {date}, but the quote said {amount}."),
    ("A", "I can see invoice {invoice}, due {date}, still open."),
    ("U", "It's about invoice number {invoice}."),
    ("A", "The charge reference is {stripe_id}."),
    ("A", "Your customer ID is {stripe_id}."),
    ("U", "Order {order} never arrived."),
    ("A", "I've opened ticket {ticket} for this."),
    ("A", "Your reference for today's call is {ticket}."),
    ("U", "The billing postcode is {postcode}."),
    ("A", "I'll call you back at {time} tomorrow."),
    ("U", "Can you call after {time}? I'm in meetings until then."),
    ("A", "You're getting {percent} off for the next three months."),
    ("A", "I can offer a {percent} discount on the annual plan, which comes to {amount}."),
    ("A", "For reference, this call is {call_id}."),
    ("U", "My last payment of {amount} went through on {date}, right?"),
    ("A", "Yes, {amount} was received on {date}, receipt {invoice}."),
    ("A", "The card ending {last4} was declined on {date} at {time}."),
    ("U", "Can you refund the {amount} from order {order}?"),
    ("A", "The refund of {amount} will show within 5 to 10 business days."),
    ("U", "We have {usage} on the plan, can we add another {usage}?"),
    ("A", "I've updated ticket {ticket}; our team will follow up by {date}."),
    ("U", "What's the direct line? Is it {phone}?"),
    ("A", "Yes, or the main office on {phone}."),
    ("A", "Your subscription {stripe_id} renews on {date}."),
    ("U", "It still shows {masked_card} in the portal."),
    ("A", "I'm sorry to hear that. Let me pull up the account."),
    ("A", "One moment while I look that up."),
    ("U", "It was twelve hundred dollars, which seems high."),
    # Cue words next to harmless numbers: a cue alone must not redact these.
    ("A", "Your trial expires on {date}."),
    ("A", "The account was created on {date} and has {usage}."),
    ("U", "The card ending {last4} is the business one."),
    ("A", "For security I only ever ask for the last four, which you said was {last4}."),
    ("A", "The account number on your invoice is your customer ID, {stripe_id}."),
    ("U", "I've got two cards, one ending {last4} and one ending {last4}."),
    ("A", "Routing questions go to our payments team on {phone}."),
    ("A", "We never store the CVV; we only keep {masked_card}."),
    ("A", "The verification code we texted expires at {time}."),
    ("U", "My bank account was charged {amount} twice, on {date} and {date}."),
    ("A", "The new card will be charged {amount} on {date}; the old one, {masked_card}, is removed."),
    ("U", "The PIN reminder came from {phone}, is that you?"),
    ("A", "Your tax invoice {invoice} shows VAT at {percent}."),
    ("U", "The social media plan was {amount}, for {usage}."),
    ("A", "Payment for order {order} was made with the card ending {last4} at {time}."),
]

# A question about something harmless, then a bare answer: the dialogue cue must not fire on these.
NEG_QA = [
    ("What's the best number to call you back on?", "phone"),
    ("And a number we can reach you on?", "phone_spoken"),
    ("Which invoice is this about?", "invoice"),
    ("Do you have the order number?", "order"),
    ("And the postcode?", "postcode"),
    ("What time suits you for a callback?", "time"),
    ("Roughly how many messages do you send a month?", "usage"),
    ("What were the last four digits of the card that was charged?", "last4"),
    ("Do you have the ticket number from last time?", "ticket"),
    ("What amount did you expect to pay?", "amount"),
    ("When was the charge?", "date"),
    ("Which card was it, the one ending in what?", "last4"),
    ("And the account, how many seats are on it?", "usage"),
    ("Do you have the reference from the bank statement?", "invoice"),
]

SUMMARY_OPEN = [
    "Customer called about a failed payment.", "Caller disputed a charge of {amount} dated {date}.",
    "Billing call regarding invoice {invoice}.", "Customer requested a change of payment method.",
    "Caller asked to move from monthly to annual billing.", "Customer reported a double charge on {date}.",
    "Inbound call about overage: {usage} above plan.",
]
SUMMARY_CLOSE = [
    "Ticket {ticket} opened.", "Callback scheduled for {time} on {date}.", "Customer can be reached at {phone}.",
    "Refund of {amount} promised within 5 business days.", "No further action needed.",
    "Agent applied a {percent} credit.", "Old card {masked_card} removed.", "Reference {call_id}.",
]
SUMMARY_SECRET = [
    "Customer provided {T}.", "Caller gave {T} for the update.", "New details captured: {T}.",
    "The caller read out {T}.", "Verified with {T}.", "Payment details on file updated to {T}.",
]
# Noun phrases used in summaries: {V} is the value.
SUMMARY_NOUN = {
    "card_number": ["card number {V}", "new card {V}", "{brand} {V}", "PAN {V}"],
    "card_cvv": ["CVV {V}", "security code {V}", "CVC {V}"],
    "card_expiry": ["expiry {V}", "expiration {V}", "exp. {V}"],
    "pin": ["PIN {V}"],
    "iban": ["IBAN {V}", "refund IBAN {V}"],
    "bic": ["BIC {V}", "SWIFT {V}"],
    "us_routing_number": ["routing number {V}", "ABA {V}"],
    "us_bank_account": ["account number {V}", "checking account {V}"],
    "uk_sort_code": ["sort code {V}"],
    "uk_bank_account": ["account number {V}"],
    "us_ssn": ["SSN {V}", "social security number {V}"],
    "us_itin": ["ITIN {V}"],
    "us_ein": ["EIN {V}"],
    "uk_nino": ["NI number {V}"],
    "uk_utr": ["UTR {V}"],
    "vat_number": ["VAT number {V}"],
    "secret_api_key": ["API key {V}"],
}

OPENERS = [
    [("A", "Thanks for calling, this is the billing assistant. Can I get the phone number on the account?"),
     ("U", "Sure, it's {phone}.")],
    [("U", "Hi, I'm calling about my bill.")],
    [("U", "Yeah, hi, there's a charge I don't recognise."),
     ("A", "I'm sorry to hear that. Let me pull up the account.")],
    [("A", "Hello, you're through to billing. How can I help?"), ("U", "Hi, it's about invoice {invoice}.")],
    [("A", "Hi, thanks for holding. Who am I speaking with?"),
     ("U", "It's Sam, the account is under sam at example dot com.")],
    [],
]
CLOSERS = [
    [("A", "Okay. Anything else I can help with today?"), ("U", "No, that's everything, thanks.")],
    [("A", "You'll get a confirmation by email. Your reference is {ticket}.")],
    [("A", "Thanks for calling, have a good day.")],
    [("U", "Great, thanks for your help."), ("A", "You're welcome, bye now.")],
    [],
]
