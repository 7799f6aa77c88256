# ruff: noqa: E501  (text banks: one spoken sentence per line reads better than wrapped strings)
"""What callers and agents say, per scenario: many wordings each, slots in `{braces}`.

Written from the scenario descriptions (issue 11, DESIGN §2), not from the classifier's cue lists.
Each bank is a tuple of alternatives; the generator picks one per call with the case's own random
generator, so the same sentence template rarely repeats within one scenario.

Slots: first last company brand agent email other_email inv amount date month plan charge_ref
pay_date weekday due new_phone new_first new_last new_contact_name new_contact_email address
new_legal vat card iban last4 sub_ref pi_ref account_id
"""

from __future__ import annotations

GREETING = (
    "Thanks for calling {brand} billing, this is {agent}. How can I help?",
    "Hi, you've reached {brand}. My name is {agent}, what can I do for you today?",
    "{brand} customer billing, {agent} speaking.",
    "Hello and welcome to {brand}. I'm {agent}, the billing assistant. What brings you in today?",
    "Good afternoon, {brand} accounts team, {agent} here. How may I help?",
    "Hi there! This is {agent} with {brand} support. What can I help you with?",
)
CLOSING_AGENT = (
    "Is there anything else I can help with?",
    "Anything else today?",
    "Is there something else you need from us?",
    "Can I help with anything else while I have you?",
)
CLOSING_USER = (
    "No, that's everything. Thanks!",
    "That's all, thank you.",
    "Nope, you've been helpful. Bye.",
    "No thanks, have a good day.",
    "That's it for now, cheers.",
)
CLOSING_AGENT_FINAL = (
    "Thanks for calling {brand}. Goodbye!",
    "You're welcome, take care.",
    "Have a great day.",
)
ASK_IDENTITY = (
    "Sure, can I get the email address on the account?",
    "Happy to help. Which email is the account under?",
    "Of course. Could you confirm the email on file for me?",
    "No problem. What email do you use with us?",
)
ASK_ANY_ID = (
    "Sure. How can I find your account?",
    "Happy to look into it. Do you have an account number or anything I can look you up with?",
    "Let me pull up your account. What can you give me to find it?",
    "Okay. Who am I speaking with, and which account is it?",
)
PHONE_KNOWN = (
    "I can see the account linked to the number you're calling from.",
    "I've found your account from your phone number.",
    "Thanks, I have your account up from the caller ID.",
    "I see this number on one of our accounts, thanks.",
)

# Identity lines for the caller (used when the scenario says how the customer is identified).
ID_EMAIL = ("It's {email}.", "Sure, {email}.", "The email is {email}.", "That would be {email}.")
ID_SPELLED = (
    "My email is {spelled}.",
    "It's {spelled}.",
    "You'll find me under {spelled}.",
    "Let me spell it: {spelled}.",
)
ID_ACCOUNT = (
    "My account number is {account_id}.",
    "The account ID on our contract is {account_id}.",
    "Customer account {account_id}.",
    "It's account {account_id}, I think that's what you need.",
)
ID_INVOICE = (
    "It's about invoice {inv}.",
    "I have the invoice number here, {inv}.",
    "The reference on the bill is {inv}.",
    "Invoice {inv}, if that helps.",
)
ID_PAYMENT = (
    "The payment reference on my confirmation is {pi_ref}.",
    "I have a payment ID here: {pi_ref}.",
    "My bank statement shows the transaction ID {pi_ref}.",
)
ID_CHARGE = (
    "The charge reference is {charge_ref}.",
    "On the receipt email it says charge {charge_ref}.",
    "I've got the charge ID, it's {charge_ref}.",
)
ID_SUBSCRIPTION = (
    "Our subscription ID is {sub_ref}.",
    "The subscription reference in the portal says {sub_ref}.",
    "I can give you the subscription number: {sub_ref}.",
)
ID_COMPANY = (
    "I'm {first} from {company}.",
    "This is {first}, I handle the accounts for {company}.",
    "I'm calling on behalf of {company}.",
    "{first} {last} here, from {company}.",
)
ID_UNKNOWN = (
    "I'm {first} {last}, from {company}.",
    "My name's {first}. I work at {company}.",
    "This is {first} {last}.",
)

# --- receipt_resend -------------------------------------------------------------------------------
RECEIPT = (
    "Could you send me the receipt for the {amount} payment I made on {date}?",
    "I paid last week but never got a receipt. Can you email it over?",
    "I need proof of payment for {month}; our finance team is chasing me for it.",
    "I'm doing my expense report and can't find the receipt for the {plan} plan. Could you resend it?",
    "Would it be possible to get a copy of the payment receipt from {date}?",
    "My boss needs the receipt for the card payment, the {amount} one. Can you send that through?",
    "I deleted the payment confirmation by accident. Can I get the receipt again?",
    "Can you re-send the payment confirmation for my last charge? Mine went to spam and got purged.",
    "I just need a receipt for the subscription payment, nothing else.",
    "Our auditors want a receipt for every payment this quarter. Could I get the one for {month}?",
    "Could I get a paid receipt for the {amount}? I need it to get reimbursed.",
    "The receipt link in your email says it expired. Can you send me a fresh one?",
    "I'm after the receipt for the charge on the card ending {last4}.",
    "Just calling to get a receipt for what I paid on {date}.",
    "Hey, quick one: can I have the receipt for {month} emailed to me?",
    "I need something showing we paid the {amount}. A receipt would do.",
)
RECEIPT_ACK = (
    "Done, I've queued the receipt for the {amount} payment.",
    "Sure, I'll send that receipt over right away.",
    "Got it, the receipt for {date} is on its way.",
    "No problem, I'll email the payment receipt.",
    "I can do that. The receipt will be in your inbox in a few minutes.",
)
# --- invoice_resend (phrased many ways, often without "invoice resend") ----------------------------
INVOICE = (
    "The attachment on your invoice email won't open. Could you send it again?",
    "We never received invoice {inv}. Can you send it over?",
    "Our accounts payable team says they don't have the {month} invoice. Could you email it again?",
    "The PDF of the bill is blank when I open it. Could I get another copy?",
    "I need a copy of invoice {inv} for our records.",
    "Can you send the invoice again? I think our spam filter ate it.",
    "Could you email me the bill for {month} again? I can't find it anywhere.",
    "Our system rejected the invoice file. Could you send {inv} once more?",
    "I'm missing an invoice, number {inv}. Please send it to me.",
    "Can I get a duplicate of last month's invoice?",
    "The link in the invoice email is broken. Could you just send me the document?",
    "My manager needs the invoice for the {plan} subscription before she'll approve it. Can you send it?",
    "I was told the invoice had been emailed but nothing arrived. Could you try again?",
    "Could you forward me {inv}? I have to upload it to our procurement portal.",
    "The file you sent for {month} is corrupted, it just shows an error. Another copy, please?",
    "We need the invoice document itself, not the payment page. Can you mail it to me?",
)
INVOICE_ACK = (
    "Sure, I'll send invoice {inv} again.",
    "No problem, a fresh copy of the invoice is on its way.",
    "Done, I've requested the invoice document be emailed again.",
    "I'll get that invoice out to you in the next few minutes.",
    "Okay, resending the {month} invoice now.",
)
# --- where to send --------------------------------------------------------------------------------
SEND_ONFILE_AGENT = (
    "I'll send it to the email we have on file for you.",
    "It will go to the address on your account.",
    "I'll use the email on the account, the one ending in {email_domain}.",
)
SEND_ONFILE_USER = ("Perfect.", "Yes, that's the right one.", "Great, thanks.", "That works.")
SEND_SPELLED_SAME = (
    "Please send it to {spelled}.",
    "Send it to {spelled}, that's the one you have.",
    "My email is {spelled}, same as always.",
)
SEND_SPELLED_SAME_ACK = ("That matches what we have on file, great.", "Yes, that's the address on the account.")
SEND_OTHER = (
    "Actually, could you send it to {other_email} instead? That's my personal address.",
    "Please send it to our bookkeeper at {other_email}, just this once.",
    "Can it go to {other_email}? I don't have access to the other mailbox right now.",
    "Send it to {other_email}, please, not the usual address.",
    "Could you email it to {other_email}? That's our accountant.",
)
SEND_OTHER_ACK = (
    "That's a different address from the one on file, so I'll note it for the team.",
    "Okay, I'll request it be sent to {other_email}.",
    "Noted, {other_email}.",
)

# --- charge_dispute -------------------------------------------------------------------------------
DISPUTE = (
    "There's a charge of {amount} on {date} that I don't recognise at all. I want to dispute it.",
    "Somebody charged my card {amount} and it wasn't me. I never authorised that.",
    "I'm calling to contest the {amount} charge. We cancelled before that billing date.",
    "This {amount} charge is wrong and I want it formally disputed.",
    "There's a transaction from you for {amount} that I didn't make. I'm reporting it as unauthorised.",
    "I've opened a chargeback with my bank for the {amount} charge and I'm standing by it.",
    "I'm challenging the charge from {date}. We never received what we were billed for.",
    "That {amount} payment on my statement, I never agreed to it. I want to dispute it.",
    "I want to file a dispute. You charged us {amount} for a plan we don't even have.",
    "The charge {charge_ref} is not legitimate and I'm contesting it.",
    "I'm disputing the {date} charge; nobody on our team signed up for that.",
    "Your company took {amount} from our account without permission. I want that charge challenged.",
)
DISPUTE_ACK = (
    "I understand. I've opened a dispute case for the {amount} charge and a finance owner will review it.",
    "Okay, I've logged the charge as disputed; our billing team will contact you.",
    "I'm sorry about that. I've raised it with finance as a disputed charge.",
    "Thanks for telling us. The dispute is recorded and someone will follow up within two business days.",
)
# --- refund_approval ------------------------------------------------------------------------------
REFUND = (
    "I'd like a refund for the {amount} I paid on {date}; we don't use the product any more.",
    "You charged me twice this month. Can you refund one of them?",
    "I upgraded by mistake. Could I get my money back for the upgrade, {amount}?",
    "Can I get a refund? The service was down for most of the week.",
    "We cancelled within the trial window but were still billed {amount}. Please refund it.",
    "I want my money back for the plan, we only used it for a few days.",
    "Could you reverse the {amount} charge and put it back on my card?",
    "I was billed for more seats than we have users. I'd like the difference refunded.",
    "Please refund the last payment, we've switched providers.",
    "I'm asking for a partial refund of {amount} because of the outage.",
    "Is it possible to get the {amount} back? We were charged after we downgraded.",
    "I need the {month} payment refunded, that renewal should never have happened.",
)
REFUND_ACK = (
    "I've submitted a refund request for {amount}; it needs approval from finance.",
    "Understood. I'll pass the refund request to the billing team for approval.",
    "Okay, refund request logged. You'll hear back once it's approved.",
    "I can't issue it myself, but I've sent the refund for approval.",
)
# --- renewal_failed -------------------------------------------------------------------------------
RENEWAL_EXPLICIT = (
    "My renewal payment didn't go through, the card got declined.",
    "I got an email saying our subscription renewal failed. What do I need to do?",
    "My card expired and I think the renewal bounced.",
    "The monthly renewal didn't process. Can you help me sort it out?",
    "Your system says the renewal payment failed for our plan.",
    "We had a failed payment on the subscription renewal this week.",
    "The renewal charge was declined by my bank, I'd like to fix it.",
)
RENEWAL_CONTEXT_ONLY = (
    "Our dashboard stopped working this morning, everything's locked.",
    "I think the payment bounced, and now the service is off.",
    "My account says suspended. What's going on?",
    "Since yesterday the app won't let us do anything.",
    "We got cut off from the platform. Did something happen with our payment?",
    "I think my bank sent the payment back. The service stopped.",
    "None of my team can use the tool any more, it just shows a banner about the account.",
    "Everything stopped working overnight. We haven't changed anything on our side.",
)
RENEWAL_ACK = (
    "I'll send you a secure link to update the card and retry the payment.",
    "I've sent a link where you can update your payment method; the charge will retry automatically.",
    "Let me email you the payment update link. Once the card is updated we'll retry.",
    "You'll get a link to put in a new card, and the system will try the payment again.",
)
RENEWAL_CONTEXT_ACK = (
    "Let me check your account. I'll make sure the billing team follows up with what you need.",
    "I see there's an issue on the account; I'll send you the details by email.",
    "Okay, I'll look into it and get you sorted.",
)
RENEWAL_USER_OK = (
    "Okay, I'll update it today.",
    "Great, send it over and I'll fix it.",
    "Thanks, I'll put the new card in tonight.",
    "Perfect, that's easy enough.",
)
# --- billing_correction ---------------------------------------------------------------------------
TAX_ID = (
    "We have a new VAT number, please update it on our account: {vat}.",
    "Our tax registration number changed after the merger. The new one is {vat}.",
    "Please put our VAT ID {vat} on future invoices; it's missing right now.",
    "The tax number on our invoices is wrong, it should be {vat}.",
    "Could you change the tax ID on file to {vat}? The old one was deregistered.",
    "Our company's tax identifier is {vat}, and the invoices still show the old one.",
)
ADDRESS = (
    "We moved offices; the billing address should now be {address}.",
    "Please change our billing address to {address}.",
    "The invoices still go to our old address. The correct one is {address}.",
    "Our registered address changed to {address}; can you update billing?",
)
LEGAL_NAME = (
    "Our legal entity name changed to {new_legal}; the invoices need to show that.",
    "We rebranded, and legally we're now {new_legal}. Please correct the name on our invoices.",
)
TAX_EXEMPT = (
    "We're a registered non-profit and tax-exempt, but you've been adding sales tax. Can you correct the tax on our account?",
    "You're charging us VAT but we're reverse-charge as an EU business; the tax treatment on our account is wrong.",
)
CORRECTION_ACK = (
    "I've recorded the change for our finance team; they'll update it after checking.",
    "Thanks, I've submitted that as a pending change. Finance confirms these before they take effect.",
    "Okay, the correction is logged and will be reviewed by billing.",
)
# --- collections_log ------------------------------------------------------------------------------
COLLECT_OPEN = (
    "Hi {first}, this is {agent} from {brand} accounts receivable. I'm calling about invoice {inv} for {amount}, which was due on {due}.",
    "Hello, am I speaking with {first}? I'm {agent} from {brand}. There's an overdue balance of {amount} on invoice {inv}.",
    "Good morning, {agent} from {brand} billing. Our records show invoice {inv} is past due; it was {amount}.",
    "Hi, it's {agent} at {brand}. Just a courtesy call: invoice {inv}, {amount}, is now overdue.",
)
COLLECT_INBOUND = (
    "I got your overdue reminder for invoice {inv}. Sorry about that.",
    "You sent us a past-due notice for {amount}. I'm calling about that.",
    "There's a late payment letter here for invoice {inv}, I wanted to sort it out.",
)
PROMISE = (
    "Yes, sorry, it's in our payment run on {pay_date}. You'll have it then.",
    "I'll pay it by {weekday}, I just need my manager to sign off.",
    "We'll transfer the full amount by {pay_date}.",
    "It slipped through the cracks. I'll pay it today.",
    "Our payables go out on {pay_date}; it'll be in that batch.",
    "I'll make sure it's paid before {weekday}.",
    "Right, I'll process it first thing tomorrow.",
)
TERMS_CHANGE = (
    "Could we split it into three monthly payments instead?",
    "Can you give us until the end of next month? Cash is tight right now.",
    "If you waive the late fee, I'll pay it this week.",
    "Would you take half now and half in thirty days?",
    "Can we get a discount for paying the full balance now?",
    "We need an extension of sixty days on this one.",
)
COLLECT_ACK = (
    "Thank you, I've noted payment by {pay_date}.",
    "Great, I'll make a note on the account.",
    "Perfect, I've logged that as the next step.",
)
TERMS_ACK = (
    "I can't agree to that myself, but I'll put the request to our finance team.",
    "I'll have to get that approved; someone will confirm by email.",
    "Let me log the request and our finance owner will get back to you.",
)
# --- contact_sync ---------------------------------------------------------------------------------
ADD_RECIPIENT = (
    "Please add our accounts payable mailbox, {new_contact_email}, as a billing contact so they get the invoices.",
    "Our new finance manager, {new_contact_name}, should get all billing emails from now on. Her address is {new_contact_email}.",
    "{old_contact} left the company; please replace her with {new_contact_name} as our billing contact, {new_contact_email}.",
    "Can you set up {new_contact_name} at {new_contact_email} to receive our invoices as well?",
    "We want {new_contact_email} added to the account as the person who gets billing documents.",
)
CORRECT_PHONE = (
    "Could you update my phone number? The new one is {new_phone}.",
    "The phone number you have for me is out of date; it's {new_phone} now.",
    "I changed my mobile. Please use {new_phone} from now on.",
    "Your records have an old number for me, please change it to {new_phone}.",
)
CORRECT_NAME = (
    "My last name is misspelled in your records. It's {new_last}.",
    "You have my first name wrong on the account, it's {new_first}, not the way it's written.",
    "Small thing: the contact name on our account is spelled incorrectly. It should be {new_first} {new_last}.",
)
NEW_CUSTOMER = (
    "We've just signed with your sales team and need to be set up for billing. I'm {first} {last} at {company}, email {email}.",
    "I'm new here, I took over billing for {company} and I'm not in your system. Could you add me? It's {email}.",
    "We're a new customer and nobody has created our billing contact yet. Please set me up: {first} {last}, {email}.",
    "I don't think you have me on file. Please add me as the contact for {company}, {email}.",
)
CONTACT_ACK = (
    "Done, I've requested that contact change.",
    "Okay, I've noted the update to the contact details.",
    "Thanks, the contact record will be updated.",
    "I'll get that added for you.",
)
# --- no workflow ----------------------------------------------------------------------------------
QUESTIONS = (
    ("When will my next payment be taken?", "Your next charge is on {date}, for {amount}.", "Great, thanks."),
    (
        "Do you accept bank transfers?",
        "Yes, we accept bank transfers on annual plans; the details are in the billing portal.",
        "Okay, good to know.",
    ),
    (
        "Why did my bill go up this month?",
        "You added a seat mid-cycle, so there's a prorated amount on this invoice.",
        "Ah, right, that makes sense.",
    ),
    (
        "How much is the annual plan compared to monthly?",
        "Annual works out about two months cheaper; I can send the pricing page.",
        "That's fine, I'll look it up.",
    ),
    (
        "Is VAT included in the price on your website?",
        "Prices are shown without VAT; it's added at checkout based on your country.",
        "Okay, thanks for clarifying.",
    ),
    ("Which card do you have on file for us?", "It's a card ending in {last4}.", "Good, that's the right one."),
    ("What's the charge from {date} for?", "That's your monthly {plan} subscription, {amount}.", "Oh okay, got it."),
    (
        "Can I pay for next year in advance?",
        "You can switch to annual billing any time in the portal.",
        "Alright, I'll do that later.",
    ),
    (
        "Do you send invoices automatically every month?",
        "Yes, every invoice is emailed on the billing date.",
        "Perfect.",
    ),
    ("What currencies can we pay in?", "We bill in US dollars, euros and pounds.", "Good, euros works for us."),
)
REFUND_STATUS = (
    (
        "Did my refund go through? I haven't seen it yet.",
        "Yes, it was issued on {date}; it takes five to ten business days to show.",
        "Okay, I'll keep an eye out.",
    ),
    (
        "I'm checking on the refund you promised last week.",
        "It was processed on {date}, so it should reach your card shortly.",
        "Great, thank you.",
    ),
    (
        "Where's my refund? Is it still pending?",
        "It's been sent; the bank usually needs a few days.",
        "Alright, thanks.",
    ),
)
LOGIN = (
    "I can't log in, it keeps saying my password is wrong.",
    "The dashboard stopped working for me, it just spins forever.",
    "My two-factor code never arrives, so I'm locked out.",
    "I'm getting an error when I try to open the reports page.",
    "The app says my session expired every five minutes.",
)
LOGIN_ACK = (
    "Your account and payments are all in order; this is a login issue. I'll send a reset link and open a tech ticket.",
    "Billing looks fine on your side. I'll pass this to technical support.",
    "Nothing's wrong with your subscription. Let me transfer you to the technical team.",
)
UNCLEAR = (
    (
        "Something's off with our billing but I don't have the details in front of me.",
        "Could you tell me which invoice or charge?",
        "Not really. Can someone from finance just call me back?",
    ),
    (
        "I have a question about a charge... actually, I have to run.",
        "No problem, would you like a callback?",
        "Yes, have someone call me.",
    ),
    (
        "There's a problem with the account, my colleague told me to ring you.",
        "What kind of problem is it?",
        "I'm honestly not sure. Could somebody look at it and contact us?",
    ),
    (
        "We're confused about what we owe you.",
        "I can go through it with you. Which period?",
        "I'd rather someone from your finance team calls our controller.",
    ),
)
WRONG_NUMBER = (
    ("Hi, is this the pharmacy?", "No, this is {brand} billing.", "Oh sorry, wrong number."),
    ("Hello? I was trying to reach my bank.", "This is {brand}, I'm afraid.", "My mistake, bye."),
)
RENEWAL_REMINDER_OPEN = (
    "Hi {first}, it's {agent} from {brand}. Just a heads-up that your {plan} plan renews on {date}.",
    "Hello {first}, {agent} at {brand} here, calling ahead of your renewal on {date}.",
)
RENEWAL_REMINDER_USER = (
    "Thanks for the reminder, nothing to change on our side.",
    "Great, we're happy to continue.",
    "Good to know, the card on file is still valid.",
)
RENEWAL_FAIL_OPEN = (
    "Hi {first}, this is {agent} from {brand}. I'm calling because your subscription renewal on {date} didn't go through.",
    "Hello {first}, {agent} from {brand} billing. The renewal payment for your {plan} plan was declined.",
    "Hi, it's {agent} at {brand}. We couldn't collect your renewal payment this month.",
)
RENEWAL_FAIL_USER = (
    "Oh, the card expired. Send me the link and I'll update it.",
    "Sorry, we changed banks. I'll fix the payment method today.",
    "Ah, I didn't know. Please email me the link to pay.",
    "Thanks for letting me know, I'll enter a new card tonight.",
)
RENEWAL_DISCOUNT = (
    "Honestly, before I renew, can you give us a discount? The price went up a lot.",
    "We'll only renew if we can move to a cheaper rate for the next year.",
    "Could you extend our contract terms, say pay quarterly instead of monthly?",
)
# --- fraud, card replaced (not a dispute) ---------------------------------------------------------
CARD_REPLACED = (
    "My card got skimmed at a petrol station, so the bank cancelled it. I have a new card; how do I update it with you?",
    "There was fraud on my card, not with you, somewhere else, so I've got a replacement. The old one won't work any more.",
    "The bank flagged fraudulent charges from another merchant and reissued my card. Your charges are fine, I just need to swap the card.",
    "Someone cloned my credit card. Nothing from your company was wrong, but I need to give you the new card.",
)
CARD_REPLACED_ACK = (
    "Sorry to hear that. I'll send you a secure link to add the new card.",
    "No problem, you can update the card with the link I'm emailing now.",
)
READ_CARD = (
    "The new number is {card}, expiry {exp}.",
    "Let me just give it to you: {card_spaced}, expires {exp}, security code {cvv}.",
    "It's {card_spaced}.",
)
READ_BANK = (
    "You can take it from our bank account instead, the IBAN is {iban}.",
    "Our new account for direct debit is {iban}.",
)
STOP_READING = (
    "Please don't read card details over the phone; use the secure link instead.",
    "For your security, please don't share card numbers on the call. I'll send a link.",
)
# --- negations and retractions --------------------------------------------------------------------
DISPUTE_RETRACTED = (
    (
        "I want to dispute the {amount} charge from {date}.",
        "Let me look at it. It's the {plan} subscription for {month}.",
        "Oh wait, yes, that's our renewal. Never mind, my mistake.",
    ),
    (
        "There's a {amount} charge I don't recognise, I'd like to contest it.",
        "That's the annual add-on your colleague bought on {date}.",
        "Ah, right, I forgot about that. Forget the dispute then.",
    ),
    (
        "I'm thinking of disputing the {date} payment with my bank.",
        "It's your monthly plan. Would you like a breakdown?",
        "No, I see it now, it's fine. I'm not going to dispute anything.",
    ),
    (
        "This {amount} charge looks wrong, I want it reversed through a dispute.",
        "It matches the invoice you approved on {date}.",
        "Okay, I found the approval email. Cancel that, there's no dispute.",
    ),
)
REFUND_RETRACTED = (
    (
        "I was going to ask for a refund on the last payment.",
        "I can help with that. What's the reason?",
        "Actually, we'll keep the plan after all. Forget the refund.",
    ),
    (
        "Can I get my money back for {month}?",
        "Sure, may I ask why?",
        "Hmm, no, on second thought we do still need it. Never mind.",
    ),
)
NOT_DISPUTING = (
    (
        "I'm not disputing it, I just want to know what the {amount} charge is.",
        "That's your {plan} subscription for {month}.",
        "Okay, thanks, that's all I needed.",
    ),
    (
        "Don't worry, I'm not contesting anything. What's the {date} charge for?",
        "It's the prorated cost of the seats you added.",
        "Got it, that's fine.",
    ),
    (
        "Before anything: this isn't a complaint or a dispute. I just don't understand the {amount} line.",
        "It's the usage charge for {month}.",
        "Makes sense, thanks.",
    ),
)
DECLINED_OFFER = (
    (
        "The {amount} charge is higher than I expected.",
        "It includes two extra seats. Would you like me to open a dispute or request a refund?",
        "No, no, that's fine, I just wanted to understand it.",
    ),
    (
        "Why was I charged on {date}?",
        "That's the renewal. If you want, I can file a refund request.",
        "No need, we're keeping it.",
    ),
)
NOT_REFUND_JUST_RECEIPT = (
    "I don't need a refund or anything, I just want the receipt.",
    "No refund, nothing like that, I just need the receipt for my records.",
)
NOT_CORRECTION_JUST_INVOICE = (
    "I'm not asking you to change anything on the account, I just want the invoice again.",
    "Our address is fine, no changes, I only need another copy of the invoice.",
)
DISPUTE_IN_RECEIPT = (
    "I need the receipt for {date}. I'm not disputing it, my accountant just needs it.",
    "I nearly disputed this charge with my bank because I didn't recognise the name on the statement, but now I know it's you. Can you send the receipt so I can file it?",
    "Last year I had to dispute a charge with another vendor because they never sent receipts, so please just email me the receipt for {month}.",
    "Could you send the receipt for the {amount}? Without it our finance team treats the expense as disputed, which is a pain.",
    "Send me the receipt please. No dispute, just paperwork.",
)

# --- non-English ----------------------------------------------------------------------------------
LANG = {
    "es": {
        "my_reference": ("Mi referencia de cliente es {ref}.", "Le doy el dato: {ref}."),
        "greeting": (
            "Gracias por llamar a {brand}, le atiende {agent}. ¿En qué puedo ayudarle?",
            "Hola, soy {agent} de {brand}. ¿Qué necesita?",
        ),
        "closing_agent": ("¿Algo más en lo que pueda ayudarle?",),
        "closing_user": ("No, eso es todo. Gracias.", "Nada más, muchas gracias."),
        "receipt": (
            "Hola, necesito el recibo del pago de {amount} que hice el {date}. ¿Me lo pueden reenviar?",
            "No me llegó el comprobante de pago del mes pasado, ¿me lo mandan otra vez?",
            "¿Podría enviarme el recibo de mi último pago? Lo necesito para la contabilidad.",
        ),
        "receipt_ack": ("Claro, le envío el recibo ahora mismo.", "Por supuesto, el recibo va en camino a su correo."),
        "invoice": (
            "El archivo adjunto de la factura no se abre. ¿Me la pueden enviar de nuevo?",
            "Nunca recibimos la factura {inv}. ¿Me la reenvían, por favor?",
            "Necesito una copia de la factura de {month} para el departamento de cuentas.",
        ),
        "invoice_ack": ("Sin problema, le reenvío la factura.", "De acuerdo, recibirá una nueva copia de la factura."),
        "dispute": (
            "Hay un cargo de {amount} que no reconozco y quiero disputarlo.",
            "Yo no autoricé ese cargo de {amount} del {date}; quiero impugnarlo.",
        ),
        "dispute_ack": ("Entiendo. He registrado la disputa y el equipo de finanzas la revisará.",),
        "refund": (
            "Quisiera un reembolso del pago de {amount}; ya no usamos el servicio.",
            "Me cobraron dos veces este mes, ¿me pueden devolver uno de los cargos?",
        ),
        "refund_ack": ("He enviado la solicitud de reembolso para su aprobación.",),
        "renewal": (
            "La renovación de mi suscripción falló porque rechazaron la tarjeta.",
            "Me llegó un correo diciendo que no se pudo cobrar la renovación.",
        ),
        "renewal_ack": ("Le envío un enlace seguro para actualizar la tarjeta y reintentar el pago.",),
        "collect_open": (
            "Buenos días {first}, le llama {agent} de {brand}. Le llamo por la factura {inv} de {amount}, que venció el {due}.",
        ),
        "promise": (
            "Sí, perdone, la pagamos el {pay_date} sin falta.",
            "Lo transferimos esta semana, antes del viernes.",
        ),
        "collect_ack": ("Perfecto, lo anoto en la cuenta.",),
        "tax": (
            "Cambiamos de número de identificación fiscal; el nuevo es {vat}. Por favor actualícenlo en las facturas.",
            "Nuestro NIF en las facturas está mal, el correcto es {vat}.",
        ),
        "tax_ack": ("Registro el cambio para que finanzas lo revise.",),
        "question": (
            ("¿Cuándo se hará el próximo cobro?", "El {date}, por {amount}.", "Perfecto, gracias."),
            ("¿Aceptan transferencia bancaria?", "Sí, en los planes anuales.", "Vale, gracias."),
        ),
    },
    "fr": {
        "my_reference": ("Ma référence client est {ref}.", "Je vous donne la référence : {ref}."),
        "greeting": (
            "Bonjour, {brand}, service facturation, {agent} à l'appareil. Que puis-je faire pour vous ?",
            "Bonjour et bienvenue chez {brand}, je suis {agent}. Comment puis-je vous aider ?",
        ),
        "closing_agent": ("Puis-je vous aider pour autre chose ?",),
        "closing_user": ("Non, ce sera tout, merci.", "C'est tout, merci beaucoup."),
        "receipt": (
            "J'aurais besoin du reçu pour le paiement de {amount} du {date}, vous pouvez me le renvoyer ?",
            "Je n'ai jamais reçu le justificatif de paiement du mois dernier.",
            "Pourriez-vous m'envoyer une copie du reçu de mon dernier paiement ? C'est pour ma note de frais.",
        ),
        "receipt_ack": ("Bien sûr, je vous renvoie le reçu tout de suite.", "C'est noté, le reçu part par e-mail."),
        "invoice": (
            "La pièce jointe de la facture ne s'ouvre pas. Vous pouvez me la renvoyer ?",
            "Nous n'avons jamais reçu la facture {inv}. Pouvez-vous la renvoyer, s'il vous plaît ?",
            "Notre comptabilité a besoin d'un double de la facture de {month}.",
        ),
        "invoice_ack": (
            "Je vous renvoie la facture immédiatement.",
            "Très bien, vous allez recevoir une nouvelle copie.",
        ),
        "dispute": (
            "Il y a un prélèvement de {amount} que je ne reconnais pas, je veux le contester.",
            "Je n'ai jamais autorisé ce débit de {amount} du {date}, je le conteste.",
        ),
        "dispute_ack": ("Je comprends, j'ai enregistré la contestation pour l'équipe finance.",),
        "refund": (
            "Je voudrais être remboursé des {amount} payés le {date}, nous n'utilisons plus le service.",
            "Vous m'avez débité deux fois ce mois-ci, pouvez-vous rembourser un des deux paiements ?",
        ),
        "refund_ack": ("J'ai transmis la demande de remboursement pour validation.",),
        "renewal": (
            "Le renouvellement de mon abonnement a échoué, ma carte a été refusée.",
            "J'ai reçu un e-mail disant que le paiement du renouvellement n'est pas passé.",
        ),
        "renewal_ack": ("Je vous envoie un lien sécurisé pour mettre à jour votre carte et relancer le paiement.",),
        "collect_open": (
            "Bonjour {first}, {agent} de {brand}. Je vous appelle au sujet de la facture {inv} de {amount}, échue depuis le {due}.",
        ),
        "promise": (
            "Oui, désolé, le virement partira le {pay_date}.",
            "Nous réglons la facture d'ici la fin de la semaine.",
        ),
        "collect_ack": ("Merci, je le note au dossier.",),
        "tax": (
            "Notre numéro de TVA intracommunautaire a changé, le nouveau est {vat}. Merci de le mettre à jour sur nos factures.",
            "Le numéro de TVA sur nos factures est faux, le bon est {vat}.",
        ),
        "tax_ack": ("J'enregistre la modification, l'équipe finance la validera.",),
        "question": (
            ("Quand aura lieu le prochain prélèvement ?", "Le {date}, pour {amount}.", "Parfait, merci."),
            ("La TVA est-elle comprise dans le prix ?", "Non, elle est ajoutée selon votre pays.", "D'accord, merci."),
        ),
    },
    "de": {
        "my_reference": ("Meine Kundenreferenz ist {ref}.", "Die Referenz lautet {ref}."),
        "greeting": (
            "Guten Tag, {brand} Buchhaltung, Sie sprechen mit {agent}. Wie kann ich helfen?",
            "Hallo, hier ist {agent} von {brand}. Was kann ich für Sie tun?",
        ),
        "closing_agent": ("Kann ich sonst noch etwas für Sie tun?",),
        "closing_user": ("Nein, das wäre alles. Danke!", "Das war's, vielen Dank."),
        "receipt": (
            "Ich bräuchte die Quittung für die Zahlung über {amount} vom {date}. Können Sie mir die noch einmal schicken?",
            "Ich habe für den letzten Monat keinen Zahlungsbeleg bekommen.",
            "Könnten Sie mir den Beleg für meine letzte Zahlung schicken? Ich brauche ihn für die Spesenabrechnung.",
        ),
        "receipt_ack": (
            "Gern, die Quittung geht gleich per E-Mail raus.",
            "Kein Problem, ich schicke Ihnen den Zahlungsbeleg.",
        ),
        "invoice": (
            "Der Anhang der Rechnung lässt sich nicht öffnen. Könnten Sie sie noch einmal senden?",
            "Wir haben die Rechnung {inv} nie erhalten. Bitte schicken Sie sie erneut.",
            "Unsere Buchhaltung braucht eine Kopie der Rechnung für {month}.",
        ),
        "invoice_ack": ("Ich sende Ihnen die Rechnung noch einmal zu.", "In Ordnung, eine neue Kopie ist unterwegs."),
        "dispute": (
            "Da ist eine Abbuchung über {amount}, die ich nicht kenne. Die möchte ich anfechten.",
            "Diese Belastung über {amount} vom {date} habe ich nicht autorisiert, ich widerspreche ihr.",
        ),
        "dispute_ack": ("Verstehe. Ich habe die Reklamation für unser Finanzteam erfasst.",),
        "refund": (
            "Ich hätte gern eine Rückerstattung der {amount}, wir nutzen den Dienst nicht mehr.",
            "Sie haben mir diesen Monat doppelt abgebucht, bitte erstatten Sie eine Zahlung zurück.",
        ),
        "refund_ack": ("Ich habe die Erstattung zur Freigabe weitergeleitet.",),
        "renewal": (
            "Die Verlängerung meines Abos ist fehlgeschlagen, die Karte wurde abgelehnt.",
            "Ich habe eine E-Mail bekommen, dass die Verlängerungszahlung nicht geklappt hat.",
        ),
        "renewal_ack": (
            "Ich schicke Ihnen einen sicheren Link, um die Karte zu aktualisieren; die Zahlung wird dann erneut versucht.",
        ),
        "collect_open": (
            "Guten Tag {first}, hier ist {agent} von {brand}. Ich rufe wegen der Rechnung {inv} über {amount} an, die am {due} fällig war.",
        ),
        "promise": (
            "Ja, Entschuldigung, die Überweisung geht am {pay_date} raus.",
            "Wir bezahlen die Rechnung bis Freitag.",
        ),
        "collect_ack": ("Danke, ich vermerke das im Konto.",),
        "tax": (
            "Unsere Umsatzsteuer-Identifikationsnummer hat sich geändert, die neue lautet {vat}. Bitte auf den Rechnungen aktualisieren.",
            "Auf unseren Rechnungen steht die falsche USt-IdNr., richtig ist {vat}.",
        ),
        "tax_ack": ("Ich erfasse die Änderung, die Buchhaltung prüft sie.",),
        "question": (
            ("Wann wird die nächste Zahlung abgebucht?", "Am {date}, über {amount}.", "Super, danke."),
            ("Ist die Mehrwertsteuer im Preis enthalten?", "Nein, sie kommt je nach Land dazu.", "Alles klar, danke."),
        ),
    },
}

# DialNexa summaries, one per workflow or situation, kept consistent with the conversation.
SUMMARY = {
    "receipt_resend": (
        "Caller requested a copy of a payment receipt.",
        "Customer asked for the receipt of a recent payment to be sent.",
        "Receipt resend requested.",
    ),
    "invoice_resend": (
        "Customer could not access an invoice and asked for it to be sent again.",
        "Caller needs another copy of an invoice.",
        "Invoice copy requested by caller.",
    ),
    "charge_dispute": (
        "Caller disputes a charge they say they did not authorise.",
        "Customer contests a charge on their account.",
        "Disputed charge reported.",
    ),
    "renewal_failed": (
        "Subscription renewal payment failed; agent sent a payment update link.",
        "Caller's renewal was declined; card to be updated.",
        "Failed renewal discussed.",
    ),
    "renewal_context": (
        "Caller reports the service stopped working.",
        "Customer says their account access stopped.",
        "Caller reported service interruption.",
    ),
    "refund_approval": (
        "Caller requested a refund.",
        "Customer asked for money back for a payment.",
        "Refund request pending approval.",
    ),
    "billing_correction": (
        "Caller asked to correct tax or billing details on the account.",
        "Billing details change requested.",
        "Customer requested an update to invoicing details.",
    ),
    "collections_log": (
        "Collections call about an overdue invoice; customer committed to pay.",
        "Overdue balance discussed; payment promised.",
        "Payment promise recorded on overdue invoice.",
    ),
    "contact_sync": (
        "Caller asked to update the contact details on the account.",
        "Contact change requested.",
        "Customer asked for a contact to be added or corrected.",
    ),
    "question": (
        "Caller asked a billing question which the agent answered.",
        "General billing question, resolved on the call.",
        "Informational call, no action needed.",
    ),
    "login": (
        "Caller has a login problem; referred to technical support.",
        "Technical access issue, billing in good standing.",
        "Login issue, not billing.",
    ),
    "unclear": (
        "Caller has an unspecified billing concern and asked for a callback.",
        "Unclear billing issue; callback requested.",
        "Caller could not specify the problem.",
    ),
    "retracted": (
        "Caller queried a charge and then recognised it; no further action.",
        "Charge explained; caller withdrew the request.",
        "Caller changed their mind; nothing to do.",
    ),
    "card_replaced": (
        "Caller's card was replaced after fraud elsewhere; payment method update link sent.",
        "Card reissued by bank; caller will update payment method.",
        "Payment method change after card fraud.",
    ),
    "renewal_reminder": (
        "Courtesy renewal reminder; customer confirmed.",
        "Outbound renewal reminder, nothing to change.",
        "Renewal reminder call.",
    ),
    "payment_details": (
        "Caller wanted to change payment method and began reading payment details; agent sent the secure link.",
        "Payment method change; caller read out details, redirected to secure link.",
    ),
    "wrong_number": ("Wrong number.", "Caller dialled the wrong number.", "Misdial."),
}
