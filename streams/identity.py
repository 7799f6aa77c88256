"""Who is calling: every identifier a call carries, and an identifier -> customer index built from vendor data.

Pure functions over plain values; the enrichment agents (agent_enrich.py) move calls and index
updates between partitions. A call carries some of: an email in the post-call analysis, an email the
caller spelled out ("j dot smith at example dot com"), the number it came from (with or without +,
national or E.164), an account id, an invoice number, a Stripe charge / payment intent /
subscription / customer id, a company name. Vendor data says which customer each of these belongs
to; the index keys every such identifier as ``<kind>:<normalised value>`` and remembers, per vendor
object that named it (``stripe:<customer id>``, ``hubspot:<contact id>``), the customer's Stripe id
and email.

Identifiers are tried from the most to the least confident (policy `[identity.confidence]`); the
first that names a customer wins, and the enriched call says which kind matched and how sure the
match is. An identifier naming several customers (a shared office line, a common company name) is
a match of the policy's `ambiguous_confidence`, which sends the call's actions to review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import phonenumbers
import pycountry

from schemas.models import CallEvent
from streams.enrich import HUBSPOT_COUNTRY_PROPERTIES, PHONE_PROPERTY
from streams.policy import Policy

State = dict[str, Any]

# Kinds that resolve through the email directory rather than the identifier index.
EMAIL_KINDS = frozenset({"email", "spoken_email"})
_AGENT_SPEAKERS = frozenset({"agent", "assistant", "bot", "ai", "system", "dialnexa"})
_EMAIL = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+$")
_ID_PATTERNS: dict[str, re.Pattern[str]] = {
    "payment_id": re.compile(r"\b(?:ch|py|pi)_[A-Za-z0-9]{6,}\b"),
    "subscription_id": re.compile(r"\bsub_[A-Za-z0-9]{6,}\b"),
    "stripe_customer_id": re.compile(r"\bcus_[A-Za-z0-9]{6,}\b"),
    # Stripe invoice numbers (prefix-sequence, e.g. 8D2F1A3B-0007) and the common INV-2024-0012 style.
    # Account numbers read out ("account AC-204518").
    "account_id": re.compile(r"\b[A-Z]{2,3}-\d{5,8}\b"),
    "invoice_number": re.compile(r"\b(?:[A-Z0-9]{4,12}-\d{3,6}|INV[-\s]?\d[\d-]{2,12}\d)\b"),
}
# Readings of one caller number looked up (a bare run of digits may be national or international).
PHONE_READINGS_KEPT = 2
_LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "co",
     "corp", "corporation", "company", "pty", "srl", "spa", "oy", "ab", "as", "kg", "the"}
)  # fmt: skip


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str  # normalised
    confidence: float

    @property
    def key(self) -> str:
        return index_key(self.kind, self.value)


@dataclass(frozen=True)
class Resolution:
    stripe_customer_id: str | None
    email: str | None
    candidates: int  # distinct customers the identifier names
    others: tuple[str, ...] = ()  # ids ("s:<stripe id>", "e:<email>") of every customer it names


@dataclass(frozen=True)
class Candidate:
    """A customer one identifier of the call names (carried on the call between hops as text)."""

    kind: str
    stripe_customer_id: str | None
    email: str | None
    customers: int  # how many customers the identifier names
    ids: tuple[str, ...]  # "s:<stripe id>" / "e:<email>" of all of them

    def own_ids(self) -> set[str]:
        own = {f"s:{self.stripe_customer_id}"} if self.stripe_customer_id else set()
        return own | ({f"e:{self.email}"} if self.email else set())

    def text(self) -> str:
        return "\t".join([self.kind, self.stripe_customer_id or "", self.email or "", str(self.customers),
                          ",".join(self.ids)])  # fmt: skip

    @classmethod
    def parse(cls, text: str) -> Candidate:
        kind, stripe_id, email, customers, id_list = [*text.split("\t"), "", "", "", "1", ""][:5]
        found = tuple(i for i in id_list.split(",") if i)
        return cls(kind, stripe_id or None, email or None, int(customers or 1), found)


def choose(candidates: list[Candidate], rule: Any) -> tuple[Candidate, float]:
    """The most confident candidate, and how sure the match is: its identifier's confidence, or the
    policy's ambiguous confidence when it names several customers or another identifier of the call
    names a different customer."""
    winner = max(candidates, key=lambda c: rule.confidence_of(c.kind))  # first of the most confident
    confidence = rule.confidence_of(winner.kind)
    mine = winner.own_ids()
    conflict = any(
        not (mine & (set(other.ids) | other.own_ids())) for other in candidates if other is not winner
    )
    if winner.customers > 1 or conflict:
        confidence = min(confidence, rule.ambiguous_confidence)
    return winner, confidence


def index_key(kind: str, value: str) -> str:
    # A spoken email is an email once heard, a number read out a number: each looks where its kind
    # lives (a read-out number by E.164 when it has a country code, else by national number).
    if kind in EMAIL_KINDS:
        kind = "email"
    elif kind == "spoken_phone":
        kind = "phone" if value.startswith("+") else "phone_national"
    return f"{kind}:{value}"


# --- normalising ------------------------------------------------------------------------------------



# An extension written after the number ("ext. 204", "x12", "#3", ", 22"): not part of who calls.
_EXTENSION = re.compile(r"\s*(?:,|;|#|\b(?:ext|extn|extension)\b\.?:?|\bx)\s*\d{1,6}\s*$", re.I)
_TRUNK_AFTER_CODE = re.compile(r"^(\+\d{1,3})\s*\(0\)\s*")  # "+44 (0)20 7946 0011"
_MIN_DIGITS, _MAX_DIGITS = 6, 15  # E.164 has at most 15 digits


def phone_readings(raw: str | None, regions: Iterable[str] = ("US",)) -> list[phonenumbers.PhoneNumber]:
    """Every plausible reading of a number as written, the most plausible first.

    Numbers come in every form: E.164, international digits without '+' (DialNexa), a national number
    with or without its trunk 0 ("(415) 555-0134", "020 7946 0011"), an international prefix (00, or
    011 from North America), an extension. A written number with a country code has one reading; a
    bare run of digits may be a national number of any of `regions` (the customer's country, then the
    policy's default) or an international one without its '+'. Readings that numbering plans
    allocate (`is_valid_number`) come before those that only have a possible length: fictional and
    test ranges (555-01xx, the UK's 07700 900xxx), and ranges newer than the metadata, are real
    numbers in somebody's records too.
    """
    if not raw or not isinstance(raw, str):
        return []
    text = raw.strip()
    text = re.sub(r"^tel:", "", text, flags=re.I)
    text = _EXTENSION.sub("", text)
    text = _TRUNK_AFTER_CODE.sub(r"\1 ", text)
    if re.search(r"[A-Za-z]", text):
        return []  # words: not a number (spoken digits are read elsewhere, see spoken_phones)
    digits = re.sub(r"\D", "", text)
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS + 3:
        return []
    international: str | None = None
    if text.startswith("+"):
        international = digits
    elif digits.startswith("00") and not digits.startswith("000"):
        international = digits[2:]
    elif digits.startswith("011") and len(digits) >= 13:  # the North American international prefix
        international = digits[3:]
    attempts: list[tuple[str, str | None]] = []
    if international is not None:
        attempts.append(("+" + international, None))
    else:
        attempts += [(digits, region) for region in dict.fromkeys(r.upper() for r in regions if r)]
        attempts.append(("+" + digits, None))
    readings: list[phonenumbers.PhoneNumber] = []
    seen: set[tuple[int, str]] = set()
    for candidate, region in attempts:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        key = (number.country_code, str(number.national_number))
        if key in seen or not phonenumbers.is_possible_number(number):
            continue
        seen.add(key)
        readings.append(number)
    # Allocated numbers first; among equals, the order above (national in the customer's region first).
    return sorted(readings, key=lambda n: not phonenumbers.is_valid_number(n))


def normalise_phone(raw: str | None, region: str | Iterable[str] = "US") -> str | None:
    """E.164 (+14155550123) of the most plausible reading of a number, or None if it is not one."""
    readings = phone_readings(raw, _regions(region))
    return phonenumbers.format_number(readings[0], phonenumbers.PhoneNumberFormat.E164) if readings else None


def national_number(raw: str | None, region: str | Iterable[str] = "US") -> str | None:
    """The national significant number (digits without country code or trunk 0) of the most plausible
    reading: it matches a number stored in one country's national format against a caller id written
    in another form, whatever country the format was read in."""
    readings = phone_readings(raw, _regions(region))
    if readings:
        return str(readings[0].national_number)
    return _bare_national(raw)


def phone_keys(raw: str | None, regions: Iterable[str] = ("US",), limit: int = 2) -> list[tuple[str, str]]:
    """(kind, value) of the `limit` most plausible readings of a number: `phone` E.164 values, then
    `phone_national` ones (a bare national number no plan reads keeps its digits as the latter)."""
    readings = phone_readings(raw, regions)[:limit]
    e164 = [phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) for n in readings]
    # The national number of the best reading, and the digits as written when no country code was
    # (a national number without its trunk 0 - "612345678" - reads as some other country's otherwise).
    national = [str(n.national_number) for n in readings[:1]]
    bare = _bare_national(raw)
    if bare and not _has_country_code(raw):
        national.append(bare)
    return [("phone", v) for v in dict.fromkeys(e164)] + [("phone_national", v) for v in dict.fromkeys(national)]


def _has_country_code(raw: str | None) -> bool:
    text = (raw or "").strip()
    return text.startswith("+") or re.sub(r"\D", "", text).startswith("00")


def _bare_national(raw: str | None) -> str | None:
    # A number no numbering plan reads: its digits without trunk zeros are the best guess at its
    # national significant number.
    if not raw or not isinstance(raw, str) or re.search(r"[A-Za-z]", _EXTENSION.sub("", raw)):
        return None
    digits = re.sub(r"\D", "", _EXTENSION.sub("", raw)).lstrip("0")
    return digits if 7 <= len(digits) <= 12 else None


def _regions(region: str | Iterable[str]) -> list[str]:
    return [region] if isinstance(region, str) else list(region)


def country_code(raw: str | None) -> str | None:
    """ISO 3166 alpha-2 of a country as CRMs hold it ("GB", "United Kingdom", "Deutschland", "UK")."""
    if not raw or not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    alias = _COUNTRY_ALIASES.get(text.casefold())
    if alias:
        return alias
    if len(text) == 2 and text.isalpha():
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "great britain": "GB", "britain": "GB", "usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "united states of america": "US", "deutschland": "DE", "españa": "ES", "espana": "ES", "holland": "NL",
    "the netherlands": "NL", "nederland": "NL", "schweiz": "CH", "suisse": "CH", "österreich": "AT",
    "italia": "IT", "méxico": "MX", "brasil": "BR", "éire": "IE", "eire": "IE",
}  # fmt: skip


def normalise_email(raw: str | None) -> str | None:
    if not raw or not isinstance(raw, str):
        return None
    email = raw.strip().strip("<>.,;").lower()
    return email if _EMAIL.match(email) else None


def normalise_company(raw: str | None) -> str | None:
    if not raw or not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().casefold()
    words = [w for w in re.split(r"[^a-z0-9]+", text.replace("&", " and ")) if w]
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    while words and words[0] == "the":
        words.pop(0)
    name = " ".join(words)
    return name if len(name) >= 3 else None


def normalise(kind: str, value: Any, region: str | Iterable[str] = "US") -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if kind in EMAIL_KINDS:
        return normalise_email(text)
    if kind in ("phone", "spoken_phone"):
        return normalise_phone(text, region)
    if kind == "phone_national":
        return national_number(text, region)
    if kind == "company":
        return normalise_company(text)
    if kind == "invoice_number":
        text = re.sub(r"^(invoice\s*)?(no\.?|number|#)\s*", "", text, flags=re.I)
        return re.sub(r"\s+", "", text).upper().lstrip("#") or None
    if kind in ("payment_id", "subscription_id", "stripe_customer_id"):
        return text if re.fullmatch(r"[A-Za-z0-9_]+", text) else None
    return re.sub(r"\s+", "", text).upper()  # account ids compare case- and space-insensitively


# --- a call's identifiers ---------------------------------------------------------------------------


_SPOKEN_WORDS = (
    (r"\s+(?:at|@)\s+", "@"),
    (r"\s*\b(?:dot|period|point)\b\s*", "."),
    (r"\s*\b(?:underscore)\b\s*", "_"),
    (r"\s*\b(?:dash|hyphen|minus)\b\s*", "-"),
    (r"\s*\bplus\b\s*", "+"),
)
_SPOKEN_EMAIL = re.compile(
    r"(?<![\w.@])([a-z0-9][a-z0-9._%+\-]*(?:\s*(?:\bdot\b|\.|\bunderscore\b|\bdash\b|\bhyphen\b)\s*[a-z0-9%+\-]+)*)"
    r"\s*(?:@|\bat\b)\s*"
    r"([a-z0-9][a-z0-9\-]*(?:\s*(?:\bdot\b|\.)\s*[a-z0-9][a-z0-9\-]*)+)",
    re.I,
)
_NOT_LOCAL = frozenset(
    {"me", "us", "it", "this", "that", "home", "work", "least", "all", "the", "a", "is", "was", "i", "am", "are", "be",
     "were", "we", "you", "they", "look", "looking", "office", "email", "mail", "address"}
)  # fmt: skip


_WRITTEN_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# A spelled-out address must end in a top-level domain people say; "I'm at home dot com" is rare enough.
_SPOKEN_TLDS = frozenset(
    {"com", "org", "net", "io", "co", "uk", "de", "fr", "es", "it", "nl", "eu", "us", "ca", "au", "biz", "info",
     "app", "dev", "ai", "ie", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "br", "mx", "in", "jp", "nz",
     "example", "test", "edu", "gov"}
)  # fmt: skip


def spoken_emails(text: str) -> list[str]:
    """Emails written or spelled out in `text` ("jane dot doe at example dot com", "jane.doe@example.com")."""
    found: list[str] = []
    for match in _WRITTEN_EMAIL.finditer(text or ""):
        email = normalise_email(match.group(0))
        if email and email not in found:
            found.append(email)
    text = _WRITTEN_EMAIL.sub(" ", text or "")
    for match in _SPOKEN_EMAIL.finditer(text):
        local, domain = match.group(1), match.group(2)
        local_words = local.split()
        # "email me at work dot com" is not an address: the local part must look like one.
        if len(local_words) > 1 and not re.search(r"\b(dot|underscore|dash|hyphen)\b", local, re.I):
            local = local_words[-1]
        if local.casefold() in _NOT_LOCAL:
            continue
        candidate = f"{local}@{domain}"
        for pattern, replacement in _SPOKEN_WORDS[1:]:
            candidate = re.sub(pattern, replacement, candidate, flags=re.I)
        candidate = re.sub(r"\s+", "", candidate)
        email = normalise_email(candidate)
        if email and email not in found and "." in email.split("@")[1]:
            tld = email.rsplit(".", 1)[1]
            if tld in _SPOKEN_TLDS:
                found.append(email)
    return found


_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_REPEAT_WORDS = {"double": 2, "triple": 3}
_SPOKEN_DIGITS = re.compile(
    r"\b(?:(?:plus|double|triple|zero|oh|o|nought|nil|one|two|three|four|five|six|seven|eight|nine|\d{1,4})"
    r"(?:[\s,.-]+|$)){7,}",
    re.I,
)
_WRITTEN_PHONE = re.compile(r"(?<![\w+#/-])(?:\+|\b00|\b011)?\s?\(?\d[\d\s().-]{5,22}\d(?![\w-])")
# Words that announce a number of the caller's ("my number is", "you can reach me on").
_PHONE_CUE = re.compile(
    r"(\b(phone|mobile|cell|landline|telephone|tel|whats ?app)\b|\b(reach|call|ring|text)( me| us)?( back)?\b"
    r"|\bcalling from\b|\b(my|our|new|old|direct|contact|callback|call-back|office|home|work) (number|line)\b)"
    r"[^.?!\n]{0,40}$",
    re.I,
)


def spoken_phones(text: str, asked: bool = False) -> list[str]:
    """Phone numbers the caller read out or typed ("my number is 415 555 0134", "plus four four seven
    seven double oh ..."), as digits (with '+' when said). A digit run counts only after a word that
    announces a number, or when written with a '+' or an area code in brackets, so invoice numbers,
    amounts and dates stay out; `asked`: the text answers a question for a phone number."""
    found: list[str] = []
    for line in (text or "").split("\n"):
        for match in _SPOKEN_DIGITS.finditer(line):
            digits, plus, repeat = "", False, 1
            for token in re.findall(r"[a-z]+|\d+", match.group(0).lower()):
                if token == "plus" and not digits:
                    plus = True
                elif token in _REPEAT_WORDS:
                    repeat = _REPEAT_WORDS[token]
                else:  # a digit word, or digits ("double 5" repeats a single digit only)
                    digit = _DIGIT_WORDS.get(token, token)
                    digits += digit * repeat if len(digit) == 1 else digit
                    repeat = 1
            spelled = re.search(r"[a-z]", match.group(0), re.I) is not None
            if spelled and 7 <= len(digits) <= 15 and (asked or _PHONE_CUE.search(line[: match.start()])):
                found.append(("+" if plus else "") + digits)
        for match in _WRITTEN_PHONE.finditer(line):
            written = match.group(0).strip()
            digits = re.sub(r"\D", "", written)
            if not 7 <= len(digits) <= 15:
                continue
            shaped = written.startswith(("+", "(")) or re.match(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$", written)
            if shaped or asked or _PHONE_CUE.search(line[: match.start()]):
                found.append(written)
    return list(dict.fromkeys(found))


_ASKS_FOR_PHONE = re.compile(r"\b(phone|mobile|cell|callback|call you back|reach you|numbers?)\b", re.I)
_ASKS_FOR_OTHER_NUMBER = re.compile(
    r"\b(invoice|card|order|reference|tax|vat|iban|routing|sort code|account number|case|ticket|confirmation)\b", re.I
)


def answered_phones(call: CallEvent) -> list[str]:
    """Numbers a caller gives in answer to the agent asking for their phone number ("Which number is on
    the account?" - "Four one five, five five five ...")."""
    found: list[str] = []
    previous = None
    for turn in call.transcript:
        if is_agent(turn.speaker):
            previous = turn.text
            continue
        if previous and _ASKS_FOR_PHONE.search(previous) and not _ASKS_FOR_OTHER_NUMBER.search(previous):
            found += spoken_phones(turn.text, asked=True)
        previous = None
    return list(dict.fromkeys(found))


def call_regions(call: CallEvent, policy: Policy) -> list[str]:
    """Where the call's numbers without a country code may be national: the policy's default region,
    then the country of the call's tax region ("EU-DE", "UK", "GB")."""
    regions = [policy.identity.default_region]
    tax_region = (call.billing.tax_region or "").strip().upper()
    for part in re.split(r"[-_\s/]+", tax_region):
        code = country_code(part) if len(part) == 2 and part != "EU" else None
        if code and code in phonenumbers.SUPPORTED_REGIONS:
            regions.append(code)
    return list(dict.fromkeys(regions))


_SPOKEN_COMPANY = re.compile(
    r"\b(?:calling (?:from|on behalf of)|(?:I'?m|I am|this is) \w+ (?:from|at|with)|(?:our|my) company(?: name)? is"
    r"|(?:we are|we're|this is)(?= [A-Z]))\s+((?:[A-Z][\w&'.-]*)(?:\s+(?:[A-Z][\w&'.-]*|&|and|of)){0,4})"
)


def spoken_companies(text: str) -> list[str]:
    """Company names the caller introduces themselves with ("calling from Globex Corp")."""
    return [m.group(1).rstrip(".,") for m in _SPOKEN_COMPANY.finditer(text or "")]


_DELIVERY_BEFORE = re.compile(
    r"\b(send|sent|email|e-mail|forward|deliver|mail|copy|cc)\w*\b[^.?!\n]{0,50}\b(to|at)\b[^.?!\n]{0,30}$", re.I
)


def delivery_emails(text: str) -> list[str]:
    """Emails the caller asks something to be sent to ("send it to j dot doe at example dot com")."""
    found = []
    for line in (text or "").split("\n"):
        for email in spoken_emails(line):
            local = email.split("@")[0].split(".")[0]
            position = line.lower().find(local)
            if position > 0 and _DELIVERY_BEFORE.search(line[:position]) and email not in found:
                found.append(email)
    return found


def analysis_by_role(call: CallEvent, policy: Policy) -> tuple[dict[str, list[str]], list[str]]:
    """Post-call analysis values grouped by the policy's role for their key, and the keys no role names."""
    values: dict[str, list[str]] = {}
    unmapped: list[str] = []
    for key, value in call.post_call_analysis.items():
        role = policy.analysis_role(key)
        if role is None:
            unmapped.append(key)
            continue
        if value and value.strip():
            values.setdefault(role, []).append(value)
    return values, sorted(unmapped)


def is_agent(speaker: str) -> bool:
    speaker = speaker.strip().lower()
    return speaker in _AGENT_SPEAKERS or speaker.startswith("agent")


def caller_text(call: CallEvent) -> str:
    parts = [turn.text for turn in call.transcript if not is_agent(turn.speaker)]
    return "\n".join(parts)


def call_identifiers(call: CallEvent, policy: Policy) -> list[Identifier]:
    """Every identifier the call carries, most confident first, each once."""
    rule = policy.identity
    region = rule.default_region
    roles, _ = analysis_by_role(call, policy)
    billing = call.billing
    raw: list[tuple[str, Any]] = [("email", billing.email)]
    raw += [("email", v) for v in roles.get("email", [])]
    for kind in ("payment_id", "invoice_number", "subscription_id"):
        raw += [(kind, getattr(billing, kind))] + [(kind, v) for v in roles.get(kind, [])]
    accounts = [billing.account_id, *roles.get("account_id", [])]
    for account in accounts:
        if account and str(account).strip().startswith("cus_"):
            raw.append(("stripe_customer_id", str(account).strip()))
        else:
            raw.append(("account_id", account))
    raw += [("company", v) for v in roles.get("company", [])]
    # What the caller said (and the summary DialNexa wrote): ids read out, an email spelled out.
    spoken = "\n".join(p for p in (caller_text(call), call.summary or "") if p)
    for kind, pattern in _ID_PATTERNS.items():
        raw += [(kind, m.group(0)) for m in pattern.finditer(spoken)]
    raw += [("spoken_email", email) for email in spoken_emails(spoken)]
    raw += [("company", name) for name in spoken_companies("\n".join(t.text for t in call.transcript
                                                                      if not is_agent(t.speaker)))]
    found: dict[str, Identifier] = {}

    def add(kind: str, normalised: str | None, confidence: float) -> None:
        if normalised is None or confidence <= 0:
            return
        identifier = Identifier(kind, normalised, confidence)
        if identifier.key not in found or found[identifier.key].confidence < confidence:
            found[identifier.key] = identifier

    for kind, value in raw:
        add(kind, normalise(kind, value, region), rule.confidence_of(kind))
    # Numbers: every plausible reading of each (E.164, then national significant number), already
    # normalised. The caller's own number is where an inbound call came from, where an outbound
    # call went; the other line is tried too (a monitor event names one number, whichever way the
    # call went), and our own line is in no vendor's records, so it simply finds nobody.
    regions = call_regions(call, policy)
    # Hops are bounded (the enrichment agent tries the first dozen), so the caller's own line goes
    # first, then numbers in the analysis (a callback field may hold a new number), numbers said, and
    # the other line last.
    outbound = (call.direction or "").strip().lower() == "outbound"
    own, other = (call.to_number, call.from_number) if outbound else (call.from_number, call.to_number)
    numbers = [(n, "") for n in (own, billing.phone, *roles.get("phone", []))]
    numbers += [(n, "spoken_phone") for n in dict.fromkeys([*spoken_phones(spoken), *answered_phones(call)])]
    numbers.append((other, ""))
    for number, as_kind in numbers:
        for kind, value in phone_keys(number, regions, PHONE_READINGS_KEPT):
            add(as_kind or kind, value, rule.confidence_of(as_kind or kind))
    order = list(found.values())
    return sorted(order, key=lambda ident: -ident.confidence)  # stable: equal confidence keeps call order


# --- the index --------------------------------------------------------------------------------------


def stripe_identity_updates(
    customer_id: str, state: State, previous: State | None, policy: Policy, only: Iterable[str] | None = None
) -> list[tuple[str, State]]:
    """Index patches (key, patch) for a Stripe customer's identifiers after an event changed its state.

    `only` limits the patches to the objects the event touched; a change to the customer object itself
    re-announces every identifier (its email may have changed) and retires the values it no longer has.
    """
    region = policy.identity.default_region
    account_key = policy.identity.stripe_account_id_metadata
    customer = state.get("customer") or {}
    email = normalise_email(customer.get("email"))
    deleted = bool(customer.get("deleted"))
    at = int(customer.get("_at") or 0)

    def own(cust: State) -> set[str]:
        keys = {index_key("stripe_customer_id", customer_id)}
        # A number stored without its country code is read in the customer's country (address) first.
        phone_regions = [r for r in (country_code(cust.get("country")), region) if r]
        for number in [cust.get("phone"), *(cust.get("other_phones") or [])]:
            keys.update(index_key(kind, value) for kind, value in phone_keys(number, phone_regions))
        for kind, value in (("company", cust.get("name")),
                            ("account_id", (cust.get("metadata") or {}).get(account_key))):  # fmt: skip
            normalised = normalise(kind, value, region)
            if normalised:
                keys.add(index_key(kind, normalised))
        return keys

    objects: set[str] = set()
    for section, kind in (("invoices", "invoice_number"), ("subscriptions", "subscription_id"),
                          ("charges", "payment_id"), ("payment_intents", "payment_id")):  # fmt: skip
        for object_id, obj in (state.get(section) or {}).items():
            value = obj.get("number") if kind == "invoice_number" else object_id
            normalised = normalise(kind, value, region)
            if normalised and (only is None or object_id in only):
                objects.add(index_key(kind, normalised))
                at = max(at, int(obj.get("_at") or 0))
            if kind == "payment_id":
                for linked in (obj.get("payment_intent"), obj.get("latest_charge")):
                    if linked and (only is None or object_id in only):
                        objects.add(index_key(kind, linked))
    keys = objects | own(customer)
    patch = {"ref": f"stripe:{customer_id}", "stripe_customer_id": customer_id, "email": email, "_at": at,
             "gone": deleted}  # fmt: skip
    updates = [(key, patch) for key in sorted(keys)]
    if previous is not None:
        for key in sorted(own(previous.get("customer") or {}) - own(customer)):
            updates.append((key, {**patch, "gone": True}))
    return updates


def hubspot_identity_updates(contact: State, email: str, as_of: int, policy: Policy) -> list[tuple[str, State]]:
    """Index patches for a HubSpot contact (its directory value) and the raw properties it came with."""
    region = policy.identity.default_region
    properties = contact.get("identity_properties") or {}
    stripe_id = contact.get("stripe_customer_id")
    keys: set[str] = set()
    phones = [v for k, v in sorted(properties.items()) if PHONE_PROPERTY.search(k)] + [contact.get("company_phone")]
    # The contact's country (or its company's) says how to read a number stored without a country code.
    countries = [properties.get(name) for name in HUBSPOT_COUNTRY_PROPERTIES] + [contact.get("company_country")]
    phone_regions = [*dict.fromkeys(c for c in (country_code(v) for v in countries) if c), region]
    for number in phones:
        keys.update(index_key(kind, value) for kind, value in phone_keys(number, phone_regions))
    for kind, value in (("company", properties.get("company")), ("company", contact.get("company_name")),
                        ("account_id", contact.get("account_id")), ("stripe_customer_id", stripe_id)):  # fmt: skip
        normalised = normalise(kind, value, region)
        if normalised:
            keys.add(index_key(kind, normalised))
    patch = {"ref": f"hubspot:{contact['id']}", "stripe_customer_id": stripe_id, "email": email, "_at": as_of,
             "gone": False}  # fmt: skip
    return [(key, patch) for key in sorted(keys)]


def apply_identity_update(entry: State | None, patch: State) -> State:
    """One vendor object's claim on an identifier, replacing only an older claim of the same object."""
    refs: dict[str, State] = dict((entry or {}).get("refs") or {})
    ref = str(patch.get("ref"))
    current = refs.get(ref)
    if current is not None and current.get("_at", 0) > patch.get("_at", 0):
        return {"refs": refs}
    if patch.get("gone"):
        refs.pop(ref, None)
    else:
        refs[ref] = {k: patch.get(k) for k in ("stripe_customer_id", "email", "_at")}
    return {"refs": refs}


def resolve(entry: State | None) -> Resolution | None:
    """The customer an index entry names; claims sharing an email or a Stripe id are one customer."""
    claims = dict((entry or {}).get("refs") or {})
    refs = list(claims.values())
    if not refs:
        return None
    # The email of a HubSpot contact leads to both vendors (its directory entry holds the contact, and
    # the contact's Stripe id property the customer); a Stripe email may have no contact behind it.
    hubspot_emails = {ref["email"] for name, ref in claims.items() if name.startswith("hubspot:") and ref.get("email")}
    groups: list[tuple[set[str], int]] = []  # (ids, newest claim time)
    for ref in refs:
        ids = {f"s:{ref['stripe_customer_id']}"} if ref.get("stripe_customer_id") else set()
        if ref.get("email"):
            ids.add(f"e:{ref['email']}")
        at = int(ref.get("_at") or 0)
        for other in [g for g in groups if g[0] & ids]:
            groups.remove(other)
            ids |= other[0]
            at = max(at, other[1])
        groups.append((ids, at))
    best = max(groups, key=lambda group: group[1])[0]
    stripe_id = next((i[2:] for i in sorted(best) if i.startswith("s:")), None)
    emails = sorted(i[2:] for i in best if i.startswith("e:"))
    email = next((e for e in emails if e in hubspot_emails), emails[0] if emails else None)
    every = tuple(sorted(i for group in groups for i in group[0]))
    return Resolution(stripe_customer_id=stripe_id, email=email, candidates=len(groups), others=every)
