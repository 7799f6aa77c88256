"""Generate the holdout routing set: DialNexa calls with the Stripe and HubSpot context each needs.

    python -m benchmarks.classification.holdout.generate --out cases.jsonl [--count N] [--seed S]

Labels follow benchmarks/classification/independent/LABELS.md (the labelling spec; see README.md
here for the readings this set takes where the spec is silent). Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.classification.holdout import wording as W

DEFAULT_SEED = 20261203
KNOWN_WORKFLOWS = (
    "receipt_resend",
    "invoice_resend",
    "charge_dispute",
    "renewal_failed",
    "refund_approval",
    "billing_correction",
    "collections_log",
    "contact_sync",
)
MONEY_WORKFLOWS = frozenset({"refund_approval", "charge_dispute", "billing_correction"})

# Scenario classes (those of the independent set's README, plus two of this set's own) and how many
# calls each gets in the default 400.
SCENARIO_COUNTS: dict[str, int] = {
    "receipt_resend": 18,
    "invoice_resend": 18,
    "charge_dispute": 14,
    "renewal_failed": 12,
    "refund_approval": 14,
    "billing_correction": 12,
    "collections_log": 16,
    "contact_sync": 16,
    "two_intents": 36,
    "three_intents": 12,
    "negation_retraction": 30,
    "dispute_mentioned_in_receipt": 10,
    "card_replaced_after_fraud": 12,
    "context_renewal_failed": 14,
    "context_good_standing_login": 8,
    "question_answered": 16,
    "unclear_intent": 8,
    "unknown_caller": 14,
    "low_confidence_match": 10,
    "outbound_renewal": 12,
    "non_english": 18,
    "high_value_hubspot": 12,
    "high_value_stripe": 8,
    "send_to_other_email": 12,
    "tax_id_change": 10,
    "sensitive_readout": 8,
    "no_content": 6,
    "late_request": 12,
    "changed_mind": 12,
}
DEFAULT_COUNT = sum(SCENARIO_COUNTS.values())

SHAPES = ("envelope", "event_call", "monitor", "flat")
TRANSCRIPT_FORMATS = ("string", "role_text", "speaker_content")
# Four workspaces that name the post-call analysis fields differently; the last sends none.
WORKSPACES = [
    {"id": "ws_north", "intent": "intent", "email": "email", "delivery": "delivery_email", "tax": "tax_id"},
    {"id": "ws_coast", "intent": "call_reason", "email": "customer_email", "delivery": "send_to", "tax": "vat_number"},
    {
        "id": "ws_metro",
        "intent": "reason_for_call",
        "email": "caller_email",
        "delivery": "send_receipt_to",
        "tax": "tax_number",
    },
    {"id": "ws_quiet", "intent": None, "email": None, "delivery": None, "tax": None},
]
VALID_VATS = [
    "DE136695976",
    "GB980780684",
    "FR40303265045",
    "NL004495445B01",
    "IE6388047V",
    "ESA13585625",
    "BE0428759497",
    "DK13585628",
    "ATU13585627",
]
# Luhn-valid test card numbers and checksum-valid IBANs, in the forms a caller reads them.
CARDS = ["4242 4242 4242 4242", "5555-5555-5555-4444", "4000056655665556", "3782 822463 10005"]
IBANS = ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606"]
OWNERS = [
    {"id": "61001", "email": "tamsin.grey@callstream.example", "firstName": "Tamsin", "lastName": "Grey"},
    {"id": "61002", "email": "obi.nwosu@callstream.example", "firstName": "Obi", "lastName": "Nwosu"},
]
BASE_TS = 1_790_000_000  # fixed epoch seconds, so the set does not depend on the clock
DIGIT_WORDS = {"0": "oh", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
               "7": "seven", "8": "eight", "9": "nine"}  # fmt: skip


@dataclass
class Case:
    call_id: str
    scenario: str
    call: dict[str, Any]
    stripe: list[dict[str, Any]]
    hubspot: list[list[Any]]  # [objectType, CRM v3 object] pairs (lists, so JSON round-trips)
    expected: dict[str, Any]
    tags: list[str] = field(default_factory=list)

    def hubspot_objects(self) -> list[tuple[str, dict[str, Any]]]:
        return [(kind, obj) for kind, obj in self.hubspot]

    def to_json(self) -> str:
        return json.dumps(
            {"call_id": self.call_id, "scenario": self.scenario, "call": self.call, "stripe": self.stripe,
             "hubspot": self.hubspot, "expected": self.expected, "tags": self.tags},
            ensure_ascii=False, sort_keys=True,
        )  # fmt: skip

    @classmethod
    def from_json(cls, line: str) -> Case:
        d = json.loads(line)
        return cls(d["call_id"], d["scenario"], d["call"], d["stripe"], d["hubspot"], d["expected"], d["tags"])


def write_jsonl(cases: Iterable[Case], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(case.to_json() + "\n")


def load_jsonl(path: Path) -> list[Case]:
    with path.open(encoding="utf-8") as source:
        return [Case.from_json(line) for line in source if line.strip()]


def label(workflows: set[str], flags: dict[str, bool]) -> dict[str, Any]:
    """Expected result by LABELS.md §3: review exactly when one of its reasons applies."""
    reasons = []
    if workflows & MONEY_WORKFLOWS:
        reasons.append("money-changing workflow")
    if flags.get("sensitive"):
        reasons.append("sensitive data read out")
    if workflows and flags.get("high_value"):
        reasons.append("high value")
    if flags.get("terms"):
        reasons.append("change of terms asked")
    if flags.get("new_recipient"):
        reasons.append("new billing recipient / access")
    if flags.get("other_email"):
        reasons.append("send to an address not on file")
    if workflows and flags.get("untrusted"):
        reasons.append("identity not trustworthy")
    if flags.get("doc_missing"):
        reasons.append("invoice number Stripe does not have")
    if flags.get("unclear"):
        reasons.append("unclear intent handed to a person")
    return {"workflows": sorted(workflows), "review": bool(reasons),
            "why": "; ".join(reasons) or "no review reason"}  # fmt: skip


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str) -> str:
    return "".join(ch for ch in _ascii(text).lower() if ch.isalnum())


def spell_email(addr: str) -> str:
    """How a caller says an address: 'aoife dot okafor at brightwater dash media dot example'."""
    local, domain = addr.split("@")
    return f"{local.replace('.', ' dot ')} at {domain.replace('.', ' dot ').replace('-', ' dash ')}"


def spoken_digits(digits: str, rng: random.Random) -> str:
    words = [DIGIT_WORDS[d] for d in digits if d.isdigit()]
    out, i = [], 0
    while i < len(words):
        if i + 1 < len(words) and words[i] == words[i + 1] and rng.random() < 0.6:
            out.append(f"double {words[i]}")
            i += 2
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


@dataclass
class Customer:
    idx: int
    tag: str
    first: str
    last: str
    company: str
    email: str
    country: str  # "US" or "GB"
    phone_e164: str
    monthly: int  # in major units
    currency: str
    sub_status: str = "active"
    tier: str | None = None
    tier_on: str = "contact"  # or "company"
    acv: int | None = None
    in_stripe: bool = True
    in_hubspot: bool = True
    renewal_open: bool = False
    collections_open: bool = False
    dispute_object: bool = False

    @property
    def cus(self) -> str:
        return f"cus_HL{self.tag}"

    @property
    def sub(self) -> str:
        return f"sub_HL{self.tag}"

    @property
    def paid_invoice(self) -> str:
        return f"in_HL{self.tag}P"

    @property
    def invoice_number(self) -> str:
        return f"{self.tag}-0001"

    @property
    def open_invoice_number(self) -> str:
        return f"{self.tag}-0002"

    @property
    def missing_invoice_number(self) -> str:
        return f"{self.tag}-0099"

    @property
    def charge(self) -> str:
        return f"ch_3HL{self.tag}c"

    @property
    def payment_intent(self) -> str:
        return f"pi_3HL{self.tag}p"

    @property
    def account_id(self) -> str:
        return f"AC-{self.tag}"

    @property
    def amount_text(self) -> str:
        symbol = "£" if self.currency == "gbp" else "$"
        return f"{symbol}{self.monthly:,}.00"

    def phone_stripe(self) -> str:
        d = self.phone_e164
        if self.country == "GB":
            return f"0{d[3:7]} {d[7:]}"  # 07700 900123
        return f"+1 ({d[2:5]}) {d[5:8]}-{d[8:]}"

    def phone_hubspot(self) -> str:
        d = self.phone_e164
        if self.country == "GB":
            return f"+44 {d[3:7]} {d[7:]}"
        return f"{d[2:5]}.{d[5:8]}.{d[8:]}"

    def stripe_objects(self) -> list[dict[str, Any]]:
        if not self.in_stripe:
            return []
        cents = self.monthly * 100
        ts = BASE_TS + self.idx * 3600
        objs: list[dict[str, Any]] = [
            {"id": self.cus, "object": "customer", "email": self.email, "name": self.company,
             "phone": self.phone_stripe(), "currency": self.currency, "created": ts - 86400 * 400,
             "address": {"country": self.country}, "metadata": {"account_id": self.account_id}},
            {"id": self.sub, "object": "subscription", "customer": self.cus, "status": self.sub_status,
             "currency": self.currency, "current_period_start": ts - 86400 * 30, "current_period_end": ts,
             "latest_invoice": f"in_HL{self.tag}R" if self.renewal_open else self.paid_invoice,
             "items": {"object": "list", "data": [{"id": f"si_HL{self.tag}", "object": "subscription_item",
                       "quantity": 1, "price": {"id": f"price_HL{self.tag}", "object": "price",
                       "unit_amount": cents, "currency": self.currency,
                       "recurring": {"interval": "month", "interval_count": 1}}}]}},
            {"id": self.paid_invoice, "object": "invoice", "number": self.invoice_number, "customer": self.cus,
             "customer_email": self.email, "status": "paid", "amount_due": cents, "amount_paid": cents,
             "amount_remaining": 0, "currency": self.currency, "subscription": self.sub,
             "billing_reason": "subscription_cycle", "collection_method": "charge_automatically",
             "charge": self.charge, "payment_intent": self.payment_intent, "created": ts - 86400 * 30,
             "hosted_invoice_url": f"https://invoice.stripe.example/i/{self.tag}P"},
            {"id": self.charge, "object": "charge", "customer": self.cus, "amount": cents, "currency": self.currency,
             "status": "succeeded", "paid": True, "refunded": False, "amount_refunded": 0,
             "payment_intent": self.payment_intent, "invoice": self.paid_invoice, "created": ts - 86400 * 30,
             "receipt_email": self.email},
            {"id": self.payment_intent, "object": "payment_intent", "customer": self.cus, "amount": cents,
             "currency": self.currency, "status": "succeeded", "latest_charge": self.charge,
             "invoice": self.paid_invoice, "created": ts - 86400 * 30},
        ]  # fmt: skip
        if self.renewal_open:
            objs.append(
                {"id": f"in_HL{self.tag}R", "object": "invoice", "number": f"{self.tag}-0003",
                 "customer": self.cus, "customer_email": self.email, "status": "open", "amount_due": cents,
                 "amount_paid": 0, "amount_remaining": cents, "currency": self.currency, "subscription": self.sub,
                 "billing_reason": "subscription_cycle", "collection_method": "charge_automatically",
                 "attempt_count": 2, "attempted": True, "next_payment_attempt": ts + 86400 * 3, "created": ts}
            )  # fmt: skip
        if self.collections_open:
            objs.append(
                {"id": f"in_HL{self.tag}C", "object": "invoice", "number": self.open_invoice_number,
                 "customer": self.cus, "customer_email": self.email, "status": "open",
                 "amount_due": cents * 3, "amount_paid": 0, "amount_remaining": cents * 3,
                 "currency": self.currency, "subscription": None, "billing_reason": "manual",
                 "collection_method": "send_invoice", "due_date": ts - 86400 * 21, "created": ts - 86400 * 51}
            )  # fmt: skip
        if self.dispute_object:
            objs.append(
                {"id": f"dp_HL{self.tag}", "object": "dispute", "charge": self.charge, "amount": cents,
                 "currency": self.currency, "status": "needs_response", "reason": "unrecognized",
                 "payment_intent": self.payment_intent, "created": ts - 86400 * 2}
            )  # fmt: skip
        return objs

    def hubspot_objects(self) -> list[list[Any]]:
        if not self.in_hubspot:
            return []
        owner = OWNERS[self.idx % len(OWNERS)]
        updated = "2026-11-20T10:00:00.000Z"
        contact_props = {"email": self.email, "firstname": self.first, "lastname": self.last,
                         "phone": self.phone_hubspot(), "company": self.company, "account_id": self.account_id,
                         "hubspot_owner_id": owner["id"], "lifecyclestage": "customer"}  # fmt: skip
        if self.in_stripe:
            contact_props["stripe_customer_id"] = self.cus
        company_props = {"name": self.company, "domain": self.email.split("@")[1], "hubspot_owner_id": owner["id"]}
        target = contact_props if self.tier_on == "contact" else company_props
        if self.tier:
            target["account_tier"] = self.tier
        if self.acv is not None:
            target["annual_contract_value"] = str(self.acv)
        company_id = str(7_000_000 + self.idx)
        return [
            ["owner", dict(owner, updatedAt=updated)],
            ["company", {"id": company_id, "properties": company_props, "updatedAt": updated}],
            ["contact", {"id": str(9_000_000 + self.idx), "properties": contact_props, "updatedAt": updated,
                         "associations": {"companies": {"results": [{"id": company_id,
                                                                      "type": "contact_to_company"}]}}}],
        ]  # fmt: skip


# ---- the call -------------------------------------------------------------------------------


@dataclass
class Draft:
    """One call being written: turns, what it should produce, and what it says about the customer."""

    rng: random.Random
    cust: Customer
    turns: list[tuple[str, str]] = field(default_factory=list)
    workflows: set[str] = field(default_factory=set)
    flags: dict[str, bool] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    intent: str = "other"
    summary: str = ""
    analysis_extra: dict[str, str] = field(default_factory=dict)  # logical key -> value
    direction: str = "inbound"
    identity: str = "phone_e164"
    other_customers: list[Customer] = field(default_factory=list)

    def pick(self, options: list[Any]) -> Any:
        return self.rng.choice(options)

    def fill(self, text: str, **extra: str) -> str:
        c = self.cust
        values = {"inv": c.invoice_number, "month": self.pick(W.MONTHS), "amt": c.amount_text,
                  "addr": c.email, "date": f"the {self.pick(['5th', '12th', '20th', '28th'])}",
                  "vat": self.pick(VALID_VATS), "card": self.pick(CARDS), "iban": self.pick(IBANS),
                  "phone": "", "name": f"{c.first} {c.last}", "company": c.company, "ref": c.charge}  # fmt: skip
        values.update(extra)
        return text.format(**values)

    def user(self, text: str) -> None:
        self.turns.append(("user", text))

    def agent(self, text: str) -> None:
        self.turns.append(("agent", text))


def _noisy(text: str, rng: random.Random) -> str:
    """ASR-style noise that keeps the meaning: fillers, stutters, dropped punctuation, split words."""
    words = text.replace(",", "").split()
    out = []
    for k, word in enumerate(words):
        r = rng.random()
        near_digits = any(ch.isdigit() for w in words[max(0, k - 1) : k + 1] for ch in w)
        if near_digits:  # numbers and ids are left whole: the noise is in the words around them
            pass
        elif r < 0.06:
            out.append(rng.choice(["uh", "um", "erm", "like"]))
        elif r < 0.10:
            out.append(word)  # stutter: the word twice
        out.append(word)
    joined = " ".join(out)
    for a, b in (("invoice", "in voice"), ("receipt", "re ceipt"), ("refund", "re fund"), ("account", "a count")):
        if rng.random() < 0.15:
            joined = joined.replace(a, b, 1)
    return joined


# Atoms: one request each. They append turns and set what the request produces.


def atom_receipt(d: Draft) -> None:
    d.user(d.fill(d.pick(W.RECEIPT)))
    d.agent(d.pick(W.RECEIPT_AGENT))
    d.workflows.add("receipt_resend")


def atom_invoice(d: Draft, missing: bool = False) -> None:
    inv = d.cust.missing_invoice_number if missing else d.cust.invoice_number
    text = d.pick([t for t in W.INVOICE if "{inv}" in t]) if missing else d.pick(W.INVOICE)
    d.user(d.fill(text, inv=inv))
    d.agent(d.fill(d.pick(W.INVOICE_AGENT), inv=inv))
    d.workflows.add("invoice_resend")
    if missing:
        d.flags["doc_missing"] = True
        d.tags.append("invoice_number_unknown_to_stripe")


def atom_dispute(d: Draft) -> None:
    d.user(d.fill(d.pick(W.DISPUTE)))
    d.agent(d.pick(W.DISPUTE_AGENT))
    d.workflows.add("charge_dispute")


def atom_refund(d: Draft) -> None:
    d.user(d.fill(d.pick(W.REFUND)))
    d.agent(d.pick(W.REFUND_AGENT))
    d.workflows.add("refund_approval")


def atom_renewal(d: Draft) -> None:
    d.cust.sub_status, d.cust.renewal_open = d.pick(["past_due", "past_due", "unpaid"]), True
    d.user(d.fill(d.pick(W.RENEWAL_SAYS)))
    d.agent(d.pick(W.RENEWAL_AGENT))
    d.workflows.add("renewal_failed")


def atom_correction(d: Draft, kind: str | None = None) -> None:
    kind = kind or d.pick(list(W.CORRECTION))
    vat = d.pick(VALID_VATS)
    d.user(d.fill(d.pick(W.CORRECTION[kind]), vat=vat))
    d.agent(d.pick(W.CORRECTION_AGENT))
    d.workflows.add("billing_correction")
    d.tags.append(f"correction_{kind}")
    if kind == "tax_id":
        d.analysis_extra["tax"] = vat


def atom_contact(d: Draft, kind: str) -> None:
    c = d.cust
    new_name = f"{d.pick(W.FIRST)} {d.pick(W.LAST)}"
    new_addr = f"ap.{_slug(new_name.split()[0])}{c.tag[-3:]}@{c.email.split('@')[1]}"
    if c.country == "US":
        new_phone = f"+1 (415) 555-{(7000 + c.idx) % 10000:04d}"
    else:
        new_phone = f"07700 90{c.idx % 10}9{c.idx % 100:02d}"
    name = f"{c.first} {c.last}-{d.pick(['Smythe', 'Reilly'])}" if kind == "name_spelling" else new_name
    addr = spell_email(new_addr) if d.rng.random() < 0.5 else new_addr
    d.user(d.fill(d.pick(W.CONTACT[kind]), name=name, addr=addr, phone=new_phone))
    d.agent(d.pick(W.CONTACT_AGENT))
    d.workflows.add("contact_sync")
    d.tags.append(f"contact_{kind}")
    if kind == "new_recipient":
        d.flags["new_recipient"] = True


def atom_collections_in(d: Draft, terms: bool) -> None:
    d.cust.collections_open = True
    inv = d.cust.open_invoice_number
    d.user(d.fill(d.pick(W.COLLECTIONS_IN), inv=inv, amt=_triple(d.cust)))
    d.agent("Thanks for calling back. How would you like to settle it?")
    d.user(d.fill(d.pick(W.TERMS if terms else W.PROMISE)))
    d.agent(d.pick(W.COLLECTIONS_AGENT))
    d.workflows.add("collections_log")
    d.flags["terms"] = d.flags.get("terms", False) or terms


def _triple(c: Customer) -> str:
    symbol = "£" if c.currency == "gbp" else "$"
    return f"{symbol}{c.monthly * 3:,}.00"


ATOMS: dict[str, Callable[[Draft], None]] = {
    "receipt": atom_receipt,
    "invoice": atom_invoice,
    "dispute": atom_dispute,
    "refund": atom_refund,
    "renewal": atom_renewal,
    "correction": atom_correction,
}
INTENT_NAMES = {"receipt": "receipt_request", "invoice": "invoice_copy", "dispute": "dispute", "refund": "refund",
                "renewal": "payment_failed", "correction": "billing_update", "contact": "contact_update",
                "collections": "collections", "question": "billing_question", "login": "technical",
                "none": "other"}  # fmt: skip
SUMMARIES = {"receipt": "Caller asked for a payment receipt to be resent.",
             "invoice": "Caller needs a copy of an invoice sent again.",
             "dispute": "Caller does not recognise a charge and wants it disputed.",
             "refund": "Caller requested a refund.",
             "renewal": "Renewal payment failed; payment update link sent.",
             "correction": "Caller asked for billing details on the account to change.",
             "contact": "Caller asked to change contact details.",
             "collections": "Overdue invoice discussed; caller gave a payment plan or date.",
             "question": "Billing question answered.", "login": "Login problem; passed to technical support.",
             "none": "No billing request."}  # fmt: skip


def with_paraphrase(d: Draft, kind: str) -> None:
    """An agent paraphrase of the request and the caller's yes, after the request turns."""
    if kind in W.PARAPHRASE and d.rng.random() < 0.35:
        reply = d.turns.pop() if d.turns and d.turns[-1][0] == "agent" else None
        d.agent(W.PARAPHRASE[kind])
        d.user(d.pick(["yes exactly", "yep that's it", "that's right, yeah", "correct"]))
        if reply:
            d.turns.append(reply)
        d.tags.append("agent_paraphrase")


def single(kind: str) -> Callable[[Draft], None]:
    def build(d: Draft) -> None:
        ATOMS[kind](d)
        with_paraphrase(d, kind)
        d.intent, d.summary = INTENT_NAMES[kind], SUMMARIES[kind]

    return build


# ---- scenario builders (each gets the n-th occurrence to cycle sub-variants) ----------------


def sc_receipt(d: Draft, n: int) -> None:
    single("receipt")(d)
    if n % 4 == 1:  # the caller spells out the on-file address: still no review
        d.user(f"send it to {spell_email(d.cust.email)}, that's the one you have")
        d.tags.append("same_address_spelled")


def sc_invoice(d: Draft, n: int) -> None:
    atom_invoice(d, missing=n % 5 == 2)
    d.intent, d.summary = INTENT_NAMES["invoice"], SUMMARIES["invoice"]


def sc_dispute(d: Draft, n: int) -> None:
    single("dispute")(d)
    if n % 3 == 0:
        d.cust.dispute_object = True
        d.tags.append("stripe_dispute_object")


def sc_renewal(d: Draft, n: int) -> None:
    single("renewal")(d)


def sc_refund(d: Draft, n: int) -> None:
    single("refund")(d)


def sc_correction(d: Draft, n: int) -> None:
    atom_correction(d, list(W.CORRECTION)[n % 4])
    d.intent, d.summary = INTENT_NAMES["correction"], SUMMARIES["correction"]


def sc_collections(d: Draft, n: int) -> None:
    terms = n % 3 == 1
    d.cust.collections_open = True
    if n % 2 == 0:  # outbound dunning call
        d.direction = "outbound"
        d.turns = []
        d.agent(d.fill(d.pick(W.COLLECTIONS_OUT_AGENT), inv=d.cust.open_invoice_number, amt=_triple(d.cust)))
        d.user(d.fill(d.pick(W.TERMS if terms else W.PROMISE)))
        d.agent(d.pick(W.COLLECTIONS_AGENT))
        d.workflows.add("collections_log")
        d.flags["terms"] = terms
        if n % 4 == 2:
            d.user(f"oh and could you resend invoice {d.cust.open_invoice_number}, I can't find the original")
            d.agent("Sure, I'll email it over again.")
            d.workflows.add("invoice_resend")
            d.tags.append("collections_with_invoice_resend")
    else:
        atom_collections_in(d, terms)
    d.tags.append("terms_asked" if terms else "promise_to_pay")
    d.intent, d.summary = INTENT_NAMES["collections"], SUMMARIES["collections"]


def sc_contact(d: Draft, n: int) -> None:
    kind = ["new_recipient", "phone", "name_spelling", "new_customer"][n % 4]
    if kind == "new_customer":
        d.cust.in_stripe = d.cust.in_hubspot = False
        d.identity = "unknown"
        d.flags["untrusted"] = True
    elif n % 8 == 1:
        d.cust.in_stripe, d.cust.in_hubspot = False, True  # known to HubSpot only
        d.identity = d.pick(["email", "phone_e164", "email_spelled"])
        d.tags.append("hubspot_only")
    atom_contact(d, kind)
    d.intent, d.summary = INTENT_NAMES["contact"], SUMMARIES["contact"]


TWO = [("receipt", "refund"), ("invoice", "correction"), ("dispute", "refund"), ("renewal", "receipt"),
       ("invoice", "contact_new_recipient"), ("receipt", "correction"), ("refund", "invoice"),
       ("dispute", "invoice"), ("contact_phone", "receipt"), ("collections", "invoice")]  # fmt: skip
THREE = [("receipt", "refund", "correction"), ("invoice", "dispute", "contact_phone"),
         ("renewal", "invoice", "refund"), ("receipt", "contact_new_recipient", "correction")]  # fmt: skip


def _run_atom(d: Draft, name: str) -> None:
    if name.startswith("contact_"):
        atom_contact(d, name.removeprefix("contact_"))
    elif name == "collections":
        atom_collections_in(d, terms=False)
    else:
        ATOMS[name](d)


def _joiner(d: Draft) -> None:
    d.user(d.pick(["oh and while I've got you", "one more thing actually", "also, sorry, another bit",
                   "and the other thing is"]))  # fmt: skip
    d.agent("Sure, go ahead.")


def sc_multi(combos: list[tuple[str, ...]]) -> Callable[[Draft, int], None]:
    def build(d: Draft, n: int) -> None:
        combo = combos[n % len(combos)]
        for k, name in enumerate(combo):
            if k:
                _joiner(d)
            _run_atom(d, name)
        d.intent = INTENT_NAMES[combo[0].split("_")[0]]
        d.summary = " ".join(SUMMARIES[name.split("_")[0]] for name in combo)
        d.tags.append("+".join(combo))

    return build


def sc_negation(d: Draft, n: int) -> None:
    variant = n % 4
    if variant == 0:  # a request, then withdrawn
        retract, kind = W.RETRACT[(n // 4) % len(W.RETRACT)]
        ATOMS[kind](d)
        d.user(retract)
        d.agent("No problem, I won't do anything then.")
        d.workflows.clear()
        d.intent = INTENT_NAMES[kind]  # the analysis still names the withdrawn request
        d.summary = "Caller raised a request, then withdrew it; no action."
        if kind in ("dispute", "refund"):
            d.analysis_extra[f"{kind}_reason"] = "caller unhappy with charge"
        d.tags += ["retracted", "misleading_analysis"]
    elif variant == 1:  # a question answered, then an agent offer declined
        q, a = d.pick(W.QUESTIONS)
        offer, decline = d.pick(W.AGENT_OFFER)
        d.user(q)
        d.agent(a)
        d.agent(offer)
        d.user(decline)
        d.intent, d.summary = INTENT_NAMES["question"], "Question answered; offer declined."
        d.tags.append("offer_declined")
    elif variant == 2:  # explicit negation
        d.user(d.pick(["I'm not disputing the charge, to be clear, I'm only curious what it covers",
                       "no refund needed or anything like that, I'm only puzzled why the price jumped"]))  # fmt: skip
        d.agent("That's the annual price change that was emailed in October.")
        d.user(d.pick(W.QUESTION_OK))
        d.intent, d.summary = INTENT_NAMES["question"], SUMMARIES["question"]
        d.tags.append("explicit_negation")
    else:  # two requests, one withdrawn: the other stays
        atom_receipt(d)
        _joiner(d)
        atom_refund(d)
        d.user("actually no, forget the refund, it's more hassle than it's worth, just the receipt")
        d.agent("Okay, just the receipt then.")
        d.workflows.discard("refund_approval")
        d.intent, d.summary = "refund", "Receipt resent; caller dropped a refund request."
        d.tags += ["one_of_two_retracted", "misleading_analysis"]


def sc_dispute_background(d: Draft, n: int) -> None:
    d.user(d.fill(d.pick(W.DISPUTE_BACKGROUND)))
    d.agent(d.pick(W.RECEIPT_AGENT))
    d.workflows.add("receipt_resend")
    d.intent = "dispute" if n % 3 == 0 else INTENT_NAMES["receipt"]
    d.summary = SUMMARIES["receipt"]
    if n % 3 == 0:
        d.tags.append("misleading_analysis")


def sc_fraud_card(d: Draft, n: int) -> None:
    variant = n % 6
    d.user(d.pick(W.FRAUD_CARD))
    if variant < 3:  # subscription in good standing: nothing to do
        d.agent("Thanks for letting us know. Your subscription is paid up, you can update the card any time.")
        d.user(d.pick(W.QUESTION_OK))
        d.intent, d.summary = "payment_issue", "Card replaced after fraud elsewhere; account in good standing."
        d.tags.append("active_no_workflow")
        return
    d.cust.sub_status, d.cust.renewal_open = "past_due", True
    d.user(W.FRAUD_LINK)
    d.agent(d.pick(W.FRAUD_AGENT))
    d.workflows.add("renewal_failed")
    d.intent, d.summary = INTENT_NAMES["renewal"], SUMMARIES["renewal"]
    if variant == 5:
        d.user(d.fill("the new one's {card}, expiry oh nine twenty nine"))
        d.agent(d.pick(W.SENSITIVE_AGENT))
        d.flags["sensitive"] = True
        d.tags.append("card_read_out")


def sc_context_renewal(d: Draft, n: int) -> None:
    d.cust.sub_status, d.cust.renewal_open = ("past_due" if n % 4 else "unpaid"), True
    d.user(d.pick(W.CONTEXT_STOPPED))
    d.agent(d.pick(W.CONTEXT_AGENT))
    d.user("ok, send it over")
    d.workflows.add("renewal_failed")
    d.intent = "technical" if n % 3 == 0 else "account_access"
    d.summary = "Caller's service stopped."


def sc_login(d: Draft, n: int) -> None:
    d.user(d.pick(W.LOGIN_ACTIVE))
    d.agent(d.pick(W.LOGIN_AGENT))
    d.intent = "payment_issue" if n % 2 == 0 else INTENT_NAMES["login"]
    d.summary = SUMMARIES["login"]
    if n % 2 == 0:
        d.tags.append("misleading_analysis")


def sc_question(d: Draft, n: int) -> None:
    q, a = W.QUESTIONS[n % len(W.QUESTIONS)]
    d.user(q)
    d.agent(a)
    d.user(d.pick(W.QUESTION_OK))
    d.intent, d.summary = INTENT_NAMES["question"], SUMMARIES["question"]


def sc_unclear(d: Draft, n: int) -> None:
    d.user(d.pick(W.UNCLEAR))
    d.agent(d.pick(W.UNCLEAR_AGENT))
    d.flags["unclear"] = True
    d.intent, d.summary = "callback_request", "Caller reports a billing problem but could not say what; callback."


def sc_unknown(d: Draft, n: int) -> None:
    d.cust.in_stripe = d.cust.in_hubspot = False
    d.identity = "unknown"
    d.flags["untrusted"] = True
    kinds = ["receipt", "invoice", "dispute", "refund", "receipt", "invoice", "question"]
    kind = kinds[n % len(kinds)]
    if kind == "question":
        sc_question(d, n)
        d.tags.append("unknown_question")
    else:
        single(kind)(d)


def sc_low_confidence(d: Draft, n: int) -> None:
    other = d.other_customers[0]
    if n % 2 == 0:
        d.identity = "company_shared"
        other.company = d.cust.company  # the two customers (different countries) share the name
        d.tags.append("shared_company_name")
    else:
        d.identity = "phone_and_other_email"
        d.tags.append("phone_one_email_other")
    d.flags["untrusted"] = True
    single(["receipt", "invoice"][n // 2 % 2])(d)


def sc_outbound_renewal(d: Draft, n: int) -> None:
    d.direction = "outbound"
    d.turns = []
    variant = n % 4
    if variant == 3:  # courtesy reminder, nothing failed
        d.agent(d.pick(W.REMINDER_AGENT))
        d.user(d.pick(W.REMINDER_USER))
        d.intent, d.summary = "renewal_reminder", "Courtesy reminder of the upcoming renewal."
        d.tags.append("courtesy_reminder")
        return
    d.cust.sub_status, d.cust.renewal_open = "past_due", True
    d.agent(d.pick(W.RENEWAL_OUT_AGENT))
    d.user(d.pick(W.RENEWAL_OUT_USER))
    if variant == 2:
        d.user(W.RENEWAL_OUT_TERMS)
        d.agent("I'll pass that request to the account team.")
        d.flags["terms"] = True
        d.tags.append("discount_asked")
    d.workflows.add("renewal_failed")
    d.intent, d.summary = INTENT_NAMES["renewal"], "Outbound recovery call about a failed renewal."


def sc_non_english(d: Draft, n: int) -> None:
    lang = ["es", "fr", "de"][n % 3]
    kind = ["receipt", "invoice", "refund", "dispute", "question", "receipt"][n // 3 % 6]
    bank = W.NON_ENGLISH[lang]
    d.turns = [("agent", bank["greeting"])]
    d.user(d.fill(bank[kind]))
    if kind == "question":
        d.agent(bank["answer"])
        d.user(bank["ok"])
    else:
        d.agent({"es": "De acuerdo, me encargo.", "fr": "Très bien, je m'en occupe.",
                 "de": "In Ordnung, ich kümmere mich darum."}[lang])  # fmt: skip
        d.workflows.add({"receipt": "receipt_resend", "invoice": "invoice_resend", "refund": "refund_approval",
                         "dispute": "charge_dispute"}[kind])  # fmt: skip
    d.intent, d.summary = INTENT_NAMES[kind], SUMMARIES[kind]
    d.tags += [f"lang_{lang}", f"kind_{kind}"]


def sc_high_value_hubspot(d: Draft, n: int) -> None:
    variant = n % 6
    c = d.cust
    c.in_hubspot = True
    d.tags = [t for t in d.tags if t != "stripe_only"]
    if variant in (0, 3):
        c.tier, c.tier_on = ["enterprise", "Strategic", "ENTERPRISE"][n % 3], "contact"
    elif variant in (1, 4):
        c.tier, c.tier_on = ["strategic", "Enterprise"][n % 2], "company"
    elif variant == 2:
        c.acv, c.tier_on = 85_000 + 5_000 * n, "company"
    else:
        c.acv, c.tier_on = 120_000, "contact"
    if n % 6 == 5:  # answered question: nothing to approve, no review
        sc_question(d, n)
        d.tags.append("high_value_question")
    else:
        single(["receipt", "invoice", "renewal"][n % 3])(d)
    d.tags.append(f"tier_on_{c.tier_on}" if c.tier else "high_acv")


def sc_high_value_stripe(d: Draft, n: int) -> None:
    d.cust.monthly = 8_000 + 500 * (n % 5)
    single(["invoice", "receipt"][n % 2])(d)


def sc_other_email(d: Draft, n: int) -> None:
    c = d.cust
    other = f"{_slug(c.first)}.bookkeeping{c.tag[-3:]}@{d.pick(['ledgerly', 'tallyhouse', 'sumsup'])}.example"
    kind = ["receipt", "invoice"][n % 2]
    ATOMS[kind](d)
    how = n % 3
    if how != 1:
        d.user(f"oh, and don't send it to me, send it to {spell_email(other)}")
        d.tags.append("other_address_spoken")
    if how != 0:
        d.analysis_extra["delivery"] = other
        d.tags.append("other_address_in_analysis")
    if how == 1:
        d.user("send it to our bookkeeper's address please, I'll put it in the chat box")
    d.agent("Okay, I'll send it there.")
    d.flags["other_email"] = True
    d.intent, d.summary = INTENT_NAMES[kind], SUMMARIES[kind] + " To a different address."


def sc_tax_id(d: Draft, n: int) -> None:
    vat = VALID_VATS[n % len(VALID_VATS)]
    spaced = " ".join([vat[:2], vat[2:5], vat[5:8], vat[8:]])
    variant = n % 3
    if variant == 0:
        d.user(f"we need the VAT registration on the account updating, it's {spaced}")
    elif variant == 1:  # no "tax"/"VAT" word, only the number
        d.user(f"the number printed on our bills should read {vat} going forward, swap out the old one")
    else:  # the number is only in the analysis
        d.user("our tax registration changed, I emailed the new number over to your team yesterday")
    d.analysis_extra["tax"] = vat
    d.agent(d.pick(W.CORRECTION_AGENT))
    d.workflows.add("billing_correction")
    d.intent, d.summary = INTENT_NAMES["correction"], "Tax registration number to be updated."
    d.tags.append(["vat_spoken", "number_only", "number_in_analysis_only"][variant])


def sc_sensitive(d: Draft, n: int) -> None:
    d.user(d.fill(W.SENSITIVE_PREFIX[n % 2]))
    d.agent(d.pick(W.SENSITIVE_AGENT))
    d.flags["sensitive"] = True
    d.tags.append(["card_read_out", "iban_read_out"][n % 2])
    if n % 4 >= 2:
        _joiner(d)
        atom_receipt(d)
        d.intent, d.summary = INTENT_NAMES["receipt"], "Payment method question; receipt resent."
    else:
        d.intent, d.summary = "payment_method", "Caller asked how to change payment method."


def sc_no_content(d: Draft, n: int) -> None:
    d.turns = list(W.NO_CONTENT[n % len(W.NO_CONTENT)])
    d.intent, d.summary = "none", ""
    d.tags.append(["inaudible", "voicemail", "wrong_number"][n % 3])


def sc_late(d: Draft, n: int) -> None:
    for _ in range(3 + n % 3):
        d.user(d.pick(W.PREAMBLE))
        d.agent(d.pick(W.AGENT_PREAMBLE_REPLY))
    q, a = d.pick(W.QUESTIONS)
    d.user(q)
    d.agent(a)
    d.user("right, and actually the main reason I rang")
    kind = ["receipt", "invoice", "refund", "dispute", "correction", "renewal"][n % 6]
    single(kind)(d)
    d.tags.append("request_late")


def sc_changed_mind(d: Draft, n: int) -> None:
    variant = n % 4
    if variant == 0:
        d.user("I want a refund for last month")
        d.agent("I can help with that. Can I ask what happened?")
        d.user("hmm, actually no, rather than a refund just send me the invoice so I can check the line items myself")
        d.agent(d.fill(d.pick(W.INVOICE_AGENT)))
        d.workflows.add("invoice_resend")
        d.intent = "refund"
    elif variant == 1:
        d.user(d.fill("I think I want to dispute that {amt} charge"))
        d.agent("Okay. Is it a charge you don't recognise?")
        d.user("no, I recognise it, we were just billed twice, so I'd rather you refund the extra one, no dispute")
        d.agent(d.pick(W.REFUND_AGENT))
        d.workflows.add("refund_approval")
        d.intent = "dispute"
    elif variant == 2:
        d.user("could you send the receipt, oh wait, it's the invoice I need really, not the receipt")
        d.agent(d.fill(d.pick(W.INVOICE_AGENT)))
        d.workflows.add("invoice_resend")
        d.intent = INTENT_NAMES["receipt"]
    else:
        d.user("please change the billing address to our new office, hang on, no, leave it, we're moving back")
        d.agent("Okay, I'll leave it as it is.")
        d.user("but I would like the receipt for the last payment")
        atom_receipt(d)
        d.intent = INTENT_NAMES["correction"]
    d.summary = "Caller changed their request during the call."
    d.tags += ["changed_mind", "misleading_analysis"]


BUILDERS: dict[str, Callable[[Draft, int], None]] = {
    "receipt_resend": sc_receipt,
    "invoice_resend": sc_invoice,
    "charge_dispute": sc_dispute,
    "renewal_failed": sc_renewal,
    "refund_approval": sc_refund,
    "billing_correction": sc_correction,
    "collections_log": sc_collections,
    "contact_sync": sc_contact,
    "two_intents": sc_multi(TWO),
    "three_intents": sc_multi(THREE),
    "negation_retraction": sc_negation,
    "dispute_mentioned_in_receipt": sc_dispute_background,
    "card_replaced_after_fraud": sc_fraud_card,
    "context_renewal_failed": sc_context_renewal,
    "context_good_standing_login": sc_login,
    "question_answered": sc_question,
    "unclear_intent": sc_unclear,
    "unknown_caller": sc_unknown,
    "low_confidence_match": sc_low_confidence,
    "outbound_renewal": sc_outbound_renewal,
    "non_english": sc_non_english,
    "high_value_hubspot": sc_high_value_hubspot,
    "high_value_stripe": sc_high_value_stripe,
    "send_to_other_email": sc_other_email,
    "tax_id_change": sc_tax_id,
    "sensitive_readout": sc_sensitive,
    "no_content": sc_no_content,
    "late_request": sc_late,
    "changed_mind": sc_changed_mind,
}
assert set(BUILDERS) == set(SCENARIO_COUNTS)

# How the customer is found, for scenarios that do not fix it.
IDENTITIES = ["email", "email_case", "email_spelled", "phone_e164", "phone_digits", "phone_national",
              "phone_uk", "phone_uk_national", "phone_spoken", "invoice_number", "charge_id",
              "payment_intent_id", "company_name", "account_id"]  # fmt: skip
OUTBOUND_IDENTITIES = ["phone_e164", "phone_digits", "phone_uk"]


def _customer(i: int, tag: str, rng: random.Random, country: str) -> Customer:
    first, last = rng.choice(W.FIRST), rng.choice(W.LAST)
    company = f"{W.COMPANY_A[i % 20]} {W.COMPANY_B[(i // 20 + i) % 20]}"
    if i >= 400:
        company += f" {i // 400 + 1}"
    email = f"{_slug(first)}.{_slug(last)}@{_slug(company.split()[0])}-{_slug(' '.join(company.split()[1:]))}.example"
    if country == "GB" and i < 1000:
        phone = f"+447700{900000 + i:06d}"[:13]
    else:
        country = "US"
        phone = f"+1415555{(2000 + i) % 10000:04d}"
    monthly = rng.choice([39, 79, 129, 249, 420, 690, 880])
    return Customer(idx=i, tag=tag, first=first, last=last, company=company, email=email, country=country,
                    phone_e164=phone, monthly=monthly, currency="gbp" if country == "GB" else "usd",
                    tier=rng.choice([None, "starter", "standard", "growth"]),
                    acv=rng.choice([None, 6_000, 12_000, 18_000]))  # fmt: skip


def _stranger(i: int) -> str:
    """A calling number that matches no customer in the set."""
    return f"+1628555{(3000 + i) % 10000:04d}"


def _identity_turns(d: Draft, i: int) -> tuple[str | None, str, str | None]:
    """Identity exchange; returns (caller phone as DialNexa sends it, identity tag, analysis e-mail)."""
    c, kind = d.cust, d.identity
    phone: str | None = _stranger(i)
    email: str | None = None
    say: str | None = None
    if kind == "email":
        email = c.email
    elif kind == "email_case":
        local, domain = c.email.split("@")
        email = f"{local.title()}@{domain.upper()}"
    elif kind == "email_spelled":
        say = f"my email's {spell_email(c.email)}"
    elif kind == "phone_e164":
        phone = c.phone_e164
    elif kind == "phone_digits":
        phone = c.phone_e164.lstrip("+")
    elif kind == "phone_national":
        phone = (
            f"({c.phone_e164[2:5]}) {c.phone_e164[5:8]}-{c.phone_e164[8:]}" if c.country == "US" else c.phone_stripe()
        )
    elif kind == "phone_uk":
        phone = c.phone_e164
    elif kind == "phone_uk_national":
        phone = c.phone_stripe()
    elif kind == "phone_spoken":
        national = c.phone_e164[2:] if c.country == "US" else "0" + c.phone_e164[3:]
        say = f"the number on the account is {spoken_digits(national, d.rng)}"
    elif kind == "invoice_number":
        say = f"I've got the invoice here, number {c.invoice_number}"
    elif kind == "charge_id":
        say = f"the payment reference on my statement says {c.charge}"
    elif kind == "payment_intent_id":
        say = f"the payment ID in the email is {c.payment_intent}"
    elif kind == "company_name":
        say = f"it's for {c.company}"
    elif kind == "account_id":
        say = f"our account number is {c.account_id}"
    elif kind == "unknown":
        say = d.pick(["I'm calling for my firm, it's a new account I think",
                      f"my name's {c.first} {c.last}"])  # fmt: skip
    elif kind == "company_shared":
        say = f"it's for {c.company}, I'm just the temp so I don't have any other details"
    elif kind == "phone_and_other_email":
        phone = c.phone_e164
        say = f"my email is {spell_email(d.other_customers[0].email)}"
    if say:
        d.turns.insert(2, ("agent", d.pick(W.AGENT_ASK_ID)))
        d.turns.insert(3, ("user", say))
        d.turns.insert(4, ("agent", d.pick(W.AGENT_NOT_FOUND if kind == "unknown" else W.AGENT_FOUND)))
    return phone, kind, email


def _render_transcript(turns: list[tuple[str, str]], fmt: str) -> Any:
    if fmt == "string":
        return "\n".join(f"{'Agent' if s == 'agent' else 'User'}: {t}" for s, t in turns)
    if fmt == "role_text":
        return [{"role": s, "text": t} for s, t in turns]
    return [{"speaker": "Agent" if s == "agent" else "Customer", "content": t} for s, t in turns]


def _payload(shape: str, call: dict[str, Any], analysis: dict[str, Any] | None, ws: dict[str, Any]) -> dict:
    body = {k: v for k, v in call.items() if v is not None}
    if shape == "envelope":
        if analysis is not None:
            body["post_call_analysis"] = analysis
        return {"event_type": "call_ended", "payload": {"call": body}}
    if shape == "event_call":
        body["call_id"] = body.pop("id")
        if analysis is not None:
            body["analysis"] = analysis
        return {"event": "call.completed", ("call" if call["id"][-1] in "02468ace" else "data"): body}
    if shape == "monitor":
        out = {"event": "call.ended", "session_id": body.pop("id"), "workspace_id": ws["id"],
               "phone_number": body.pop("from_number" if call["direction"] == "inbound" else "to_number", None),
               "timestamp": body.pop("initiated_at")}  # fmt: skip
        body.pop("to_number" if call["direction"] == "inbound" else "from_number", None)
        out.update(body)
        if analysis is not None:
            out["analysis"] = analysis
        return out
    body["call_id"] = body.pop("id")
    body["sentiment"] = "neutral"
    body["metadata"] = {"workspace": ws["id"]}
    if analysis is not None:
        body["extracted_data"] = analysis
    return body


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[Case]:
    """The set: `count` calls (scenario counts scaled from SCENARIO_COUNTS), deterministic for `seed`."""
    rng = random.Random(seed)
    seedtag = hashlib.sha256(str(seed).encode()).hexdigest()[:3].upper()
    plan: list[str] = []
    for name, n in SCENARIO_COUNTS.items():
        plan += [name] * max(1, round(n * count / DEFAULT_COUNT))
    plan = plan[:count] if len(plan) >= count else plan + ["receipt_resend"] * (count - len(plan))
    rng.shuffle(plan)
    seen: dict[str, int] = {}
    company_slots = list(range(max(count, 400)))
    rng.shuffle(company_slots)
    cases = []
    for i, scenario in enumerate(plan):
        n = seen.get(scenario, 0)
        seen[scenario] = n + 1
        case_rng = random.Random(f"{seed}:{i}")
        slot = company_slots[i]
        tag = f"{seedtag}{i:04d}"
        country = "GB" if case_rng.random() < 0.3 else "US"
        cust = _customer(slot, tag + "A", case_rng, country)
        others = []
        if scenario == "low_confidence_match":
            others = [_customer(slot + 500, tag + "B", case_rng, "US" if country == "GB" else "GB")]
        d = Draft(rng=case_rng, cust=cust, other_customers=others)
        d.turns = [("agent", case_rng.choice(W.AGENT_GREETINGS)), ("user", case_rng.choice(W.USER_OPENERS))]
        d.identity = case_rng.choice(IDENTITIES)
        if d.identity.startswith("phone_uk") and cust.country != "GB":
            d.identity = "phone_e164"
        if case_rng.random() < 0.12:
            d.cust.in_hubspot = False  # a customer Stripe knows and HubSpot does not
            d.tags.append("stripe_only")
        BUILDERS[scenario](d, n)
        if d.direction == "outbound":
            if d.identity not in OUTBOUND_IDENTITIES:
                d.identity = case_rng.choice(OUTBOUND_IDENTITIES)
            if d.identity == "phone_uk" and cust.country != "GB":
                d.identity = "phone_e164"
            if not d.turns or d.turns[0][0] != "agent":
                d.turns.insert(0, ("agent", "Hello, this is the accounts team calling."))
        if scenario in ("no_content", "non_english"):
            d.identity = "phone_uk" if cust.country == "GB" else "phone_e164"
        # Closings (not on empty calls).
        if scenario not in ("no_content", "non_english"):
            d.user(case_rng.choice(W.CLOSINGS_USER))
            d.agent(case_rng.choice(W.CLOSINGS_AGENT))
        if d.direction == "outbound":
            phone = cust.phone_e164.lstrip("+") if d.identity == "phone_digits" else cust.phone_e164
            identity, email = d.identity, None
        else:
            phone, identity, email = _identity_turns(d, i)
        d.tags.insert(0, f"identity_{identity}")
        if case_rng.random() < 0.25 and scenario not in ("non_english", "no_content"):
            d.turns = [(s, _noisy(t, case_rng) if s == "user" else t) for s, t in d.turns]
            d.tags.append("asr_noise")
        ws = WORKSPACES[i % 4]
        analysis: dict[str, Any] | None = None
        if ws["intent"] is not None and case_rng.random() < 0.85:
            analysis = {ws["intent"]: d.intent}
            if email:
                analysis[ws["email"]] = email
            for key, value in d.analysis_extra.items():
                name = ws.get(key, key)
                if name:
                    analysis[name] = value
        elif d.analysis_extra or email:
            # no analysis in this workspace: the e-mail and other extras must still reach the pipeline
            # somewhere the conversation carries them, so say them in the call instead.
            if email:
                d.turns.insert(2, ("user", f"you can find me under {spell_email(email)}"))
                identity = "email_spelled"
                d.tags[0] = "identity_email_spelled"
            if "delivery" in d.analysis_extra and "other_address_spoken" not in d.tags:
                d.turns.insert(-2, ("user", f"the address is {spell_email(d.analysis_extra['delivery'])}"))
            if "tax" in d.analysis_extra and "vat_spoken" not in d.tags and "number_only" not in d.tags:
                d.turns.insert(-2, ("user", f"the number is {d.analysis_extra['tax']}"))
                d.tags = [t if t != "number_in_analysis_only" else "number_spoken_late" for t in d.tags]
        flags = dict(d.flags)
        hubspot_high = (cust.tier or "").lower() in ("enterprise", "strategic") or (cust.acv or 0) >= 50_000
        if (cust.in_stripe and cust.monthly >= 5000) or (cust.in_hubspot and hubspot_high):
            flags["high_value"] = True
        # An unknown customer is in neither vendor.
        if identity == "unknown":
            cust.in_stripe = cust.in_hubspot = False
            flags["untrusted"] = True
        shape = SHAPES[(i + seen[scenario]) % 4]
        fmt = TRANSCRIPT_FORMATS[case_rng.randrange(3)]
        call_id = f"call_ho{hashlib.sha256(f'{seed}:{i}'.encode()).hexdigest()[:14]}"
        company_line = "+18005550199"
        status = "completed"
        if scenario == "no_content" and "voicemail" in d.tags:
            d.analysis_extra["hangup"] = "voicemail_detected"
        call = {
            "id": call_id, "direction": d.direction, "type": "phone_call", "status": status,
            "from_number": phone if d.direction == "inbound" else company_line,
            "to_number": company_line if d.direction == "inbound" else phone,
            "agent_id": f"agent_{ws['id']}", "initiated_at": f"2026-11-{1 + i % 28:02d}T{9 + i % 8:02d}:15:00.000Z",
            "duration": 40 + 9 * len(d.turns), "transcript": _render_transcript(d.turns, fmt),
            "summary": d.summary if d.summary and case_rng.random() < 0.75 else None,
            "recording_url": f"https://recordings.dialnexa.example/{call_id}.mp3",
            "hangup_reason": d.analysis_extra.pop("hangup", None),
        }  # fmt: skip
        if ws["id"] == "ws_quiet" or shape == "monitor":
            call["workspace_id"] = ws["id"]
        payload = _payload(shape, call, analysis, ws)
        stripe = cust.stripe_objects() + [o for other in others for o in other.stripe_objects()]
        hubspot = cust.hubspot_objects() + [o for other in others for o in other.hubspot_objects()]
        tags = [*d.tags, f"shape_{shape}", f"transcript_{fmt}", f"workspace_{ws['id']}", d.direction]
        if analysis is None:
            tags.append("no_analysis")
        if call["summary"] is None:
            tags.append("no_summary")
        cases.append(Case(call_id, scenario, payload, stripe, hubspot, label(set(d.workflows), flags), tags))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the holdout routing set as JSON lines")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    write_jsonl(generate(args.count, args.seed), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
