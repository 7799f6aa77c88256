# ruff: noqa: E501  (a phrase bank: one wording per line reads better than wrapped strings)
"""Wordings of the holdout2 routing set, written for this set from the scenario descriptions.

Slots (str.format): {amt} amount, {month}, {date}, {inv} invoice number, {pay_date}, {product},
{vat} tax number, {addr} billing address, {legal} legal name, {new_name}, {new_email}, {newphone},
{spelled} a name spelled out, {card}, {iban}, {company}, {first}, {acct}, {pid}, {email_spoken}.

Tuners: read the aggregates the harness prints, never this file.
"""

from __future__ import annotations

# --- openings and closings -----------------------------------------------------------------------

AGENT_OPEN_IN = [
    "Thanks for calling billing support, this is Ava, how can I help?",
    "Hello, you're through to the accounts team. What can I do for you today?",
    "Good morning, billing desk, my name is Theo. How can I help?",
    "Hi there, thanks for holding. What's the call about today?",
    "Billing and payments, this is Sam speaking. What do you need?",
    "Hello and welcome. I'm the automated billing assistant, how can I help you?",
    "Hi, thanks for getting in touch with us. What can I sort out for you?",
]
AGENT_OPEN_OUT = [
    "Hi, this is Nora calling from the accounts team. Am I speaking with {first}?",
    "Hello, it's the billing department calling. Is this {first}?",
    "Good afternoon, this is an automated call from accounts receivable for {first}.",
    "Hi {first}, I'm calling on behalf of the finance team about your account.",
]
CALLER_CONFIRM_OUT = [
    "Yes, speaking.",
    "That's me, go ahead.",
    "Yeah, this is {first}. What's it about?",
    "Speaking. Is something wrong?",
]
CALLER_HELLO = [
    "Hi, yes.",
    "Hello, hi.",
    "Hey, thanks.",
    "Good morning.",
    "Hi there.",
]
AGENT_CLOSE = [
    "Is there anything else I can help with?",
    "Anything else before I let you go?",
    "Great, that's all noted. Anything else today?",
    "Okay, you're all set. Have a good day.",
    "Thanks for calling, take care.",
]
CALLER_CLOSE = [
    "No, that's everything, thanks.",
    "That's it. Cheers.",
    "Nope, all good. Bye.",
    "No thanks, have a good one.",
    "That covers it, thank you.",
]
SMALL_TALK = [
    (
        "Sorry, bear with me, I'm just pulling over. Okay. So, it's been a hectic week.",
        "No problem at all, take your time.",
    ),
    (
        "Before anything, your hold music is surprisingly good. Anyway, I've been a customer for years.",
        "Ha, I'll pass that on. Thanks for sticking with us.",
    ),
    (
        "It's pouring here, so I'm stuck inside doing admin, which is why I'm finally calling.",
        "Perfect weather for paperwork, then.",
    ),
    (
        "I tried the chat earlier but it timed out, so here I am on the phone.",
        "Sorry about that, I can help from here.",
    ),
]

# Identity statements, by channel (the call itself carries the identifier).
SAY_COMPANY = [
    "I'm calling from {company}.",
    "This is {first} over at {company}.",
    "It's {first}, from {company}, we're one of your customers.",
    "I look after the accounts at {company}.",
]
SAY_ACCOUNT = [
    "My account number with you is {acct}.",
    "The account reference is {acct}, if that helps.",
    "Our customer number is {acct}.",
]
SAY_PAYMENT = [
    "The payment reference on my statement is {pid}.",
    "I've got the transaction id here, it's {pid}.",
    "The reference your system emailed me is {pid}.",
]
SAY_EMAIL = [
    "The email on the account is {email_spoken}.",
    "You'll have me under {email_spoken}.",
    "It should be registered to {email_spoken}.",
    "My login email is {email_spoken}.",
]
SAY_INVOICE_REF = [
    "I have the invoice number here, it's {inv}.",
    "It's about invoice {inv}.",
    "The invoice number at the top says {inv}.",
]
AGENT_ASK_ID = [
    "Sure, can I get something to find your account?",
    "Of course. What details can I look you up by?",
    "Happy to help. Who am I speaking with and which account is it?",
]
AGENT_FOUND = [
    "Thanks, I've found your account.",
    "Got it, I can see you here.",
    "Perfect, that's brought up your account.",
]

# --- requests per workflow -----------------------------------------------------------------------

RECEIPT = [
    "I paid the {month} bill last week but never got a receipt for it. Could you send one over?",
    "Our bookkeeper wants proof of the {amt} payment we made on {date}. Can I get a receipt for that?",
    "I need the receipt for the card payment from {date}, I can't find the email anywhere.",
    "Is it possible to get the payment confirmation for {amt} emailed to me again? I deleted it by accident.",
    "I'm doing my expense report and I'm missing the receipt for the {month} charge.",
    "Could you resend the receipt for what we paid in {month}? I can't see it in my inbox.",
    "I just need a copy of the receipt for the {amt} I paid, that's all really.",
    "The receipt for my last payment never showed up. Can you email it please?",
    "I'd like the paid receipt for {month}, the one that shows the card payment went through.",
    "My manager won't reimburse me without the receipt for the {amt} payment. Can you send it again?",
    "Can I have a receipt for the {date} payment? The auditors are asking for it.",
    "I need something that proves we paid {amt} in {month}. A receipt would do.",
]
RECEIPT_AGENT = [
    "No problem, I'll email the receipt for that payment to the address on your account.",
    "I can see the {amt} payment. I'm sending the receipt to your email on file now.",
    "Done, the receipt is on its way to the email we have for you.",
    "Sure, I've queued the receipt, it should land in a few minutes.",
]
RECEIPT_SUMMARY = [
    "Caller asked for a receipt for a {month} payment to be sent again.",
    "Customer needs the receipt for a {amt} payment; agent arranged to email it.",
    "Receipt request for the payment made on {date}.",
]

INVOICE_NUM = [
    "We never received invoice {inv}. Can you send it over again?",
    "The PDF for invoice {inv} comes up blank when I open it. Could you send a fresh copy?",
    "The link in the email for {inv} says it has expired. Can you send that invoice again?",
    "I'm after a duplicate of invoice {inv} for our records.",
    "Invoice {inv} is garbled when I download it, just strange characters. Can I get it sent again?",
    "I can't find invoice {inv} anywhere in my inbox. Would you mind resending it?",
    "The attachment on {inv} won't open on any of our machines. Could you email it again?",
    "Our supplier portal rejected the copy of {inv} I had, it's corrupted. Please send it once more.",
]
INVOICE_MONTH = [
    "Our accounts payable team says they don't have the {month} invoice. Can you email it again?",
    "I need another copy of the {month} invoice, the one I have is missing a page.",
    "Can you send the invoice for {month} one more time? Our mail filter must have eaten it.",
    "Please email me the {month} invoice again, I need to upload it to our payment system today.",
    "Could I get the {month} bill re-sent? The file I got is zero bytes.",
    "Our finance lead needs the {month} invoice as a PDF again, the old one got lost in a handover.",
]
INVOICE_AGENT = [
    "Sure, I'll send that invoice again to the email on your account.",
    "I've found it. A new copy is going out to your billing email now.",
    "No problem, I'm resending the PDF, give it a few minutes.",
    "Okay, I've triggered the invoice email again.",
]
INVOICE_SUMMARY = [
    "Caller asked for invoice {inv} to be sent again.",
    "Customer could not open their invoice and asked for a new copy.",
    "Invoice resend requested for the {month} invoice.",
]

DISPUTE = [
    "There's a charge of {amt} on {date} that I don't recognise at all. I want to contest it.",
    "I never authorised the {amt} payment that went out on {date}. Please treat this as a dispute.",
    "You billed us {amt} for seats we removed months ago. That charge is wrong and I'm formally disputing it.",
    "I've already filed a chargeback with my bank over the {amt} charge and I'm standing by it.",
    "Someone charged {amt} to our card on {date} and nobody here signed up for that. I'm contesting it.",
    "We were charged double the agreed price this month, {amt}. I'm disputing that charge.",
    "I want to raise a dispute about the {amt} you took on {date}. We had cancelled before that.",
    "This {amt} charge is not mine. I did not make it and I want it investigated as a dispute.",
    "I'm challenging the {amt} charge from {date}. It should never have been taken.",
]
DISPUTE_AGENT = [
    "I understand. I'll open a dispute case for that charge and finance will review it.",
    "Thanks for explaining. I've logged a dispute on the {amt} charge.",
    "Okay, I'm flagging that charge as disputed and a specialist will follow up.",
]
DISPUTE_SUMMARY = [
    "Caller disputes a {amt} charge from {date} they say they did not authorise.",
    "Customer contests a charge and wants it investigated.",
    "Dispute raised about a {amt} charge.",
]

RENEWAL = [
    "I got an email saying our renewal payment was declined. Can you help me sort that out?",
    "The annual renewal didn't go through, apparently the card expired. I want to fix it before we lose access.",
    "Your system says the subscription renewal failed on {date}. What do I need to do?",
    "My card was declined when the plan renewed this month, I think the bank blocked it.",
    "We had a notice that the renewal charge bounced. I'd like to get that payment retried.",
    "The renewal on our account failed because the card on file ran out. Send me the link to update it.",
    "The automatic renewal couldn't charge us and now there's a warning banner in the app.",
    "The renewal payment got rejected yesterday, can we get that sorted today?",
]
RENEWAL_AGENT = [
    "I can see the renewal invoice is still open. I'll send you a secure link to update the card and we'll retry.",
    "Yes, the renewal attempt failed. I'm emailing you the card update link now.",
    "Once the new card is on file the renewal will retry automatically. I've sent the link.",
]
RENEWAL_SUMMARY = [
    "Caller's subscription renewal payment failed; card update link sent.",
    "Renewal charge declined; customer wants to fix payment.",
]

CONTEXT_SYMPTOM = [
    "Our account has been suspended since this morning and nobody on the team can get in.",
    "Apparently the payment bounced and now the whole service is switched off for us.",
    "We're locked out, the app just says the account is on hold. What's going on?",
    "Everything stopped working for us overnight and there's a red banner saying access is paused.",
    "My bank said your payment attempt didn't go through, and now I can't use anything.",
    "Half my staff can't log in, it says the workspace is restricted. We haven't changed anything.",
]
CONTEXT_SYMPTOM_AGENT = [
    "Let me look. I can see the latest payment on the subscription didn't go through, that's why.",
    "I see the account is restricted because the last charge failed. I'll send a link to update payment.",
    "It looks like the subscription payment is outstanding. Once that's settled access comes back.",
]

LOGIN = [
    "I can't log into the dashboard, it keeps saying my password is wrong.",
    "The two-factor code never arrives on my phone, so I'm stuck at the login screen.",
    "I got locked out after too many password attempts. Can you unlock me?",
    "The sign-in page just spins forever since yesterday's update.",
    "I'm not getting the password reset email, I've checked spam already.",
]
LOGIN_AGENT = [
    "Your subscription is all in order, this is just a login issue. I've sent a reset link.",
    "Billing looks fine on your side. I've cleared the lockout, try again now.",
    "Everything is paid up. I'll pass you a fresh reset email, it should work now.",
]
LOGIN_CALLER_OK = [
    "Okay, that worked, I'm in. Thanks.",
    "Got it, the link came through.",
    "Brilliant, sorted.",
]

REFUND = [
    "I was charged {amt} for an add-on I cancelled in {month}. I'd like that money back, please.",
    "We paid the {month} invoice twice by mistake. Could you refund the extra {amt}?",
    "The service was down most of last week, so I'm asking for a partial refund of {amt}.",
    "I downgraded before the renewal but was still billed the full {amt}. Please refund the difference.",
    "Can I get a refund on the {amt} payment? We ended up not using the upgrade at all.",
    "I'd like my {amt} returned to my card, we cancelled within the trial window.",
    "You charged me {amt} after I closed the account. I want a full refund of that.",
    "We were overcharged {amt} on {date}. Please send that back to us.",
    "I'd like to request a refund for the {month} charge, it was meant to be free under our promo.",
]
REFUND_AGENT = [
    "I've put in a refund request for {amt}, finance needs to approve it first.",
    "Understood, I'll submit that refund for approval and you'll get an email.",
    "Okay, refund requested. It goes to the finance team to sign off.",
]
REFUND_SUMMARY = [
    "Caller requests a refund of {amt}.",
    "Customer asks for money back for a {month} charge.",
    "Refund request, {amt}, pending approval.",
]

CORRECTION = {
    "tax_id": [
        "Our VAT number changed after a restructure. The new one is {vat}, please update it on the account.",
        "We've got a new tax registration, it's {vat}. Invoices should show that from now on.",
        "Can you replace the VAT ID on our invoices with {vat}? The old one has been deregistered.",
    ],
    "tax_id_bare": [
        "Please put this on our invoices from now on instead of the old one: {vat}.",
        "Our registration changed, the new reference for the invoices is {vat}.",
        "Could you swap the identifier printed on our bills for {vat}? We re-registered.",
    ],
    "address": [
        "We moved offices. The billing address on the invoices needs to be {addr}.",
        "Can you change our billing address to {addr}? The old one is still printed on the invoices.",
        "Our head office relocated, so the address for billing is now {addr}.",
    ],
    "legal_name": [
        "Our company's legal name is now {legal}, but the invoices still show the old name.",
        "We rebranded and the invoices need to be made out to {legal} going forward.",
        "After the merger our registered name is {legal}. Please correct it on the billing profile.",
    ],
    "exemption": [
        "We're a registered charity and tax exempt, but you keep adding sales tax. Please mark us exempt, I can send the certificate.",
        "Our exemption certificate was approved last month, so please stop charging tax on our invoices.",
        "We qualify for tax exemption as a school district. Can you update the account so tax isn't added?",
    ],
}
CORRECTION_AGENT = [
    "I'll raise that change for the finance team, they update billing details after checking.",
    "Noted. That goes to finance as a pending change, you'll get a confirmation.",
    "Thanks, I've logged the correction for review.",
]
CORRECTION_SUMMARY = {
    "tax_id": "Caller asked to update the tax registration number on the account.",
    "tax_id_bare": "Caller asked to change the registration reference printed on invoices.",
    "address": "Caller asked to change the billing address.",
    "legal_name": "Caller asked to change the legal company name on invoices.",
    "exemption": "Caller asked for the account to be marked tax exempt.",
}

# Collections: inbound replies to an overdue notice, and outbound dunning calls.
COLLECT_IN = [
    "I got the overdue reminder for invoice {inv}. We'll pay it in full by {pay_date}.",
    "Sorry it's late, I'm calling about your past due letter for {inv}. The payment goes out on {pay_date}.",
    "About the overdue balance on {inv}: our director signs off on Friday and we'll pay straight after.",
    "I'm ringing about the late notice. Invoice {inv} will be paid on {pay_date}, it's scheduled.",
]
COLLECT_OUT_AGENT = [
    "I'm calling about invoice {inv}, which was due on {date} and is still open for {amt}.",
    "Our records show {inv} for {amt} is overdue since {date}. Can we talk about when it'll be paid?",
    "This is a reminder that invoice {inv} for {amt} is past its due date of {date}.",
]
COLLECT_PROMISE = [
    "Yes, I know, sorry. We'll settle it by {pay_date}.",
    "Our payment run is on {pay_date}, you'll have it then.",
    "It's approved internally, it'll go out on {pay_date}.",
    "Right, I'll make sure it's paid before {pay_date}.",
]
COLLECT_TERMS = [
    "Could we split it into three monthly payments instead? Cash is tight this quarter.",
    "Any chance of another thirty days on that? We're waiting on a client to pay us.",
    "If we pay the rest today, could you waive the late fee?",
    "We can't do the full amount at once. Can we pay half now and half next month?",
]
COLLECT_AGENT_ACK = [
    "Thanks, I've noted that on the account with the date.",
    "Okay, I'll log that and we'll follow up if anything changes.",
]
COLLECT_AGENT_TERMS = [
    "I can't approve that myself, but I'll put the request to our finance team.",
    "I'll pass that on to a manager who can agree new terms.",
]
COLLECT_SUMMARY = [
    "Collections call about overdue invoice {inv}; customer promised payment by {pay_date}.",
    "Overdue balance discussed; next step recorded.",
]
COLLECT_TERMS_SUMMARY = [
    "Collections call about {inv}; customer asked for different payment terms.",
]

# Outbound renewal recovery and courtesy reminders.
RENEW_OUT_AGENT = [
    "I'm calling because the renewal payment for your subscription didn't go through on {date}.",
    "We tried to take the renewal payment and it was declined. I wanted to help you get it sorted.",
    "Your plan's renewal charge failed this week, so the account is at risk of being paused.",
]
RENEW_OUT_FIX = [
    "Oh, that'll be the old card. Send me the link and I'll put the new one in.",
    "Ah, I changed banks. I'll update the card today.",
    "Thanks for the heads up, I'll fix the payment method this afternoon.",
]
RENEW_OUT_TERMS = [
    "Honestly, if you could knock something off the price I'd renew today.",
    "Can we move to quarterly payments? The annual amount is a lot in one go.",
    "I'd stay if you could give us the discount we had last year.",
]
RENEW_REMIND_AGENT = [
    "Just a courtesy call: your subscription renews on {date} and the card on file is all set.",
    "A quick reminder that your plan renews next week on {date}. No action needed.",
]
RENEW_REMIND_CALLER = [
    "Great, thanks for letting me know.",
    "Okay, noted. Thanks.",
    "Fine by me, carry on.",
]

# Contact changes.
CONTACT = {
    "new_recipient": [
        "Please add our new accounts payable person, {new_name}, at {new_email}, so she gets the invoices too.",
        "From now on invoices should also go to {new_email}, that's our new finance inbox. Please add it as a billing contact.",
        "Our old billing contact left; please replace him with {new_name}, {new_email}.",
    ],
    "new_phone": [
        "My phone number has changed, the new one is {newphone}. Can you update it on my account?",
        "Please update my contact number to {newphone}, the old mobile is gone.",
        "Could you change the phone number you have for me? It's {newphone} now.",
    ],
    "name_spelling": [
        "You've got my surname spelled wrong on the account, it's {spelled}.",
        "My first name is misspelled in your records, it should be {spelled}.",
        "Small thing, the name on the account is missing a letter, it's spelled {spelled}.",
    ],
    "new_customer": [
        "We're a new company and want to get set up as a customer so you can start billing us.",
        "I'd like to open an account with you for our team, we haven't bought anything yet.",
        "Can you create an account for us? We're switching over from another provider.",
    ],
    "unmatched_add": [
        "I don't think you have me on file. Can you add me as a contact for our billing?",
        "I'm new in the finance team and not in your system yet, please add me.",
    ],
}
CONTACT_AGENT = [
    "Done, I've updated the contact details.",
    "Okay, I'll get that contact change made.",
    "Thanks, I've noted the new details on the account.",
]
CONTACT_SUMMARY = {
    "new_recipient": "Caller asked to add a new billing recipient.",
    "new_phone": "Caller asked to update their phone number.",
    "name_spelling": "Caller asked to correct the spelling of their name.",
    "new_customer": "Caller wants to be set up as a new customer.",
    "unmatched_add": "Caller asked to be added as a billing contact.",
}

# Questions the agent answered (no workflow).
QUESTION = [
    (
        "When is my next payment going to come out?",
        "Your next charge is on {date}, for the usual amount.",
        "Perfect, that's all I needed.",
    ),
    (
        "How much extra would it be to add five more users?",
        "Each extra seat is twelve dollars a month, so sixty in total.",
        "Okay, I'll think about it and do it myself online.",
    ),
    (
        "Do you take bank transfers, or is it cards only?",
        "We accept both, and direct debit in some countries.",
        "Good to know, thanks.",
    ),
    (
        "Why did the tax on my invoice go up this month?",
        "The rate changed in your state on the first of the month, we apply it automatically.",
        "Ah, that explains it. Fine.",
    ),
    (
        "What's the difference in price if we switch to annual billing?",
        "Annual works out about two months cheaper than paying monthly.",
        "Interesting, I'll bring it up with my boss.",
    ),
    (
        "Where in the portal do I find our old invoices?",
        "Under Settings, then Billing, then History. You can download any of them there.",
        "Found it, thanks.",
    ),
    (
        "What's this {amt} charge on my statement for?",
        "That's the yearly storage add-on you turned on in {month}.",
        "Oh right, I forgot about that. Makes sense.",
    ),
    (
        "Can I change which day of the month we get billed?",
        "Yes, you can pick a new billing day in the portal; it takes effect next cycle.",
        "Great, I'll do that.",
    ),
]
REFUND_STATUS = [
    (
        "I was told my refund went through last week, but I haven't seen it on my card yet.",
        "It was issued on {date}. Card refunds take five to ten business days to show.",
        "Okay, I'll give it a few more days then.",
    ),
    (
        "Just checking on the refund you promised me, has it been sent?",
        "Yes, it was processed on {date} and is on its way to your bank.",
        "Lovely, thanks for checking.",
    ),
]
QUESTION_SUMMARY = [
    "Caller had a billing question which the agent answered.",
    "General billing enquiry, resolved on the call.",
]

UNCLEAR = [
    "Something about my bill this month just doesn't look right, but I can't tell you what. Can someone from finance call me?",
    "I'm confused by the last statement. I'd rather speak to a person about it, can you get someone to ring me back?",
    "There's something off with how we're being billed. I don't want to get into it now, just have someone call me.",
]
UNCLEAR_AGENT = [
    "I'll ask someone from the billing team to call you back.",
    "Sure, I'll arrange a callback from a specialist.",
]

NO_CONTENT = [
    [("agent", "Hello, billing support, how can I help?"), ("user", "..."), ("agent", "Hello? I can't hear you.")],
    [("agent", "Hi, this is the accounts team calling about your account, please call us back when you can.")],
    [
        ("agent", "Billing support, how can I help?"),
        ("user", "Oh, sorry, I think I've got the wrong number, I was trying to reach the dentist."),
        ("agent", "No problem, have a good day."),
    ],
    [("user", "Hello? Hello?"), ("agent", "Hi, can you hear me?"), ("user", "Sorry, bad line, I'll call back.")],
]

# --- negation, retraction, declined offers, changed mind ----------------------------------------

NOT_DISPUTING = [
    "I'm not disputing the {amt} charge or anything, I just want to understand what it is.",
    "To be clear, I don't want to contest it. I just didn't know what the {amt} was for.",
    "I'm not looking to raise a chargeback, I'd just like an explanation of the {amt}.",
]
NOT_DISPUTING_AGENT = [
    "That's the annual add-on renewal from {month}, it's listed on your contract.",
    "That amount is the prorated charge for the seats you added in {month}.",
]
NOT_DISPUTING_OK = [
    "Okay, that's fine then. Thanks for clearing that up.",
    "Right, that makes sense. Leave it as it is.",
]
RETRACT = {
    "dispute": [
        "Actually, hang on. My colleague just told me she bought it. Forget the dispute, my mistake.",
        "Oh wait, I see it now, that was us. Scratch that, there's nothing to dispute.",
        "Never mind, I've just found the order confirmation. Please don't open anything.",
    ],
    "refund": [
        "You know what, forget the refund. I've just realised we did use it.",
        "Actually, don't bother with the refund, it was my error, not yours.",
        "Hmm, I've changed my mind, leave it. No refund needed.",
    ],
    "invoice": [
        "Oh, hold on, I've just found it in the spam folder. No need to send it again.",
        "Wait, my colleague has already forwarded it to me. You can ignore that.",
    ],
    "receipt": [
        "Ah, never mind, it's just come through on my end. No need to resend.",
        "Sorry, I've just spotted it in another folder. Don't worry about the receipt.",
    ],
    "correction": [
        "Actually, let's leave the address for now, we may not move after all. Don't change anything.",
        "On second thoughts, keep the details as they are until our lawyers confirm. Don't change it yet.",
    ],
}
RETRACT_AGENT = [
    "No problem, I won't do anything then.",
    "Okay, I'll leave it as it is.",
    "Understood, nothing will be changed.",
]
HYPOTHETICAL = [
    "I was going to ask for a refund on the {amt}, but honestly it's fine, we'll keep it.",
    "I thought about disputing the {amt} with my bank, but I checked and it was our order after all.",
    "I nearly called to have the invoice sent again, but I've got it now, so that's not why I'm calling.",
]
HYPOTHETICAL_FOLLOW = [
    "Really I just wanted to ask when the next charge is.",
    "I mostly wanted to check what day we get billed.",
]
OFFER = {
    "refund": (
        "I can see the outage affected you. Would you like me to request a partial refund?",
        ["No, no need, it wasn't a big deal. Leave it.", "That's kind, but no thanks, we're fine."],
    ),
    "receipt": (
        "Would you like me to email a receipt for that payment as well?",
        ["No, I don't need one, thanks.", "Nah, not necessary."],
    ),
    "invoice": (
        "Shall I resend the invoice for that month while we're here?",
        ["No thanks, I've already got it.", "No, don't worry, we have a copy."],
    ),
    "dispute": (
        "If you don't recognise it I can open a dispute for you. Do you want that?",
        ["No, I recognise it now, don't open anything.", "No, please don't, it's fine."],
    ),
}
OFFER_PROBLEM = {
    "refund": "We had that outage on Tuesday, the app was down for a few hours.",
    "receipt": "I just wanted to check the {amt} payment went through.",
    "invoice": "I wanted to check the {month} invoice was paid on time.",
    "dispute": "I'm looking at a {amt} charge and I wasn't sure what it was. Oh, it's the annual plan, isn't it.",
}

CHANGED_MIND = [
    (
        "refund",
        "invoice",
        "Can you refund the {month} charge? Actually, no, wait. Just send me the {month} invoice instead, I'll sort it with our finance team.",
    ),
    (
        "dispute",
        "refund",
        "I want to dispute this {amt} charge. Hmm, thinking about it, I don't want a whole dispute. Could you just refund it to my card?",
    ),
    (
        "receipt",
        "invoice",
        "I need the receipt for {month}. Sorry, no, I mean the invoice, the actual invoice document. Can you resend that?",
    ),
    (
        "correction",
        "receipt",
        "I was going to change our billing address, but forget that for now, it's not final. What I do need is the receipt for the {amt} payment.",
    ),
    (
        "invoice",
        "refund",
        "Could you resend invoice {inv}? Actually, forget the invoice, looking at it we shouldn't have been charged at all. I'd like that refunded.",
    ),
    (
        "refund",
        "receipt",
        "I'd like a refund for the {amt}. Oh hold on, my colleague did use it. Scrap the refund, just send me a receipt for it.",
    ),
]

FRAUD_CARD_ACTIVE = [
    "My bank cancelled my card after some fraud at a petrol station, nothing to do with you. I've got a new card, just wanted you to know.",
    "Heads up, my card got skimmed somewhere and the bank replaced it. Your charges are all fine, I've already put the new card in online.",
]
FRAUD_CARD_ACTIVE_AGENT = [
    "Thanks for letting us know. Your subscription is fully paid, nothing else needed.",
    "Got it, your account is in good standing and the new card is on file.",
]
FRAUD_CARD_PASTDUE = [
    "My card was cancelled after fraud somewhere else, and I think that's why your renewal didn't go through. Can we redo it on the new card?",
    "The bank replaced my card because of fraud, so the renewal payment must have failed on the old one. I want to get that sorted.",
]
FRAUD_CARD_PASTDUE_AGENT = [
    "Yes, the renewal failed on the old card. I'll send the link to add the new one and retry.",
]
FRAUD_NEW_CARD_READ = [
    "The new card is {card}, can you just put that on?",
    "Here's the new number: {card}.",
]

DISPUTE_BACKGROUND = [
    "Last year I had a chargeback with my bank over a different company, long story, all settled. Anyway, I need the receipt for {month}.",
    "My bank asked for proof for an old dispute they closed, so could you email me the receipt for the {amt} payment?",
    "There was a dispute on an old card of mine, not with you. What I need today is just the receipt for {date}.",
]

SENSITIVE_CARD = [
    "I want to change the card you charge. The new one is {card}, expiry oh-nine twenty-nine.",
    "Can I just read you my card? It's {card}.",
]
SENSITIVE_CARD_AGENT = [
    "Please don't read card numbers out on the call. I'll send you a secure link instead.",
    "For your safety, I can't take card numbers by phone. I'm sending a secure payment link.",
]
SENSITIVE_IBAN = [
    "Please pay the refund into our bank account instead, the IBAN is {iban}.",
    "Our account details for the transfer are {iban}.",
]

SEND_OTHER = [
    "Could you send it to my accountant instead? Her address is {new_email}.",
    "Please email that one to {new_email}, not my usual address.",
    "Send it to {new_email} please, I'm not at my work inbox this week.",
]

LATE_QUESTION = [
    (
        "Quick one first, do you still do the loyalty discount for long-time customers?",
        "We do, it's applied automatically after three years, and you already have it.",
        "Oh nice, I didn't know.",
    ),
    (
        "Also, is the price going up next year? I heard rumours.",
        "Nothing is announced for your plan right now.",
        "Good.",
    ),
]
LATE_PREFIX = [
    "Oh, and before you go, one more thing. ",
    "Right, the actual reason I called. ",
    "Oh, nearly forgot! ",
]

ALSO = ["Also, while I have you, ", "And one more thing: ", "Oh, and ", "Separately, "]

# Analysis intent labels, per workflow, as DialNexa workspaces spell them.
INTENT_LABEL = {
    "receipt_resend": ["receipt_request", "resend_receipt", "receipt"],
    "invoice_resend": ["invoice_request", "resend_invoice", "invoice_copy"],
    "charge_dispute": ["dispute", "charge_dispute", "chargeback"],
    "renewal_failed": ["renewal_failed", "payment_failed", "failed_renewal"],
    "refund_approval": ["refund", "refund_request"],
    "billing_correction": ["billing_update", "tax_update", "billing_correction"],
    "collections_log": ["collections", "payment_promise", "overdue_balance"],
    "contact_sync": ["contact_update", "update_contact"],
    "none": ["billing_question", "general_enquiry", "other"],
}

# --- non-English calls ---------------------------------------------------------------------------

FOREIGN = {
    "es": {
        "open": "Hola, gracias por llamar al departamento de facturación. ¿En qué puedo ayudarle?",
        "receipt": "Pagué la factura de {month} pero nunca recibí el recibo. ¿Me lo pueden reenviar?",
        "invoice": "No encuentro la factura {inv} en mi correo. ¿Podrían enviármela otra vez?",
        "refund": "Me cobraron {amt} por un servicio que cancelé. Quiero que me devuelvan ese dinero.",
        "dispute": "Hay un cargo de {amt} que no reconozco y que no autoricé. Quiero disputarlo.",
        "renewal": "Me avisaron que el pago de la renovación fue rechazado. ¿Cómo lo soluciono?",
        "question": "¿Cuándo se hará el próximo cargo a mi tarjeta?",
        "not_dispute": "No quiero disputar nada, solo quería saber qué era el cargo de {amt}. Ya lo entiendo, gracias.",
        "agent_ok": "Perfecto, me encargo ahora mismo.",
        "agent_answer": "El próximo cargo es el {date}.",
        "close": "Muchas gracias, adiós.",
    },
    "fr": {
        "open": "Bonjour, service facturation, que puis-je faire pour vous ?",
        "receipt": "J'ai payé en {month} mais je n'ai jamais reçu le reçu. Pouvez-vous me le renvoyer ?",
        "invoice": "Le PDF de la facture {inv} ne s'ouvre pas. Pourriez-vous me la renvoyer ?",
        "refund": "On m'a prélevé {amt} après la résiliation. Je voudrais être remboursé.",
        "dispute": "Je conteste le prélèvement de {amt} du {date}, je ne l'ai jamais autorisé.",
        "renewal": "Le paiement du renouvellement a été refusé, ma carte a expiré. Que dois-je faire ?",
        "question": "Pourquoi la TVA a-t-elle augmenté sur ma dernière facture ?",
        "not_dispute": "Je ne conteste rien, je voulais juste comprendre le montant de {amt}. C'est clair maintenant.",
        "agent_ok": "Très bien, je m'en occupe.",
        "agent_answer": "Le taux a changé ce mois-ci, c'est appliqué automatiquement.",
        "close": "Merci beaucoup, au revoir.",
    },
    "de": {
        "open": "Guten Tag, Abrechnung, wie kann ich helfen?",
        "receipt": "Ich brauche die Zahlungsbestätigung für {month}, die ist nie angekommen. Können Sie sie noch einmal schicken?",
        "invoice": "Die Rechnung {inv} ist bei uns nie angekommen. Bitte schicken Sie sie erneut.",
        "refund": "Sie haben {amt} doppelt abgebucht. Ich möchte das Geld zurück.",
        "dispute": "Die Abbuchung über {amt} vom {date} habe ich nicht veranlasst. Ich widerspreche dieser Belastung.",
        "renewal": "Die Verlängerung ist fehlgeschlagen, die Karte wurde abgelehnt. Wie geht es jetzt weiter?",
        "question": "Kann ich auch per Überweisung zahlen statt mit Karte?",
        "not_dispute": "Ich will nichts anfechten, ich wollte nur wissen, wofür die {amt} waren. Jetzt ist es klar.",
        "agent_ok": "In Ordnung, ich kümmere mich darum.",
        "agent_answer": "Ja, Überweisung ist möglich, die Daten stehen auf der Rechnung.",
        "close": "Danke, auf Wiederhören.",
    },
    "pt": {
        "open": "Olá, setor de cobrança, em que posso ajudar?",
        "receipt": "Paguei a fatura de {month} e não recebi o recibo. Pode me mandar de novo?",
        "invoice": "Preciso de uma segunda via da fatura {inv}, o arquivo veio corrompido.",
        "refund": "Fui cobrado {amt} depois de cancelar. Quero o reembolso desse valor.",
        "dispute": "Não reconheço a cobrança de {amt} do dia {date}. Quero contestar.",
        "renewal": "A renovação da assinatura falhou porque o cartão foi recusado. Como resolvo?",
        "question": "Qual é o dia do próximo débito?",
        "not_dispute": "Não quero contestar nada, só queria entender a cobrança de {amt}. Agora entendi.",
        "agent_ok": "Certo, vou cuidar disso agora.",
        "agent_answer": "O próximo débito é no dia {date}.",
        "close": "Obrigado, tchau.",
    },
    "it": {
        "open": "Buongiorno, ufficio fatturazione, come posso aiutarla?",
        "receipt": "Ho pagato a {month} ma non ho mai ricevuto la ricevuta. Può rimandarmela?",
        "invoice": "Non trovo la fattura {inv}, può inviarmela di nuovo?",
        "refund": "Mi avete addebitato {amt} dopo la disdetta. Vorrei un rimborso.",
        "dispute": "Contesto l'addebito di {amt} del {date}, non l'ho mai autorizzato.",
        "renewal": "Il pagamento del rinnovo è stato rifiutato. Come posso sistemarlo?",
        "question": "Posso pagare con bonifico invece che con carta?",
        "not_dispute": "Non voglio contestare niente, volevo solo capire l'importo di {amt}. Ora è chiaro.",
        "agent_ok": "Va bene, me ne occupo subito.",
        "agent_answer": "Sì, il bonifico è accettato.",
        "close": "Grazie, arrivederci.",
    },
}

# ASR noise: fillers put at the start of caller turns (never inside numbers).
FILLERS = ["um, ", "uh, ", "so, um, ", "yeah so ", "right, ", "okay so "]

# A tax number keyed in on the phone keypad: the number is only in the analysis.
TAX_KEYPAD = [
    "We re-registered for tax last month. I typed the new number in on the keypad when your menu asked for it, please put it on our invoices.",
    "Our registration changed. I've entered the new number with the keypad already, can you make sure the invoices use it from now on?",
]
