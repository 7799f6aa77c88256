"""Detection and redaction of card, bank and tax data in call transcripts.

How a text is scanned, cheapest step first:

1. Lines without a digit or a number word are skipped after one C-level set test, so ordinary talk
   costs almost nothing (the throughput target is tens of MB/s in pure Python).
2. On the remaining lines, words become *atoms*: digit strings, digit-bearing words ("GB82") and
   spoken numbers ("double four" -> "44"), each with its character span.
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

import re
from collections import Counter
from dataclasses import dataclass, field

from streams.redact import validators
from streams.redact.spoken import NUMBER_WORDS, SpokenWord, normalise_spoken

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
    separators: list[str] = field(default_factory=list)  # gap text between consecutive atoms
    protected: bool = False  # an amount or a reference like INV-1234: never a secret
    # Upper-case letter blocks just before / after the group ("GB 82...", "... 56 C"). Kept apart
    # because they are often cue words ("EIN 12-3456789") that must not hide the digits.
    lead: list[_Atom] = field(default_factory=list)
    trail: list[_Atom] = field(default_factory=list)

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


@dataclass(slots=True)
class _Detection:
    type: str
    spans: list[tuple[int, int]]
    card_digits: str = ""


# Lower-cases ASCII letters and turns punctuation into spaces in one pass while keeping every
# character in place, so offsets in this "probe" text are offsets in the input. (str.lower() is
# not used: it can change the length of non-ASCII text.)
_PROBE_TABLE = str.maketrans(
    {
        **{chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)},
        **dict.fromkeys(",.;:!?\"()[]{}-\u2013\u2014/\\+$\u00a3\u20ac%*&'#<>=|~`\u2019", " "),
    }
)
_DIGIT_RUN = re.compile(r"[0-9]+")
_ALPHA_WORD = re.compile(r"[a-z]+")
# Every number word starts with one of these (e.g. "six" also finds "sixteen" and "sixty").
_NUMBER_WORD_ROOTS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "zero",
    "oh",
    "nought",
    "nil",
    "ten",
    "eleven",
    "twelve",
    "thirt",
    "fift",
    "twent",
    "forty",
    "hundred",
    "double",
    "triple",
    "treble",
)

_JOIN_GAP = re.compile(r"[ \t]*(?:[-.,/\u2013]|\.\.\.|slash)?[ \t]*")
_LETTER_GAP = re.compile(r"[ \t.,-]+(?:[A-Z]{1,4}[ \t.,-]+)+")
_LETTER_BLOCK = re.compile(r"[A-Z]{1,4}")
_MAX_LETTER_GAP = 24
_CUE_ACRONYMS = frozenset(
    {"CVV", "CVC", "CV", "CID", "CSC", "PIN", "SSN", "IBAN", "BIC", "EIN", "UTR", "VAT", "ITIN", "NINO", "ABA", "NI"}
)
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


def _collect_atoms(text: str, probe: str) -> list[_Atom]:
    """Digit-bearing words and spoken numbers, in text order.

    Everything here is driven by C-level scans (a digit regex, str.find for a few word roots), so
    text without numbers costs almost nothing; Python only runs for actual hits.
    """
    atoms: list[_Atom] = []
    size = len(probe)
    word_end = -1
    for match in _DIGIT_RUN.finditer(probe):
        run_start = match.start()
        if run_start < word_end:
            continue  # another digit run of a word already taken ("a1b2")
        start = run_start
        word_end = match.end()
        # Usually the run is a whole word; only walk out to the word's edges when it is not.
        if start > 0 and not probe[start - 1].isspace():
            while start > 0 and not probe[start - 1].isspace():
                start -= 1
        if word_end < size and not probe[word_end].isspace():
            while word_end < size and not probe[word_end].isspace():
                word_end += 1
        word = probe[start:word_end]
        if "_" in word or "@" in word:
            continue  # ids such as pi_3Mtw... and e-mail addresses are never numbers to join
        if start == run_start and word_end == match.end():
            atoms.append(_Atom(start, word_end, word, _DIGITS))
        else:
            atoms.append(_Atom(start, word_end, text[start:word_end].upper(), _ALNUM))
    spoken_words: list[SpokenWord] = []
    for root in _NUMBER_WORD_ROOTS:
        position = probe.find(root)
        while position != -1:
            if position == 0 or probe[position - 1].isspace():
                word_match = _ALPHA_WORD.match(probe, position)
                if word_match is not None:
                    end = word_match.end()
                    word = word_match.group()
                    if word in NUMBER_WORDS and (end == size or probe[end].isspace()):
                        spoken_words.append(SpokenWord(position, end, word))
            position = probe.find(root, position + 1)
    if spoken_words:
        spoken_words.sort(key=lambda spoken: spoken.start)
        atoms.extend(
            _Atom(number.start, number.end, number.digits, _SPOKEN) for number in normalise_spoken(spoken_words, text)
        )
        atoms.sort(key=lambda atom: atom.start)
    return atoms


def _letter_atoms(text: str, start: int, end: int) -> list[_Atom]:
    return [
        _Atom(match.start(), match.end(), match.group(), _LETTERS) for match in _LETTER_BLOCK.finditer(text, start, end)
    ]


def _build_groups(text: str, atoms: list[_Atom]) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    for atom in atoms:
        if current is not None:
            previous_end = current.atoms[-1].end
            if _JOIN_GAP.fullmatch(text, previous_end, atom.start):
                current.separators.append(text[previous_end : atom.start])
                current.atoms.append(atom)
                continue
            if atom.start - previous_end <= _MAX_LETTER_GAP and _LETTER_GAP.fullmatch(text, previous_end, atom.start):
                letters = _letter_atoms(text, previous_end, atom.start)
                if any(block.value in _CUE_ACRONYMS for block in letters):
                    # "..., CVV 123": a cue word between numbers, not part of an IBAN.
                    groups.append(current)
                    current = _Group([atom])
                    continue
                for block in letters:
                    current.separators.append(" ")
                    current.atoms.append(block)
                current.separators.append(" ")
                current.atoms.append(atom)
                continue
            groups.append(current)
        current = _Group([atom])
    if current is not None:
        groups.append(current)
    for group in groups:
        _attach_letters_and_protect(text, group)
    return groups


def _attach_letters_and_protect(text: str, group: _Group) -> None:
    first = group.atoms[0]
    window_start = max(0, first.start - 18)
    if first.kind == _DIGITS and _REFERENCE_PREFIX.search(text, window_start, first.start):
        group.protected = True
        return
    if _CURRENCY_BEFORE.search(text, max(0, first.start - 5), first.start) or _CURRENCY_AFTER.match(text, group.end):
        group.protected = True
        return
    lead = _LEAD_LETTERS.search(text, window_start, first.start)
    if lead is not None:
        group.lead = _letter_atoms(text, lead.start(), first.start)
    trail = _TRAIL_LETTERS.match(text, group.end)
    if trail is not None:
        group.trail = _letter_atoms(text, trail.start(), trail.end())


def _is_filler_bridge(text: str, start: int, end: int) -> bool:
    if end - start > _MAX_BRIDGE_CHARS:
        return False
    bridge = text[start:end]
    if bridge.count("\n") > _MAX_BRIDGE_TURNS:
        return False
    words = _SPEAKER_LABEL.sub(" ", bridge).translate(_PROBE_TABLE).split()
    return len(words) <= _MAX_BRIDGE_WORDS and all(word in _FILLER_WORDS for word in words)


def _build_chains(text: str, groups: list[_Group]) -> list[list[_Group]]:
    chains: list[list[_Group]] = []
    for group in groups:
        if (
            chains
            and not group.protected
            and not chains[-1][-1].protected
            and _is_filler_bridge(text, chains[-1][-1].outer_end, group.outer_start)
        ):
            chains[-1].append(group)
            continue
        chains.append([group])
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
            if atom.kind in (_ALNUM, _LETTERS) or atom.taken or group.protected:
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


def _detect_cards(chain: list[_Group], card_context: bool) -> list[_Detection]:
    detections: list[_Detection] = []
    for stream in _card_streams(chain):
        index = 0
        count = len(stream)
        while index < count:
            _atom, first_group, may_start = stream[index]
            if not may_start:
                index += 1
                continue
            best: tuple[tuple[bool, bool, int], int, str] | None = None
            digits = ""
            for end_index in range(index, count):
                end_atom, end_group, _ = stream[end_index]
                digits += end_atom.value
                if len(digits) > validators.CARD_MAX_DIGITS:
                    break
                if end_group != first_group and not card_context:
                    break
                if len(digits) >= validators.CARD_MIN_DIGITS and validators.is_card_number(digits):
                    ends_group = end_index + 1 == count or stream[end_index + 1][1] != end_group
                    # A span that ends where the caller paused first (a 16-digit prefix of a
                    # 19-digit card can pass Luhn too), then the common PAN lengths.
                    rank = (ends_group, len(digits) in (15, 16), _CARD_LENGTH_PREFERENCE[len(digits)])
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

    def __init__(self, probe: str) -> None:
        self.probe = probe

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
        index = len(before) - 1
        distance = 0
        while index >= 0:
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
                cue_type = _CUE_PHRASES.get((before[index],))
            if cue_type is not None:
                cues.append((distance, cue_type, " ".join(before[index - size + 1 : index + 1])))
            index -= size
            distance += size
        index = 0
        distance = _CUE_AFTER_PENALTY
        count = len(after)
        while index < count:
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
                cue_type = _CUE_PHRASES.get((after[index],))
            if cue_type is not None:
                cues.append((distance, cue_type, " ".join(after[index : index + size])))
            index += size
            distance += size
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
    if "_live_" in text or "_test_" in text or "whsec_" in text:
        detections.extend(
            _Detection(SECRET_API_KEY, [(match.start(), match.end())]) for match in _SECRET_KEY.finditer(text)
        )
    if "bic" in probe or "swift" in probe:
        for cue in _BIC_CUE.finditer(probe):
            candidate = _BIC_SHAPE.search(text, cue.end(), min(len(text), cue.end() + 60))
            if candidate is not None and validators.is_bic(candidate.group()):
                detections.append(_Detection(BIC, [(candidate.start(), candidate.end())]))
    return detections


def _detect(text: str) -> list[_Detection]:
    probe = text.translate(_PROBE_TABLE)
    detections = _detect_raw_patterns(text, probe)
    atoms = _collect_atoms(text, probe)
    if not atoms:
        return detections
    groups = _build_groups(text, atoms)

    chains = _build_chains(text, groups)
    for chain in chains:
        first = chain[0]
        if not first.protected and (
            first.lead or first.trail or any(atom.kind in (_ALNUM, _LETTERS) for atom in first.atoms)
        ):
            detections.extend(_detect_letter_identifiers(chain))
        elif len(chain) > 1:
            # letters may also start a later group of the chain
            for offset in range(1, len(chain)):
                group = chain[offset]
                if not group.protected and (group.lead or any(atom.kind == _ALNUM for atom in group.atoms)):
                    detections.extend(_detect_letter_identifiers(chain[offset:]))
                    break

    card_context = _CARD_CONTEXT.search(probe) is not None
    for chain in chains:
        detections.extend(_detect_cards(chain, card_context))

    context = _Context(probe)
    for chain in chains:
        detections.extend(_detect_in_chain(chain, context))
    return detections


def _detect_in_chain(chain: list[_Group], context: _Context) -> list[_Detection]:
    """Context detectors over the groups of a chain; a number split over turns is tried whole first."""
    detections: list[_Detection] = []
    index = 0
    while index < len(chain):
        group = chain[index]
        digits = _plain_digits(group)
        if digits is None or len(digits) < 2:
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
