"""Bank family: BIC/SWIFT codes after their cue, and routing numbers, bank account numbers and sort
codes next to a cue. (IBANs carry letters and are found in detectors/letters.py.)"""

from __future__ import annotations

import re

from streams.redact import validators
from streams.redact.context import Context
from streams.redact.cues import BANK_CONTEXT_CHARS, CUE_BEFORE_CHARS, MONTH_NAME_BEFORE
from streams.redact.findings import (
    BIC,
    UK_BANK_ACCOUNT,
    UK_SORT_CODE,
    US_BANK_ACCOUNT,
    US_ROUTING_NUMBER,
    Detection,
)
from streams.redact.groups import Group
from streams.redact.spoken import DIGIT_WORDS

# "bic", "swift", "swift code", "BIC/SWIFT", also inside field names ("swiftCode", "bank_bic").
_BIC_CUE = re.compile(r"(?:bic|swift)")
_BIC_WINDOW = 160  # the answer may be the next turn ("And the SWIFT code?" / "User: DEUTDEFF")
# Candidate tokens after the cue: a code written compact ("DEUTDEFF", "deutdeff") or in blocks
# ("DEUT DE FF", "D E U T D E F F", "deut-de-ff-xxx").
_BIC_TOKEN = re.compile(r"[A-Za-z0-9]+")
# How people write a BIC in blocks (bank, country, location, branch); anything else is words.
_BIC_BLOCKS = frozenset({(4, 2, 2), (4, 2, 2, 3), (4, 4), (4, 4, 3), (6, 2), (6, 2, 3), (4, 2, 5), (4, 7)})
_BIC_JOIN = re.compile(r"[ \t.-]{1,2}")
_BIC_STOP_WORDS = frozenset(
    {"bic", "swift", "code", "codes", "is", "its", "it", "the", "of", "for", "bank", "our", "my", "their", "and",
     "number", "please", "sure", "yes", "okay", "ok", "that", "s", "user", "agent", "customer", "caller", "um", "uh"}
)  # fmt: skip


def _bic_at(text: str, tokens: list[re.Match[str]], index: int) -> tuple[int, int] | None:
    """The span of a valid BIC starting at token `index` (compact or in blocks, digits possibly
    spoken: "N W B K G B two L"), if any; an 11-character reading is preferred to its 8-character head."""
    first = tokens[index]
    value = first.group()
    if len(value) in (8, 11) and (value.isupper() or value.islower()) and validators.is_bic(value.upper()):
        return first.start(), first.end()
    if len(value) > 4:
        return None
    compact = ""
    lengths: list[int] = []
    end = first.start()
    best: tuple[int, int] | None = None
    for token in tokens[index : index + 12]:
        if compact and not _BIC_JOIN.fullmatch(text, end, token.start()):
            break
        word = token.group()
        piece = DIGIT_WORDS.get(word.lower(), word)
        if len(piece) > 4:
            break
        compact += piece
        lengths.append(len(piece))
        end = token.end()
        shape_ok = tuple(lengths) in _BIC_BLOCKS or all(length == 1 for length in lengths)
        if shape_ok and len(compact) in (8, 11) and validators.is_bic(compact.upper()):
            best = (first.start(), end)
        if len(compact) >= 11:
            break
    return best


def detect_bic(text: str, probe: str) -> list[Detection]:
    detections: list[Detection] = []
    if "bic" not in probe and "swift" not in probe:
        return detections
    claimed_until = 0
    for cue in _BIC_CUE.finditer(probe):
        window_end = min(len(text), cue.end() + _BIC_WINDOW)
        # skip the rest of the cue word ("swiftCode", "bic_code")
        start = cue.end()
        while start < window_end and (text[start].isalnum() or text[start] == "_"):
            start += 1
        tokens = list(_BIC_TOKEN.finditer(text, start, window_end))
        first_candidate = True
        for index, token in enumerate(tokens):
            if token.start() < claimed_until:
                continue
            if token.group().lower() in _BIC_STOP_WORDS:
                continue
            word = token.group()
            if not first_candidate and len(word) in (8, 11) and word.islower() and word.isalpha():
                continue  # a lower-case word further on is talk ("... on the business card")
            first_candidate = False
            span = _bic_at(text, tokens, index)
            if span is not None:
                detections.append(Detection(BIC, [span]))
                claimed_until = span[1]
                break
    return detections


CUE_TYPES = ("routing", "sort", "account")

_MONTH_AFTER = re.compile(r"[ \t]*(?:of[ \t]+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def _date_like(digits: str, group: Group, context: Context) -> bool:
    """A number in bank talk that is part of a date or a year ("taken on March 15, 2025", "set up
    in 2019", "14 March 2025"): never an account, whatever account word is near it. Bank accounts
    read in prose are not 4-digit years, and no account number is said next to a month name."""
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return True
    probe = context.probe
    if MONTH_NAME_BEFORE.search(probe, max(0, group.start - 16), group.start) is not None:
        return True
    return _MONTH_AFTER.match(probe, group.end) is not None


# "The account number is 4567 8901 2" with no bank word in the call: fail closed on the long ones.
_MIN_BARE_ACCOUNT_DIGITS = 8
# The account is the customer's with the business: "your account number with us", "on our
# system", "your login", "billing account".
_BUSINESS_ACCOUNT = re.compile(
    r"\b(?:with us|on our (?:side|system|end)|our system|login|log in|portal|user ?name|billing account"
    r"|customer account|account id)\b"
)
_NUMBER_WORDS = ("number", "no", "num", "acct")
# "Account #", "acct#": the number sign is "number".
_ACCOUNT_HASH = re.compile(r"(?i:account|acct|acc)[ \t]*#")
# "account" said alone names the thing, not its number.
_BARE_ACCOUNT_WORDS = frozenset({"account", "a c", "account details", "bank details"})
_ACCOUNT_NUMBER_PHRASES = frozenset(
    {"account number", "account no", "account num", "acct", "acc no", "acc num", "acc number", "a c", "a c no"}
)


def classify_by_cue(cue: str, cue_text: str, digits: str, group: Group, context: Context) -> str | None:
    length = len(digits)
    if length != 9 and _date_like(digits, group, context):
        return None
    if cue == "routing":
        if length == 9:
            return US_ROUTING_NUMBER
        if group.phone_shaped:
            return None  # "Routing questions go to our payments team on 415-555-0132."
        # "routing and account number: ..." - but a "routing" said in an earlier turn does not make
        # every later number an account (context.py passes the cue text with a "|earlier" mark).
        if cue_text.endswith("|earlier"):
            return None
        return US_BANK_ACCOUNT if 4 <= length <= 17 else None
    if cue == "sort":
        if length == 6:
            return UK_SORT_CODE
        return UK_BANK_ACCOUNT if 7 <= length <= 10 else None
    if cue == "account":
        if not 4 <= length <= 17:
            return None
        phrase = cue_text.split("|")[0]
        if phrase == "account" and _ACCOUNT_HASH.search(context.text, max(0, group.start - 24), group.start):
            phrase = cue_text = "account number"  # "Account #: 48291045773", "acct# ..."
        if group.phone_shaped and (
            phrase in _BARE_ACCOUNT_WORDS or (cue_text.endswith("|earlier") and not phrase.endswith(_NUMBER_WORDS))
        ):
            # "we'll update the account with 020 7946 0958", "What number is on the account?" /
            # "415-555-0132": written like a phone number, it is one unless its own turn says
            # "account number".
            return None
        bank_cue = any(word in cue_text for word in ("bank", "checking", "savings", "current", "chequing"))
        if (
            not bank_cue
            and not context.has_bank_context(group.start, group.end)
            and not (
                length >= _MIN_BARE_ACCOUNT_DIGITS
                and cue_text.split("|")[0] in _ACCOUNT_NUMBER_PHRASES
                and _BUSINESS_ACCOUNT.search(context.probe, max(0, group.start - CUE_BEFORE_CHARS), group.start) is None
            )
        ):
            return None  # a customer account with the business, not a bank account
        if (
            length == 9
            and validators.is_us_routing_number(digits)
            and "routing" in context.probe[max(0, group.start - BANK_CONTEXT_CHARS) : group.end + BANK_CONTEXT_CHARS]
        ):
            return US_ROUTING_NUMBER
        if context.mentions_sort_code(group.start, group.end) and 6 <= length <= 10:
            return UK_BANK_ACCOUNT
        return US_BANK_ACCOUNT
    return None


FIELD_CUE_TYPES = ("routing", "sort", "account")


def classify_field(cue: str, words: tuple[str, ...], digits: str, context: Context, group: Group) -> str | None:
    """A value under a bank field name: the name says what it is, lengths are only sanity bounds."""
    length = len(digits)
    if not 4 <= length <= 34:
        return None
    if cue == "routing":
        return US_ROUTING_NUMBER if length == 9 else US_BANK_ACCOUNT
    if cue == "sort":
        return UK_SORT_CODE if length == 6 else UK_BANK_ACCOUNT
    uk = "sort" in words or "uk" in words or context.mentions_sort_code(group.start, group.end)
    return UK_BANK_ACCOUNT if uk and 6 <= length <= 10 else US_BANK_ACCOUNT
