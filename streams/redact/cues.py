"""Cue words and the context around a candidate number: cue phrases per secret family, negative
cues that keep a number, whole-call card context."""

from __future__ import annotations

import re

# IMPORTS

SPEAKER_LABEL = re.compile(r"(?m)^[ \t]*[A-Za-z][A-Za-z .'-]{0,24}:")
# Words that may sit between two parts of one number read over several turns.
FILLER_WORDS = frozenset(
    [
        "go",
        "on",
        "okay",
        "ok",
        "yes",
        "yeah",
        "yep",
        "yup",
        "uh",
        "um",
        "umm",
        "er",
        "erm",
        "ah",
        "mm",
        "mhm",
        "hmm",
        "uh-huh",
        "right",
        "sure",
        "got",
        "it",
        "and",
        "then",
        "next",
        "continue",
        "please",
        "sorry",
        "the",
        "rest",
        "is",
        "keep",
        "going",
        "ready",
        "i'm",
        "im",
        "listening",
        "carry",
        "after",
        "that",
        "what's",
        "whats",
        "more",
        "digits",
        "numbers",
        "number",
        "alright",
        "all",
        "thanks",
        "thank",
        "you",
        "perfect",
        "great",
        "good",
        "so",
        "it's",
        "its",
        "last",
        "group",
        "part",
        "four",
        "remaining",
        "one",
    ]
)

CARD_CONTEXT = re.compile(
    r"\b(?:card|visa|mastercard|master card|amex|american express|discover|debit|credit|diners|jcb|maestro"
    r"|pan|long number|expiry|expiration|expires|cvv|cvc|security code|payment details)\b"
)
MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* +(?:of +)?$")

# Cue words, as they appear in the lower-cased probe text (punctuation already turned to spaces).
# Cue phrases, as words of the lower-cased probe text (punctuation already turned to spaces).
# Matched longest first, so "social security number" is an SSN cue and not "security number".
_CUE_PHRASES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "cvv": (
        "cvv",
        "cvc",
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
    ),
    "pin": ("pin", "passcode", "pin number", "pin code"),
    "routing": ("routing", "aba", "rtn", "routing number", "transit number"),
    "sort": ("sort code",),
    "account": (
        "acct",
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
        "ending in",
        "ending with",
        "ends in",
        "ends with",
        "last four",
        "last 4",
        "last digits",
    ),
}
_CUE_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): cue_type for cue_type, phrases in _CUE_PHRASES_BY_TYPE.items() for phrase in phrases
}
_CUE_LAST_WORDS = frozenset(phrase[-1] for phrase in _CUE_PHRASES if len(phrase) > 1)
_CUE_FIRST_WORDS = frozenset(phrase[0] for phrase in _CUE_PHRASES if len(phrase) > 1)
_SINGLE_WORD_CUES: dict[str, str] = {phrase[0]: cue for phrase, cue in _CUE_PHRASES.items() if len(phrase) == 1}
_CUE_TRIGGERS_BEFORE = _CUE_LAST_WORDS | _SINGLE_WORD_CUES.keys()
_CUE_TRIGGERS_AFTER = _CUE_FIRST_WORDS | _SINGLE_WORD_CUES.keys()
_MAX_CUE_WORDS = 3
_CUE_BEFORE_CHARS = 120
_CUE_AFTER_CHARS = 45
_CUE_AFTER_PENALTY = 3  # in words: a cue before the number is the usual order; one after must be nearer

_BANK_CONTEXT = re.compile(
    r"\b(?:bank|banking|routing|sort code|checking|savings|chequing|direct debit|ach|wire|iban|transfer|aba)\b"
)
BANK_CONTEXT_CHARS = 300
# A negative cue in the turn holding a piece ("my phone number is 4123 4567 / okay / 8901 2344")
# means two references were read one after the other: never joined, with or without a card word.
_NEGATIVE_CUES = tuple(f" {phrase} " for phrase in _CUE_PHRASES_BY_TYPE["negative"])


def has_negative_cue(probe_words: str) -> bool:
    padded = f" {probe_words} "
    return any(cue in padded for cue in _NEGATIVE_CUES)


class Context:
    """Cue look-ups for one text, computed lazily and only around candidate numbers."""

    def __init__(self, text: str, probe: str) -> None:
        self.text = text
        self.probe = probe
        self._card_context: bool | None = None

    @property
    def card_context(self) -> bool:
        """Whether the call talks about a card at all (a full scan, so only done when asked)."""
        if self._card_context is None:
            self._card_context = CARD_CONTEXT.search(self.probe) is not None
        return self._card_context

    def cues_near(self, start: int, end: int) -> list[tuple[int, str, str]]:
        """(distance in words, cue type, cue phrase) around a number, nearest first."""
        probe = self.probe
        window_start = max(0, start - _CUE_BEFORE_CHARS)
        before = probe[window_start:start].split()
        if window_start > 0 and before:
            before = before[1:]  # the first word may be cut in half
        after = probe[end : end + _CUE_AFTER_CHARS].split()
        if end + _CUE_AFTER_CHARS < len(probe) and after:
            after = after[:-1]
        cues: list[tuple[int, str, str]] = []
        # Only words that can end (before) or start (after) a cue phrase are looked at; the list
        # comprehension finds them at C speed. A word's distance is its position counted from the
        # number, and the words of a matched phrase cannot start another one.
        last = len(before) - 1
        consumed_from = len(before)
        for index in reversed([position for position, word in enumerate(before) if word in _CUE_TRIGGERS_BEFORE]):
            if index >= consumed_from:
                continue
            size = 1
            cue_type = None
            if before[index] in _CUE_LAST_WORDS:
                for size in range(min(_MAX_CUE_WORDS, index + 1), 1, -1):
                    cue_type = _CUE_PHRASES.get(tuple(before[index - size + 1 : index + 1]))
                    if cue_type is not None:
                        break
                else:
                    size = 1
            if cue_type is None:
                cue_type = _SINGLE_WORD_CUES.get(before[index])
            if cue_type is not None:
                cues.append((last - index, cue_type, " ".join(before[index - size + 1 : index + 1])))
                consumed_from = index - size + 1
        count = len(after)
        consumed_until = 0
        for index in [position for position, word in enumerate(after) if word in _CUE_TRIGGERS_AFTER]:
            if index < consumed_until:
                continue
            size = 1
            cue_type = None
            if after[index] in _CUE_FIRST_WORDS:
                for size in range(min(_MAX_CUE_WORDS, count - index), 1, -1):
                    cue_type = _CUE_PHRASES.get(tuple(after[index : index + size]))
                    if cue_type is not None:
                        break
                else:
                    size = 1
            if cue_type is None:
                cue_type = _SINGLE_WORD_CUES.get(after[index])
            if cue_type is not None:
                cues.append((_CUE_AFTER_PENALTY + index, cue_type, " ".join(after[index : index + size])))
                consumed_until = index + size
        cues.sort(key=lambda cue: cue[0])
        return cues

    def has_bank_context(self, start: int, end: int) -> bool:
        return (
            _BANK_CONTEXT.search(
                self.probe, max(0, start - BANK_CONTEXT_CHARS), min(len(self.probe), end + BANK_CONTEXT_CHARS)
            )
            is not None
        )

    def mentions_sort_code(self, start: int, end: int) -> bool:
        return "sort code" in self.probe[max(0, start - BANK_CONTEXT_CHARS) : end + BANK_CONTEXT_CHARS]
