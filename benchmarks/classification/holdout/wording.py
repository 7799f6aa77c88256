"""Phrase banks of the holdout routing set, written for this set from the scenario descriptions.

Placeholders filled by the generator: {inv} invoice number, {month} a month name, {amt} an amount,
{addr} an e-mail address (spoken or written), {date} a promised date, {vat} a tax number,
{card} a card number, {iban} an IBAN, {phone} a new phone number, {name} a person's name,
{company} a company name, {ref} a Stripe charge or payment reference.
"""

# Regional openers and hesitations; none of them carries a request.
USER_OPENERS = [
    "hiya, you alright? right so",
    "g'day, uh, hope you can help",
    "hello there, erm, I'm ringing about my account",
    "hey how's it going, so um",
    "morning love, quick one if that's ok",
    "yeah hi, sorry, bear with me a sec",
    "howdy, uh, y'all handle the billing side right",
    "hello, good afternoon, I'm after a bit of help",
    "hi, it's, um, it's about our subscription thingy",
    "aye hello, I'm phoning for the company account",
    "hi hi, sorry the line's a bit rubbish here",
    "hello? oh hi, yes, um",
]

AGENT_GREETINGS = [
    "Thanks for calling the billing desk, this is Nova. How can I help today?",
    "Hi, you've reached accounts support, my name's Ira. What brings you to us today?",
    "Good day, billing and payments, Kit speaking. How may I help?",
    "Hello and welcome to customer billing. Who do I have the pleasure of speaking with?",
]

AGENT_ASK_ID = [
    "Sure, can I take something to find your account?",
    "No problem. What's the best way for me to look you up?",
    "Happy to help. Could you give me a detail so I can pull the account up?",
]

AGENT_FOUND = [
    "Thanks, I've got the account up now.",
    "Lovely, I can see you here.",
    "Great, that's found it.",
]

AGENT_NOT_FOUND = [
    "Hmm, I'm not finding anything under that, I'm afraid.",
    "I can't see an account matching that on my side.",
]

# Long calls: small talk or unrelated chatter before the request.
PREAMBLE = [
    "so we moved offices last month and honestly everything's been chaos, boxes everywhere",
    "I've been on hold with three other companies today so bear with me, my brain's fried",
    "we're a small team, it's just me and my brother really, and I do all the admin",
    "the weather's been mental here, we had the power out Tuesday, anyway",
    "I tried the chat thing on your website but it kept looping me back to the FAQ",
    "my manager asked me to sort this before the quarter closes, so here I am",
]

AGENT_PREAMBLE_REPLY = [
    "Oh no, sounds like a week. Take your time.",
    "I totally understand. What can I sort out for you?",
    "No rush at all. What's the issue?",
]

CLOSINGS_USER = [
    "brilliant, cheers, that's all",
    "ok ta very much, bye now",
    "perfect, thanks a mil",
    "great, appreciate it, have a good one",
    "lovely, that's me sorted",
]

CLOSINGS_AGENT = [
    "You're welcome, have a lovely day.",
    "No worries at all. Bye for now.",
    "Thanks for calling, take care.",
]

# --- requests ------------------------------------------------------------------------------

RECEIPT = [
    "I paid last {month} but I've got nothing to show for it, could you fire the receipt over again",
    "I'm after proof we paid the {amt}, can you pop a receipt in the email",
    "my finance lady wants the payment receipt for {month}, could you resend that",
    "can I get a receipt emailed for that last payment, I deleted the original like an idiot",
    "our auditor is asking for the receipts, could you send me the one for the {amt} charge",
    "you took the payment fine but the receipt never landed, can you send it through",
]
RECEIPT_AGENT = [
    "Of course, I'll resend the receipt for that payment now.",
    "Done, the receipt is on its way to you.",
]

INVOICE = [
    "the invoice {inv} came through but the PDF is just a blank page when I open it, can you resend",
    "invoice {inv} never showed up here at all, could you have another go at sending it",
    "could you email me a fresh copy of the {month} bill, accounts payable can't find it",
    "I need the invoice document for {month} reissued to me, the link has expired",
    "the bill for {month}, the attachment's corrupted or something, could you send another copy",
    "can you re-send invoice number {inv}, it went to our old spam filter and got binned",
]
INVOICE_AGENT = [
    "No problem, I'll send invoice {inv} again.",
    "I'll get a new copy of that invoice over to you.",
]

DISPUTE = [
    "there's a charge of {amt} on our card I don't recognise at all, nobody here bought anything, I want it contested",
    "someone's charged {amt} and it wasn't authorised by us, I'm formally disputing that one",
    "that {amt} payment is flat out wrong, we cancelled before then, I want to challenge the charge",
    "I've raised a chargeback with the bank for the {amt} and I'm sticking with it, it's not legit",
    "I'm looking at a {amt} transaction we never approved, please open a dispute on it",
]
DISPUTE_AGENT = [
    "I'm sorry about that. I'll log that charge as disputed and our team will look into it.",
    "Understood, I'll flag the charge so it can be investigated.",
]

REFUND = [
    "we got billed twice for {month}, same amount, {amt} both times, I'd like one of them refunded",
    "can I have my money back for the {amt}, we stopped using it weeks before the renewal",
    "I want a refund of {amt}, the seats we paid for were never turned on",
    "could you give us a partial refund, we downgraded halfway through the month and still paid full",
    "please put the {amt} back on my card, the upgrade went through by mistake",
]
REFUND_AGENT = [
    "I'll raise a refund request for that and someone will approve it.",
    "Okay, I've put the refund through for approval.",
]

RENEWAL_SAYS = [
    "looks like our renewal got knocked back, the bank refused the card I reckon",
    "I had an email saying the renewal payment failed, the card on file expired last month",
    "your system says our annual renewal bounced, can we sort that out",
    "my renewal charge was rejected by the bank apparently, what do I do",
]
RENEWAL_AGENT = [
    "I'm texting you a payment page so you can swap the card, then we'll run the renewal again.",
    "I can see the failed renewal. I'm sending a link so you can update the payment method.",
]

CONTEXT_STOPPED = [
    "everything's just stopped working this morning, the dashboard says the account's on hold",
    "we've been locked out, it says service suspended, nobody told us why",
    "my bank said a payment to you bounced, and now our access is cut off",
    "the app's stopped letting us in, something about the account being restricted",
]
CONTEXT_AGENT = [
    "Let me check. I'll send a link to update the payment details so it can be retried.",
    "I can help with that, I'll send a payment update link to get you back on.",
]

LOGIN_ACTIVE = [
    "I can't log in, the password reset email never comes through",
    "the two-factor code keeps saying invalid, I'm stuck at the login screen",
    "it keeps kicking me back to the sign-in page after I type my password",
]
LOGIN_AGENT = [
    "Your subscription is active and billing is fine. I'll pass you over to technical support for the login.",
    "Nothing's wrong on the billing side, your plan is fully paid. Let me get tech support to help with the sign-in.",
]

CORRECTION = {
    "tax_id": [
        "we've got a different VAT number these days, {vat}, could the account show that",
        "we've re-registered for tax, can you update the tax ID to {vat}",
    ],
    "address": [
        "we've moved, the billing address needs to be 14 Harbour Road, Leith, not the old one",
        "can you change the address on our invoices to Unit 3, 220 Mill Street, Portland",
    ],
    "legal_name": [
        "we've rebranded, the invoices need to show the new registered company name, {company} Holdings Limited",
        "the legal entity on the bills is wrong, it should be our parent company's name",
    ],
    "exempt": [
        "we're a registered charity so we're tax exempt, but you keep adding sales tax, can you fix the account",
        "we've got a tax exemption certificate now, the account needs to stop charging us tax",
    ],
}
CORRECTION_AGENT = [
    "Thanks, I'll submit that change to the billing details for the team to apply.",
    "Got it, I'll raise an update to the account's billing details.",
]

COLLECTIONS_OUT_AGENT = [
    "Hi, I'm calling from accounts about invoice {inv}, which is now past its due date. Are you able to settle it?",
    "Hello, this is a courtesy call about the overdue balance of {amt} on invoice {inv}.",
]
COLLECTIONS_IN = [
    "your late notice about invoice {inv} landed on my desk, apologies, it got buried",
    "I'm calling back about the late payment letter, the {amt} one",
]
PROMISE = [
    "we'll get that paid by {date}, I've put it in the payment run",
    "I'll pay it in full by {date}, promise",
    "it's approved on our side, it'll go out once my director signs off, should be by {date}",
]
TERMS = [
    "is there any way to pay it off in three chunks, month by month, cash flow's tight",
    "any chance of another thirty days on that, we're waiting on a big client to pay us",
    "would you waive the late fee if we pay this week",
]
COLLECTIONS_AGENT = [
    "Thank you, I'll note that on the account.",
    "Okay, I've logged that. Thanks for letting us know.",
]

CONTACT = {
    "new_recipient": [
        "from now on the bills should also go to our new accounts person, {name}, at {addr}",
        "can you add {name} as the billing contact, their email is {addr}, they've taken over AP",
    ],
    "phone": [
        "can you update my phone number on file, the new one is {phone}",
        "the mobile you've got for me is old, it's {phone} now",
    ],
    "name_spelling": [
        "you've spelt my surname wrong on the account, it's {name}, double-barrelled",
        "small thing, my name's down wrong, it should read {name}",
    ],
    "new_customer": [
        "we'd like to sign up and set up an account for our company, {company}, I'm {name}, email {addr}",
    ],
}
CONTACT_AGENT = [
    "Sure, I'll update the contact details.",
    "Done, I've put that change through on the contact.",
]

QUESTIONS = [
    ("when's my next payment going to come out", "Your next charge is on the 1st of next month."),
    ("do you take bank transfers or is it card only", "We accept card, ACH and bank transfer."),
    ("why did the tax on my bill go up", "The tax rate in your region changed in January, so that's reflected."),
    (
        "has my refund gone through yet, the one from last week",
        "Yes, that refund was issued on Monday, it should appear in 5 to 10 working days.",
    ),
    ("how much is the upgrade to the next plan", "The next tier is 49 dollars more per month."),
    (
        "what's this line called platform fee on the bill",
        "That's the standard platform fee listed in your plan. Does that make sense?",
    ),
]
QUESTION_OK = ["oh right, fair enough", "ah ok that makes sense, thanks", "gotcha, no worries then"]

UNCLEAR = [
    "there's something off with our bill, I can't put my finger on it, can someone ring me back",
    "the numbers don't look right to me but I don't have the papers here, can a person call me",
    "I'm not sure what's wrong exactly, it just looks weird, get somebody to phone me please",
]
UNCLEAR_AGENT = ["I'll arrange for someone from billing to call you back."]

# Retractions and declined offers: the first part states a request, the second withdraws it.
RETRACT = [
    ("actually scrap that, I've just found the receipt in my downloads folder", "receipt"),
    ("oh wait no, ignore me, my colleague already sorted the refund, forget it", "refund"),
    ("hang on, I've just realised that charge was my business partner, so no dispute, it's fine", "dispute"),
    ("oh sorry, no, the invoice just turned up in the other inbox, don't worry about it", "invoice"),
    ("never mind, I'm not contesting anything, I misread the statement", "dispute"),
]
AGENT_OFFER = [
    ("Would you like me to resend the receipt as well?", "no thanks, I don't need it"),
    ("Shall I open a dispute on that charge?", "nah, don't bother, I know what it is now"),
    ("Would you like a refund for that?", "no no, it's fine, leave it as is"),
    ("Want me to send the invoice again?", "no need, I've got it"),
]

DISPUTE_BACKGROUND = [
    "our bank had a dispute open on some charge last year, all sorted now, "
    "but I need the receipt for {month} for our books",
    "after that whole chargeback mess back in spring, which is done and dusted, I just want a receipt for {amt} please",
]

FRAUD_CARD = [
    "somebody cloned our company card at a cash machine abroad, not your fault, "
    "and the bank's swapped it for a fresh one",
    "we had fraud on our card elsewhere, so the card's been replaced, I just wanted you to know",
]
FRAUD_LINK = "and I think that's why your renewal didn't go through, the old card's dead"
FRAUD_AGENT = ["Thanks, I'll send you a link to put the new card on the account."]

RENEWAL_OUT_AGENT = [
    "Hi, I'm calling because the renewal payment on your subscription didn't go through. Could we update the card?",
    "Hello, this is accounts. Your last renewal attempt failed, I wanted to help get that fixed.",
]
RENEWAL_OUT_USER = [
    "ah yes, that card ran out, text over the page and I'll put the new details in",
    "ah right, I'll update it today if you text me the link",
]
RENEWAL_OUT_TERMS = "can you knock a bit off if we renew though, we're thinking of cutting back"
REMINDER_AGENT = [
    "Hi, just a friendly reminder that your annual plan renews next week, nothing for you to do.",
]
REMINDER_USER = ["oh cheers for the heads up", "right, good to know, thanks"]

NO_CONTENT = [
    [("user", "hello? hello? ... I can't hear anything")],
    [("agent", "Hi, you've reached the billing line, please leave a message after the tone.")],
    [("user", "oh sorry, I was trying to reach the pizza place, wrong number, bye")],
]

SENSITIVE_PREFIX = [
    "how do I change the card I pay with, the new one's {card}",
    "I want to pay by bank instead, our account IBAN is {iban}",
]
SENSITIVE_AGENT = ["Please don't read card details out on the call. I'll text you a safe payment page instead."]

# Agent paraphrases of the request, said back to the caller.
PARAPHRASE = {
    "receipt": "So just to confirm, you'd like the payment receipt sent again?",
    "invoice": "Just so I've got it right, you need that invoice document sent again?",
    "dispute": "So you're saying you don't recognise this charge and want it disputed?",
    "refund": "Okay, so you're asking for that money back?",
}

NON_ENGLISH = {
    "es": {
        "greeting": "Hola, servicio de facturación, ¿en qué puedo ayudarle?",
        "receipt": "buenas, ¿me pueden mandar de nuevo el comprobante de lo que pagué en octubre?",
        "invoice": "la factura {inv} nunca apareció en mi correo, ¿la mandan de nuevo?",
        "refund": "aparece el mismo importe repetido en la tarjeta, quiero el dinero de uno de vuelta",
        "dispute": "veo {amt} cobrados que nadie de aquí aprobó, quiero impugnar ese cobro",
        "question": "¿qué día me van a cobrar la siguiente cuota?",
        "answer": "El próximo cobro es el día 1 del mes que viene.",
        "ok": "vale, gracias",
    },
    "fr": {
        "greeting": "Bonjour, service facturation, je vous écoute.",
        "receipt": "bonjour, il me faudrait une nouvelle copie du justificatif de paiement d'octobre",
        "invoice": "la facture {inv} ne m'est jamais parvenue, pouvez-vous l'envoyer encore une fois",
        "refund": "vous m'avez débité le même montant en double, rendez-moi l'un des deux",
        "dispute": "un débit de {amt} apparaît sur notre relevé, personne ne l'a autorisé, je m'y oppose",
        "question": "à quelle date tombe la prochaine échéance",
        "answer": "Le prochain prélèvement aura lieu le premier du mois prochain.",
        "ok": "d'accord, merci",
    },
    "de": {
        "greeting": "Guten Tag, Abrechnung, wie kann ich helfen?",
        "receipt": "guten Tag, ich bräuchte den Beleg für meine Oktober-Zahlung noch einmal per Mail",
        "invoice": "Rechnung {inv} habe ich nie bekommen, könnten Sie die nochmal senden",
        "refund": "der gleiche Betrag wurde zweimal abgebucht, ich will einen davon zurück",
        "dispute": "auf dem Konto steht eine Belastung von {amt}, die keiner bei uns freigab, ich widerspreche",
        "question": "an welchem Tag wird das Abo als nächstes fällig",
        "answer": "Die nächste Abbuchung ist am Ersten des nächsten Monats.",
        "ok": "alles klar, danke",
    },
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
FIRST = [
    "Aoife",
    "Bongani",
    "Catriona",
    "Dev",
    "Eilidh",
    "Farouk",
    "Gráinne",
    "Hemi",
    "Ines",
    "Jarrah",
    "Kofi",
    "Lachlan",
    "Mairead",
    "Niamh",
    "Oluwaseun",
    "Priya",
    "Rhys",
    "Siobhan",
    "Tane",
    "Yusuf",
]
LAST = [
    "Okafor",
    "MacLeod",
    "Venkataraman",
    "Ó Briain",
    "Nakamura",
    "Pretorius",
    "Fitzgerald",
    "Haddad",
    "Kowalczyk",
    "Mbeki",
    "Thorsen",
    "Whitcombe",
    "Delacroix",
    "Aziz",
    "Llewellyn",
    "Papadopoulos",
]
COMPANY_A = [
    "Brightwater",
    "Copperleaf",
    "Driftwood",
    "Emberline",
    "Fernhill",
    "Greystone",
    "Halcyon",
    "Ironbark",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Moorland",
    "Northgate",
    "Oakridge",
    "Pinecrest",
    "Quarry",
    "Redfern",
    "Saltmarsh",
    "Thistle",
    "Upland",
]
COMPANY_B = [
    "Analytics",
    "Bakery",
    "Clinics",
    "Dental",
    "Engineering",
    "Freight",
    "Gardens",
    "Hostels",
    "Interiors",
    "Joinery",
    "Kitchens",
    "Logistics",
    "Media",
    "Nurseries",
    "Optics",
    "Plumbing",
    "Robotics",
    "Studios",
    "Tiling",
    "Vets",
]
