"""What each workflow is recognised by: DialNexa intents, lexicon pairs, phrase cues and structured fields.

A policy owner reads this file to see which words raise which workflow; owners, statuses and review
rules live in the policy file, and how signals combine (context, retractions) lives in `workflows.py`.

Lexicons are word *stems* (a stem matches every ending: ``resen`` covers resend, resending, resent),
combined as action x object in one clause rather than listed as whole phrases, so a new wording of the
same request ("the PDF attachment won't open, can you forward it again?") needs no new entry.
"""

from __future__ import annotations

import re

from schemas.models import WORKFLOWS
from streams.classify.text import Combo, Cue, WorkflowSignals, rx


def stems(*words: str) -> re.Pattern[str]:
    """A pattern matching any of `words` at a word start, with any ending ('send' matches 'sending')."""
    return re.compile(r"\b(" + "|".join(words) + r")\w*", re.I)


def words(*phrases: str) -> re.Pattern[str]:
    """Whole words or phrases (no endings)."""
    return re.compile(r"\b(" + "|".join(phrases) + r")\b", re.I)


# --- shared lexicons -------------------------------------------------------------------------------------

# Asking for a document, or saying it did not arrive / cannot be used.
DOCUMENT_REQUEST = re.compile(
    r"\b(send|sent|resen|re-sen|email|e-mail|mail|forward|need|want|like|get|give|copy|copies|again|another"
    r"|where'?s|where is|missing|lost|misplac|delet|never (got|received|arrived|came|showed)|didn'?t (get|receive"
    r"|arrive|come)|did not (get|receive|arrive|come)|haven'?t (got|received|seen)|have not (got|received|seen)"
    r"|can'?t (find|open|download|read|see)|cannot (find|open|download|read|see)|could ?n'?o?t (find|open|download)"
    r"|won'?t (open|load|download)|will not (open|load|download)|doesn'?t (open|load|work)|does not (open|load)"
    r"|(never|didn'?t|did not|hasn'?t|has not|haven'?t|have not) (reach|turn(ed)? up|show(ed)? up|come through"
    r"|came through|ma(k|d)e it|land)"
    r"|corrupt|blank|empty|broken|garbled|unreadable|went to (spam|junk)|spam|junk|request|looking for|need"
    r"|duplicate|reissu|re-issu|retransmit|share|provide|download)\w*",
    re.I,
)
INVOICE_OBJECT = stems("invoice", "bill\\b", "bills\\b", "pdf", "attachment", "inv\\b", "inv-")
RECEIPT_OBJECT = re.compile(
    r"\b(receipts?|proof of (payment|purchase)|payment confirmation|confirmation of (the |my |our )?payment"
    r"|paid invoice)\b",
    re.I,
)
# A clause about changing what an invoice says, or paying it, is not a resend.
NOT_A_RESEND = rx(
    r"\b(wrong|incorrect|correct(ed|ion)?|updat\w*|chang\w*|fix|amend\w*|pay|paying|paid|overdue|outstanding"
    r"|unpaid|past due|vat|tax|address|company name|legal name|dispute|disputing|refund|overcharg\w*|charged twice"
    r"|double charg\w*|cancel\w*|reflect\w*|should (show|say|read|state)|registered|legal entity)\b"
)
CHANGE = (
    r"(add|include|remove|put|updat(e|ed|ing)|chang(e|ed|ing)|correct(ed|ing)?|fix|amend|wrong|incorrect|outdated|old"
    r"|new|mov(e|ed)|different|switch|replace)"
)
BILLING_DETAIL = (
    r"(billing (address|details|entity|name)|company name|legal (entity|name)|registered (address|name)"
    r"|address on (the|our|my) invoices?|vat( number| id| details| registration)?|tax (id|number|details|region|status"
    r"|code|registration|exemption)|ein|gst( number)?|abn|utr|business (address|name))"
)
# The card itself was replaced (after fraud or loss): a payment-method change, not a dispute of a charge.
CARD_REPLACED = rx(
    r"\b((new|replacement|reissued|different) card|card (was |got |has been |is )?(replaced|reissued|cancell?ed"
    r"|blocked|frozen|stolen|lost|compromised|skimmed)|(bank|they) (replaced|reissued|cancell?ed|blocked|sent me a new)"
    r"|update (my|the|our) (card|payment method))\b"
)
# Contesting a charge in so many words, first person (what survives a card-replacement story or a
# dispute mentioned inside another request).
EXPLICIT_DISPUTE = rx(
    r"\b(i (want|would like|need|'d like|wish|have) to (dispute|contest|challenge)|i'?m (disputing|contesting)"
    r"|i am (disputing|contesting)|(please |can you |could you |you should )(dispute|contest) (it|this|that|the)"
    r"|(i|we)('ve| have)? (already )?(opened|filed|raised|started) a (dispute|chargeback)"
    r"|(open|file|raise|start) a (dispute|chargeback)|charge-?back on"
    r"|(i|we) (don'?t|do not|can'?t|cannot) recogni[sz]e (this|that|the|a|your|these) (charge|payment|transaction)"
    r"|(i|we) (didn'?t|did not|never) (authori[sz]e|make|approve)"
    r"|quiero (disputar|reclamar|impugnar)|no reconozco|je conteste|je ne reconnais pas|ich (m[öo]chte|will) "
    r"[^.?!]{0,30}(anfechten|widersprechen)|ich erkenne [^.?!]{0,30}nicht)\b"
)
# A dispute mentioned while asking for a document ("a receipt for my bank's dispute form") is a document request.
DOCUMENT_FOR_DISPUTE = rx(
    r"\b(receipts?|proof of (payment|purchase)|payment confirmation|statement)\b[^.?!]{0,60}\b(disput|chargeback|claim)"
    r"|\b(disput\w*|chargeback|claim)\b[^.?!]{0,60}\b(receipts?|proof of (payment|purchase)|payment confirmation)\b"
)
# Service stopped / payment bounced: a failed renewal when Stripe shows the subscription failing (context).
SERVICE_STOPPED = rx(
    r"\b((service|account|access|subscription|app|platform|dashboard|workspace|software|license|licence|plan|product"
    r"|login|portal|tool|system|users?|team)"
    r"[^.?!]{0,25}\b(stopped|stop working|cut off|suspended|deactivated|disabled|paused|shut off|shut down|turned off"
    r"|locked|down|not working|isn'?t working|expired|lapsed|blocked|interrupted|disconnected|unavailable|offline"
    r"|no longer works?|went dark|isn'?t loading|won'?t load|frozen|read-only|restricted)|locked out|can'?t get in"
    r"|(stopped|lost|no) (working|access|service)"
    r"|(can'?t|cannot|unable to) (use|access) (the |our |my )?(service|account|platform|app|product|software)"
    r"|(payment|card|charge|transaction|debit)[^.?!]{0,20}\b(bounced|declined|failed|rejected|didn'?t go through"
    r"|did not go through|was refused|got refused)|(bounced|declined|failed|rejected) (payment|card|charge|debit))"
)
PAYMENT_FAILED = rx(
    r"\b(payment|card|charge|transaction|debit)[^.?!]{0,20}\b(bounced|declined|failed|rejected|didn'?t go through"
    r"|did not go through|was refused|got refused)|\b(bounced|declined|failed|rejected) (payment|card|charge|debit)\b"
)
# A promise that changes our terms (a plan, an extension, a discount): commitments finance must agree to.
TERMS_CHANGE = rx(
    r"\b(payment plan|instal?lments?|extension|extend (the|my|our)? ?(deadline|due date|terms)|defer|postpone"
    r"|push (it|the (payment|date|deadline)) (back|out)|later date|spread (it|the (payment|balance|cost))"
    r"|smaller (payments|amounts)|monthly payments|(two|three|four|several) (payments|parts|instal\w*)|half now"
    r"|half (next|later)|lower (the )?(amount|balance|fee)|drop (the )?(late )?fees?|waive (the )?(late )?fees?"
    r"|waive|waiver|discount|reduc(e|ed) (the )?(amount|balance|fee)|split (the |it )?(payment|balance|bill)"
    r"|partial payments?|pay (it |this |the balance )?in (parts|chunks|(two|three|four) (parts|payments|instal\w*|goes"
    r"|chunks|halves|lots))|more time|settlement|write[- ]off|grace period)\b"
)
PROMISE = rx(
    r"\b((will|'ll|going to|gonna|promise to|plan to|can|intend to|want to|would like to|'d like to|need to)\s+"
    r"(pay|settle|clear|transfer the (money|funds|payment|balance)|send (the )?payment|wire"
    r"|make (the )?payment)|payment (will|should) (go|be sent|arrive|be made)|pay (it|this|that|the (rest"
    r"|balance|remainder|amount|invoice|bill)|everything|in full|off)\b[^.?!]{0,20}\b(by|on|next|this|before|within"
    r"|end of|tomorrow|friday|monday|tuesday|wednesday|thursday|week|month))\b"
)
# Who the contact is, said as callers say it (the caller's own details, or a person who receives billing).
CONTACT_OBJECT = (
    r"(e-?mail( address)?|contact( details| info| information| person| record)?|(phone|mobile|cell|telephone"
    r"|callback|contact) number|phone|mobile|(my|our) number|number (on file|you have)|billing (contact|recipient"
    r"|email)|recipient|(my|the|our|his|her) (name|surname|last name|first name)|surname|last name|spelling of"
    r"|accounts payable (contact|email|person|team|inbox)|ap (contact|email|person|team|inbox)|point of contact"
    r"|finance contact|person (who|that) (gets|receives))"
)
CONTACT_CHANGE = rx(
    r"\b(add|update|change|correct|replace|new|fix|switch|remove|set up|setup|register|create|swap)\b[^.?!]{0,40}"
    rf"\b{CONTACT_OBJECT}\b"
    rf"|\b{CONTACT_OBJECT}\b[^.?!]{{0,30}}\b(is wrong|is incorrect|is outdated|is out of date|is old|has changed"
    r"|changed|is misspelled|is misspelt|(is |was )?(spelled|spelt) (wrong|incorrectly)|has a typo"
    r"|is no longer (valid|in use|active|used|working)|doesn'?t work( anymore)?|bounces|needs? (to be )?(updated"
    r"|changed|corrected))\b"
    r"|\b(new customer|set (us|me) up|sign (us|me) up( as)?|add (me|us) (to|as)|create (an? )?(account|profile|record)"
    r"|register (us|me|our (company|business))|not (in|on) (your|the) system|you don'?t have (me|us) on file"
    r"|(takes?|taking) over (the )?(billing|invoices|accounts payable))\b"
)

# A contact change that only corrects the caller's own details (a phone number, a name's spelling):
# the one kind of contact change that may run without a human (review gate, `contact_sync`).
OWN_DETAIL_CORRECTION = rx(
    r"\b(phone|number|mobile|cell|telephone|name|surname|spell\w*|typo|n[uú]mero|t[eé]l[eé]phone|telefon\w*"
    r"|nombre|nom|apellido)\b"
)
# ... and what makes it a change of who receives billing documents, or a new customer (access).
ACCESS_CHANGE = rx(
    r"\b(e-?mails?|correo|courriel|recipients?|accounts? payable|ap|colleague|someone|somebody|person|cc|copy"
    r"|add|adding|new (contact|customer|account|client)|set (us|me|them) up|sign (us|me) up|instead of"
    r"|replac\w+|take over|takes over|taking over|left the company|no longer (with|at|works?))\b"
)


# Requests a caller may swap for another mid-call ("I meant the invoice", "make that the receipt").
REPLACEABLE = frozenset({"receipt_resend", "invoice_resend", "refund_approval", "charge_dispute"})

# A clause that asks how to do it oneself, or where a thing stands, asks for nothing to be done.
HOW_TO = rx(
    r"(?m:^)\s*(how (do|can|would|should|could) (i|we)|where (do|can|could) (i|we) (find|download|get|see|access)"
    r"|is there a way (for (me|us) )?to|c[oó]mo (puedo|descargo)|comment (puis-je|je peux|t[ée]l[ée]charger)"
    r"|wie (kann ich|lade ich))\b"
    r"|\b(myself|on my own|in the portal|from the portal|online)\b"
)
STATUS_QUESTION = (
    r"(?m:^)\s*(has|have|did|is|was|were|when|where|how long|any (update|news)|what happened)\b"
    r"(?! it possible| there (a|any) way)"
)


def bare_request(objects: str) -> re.Pattern[str]:
    """A clause that is only the thing asked for ("..., just the receipt please", "Sorry: the invoice for
    October."): an elliptical request, the verb said before or left out."""
    return rx(
        r"(?m:^(the|a|an|my|our|el|la|los|las|mi|le|les|mon|ma|die|den|das|meine)?\s*(\w+\s)?(" + objects + r")"
        r"(\s(for|from|of|de|del|du|des|f[üu]r|von|vom)\s[\w\s-]{1,30})?"
        r"(\s(please|then|thanks|thank you|instead|por favor|s'il vous pla[iî]t|bitte))?$)"
    )


RECEIPT_WORDS = r"receipts?|proof of payment|recibos?|comprobantes?|re[çc]us?|quittung(en)?|belege?"
INVOICE_WORDS = r"invoices?|bills?|pdf|facturas?|factures?|rechnung(en)?"

# --- other languages (Spanish, French, German): the same requests, said as callers say them -----------

RECEIPT_OBJECT_INTL = rx(
    r"\b(recibos?|comprobantes?( de pago)?|justificantes?|(le|un|du|mon|ce|les|des|mes|votre|vos) re[çc]us?"
    r"|justificatifs?( de paiement)?|preuve de paiement|quittungs?|quittungen|belege?|zahlungsbest[äa]tigung"
    r"|zahlungsnachweis)\b"
)
INVOICE_OBJECT_INTL = rx(r"\b(facturas?|factures?|rechnungs?|rechnungen)\b")
DOCUMENT_REQUEST_INTL = rx(
    r"\b(env[ií]\w*|reenv[ií]\w*|mand\w*|necesit\w*|quier\w*|no (me )?(lleg\w*|recib\w*)|no (la |lo )?encuentr\w*"
    r"|copia|otra vez|de nuevo|envoy\w*|renvoy\w*|besoin|voudr\w*|(n'ai|ai) (jamais|pas) re[çc]u|retrouve pas"
    r"|copie|[àa] nouveau|de nouveau|encore|schick\w*|send\w*|zusend\w*|brauch\w*|ben[öo]tig\w*|m[öo]chte"
    r"|nicht (erhalten|bekommen|angekommen)|nie (erhalten|bekommen|angekommen)|finde\b[^.?!]{0,30}nicht|kopie"
    r"|noch (ein)?mal|erneut|nochmal)\b"
)
DISPUTE_INTL = rx(
    r"\b(disputar\w*|impugn\w*|no reconozco|no (lo |la )?autoric\w*|fraude|contracargo|contest\w*"
    r"|ne (le |la |l')?reconnais pas|(ne |n')(\w+'?\s*){0,3}(pas|jamais) autoris\w*|litige|anfecht\w*"
    r"|widersprech\w*|widerspruch"
    r"|erkenne\b[^.?!]{0,30}\bnicht|nicht (autorisiert|genehmigt)|r[üu]ckbuchung|betrug)\b"
)
REFUND_INTL = rx(
    r"\b(reembols\w*|devoluci[oó]n|devu[eé]lva\w*|devolver (el|mi) dinero|rembours\w*"
    r"|r[üu]ckerstatt\w*|erstatt\w*|geld zur[üu]ck|gutschrift)\b"
)
RENEWAL_INTL = rx(
    r"\b((renovaci[oó]n|suscripci[oó]n|pago)\b[^.?!]{0,40}\b(fall[oó]|ha fallado|rechaz\w*|no se proces\w*)"
    r"|tarjeta (fue )?rechazada|(renouvellement|abonnement|paiement|pr[ée]l[èe]vement)\b[^.?!]{0,40}\b([ée]chou"
    r"\w*|refus\w*|rejet\w*)|carte (a [ée]t[ée] )?refus[ée]e|(verl[äa]ngerung|abonnement|abo|zahlung|abbuchung)"
    r"\b[^.?!]{0,40}\b(fehlgeschlagen|abgelehnt|gescheitert|nicht (durchgegangen|geklappt))"
    r"|karte wurde abgelehnt)"
)
BILLING_DETAIL_INTL = (
    r"(direcci[oó]n de facturaci[oó]n|datos de facturaci[oó]n|nif|cif|raz[oó]n social|n[uú]mero fiscal"
    r"|adresse de facturation|num[ée]ro de tva|tva|raison sociale|coordonn[ée]es de facturation"
    r"|rechnungsadresse|ust-?id(nr)?|umsatzsteuer(-id|-identifikationsnummer|nummer)?|steuernummer|firmenname"
    r"|firmierung)"
)
CHANGE_INTL = (
    r"(cambi\w*|actualiz\w*|correg\w*|corrij\w*|modific\w*|chang\w*|corrig\w*|mettre [àa] jour|mis [àa] jour"
    r"|[äa]nder\w*|aktualisier\w*|korrigier\w*|berichtig\w*)"
)
WRONG_INTL = r"(incorrect[ae]?|err[oó]ne[ao]|equivocad[ao]|mal|faux|fausse|falsch|veraltet|nicht korrekt)"
COLLECTIONS_INTL = rx(
    r"\b(vencid[ao]s?|pendiente de pago|atrasad[ao]s?|impay[ée]e?s?|en retard|solde (d[uû]|restant)"
    r"|[üu]berf[äa]llig\w*|ausstehend\w*|mahnung|offene rechnung)\b"
)
PROMISE_INTL = rx(
    r"\b(pagar[ée]|pagaremos|voy a pagar|vamos a pagar|puedo pagar|lo pago|la pago|je (vais|vous) (payer|r[ée]gler)"
    r"|je paierai|nous paierons|nous allons payer|je r[èe]glerai|ich (zahle|bezahle|[üu]berweise)|wir (zahlen"
    r"|bezahlen|[üu]berweisen)|werde[n]? [^.?!]{0,20}(zahlen|bezahlen|[üu]berweisen))\b"
)

ANY_DOCUMENT_REQUEST = re.compile(DOCUMENT_REQUEST.pattern + "|" + DOCUMENT_REQUEST_INTL.pattern, re.I)
NOT_A_RESEND_INTL = (
    r"\b(incorrect\w*|corrig\w*|modifi\w*|adresse|tva|pag\w*|pay\w*|vencid\w*|impay\w*|[üu]berf[äa]llig"
    r"|bezahl\w*|zahl\w*|steuer\w*|falsch|[äa]nder\w*|cambi\w*|direcci[oó]n|correg\w*)\b"
)
# Wanting to know about an invoice ("I'd like to understand my bill") is a question, not a resend.
INVOICE_QUESTION = rx(
    r"\b(know|understand|explain\w*|question|ask(ing)? about|clarify|discuss|went up|gone up|higher|increase\w*"
    r"|breakdown|break down|what (is|'s|are)|how much|(next|upcoming) (invoice|bill)"
    r"|when (will|do|does) (i|we) (get|receive))\b|" + HOW_TO.pattern
)
RECEIPT_NOT_ASKED = rx(r"\b(already (got|have|received)|got the receipt)\b|" + HOW_TO.pattern)
# A refund already given, on its way, or asked about: a status question, not a request.
REFUND_NOT_ASKED = rx(
    r"\b(when (will|does|is)|status of|already (got|received|had)|arrived|came through"
    r"|(still|haven'?t|have not|not yet|never) (received|got|gotten|seen)|(hasn'?t|has not|still"
    r"|never) (arrived|come|shown|appeared|landed)|expecting (a|my|the)|waiting (for|on)"
    r"|where('?s| is) (my|the)|promised|approved|refund policy|eligible|qualify"
    r"|(bank|they|card issuer) (refunded|reversed|credited)"
    r"|the refund (you|they)|of the refund|refund (receipt|confirmation)"
    r"|went through|gone through|go through|has been processed|was processed|get processed|been issued|pending"
    r"|on (its|the) way|(check|checking|follow(ing)? up|calling) (on|up on|in on|about the status)"
    r"|(you|they) (gave|issued|sent|processed))\b|" + STATUS_QUESTION
)


WORKFLOW_SPECS: dict[str, WorkflowSignals] = {
    "receipt_resend": WorkflowSignals(
        intents=frozenset({"receipt", "receipt_resend", "resend_receipt", "receipt_request", "send_receipt",
                           "payment_receipt", "proof_of_payment", "receipt_copy"}),
        objects=words("receipts?", "proof of payment", "recibos?", "re[çc]us?", "quittung", "belege?"),
        cues=(
            Combo("receipt request (document x receipt)", DOCUMENT_REQUEST, RECEIPT_OBJECT, 0.86,
                  not_a_request=RECEIPT_NOT_ASKED),
            Cue("receipt for a payment phrase", ("receipt", "proof of payment"),
                rx(r"\b(receipts?\s+(for|from|of|please)|proof of payment)\b"), 0.82,
                not_a_request=RECEIPT_NOT_ASKED),
            Combo("receipt request (es/fr/de)", ANY_DOCUMENT_REQUEST, RECEIPT_OBJECT_INTL, 0.86,
                  not_a_request=RECEIPT_NOT_ASKED),
            Cue("receipt asked for in so few words", ("receipt", "proof", "recib", "comprob", "reçu", "recu",
                                                      "quittung", "beleg"),
                bare_request(RECEIPT_WORDS), 0.84),
        ),
    ),
    "charge_dispute": WorkflowSignals(
        intents=frozenset({"dispute", "charge_dispute", "chargeback", "dispute_charge", "unauthorized_charge",
                           "unrecognized_charge", "fraud", "fraudulent_charge", "billing_dispute"}),
        objects=words("disput\\w*", "chargebacks?", "charge back", "contest\\w*", "(the|your|that|this) charge",
                      "the payment", "reclamaci[oó]n", "contestation", "litige", "widerspruch", "anfechtung"),
        cues=(
            Cue("dispute phrase", ("disput", "contest", "charge", "authori", "never", "recogni", "wasn", "bank"),
                rx(r"\b(disput(e|ed|es|ing)|contest(ed|ing)?|charge-?backs?|charge back"
                   r"|(didn'?t|did not|never) authori[sz](e|ed)|unauthori[sz]ed (charge|payment|transaction|debit)s?"
                   r"|never (made|approved|agreed to)"
                   r"|wasn'?t me|(claim|complaint) with (my|the|our) bank|shouldn'?t have been charged"
                   r"|(was|been|got) charged (for|again)[^.?!]{0,30}\b(never"
                   r"|cancell?ed|didn'?t))\b"),
                0.86, unless=rx(DOCUMENT_FOR_DISPUTE.pattern + r"|" + CARD_REPLACED.pattern)),
            # Not recognising a charge is a dispute until the agent explains it and the caller accepts
            # the explanation ("ah, that makes sense"): a puzzle, which an accepted answer ends.
            Cue("unrecognised charge phrase", ("recogni",),
                rx(r"\b(don'?t|do not|doesn'?t|didn'?t|can'?t|cannot) recogni[sz]e\b"), 0.86,
                unless=rx(DOCUMENT_FOR_DISPUTE.pattern + r"|" + CARD_REPLACED.pattern), puzzle=True),
            Cue("fraud on a charge phrase", ("fraud",),
                rx(r"\bfraud(ulent)?\b[^.?!]{0,30}\b(charge|payment|transaction|debit)s?\b"
                   r"|\b(charge|payment|transaction|debit)s?\b[^.?!]{0,30}\bfraud(ulent)?\b"),
                0.84, unless=CARD_REPLACED),
            Cue("charged without consent phrase", ("never", "didn", "did not"),
                rx(r"\b(didn'?t|never|did not) (buy|order|purchase|sign(ed)? up for|subscribe(d)? to)\b"), 0.8,
                unless=CARD_REPLACED),
            Cue("dispute phrase (es/fr/de)", ("disput", "impugn", "reconozco", "autori", "fraude", "contracargo",
                                              "contest", "reconnais", "litige", "anfecht", "widersprech", "erkenne",
                                              "genehmigt", "buchung", "betrug"),
                DISPUTE_INTL, 0.86, unless=CARD_REPLACED),
        ),
        fields=(("dispute_reason", 0.9),),
    ),
    "invoice_resend": WorkflowSignals(
        intents=frozenset({"invoice_resend", "resend_invoice", "invoice_request", "invoice_copy", "send_invoice",
                           "invoice", "missing_invoice", "invoice_not_received", "duplicate_invoice"}),
        objects=words("invoices?", "bills?", "pdf", "attachment", "facturas?", "factures?", "rechnung(en)?"),
        cues=(
            Combo("invoice resend (document x invoice)", DOCUMENT_REQUEST, INVOICE_OBJECT, 0.86,
                  unless=NOT_A_RESEND, not_a_request=INVOICE_QUESTION),
            Combo("invoice resend (es/fr/de)", ANY_DOCUMENT_REQUEST, INVOICE_OBJECT_INTL, 0.86,
                  unless=rx(NOT_A_RESEND.pattern + "|" + NOT_A_RESEND_INTL), not_a_request=HOW_TO),
            Cue("invoice asked for in so few words", ("invoice", "bill", "pdf", "factur", "rechnung"),
                bare_request(INVOICE_WORDS), 0.84),
        ),
    ),
    "renewal_failed": WorkflowSignals(
        intents=frozenset({"renewal_failed", "failed_renewal", "payment_failed", "subscription_failed",
                           "renewal_failure", "failed_payment", "declined_payment", "card_declined",
                           "service_suspended"}),
        objects=words("renewal", "subscription"),
        cues=(
            Cue("failed renewal phrase", ("renew",),
                rx(r"\b(renewal|auto-?renew(al)?)\b[^.?!]{0,30}\b(fail(ed|s)?|didn'?t (go through|work|process)"
                   r"|did not (go through|work)|declined|bounced|rejected|unsuccessful)\b"
                   r"|\b(failed|unsuccessful|declined|rejected) (my |the |our )?(renewal|subscription payment)\b"
                   r"|\b(couldn'?t|could not|can'?t|unable to) renew\b"),
                0.88, agent=0.7),
            Cue("subscription lapsed phrase", ("subscription",),
                rx(r"\bsubscription\b[^.?!]{0,30}\b(failed|lapsed|expired|didn'?t renew|did not renew|wasn'?t renewed"
                   r"|(got|get|was|been) (cancell?ed|suspended)|payment failed)\b"),
                0.85, agent=0.7),
            Cue("payment bounced phrase", ("bounc", "declin", "fail", "reject", "through", "refused"),
                PAYMENT_FAILED, 0.7, agent=0.6),
            Cue("failed renewal phrase (es/fr/de)", ("renova", "suscrip", "pago", "tarjeta", "renouvel", "abonnement",
                                                     "paiement", "prélèvement", "prelevement", "carte", "verlänger",
                                                     "verlanger", "abo", "zahlung", "abbuchung", "karte"),
                RENEWAL_INTL, 0.88, agent=0.7),
            # Alone this is a support problem (a login, an outage); with a failing subscription it is a
            # failed renewal (see workflows.py: context may create this workflow).
            Cue("service stopped phrase", ("stop", "cut", "suspend", "deactiv", "disabl", "lock", "down", "work",
                                           "expir", "laps", "access", "block", "paus", "shut", "turned"),
                SERVICE_STOPPED, 0.45, agent=0.45),
        ),
    ),
    "refund_approval": WorkflowSignals(
        intents=frozenset({"refund", "refund_request", "refund_approval", "request_refund", "credit_request",
                           "money_back"}),
        objects=words("refunds?", "money back", "credit", "reembolso", "remboursement", "r[üu]ckerstattung",
                      "erstattung"),
        cues=(
            Cue("refund request phrase", ("refund", "money back", "reimburs", "back", "reverse"),
                rx(r"\b(refund(ed|s)?|money back|reimburs(e|ed|ement)|credit (it |that |this )?back"
                   r"|reverse (the|that|this) (charge|payment)|pay (me|us) back)\b"),
                0.86, not_a_request=REFUND_NOT_ASKED),
            # A duplicate charge is money owed back (LABELS: a refund, not a dispute, unless contested); said
            # alone it is a weak signal, so a human confirms it.
            Cue("duplicate charge phrase", ("twice", "double", "overcharg", "duplicate"),
                rx(r"\b(charged (me |us )?twice|billed (me |us )?twice|double[- ]?(charged|billed|charge)|overcharg\w*"
                   r"|duplicate (charge|payment))\b"), 0.7, not_a_request=REFUND_NOT_ASKED, puzzle=True),
            Cue("refund request phrase (es/fr/de)", ("reembols", "devoluc", "devuelv", "devuélv", "devolver",
                                                     "rembours", "erstatt", "geld zur", "gutschrift"),
                REFUND_INTL, 0.86, not_a_request=REFUND_NOT_ASKED),
        ),
        fields=(("refund_reason", 0.9), ("credit_request", 0.85)),
    ),
    "billing_correction": WorkflowSignals(
        intents=frozenset({"billing_correction", "tax_correction", "address_change", "billing_address_change",
                           "vat_change", "update_billing_details", "tax_id_update", "billing_details_update",
                           "invoice_correction", "company_name_change"}),
        objects=words("billing address", "vat", "tax", "company name", "address"),
        cues=(
            Cue("billing detail change phrase", ("billing", "company", "legal", "registered", "address", "vat", "tax",
                                                 "ein", "gst", "abn", "utr", "business"),
                rx(rf"\b{CHANGE}\b[^.?!]{{0,40}}\b{BILLING_DETAIL}\b"), 0.88),
            Cue("billing detail wrong phrase", ("billing", "company", "legal", "registered", "address", "vat", "tax",
                                                "ein", "gst", "abn", "utr", "business"),
                rx(rf"\b{BILLING_DETAIL}\b[^.?!]{{0,40}}\b(wrong|incorrect|outdated|changed|missing|updated|corrected"
                   r"|misspel\w*|needs? (to be )?(updated|changed|corrected|added)|should (say|read|be))\b"),
                0.88),
            Cue("invoice shows wrong details phrase", ("invoice",),
                rx(r"\binvoices?\b[^.?!]{0,40}\b(wrong|incorrect|outdated|old) (address|name|company|details|vat|tax)"
                   r"|\b(correct|fix|amend|reissue|re-issue)\b[^.?!]{0,20}\binvoices?\b[^.?!]{0,30}\b(address|name"
                   r"|company|vat|tax|details)\b"),
                0.86),
            Cue("tax exemption phrase", ("tax", "reverse"), rx(r"\b(tax[- ]exempt(ion)?|reverse[- ]charge)\b"), 0.85),
            Cue("tax identifier read out (placeholder)", ("[vat", "[ein", "[utr", "[itin"),
                rx(r"\[(VAT NUMBER|EIN|UTR|ITIN)\]"), 0.82),
            Cue("billing detail change phrase (es/fr/de)", ("facturaci", "nif", "cif", "razón", "razon", "fiscal",
                                                            "adresse", "tva", "raison", "coordonn", "rechnungsadresse",
                                                            "ust", "umsatzsteuer", "steuernummer", "firmenname",
                                                            "firmierung"),
                rx(rf"\b{CHANGE_INTL}\b[^.?!]{{0,40}}\b{BILLING_DETAIL_INTL}\b"
                   rf"|\b{BILLING_DETAIL_INTL}\b[^.?!]{{0,40}}\b({WRONG_INTL}|{CHANGE_INTL})\b"), 0.88),
        ),
    ),
    "collections_log": WorkflowSignals(
        intents=frozenset({"collections", "collections_log", "collection_call", "payment_promise", "promise_to_pay",
                           "overdue_payment", "payment_reminder", "overdue_invoice", "debt_collection"}),
        objects=words("overdue", "balance", "payment plan"),
        cues=(
            Cue("collections phrase", ("overdue", "past", "outstanding", "unpaid", "promise", "plan", "instal",
                                       "collection", "late"),
                rx(r"\b(overdue|past[- ]due|outstanding (balance|amount|invoices?|payments?)|unpaid (balance|invoices?"
                   r"|bills?)|promise to pay|payment plan|instal?lments?|collections?|late payment)\b"),
                0.85, agent=0.82),
            Cue("promise to pay phrase", ("pay", "settle", "clear", "transfer", "wire"), PROMISE, 0.84),
            Cue("collections phrase (es/fr/de)", ("vencid", "pendiente", "atrasad", "impay", "retard", "solde",
                                                  "fällig", "fallig", "ausstehend", "mahnung", "offene"),
                COLLECTIONS_INTL, 0.85, agent=0.82),
            Cue("promise to pay phrase (es/fr/de)", ("pag", "payer", "paierai", "paierons", "régler", "réglerai",
                                                     "zahle", "zahlen", "überweise", "uberweise"),
                PROMISE_INTL, 0.84),
        ),
    ),
    "contact_sync": WorkflowSignals(
        intents=frozenset({"contact_sync", "contact_update", "update_contact", "update_email", "new_contact",
                           "add_contact", "change_contact", "update_phone", "new_customer", "contact_change"}),
        objects=words("contact", "e-?mail", "phone"),
        cues=(
            Cue("contact change phrase", ("mail", "contact", "phone", "mobile", "name", "recipient", "customer",
                                          "set ", "sign", "add", "create", "system", "file", "number", "payable",
                                          "ap ", "register", "over"),
                CONTACT_CHANGE, 0.86,
                # Asking us to send a document to an address is a delivery, not a contact change; the
                # company or legal name on invoices is a billing detail.
                unless=rx(r"\b(send|resend|forward|email) (it|the (invoice|receipt)|a copy)\b|" + BILLING_DETAIL
                          + r"|\bwrong number\b(?![^.?!]{0,40}\b(on file|for (me|us)|in your"
                          r"|on (my|our|the) account))")),
            Cue("new billing recipient phrase", ("invoice", "receipt", "billing", "statement"),
                rx(r"\b(send|email|address|copy|cc|direct)\w*\b[^.?!]{0,30}\b(future|all|every|our|the|monthly)\b[^.?!]{0,15}"
                   r"\b(invoices|receipts|statements|billing emails?)\b[^.?!]{0,40}\b(to|at)\b"
                   r"|\b(from now on|going forward|in (the )?future|instead of (me|my|the old))\b[^.?!]{0,60}"
                   r"\b(invoices?|receipts?|billing|statements?)\b|\b(invoices?|receipts?|billing|statements?)\b[^.?!]{0,60}"
                   r"\b(from now on|going forward|in (the )?future)\b"),
                0.84, unless=rx(BILLING_DETAIL)),  # the billing address is a billing detail
        ),
    ),
}  # fmt: skip
assert set(WORKFLOW_SPECS) == set(WORKFLOWS)


INTENT_ALIASES = {alias: name for name, spec in WORKFLOW_SPECS.items() for alias in spec.intents}
# Intents DialNexa gives calls that need nothing; any other unknown intent is a billing cue for triage.
NO_ACTION_INTENTS = frozenset(
    {"", "none", "no_intent", "chit_chat", "small_talk", "wrong_number", "voicemail", "greeting", "other", "hangup",
     "billing_question", "general_question", "question", "inquiry", "enquiry", "general_inquiry", "pricing",
     "pricing_question", "faq", "information", "info", "login", "login_issue", "password_reset", "technical_support",
     "support", "tech_support", "feedback", "thanks", "no_action", "resolved", "callback", "follow_up"}
)  # fmt: skip
BILLING_CUE = rx(
    r"\b(bill(s|ed|ing)?|invoices?|receipts?|charges?|charged|payments?|pay|paid|refunds?|subscriptions?|plans?"
    r"|pricing|price|fees?|balance|credit|debit|renewal|renew|tax|vat|statement|overdue|card|discount|upgrade"
    r"|downgrade|cost|costs)\b"
)
# Intents that name a question or a support topic, not work for finance.
NO_ACTION_INTENT_WORDS = re.compile(
    r"(question|inquiry|enquiry|info|faq|login|log_in|password|access|technical|tech|support|status|feedback|thank"
    r"|greeting|wrong_number|voicemail|chit|small_talk|pricing|how_to"
    # Reminders and notices (a courtesy call before a renewal), a card replaced (self-service).
    r"|reminder|courtesy|notice|notification|heads_up|upcoming|card_update|update_card|card_replace"
    r"|payment_method_update|update_payment_method|outage)"
)
# A clause asking whether or how ("can I switch to annual?") is a question the agent answers.
QUESTION_START = re.compile(
    r"\s*(can i|could i|how (do|can|would|should) (i|we)|is it possible|what|do you|does|would it|when|why|is there"
    r"|are there|if i|cu[aá]nto|cu[aá]ndo|c[oó]mo|qu[eé]|d[oó]nde|por qu[eé]|combien|quand|comment|quel\w*|o[uù]"
    r"|pourquoi|est-ce que|wie|wann|was|wo|warum|welche\w*|kann ich)\b",
    re.I,
)
# A request for something we have no workflow for (a human must act), as opposed to a question answered.
# Replacing a card is self-service (the agent sends the card-update link): not a request for a human.
UNHANDLED_REQUEST = rx(
    r"\b((cancel|close|terminate|pause|suspend|downgrade|upgrade|switch|change|transfer|merge|reactivate)\b[^.?!]{0,30}"
    r"\b(subscription|plan|account|contract|seats?|licen[cs]es?|tier|billing cycle|payment method)"
    r"|speak (to|with) (a |an |your )?(manager|supervisor|human|person|someone)|escalat\w*|complain\w*"
    r"|(something|anything|it)('?s| is| seems| looks) (not right|wrong|off|weird|strange)"
    r"|(don'?t|do not) know what'?s (going on|happening|wrong)|hard to explain"
    r"|(does|do)(n'?t| not) add up"
    r"|confus\w* (about|by|with) (the|my|our|this) (bill|billing|charges?|invoices?|account)"
    r"|(call|ring|phone|contact|reach|get back to) (me|us)( back| later| tomorrow)?"
    # "call back" unless the caller says they will call back themselves.
    r"|(?<!i'll )(?<!i will )(?<!we'll )(?<!i can )(?<!let me )call ?back"
    # An unclear problem handed to the agent to investigate (unclear intent: a human follows up).
    r"|look into (it|this|that|my|our)|check (my|our) account"
    r"|(have|get|send|need|want) (someone|somebody|a person|a human|an agent|a specialist|someone from \w+)"
    r" (to )?(call|ring|phone|contact|get back to|look at|check|sort)"
    r"|(someone|somebody|a person) (to )?(call|ring|phone|contact|get back to) (me|us)"
    r"|not sure (what|who|where)|figure (out|this out) later"
    r"|ll[aá]me(n)?me|me (llamen|llame)|rappelez-moi|me rappeler|rufen sie mich|r[üu]ckruf)\b"
)
