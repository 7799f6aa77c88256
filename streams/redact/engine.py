"""Detection and redaction of card, bank and tax data in call transcripts.

How a text is scanned, cheapest step first:

1. The text is encoded one byte per character and lower-cased / de-punctuated with bytes.translate
   into a *probe* with the same offsets. Digit runs are found with bytes.find on a digit mask and
   number words with one regex, so ordinary talk costs only C-level scans.
2. Words become *atoms*: digit strings, digit-bearing words ("GB82") and spoken numbers
   ("double four" -> "44"), each with its character span. A number of at most two digits between
   two ordinary words ("give me one moment", "about 12 of us") is dropped here: it can neither be
   nor join a secret (see _is_lone_small_number), and most numbers in a call are like that.
3. Atoms separated only by spaces, dashes, dots, commas or slashes form a *group* (one written or
   spoken number such as "4111 1111 1111 1111" or "four one one one, one one ...").
   Upper-case letter blocks between or before atoms ("GB82 WEST 1234", "Q Q 12 34 56 C") join too.
4. Groups separated only by filler talk and speaker labels ("User: 4111 1111 / Agent: go on /
   User: 1111 1111") form a *chain*, so numbers split across turns are joined again.
5. Detectors run in order and claim atoms: letter-bearing identifiers (IBAN, VAT, NINO), card
   numbers (checksum, no context needed), formatted SSN/ITIN/EIN, then context detectors (CVV,
   expiry, PIN, routing, accounts, sort code, tax numbers) that need a cue word nearby. The nearest
   cue wins; a nearer *negative* cue ("invoice", "order", "phone", ...) keeps the number. A keyword
   never vetoes a checksum-valid card number: callers and agents control the words around it.
"""

from __future__ import annotations

import codecs
import operator
import re
from collections import Counter
from dataclasses import dataclass, field

from streams.redact import validators
from streams.redact.spoken import DIGIT_WORDS, NUMBER_WORDS, TEEN_WORDS, TENS_WORDS, SpokenWord, normalise_spoken

# --- public types -----------------------------------------------------------------------------

CARD_NUMBER = "card_number"
CARD_CVV = "card_cvv"
CARD_EXPIRY = "card_expiry"
PIN = "pin"
IBAN = "iban"
BIC = "bic"
US_ROUTING_NUMBER = "us_routing_number"
US_BANK_ACCOUNT = "us_bank_account"
UK_SORT_CODE = "uk_sort_code"
UK_BANK_ACCOUNT = "uk_bank_account"
US_SSN = "us_ssn"
US_ITIN = "us_itin"
US_EIN = "us_ein"
UK_NINO = "uk_nino"
UK_UTR = "uk_utr"
VAT_NUMBER = "vat_number"
SECRET_API_KEY = "secret_api_key"

FINDING_TYPES: tuple[str, ...] = (
    CARD_NUMBER,
    CARD_CVV,
    CARD_EXPIRY,
    PIN,
    IBAN,
    BIC,
    US_ROUTING_NUMBER,
    US_BANK_ACCOUNT,
    UK_SORT_CODE,
    UK_BANK_ACCOUNT,
    US_SSN,
    US_ITIN,
    US_EIN,
    UK_NINO,
    UK_UTR,
    VAT_NUMBER,
    SECRET_API_KEY,
)

# Types whose presence means payment details were read out on the call (policy: such calls go to
# review, DialNexa should not collect them at all).
PAYMENT_DETAIL_TYPES: frozenset[str] = frozenset(
    {
        CARD_NUMBER,
        CARD_CVV,
        CARD_EXPIRY,
        PIN,
        IBAN,
        BIC,
        US_ROUTING_NUMBER,
        US_BANK_ACCOUNT,
        UK_SORT_CODE,
        UK_BANK_ACCOUNT,
    }
)

PLACEHOLDERS: dict[str, str] = {
    CARD_NUMBER: "[CARD]",
    CARD_CVV: "[CVV]",
    CARD_EXPIRY: "[EXPIRY]",
    PIN: "[PIN]",
    IBAN: "[IBAN]",
    BIC: "[BIC]",
    US_ROUTING_NUMBER: "[ROUTING NUMBER]",
    US_BANK_ACCOUNT: "[BANK ACCOUNT]",
    UK_SORT_CODE: "[SORT CODE]",
    UK_BANK_ACCOUNT: "[BANK ACCOUNT]",
    US_SSN: "[SSN]",
    US_ITIN: "[ITIN]",
    US_EIN: "[EIN]",
    UK_NINO: "[NINO]",
    UK_UTR: "[UTR]",
    VAT_NUMBER: "[VAT NUMBER]",
    SECRET_API_KEY: "[SECRET KEY]",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One redacted span: `type` is one of FINDING_TYPES, offsets index the input text."""

    type: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RedactedText:
    text: str
    findings: list[Finding]
    counts: dict[str, int]  # secrets found per type (a card split over turns counts once)
    payment_details_read_out: bool


# --- atoms and groups ---------------------------------------------------------------------------

_DIGITS, _SPOKEN, _ALNUM, _LETTERS = range(4)


@dataclass(slots=True, eq=False)
class _Atom:
    start: int
    end: int
    value: str  # digits, or upper-case letters/digits for _ALNUM and _LETTERS
    kind: int
    taken: bool = False


@dataclass(slots=True, eq=False)
class _Group:
    atoms: list[_Atom]
    separators: list[str]  # gap text between consecutive atoms
    protected: bool = False  # an amount or a reference like INV-1234: never a secret
    amount: bool = False  # protected only by a currency word or sign, which never hides a card
    # Upper-case letter blocks just before / after the group ("GB 82...", "... 56 C"). Kept apart
    # because they are often cue words ("EIN 12-3456789") that must not hide the digits.
    lead: list[_Atom] = field(default_factory=list)
    trail: list[_Atom] = field(default_factory=list)
    # Filled by _build_groups: digits in digit/spoken atoms, and whether an atom holds letters.
    digit_count: int = 0
    has_letter_atoms: bool = False
    has_alnum: bool = False

    @property
    def start(self) -> int:
        return self.atoms[0].start

    @property
    def end(self) -> int:
        return self.atoms[-1].end

    @property
    def outer_start(self) -> int:
        return self.lead[0].start if self.lead else self.atoms[0].start

    @property
    def outer_end(self) -> int:
        return self.trail[-1].end if self.trail else self.atoms[-1].end


def _new_group(atom: _Atom) -> _Group:
    group = _Group([atom], [])
    if atom.kind <= _SPOKEN:
        group.digit_count = len(atom.value)
    else:
        group.has_letter_atoms = True
        group.has_alnum = atom.kind == _ALNUM
    return group


@dataclass(slots=True)
class _Detection:
    type: str
    spans: list[tuple[int, int]]
    card_digits: str = ""


# Lower-cases ASCII letters and turns punctuation into spaces in one pass while keeping every
# character in place, so offsets in this "probe" text are offsets in the input. (str.lower() is
# not used: it can change the length of non-ASCII text.)
# Typographic punctuation that speech-to-text output uses (curly quotes, ellipsis, guillemets,
# dashes, bullets): blanked like ASCII punctuation, else '“4111' or 'three…' is not a number word.
_NON_ASCII_PUNCTUATION = frozenset(
    "\u2013\u2014\u2015\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2026\u00ab\u00bb\u2039\u203a"
    "\u2022\u00b7\u00a1\u00bf\u2032\u2033\u00a3\u20ac"
)
_PROBE_TABLE = str.maketrans(
    {
        **{chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)},
        **dict.fromkeys(",.;:!?\"()[]{}-/\\+$%*&'#<>=|~`", " "),
        **dict.fromkeys(_NON_ASCII_PUNCTUATION, " "),
    }
)


def _probe_replace(error: UnicodeError) -> tuple[str, int]:
    """Encode-error handler: one ASCII stand-in per non-ASCII character, so offsets stay put.

    Punctuation that the probe blanks and any whitespace become a space, every other character a
    non-space, non-letter byte (it still ends a word and never matches a cue or a digit).
    """
    assert isinstance(error, UnicodeEncodeError)
    chunk = error.object[error.start : error.end]
    return "".join(" " if char in _NON_ASCII_PUNCTUATION or char.isspace() else "\x01" for char in chunk), error.end


_PROBE_ERRORS = "callstream.redact.probe"
codecs.register_error(_PROBE_ERRORS, _probe_replace)


def _byte_table(mapping: dict[int, int], default: int | None = None) -> bytes:
    table = bytearray(range(256)) if default is None else bytearray([default] * 256)
    for source, target in mapping.items():
        table[source] = target
    return bytes(table)


# The probe as bytes: the text encoded one byte per character, then lower-cased and de-punctuated
# by bytes.translate. Both steps run at memcpy-like speed, several times faster than str.translate.
_PROBE_BYTES = _byte_table(
    {
        **{code: code + 32 for code in range(ord("A"), ord("Z") + 1)},
        **dict.fromkeys(b",.;:!?\"()[]{}-/\\+$%*&'#<>=|~`", ord(" ")),
    }
)
# Every whitespace byte as a plain space, so a number word is exactly " word " in the padded text.
_FLAT_BYTES = _byte_table(dict.fromkeys(b"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85", ord(" ")))
# Digits as "0", everything else as ".": memchr-speed search for digit runs.
_DIGIT_MARK_BYTES = _byte_table(dict.fromkeys(b"0123456789", ord("0")), default=ord("."))
_ALPHA_WORD = re.compile(r"[a-z]+")


def _number_word_pattern() -> re.Pattern[bytes]:
    # Alternatives grouped by first letter: the regex engine then tries one branch per space.
    by_first: dict[str, list[str]] = {}
    for word in sorted(NUMBER_WORDS, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    return re.compile(f" ({branches})(?= )".encode())


# A number word as a whole word of the flattened probe, padded with a space at each end.
_NUMBER_WORD = _number_word_pattern()

_JOIN_GAP = re.compile(r"[ \t]*(?:[-.,/\u2013]|\.\.\.|slash)?[ \t]*")
_JOIN_GAP_FIRST = " \t-.,/\u2013s"  # a _JOIN_GAP longer than 3 characters starts with one of these
_LETTER_GAP = re.compile(r"[ \t.,-]+(?:[A-Z]{1,4}[ \t.,-]+)+")
_LETTER_BLOCK = re.compile(r"[A-Z]{1,4}")
_MAX_LETTER_GAP = 24
_CUE_ACRONYMS = frozenset(
    {"CVV", "CVC", "CV", "CID", "CSC", "PIN", "SSN", "IBAN", "BIC", "EIN", "UTR", "VAT", "ITIN", "NINO", "ABA", "NI"}
)
_LEAD_WINDOW = 18  # characters before a group searched for lead letters or a reference prefix
_LEAD_LETTERS = re.compile(r"(?<![A-Za-z'])(?:[A-Z]{1,4}[ \t.,-]+){1,3}$")
_TRAIL_LETTERS = re.compile(r"(?:[ \t.,-]+[A-Z]{1,4}(?![A-Za-z']))+")

# A reference such as INV-2024-00123 or ORD-4539...: upper-case code glued with a hyphen.
_REFERENCE_PREFIX = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}-$")
_CURRENCY_BEFORE = re.compile(r"(?:[$\u00a3\u20ac]|\b(?:usd|gbp|eur))\s?$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:dollars?|bucks|pounds?|quid|euros?|cents?|pence|usd|gbp|eur|percent|%)\b", re.IGNORECASE
)

_SPEAKER_LABEL = re.compile(r"(?m)^[ \t]*[A-Za-z][A-Za-z .'-]{0,24}:")
# Words that may sit between two parts of one number read over several turns.
_FILLER_WORDS = frozenset(
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
_MAX_BRIDGE_CHARS = 140
_MAX_BRIDGE_WORDS = 12
_MAX_BRIDGE_TURNS = 3

_CARD_CONTEXT = re.compile(
    r"\b(?:card|visa|mastercard|master card|amex|american express|discover|debit|credit|diners|jcb|maestro"
    r"|pan|long number|expiry|expiration|expires|cvv|cvc|security code|payment details)\b"
)
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* +(?:of +)?$")

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
_BANK_CONTEXT_CHARS = 300

_SECRET_KEY = re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}|\bwhsec_[0-9A-Za-z]{16,}")
_BIC_CUE = re.compile(r"\b(?:bic|swift)(?: code)?\b")
_BIC_SHAPE = re.compile(r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b")

_VAT_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "GB",
        "XI",
    ]
)
_IBAN_START = re.compile(r"[A-Z]{2}[0-9]{2}")
_MAX_SPLIT_GROUPS = 4
_CARD_LENGTH_PREFERENCE = {16: 8, 15: 7, 19: 6, 14: 5, 13: 4, 18: 3, 17: 2, 12: 1}


# --- lone small numbers ------------------------------------------------------------------------
#
# Most numbers in a call are small talk: "give me one moment", "about 12 of us". A number of at
# most two digits that stands between two ordinary words can never be (part of) a secret: it
# cannot join a group (the words are not separators or letter blocks), cannot be bridged to a
# neighbour (the words are not filler), has no lead or trail letters, and no detector fires on a
# lone group of fewer than 3 digits except a month-name expiry ("December 27"). Dropping it
# before groups are built gives the same findings for far less work.
# Part of a speaker label ("User:") could start at or run through the number: then a word after it
# may be removed from a bridge, so the number is not treated as lone.
_LABEL_TAIL = re.compile(r"[ \t]*[A-Za-z .'\-]{0,25}:")
_NOT_BLOCKING = frozenset([*_FILLER_WORDS, *NUMBER_WORDS, "slash"])
# Digits a number word reads as when it stands alone (see spoken.normalise_spoken).
_LONE_CANDIDATE_DIGITS: dict[str, int] = {
    **dict.fromkeys(DIGIT_WORDS, 1),
    **dict.fromkeys(TEEN_WORDS, 2),
    **dict.fromkeys(TENS_WORDS, 2),
}


# The ordinary word right after a number: only spaces and punctuation the probe blanks (no colon,
# no hyphen) before it, and a character the probe blanks (or the end) after it, so it is exactly
# one probe word. Possessive quantifiers: nothing to backtrack into.
_WORD_AFTER = re.compile(r"[ \t,.;!?\"()]*+([A-Za-z]++)(?=[ \t\n,.;!?\"()]|\Z)")


def _is_lone_small_number(text: str, reversed_text: str, probe: str, start: int, end: int, digit_count: int) -> bool:
    """True if the number at [start, end) reads as at most two digits between two blocking words.

    A blocking word is a whole probe word of letters that is not filler, not a number word, not
    "slash" and not an upper-case letter block (which could be part of an IBAN or a cue acronym).
    Only spaces and blanked punctuation (never a colon, so no speaker label) may separate it from
    the number, and no label may run from the number into the word after it. The word before is
    read with the same anchored regex on the reversed text: a search backwards from `start` would
    try every position of a window.
    """
    if digit_count > 2:
        return False
    after = _WORD_AFTER.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    if word.isupper() or word.lower() in _NOT_BLOCKING:
        return False
    # A label from `end` is spaces, then at most 25 letters, spaces or .'- and a colon.
    if text.find(":", end, after.end() + 27) != -1 and _LABEL_TAIL.match(text, end) is not None:
        return False
    before = _WORD_AFTER.match(reversed_text, len(text) - start)
    if before is None:
        return False
    word = before.group(1)
    if word.isupper() or word[::-1].lower() in _NOT_BLOCKING:
        return False
    return digit_count < 2 or _MONTH_BEFORE.search(probe, max(0, start - 16), start) is None


def _make_probe(text: str) -> tuple[str, bytes]:
    """The probe text and its bytes (same length as `text`, same offsets)."""
    raw = text.encode("ascii", _PROBE_ERRORS)
    probe_bytes = raw.translate(_PROBE_BYTES)
    return probe_bytes.decode("ascii"), probe_bytes


_atom_start = operator.attrgetter("start")


def _collect_atoms(text: str, probe: str, probe_bytes: bytes) -> list[_Atom]:
    """Digit-bearing words and spoken numbers, in text order.

    Everything here is driven by C-level scans (bytes.find over a digit mask, one regex for number
    words), so text without numbers costs almost nothing; Python only runs for actual hits.
    """
    atoms: list[_Atom] = []
    size = len(probe)
    reversed_text = text[::-1]  # for anchored look-backs (see _is_lone_small_number)
    marks = probe_bytes.translate(_DIGIT_MARK_BYTES)
    run_start = marks.find(b"0")
    while run_start != -1:
        run_end = marks.find(b".", run_start)
        if run_end == -1:
            run_end = size
        start = run_start
        word_end = run_end
        whole_run = (run_start, run_end)
        # Usually the run is a whole word; only walk out to the word's edges when it is not.
        if start > 0 and not probe[start - 1].isspace():
            while start > 0 and not probe[start - 1].isspace():
                start -= 1
        if word_end < size and not probe[word_end].isspace():
            while word_end < size and not probe[word_end].isspace():
                word_end += 1
        # The next run to look at starts after this word ("a1b2" is one word).
        run_start = marks.find(b"0", word_end)
        word = probe[start:word_end]
        if "_" in word or "@" in word:
            continue  # ids such as pi_3Mtw... and e-mail addresses are never numbers to join
        if (start, word_end) == whole_run:
            if not _is_lone_small_number(text, reversed_text, probe, start, word_end, word_end - start):
                atoms.append(_Atom(start, word_end, word, _DIGITS))
        else:
            atoms.append(_Atom(start, word_end, text[start:word_end].upper(), _ALNUM))
    spoken_words: list[SpokenWord] = []
    flat = b" " + probe_bytes.translate(_FLAT_BYTES) + b" "
    for match in _NUMBER_WORD.finditer(flat):
        # match.start() is the padding space before the word: in `text` the word starts there.
        position, end = match.span()
        end -= 1
        word = probe[position:end]
        # A lone word reads as at most two digits ("one", "twelve", "forty"); "hundred" reads as
        # three and "double"/"triple" alone as none, so those always go to the normaliser.
        digit_count = _LONE_CANDIDATE_DIGITS.get(word)
        if digit_count is not None and _is_lone_small_number(text, reversed_text, probe, position, end, digit_count):
            continue
        spoken_words.append(SpokenWord(position, end, word))
    if spoken_words:
        atoms.extend(
            _Atom(number.start, number.end, number.digits, _SPOKEN) for number in normalise_spoken(spoken_words, text)
        )
        atoms.sort(key=_atom_start)
    return atoms


def _letter_atoms(text: str, start: int, end: int) -> list[_Atom]:
    return [
        _Atom(match.start(), match.end(), match.group(), _LETTERS) for match in _LETTER_BLOCK.finditer(text, start, end)
    ]


def _build_groups(text: str, atoms: list[_Atom]) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    previous_end = -1
    for atom in atoms:
        if current is not None:
            gap = atom.start - previous_end
            # A join gap is spaces and at most one separator: a one-character test on its first
            # character settles most gaps (a word, a newline) without running the regex.
            if (gap <= 3 or text[previous_end] in _JOIN_GAP_FIRST) and _JOIN_GAP.fullmatch(
                text, previous_end, atom.start
            ):
                current.separators.append(text[previous_end : atom.start])
                current.atoms.append(atom)
                if atom.kind <= _SPOKEN:
                    current.digit_count += len(atom.value)
                else:
                    current.has_letter_atoms = True
                    current.has_alnum = current.has_alnum or atom.kind == _ALNUM
                previous_end = atom.end
                continue
            if gap <= _MAX_LETTER_GAP and _LETTER_GAP.fullmatch(text, previous_end, atom.start):
                letters = _letter_atoms(text, previous_end, atom.start)
                if any(block.value in _CUE_ACRONYMS for block in letters):
                    # "..., CVV 123": a cue word between numbers, not part of an IBAN.
                    groups.append(current)
                    current = _new_group(atom)
                    previous_end = atom.end
                    continue
                for block in letters:
                    current.separators.append(" ")
                    current.atoms.append(block)
                current.separators.append(" ")
                current.atoms.append(atom)
                current.has_letter_atoms = True
                if atom.kind <= _SPOKEN:
                    current.digit_count += len(atom.value)
                else:
                    current.has_alnum = current.has_alnum or atom.kind == _ALNUM
                previous_end = atom.end
                continue
            groups.append(current)
        current = _new_group(atom)
        previous_end = atom.end
    if current is not None:
        groups.append(current)
    for group in groups:
        _attach_letters_and_protect(text, group)
    return groups


_LETTER_SEPARATORS = " \t.,-"
_CURRENCY_BEFORE_LAST = frozenset("$\u00a3\u20acdprDPR")  # last character of a _CURRENCY_BEFORE match
_CURRENCY_AFTER_FIRST = frozenset("dbpqecugDBPQECUG%")  # first character of a _CURRENCY_AFTER word


def _attach_letters_and_protect(text: str, group: _Group) -> None:
    # Each regex below is only run when a one-character test says it can match: most numbers in a
    # call are plain words ("one moment", "2 users") and these look-arounds were a third of the time.
    first = group.atoms[0]
    window_start = max(0, first.start - _LEAD_WINDOW)
    before = text[window_start : first.start]
    last = before[-1:]
    if last == "-" and first.kind == _DIGITS and _REFERENCE_PREFIX.search(text, window_start, first.start):
        group.protected = True
        return
    if last.isspace():
        last = before[-2:-1]
    if (last in _CURRENCY_BEFORE_LAST and _CURRENCY_BEFORE.search(text, max(0, first.start - 5), first.start)) or (
        _currency_may_follow(text, group.end) and _CURRENCY_AFTER.match(text, group.end)
    ):
        group.protected = True
        group.amount = True
        return
    if before[-1:] in _LETTER_SEPARATORS and before:
        stripped = before.rstrip(_LETTER_SEPARATORS)
        if stripped and "A" <= stripped[-1] <= "Z":
            lead = _LEAD_LETTERS.search(text, window_start, first.start)
            if lead is not None:
                group.lead = _letter_atoms(text, lead.start(), first.start)
    end = group.end
    if text[end : end + 1] in _LETTER_SEPARATORS and end < len(text):
        rest = text[end : end + 32].lstrip(_LETTER_SEPARATORS)
        if not rest or "A" <= rest[0] <= "Z":
            trail = _TRAIL_LETTERS.match(text, end)
            if trail is not None:
                group.trail = _letter_atoms(text, trail.start(), trail.end())


def _currency_may_follow(text: str, end: int) -> bool:
    following = text[end : end + 1]
    if following.isspace():
        following = text[end + 1 : end + 2]
    return following in _CURRENCY_AFTER_FIRST


def _is_filler_bridge(text: str, probe: str, start: int, end: int) -> bool:
    if end - start > _MAX_BRIDGE_CHARS:
        return False
    # Cheap exact test first: the bridge's first line can only hold a speaker label if it has a
    # colon, so without one its words must all be filler words already ("one moment while I ..."
    # is settled at "moment" without the label regex).
    newline = text.find("\n", start, end)
    head_end = end if newline == -1 else newline
    if text.find(":", start, head_end) == -1:
        for word in probe[start:head_end].split():
            if word not in _FILLER_WORDS:
                return False
    bridge = text[start:end]
    if bridge.count("\n") > _MAX_BRIDGE_TURNS:
        return False
    words = _SPEAKER_LABEL.sub(" ", bridge).translate(_PROBE_TABLE).split()
    return len(words) <= _MAX_BRIDGE_WORDS and all(word in _FILLER_WORDS for word in words)


def _build_chains(text: str, probe: str, groups: list[_Group]) -> list[list[_Group]]:
    chains: list[list[_Group]] = []
    previous: _Group | None = None
    for group in groups:
        if (
            previous is not None
            and not group.protected
            and not previous.protected
            # a lead starts at most _LEAD_WINDOW characters before the group: far pairs end here
            and group.atoms[0].start - previous.outer_end <= _MAX_BRIDGE_CHARS + _LEAD_WINDOW
            and _is_filler_bridge(text, probe, previous.outer_end, group.outer_start)
        ):
            chains[-1].append(group)
        else:
            chains.append([group])
        previous = group
    return chains


def _spans_of(atoms: list[_Atom], groups_of_atoms: list[int]) -> list[tuple[int, int]]:
    """One span per group, from the first to the last claimed atom in it."""
    spans: list[tuple[int, int]] = []
    current_group = -1
    for atom, group_index in zip(atoms, groups_of_atoms, strict=True):
        if group_index == current_group:
            spans[-1] = (spans[-1][0], atom.end)
        else:
            spans.append((atom.start, atom.end))
            current_group = group_index
    return spans


# --- detectors ----------------------------------------------------------------------------------


def _detect_letter_identifiers(chain: list[_Group]) -> list[_Detection]:
    """IBAN, prefixed VAT numbers and UK NINO in a chain that holds letters (also split over turns)."""
    atoms: list[_Atom] = []
    group_of_atom: list[int] = []
    for group_index, group in enumerate(chain):
        if group.protected:
            break
        group_atoms = [*group.lead, *group.atoms, *group.trail]
        atoms.extend(group_atoms)
        group_of_atom.extend([group_index] * len(group_atoms))
    value = "".join(atom.value for atom in atoms)
    atom_starts: dict[int, int] = {}  # char index in value -> atom index
    atom_ends: dict[int, int] = {}
    cursor = 0
    for index, atom in enumerate(atoms):
        atom_starts[cursor] = index
        cursor += len(atom.value)
        atom_ends[cursor] = index
    detections: list[_Detection] = []
    claimed_until = 0
    for char_start, first_index in atom_starts.items():
        if char_start < claimed_until or atoms[first_index].taken:
            continue
        found = _letter_identifier_at(value, char_start, atom_ends)
        if found is None:
            continue
        finding_type, char_end = found
        last_index = atom_ends[char_end]
        claimed = atoms[first_index : last_index + 1]
        if any(atom.taken for atom in claimed):
            continue
        for atom in claimed:
            atom.taken = True
        detections.append(_Detection(finding_type, _spans_of(claimed, group_of_atom[first_index : last_index + 1])))
        claimed_until = char_end
    return detections


def _letter_identifier_at(value: str, start: int, atom_ends: dict[int, int]) -> tuple[str, int] | None:
    if not value[start : start + 2].isalpha():
        return None
    if _IBAN_START.match(value, start):
        for end in range(min(len(value), start + 34), start + 14, -1):
            if end in atom_ends and validators.is_iban(value[start:end]):
                return IBAN, end
    if value[start : start + 2] in _VAT_COUNTRIES:
        for end in range(min(len(value), start + 15), start + 9, -1):
            if end in atom_ends and validators.is_vat_number(value[start:end]):
                return VAT_NUMBER, end
    end = start + 9
    if end in atom_ends and validators.is_uk_nino(value[start:end]):
        return UK_NINO, end
    return None


def _card_streams(chain: list[_Group]) -> list[list[tuple[_Atom, int, bool]]]:
    """Digit atoms of a chain as (atom, group index, may start a card), split at letters."""
    streams: list[list[tuple[_Atom, int, bool]]] = []
    current: list[tuple[_Atom, int, bool]] = []
    for group_index, group in enumerate(chain):
        digit_position = 0
        first_atom_digits = 0
        for atom in group.atoms:
            # An amount's currency word or sign never vetoes a checksum-valid card ("$ 4111 1111
            # 1111 1111" is a card read out, not an amount); a reference prefix (ORD-4539...) does.
            if atom.kind in (_ALNUM, _LETTERS) or atom.taken or (group.protected and not group.amount):
                if current:
                    streams.append(current)
                current = []
                digit_position = 0
                continue
            # A card is read from its first digit: it starts a group, or follows a stray
            # one-digit atom such as an "oh" interjection.
            may_start = digit_position == 0 or (digit_position == 1 and first_atom_digits <= 1)
            if digit_position == 0:
                first_atom_digits = len(atom.value)
            current.append((atom, group_index, may_start))
            digit_position += 1
    if current:
        streams.append(current)
    return streams


def _detect_cards(chain: list[_Group], context: _Context) -> list[_Detection]:
    detections: list[_Detection] = []
    for stream in _card_streams(chain):
        index = 0
        count = len(stream)
        while index < count:
            _atom, first_group, may_start = stream[index]
            if not may_start:
                index += 1
                continue
            best: tuple[tuple[bool, int, bool, int], int, str] | None = None
            digits = ""
            crossed = False  # the candidate spans more than one group (a pause, usually a turn)
            for end_index in range(index, count):
                end_atom, end_group, _ = stream[end_index]
                digits += end_atom.value
                if len(digits) > validators.CARD_MAX_DIGITS:
                    break
                crossed = crossed or end_group != first_group
                if len(digits) >= validators.CARD_MIN_DIGITS and validators.is_card_number(digits):
                    claimed_atoms = [item[0] for item in stream[index : end_index + 1]]
                    if crossed and not _may_join_split_card(claimed_atoms, context):
                        continue
                    ends_group = end_index + 1 == count or stream[end_index + 1][1] != end_group
                    # A span that ends where the caller paused first (a 16-digit prefix of a
                    # 19-digit card can pass Luhn too), at the last such pause ("... 8700 / okay,
                    # keep going / 264" is one 19-digit card, not a 16-digit one and three digits
                    # left in the clear), then the common PAN lengths.
                    rank = (
                        ends_group,
                        end_group if ends_group else -1,
                        len(digits) in (15, 16),
                        _CARD_LENGTH_PREFERENCE[len(digits)],
                    )
                    if best is None or rank > best[0]:
                        best = (rank, end_index, digits)
            if best is None:
                index += 1
                continue
            _, end_index, card_digits = best
            claimed = stream[index : end_index + 1]
            for claimed_atom, _, _ in claimed:
                claimed_atom.taken = True
            detections.append(
                _Detection(
                    CARD_NUMBER,
                    _spans_of([item[0] for item in claimed], [item[1] for item in claimed]),
                    card_digits,
                )
            )
            index = end_index + 1
    return detections


# A card read over several pauses is joined even when nobody says "card" (the issue's own example:
# "User: 4111 1111 / Agent: go on / User: 1111 1111"): a PCI auditor prefers recall there. Without
# a card word anywhere in the call the join must look like a card read out and nothing else: the
# pieces are written digit groups of 4 (Amex/Diners 4-6-5 / 4-6-4; the last group of a 13- or
# 19-digit PAN shorter), each turn holding a piece says little else, and all pieces come from the
# same speaker. Luhn and the issuer range are checked by the caller.
_SPLIT_CARD_SHAPES = frozenset({(4, 6, 5), (4, 6, 4)})
_MAX_SPLIT_CARD_TURN_WORDS = 3  # non-filler words a turn holding a piece may have besides it
# A negative cue in the turn holding a piece ("my phone number is 4123 4567 / okay / 8901 2344")
# means two references were read one after the other: never joined, with or without a card word.
_NEGATIVE_CUES = tuple(f" {phrase} " for phrase in _CUE_PHRASES_BY_TYPE["negative"])


def _split_card_shape(atoms: list[_Atom]) -> bool:
    if any(atom.kind != _DIGITS for atom in atoms):
        return False
    lengths = tuple(len(atom.value) for atom in atoms)
    if lengths in _SPLIT_CARD_SHAPES:
        return True
    return all(length == 4 for length in lengths[:-1]) and 1 <= lengths[-1] <= 4


def _has_negative_cue(probe_words: str) -> bool:
    padded = f" {probe_words} "
    return any(cue in padded for cue in _NEGATIVE_CUES)


def _may_join_split_card(atoms: list[_Atom], context: _Context) -> bool:
    """Whether a Luhn-valid card candidate whose atoms span several groups may be joined."""
    text = context.text
    probe = context.probe
    # The atoms of each line (turn) of the candidate: (line start, content start, atoms).
    lines: list[tuple[int, int, list[_Atom]]] = []
    for atom in atoms:
        if lines and text.find("\n", lines[-1][2][-1].end, atom.start) == -1:
            lines[-1][2].append(atom)
            continue
        line_start = text.rfind("\n", 0, atom.start) + 1
        label = _SPEAKER_LABEL.match(text, line_start)
        content_start = label.end() if label is not None and label.end() <= atom.start else line_start
        lines.append((line_start, content_start, [atom]))
    for _, content_start, line_atoms in lines:
        if _has_negative_cue(probe[content_start : line_atoms[0].start]):
            return False
    line_start, content_start, line_atoms = lines[0]
    if line_start > 0 and _CARD_CONTEXT.search(probe, content_start, line_atoms[0].start) is None:
        # The turn before the first piece is usually the question ("which order numbers were
        # affected?"); a card word in the piece's own turn ("my card is ...") overrides it.
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        if _has_negative_cue(probe[previous_start : line_start - 1]):
            return False
    if context.card_context:
        return True
    if not _split_card_shape(atoms):
        return False
    speakers = set()
    for line_start, content_start, line_atoms in lines:
        speakers.add(text[line_start:content_start].strip().lower())
        line_end = text.find("\n", line_atoms[-1].end)
        if line_end == -1:
            line_end = len(text)
        words: list[str] = []
        cursor = content_start
        for atom in line_atoms:
            words.extend(probe[cursor : atom.start].split())
            cursor = atom.end
        words.extend(probe[cursor:line_end].split())
        if sum(word not in _FILLER_WORDS for word in words) > _MAX_SPLIT_CARD_TURN_WORDS:
            return False
    return len(speakers) == 1


def _plain_digits(group: _Group) -> str | None:
    """The digits of a group made only of free digit atoms, else None."""
    if group.protected:
        return None
    parts: list[str] = []
    for atom in group.atoms:
        if atom.taken or atom.kind in (_ALNUM, _LETTERS):
            return None
        parts.append(atom.value)
    return "".join(parts)


def _detect_formatted_tax_ids(group: _Group, digits: str) -> _Detection | None:
    """SSN/ITIN written ddd-dd-dddd and EIN written dd-ddddddd are distinctive enough alone."""
    if len(digits) != 9 or any(atom.kind != _DIGITS for atom in group.atoms):
        return None
    lengths = tuple(len(atom.value) for atom in group.atoms)
    separators = {separator.strip() for separator in group.separators}
    if len(separators) != 1:
        return None
    (separator,) = separators
    span = [(group.start, group.end)]
    if lengths == (3, 2, 4) and separator in ("-", ".", ""):
        if validators.is_us_itin(digits):
            return _Detection(US_ITIN, span)
        if validators.is_us_ssn(digits):
            return _Detection(US_SSN, span)
    if lengths == (2, 7) and separator == "-" and validators.is_us_ein(digits):
        return _Detection(US_EIN, span)
    return None


def _is_expiry(digits: str) -> bool:
    if len(digits) == 3:
        return digits[0] != "0"
    if len(digits) == 4:
        return 1 <= int(digits[:2]) <= 12
    if len(digits) == 5:
        return digits[0] != "0" and digits[1:3] == "20"
    if len(digits) == 6:
        return 1 <= int(digits[:2]) <= 12 and digits[2:4] == "20"
    return False


class _Context:
    """Cue look-ups for one text, computed lazily and only around candidate numbers."""

    def __init__(self, text: str, probe: str) -> None:
        self.text = text
        self.probe = probe
        self._card_context: bool | None = None

    @property
    def card_context(self) -> bool:
        """Whether the call talks about a card at all (a full scan, so only done when asked)."""
        if self._card_context is None:
            self._card_context = _CARD_CONTEXT.search(self.probe) is not None
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
                self.probe, max(0, start - _BANK_CONTEXT_CHARS), min(len(self.probe), end + _BANK_CONTEXT_CHARS)
            )
            is not None
        )

    def mentions_sort_code(self, start: int, end: int) -> bool:
        return "sort code" in self.probe[max(0, start - _BANK_CONTEXT_CHARS) : end + _BANK_CONTEXT_CHARS]


def _classify_by_cue(cue: str, cue_text: str, digits: str, group: _Group, context: _Context) -> str | None:
    """The finding type for a group given one cue, or None if the digits do not fit that cue."""
    length = len(digits)
    has_slash = any("/" in separator or "slash" in separator for separator in group.separators)
    if cue == "expiry":
        return CARD_EXPIRY if _is_expiry(digits) else None
    if has_slash:
        return None  # dates and fractions are only ever expiry dates here
    if cue == "cvv":
        return CARD_CVV if length in (3, 4) else None
    if cue == "pin":
        return PIN if 4 <= length <= 6 else None
    if cue == "routing":
        if length == 9:
            return US_ROUTING_NUMBER
        return US_BANK_ACCOUNT if 4 <= length <= 17 else None
    if cue == "sort":
        if length == 6:
            return UK_SORT_CODE
        return UK_BANK_ACCOUNT if 7 <= length <= 10 else None
    if cue == "account":
        if not 4 <= length <= 17:
            return None
        bank_cue = any(word in cue_text for word in ("bank", "checking", "savings", "current", "chequing"))
        if not bank_cue and not context.has_bank_context(group.start, group.end):
            return None  # a customer account with the business, not a bank account
        if (
            length == 9
            and validators.is_us_routing_number(digits)
            and "routing" in context.probe[max(0, group.start - _BANK_CONTEXT_CHARS) : group.end + _BANK_CONTEXT_CHARS]
        ):
            return US_ROUTING_NUMBER
        if context.mentions_sort_code(group.start, group.end) and 6 <= length <= 10:
            return UK_BANK_ACCOUNT
        return US_BANK_ACCOUNT
    if cue == "ssn":
        if length == 9:
            return US_ITIN if validators.is_us_itin(digits) else US_SSN
        return None
    if cue == "itin":
        return US_ITIN if length == 9 else None
    if cue == "ein":
        return US_EIN if length == 9 else None
    if cue == "utr":
        return UK_UTR if length == 10 else None
    if cue == "tax":
        if length == 9:
            if validators.is_us_itin(digits):
                return US_ITIN
            return US_EIN if validators.is_us_ein(digits) else US_SSN
        return UK_UTR if length == 10 and validators.is_uk_utr(digits) else None
    if cue == "vat":
        return VAT_NUMBER if 8 <= length <= 12 else None
    return None


def _detect_by_context(group: _Group, digits: str, context: _Context, end: int) -> _Detection | None:
    if len(digits) < 3 or len(digits) > 17:
        return None
    start = group.start
    # Negative cues include "ending in" / "last four": "the card ending in 4242" is a reference
    # the business needs, and is kept by design.
    for _, cue, cue_text in context.cues_near(start, end):
        if cue == "negative":
            return None
        finding_type = _classify_by_cue(cue, cue_text, digits, group, context)
        if finding_type is None:
            continue
        span_start = start
        if finding_type == CARD_EXPIRY:
            month = _MONTH_BEFORE.search(context.probe, max(0, start - 16), start)
            if month is not None:
                span_start = month.start()
        return _Detection(finding_type, [(span_start, end)])
    return None


def _detect_month_name_expiry(group: _Group, digits: str, context: _Context) -> _Detection | None:
    """ "December 2027" / "December twenty seven" after an expiry cue."""
    if len(digits) not in (2, 4):
        return None
    month = _MONTH_BEFORE.search(context.probe, max(0, group.start - 16), group.start)
    if month is None:
        return None
    for _, cue, _ in context.cues_near(month.start(), group.end):
        if cue == "negative":
            return None
        if cue == "expiry":
            return _Detection(CARD_EXPIRY, [(month.start(), group.end)])
    return None


def _detect_raw_patterns(text: str, probe: str) -> list[_Detection]:
    detections: list[_Detection] = []
    if "_" in text:
        # Anchored matches at each "_live_" / "_test_" / "whsec_" instead of a scan of the whole
        # text with _SECRET_KEY (a \b at every position is slow). Every key match holds one of
        # these at a fixed offset, and two matches cannot overlap (a key ends at its first "_").
        starts: set[int] = set()
        for marker, offset in (("_live_", 2), ("_test_", 2), ("whsec_", 0)):
            position = text.find(marker)
            while position != -1:
                if position >= offset:
                    starts.add(position - offset)
                position = text.find(marker, position + 1)
        for start in sorted(starts):
            match = _SECRET_KEY.match(text, start)
            if match is not None:
                detections.append(_Detection(SECRET_API_KEY, [(match.start(), match.end())]))
    if "bic" in probe or "swift" in probe:
        for cue in _BIC_CUE.finditer(probe):
            candidate = _BIC_SHAPE.search(text, cue.end(), min(len(text), cue.end() + 60))
            if candidate is not None and validators.is_bic(candidate.group()):
                detections.append(_Detection(BIC, [(candidate.start(), candidate.end())]))
    return detections


def _detect(text: str) -> list[_Detection]:
    probe, probe_bytes = _make_probe(text)
    detections = _detect_raw_patterns(text, probe)
    atoms = _collect_atoms(text, probe, probe_bytes)
    if not atoms:
        return detections
    groups = _build_groups(text, atoms)

    context = _Context(text, probe)
    # Chains share no atoms, so each chain runs its detectors in order (letters, cards, context)
    # on its own; the order across chains does not matter.
    for chain in _build_chains(text, probe, groups):
        first = chain[0]
        if not first.protected and (first.lead or first.trail or first.has_letter_atoms):
            detections.extend(_detect_letter_identifiers(chain))
        elif len(chain) > 1:
            # letters may also start a later group of the chain
            for offset in range(1, len(chain)):
                group = chain[offset]
                if not group.protected and (group.lead or group.has_alnum):
                    detections.extend(_detect_letter_identifiers(chain[offset:]))
                    break
        # Most numbers in a call are a lone "one" or "2": no card (12+ digits) and no context
        # detector (a group of 2+ digits) can fire on them, so skip the detectors outright.
        digit_count = first.digit_count if len(chain) == 1 else sum(group.digit_count for group in chain)
        if digit_count >= validators.CARD_MIN_DIGITS:
            detections.extend(_detect_cards(chain, context))
        if digit_count >= 2:
            detections.extend(_detect_in_chain(chain, context))
    return detections


def _detect_in_chain(chain: list[_Group], context: _Context) -> list[_Detection]:
    """Context detectors over the groups of a chain; a number split over turns is tried whole first."""
    detections: list[_Detection] = []
    index = 0
    while index < len(chain):
        group = chain[index]
        digits = _plain_digits(group)
        # A lone digit can still start a number read over pauses ("one, okay, two three four").
        if digits is None or (len(digits) < 2 and index + 1 == len(chain)):
            index += 1
            continue
        detection = _detect_formatted_tax_ids(group, digits)
        used = 1
        if detection is None:
            # Longest split reading first: "User: 548 659 / Agent: go on / User: 7166 3".
            for count in range(min(_MAX_SPLIT_GROUPS, len(chain) - index), 1, -1):
                parts = [_plain_digits(part) for part in chain[index : index + count]]
                if any(part is None for part in parts):
                    continue
                joined = "".join(part for part in parts if part is not None)
                detection = _detect_by_context(group, joined, context, chain[index + count - 1].end)
                if detection is not None:
                    detection.spans = [(part.start, part.end) for part in chain[index : index + count]]
                    used = count
                    break
        if detection is None:
            detection = _detect_by_context(group, digits, context, group.end)
        if detection is None and len(digits) in (2, 4):
            detection = _detect_month_name_expiry(group, digits, context)
        if detection is not None:
            for claimed in chain[index : index + used]:
                for atom in claimed.atoms:
                    atom.taken = True
            detections.append(detection)
        index += used
    return detections


def _findings_of(detections: list[_Detection]) -> tuple[list[Finding], dict[int, _Detection]]:
    """Sorted, non-overlapping findings, and the detection each came from (by finding index)."""
    pieces = sorted(
        ((start, end, detection) for detection in detections for start, end in detection.spans),
        key=lambda piece: (piece[0], -piece[1]),
    )
    findings: list[Finding] = []
    owners: dict[int, _Detection] = {}
    last_end = -1
    for start, end, detection in pieces:
        if start < last_end:
            continue  # overlaps a finding already kept (only raw patterns can overlap atoms)
        owners[len(findings)] = detection
        findings.append(Finding(detection.type, start, end))
        last_end = end
    return findings, owners


def find_secrets(text: str) -> list[Finding]:
    """Card, bank and tax identifiers in `text`: sorted, non-overlapping spans of the input."""
    findings, _ = _findings_of(_detect(text))
    return findings


def redact_text(text: str) -> RedactedText:
    """Replace every secret with a typed placeholder; cards keep at most their last 4 digits."""
    findings, owners = _findings_of(_detect(text))
    if not findings:
        return RedactedText(text, [], {}, False)
    parts: list[str] = []
    cursor = 0
    last_piece_of: dict[int, int] = {id(detection): index for index, detection in owners.items()}
    for index, finding in enumerate(findings):
        parts.append(text[cursor : finding.start])
        detection = owners[index]
        if finding.type == CARD_NUMBER and last_piece_of[id(detection)] == index and detection.card_digits:
            # Only the last piece of a card split over turns shows the last four digits.
            parts.append(f"[CARD ****{detection.card_digits[-4:]}]")
        else:
            parts.append(PLACEHOLDERS[finding.type])
        cursor = finding.end
    parts.append(text[cursor:])
    kept_detections = {id(detection): detection for detection in owners.values()}
    counts = Counter(detection.type for detection in kept_detections.values())
    return RedactedText(
        "".join(parts),
        findings,
        dict(sorted(counts.items())),
        any(finding_type in PAYMENT_DETAIL_TYPES for finding_type in counts),
    )
