"""Generator of the holdout2 routing set: 400 labelled DialNexa calls with their Stripe and HubSpot context.

    python -m benchmarks.classification.holdout2.generate --out cases.jsonl [--count N] [--seed S]

Labels follow ../independent/LABELS.md (see README.md beside this file for the readings taken).
Deterministic: the same (count, seed) gives the same cases, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from stdnum.de import vat as de_vat
from stdnum.fr import tva as fr_tva
from stdnum.gb import vat as gb_vat
from stdnum.nl import btw as nl_btw

from benchmarks.classification.holdout2 import wording as W

DEFAULT_SEED = 20261203_2
KNOWN_WORKFLOWS = (
    "receipt_resend",
    "charge_dispute",
    "invoice_resend",
    "renewal_failed",
    "refund_approval",
    "billing_correction",
    "collections_log",
    "contact_sync",
)
MONEY_WORKFLOWS = frozenset({"refund_approval", "charge_dispute", "billing_correction"})

SCENARIO_COUNTS: dict[str, int] = {
    "receipt_resend": 14,
    "invoice_resend": 14,
    "charge_dispute": 12,
    "renewal_failed": 10,
    "refund_approval": 12,
    "billing_correction": 10,
    "collections_log": 12,
    "contact_sync": 12,
    "two_intents": 24,
    "three_intents": 8,
    "negation_retraction": 24,
    "dispute_mentioned_in_receipt": 8,
    "card_replaced_after_fraud": 8,
    "context_renewal_failed": 10,
    "context_good_standing_login": 6,
    "question_answered": 14,
    "unclear_intent": 6,
    "unknown_caller": 10,
    "low_confidence_match": 8,
    "outbound_renewal": 10,
    "non_english": 16,
    "high_value_hubspot": 12,
    "high_value_stripe": 6,
    "send_to_other_email": 10,
    "tax_id_change": 8,
    "sensitive_readout": 8,
    "no_content": 6,
    "late_request": 8,
    "changed_mind": 12,
    "phone_format_identity": 20,
    "invoice_number_identity": 8,
    "payment_id_identity": 8,
    "spelled_email_identity": 8,
    "company_name_identity": 6,
    "hubspot_only_customer": 8,
    "promise_to_pay_no_terms": 8,
    "misleading_analysis": 8,
    "bare_transcript": 8,
}
DEFAULT_COUNT = sum(SCENARIO_COUNTS.values())  # 400

BASE_DAY = date(2026, 11, 24)
BASE_TS = int(datetime(2026, 11, 24, 15, 0, tzinfo=UTC).timestamp())
OUR_LINE = "+18005550100"
OWNERS = [
    {"id": "71001", "email": "rosa.quint@billing.example", "firstName": "Rosa", "lastName": "Quint"},
    {"id": "71002", "email": "dev.anand@billing.example", "firstName": "Dev", "lastName": "Anand"},
    {"id": "71003", "email": "ines.moreau@billing.example", "firstName": "Ines", "lastName": "Moreau"},
]
US_AREAS = ["415", "312", "617", "206", "512", "303", "646", "213", "503", "702"]
WALKIN_AREAS = ["919", "480", "615", "305", "608", "404", "971", "816", "720", "414"]
FIRST = [
    "Maya",
    "Tobias",
    "Priya",
    "Jonah",
    "Leila",
    "Marcus",
    "Hana",
    "Oskar",
    "Farah",
    "Dmitri",
    "Celine",
    "Kwame",
    "Yuki",
    "Rafael",
    "Greta",
    "Idris",
    "Noor",
    "Elliot",
    "Sofia",
    "Bram",
    "Amara",
    "Lucas",
    "Mei",
    "Tomas",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Ramaswamy",
    "Bellamy",
    "Haddad",
    "Whitcombe",
    "Nakamura",
    "Brandt",
    "Castellano",
    "Petrov",
    "Ferreira",
    "Mensah",
    "Delacroix",
    "Kowalski",
    "Iyer",
    "Gallagher",
    "Moreno",
    "Sato",
    "Fischer",
    "Adeyemi",
    "Novak",
    "Rahman",
    "Oduya",
    "Vasquez",
]
CO_A = [
    "Harbor",
    "Juniper",
    "Copper",
    "Bluebell",
    "Granite",
    "Meadow",
    "Northwind",
    "Saffron",
    "Tidewater",
    "Willow",
    "Cobalt",
    "Lantern",
    "Orchard",
    "Quarry",
    "Redfern",
    "Silverline",
    "Thistle",
    "Upland",
    "Vantage",
    "Ember",
]
CO_B = ["Lane", "Ridge", "Works", "Point", "Field", "Brook", "Gate", "Hollow", "Crest", "Mill"]
CO_C = [
    "Ceramics",
    "Analytics",
    "Dental",
    "Logistics",
    "Studio",
    "Bakery",
    "Robotics",
    "Legal",
    "Outfitters",
    "Pharmacy",
    "Architects",
    "Cycles",
    "Foods",
    "Labs",
    "Media",
    "Clinic",
]
STREETS = ["Alder Street", "Kingsway", "Market Square", "Rue Lafayette", "Elm Avenue", "Harbour Road"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ID_ALPHABET = string.ascii_letters + string.digits


@dataclass
class Case:
    """One labelled call: the DialNexa payload, its vendor context and the expected routing."""

    call_id: str
    scenario: str
    call: dict[str, Any]
    stripe: list[dict[str, Any]]
    hubspot: list[list[Any]]  # [objectType, CRM v3 object] pairs; owners are shared and identical
    expected: dict[str, Any]
    tags: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # what the label was computed from

    def hubspot_objects(self) -> list[tuple[str, dict[str, Any]]]:
        return [(str(kind), obj) for kind, obj in self.hubspot]

    def to_json(self) -> str:
        return json.dumps(
            {
                "call_id": self.call_id,
                "scenario": self.scenario,
                "call": self.call,
                "stripe": self.stripe,
                "hubspot": self.hubspot,
                "expected": self.expected,
                "tags": self.tags,
                "facts": self.facts,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, line: str) -> Case:
        data = json.loads(line)
        return cls(**data)


# --- labelling (LABELS.md section 3) -------------------------------------------------------------


def label(
    workflows: Iterable[str],
    *,
    sensitive: bool = False,
    high_value: bool = False,
    terms: bool = False,
    access: bool = False,
    other_email: bool = False,
    identity: str = "confident",
    doc_missing: bool = False,
    unclear: bool = False,
) -> dict[str, Any]:
    """The expected routing from the facts of a call, by LABELS.md rule 3 (numbers in the reasons)."""
    names = sorted(set(workflows))
    unknown = set(names) - set(KNOWN_WORKFLOWS)
    if unknown:
        raise ValueError(f"unknown workflows {sorted(unknown)}")
    reasons = []
    if MONEY_WORKFLOWS & set(names):
        reasons.append("3.1 money-changing workflow")
    if sensitive:
        reasons.append("3.2 sensitive data read out")
    if high_value and names:
        reasons.append("3.3 high-value customer")
    if terms:
        reasons.append("3.4 change of terms asked")
    if access:
        reasons.append("3.4 access: new billing recipient or new customer")
    if other_email:
        reasons.append("3.5 document to an address not on file")
    if identity in ("unknown", "low") and names:
        reasons.append(f"3.6 identity {identity}")
    if doc_missing:
        reasons.append("3.7 invoice number not in Stripe")
    if unclear:
        reasons.append("3.8 unclear intent, callback")
    return {"workflows": names, "review": bool(reasons), "why": "; ".join(reasons) or "no review rule applies"}


def is_high_value(stripe: Sequence[dict[str, Any]], hubspot: Sequence[Sequence[Any]]) -> bool:
    """LABELS.md 3.3 from the vendor objects alone (the unit test re-checks labels with it)."""
    for kind, obj in hubspot:
        props = obj.get("properties", {}) if kind in ("contact", "company") else {}
        if str(props.get("account_tier") or "").lower() in ("enterprise", "strategic"):
            return True
        value = str(props.get("annual_contract_value") or "").replace(",", "")
        if value and float(value) >= 50000:
            return True
    for obj in stripe:
        if obj.get("object") == "subscription" and obj.get("status") in ("active", "past_due", "trialing", "unpaid"):
            monthly = 0.0
            for item in obj["items"]["data"]:
                price = item["price"]
                months = 12 if price["recurring"]["interval"] == "year" else 1
                monthly += price["unit_amount"] * item.get("quantity", 1) / 100 / months
            if monthly >= 5000:
                return True
    return False


# --- synthetic data ------------------------------------------------------------------------------


def luhn_card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4))


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
    return total % 10 == 0


def iban_de(rng: random.Random) -> str:
    bban = "".join(str(rng.randrange(10)) for _ in range(18))
    check = 98 - int(bban + "131400") % 97  # D=13, E=14, then "00"
    iban = f"DE{check:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def tax_number(rng: random.Random, country: str) -> str:
    """A checksum-valid VAT number (python-stdnum validates it), or a US EIN."""
    for _ in range(10000):
        if country == "DE":
            candidate = "DE" + "".join(str(rng.randrange(10)) for _ in range(9))
            if de_vat.is_valid(candidate):
                return candidate
        elif country == "GB":
            candidate = "GB" + "".join(str(rng.randrange(10)) for _ in range(9))
            if gb_vat.is_valid(candidate):
                return candidate
        elif country == "FR":
            siren = "".join(str(rng.randrange(10)) for _ in range(9))
            key = (12 + 3 * (int(siren) % 97)) % 97
            candidate = f"FR{key:02d}{siren}"
            if fr_tva.is_valid(candidate):
                return candidate
        elif country == "NL":
            candidate = "NL" + "".join(str(rng.randrange(10)) for _ in range(9)) + "B01"
            if nl_btw.is_valid(candidate):
                return candidate
        else:
            return f"{rng.choice(['12', '27', '46', '81'])}-{rng.randrange(1000000, 9999999)}"
    raise RuntimeError("no valid tax number found")


def spell_email(email: str, style: int) -> str:
    local, domain = email.split("@")
    name, tld = domain.rsplit(".", 1)
    if style == 0:
        return f"{local.replace('.', ' dot ')} at {name} dot {tld}"
    if style == 1:
        spaced = " dot ".join("-".join(part) for part in local.split("."))
        return f"{spaced}, at, {name} dot {tld}"
    if style == 2:
        return f"{local.replace('.', ' period ')} at {name}.{tld}"
    return f"{local.replace('.', ', dot, ')}, that's at {' '.join(name)} dot {tld}"


def decap(text: str) -> str:
    """Lower-case the first letter for a text continuing a sentence (but keep "I", "I'm"...)."""
    if text[:2] in ("I ", "I'") or not text[:1].isupper():
        return text
    return text[0].lower() + text[1:]


def fmt_amount(cents: int, currency: str) -> str:
    symbol = {"usd": "$", "gbp": "£", "eur": "€"}[currency]
    return f"{symbol}{cents / 100:,.2f}"


def day_text(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


# --- customers and their vendor objects ----------------------------------------------------------


@dataclass
class Customer:
    n: int
    first: str
    last: str
    company: str
    email: str
    country: str
    phone: str  # E.164
    acct: str
    stripe_id: str
    contact_id: str
    company_id: str
    in_stripe: bool = True
    in_hubspot: bool = True
    currency: str = "usd"
    stripe: list[dict[str, Any]] = field(default_factory=list)
    hubspot: list[list[Any]] = field(default_factory=list)
    paid: list[dict[str, Any]] = field(default_factory=list)  # {"invoice","charge","pi","amount","day"}
    sub: dict[str, Any] | None = None
    overdue: dict[str, Any] | None = None  # a one-off open invoice past its due date
    refund: dict[str, Any] | None = None

    def amount(self, cents: int) -> str:
        return fmt_amount(cents, self.currency)


class World:
    """Unique identity values across the whole set (phones, e-mails, companies, ids)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.n = 0
        self.us_phones = [f"+1{a}55501{x:02d}" for a in US_AREAS for x in range(100)]
        self.uk_phones = [f"+4420794600{x:02d}" for x in range(100)] + [f"+442079461{x:03d}" for x in range(1000)]
        self.walkin = [f"+1{a}55501{x:02d}" for a in WALKIN_AREAS for x in range(100)]
        for pool in (self.us_phones, self.uk_phones, self.walkin):
            rng.shuffle(pool)

    def unique(self, make: Any) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("identity space exhausted")

    def rid(self, prefix: str, length: int = 24) -> str:
        return self.unique(lambda: prefix + "".join(self.rng.choice(ID_ALPHABET) for _ in range(length)))

    def walkin_number(self) -> str:
        return self.walkin.pop()

    def unknown_email(self) -> str:
        first, last = self.rng.choice(FIRST).lower(), self.rng.choice(LAST).lower()
        return self.unique(
            lambda: f"{first}.{last}{self.rng.randrange(10, 99)}@{self.rng.choice(CO_A).lower()}mail.net"
        )

    def company_name(self) -> str:
        rng = self.rng
        return self.unique(lambda: f"{rng.choice(CO_A)} {rng.choice(CO_B)} {rng.choice(CO_C)}")

    def customer(
        self,
        *,
        country: str | None = None,
        company: str | None = None,
        in_stripe: bool = True,
        in_hubspot: bool = True,
        sub_status: str = "active",
        monthly_cents: int | None = None,
        interval: str = "month",
        hv_props: dict[str, dict[str, str]] | None = None,
    ) -> Customer:
        rng = self.rng
        self.n += 1
        country = country or ("GB" if rng.random() < 0.2 else "US")
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = company or self.company_name()
        slug = "".join(w.lower() for w in company.split()[:2])
        domain = self.unique(
            lambda: (
                f"{slug}{rng.choice(['', '-co', 'hq', '-' + str(rng.randrange(2, 99))])}."
                f"{rng.choice(['com', 'io', 'co', 'net'])}"
            )
        )
        local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}", f"accounts.{first}"]).lower()
        email = f"{local}@{domain}"
        phone = (self.uk_phones if country == "GB" else self.us_phones).pop()
        acct = self.unique(lambda: f"ACCT-{rng.randrange(10000, 99999)}{rng.choice('BCDFGHJKLMNPRSTVWXZ')}")
        c = Customer(
            n=self.n,
            first=first,
            last=last,
            company=company,
            email=email,
            country=country,
            phone=phone,
            acct=acct,
            stripe_id=self.rid("cus_", 14),
            contact_id=self.unique(lambda: str(rng.randrange(10**9, 10**10))),
            company_id=self.unique(lambda: str(rng.randrange(10**9, 10**10))),
            in_stripe=in_stripe,
            in_hubspot=in_hubspot,
            currency="gbp" if country == "GB" else "usd",
        )
        if in_stripe:
            self._stripe(c, sub_status, monthly_cents, interval)
        if in_hubspot:
            self._hubspot(c, hv_props or {})
        return c

    def _stripe(self, c: Customer, sub_status: str, monthly_cents: int | None, interval: str) -> None:
        rng = self.rng
        stripe_phone = (
            f"+1 ({c.phone[2:5]}) {c.phone[5:8]}-{c.phone[8:]}"
            if c.country == "US"
            else f"0{c.phone[3:5]} {c.phone[5:9]} {c.phone[9:]}"
        )
        c.stripe.append(
            {
                "id": c.stripe_id,
                "object": "customer",
                "email": c.email,
                "name": c.company,
                "phone": stripe_phone,
                "metadata": {"account_id": c.acct, "contact_name": f"{c.first} {c.last}"},
                "currency": c.currency,
                "created": BASE_TS - 400 * 86400,
                "livemode": False,
                "delinquent": sub_status in ("past_due", "unpaid"),
                "address": {"country": c.country},
                "tax_exempt": "none",
            }
        )
        unit = monthly_cents if monthly_cents is not None else rng.choice([4900, 9900, 14900, 29900, 49900, 79900])
        if interval == "year" and monthly_cents is None:
            unit *= 10
        quantity = 1
        prefix = self.unique(lambda: "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(8)))
        sub_id = self.rid("sub_", 24)
        seq = rng.randrange(3, 40)
        period = 365 if interval == "year" else 30
        for k, back in enumerate((2 * period, period, 0)):
            day = BASE_DAY - timedelta(days=back + rng.randrange(3, 12))
            ts = int(datetime(day.year, day.month, day.day, 9, tzinfo=UTC).timestamp())
            latest = k == 2
            failing = latest and sub_status in ("past_due", "unpaid")
            inv = {
                "id": self.rid("in_", 24),
                "object": "invoice",
                "number": f"{prefix}-{seq + k:04d}",
                "customer": c.stripe_id,
                "subscription": sub_id,
                "status": "open" if failing else "paid",
                "amount_due": unit * quantity,
                "amount_paid": 0 if failing else unit * quantity,
                "amount_remaining": unit * quantity if failing else 0,
                "currency": c.currency,
                "created": ts,
                "billing_reason": "subscription_cycle",
                "collection_method": "charge_automatically",
                "attempt_count": 3 if failing else 1,
                "attempted": True,
                "paid": not failing,
                "hosted_invoice_url": f"https://invoice.stripe.com/i/acct_test/{prefix.lower()}{seq + k}",
                "customer_email": c.email,
                "next_payment_attempt": ts + 5 * 86400 if failing else None,
            }
            charge = {
                "id": self.rid("ch_3", 23),
                "object": "charge",
                "customer": c.stripe_id,
                "amount": unit * quantity,
                "amount_refunded": 0,
                "currency": c.currency,
                "status": "failed" if failing else "succeeded",
                "paid": not failing,
                "refunded": False,
                "disputed": False,
                "invoice": inv["id"],
                "created": ts,
                "receipt_email": c.email,
                "failure_code": "card_declined" if failing else None,
            }
            pi = {
                "id": self.rid("pi_3", 23),
                "object": "payment_intent",
                "customer": c.stripe_id,
                "amount": unit * quantity,
                "currency": c.currency,
                "invoice": inv["id"],
                "created": ts,
                "status": "requires_payment_method" if failing else "succeeded",
                "latest_charge": charge["id"],
            }
            charge["payment_intent"] = pi["id"]
            inv["charge"], inv["payment_intent"] = charge["id"], pi["id"]
            c.stripe += [inv, charge, pi]
            if not failing:
                c.paid.append({"invoice": inv, "charge": charge, "pi": pi, "amount": unit * quantity, "day": day})
            latest_invoice = inv
        now = BASE_TS
        c.sub = {
            "id": sub_id,
            "object": "subscription",
            "customer": c.stripe_id,
            "status": sub_status,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": self.rid("si_", 14),
                        "object": "subscription_item",
                        "quantity": quantity,
                        "price": {
                            "id": self.rid("price_", 14),
                            "object": "price",
                            "unit_amount": unit,
                            "currency": c.currency,
                            "recurring": {"interval": interval, "interval_count": 1},
                        },
                    }
                ],
            },
            "latest_invoice": latest_invoice["id"],
            "current_period_start": now - 10 * 86400,
            "current_period_end": now + (period - 10) * 86400,
            "cancel_at_period_end": False,
            "collection_method": "charge_automatically",
            "currency": c.currency,
        }
        c.stripe.insert(1, c.sub)

    def _hubspot(self, c: Customer, hv_props: dict[str, dict[str, str]]) -> None:
        rng = self.rng
        hub_phone = (
            f"{c.phone[2:5]}.{c.phone[5:8]}.{c.phone[8:]}"
            if c.country == "US"
            else f"+44 {c.phone[3:5]} {c.phone[5:9]} {c.phone[9:]}"
        )
        owner = rng.choice(OWNERS)["id"]
        contact_props = {
            "email": c.email if rng.random() < 0.7 else c.email.capitalize(),
            "firstname": c.first,
            "lastname": c.last,
            "phone": hub_phone,
            "company": c.company,
            "account_id": c.acct,
            "hubspot_owner_id": owner,
            "lifecyclestage": "customer",
            "renewal_date": (BASE_DAY + timedelta(days=rng.randrange(20, 200))).isoformat(),
            "account_tier": rng.choice(["starter", "standard", "growth", ""]),
            "annual_contract_value": str(rng.choice([1200, 4800, 9600, 18000])),
            "hs_lastmodifieddate": "2026-11-01T10:00:00.000Z",
        }
        if c.in_stripe:
            contact_props["stripe_customer_id"] = c.stripe_id
        company_props = {
            "name": c.company,
            "domain": c.email.split("@")[1],
            "hubspot_owner_id": owner,
            "account_tier": rng.choice(["standard", "growth", ""]),
            "country": c.country,
            "hs_lastmodifieddate": "2026-11-01T10:00:00.000Z",
        }
        contact_props.update(hv_props.get("contact", {}))
        company_props.update(hv_props.get("company", {}))
        contact_props = {k: v for k, v in contact_props.items() if v != ""}
        company_props = {k: v for k, v in company_props.items() if v != ""}
        c.hubspot.append(
            [
                "contact",
                {
                    "id": c.contact_id,
                    "properties": contact_props,
                    "createdAt": "2025-06-01T10:00:00.000Z",
                    "updatedAt": "2026-11-01T10:00:00.000Z",
                    "archived": False,
                    "associations": {"companies": {"results": [{"id": c.company_id, "type": "contact_to_company"}]}},
                },
            ]
        )
        c.hubspot.append(
            [
                "company",
                {
                    "id": c.company_id,
                    "properties": company_props,
                    "createdAt": "2025-06-01T10:00:00.000Z",
                    "updatedAt": "2026-11-01T10:00:00.000Z",
                    "archived": False,
                },
            ]
        )

    def add_overdue(self, c: Customer) -> dict[str, Any]:
        """A one-off `send_invoice` invoice past its due date (collections; the subscription stays active)."""
        rng = self.rng
        due = BASE_DAY - timedelta(days=rng.randrange(10, 40))
        prefix = c.paid[0]["invoice"]["number"].split("-")[0]
        amount = rng.choice([18000, 32500, 64000, 89000])
        inv = {
            "id": self.rid("in_", 24),
            "object": "invoice",
            "number": f"{prefix}-{rng.randrange(60, 90):04d}",
            "customer": c.stripe_id,
            "subscription": None,
            "status": "open",
            "amount_due": amount,
            "amount_paid": 0,
            "amount_remaining": amount,
            "currency": c.currency,
            "created": BASE_TS - 60 * 86400,
            "billing_reason": "manual",
            "collection_method": "send_invoice",
            "due_date": int(datetime(due.year, due.month, due.day, tzinfo=UTC).timestamp()),
            "paid": False,
            "customer_email": c.email,
            "attempt_count": 0,
            "attempted": False,
        }
        c.stripe.append(inv)
        c.overdue = {"invoice": inv, "amount": amount, "due": due}
        return c.overdue

    def add_dispute(self, c: Customer, paid: dict[str, Any], status: str = "needs_response") -> None:
        paid["charge"]["disputed"] = True
        c.stripe.append(
            {
                "id": self.rid("du_", 24),
                "object": "dispute",
                "charge": paid["charge"]["id"],
                "payment_intent": paid["pi"]["id"],
                "amount": paid["amount"],
                "currency": c.currency,
                "status": status,
                "reason": "fraudulent" if status == "needs_response" else "product_not_received",
                "created": BASE_TS - 86400 * (2 if status == "needs_response" else 300),
                "livemode": False,
            }
        )

    def add_refund(self, c: Customer, paid: dict[str, Any]) -> dict[str, Any]:
        paid["charge"]["amount_refunded"] = paid["amount"]
        paid["charge"]["refunded"] = True
        refund = {
            "id": self.rid("re_", 24),
            "object": "refund",
            "charge": paid["charge"]["id"],
            "payment_intent": paid["pi"]["id"],
            "amount": paid["amount"],
            "currency": c.currency,
            "status": "succeeded",
            "created": BASE_TS - 6 * 86400,
        }
        c.stripe.append(refund)
        c.refund = {"refund": refund, "day": BASE_DAY - timedelta(days=6)}
        return c.refund


# --- one call --------------------------------------------------------------------------------------

WORKSPACES = [
    {
        "id": "ws_harbor",
        "intent": "intent",
        "email": "email",
        "delivery": "delivery_email",
        "tax": "tax_id",
        "invoice": "invoice_number",
        "payment": "payment_id",
        "account": "account_id",
    },
    {
        "id": "ws_orbit",
        "intent": "call_reason",
        "email": "customer_email",
        "delivery": "send_to",
        "tax": "vat_number",
        "invoice": "invoice",
        "payment": "charge_id",
        "account": "account_id",
    },
    {
        "id": "ws_pine",
        "intent": "reason_for_call",
        "email": "caller_email",
        "delivery": "send_receipt_to",
        "tax": "tax_number",
        "invoice": "invoice_id",
        "payment": "payment_intent",
        "account": "customer_id",
    },
    {"id": "ws_bare"},  # sends no post-call analysis at all
]
PHONE_FORMATS = [
    "e164",
    "digits",
    "national_paren",
    "national_dash",
    "intl_formatted",
    "double_zero",
    "extension",
    "extension_rfc",
]


def phone_as(number: str, style: str) -> str:
    """A customer's E.164 number as DialNexa (or a PBX in front of it) might send it."""
    if number.startswith("+44"):
        national = "0" + number[3:]
        return {
            "e164": number,
            "digits": number[1:],
            "national_paren": f"{national[:3]} {national[3:7]} {national[7:]}",
            "national_dash": national,
            "intl_formatted": f"+44 {number[3:5]} {number[5:9]} {number[9:]}",
            "double_zero": "00" + number[1:],
            "extension": f"{number} ext. {int(number[-2:]) % 40 + 10}",
            "extension_rfc": f"{number};ext={int(number[-2:]) % 40 + 10}",
        }[style]
    area, mid, last = number[2:5], number[5:8], number[8:]
    return {
        "e164": number,
        "digits": number[1:],
        "national_paren": f"({area}) {mid}-{last}",
        "national_dash": f"{area}-{mid}-{last}",
        "intl_formatted": f"+1 {area}-{mid}-{last}",
        "double_zero": "001" + area + mid + last,
        "extension": f"+1 {area} {mid} {last} x{int(last) % 40 + 10}",
        "extension_rfc": f"{area}{mid}{last};ext={int(last) % 40 + 10}",
    }[style]


class Call:
    """Builds one conversation and its DialNexa payload; collects the facts its label comes from."""

    def __init__(self, world: World, rng: random.Random, scenario: str, index: int) -> None:
        self.world, self.rng, self.scenario = world, rng, scenario
        self.call_id = f"call_h2{index:04d}{''.join(rng.choice(string.ascii_lowercase) for _ in range(6))}"
        self.turns: list[tuple[str, str]] = []
        self.summary: list[str] = []
        self.analysis: dict[str, str] = {}
        self.workflows: set[str] = set()
        self.facts: dict[str, Any] = {"identity": "confident"}
        self.tags: list[str] = []
        self.customers: list[Customer] = []
        self.direction = "inbound"
        self.status = "completed"
        self.from_number = world.walkin_number()
        self.customer_number: str | None = None
        self.phone_style = "e164"
        self.workspace = rng.choice(WORKSPACES)
        self.intent_label: str | None = None
        self.slots: dict[str, str] = {}
        self.force_list_transcript = False
        self.no_summary = rng.random() < 0.25
        self.focus: dict[str, Any] | None = None  # the payment the call's identifier names
        self.prefix = ""  # words put before the next request (a late request)
        self.no_close = False

    # conversation helpers
    def agent(self, text: str) -> None:
        self.turns.append(("agent", text.format(**self.slots)))

    def caller(self, text: str) -> None:
        text = text.format(**self.slots)
        if self.rng.random() < 0.1 and not text[:1].isdigit():
            text = self.rng.choice(W.FILLERS) + decap(text)
            if "asr_noise" not in self.tags:
                self.tags.append("asr_noise")
        self.turns.append(("user", text))

    def say(self, text: str) -> None:
        self.summary.append(text.format(**self.slots))

    def pick(self, options: Sequence[Any]) -> Any:
        return self.rng.choice(list(options))

    @property
    def has_analysis(self) -> bool:
        return "intent" in self.workspace

    def field(self, role: str, value: str) -> bool:
        """Put a value into the analysis under this workspace's name for `role`; False if no analysis."""
        if not self.has_analysis:
            return False
        self.analysis[self.workspace[role]] = value
        return True

    # customers
    def customer(self, **kwargs: Any) -> Customer:
        c = self.world.customer(**kwargs)
        self.customers.append(c)
        paid = c.paid[-1] if c.paid else None
        self.slots.update(
            first=c.first,
            company=c.company,
            acct=c.acct,
            amt=c.amount(paid["amount"]) if paid else c.amount(12900),
            date=day_text(paid["day"]) if paid else day_text(BASE_DAY - timedelta(days=9)),
            month=MONTHS[paid["day"].month - 1] if paid else MONTHS[(BASE_DAY.month - 2) % 12],
            inv=paid["invoice"]["number"] if paid else "",
        )
        return c

    def identify(self, c: Customer, channel: str | None = None) -> str:
        """Make the call carry exactly one identifier of `c` (the channel); returns the channel used."""
        if channel is None:
            weights = {"phone": 12, "email": 4, "spelled_email": 2, "account": 2}
            if c.in_stripe:
                weights.update(invoice=2, payment=2, company=1)
            channel = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        if channel == "email" and not self.has_analysis:
            channel = "spelled_email"
        self.tags.append(f"identity_{channel}")
        self.facts["identity_channel"] = channel
        if channel == "phone":
            self.phone_style = self.rng.choices(PHONE_FORMATS, weights=[6, 4, 2, 2, 1, 1, 1, 1])[0]
            self.customer_number = c.phone
            self.tags.append(f"phone_{self.phone_style}")
            return channel
        if channel == "email":
            value = (
                c.email if self.rng.random() < 0.6 else c.email.upper() if self.rng.random() < 0.3 else c.email.title()
            )
            self.field("email", value)
            return channel
        if channel == "spelled_email":
            self.slots["email_spoken"] = spell_email(c.email, self.rng.randrange(4))
            self.pending_identity = self.pick(W.SAY_EMAIL)
        elif channel == "account":
            if not self.field("account", c.acct) or self.rng.random() < 0.5:
                self.pending_identity = self.pick(W.SAY_ACCOUNT)
        elif channel == "company":
            self.pending_identity = self.pick(W.SAY_COMPANY)
        elif channel == "invoice":
            self.focus = self.pick(c.paid)
            self.slots["inv"] = self.focus["invoice"]["number"]
            if not self.field("invoice", self.slots["inv"]) or self.rng.random() < 0.5:
                self.pending_identity = self.pick(W.SAY_INVOICE_REF)
        elif channel == "payment":
            paid = self.focus = self.pick(c.paid)
            pid = paid["pi"]["id"] if self.rng.random() < 0.5 else paid["charge"]["id"]
            self.tags.append("payment_" + ("intent" if pid.startswith("pi_") else "charge"))
            self.slots.update(pid=pid, amt=c.amount(paid["amount"]), date=day_text(paid["day"]))
            role_ok = self.has_analysis
            if role_ok:
                key = self.workspace["payment"]
                if key == "payment_intent" and pid.startswith("ch_"):
                    key = "charge_id"
                elif key == "charge_id" and pid.startswith("pi_"):
                    key = "payment_intent"
                self.analysis[key] = pid
            if not role_ok or self.rng.random() < 0.4:
                self.pending_identity = self.pick(W.SAY_PAYMENT)
        return channel

    pending_identity: str | None = None

    def open(self, outbound: bool = False) -> None:
        if outbound:
            self.direction = "outbound"
            self.agent(self.pick(W.AGENT_OPEN_OUT))
            self.caller(self.pick(W.CALLER_CONFIRM_OUT))
            return
        self.agent(self.pick(W.AGENT_OPEN_IN))
        if self.pending_identity and self.rng.random() < 0.5:
            self.caller(self.pick(W.CALLER_HELLO))
            self.agent(self.pick(W.AGENT_ASK_ID))
            self.caller(self.pending_identity)
            self.agent(self.pick(W.AGENT_FOUND))
            self.pending_identity = None

    def request(self, text: str) -> None:
        """The caller's request, with the identity statement in front when it has not been said yet."""
        if self.prefix:
            text, self.prefix = self.prefix + decap(text), ""
        if self.pending_identity:
            text = self.pending_identity + " " + text
            self.pending_identity = None
        self.caller(text)

    def close(self) -> None:
        if not self.no_close and self.rng.random() < 0.7:
            self.agent(self.pick(W.AGENT_CLOSE))
            self.caller(self.pick(W.CALLER_CLOSE))

    def intent(self, workflow: str, misleading: str | None = None) -> None:
        if self.intent_label is None:
            self.intent_label = self.pick(W.INTENT_LABEL[misleading or workflow])
            if misleading and self.has_analysis:
                self.tags.append("misleading_analysis")

    # payload
    def finish(self, **label_facts: Any) -> Case:
        if self.pending_identity:  # nothing was requested (no-content calls): say it anyway
            self.caller(self.pending_identity)
        stripe = [o for c in self.customers for o in c.stripe]
        hubspot = [h for c in self.customers for h in c.hubspot]
        hv = is_high_value(stripe, hubspot) if len(self.customers) == 1 else False
        facts = dict(self.facts)
        facts.update(label_facts)
        facts.setdefault("high_value", hv)
        expected = label(
            self.workflows,
            **{
                k: facts[k]
                for k in (
                    "sensitive",
                    "high_value",
                    "terms",
                    "access",
                    "other_email",
                    "identity",
                    "doc_missing",
                    "unclear",
                )
                if k in facts
            },
        )
        if self.has_analysis and self.intent_label:
            self.analysis.setdefault(self.workspace["intent"], self.intent_label)
        call = self._payload()
        if hubspot and not any(kind == "owner" for kind, _ in hubspot):
            hubspot = hubspot + [
                ["owner", dict(o, userId=int(o["id"]) + 9000, updatedAt="2026-01-01T00:00:00.000Z")] for o in OWNERS
            ]
        self.tags.append("shape_" + call["_shape"])
        del call["_shape"]
        return Case(
            call_id=self.call_id,
            scenario=self.scenario,
            call=call,
            stripe=stripe,
            hubspot=hubspot,
            expected=expected,
            tags=sorted(set(self.tags)),
            facts=facts,
        )

    def _transcript(self) -> Any:
        style = "list" if self.force_list_transcript else self.pick(["text", "text", "role", "speaker"])
        if style == "text":
            a, u = self.pick([("Agent", "User"), ("AI", "Customer"), ("Assistant", "Caller")])
            self.tags.append("transcript_text")
            return "\n".join(f"{a if s == 'agent' else u}: {t}" for s, t in self.turns)
        if style == "list":
            style = self.pick(["role", "speaker"])
        self.tags.append(f"transcript_{style}")
        if style == "role":
            names = self.pick([("agent", "user"), ("assistant", "customer")])
            return [{"role": names[0] if s == "agent" else names[1], "text": t} for s, t in self.turns]
        return [{"speaker": "Agent" if s == "agent" else "Customer", "content": t} for s, t in self.turns]

    def _payload(self) -> dict[str, Any]:
        rng = self.rng
        customer_side = phone_as(self.customer_number, self.phone_style) if self.customer_number else None
        if self.direction == "outbound":
            from_number, to_number = OUR_LINE[1:], customer_side or self.from_number
        else:
            from_number, to_number = customer_side or self.from_number, OUR_LINE[1:]
        started = datetime.fromtimestamp(BASE_TS + rng.randrange(0, 86400), UTC)
        transcript = self._transcript() if self.turns else ""
        summary = " ".join(self.summary) if self.summary and not self.no_summary else None
        if summary is None:
            self.tags.append("no_summary")
        analysis = dict(self.analysis) if self.has_analysis else None
        if analysis is None:
            self.tags.append("no_analysis")
        common = {
            "direction": self.direction,
            "status": self.status,
            "agent_id": "agent_billing_" + self.workspace["id"][3:],
            "duration": 0 if self.status != "completed" else 40 + 9 * len(self.turns),
            "recording_url": f"https://recordings.dialnexa.example/{self.call_id}.mp3?sig=x" if self.turns else None,
        }
        shape = rng.choice(["envelope", "event_call", "monitor", "flat"])
        if shape == "envelope":
            call = {
                "id": self.call_id,
                "type": "phone_call",
                "from_number": from_number,
                "to_number": to_number,
                "initiated_at": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                **common,
                "transcript": transcript,
                "summary": summary,
                "post_call_analysis": analysis,
                "hangup_reason": "user_hangup" if self.status == "completed" else "user_did_not_pick_up",
            }
            payload = {"event_type": "call_ended", "payload": {"call": call}}
        elif shape == "event_call":
            call = {
                "call_id": self.call_id,
                "from_number": from_number,
                "to_number": to_number,
                "started_at": started.isoformat().replace("+00:00", "Z"),
                **common,
                "transcript": transcript,
                "summary": summary,
                "analysis": analysis,
            }
            payload = {"event": "call.completed", rng.choice(["call", "data"]): call}
        elif shape == "monitor":
            # The monitor shape names one number: the customer's side of the call.
            payload = {
                "event": "call.analysis_ready",
                "session_id": self.call_id,
                "workspace_id": self.workspace["id"],
                "phone_number": from_number if self.direction == "inbound" else to_number,
                "timestamp": started.isoformat().replace("+00:00", "Z"),
                **common,
                "transcript": transcript,
                "summary": summary,
                "analysis": analysis,
            }
        else:
            payload = {
                "call_id": self.call_id,
                "from_number": from_number,
                "to_number": to_number,
                **common,
                "sentiment": rng.choice(["positive", "neutral", "negative"]),
                "summary": summary,
                "transcript": transcript,
                "extracted_data": analysis,
                "metadata": {"workspace": self.workspace["id"]},
            }
        payload = _drop_none(payload)
        payload["_shape"] = shape
        return payload


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    return value


# --- requests, as reusable pieces ----------------------------------------------------------------


def ask(call: Call, c: Customer, kind: str, *, first: bool = True, agent_reply: bool = True) -> None:
    """Caller asks for one thing (`kind`, optionally `kind:sub`), the agent answers; facts recorded."""
    kind, _, sub = kind.partition(":")
    rng = call.rng
    lead = "" if first else call.pick(W.ALSO)

    def speak(text: str) -> None:
        text = text.format(**call.slots)
        call.request(lead + decap(text) if lead else text)

    if kind == "receipt":
        paid = call.focus or call.pick(c.paid)
        call.slots.update(amt=c.amount(paid["amount"]), date=day_text(paid["day"]), month=MONTHS[paid["day"].month - 1])
        speak(call.pick(W.RECEIPT))
        call.agent(call.pick(W.RECEIPT_AGENT)) if agent_reply else None
        call.say(call.pick(W.RECEIPT_SUMMARY))
        call.workflows.add("receipt_resend")
        call.intent("receipt_resend")
    elif kind == "invoice":
        paid = call.focus or call.pick(c.paid)
        call.slots.update(inv=paid["invoice"]["number"], month=MONTHS[paid["day"].month - 1])
        if sub == "missing":
            call.slots["inv"] = call.world.unique(
                lambda: f"{paid['invoice']['number'].split('-')[0]}-{rng.randrange(500, 999):04d}"
            )
            call.facts["doc_missing"] = True
            call.tags.append("invoice_not_in_stripe")
        use_number = (
            sub == "missing"
            or call.facts.get("identity_channel") == "invoice"
            or (sub != "plain" and rng.random() < 0.6)
        )
        speak(call.pick(W.INVOICE_NUM if use_number else W.INVOICE_MONTH))
        if use_number:
            call.field("invoice", call.slots["inv"])
        call.agent(call.pick(W.INVOICE_AGENT)) if agent_reply else None
        call.say(call.pick(W.INVOICE_SUMMARY))
        call.workflows.add("invoice_resend")
        call.intent("invoice_resend")
    elif kind == "dispute":
        paid = call.focus or call.pick(c.paid)
        call.slots.update(amt=c.amount(paid["amount"]), date=day_text(paid["day"]))
        if sub == "stripe":
            call.world.add_dispute(c, paid)
            call.tags.append("stripe_dispute_object")
        speak(call.pick(W.DISPUTE))
        call.agent(call.pick(W.DISPUTE_AGENT)) if agent_reply else None
        call.say(call.pick(W.DISPUTE_SUMMARY))
        if call.has_analysis and rng.random() < 0.5:
            call.analysis["dispute_reason"] = "charge not recognised"
        call.workflows.add("charge_dispute")
        call.intent("charge_dispute")
    elif kind == "renewal":
        speak(call.pick(W.RENEWAL))
        call.agent(call.pick(W.RENEWAL_AGENT)) if agent_reply else None
        call.say(call.pick(W.RENEWAL_SUMMARY))
        call.workflows.add("renewal_failed")
        call.intent("renewal_failed")
    elif kind == "refund":
        paid = call.focus or call.pick(c.paid)
        call.slots.update(amt=c.amount(paid["amount"]), date=day_text(paid["day"]), month=MONTHS[paid["day"].month - 1])
        speak(call.pick(W.REFUND))
        call.agent(call.pick(W.REFUND_AGENT)) if agent_reply else None
        call.say(call.pick(W.REFUND_SUMMARY))
        if call.has_analysis and rng.random() < 0.5:
            call.analysis["refund_reason"] = "charged after cancellation"
            call.analysis["amount"] = f"{paid['amount'] / 100:.2f}"
            call.analysis["currency"] = c.currency.upper()
        call.workflows.add("refund_approval")
        call.intent("refund_approval")
    elif kind == "correction":
        sub = sub or call.pick(["tax_id", "address", "legal_name", "exemption"])
        if sub in ("tax_id", "tax_id_bare"):
            call.slots["vat"] = tax_number(rng, call.pick(["DE", "GB", "FR", "NL"]))
            call.tags.append("tax_number_read_out")
        call.slots["addr"] = f"{rng.randrange(2, 400)} {call.pick(W_STREETS)}, Suite {rng.randrange(2, 30)}"
        call.slots["legal"] = (
            f"{c.company.split()[0]} {call.pick(['Holdings', 'Group', 'Partners'])} {call.pick(['Ltd', 'Inc', 'LLC'])}"
        )
        speak(call.pick(W.CORRECTION[sub]))
        call.agent(call.pick(W.CORRECTION_AGENT)) if agent_reply else None
        call.say(W.CORRECTION_SUMMARY[sub])
        call.tags.append(f"correction_{sub}")
        call.workflows.add("billing_correction")
        call.intent("billing_correction")
    elif kind == "contact":
        sub = sub or call.pick(["new_recipient", "new_phone", "name_spelling"])
        nf, nl = call.pick(FIRST), call.pick(LAST)
        domain = c.email.split("@")[1]
        call.slots.update(
            new_name=f"{nf} {nl}",
            new_email=f"{nf.lower()}.{nl.lower()}@{domain}",
            newphone=phone_as(call.world.walkin_number(), call.pick(["national_paren", "intl_formatted"])),
            spelled="-".join(c.last.upper()) if rng.random() < 0.5 else "-".join(c.first.upper()),
        )
        if sub == "new_recipient":
            call.slots["new_email"] = f"ap@{domain}" if rng.random() < 0.3 else call.slots["new_email"]
            if call.has_analysis and rng.random() < 0.6:
                call.analysis["new_contact_email"] = call.slots["new_email"]
            call.facts["access"] = True
        speak(call.pick(W.CONTACT[sub]))
        call.agent(call.pick(W.CONTACT_AGENT)) if agent_reply else None
        call.say(W.CONTACT_SUMMARY[sub])
        call.tags.append(f"contact_{sub}")
        call.workflows.add("contact_sync")
        call.intent("contact_sync")
    elif kind == "question":
        q, a, ok = call.pick(W.QUESTION)
        call.slots["date"] = day_text(BASE_DAY + timedelta(days=rng.randrange(5, 25)))
        speak(q)
        call.agent(a)
        call.caller(ok)
        call.say(call.pick(W.QUESTION_SUMMARY))
        call.intent("none")
    else:
        raise ValueError(kind)


W_STREETS = STREETS


def needs_past_due(kinds: Iterable[str]) -> bool:
    return any(k.startswith("renewal") for k in kinds)


def outbound_collections(call: Call, c: Customer, *, terms: bool, then_invoice: bool = False) -> None:
    od = call.world.add_overdue(c)
    call.slots.update(
        inv=od["invoice"]["number"],
        amt=c.amount(od["amount"]),
        date=day_text(od["due"]),
        pay_date=day_text(BASE_DAY + timedelta(days=call.rng.randrange(3, 15))),
    )
    call.open(outbound=True)
    call.agent(call.pick(W.COLLECT_OUT_AGENT))
    if terms:
        call.caller(call.pick(W.COLLECT_TERMS))
        call.agent(call.pick(W.COLLECT_AGENT_TERMS))
        call.say(call.pick(W.COLLECT_TERMS_SUMMARY))
        call.facts["terms"] = True
        call.tags.append("new_terms")
    else:
        call.caller(call.pick(W.COLLECT_PROMISE))
        call.agent(call.pick(W.COLLECT_AGENT_ACK))
        call.say(call.pick(W.COLLECT_SUMMARY))
        if call.has_analysis:
            call.analysis["promised_next_step"] = "pay in full"
            call.analysis["follow_up_deadline"] = (BASE_DAY + timedelta(days=14)).isoformat()
    if then_invoice:
        call.caller(
            "Actually, could you email that invoice over again? I can't find it, and I need it for the payment run."
        )
        call.agent(call.pick(W.INVOICE_AGENT))
        call.workflows.add("invoice_resend")
    call.workflows.add("collections_log")
    call.intent("collections_log")
    call.tags.append("outbound")


def inbound_collections(call: Call, c: Customer, *, terms: bool) -> None:
    od = call.world.add_overdue(c)
    call.slots.update(
        inv=od["invoice"]["number"],
        amt=c.amount(od["amount"]),
        date=day_text(od["due"]),
        pay_date=day_text(BASE_DAY + timedelta(days=call.rng.randrange(3, 15))),
    )
    call.open()
    call.request(call.pick(W.COLLECT_IN))
    if terms:
        call.caller(call.pick(W.COLLECT_TERMS))
        call.agent(call.pick(W.COLLECT_AGENT_TERMS))
        call.facts["terms"] = True
        call.tags.append("new_terms")
        call.say(call.pick(W.COLLECT_TERMS_SUMMARY))
    else:
        call.agent(call.pick(W.COLLECT_AGENT_ACK))
        call.say(call.pick(W.COLLECT_SUMMARY))
    call.workflows.add("collections_log")
    call.intent("collections_log")


# --- scenario builders ---------------------------------------------------------------------------


def simple(call: Call, kinds: Sequence[str], *, channel: str | None = None, **customer: Any) -> Customer:
    if needs_past_due(kinds):
        customer.setdefault("sub_status", call.pick(["past_due", "past_due", "unpaid"]))
    c = call.customer(**customer)
    call.identify(c, channel)
    call.open()
    for i, kind in enumerate(kinds):
        ask(call, c, kind, first=i == 0)
    call.close()
    return c


def b_receipt_resend(call: Call, k: int) -> None:
    mode = k % 3
    c = call.customer()
    if mode == 0:  # spells out the on-file address: same address, no review
        call.identify(c, "spelled_email")
        call.tags.append("spelled_on_file_email")
    elif mode == 1 and call.has_analysis:  # analysis e-mail in another letter case
        call.identify(c, "email")
        call.analysis[call.workspace["email"]] = c.email.upper()
        call.tags.append("email_other_case")
    else:
        call.identify(c)
    call.open()
    ask(call, c, "receipt")
    call.close()


def b_invoice_resend(call: Call, k: int) -> None:
    simple(call, ["invoice:missing" if k % 5 == 4 else "invoice"])


def b_charge_dispute(call: Call, k: int) -> None:
    simple(call, ["dispute:stripe" if k % 2 else "dispute"])


def b_renewal_failed(call: Call, k: int) -> None:
    simple(call, ["renewal"])


def b_refund(call: Call, k: int) -> None:
    simple(call, ["refund"])


def b_correction(call: Call, k: int) -> None:
    simple(call, ["correction:" + ["tax_id", "address", "legal_name", "exemption", "tax_id_bare"][k % 5]])


def b_collections(call: Call, k: int) -> None:
    c = call.customer()
    outbound, terms = k % 2 == 0, k % 4 in (2, 3)
    call.identify(c, "phone" if outbound else None)
    if outbound:
        outbound_collections(call, c, terms=terms)
    else:
        inbound_collections(call, c, terms=terms)
    call.close()


def b_contact_sync(call: Call, k: int) -> None:
    simple(call, ["contact:" + ["new_recipient", "new_phone", "name_spelling"][k % 3]])


TWO = [
    ("receipt", "invoice"),
    ("invoice", "refund"),
    ("dispute", "refund"),
    ("renewal", "contact:new_phone"),
    ("correction:address", "invoice"),
    ("receipt", "contact:new_recipient"),
    ("collections", "invoice"),
    ("refund", "correction:legal_name"),
    ("renewal", "receipt"),
    ("dispute", "invoice"),
    ("contact:name_spelling", "receipt"),
    ("receipt", "correction:exemption"),
]
THREE = [
    ("receipt", "invoice", "contact:new_phone"),
    ("dispute", "refund", "correction:address"),
    ("renewal", "invoice", "receipt"),
    ("invoice", "correction:legal_name", "contact:new_recipient"),
]


def b_two(call: Call, k: int) -> None:
    combo = TWO[k % len(TWO)]
    if combo[0] == "collections":
        c = call.customer()
        call.identify(c, "phone")
        outbound_collections(call, c, terms=False, then_invoice=True)
        call.close()
        return
    if combo == ("dispute", "refund"):
        c = call.customer()
        call.identify(c)
        call.open()
        ask(call, c, "dispute")
        # a different charge, asked back separately
        call.slots.update(amt=c.amount(c.paid[0]["amount"]), month=MONTHS[c.paid[0]["day"].month - 1])
        call.caller(
            "Separately, the {month} payment of {amt} was for a plan we never got to use. I'd like that one refunded."
        )
        call.agent(call.pick(W.REFUND_AGENT))
        call.workflows.add("refund_approval")
        call.close()
        return
    simple(call, list(combo))


def b_three(call: Call, k: int) -> None:
    simple(call, list(THREE[k % len(THREE)]))


def b_negation(call: Call, k: int) -> None:
    form = k % 12
    c = call.customer()
    call.identify(c, "phone" if form == 11 else None)  # the foreign-language form says no identifier
    call.open()
    call.tags.append(f"negation_form_{form}")
    paid = call.pick(c.paid)
    call.slots.update(amt=c.amount(paid["amount"]), month=MONTHS[paid["day"].month - 1], date=day_text(paid["day"]))
    if form == 0:
        call.request(call.pick(W.NOT_DISPUTING))
        call.agent(call.pick(W.NOT_DISPUTING_AGENT))
        call.caller(call.pick(W.NOT_DISPUTING_OK))
        call.intent("none", misleading="charge_dispute" if call.rng.random() < 0.4 else None)
    elif form in (1, 2, 3, 4, 5):
        kind = ["dispute", "refund", "invoice", "receipt", "correction"][form - 1]
        ask(call, c, kind + (":address" if kind == "correction" else ""))
        call.caller(call.pick(W.RETRACT[kind]))
        call.agent(call.pick(W.RETRACT_AGENT))
        call.workflows.clear()
        call.summary = ["Caller raised a request and then withdrew it; nothing to do."]
    elif form in (6, 7):
        kind = "refund" if form == 6 else call.pick(["receipt", "invoice", "dispute"])
        call.request(W.OFFER_PROBLEM[kind])
        call.agent(W.OFFER[kind][0])
        call.caller(call.pick(W.OFFER[kind][1]))
        call.agent(call.pick(W.RETRACT_AGENT))
        call.say("Agent offered help, caller declined.")
        call.intent("none")
    elif form == 8:
        call.request(call.pick(W.HYPOTHETICAL) + " " + call.pick(W.HYPOTHETICAL_FOLLOW))
        call.slots["date"] = day_text(BASE_DAY + timedelta(days=12))
        call.agent("Your next charge is on {date}.")
        call.caller(call.pick(W.CALLER_CLOSE))
        call.say("Caller asked about the next billing date.")
        call.intent("none")
    elif form == 9:
        ask(call, c, "receipt")
        ask(call, c, "refund", first=False)
        call.caller(call.pick(W.RETRACT["refund"]))
        call.agent(call.pick(W.RETRACT_AGENT))
        call.workflows.discard("refund_approval")
        call.summary = ["Receipt resend requested; a refund was mentioned and withdrawn."]
    elif form == 10:
        ask(call, c, "invoice")
        ask(call, c, "dispute", first=False)
        call.caller(call.pick(W.RETRACT["dispute"]))
        call.agent(call.pick(W.RETRACT_AGENT))
        call.workflows.discard("charge_dispute")
        call.summary = ["Invoice resend requested; a dispute was raised and withdrawn."]
    else:
        lang = call.pick(["es", "fr", "de", "pt", "it"])
        call.turns = [("agent", W.FOREIGN[lang]["open"])]
        call.caller(W.FOREIGN[lang]["not_dispute"])
        call.agent(W.FOREIGN[lang]["close"])
        call.tags.append(f"lang_{lang}")
        return
        call.intent("none", misleading="charge_dispute" if call.rng.random() < 0.5 else None)
    call.close()


def b_dispute_background(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c)
    if k % 2:
        call.world.add_dispute(c, c.paid[0], status=call.pick(["won", "lost"]))
        call.tags.append("stripe_closed_dispute")
    paid = c.paid[-1]
    call.slots.update(amt=c.amount(paid["amount"]), month=MONTHS[paid["day"].month - 1], date=day_text(paid["day"]))
    call.open()
    call.request(call.pick(W.DISPUTE_BACKGROUND))
    call.agent(call.pick(W.RECEIPT_AGENT))
    call.say("Caller asked for a receipt; mentioned an unrelated old dispute.")
    call.workflows.add("receipt_resend")
    call.intent("receipt_resend", misleading="charge_dispute" if k % 4 == 3 else None)
    call.close()


def b_fraud_card(call: Call, k: int) -> None:
    past_due = k % 2 == 1
    c = call.customer(sub_status="past_due" if past_due else "active")
    call.identify(c)
    call.open()
    if past_due:
        call.request(call.pick(W.FRAUD_CARD_PASTDUE))
        if k % 8 == 7:
            call.slots["card"] = luhn_card(call.rng)
            call.caller(call.pick(W.FRAUD_NEW_CARD_READ))
            call.agent(call.pick(W.SENSITIVE_CARD_AGENT))
            call.facts["sensitive"] = True
            call.tags.append("card_read_out")
        call.agent(call.pick(W.FRAUD_CARD_PASTDUE_AGENT))
        call.workflows.add("renewal_failed")
        call.intent("renewal_failed")
        call.say("Card replaced after fraud elsewhere; renewal failed on the old card.")
    else:
        call.request(call.pick(W.FRAUD_CARD_ACTIVE))
        call.agent(call.pick(W.FRAUD_CARD_ACTIVE_AGENT))
        call.intent("none", misleading="charge_dispute" if k % 4 == 2 else None)
        call.say("Caller reported a replaced card after fraud elsewhere; account in good standing.")
    call.close()


def b_context_renewal(call: Call, k: int) -> None:
    c = call.customer(sub_status="unpaid" if k % 4 == 3 else "past_due")
    call.identify(c)
    call.open()
    call.request(call.pick(W.CONTEXT_SYMPTOM))
    call.agent(call.pick(W.CONTEXT_SYMPTOM_AGENT))
    call.caller(
        call.pick(["Oh. Okay, send me the link then.", "Right, I'll sort the card out.", "Ah, that explains it."])
    )
    call.workflows.add("renewal_failed")
    call.intent("none" if call.rng.random() < 0.5 else "renewal_failed")
    call.say("Caller reported lost access; the subscription payment is outstanding.")
    call.close()


def b_login(call: Call, k: int) -> None:
    c = call.customer(sub_status="active")
    call.identify(c)
    call.open()
    call.request(call.pick(W.LOGIN))
    call.agent(call.pick(W.LOGIN_AGENT))
    call.caller(call.pick(W.LOGIN_CALLER_OK))
    if k % 2 == 0 and call.has_analysis:
        call.intent("none", misleading="renewal_failed")
        call.tags.append("misleading_analysis")
    call.say("Caller had a login problem; billing in good standing.")
    call.close()


def b_question(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c)
    call.open()
    if k % 5 == 4:
        refund = call.world.add_refund(c, c.paid[0])
        q, a, ok = call.pick(W.REFUND_STATUS)
        call.slots["date"] = day_text(refund["day"])
        call.request(q)
        call.agent(a)
        call.caller(ok)
        call.tags.append("refund_status")
        call.say("Caller asked about the status of an issued refund; agent confirmed it was processed.")
        call.intent("none", misleading="refund_approval" if call.rng.random() < 0.3 else None)
    else:
        ask(call, c, "question")
    call.close()


def b_unclear(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c)
    call.open()
    call.request(call.pick(W.UNCLEAR))
    call.agent(call.pick(W.UNCLEAR_AGENT))
    call.say("Caller unsure what is wrong with their bill; callback requested.")
    call.intent("none")
    call.facts["unclear"] = True
    call.close()


def b_unknown(call: Call, k: int) -> None:
    kind = [
        "receipt",
        "invoice",
        "refund",
        "contact:new_customer",
        "question",
        "dispute",
        "contact:unmatched_add",
        "question",
        "receipt",
        "refund",
    ][k % 10]
    call.facts["identity"] = "unknown"
    call.tags.append("identity_unknown")
    if call.rng.random() < 0.5 and call.has_analysis:
        call.field("email", call.world.unknown_email())
    call.open()
    fake_month, fake_amt = MONTHS[(BASE_DAY.month - 2) % 12], fmt_amount(call.rng.choice([3900, 8900, 15900]), "usd")
    call.slots.update(
        month=fake_month,
        amt=fake_amt,
        date=day_text(BASE_DAY - timedelta(days=15)),
        inv=f"INV{call.rng.randrange(100000, 999999)}",
        first=call.pick(FIRST),
        company="our company",
    )
    if kind.startswith("contact"):
        sub = kind.split(":")[1]
        call.request(call.pick(W.CONTACT[sub]))
        call.agent(call.pick(W.CONTACT_AGENT))
        call.say(W.CONTACT_SUMMARY[sub])
        call.tags.append(f"contact_{sub}")
        call.workflows.add("contact_sync")
        call.facts["access"] = sub == "new_customer"
        call.intent("contact_sync")
    elif kind == "question":
        q, a, ok = call.pick(W.QUESTION[1:6])
        call.request(q)
        call.agent(a)
        call.caller(ok)
        call.intent("none")
    else:
        texts = {"receipt": W.RECEIPT, "invoice": W.INVOICE_MONTH, "refund": W.REFUND, "dispute": W.DISPUTE}[kind]
        call.request(call.pick(texts))
        call.agent("I can't find an account with those details, but I've noted the request for the team.")
        wf = {
            "receipt": "receipt_resend",
            "invoice": "invoice_resend",
            "refund": "refund_approval",
            "dispute": "charge_dispute",
        }[kind]
        call.workflows.add(wf)
        call.intent(wf)
    call.close()


def b_low_confidence(call: Call, k: int) -> None:
    call.facts["identity"] = "low"
    kind = ["receipt", "invoice:plain", "contact:new_phone", "receipt"][k % 4]
    if k % 2 == 0:  # a company name two customers share, nothing else
        name = call.world.company_name()
        a = call.customer(company=name, country="US")
        call.customer(company=name, country="GB")
        call.tags.append("identity_shared_company")
        call.pending_identity = call.pick(W.SAY_COMPANY)
        c = a
    else:  # calls from one customer's number, spells out another's e-mail
        a = call.customer()
        b = call.customer()
        call.customer_number = a.phone
        call.phone_style = call.pick(PHONE_FORMATS)
        call.slots["email_spoken"] = spell_email(b.email, call.rng.randrange(4))
        call.pending_identity = call.pick(W.SAY_EMAIL)
        call.tags.append("identity_phone_and_email_disagree")
        c = b
    call.slots.update(first=c.first, company=c.company)
    call.open()
    ask(call, c, kind)
    call.close()


def b_outbound_renewal(call: Call, k: int) -> None:
    mode = ["fix", "fix", "terms", "remind", "fix", "remind", "fix", "terms", "fix", "remind"][k % 10]
    c = call.customer(sub_status="active" if mode == "remind" else "past_due")
    call.identify(c, "email" if call.has_analysis and call.rng.random() < 0.2 else "phone")
    call.slots["date"] = day_text(BASE_DAY + timedelta(days=6) if mode == "remind" else BASE_DAY - timedelta(days=3))
    call.open(outbound=True)
    call.tags.append("outbound")
    if mode == "remind":
        call.agent(call.pick(W.RENEW_REMIND_AGENT))
        call.caller(call.pick(W.RENEW_REMIND_CALLER))
        call.say("Courtesy renewal reminder; nothing to do.")
        call.intent("none")
    else:
        call.agent(call.pick(W.RENEW_OUT_AGENT))
        if mode == "terms":
            call.caller(call.pick(W.RENEW_OUT_TERMS))
            call.agent("I'll take that to the account team and come back to you.")
            call.facts["terms"] = True
            call.tags.append("new_terms")
        else:
            call.caller(call.pick(W.RENEW_OUT_FIX))
            call.agent("Great, I've sent the secure link to your email.")
        call.workflows.add("renewal_failed")
        call.intent("renewal_failed")
        call.say("Outbound call about a failed renewal payment.")
    call.close()


FOREIGN_KINDS = [
    ("es", "receipt"),
    ("fr", "invoice"),
    ("de", "refund"),
    ("pt", "dispute"),
    ("it", "renewal"),
    ("es", "question"),
    ("fr", "dispute"),
    ("de", "receipt"),
    ("pt", "invoice"),
    ("it", "refund"),
    ("es", "renewal"),
    ("fr", "question"),
    ("de", "invoice"),
    ("pt", "receipt"),
    ("it", "question"),
    ("es", "refund"),
]


def b_non_english(call: Call, k: int) -> None:
    lang, kind = FOREIGN_KINDS[k % len(FOREIGN_KINDS)]
    text = W.FOREIGN[lang]
    c = call.customer(sub_status="past_due" if kind == "renewal" else "active", country="US")
    call.identify(c, "email" if call.has_analysis and call.rng.random() < 0.4 else "phone")
    call.tags.append(f"lang_{lang}")
    call.turns.append(("agent", text["open"]))
    paid = c.paid[-1]
    call.slots.update(
        amt=c.amount(paid["amount"]),
        month=MONTHS[paid["day"].month - 1],
        date=day_text(paid["day"]),
        inv=paid["invoice"]["number"],
    )
    call.caller(text[kind])
    wf = {
        "receipt": "receipt_resend",
        "invoice": "invoice_resend",
        "refund": "refund_approval",
        "dispute": "charge_dispute",
        "renewal": "renewal_failed",
        "question": None,
    }[kind]
    call.agent(text["agent_answer"] if wf is None else text["agent_ok"])
    call.caller(text["close"])
    if wf:
        call.workflows.add(wf)
    call.intent(wf or "none")
    call.say(f"Caller spoke {lang}; {kind.replace('_', ' ')} handled.")
    call.no_close = True


HV_SOURCES = [
    ("contact", "account_tier", "Enterprise"),
    ("company", "account_tier", "STRATEGIC"),
    ("contact", "annual_contract_value", "120000"),
    ("company", "annual_contract_value", "96500.00"),
    ("contact", "account_tier", "strategic"),
    ("company", "account_tier", "enterprise"),
]


def b_high_value_hubspot(call: Call, k: int) -> None:
    where, prop, value = HV_SOURCES[k % len(HV_SOURCES)]
    kind = (
        ["receipt", "invoice", "renewal", "contact:name_spelling", "question", "receipt"][k % 6]
        if k < 6
        else ["invoice", "receipt", "contact:new_phone", "renewal", "invoice", "question"][k % 6]
    )
    simple(call, [kind], hv_props={where: {prop: value}}, country="US")
    call.tags.append(f"hv_{where}_{prop}")


def b_high_value_stripe(call: Call, k: int) -> None:
    kind = ["receipt", "invoice", "renewal", "contact:new_phone", "question", "invoice"][k % 6]
    if k % 3 == 2:
        simple(call, [kind], monthly_cents=call.pick([10200000, 12000000]), interval="year")
        call.tags.append("hv_stripe_annual")
    else:
        simple(call, [kind], monthly_cents=call.pick([820000, 950000, 1000000]))
        call.tags.append("hv_stripe_monthly")


def b_send_other(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c)
    call.open()
    kind = "receipt" if k % 2 == 0 else "invoice"
    ask(call, c, kind, agent_reply=False)
    other = call.world.unique(
        lambda: (
            f"{call.pick(['books', 'ledger', 'office'])}.{call.pick(LAST).lower()}"
            f"{call.rng.randrange(2, 99)}@{call.pick(['fastmail.com', 'accountants.co', 'gmail.com'])}"
        )
    )
    call.slots["new_email"] = other
    mode = k % 3
    if mode in (0, 2) or not call.has_analysis:
        call.caller(call.pick(W.SEND_OTHER))
    if mode in (1, 2):
        call.field("delivery", other)
    call.agent("Okay, I'll note that address for this one.")
    call.facts["other_email"] = True
    call.tags.append("send_to_other_address")
    call.close()


def b_tax_id(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c)
    call.open()
    mode = k % 3
    vat = tax_number(call.rng, ["DE", "GB", "FR", "NL", "US"][k % 5])
    call.slots["vat"] = vat
    if mode == 2 and call.has_analysis:
        call.request(call.pick(W.TAX_KEYPAD))
        call.field("tax", vat)
        call.tags.append("tax_number_in_analysis_only")
    else:
        call.request(call.pick(W.CORRECTION["tax_id" if mode == 0 else "tax_id_bare"]))
        call.tags.append("tax_number_read_out" if mode == 0 else "tax_number_without_tax_word")
    call.agent(call.pick(W.CORRECTION_AGENT))
    call.workflows.add("billing_correction")
    call.intent("billing_correction")
    call.say("Caller asked to update the registration number on invoices.")
    call.close()


def b_sensitive(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c)
    call.open()
    call.facts["sensitive"] = True
    mode = k % 4
    if mode in (0, 1):
        call.slots["card"] = luhn_card(call.rng)
        if mode == 1:
            ask(call, c, "receipt")
        call.caller(call.pick(W.SENSITIVE_CARD))
        call.agent(call.pick(W.SENSITIVE_CARD_AGENT))
        call.tags.append("card_read_out")
        call.intent("none" if mode == 0 else "receipt_resend")
    else:
        call.slots["iban"] = iban_de(call.rng)
        if mode == 2:
            ask(call, c, "refund")
            call.caller(call.pick(W.SENSITIVE_IBAN))
        else:
            call.request(
                "Can I pay the next invoice by bank transfer? Our account is " + "{iban}" + ", if you need it."
            )
            call.agent(
                "Yes, bank transfer is fine, the details are on the invoice. Please don't read account numbers out."
            )
            call.intent("none")
        call.tags.append("iban_read_out")
    call.close()


def b_no_content(call: Call, k: int) -> None:
    mode = k % 4
    call.facts["identity"] = "unknown"  # nobody identifiable spoke (or a wrong number)
    call.tags.append("identity_unknown")
    call.turns = list(W.NO_CONTENT[mode])
    call.no_summary = True
    if mode == 0:
        call.status = "completed"
    elif mode == 1:
        call.direction = "outbound"
        call.status = call.pick(["completed", "no_answer"])
        call.tags.append("voicemail")
    elif mode == 3:
        call.status = "completed"
    if k % 6 == 5:
        call.turns = []
        call.status = "hangup"
    call.tags.append(f"no_content_{mode}")


def b_late(call: Call, k: int) -> None:
    kind = ["receipt", "invoice", "refund", "renewal", "receipt", "contact:new_phone", "invoice", "dispute"][k % 8]
    c = call.customer(sub_status="past_due" if kind == "renewal" else "active")
    call.identify(c)
    call.open()
    talk, reply = call.pick(W.SMALL_TALK)
    call.request(talk)
    call.agent(reply)
    q, a, ok = call.pick(W.LATE_QUESTION)
    call.caller(q)
    call.agent(a)
    call.caller(ok)
    call.prefix = call.pick(W.LATE_PREFIX)
    ask(call, c, kind)
    call.close()


def b_changed_mind(call: Call, k: int) -> None:
    dropped, kept, text = W.CHANGED_MIND[k % len(W.CHANGED_MIND)]
    c = call.customer()
    call.identify(c)
    paid = call.pick(c.paid)
    call.slots.update(
        amt=c.amount(paid["amount"]),
        month=MONTHS[paid["day"].month - 1],
        inv=paid["invoice"]["number"],
        date=day_text(paid["day"]),
    )
    call.open()
    call.request(text)
    wf = {"invoice": "invoice_resend", "refund": "refund_approval", "receipt": "receipt_resend"}[kept]
    reply = {"invoice": W.INVOICE_AGENT, "refund": W.REFUND_AGENT, "receipt": W.RECEIPT_AGENT}[kept]
    call.agent(call.pick(reply))
    call.workflows.add(wf)
    old = {
        "invoice": "invoice_resend",
        "refund": "refund_approval",
        "receipt": "receipt_resend",
        "dispute": "charge_dispute",
        "correction": "billing_correction",
    }[dropped]
    call.intent(wf, misleading=old if k % 3 == 0 else None)
    call.tags.append(f"changed_{dropped}_to_{kept}")
    call.say(f"Caller settled on a {kept} request.")
    call.close()


def b_phone_format(call: Call, k: int) -> None:
    styles = [*PHONE_FORMATS, "national_paren", "national_dash", "double_zero", "extension"]
    style = styles[k % len(styles)]
    outbound = k % 4 == 3
    kind = ["receipt", "invoice", "renewal", "question", "contact:new_phone"][k % 5]
    c = call.customer(sub_status="past_due" if kind == "renewal" else "active", country="GB" if k % 5 == 1 else None)
    call.identify(c, "phone")
    call.phone_style = style
    call.tags = [t for t in call.tags if not t.startswith("phone_")] + [f"phone_{style}"]
    if outbound:
        call.tags.append("outbound")
        if kind == "renewal":
            call.slots["date"] = day_text(BASE_DAY - timedelta(days=3))
            call.open(outbound=True)
            call.agent(call.pick(W.RENEW_OUT_AGENT))
            call.caller(call.pick(W.RENEW_OUT_FIX))
            call.workflows.add("renewal_failed")
            call.intent("renewal_failed")
        else:
            outbound_collections(call, c, terms=False)
    else:
        call.open()
        ask(call, c, kind)
    call.close()


def b_invoice_identity(call: Call, k: int) -> None:
    simple(call, [["invoice", "receipt", "invoice", "refund"][k % 4]], channel="invoice")


def b_payment_identity(call: Call, k: int) -> None:
    simple(call, [["receipt", "refund", "dispute", "question"][k % 4]], channel="payment")


def b_spelled_identity(call: Call, k: int) -> None:
    simple(call, [["receipt", "invoice", "renewal", "contact:name_spelling"][k % 4]], channel="spelled_email")


def b_company_identity(call: Call, k: int) -> None:
    simple(call, [["receipt", "invoice", "question"][k % 3]], channel="company")


def b_hubspot_only(call: Call, k: int) -> None:
    kind = ["contact:new_phone", "contact:name_spelling", "contact:new_recipient", "question"][k % 4]
    c = call.customer(in_stripe=False)
    c.paid = [{"amount": 12900, "day": BASE_DAY - timedelta(days=20), "invoice": {"number": ""}}]
    call.identify(c, call.pick(["phone", "email", "spelled_email", "company", "account"]))
    call.tags.append("hubspot_only")
    call.open()
    ask(call, c, kind)
    call.close()


def b_promise(call: Call, k: int) -> None:
    c = call.customer()
    call.identify(c, "phone" if k % 2 == 0 else None)
    if k % 2 == 0:
        outbound_collections(call, c, terms=False)
    else:
        inbound_collections(call, c, terms=False)
        if call.has_analysis and k % 4 == 1:
            call.intent("collections_log", misleading=None)
            call.analysis[call.workspace["intent"]] = "payment_plan_request"
            call.tags.append("misleading_analysis")
    call.close()


def b_misleading(call: Call, k: int) -> None:
    while not call.has_analysis:
        call.workspace = call.pick(WORKSPACES)
    call.tags.append("misleading_analysis")
    form = k % 8
    c = call.customer()
    call.identify(c, call.pick(["phone", "account", "email"]))
    call.open()
    if form == 0:
        ask(call, c, "receipt")
        call.intent_label = "refund_request"
    elif form == 1:
        ask(call, c, "dispute")
        call.caller(call.pick(W.RETRACT["dispute"]))
        call.agent(call.pick(W.RETRACT_AGENT))
        call.workflows.clear()
        call.analysis["dispute_reason"] = "unrecognised charge"
        call.intent_label = "dispute"
        call.summary = ["Caller queried a charge, then recognised it."]
    elif form == 2:
        call.request(call.pick(W.LOGIN))
        call.agent(call.pick(W.LOGIN_AGENT))
        call.caller(call.pick(W.LOGIN_CALLER_OK))
        call.intent_label = "payment_failed"
    elif form == 3:
        ask(call, c, "question")
        call.analysis["refund_reason"] = "price too high"
        call.intent_label = "refund_request"
    elif form == 4:
        ask(call, c, "invoice")
        call.intent_label = "chargeback"
    elif form == 5:
        ask(call, c, "contact:new_phone")
        call.intent_label = "billing_correction"
    elif form == 6:
        ask(call, c, "refund")
        call.caller(call.pick(W.RETRACT["refund"]))
        call.agent(call.pick(W.RETRACT_AGENT))
        call.workflows.clear()
        call.analysis["refund_reason"] = "did not use the upgrade"
        call.intent_label = "refund"
        call.summary = ["Caller considered a refund and decided against it."]
    else:
        ask(call, c, "renewal") if c.sub and c.sub["status"] != "active" else ask(call, c, "receipt")
        call.intent_label = "cancel_subscription"
    call.close()


def b_bare(call: Call, k: int) -> None:
    call.workspace = WORKSPACES[3]
    call.no_summary = True
    call.force_list_transcript = True
    kind = ["receipt", "invoice", "refund", "ctx", "collections", "question", "dispute", "contact:new_phone"][k % 8]
    if kind == "ctx":
        b_context_renewal(call, 0)
    elif kind == "collections":
        c = call.customer()
        call.identify(c, "phone")
        inbound_collections(call, c, terms=False)
        call.close()
    else:
        simple(call, [kind], channel=call.pick(["phone", "spelled_email", "company", "account"]))
    call.tags.append("bare")


BUILDERS = {
    "receipt_resend": b_receipt_resend,
    "invoice_resend": b_invoice_resend,
    "charge_dispute": b_charge_dispute,
    "renewal_failed": b_renewal_failed,
    "refund_approval": b_refund,
    "billing_correction": b_correction,
    "collections_log": b_collections,
    "contact_sync": b_contact_sync,
    "two_intents": b_two,
    "three_intents": b_three,
    "negation_retraction": b_negation,
    "dispute_mentioned_in_receipt": b_dispute_background,
    "card_replaced_after_fraud": b_fraud_card,
    "context_renewal_failed": b_context_renewal,
    "context_good_standing_login": b_login,
    "question_answered": b_question,
    "unclear_intent": b_unclear,
    "unknown_caller": b_unknown,
    "low_confidence_match": b_low_confidence,
    "outbound_renewal": b_outbound_renewal,
    "non_english": b_non_english,
    "high_value_hubspot": b_high_value_hubspot,
    "high_value_stripe": b_high_value_stripe,
    "send_to_other_email": b_send_other,
    "tax_id_change": b_tax_id,
    "sensitive_readout": b_sensitive,
    "no_content": b_no_content,
    "late_request": b_late,
    "changed_mind": b_changed_mind,
    "phone_format_identity": b_phone_format,
    "invoice_number_identity": b_invoice_identity,
    "payment_id_identity": b_payment_identity,
    "spelled_email_identity": b_spelled_identity,
    "company_name_identity": b_company_identity,
    "hubspot_only_customer": b_hubspot_only,
    "promise_to_pay_no_terms": b_promise,
    "misleading_analysis": b_misleading,
    "bare_transcript": b_bare,
}


def plan(count: int) -> list[tuple[str, int]]:
    """(scenario, occurrence) slots: the class table for the default count, round-robin otherwise."""
    if count == DEFAULT_COUNT:
        return [(name, k) for name, n in SCENARIO_COUNTS.items() for k in range(n)]
    slots: list[tuple[str, int]] = []
    occurrence = dict.fromkeys(SCENARIO_COUNTS, 0)
    while len(slots) < count:
        for name in SCENARIO_COUNTS:
            if len(slots) == count:
                break
            slots.append((name, occurrence[name]))
            occurrence[name] += 1
    return slots


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[Case]:
    """The set, deterministic in (count, seed); order shuffled so classes are interleaved."""
    rng = random.Random(seed)
    world = World(rng)
    cases = []
    for index, (scenario, k) in enumerate(plan(count)):
        call = Call(world, random.Random(rng.getrandbits(64)), scenario, index)
        BUILDERS[scenario](call, k)
        cases.append(call.finish())
    random.Random(seed + 1).shuffle(cases)
    return cases


def write_jsonl(cases: Iterable[Case], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(case.to_json() + "\n")


def load_jsonl(path: Path) -> list[Case]:
    with path.open(encoding="utf-8") as source:
        return [Case.from_json(line) for line in source if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the holdout2 routing set as JSON lines")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    cases = generate(args.count, args.seed)
    write_jsonl(cases, args.out)
    print(f"{len(cases)} cases written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
