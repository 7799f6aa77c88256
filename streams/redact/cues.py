"""Cue words and the context around a candidate number: cue phrases per secret family, negative
cues that keep a number, whole-call card context."""

from __future__ import annotations

import re

# "User:", "Customer (John):", "[  ] Agent:", "> User:" (a timestamp before it is blanked by structure.py).
SPEAKER_LABEL = re.compile(r"(?m)^[ \t>*#\[\]()-]*[A-Za-z][A-Za-z .'()_-]{0,30}:")

# Filler words a number between two ordinary words may border and still be part of a reading
# (probe.py's lone-number test): the original, short list. FILLER_WORDS (for bridges between pieces)
# grew with acknowledgements and corrections; using it here would keep every "a one" and "of two"
# as an atom and triple the work on ordinary talk.
LONE_TEST_FILLER_WORDS = frozenset(
    [
        "after",
        "ah",
        "all",
        "alright",
        "and",
        "carry",
        "continue",
        "digits",
        "er",
        "erm",
        "four",
        "go",
        "going",
        "good",
        "got",
        "great",
        "group",
        "hmm",
        "i'm",
        "im",
        "is",
        "it",
        "it's",
        "its",
        "keep",
        "last",
        "listening",
        "mhm",
        "mm",
        "more",
        "next",
        "number",
        "numbers",
        "ok",
        "okay",
        "on",
        "one",
        "part",
        "perfect",
        "please",
        "ready",
        "remaining",
        "rest",
        "right",
        "so",
        "sorry",
        "sure",
        "thank",
        "thanks",
        "that",
        "the",
        "then",
        "uh",
        "uh-huh",
        "um",
        "umm",
        "what's",
        "whats",
        "yeah",
        "yep",
        "yes",
        "you",
        "yup",
    ]
)


# Words that may sit between two parts of one number read over several turns.
FILLER_WORDS = LONE_TEST_FILLER_WORDS | frozenset(
    [
        "a",
        "actually",
        "again",
        "ahead",
        "awesome",
        "basically",
        "bit",
        "block",
        "brilliant",
        "cheers",
        "cool",
        "correct",
        "correction",
        "d",
        "down",
        "excellent",
        "few",
        "fine",
        "following",
        "go-ahead",
        "here",
        "hm",
        "hold",
        "huh",
        "i",
        "know",
        "lemme",
        "let",
        "let's",
        "lets",
        "like",
        "ll",
        "lovely",
        "m",
        "me",
        "mean",
        "mm-hm",
        "mmhm",
        "moment",
        "no",
        "noted",
        "noting",
        "now",
        "of",
        "ones",
        "oops",
        "over",
        "re",
        "s",
        "scratch",
        "sec",
        "second",
        "see",
        "set",
        "slowly",
        "start",
        "still",
        "ta",
        "that's",
        "thats",
        "this",
        "those",
        "uhm",
        "understood",
        "ve",
        "wait",
        "well",
        "with",
        "wonderful",
        "writing",
        "wrong",
    ]
)

CARD_CONTEXT = re.compile(
    r"\b(?:card|visa|mastercard|master card|amex|american express|discover|debit|credit|diners|jcb|maestro"
    r"|pan|long number|expiry|expiration|expires|cvv|cvc|security code|payment details)\b"
)
MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* +(?:of +|slash +)?$")
# A whole month name (not "summary", "decide", "market") right before a number.
MONTH_NAME_BEFORE = re.compile(
    r"(?<![a-z])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?) +(?:of +)?$"
)

# Cue words, as they appear in the lower-cased probe text (punctuation already turned to spaces).
# Cue phrases, as words of the lower-cased probe text (punctuation already turned to spaces).
# Matched longest first, so "social security number" is an SSN cue and not "security number".
_CUE_PHRASES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "cvv": (
        "cvv",
        "cvc",
        "cvn",
        "cvn2",
        "cvv2",
        "cvc2",
        "cv2",
        "cid",
        "csc",
        "security code",
        "security number",
        "security digits",
        "three digit code",
        "3 digit code",
        "four digit code",
        "verification code",
        "verification number",
        "verification value",
        "on the back",
        "back of the card",
        "signature strip",
        "signature panel",
        "card verification",
        "three digits",
        "3 digits",
        "three numbers",
        "little code",
        "short code",
        "card code",
        "verification digits",
        "digit code",
        "4 digit code",
        "from the back",
        "back of your card",
        "code on the front",
        "digits on the front",
    ),
    "expiry": (
        "expiry",
        "expires",
        "expiration",
        "expiring",
        "expire",
        "exp",
        "expiry date",
        "expiration date",
        "exp date",
        "valid thru",
        "valid through",
        "valid until",
        "good thru",
        "good through",
        # how people say it on the phone
        "valid to",
        "valid till",
        "valid til",
        "good till",
        "good til",
        "good until",
        "expiry month",
        "expiry year",
        "expiration month",
        "expiration year",
        "exp month",
        "exp year",
        "runs out",
        "run out",
    ),
    "pin": ("pin", "passcode", "pin number", "pin code"),
    "routing": ("routing", "aba", "rtn", "routing number", "transit number"),
    "sort": ("sort code",),
    "account": (
        "acct",
        # Alone, "account" is often the customer's account with the business: the bank detector
        # makes it a bank account only in bank talk (detectors/bank.py, Context.has_bank_context).
        "account",
        "acc no",
        "acc num",
        "acc number",
        "a c",  # "A/C 31926819"
        "a c no",
        "bank details",
        "account details",
        "bank account",
        "checking account",
        "savings account",
        "current account",
        "chequing account",
        "business account",
        "account number",
        "account no",
        "account num",
        "bank account number",
        "checking account number",
        "savings account number",
    ),
    "ssn": ("ssn", "social", "social security", "social security number"),
    "itin": ("itin", "individual taxpayer"),
    "ein": (
        "ein",
        "fein",
        "employer identification",
        "employer id",
        "federal tax id",
        "federal tax number",
        "employer identification number",
    ),
    "utr": (
        "utr",
        "unique taxpayer reference",
        "taxpayer reference",
        "tax reference",
        "self assessment",
        "unique taxpayer",
    ),
    "tax": ("tin", "tax id", "tax identification", "taxpayer id", "tax number", "tax identification number"),
    "vat": ("vat", "vat number", "vat registration"),
    # A nearer negative cue keeps the number: it is a reference the business needs.
    "negative": (
        "phone",
        "reach",
        "reach you",
        "reach me",
        "best number",
        "contact number",
        "callback",
        "call you",
        "text me",
        "whatsapp",
        "landline",
        "fax",
        "number to call",
        "my number",
        # whose phone number it is: "is 020 7946 0958 still your number?", "my UK number is ..."
        "your number",
        "his number",
        "her number",
        "their number",
        "our number",
        "work number",
        "home number",
        "uk number",
        "us number",
        "landline number",
        "call",
        "dial",
        "ring",
        "mobile",
        "cell",
        "telephone",
        "call me",
        "call back",
        "extension",
        "invoice",
        "order",
        "ticket",
        "tracking",
        "reference",
        "ref",
        "case",
        "confirmation",
        "amount",
        "balance",
        "total",
        "charge",
        "charged",
        "refund",
        "zip",
        "postcode",
        "post code",
        "postal",
        "customer",
        "member",
        "policy",
        "quote",
        "receipt",
        "subscription",
        "dollars",
        "pounds",
        "euros",
        "year",
        "date",
        "due",
        "ending",
        "ending in",
        "ending with",
        "ends",
        "last four digits",
        "last 4 digits",
        "final four",
        "last4",
        "masked",
        "ends in",
        "ends with",
        "last four",
        "last 4",
        "last digits",
    ),
}
# ("trial" is left out: on the independent corpus it kept 9 more dates but lost one CVV answer,
# and a CVV leak costs more than a date.)
# Things other than a card that expire or renew: "your trial expires on May 12", "the offer ends
# 05/12", "the quote is valid until ...". Each subject followed by an expiry word is a negative
# phrase, matched before the expiry cue it ends with (longest phrase first), so the date is kept.
_NON_CARD_SUBJECTS = (
    "offer", "promo", "promotion", "discount", "coupon", "voucher", "quote", "contract", "plan",
    "subscription", "licence", "license", "link", "session", "token", "password", "invite", "deal",
    "warranty", "certificate", "domain", "membership", "agreement", "rate", "price", "pricing",
)  # fmt: skip
_NON_CARD_EXPIRY_VERBS = ("expires", "expire", "expiring", "ends", "renews")
NON_CARD_EXPIRY_PHRASES = frozenset(
    f"{subject} {verb}" for subject in _NON_CARD_SUBJECTS for verb in _NON_CARD_EXPIRY_VERBS
)
_CUE_PHRASES_BY_TYPE["negative"] = (*_CUE_PHRASES_BY_TYPE["negative"], "renewal", "renews", "renewed",
                                    *NON_CARD_EXPIRY_PHRASES)  # fmt: skip
CUE_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): cue_type for cue_type, phrases in _CUE_PHRASES_BY_TYPE.items() for phrase in phrases
}
CUE_LAST_WORDS = frozenset(phrase[-1] for phrase in CUE_PHRASES if len(phrase) > 1)
CUE_FIRST_WORDS = frozenset(phrase[0] for phrase in CUE_PHRASES if len(phrase) > 1)
SINGLE_WORD_CUES: dict[str, str] = {phrase[0]: cue for phrase, cue in CUE_PHRASES.items() if len(phrase) == 1}
CUE_TRIGGERS_BEFORE = CUE_LAST_WORDS | SINGLE_WORD_CUES.keys()
CUE_TRIGGERS_AFTER = CUE_FIRST_WORDS | SINGLE_WORD_CUES.keys()
MAX_CUE_WORDS = 3
CUE_BEFORE_CHARS = 120
CUE_AFTER_CHARS = 45
CUE_AFTER_PENALTY = 3  # in words: a cue before the number is the usual order; one after must be nearer

BANK_CONTEXT = re.compile(
    r"\b(?:bank|banking|routing|sort code|checking|savings|chequing|direct debit|ach|wire|iban|transfer|aba"
    r"|debit|debited|pay from|paid from|paying from|taken from|comes out of|come out of"
    r"|payee|account holder|building society|bacs|standing order|mandate|eft|deposit"
    r"|refund go|refunded to|paid into|chase|barclays|hsbc|lloyds|natwest|santander|monzo|wells fargo|citibank"
    r"|eight digit account)\b"
)
BANK_CONTEXT_CHARS = 300
# Words that make a whole call bank talk, so an "account number" asked or read far from them is
# a bank account too ("I'll set up the direct debit from your bank." ... "And the account
# number?"). Stricter than BANK_CONTEXT: "debit card", "transfer" or "deposit" alone say nothing.
CALL_BANK_CONTEXT = re.compile(
    r"\b(?:bank|banking|routing|sort code|checking|savings|chequing|direct debit|ach|iban|aba|wire"
    r"|building society|bacs|account holder|bank transfer|standing order|mandate|eft)\b"
)
# A negative cue in the turn holding a piece ("my phone number is 4123 4567 / okay / 8901 2344")
# means two references were read one after the other: never joined, with or without a card word.


# Negative cues that describe the *format* of an answer rather than another reference ("the expiry,
# month and year?", "the customer's bank account"): in a question they never veto the secret cue
# asked alongside them.
# "Your trial expires on May 12. To keep it, what's the CVV?": a date said in passing is weak too.
WEAK_NEGATIVES = frozenset(
    {"year", "date", "due", "customer", "member", "total", "amount", "refund", *NON_CARD_EXPIRY_PHRASES}
)


def match_cues(words: list[str]) -> list[tuple[int, str, str]]:
    """(index of the phrase's first word, cue type, phrase) for every cue phrase in `words`, left to
    right, longest phrase first at each position."""
    if CUE_TRIGGERS_AFTER.isdisjoint(words):
        return []  # most bridges and turns hold no cue word: settled by one C-level set test
    found: list[tuple[int, str, str]] = []
    index = 0
    count = len(words)
    while index < count:
        word = words[index]
        if word not in CUE_TRIGGERS_AFTER:
            index += 1
            continue
        size = 1
        cue_type = None
        if word in CUE_FIRST_WORDS:
            for size in range(min(MAX_CUE_WORDS, count - index), 1, -1):
                cue_type = CUE_PHRASES.get(tuple(words[index : index + size]))
                if cue_type is not None:
                    break
            else:
                size = 1
        if cue_type is None:
            size = 1
            cue_type = SINGLE_WORD_CUES.get(word)
        if cue_type is not None:
            found.append((index, cue_type, " ".join(words[index : index + size])))
            index += size
        else:
            index += 1
    return found


NEGATIVE_CUE_RE = _NEGATIVE_CUE_RE = re.compile(
    r"(?<![a-z0-9_])(?:"
    + "|".join(re.escape(phrase) for phrase in sorted(_CUE_PHRASES_BY_TYPE["negative"], key=len, reverse=True))
    + r")(?![a-z0-9_])"
)


def has_negative_cue(probe_words: str) -> bool:
    return _NEGATIVE_CUE_RE.search(probe_words) is not None
