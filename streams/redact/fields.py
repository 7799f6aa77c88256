"""Field names as cues: `"routingNumber": "021000021"`, `bank.acct_no: 00123456`, `cc_cvv=123`.

Call records and tool output written as JSON or `key: value` lines often carry no sentence at all:
the key is the only hint. A key is split into words (snake_case, camelCase, dotted, kebab-case,
all-lower compounds such as "routingnumber"), abbreviations are expanded ("acct" -> account,
"no"/"num"/"nbr" -> number, "cc" -> card, "rtn"/"aba" -> routing ...), and the words are matched
against the same cue vocabulary as sentences (cues.py). The result is one *field cue* for a value:

- a secret type family ("routing", "account", "cvv", "card", ...): the value is a secret of that
  kind whatever the length rules for prose say (detectors/context.py decides the finding type);
- "negative" ("phone", "invoice_number", "card_last4", "customer_account_no", "created_at"): the
  value is a reference the business needs and is kept (a checksum-valid card is still removed: the
  card detector never asks for a cue);
- None: the key says nothing (or holds prose: "text", "summary", "notes"), prose cues apply.

Only a value that starts right after the key (quotes, `:` or `=` and spaces between) is looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from streams.redact.cues import match_cues

# The key right before a value: `"key": "`, `key: `, `key=`, `'key' : '`. Ends at the value.
_KEY_BEFORE = re.compile(r"""([A-Za-z_][A-Za-z0-9_.\-]{0,60})["']?[ \t]*[:=][ \t]*[\["']?[ \t]*[(+]?\Z""")
_KEY_LOOKBACK = 72
# `{"field": "routing_number", "value": "021000021"}`: the value's name is in a sibling key.
_SIBLING_NAME = re.compile(
    r"""["']?(?:field|name|key|label|type|attribute)["']?[ \t]*[:=][ \t]*["']([A-Za-z_][A-Za-z0-9_. \-]{0,60})["']"""
)
_SIBLING_LOOKBACK = 120
_VALUE_KEYS = frozenset({"value", "val", "data"})
# Keys whose value is prose (a turn, a summary): the sentences in it carry their own cues.
_PROSE_KEYS = frozenset(
    {
        "text",
        "content",
        "message",
        "msg",
        "utterance",
        "transcript",
        "answer",
        "response",
        "reply",
        "note",
        "notes",
        "summary",
        "description",
        "comment",
        "comments",
        "body",
        "output",
        "result",
        "input",
        "query",
        "question",
        "user",
        "agent",
        "caller",
        "customer",
        "assistant",
        "bot",
        "rep",
        "speaker",
    }
)

_CAMEL_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_CAMEL_INNER = re.compile(r"[a-z0-9][A-Z]")

# Abbreviations seen in field names, as the words of the cue vocabulary they stand for.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "acct": ("account",),
    "acc": ("account",),
    "accnt": ("account",),
    "acnt": ("account",),
    "account": ("account",),
    "num": ("number",),
    "no": ("number",),
    "nbr": ("number",),
    "nr": ("number",),
    "nmbr": ("number",),
    "numb": ("number",),
    "cc": ("card",),
    "pan": ("card", "number"),
    "rtn": ("routing",),
    "aba": ("routing",),
    "routing": ("routing",),
    "rout": ("routing",),
    "transit": ("routing",),
    "sec": ("security",),
    "secure": ("security",),
    "exp": ("expiry",),
    "expy": ("expiry",),
    "expiry": ("expiry",),
    "expiration": ("expiry",),
    "expires": ("expiry",),
    "expire": ("expiry",),
    "cvv": ("cvv",),
    "cvc": ("cvv",),
    "cvn": ("cvv",),
    "cvv2": ("cvv",),
    "cvc2": ("cvv",),
    "cv2": ("cvv",),
    "csc": ("cvv",),
    "cid": ("cvv",),
    "sortcode": ("sort", "code"),
    "sc": ("sort", "code"),
    "ssn": ("ssn",),
    "sin": ("ssn",),
    "soc": ("social",),
    "tin": ("tin",),
    "taxid": ("tax", "id"),
    "ein": ("ein",),
    "fein": ("ein",),
    "itin": ("itin",),
    "utr": ("utr",),
    "vat": ("vat",),
    "iban": ("iban",),
    "bic": ("bic",),
    "swift": ("swift",),
    "pin": ("pin",),
    "chk": ("checking",),
    "dda": ("bank", "account"),  # demand deposit account
    "chq": ("chequing",),
    "ph": ("phone",),
    "tel": ("phone",),
    "mob": ("mobile",),
    "inv": ("invoice",),
    "ord": ("order",),
    "ref": ("reference",),
    "conf": ("confirmation",),
    "qty": ("quantity",),
    "cnt": ("count",),
    "dob": ("birth", "date"),
    "yr": ("year",),
    "mo": ("month",),
    "mm": ("month",),
    "yy": ("year",),
    "yyyy": ("year",),
}
# Words an all-lower compound key ("routingnumber", "bankacctno") is segmented into.
_SEGMENT_VOCABULARY = frozenset(
    {
        *_ABBREVIATIONS,
        "bank",
        "card",
        "credit",
        "debit",
        "number",
        "code",
        "security",
        "verification",
        "value",
        "sort",
        "social",
        "tax",
        "taxpayer",
        "id",
        "employer",
        "identification",
        "checking",
        "savings",
        "holder",
        "last",
        "four",
        "month",
        "year",
        "date",
        "phone",
        "mobile",
        "invoice",
        "order",
        "customer",
        "member",
        "payment",
        "method",
        "insurance",
        "national",
        "reference",
        "unique",
        "billing",
        "self",
        "assessment",
        "uk",
        "us",
        "type",
        "name",
        "status",
    }
)

# Key words that make a value a reference or a count, never a secret, even next to a secret word:
# "card_last4", "cardLastFour", "bank_phone", "routing_ref", "card_id", "exp_date_created".
_STRONG_NEGATIVE_WORDS = frozenset(
    {
        "last",
        "last4",
        "ending",
        "ends",
        "masked",
        "mask",
        "hint",
        "suffix",
        "fingerprint",
        "token",
        "phone",
        "mobile",
        "telephone",
        "cell",
        "fax",
        "invoice",
        "order",
        "ticket",
        "tracking",
        "reference",
        "case",
        "confirmation",
        "zip",
        "postcode",
        "postal",
        "receipt",
        "quote",
        "policy",
        "subscription",
        "created",
        "updated",
        "timestamp",
        "time",
        "duration",
        "count",
        "quantity",
        "seats",
        "users",
        "minutes",
        "calls",
        "sms",
        "amount",
        "balance",
        "total",
        "price",
        "fee",
        "cost",
        "brand",
        "type",
        "name",
        "holder",
        "status",
        "country",
        "currency",
        "funding",
        "network",
        "issuer",
        "bin",
        "attempts",
        "retries",
        "version",
        "birth",
        "dob",
    }
)
# "id" ends many reference keys (card_id, account_id) but also "tax_id", "taxpayer_id".
_ID_WORDS = frozenset({"id", "ids", "uuid", "guid", "key"})
_ID_CUE_TYPES = frozenset({"tax", "ein", "itin", "ssn", "utr", "vat"})
# An account with the business, not with a bank: "customer_account_number", "member_acct".
_BUSINESS_WORDS = frozenset({"customer", "member", "client", "user", "billing", "crm", "portal", "login"})
_BANK_WORDS = frozenset({"bank", "routing", "checking", "savings", "chequing", "iban", "ach", "sort", "current"})
# Card words a key uses for the PAN itself ("card_number", "cc_num", "pan", "creditCard").
_CARD_KEY_PHRASES = ("card number", "card", "credit card", "debit card")


_FIELD_ONLY_CUES = {
    "account": "account",
    "sort": "sort",
    "security": "cvv",
    "verification": "cvv",
    "expiration": "expiry",
}


@dataclass(frozen=True, slots=True)
class FieldCue:
    cue: str  # a cue type of cues.py, "card", or "negative"
    words: tuple[str, ...]


def _segment(word: str) -> list[str]:
    """An all-lower compound split into vocabulary words ("routingnumber" -> routing, number)."""
    if word in _SEGMENT_VOCABULARY or len(word) <= 3:
        return [word]
    size = len(word)
    best: list[list[str] | None] = [None] * (size + 1)
    best[0] = []
    for end in range(1, size + 1):
        for begin in range(max(0, end - 14), end):
            prefix = best[begin]
            if prefix is not None and word[begin:end] in _SEGMENT_VOCABULARY:
                candidate = [*prefix, word[begin:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[size] or [word]


def key_words(key: str) -> tuple[str, ...]:
    """The words of a field name, abbreviations expanded."""
    words: list[str] = []
    for part in _CAMEL_WORDS.findall(key):
        lower = part.lower()
        pieces = [lower] if part.isdigit() or not part.islower() or len(part) <= 4 else _segment(lower)
        for piece in pieces:
            words.extend(_ABBREVIATIONS.get(piece, (piece,)))
    # "last" + "4" / "four" is one idea
    return tuple(words)


@lru_cache(maxsize=4096)
def classify_key(key: str) -> FieldCue | None:
    """The cue a field name gives its value (see the module docstring)."""
    words = key_words(key)
    if not words:
        return None
    word_set = set(words)
    if len(words) == 1 and words[0] in _PROSE_KEYS:
        return None
    if "last" in word_set and (word_set & {"4", "four", "digits"}):
        return FieldCue("negative", words)
    cues = [cue for cue in match_cues(list(words)) if cue[1] != "negative"]
    if not cues:
        # Single words that are cues in a field name but too vague in a sentence.
        for index, word in enumerate(words):
            if word in _FIELD_ONLY_CUES:
                cues = [(index, _FIELD_ONLY_CUES[word], word)]
    secret = cues[-1] if cues else None  # the head noun of an English compound comes last
    card_key = any(phrase in " ".join(words) for phrase in _CARD_KEY_PHRASES)
    if secret is None and card_key and not (word_set & _STRONG_NEGATIVE_WORDS) and not (word_set & _ID_WORDS):
        # "card_number", "cc_num", "pan", "creditCard": the PAN itself
        return FieldCue("card", words)
    if secret is None:
        if word_set & (_STRONG_NEGATIVE_WORDS | _ID_WORDS | _BUSINESS_WORDS) or match_cues(list(words)):
            return FieldCue("negative", words)
        return None
    cue_type = secret[1]
    # Words of the secret cue itself are not negatives ("tax reference" is a UTR cue).
    other_words = word_set - set(secret[2].split())
    if other_words & _STRONG_NEGATIVE_WORDS:
        return FieldCue("negative", words)
    if other_words & _ID_WORDS and cue_type not in _ID_CUE_TYPES:
        return FieldCue("negative", words)
    if cue_type == "account" and word_set & _BUSINESS_WORDS and not word_set & _BANK_WORDS:
        return FieldCue("negative", words)
    return FieldCue(cue_type, words)


def _key_cue_of(key: str, text: str, key_start: int) -> FieldCue | None:
    words = key_words(key)
    if len(words) == 1 and words[0] in _VALUE_KEYS:
        window = text[max(0, key_start - _SIBLING_LOOKBACK) : key_start]
        siblings = _SIBLING_NAME.findall(window)
        return classify_key(siblings[-1].replace(" ", "_")) if siblings else None
    return classify_key(key)


def field_cue_before(text: str, start: int) -> tuple[bool, FieldCue | None]:
    """(is the value of a key, the key's cue) for a value starting at `start`.

    A value after a key that says nothing returns (True, None): prose cues from *other* fields
    must not reach it ("cvv": "123", "plan": "4500" - the plan is no CVV).
    """
    # Cheap test first: the character before the value (past quotes and spaces) is ':' or '='.
    position = start - 1
    while position >= 0 and text[position] in " \t\"'(+[":
        position -= 1
    if position < 1 or text[position] not in ":=":
        return False, None
    window_start = max(0, start - _KEY_LOOKBACK)
    match = _KEY_BEFORE.search(text, window_start, start)
    if match is None:
        return False, None
    key = match.group(1).strip("._-")
    key_start = match.start(1)
    if not key:
        return False, None
    quoted = text[key_start - 1 : key_start] in ('"', "'")
    field_like = quoted or any(char in key for char in "_.-") or _CAMEL_INNER.search(key) is not None
    if not field_like:
        # A plain word before a colon: a field only at the start of a line or after a separator
        # ("..., exp: 08/29"), and never a capitalised word at a line start (a speaker label:
        # "User:", "Ava:", "Customer:" - whose turn carries its own cues).
        before = text[max(0, key_start - 3) : key_start].rstrip(" \t")
        at_line_start = before == "" or before[-1:] in "\n{[,;|(*-"
        if not at_line_start:
            return False, None
        if text[position] == ":" and key[:1].isupper() and classify_key(key) is None:
            return False, None
    words = key_words(key)
    if len(words) == 1 and words[0] in _PROSE_KEYS:
        return False, None
    return True, _key_cue_of(key, text, key_start)
