"""Stripe and HubSpot context for the independent routing set, shaped as the vendors' APIs return it.

`World` hands out identity values (phone numbers, e-mails, company names, Stripe and HubSpot ids,
invoice numbers) that are unique across the whole generated set, so every case's context can be
published to `stripe.events` / `hubspot.events` together without one case's customer matching
another case's call. `Customer` is one customer with its Stripe objects (customer, subscription,
invoices, charges, payment intents, optional dispute/refund) and HubSpot objects (contact, company,
owner).

Object shapes follow the public API references (field names as Stripe / HubSpot CRM v3 return
them); amounts are in the currency's minor unit, timestamps are unix seconds (Stripe) or ISO-8601
(HubSpot), as the vendors do.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from stdnum import luhn
from stdnum.gb import vat as gb_vat
from stdnum.iban import calc_check_digits
from stdnum.iso7064 import mod_11_10

# "Now" of the synthetic world: calls happen in late November 2026.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)

FIRST_NAMES = (
    "Maria",
    "James",
    "Aisha",
    "Tomasz",
    "Priya",
    "Daniel",
    "Sofia",
    "Kenji",
    "Olivia",
    "Mateo",
    "Hannah",
    "Rafael",
    "Chloe",
    "Dmitri",
    "Grace",
    "Lukas",
    "Amara",
    "Noah",
    "Ingrid",
    "Omar",
    "Elena",
    "Samuel",
    "Yuki",
    "Fatima",
    "Lucas",
    "Nadia",
    "Ethan",
    "Camille",
    "Jonas",
    "Leila",
    "Marcus",
    "Ana",
    "Felix",
    "Zara",
    "Henrik",
    "Isabel",
    "Victor",
    "Mei",
    "Oscar",
    "Beatriz",
)
LAST_NAMES = (
    "Lopez",
    "Whitfield",
    "Okafor",
    "Nowak",
    "Raman",
    "Fischer",
    "Rossi",
    "Tanaka",
    "Brennan",
    "Silva",
    "Keller",
    "Moreau",
    "Haddad",
    "Petrov",
    "Lindqvist",
    "Adeyemi",
    "Hughes",
    "Kowalski",
    "Duarte",
    "Bergstrom",
    "Castillo",
    "Nguyen",
    "Schmidt",
    "Dubois",
    "Martens",
    "Farouk",
    "Oliveira",
    "Walsh",
    "Yamamoto",
    "Novak",
    "Garnier",
    "Becker",
    "Quinn",
    "Santos",
    "Ivanova",
    "Laurent",
    "Mbeki",
    "Park",
)
COMPANY_A = (
    "Harbor",
    "Bright",
    "North",
    "Cedar",
    "Blue",
    "Iron",
    "Silver",
    "Maple",
    "Summit",
    "River",
    "Granite",
    "Lumen",
    "Copper",
    "Willow",
    "Falcon",
    "Aurora",
    "Pine",
    "Coral",
    "Atlas",
    "Meridian",
    "Beacon",
    "Orchid",
    "Quarry",
    "Sable",
    "Tidal",
    "Vertex",
    "Juniper",
    "Kestrel",
    "Lattice",
    "Nimbus",
)
COMPANY_B = (
    "Logistics",
    "Dental",
    "Robotics",
    "Foods",
    "Analytics",
    "Studios",
    "Freight",
    "Health",
    "Labs",
    "Architects",
    "Bakery",
    "Consulting",
    "Outfitters",
    "Media",
    "Pharma",
    "Systems",
    "Legal",
    "Ventures",
    "Clinics",
    "Energy",
    "Textiles",
    "Brewing",
    "Capital",
    "Supply",
    "Design",
    "Motors",
)
COMPANY_SUFFIX = ("", " LLC", " Inc.", " Ltd", " GmbH", " SAS", " Co.", " Group")
PRODUCTS = {
    "starter": ("Starter", 2900),
    "team": ("Team", 9900),
    "business": ("Business", 29900),
    "pro": ("Professional", 49900),
    "scale": ("Scale", 89000),
}
HIGH_PLANS = {"enterprise": ("Enterprise", 950000), "enterprise_plus": ("Enterprise Plus", 1850000)}

# US area codes used with the fictional 555-01xx range; a separate set for callers nobody knows.
KNOWN_AREAS = (
    "201",
    "206",
    "212",
    "213",
    "303",
    "305",
    "312",
    "314",
    "404",
    "412",
    "415",
    "503",
    "512",
    "602",
    "612",
    "617",
    "646",
    "702",
    "713",
    "720",
    "801",
    "818",
    "904",
    "917",
    "919",
    "925",
    "949",
    "972",
)
UNKNOWN_AREAS = ("231", "252", "319", "337", "406", "479", "507", "563", "605", "701", "808", "907")

OWNERS = (
    {
        "id": "71200301",
        "email": "r.castellano@ourco.example",
        "firstName": "Rita",
        "lastName": "Castellano",
        "userId": 9001301,
    },
    {"id": "71200302", "email": "b.osei@ourco.example", "firstName": "Ben", "lastName": "Osei", "userId": 9001302},
    {
        "id": "71200303",
        "email": "l.hartmann@ourco.example",
        "firstName": "Lena",
        "lastName": "Hartmann",
        "userId": 9001303,
    },
    {"id": "71200304", "email": "s.mehta@ourco.example", "firstName": "Sanjay", "lastName": "Mehta", "userId": 9001304},
    {
        "id": "71200305",
        "email": "c.ferreira@ourco.example",
        "firstName": "Clara",
        "lastName": "Ferreira",
        "userId": 9001305,
    },
)

_B62 = string.ascii_letters + string.digits


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def owner_object(owner: dict[str, Any]) -> dict[str, Any]:
    """A HubSpot CRM v3 owner (`GET /crm/v3/owners/{id}`)."""
    return {
        **owner,
        "type": "PERSON",
        "teams": [{"id": "5501", "name": "Finance", "primary": True}],
        "archived": False,
        "createdAt": "2024-02-01T09:00:00.000Z",
        "updatedAt": "2026-06-10T09:00:00.000Z",
    }


@dataclass
class World:
    """Unique identity values across one generated set."""

    rng: random.Random
    _used: set[str] = field(default_factory=set)
    _phone_index: int = 0
    _unknown_phone_index: int = 0
    _uk_index: int = 0
    _companies: list[str] = field(default_factory=list)
    _company_index: int = 0
    _hubspot_id: int = 40100
    _account_index: int = 0

    def __post_init__(self) -> None:
        names = [f"{a} {b}" for a in COMPANY_A for b in COMPANY_B]
        self.rng.shuffle(names)
        self._companies = names

    def unique(self, prefix: str, length: int = 14, alphabet: str = _B62) -> str:
        while True:
            value = prefix + "".join(self.rng.choice(alphabet) for _ in range(length))
            if value not in self._used:
                self._used.add(value)
                return value

    def stripe_id(self, prefix: str) -> str:
        return self.unique(prefix + "_", 14 if prefix != "pi" and prefix != "ch" else 24)

    def hubspot_id(self) -> str:
        self._hubspot_id += self.rng.randint(1, 9)
        return str(self._hubspot_id)

    def phone(self) -> str:
        """A known customer's US number, E.164."""
        index = self._phone_index
        self._phone_index += 1
        area = KNOWN_AREAS[index // 100 % len(KNOWN_AREAS)]
        return f"+1{area}555{100 + index % 100:04d}"[:12]

    def unknown_phone(self) -> str:
        index = self._unknown_phone_index
        self._unknown_phone_index += 1
        area = UNKNOWN_AREAS[index // 100 % len(UNKNOWN_AREAS)]
        return f"+1{area}555{100 + index % 100:04d}"[:12]

    def uk_phone(self) -> str:
        index = self._uk_index
        self._uk_index += 1
        return f"+447700900{index:03d}"  # Ofcom's range for fiction, 1000 numbers

    def intl_phone(self, country: str) -> str:
        """A known customer's German, French or Spanish number, E.164."""
        index = self._uk_index
        self._uk_index += 1
        return {"DE": f"+4930901{index:05d}", "FR": f"+33140{index:06d}", "ES": f"+34910{index:06d}"}[country]

    def company(self) -> str:
        name = self._companies[self._company_index % len(self._companies)]
        if self._company_index >= len(self._companies):
            name = f"{name} {self._company_index // len(self._companies) + 1}"
        self._company_index += 1
        return name

    def account_id(self) -> str:
        self._account_index += 1
        return f"AC-{self.rng.randint(10, 99)}{self._account_index:04d}"

    def invoice_prefix(self) -> str:
        return self.unique("", 8, "0123456789ABCDEF")


def domain_of(company: str) -> str:
    word = "".join(ch for ch in company.lower() if ch.isalnum() or ch == " ").split()
    return "".join(word[:2]) + random.Random(company).choice((".com", ".io", ".co", ".net", ".de", ".fr", ".es"))


def format_phone_like_hubspot(e164: str, rng: random.Random) -> str:
    """HubSpot users type numbers as they like; Stripe keeps what the checkout sent."""
    if e164.startswith("+1"):
        area, mid, last = e164[2:5], e164[5:8], e164[8:]
        return rng.choice(
            (f"({area}) {mid}-{last}", f"{area}-{mid}-{last}", f"+1 {area} {mid} {last}", f"{area}.{mid}.{last}")
        )
    if e164.startswith("+44"):
        return rng.choice((f"07{e164[4:7]} {e164[7:]}", f"+44 {e164[3:7]} {e164[7:]}"))
    if e164.startswith(("+49", "+33", "+34")):
        return rng.choice((f"{e164[:3]} {e164[3:6]} {e164[6:]}", "0" + e164[3:], e164))
    return e164


def dialnexa_number(e164: str, style: str) -> str:
    """How DialNexa sends a number: `e164` (+15125550142), `digits` (15125550142), `national`."""
    if style == "e164":
        return e164
    if style == "digits":
        return e164[1:]
    if e164.startswith("+1"):
        return e164[2:]
    if e164.startswith(("+44", "+49", "+33")):
        return "0" + e164[3:]
    return e164[1:]


def luhn_card(rng: random.Random, prefix: str = "4") -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(15 - len(prefix)))
    return body + luhn.calc_check_digit(body)


def iban(rng: random.Random, country: str = "DE") -> str:
    lengths = {"DE": 18, "FR": 23, "ES": 20, "GB": 18}
    if country == "GB":
        bban = "NWBK" + "".join(rng.choice(string.digits) for _ in range(14))
    elif country == "FR":
        bban = "".join(rng.choice(string.digits) for _ in range(lengths["FR"]))
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(lengths[country]))
    digits = calc_check_digits(country + "00" + bban)
    raw = country + digits + bban
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def vat_number(rng: random.Random, country: str) -> str:
    """A checksum-valid tax registration number, as a caller would read it."""
    if country == "DE":
        body = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(7))
        return "DE" + body + mod_11_10.calc_check_digit(body)
    if country == "FR":
        base = "".join(rng.choice(string.digits) for _ in range(8))
        siren = base + luhn.calc_check_digit(base)
        key = (12 + 3 * (int(siren) % 97)) % 97
        return f"FR{key:02d}{siren}"
    if country == "GB":
        while True:
            candidate = "".join(rng.choice(string.digits) for _ in range(9))
            if gb_vat.is_valid("GB" + candidate):
                return "GB" + candidate
    if country == "ES":
        from stdnum.es import cif

        while True:
            candidate = rng.choice("ABCDEFGHJ") + "".join(rng.choice(string.digits) for _ in range(8))
            if cif.is_valid(candidate):
                return "ES" + candidate
    return f"{rng.randint(10, 98)}-{rng.randint(1000000, 9999999)}"  # US EIN (no checksum)


@dataclass
class Customer:
    """One customer, known to Stripe and/or HubSpot, with its objects."""

    first: str
    last: str
    company: str
    email: str
    phone: str  # E.164
    account_id: str
    country: str
    currency: str
    cus_id: str | None = None
    hs_contact_id: str | None = None
    hs_company_id: str | None = None
    owner: dict[str, Any] | None = None
    stripe: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    companies: list[dict[str, Any]] = field(default_factory=list)
    subscription: dict[str, Any] | None = None
    invoices: list[dict[str, Any]] = field(default_factory=list)
    charges: list[dict[str, Any]] = field(default_factory=list)
    intents: list[dict[str, Any]] = field(default_factory=list)
    plan_name: str = ""
    plan_amount: int = 0
    high_value: str | None = None  # None | "hubspot_tier" | "hubspot_acv" | "stripe_revenue"

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def paid_invoices(self) -> list[dict[str, Any]]:
        return [inv for inv in self.invoices if inv["status"] == "paid"]

    def charge_of(self, invoice: dict[str, Any]) -> dict[str, Any]:
        return next(ch for ch in self.charges if ch["id"] == invoice["charge"])

    def hubspot(self) -> dict[str, list[dict[str, Any]]]:
        owners = [owner_object(self.owner)] if self.owner and (self.contacts or self.companies) else []
        return {"contacts": list(self.contacts), "companies": list(self.companies), "owners": owners}


def money_text(amount_minor: int, currency: str, lang: str = "en") -> str:
    major = amount_minor / 100
    symbol = {"usd": "$", "eur": "€", "gbp": "£"}[currency]
    if lang in ("fr", "de", "es"):
        text = f"{major:,.2f}".replace(",", " ").replace(".", ",")
        return f"{text} {symbol}" if currency != "usd" else f"{text} $"
    if major == int(major) and major >= 100:
        return f"{symbol}{int(major):,}"
    return f"{symbol}{major:,.2f}"


def make_customer(
    world: World,
    rng: random.Random,
    *,
    sub_status: str = "active",
    high_value: str | None = None,
    in_stripe: bool = True,
    in_hubspot: bool = True,
    country: str | None = None,
    company: str | None = None,
    paid_invoices: int = 2,
    hubspot_link: bool | None = None,
) -> Customer:
    """A customer with a subscription, a paid history and (for past_due) a failed renewal."""
    country = country or rng.choice(("US", "US", "US", "US", "GB", "DE", "FR", "ES"))
    currency = {"US": "usd", "GB": "gbp"}.get(country, "eur")
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company = company or world.company()
    domain = domain_of(company)
    email = f"{first.lower()}.{last.lower()}@{domain}"
    if email in world._used:
        email = f"{first.lower()}{rng.randint(2, 99)}.{last.lower()}@{domain}"
    world._used.add(email)
    if country == "GB" and rng.random() < 0.6:
        phone = world.uk_phone()
    elif country in ("DE", "FR", "ES") and rng.random() < 0.6:
        phone = world.intl_phone(country)
    else:
        phone = world.phone()
    customer = Customer(
        first=first,
        last=last,
        company=company,
        email=email,
        phone=phone,
        account_id=world.account_id(),
        country=country,
        currency=currency,
        owner=rng.choice(OWNERS),
        high_value=high_value,
    )
    if high_value == "stripe_revenue":
        plan_name, amount = HIGH_PLANS[rng.choice(tuple(HIGH_PLANS))]
    else:
        plan_name, amount = PRODUCTS[rng.choice(tuple(PRODUCTS))]
    quantity = 1 if amount >= 89000 or rng.random() < 0.5 else rng.randint(2, 3)
    if high_value != "stripe_revenue":
        quantity = min(quantity, max(1, 90000 // amount))
    customer.plan_name, customer.plan_amount = plan_name, amount * quantity
    if in_stripe:
        _stripe_objects(world, rng, customer, sub_status=sub_status, quantity=quantity, unit=amount, paid=paid_invoices)
    if in_hubspot:
        link = hubspot_link if hubspot_link is not None else rng.random() < 0.8
        _hubspot_objects(world, rng, customer, link_stripe=link and in_stripe)
    return customer


def _stripe_objects(
    world: World, rng: random.Random, c: Customer, *, sub_status: str, quantity: int, unit: int, paid: int
) -> None:
    created = NOW - timedelta(days=rng.randint(200, 900))
    c.cus_id = world.stripe_id("cus")
    address = {
        "US": {
            "line1": f"{rng.randint(10, 980)} Market St",
            "city": "Austin",
            "postal_code": "78701",
            "state": "TX",
            "country": "US",
            "line2": None,
        },
        "GB": {
            "line1": f"{rng.randint(2, 90)} Old Street",
            "city": "London",
            "postal_code": "EC1V 9HL",
            "state": None,
            "country": "GB",
            "line2": None,
        },
        "DE": {
            "line1": f"Torstraße {rng.randint(2, 200)}",
            "city": "Berlin",
            "postal_code": "10119",
            "state": None,
            "country": "DE",
            "line2": None,
        },
        "FR": {
            "line1": f"{rng.randint(2, 90)} rue de Rivoli",
            "city": "Paris",
            "postal_code": "75004",
            "state": None,
            "country": "FR",
            "line2": None,
        },
        "ES": {
            "line1": f"Calle de Alcalá {rng.randint(2, 200)}",
            "city": "Madrid",
            "postal_code": "28014",
            "state": None,
            "country": "ES",
            "line2": None,
        },
    }[c.country]
    stripe_phone = c.phone if rng.random() < 0.7 else c.phone.replace("+", "")
    c.stripe.append(
        {
            "id": c.cus_id,
            "object": "customer",
            "email": c.email,
            "name": c.company,
            "phone": stripe_phone,
            "description": f"{c.name} ({c.company})",
            "address": address,
            "currency": c.currency,
            "created": ts(created),
            "delinquent": sub_status in ("past_due", "unpaid"),
            "livemode": False,
            "balance": 0,
            "tax_exempt": "none",
            "preferred_locales": [],
            "invoice_prefix": world.invoice_prefix(),
            "invoice_settings": {
                "default_payment_method": world.stripe_id("pm"),
                "footer": None,
                "custom_fields": None,
            },
            "metadata": {"account_id": c.account_id, "contact_name": c.name},
        }
    )
    prefix = c.stripe[0]["invoice_prefix"]
    sub_id = world.stripe_id("sub")
    price_id = world.stripe_id("price")
    period_days = 30
    amount = unit * quantity
    invoices: list[dict[str, Any]] = []
    count = paid + 1
    for n in range(count):
        last = n == count - 1
        start = NOW - timedelta(days=period_days * (count - n) - rng.randint(0, 5))
        failed = last and sub_status in ("past_due", "unpaid")
        inv = _invoice(
            world,
            rng,
            c,
            prefix=prefix,
            seq=n + 1,
            amount=amount,
            when=start,
            sub_id=sub_id,
            paid=not failed,
            reason="subscription_cycle" if n else "subscription_create",
        )
        invoices.append(inv)
    latest = invoices[-1]
    item_price = {
        "id": price_id,
        "object": "price",
        "active": True,
        "currency": c.currency,
        "unit_amount": unit,
        "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
        "product": world.stripe_id("prod"),
        "nickname": c.plan_name,
        "type": "recurring",
    }
    period_start = datetime.fromtimestamp(latest["period_start"], UTC)
    c.subscription = {
        "id": sub_id,
        "object": "subscription",
        "customer": c.cus_id,
        "status": sub_status,
        "collection_method": "charge_automatically",
        "cancel_at_period_end": False,
        "canceled_at": None,
        "created": ts(created + timedelta(days=1)),
        "currency": c.currency,
        "current_period_start": ts(period_start),
        "current_period_end": ts(period_start + timedelta(days=period_days)),
        "latest_invoice": latest["id"],
        "default_payment_method": c.stripe[0]["invoice_settings"]["default_payment_method"],
        "items": {
            "object": "list",
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={sub_id}",
            "data": [
                {
                    "id": world.stripe_id("si"),
                    "object": "subscription_item",
                    "price": item_price,
                    "quantity": quantity,
                    "subscription": sub_id,
                }
            ],
        },
        "metadata": {},
        "livemode": False,
    }
    c.stripe.append(c.subscription)
    c.invoices.extend(invoices)
    c.stripe.extend(invoices)


def _invoice(
    world: World,
    rng: random.Random,
    c: Customer,
    *,
    prefix: str,
    seq: int,
    amount: int,
    when: datetime,
    sub_id: str | None,
    paid: bool,
    reason: str,
    due_days: int | None = None,
) -> dict[str, Any]:
    inv_id = world.stripe_id("in")
    pi_id = world.stripe_id("pi")
    ch_id = world.stripe_id("ch")
    number = f"{prefix}-{seq:04d}"
    card_last4 = f"{rng.randint(0, 9999):04d}"
    charge_ok = paid
    charge = {
        "id": ch_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if charge_ok else 0,
        "amount_refunded": 0,
        "currency": c.currency,
        "customer": c.cus_id,
        "invoice": inv_id,
        "payment_intent": pi_id,
        "status": "succeeded" if charge_ok else "failed",
        "paid": charge_ok,
        "captured": charge_ok,
        "refunded": False,
        "disputed": False,
        "created": ts(when + timedelta(hours=1)),
        "receipt_email": c.email if charge_ok else None,
        "receipt_number": f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" if charge_ok else None,
        "receipt_url": f"https://pay.stripe.com/receipts/invoices/{world.unique('', 24)}" if charge_ok else None,
        "billing_details": {"email": c.email, "name": c.name, "phone": None, "address": None},
        "failure_code": None if charge_ok else rng.choice(("card_declined", "expired_card", "insufficient_funds")),
        "failure_message": None if charge_ok else "Your card was declined.",
        "outcome": {
            "network_status": "approved_by_network" if charge_ok else "declined_by_network",
            "type": "authorized" if charge_ok else "issuer_declined",
            "seller_message": "Payment complete."
            if charge_ok
            else "The bank did not return any further details with this decline.",
        },
        "payment_method_details": {
            "type": "card",
            "card": {
                "brand": rng.choice(("visa", "mastercard", "amex")),
                "last4": card_last4,
                "exp_month": rng.randint(1, 12),
                "exp_year": 2027 + rng.randint(0, 3),
            },
        },
        "description": f"Invoice {number}",
        "livemode": False,
        "metadata": {},
    }
    intent = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if charge_ok else 0,
        "currency": c.currency,
        "customer": c.cus_id,
        "invoice": inv_id,
        "latest_charge": ch_id,
        "status": "succeeded" if charge_ok else "requires_payment_method",
        "created": ts(when),
        "receipt_email": c.email if charge_ok else None,
        "payment_method_types": ["card"],
        "last_payment_error": None
        if charge_ok
        else {"code": charge["failure_code"], "type": "card_error", "message": "Your card was declined."},
        "livemode": False,
        "metadata": {},
    }
    due = None if due_days is None else ts(when + timedelta(days=due_days))
    invoice = {
        "id": inv_id,
        "object": "invoice",
        "customer": c.cus_id,
        "customer_email": c.email,
        "customer_name": c.company,
        "number": number,
        "status": "paid" if paid else "open",
        "currency": c.currency,
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "subtotal": amount,
        "total": amount,
        "subscription": sub_id,
        "billing_reason": reason,
        "collection_method": "charge_automatically" if sub_id else "send_invoice",
        "payment_intent": pi_id,
        "charge": ch_id,
        "paid": paid,
        "attempted": True,
        "attempt_count": 1 if paid else rng.randint(2, 4),
        "next_payment_attempt": None if paid else ts(NOW + timedelta(days=rng.randint(1, 4))),
        "created": ts(when),
        "period_start": ts(when),
        "period_end": ts(when + timedelta(days=30)),
        "due_date": due,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/acct_1Ocx/{world.unique('test_', 20)}",
        "invoice_pdf": f"https://pay.stripe.com/invoice/acct_1Ocx/{world.unique('test_', 20)}/pdf",
        "status_transitions": {"finalized_at": ts(when), "paid_at": ts(when + timedelta(hours=1)) if paid else None},
        "livemode": False,
        "metadata": {},
    }
    c.charges.append(charge)
    c.intents.append(intent)
    c.stripe.extend([charge, intent])
    return invoice


def add_manual_invoice(world: World, rng: random.Random, c: Customer, *, overdue_days: int) -> dict[str, Any]:
    """A one-off `send_invoice` invoice, past its due date and unpaid: the subject of a collections call."""
    prefix = next(o for o in c.stripe if o["object"] == "customer")["invoice_prefix"]
    amount = rng.choice((45000, 120000, 238000, 67500, 315000, 89000))
    when = NOW - timedelta(days=overdue_days + 30)
    seq = len(c.invoices) + 1
    inv = _invoice(
        world,
        rng,
        c,
        prefix=prefix,
        seq=seq,
        amount=amount,
        when=when,
        sub_id=None,
        paid=False,
        reason="manual",
        due_days=30,
    )
    # An unpaid send_invoice invoice has no failed charge: the customer simply has not paid yet.
    charge_id, pi_id = inv["charge"], inv["payment_intent"]
    c.stripe = [o for o in c.stripe if o["id"] != charge_id]
    c.charges = [o for o in c.charges if o["id"] != charge_id]
    for pi in c.intents:
        if pi["id"] == pi_id:
            pi.update(status="requires_payment_method", latest_charge=None, last_payment_error=None)
    inv.update(charge=None, attempt_count=0, attempted=False, next_payment_attempt=None)
    c.invoices.append(inv)
    c.stripe.append(inv)
    return inv


def add_dispute(
    world: World, rng: random.Random, c: Customer, charge: dict[str, Any], status: str = "needs_response"
) -> dict[str, Any]:
    """A Stripe dispute: it names the charge and payment intent only, not the customer."""
    charge["disputed"] = True
    dispute = {
        "id": world.stripe_id("dp"),
        "object": "dispute",
        "amount": charge["amount"],
        "currency": charge["currency"],
        "charge": charge["id"],
        "payment_intent": charge["payment_intent"],
        "reason": rng.choice(("fraudulent", "unrecognized", "product_not_received", "duplicate")),
        "status": status,
        "created": ts(NOW - timedelta(days=rng.randint(1, 20))),
        "is_charge_refundable": False,
        "evidence_details": {
            "due_by": ts(NOW + timedelta(days=7)),
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "balance_transactions": [],
        "livemode": False,
        "metadata": {},
    }
    c.stripe.append(dispute)
    return dispute


def add_refund(
    world: World, rng: random.Random, c: Customer, charge: dict[str, Any], amount: int | None = None
) -> dict[str, Any]:
    amount = amount or charge["amount"]
    charge["amount_refunded"] = amount
    charge["refunded"] = amount == charge["amount"]
    refund = {
        "id": world.stripe_id("re"),
        "object": "refund",
        "amount": amount,
        "currency": charge["currency"],
        "charge": charge["id"],
        "payment_intent": charge["payment_intent"],
        "status": "succeeded",
        "reason": "requested_by_customer",
        "created": ts(NOW - timedelta(days=rng.randint(2, 6))),
        "metadata": {},
    }
    c.stripe.append(refund)
    return refund


def _hubspot_objects(world: World, rng: random.Random, c: Customer, *, link_stripe: bool) -> None:
    c.hs_contact_id = world.hubspot_id()
    c.hs_company_id = world.hubspot_id()
    renewal = (NOW.date() + timedelta(days=rng.randint(5, 200))).isoformat()
    if c.high_value in ("hubspot_tier", "hubspot_acv"):
        tier = (
            rng.choice(("enterprise", "Enterprise", "strategic", "Strategic"))
            if c.high_value == "hubspot_tier"
            else rng.choice(("growth", "standard", ""))
        )
        acv = (
            rng.choice((85000, 120000, 240000, 415000))
            if c.high_value == "hubspot_acv"
            else rng.choice((96000, 180000, 0))
        )
    elif c.high_value == "stripe_revenue":
        tier, acv = "", 0
    else:
        tier = rng.choice(("starter", "standard", "growth", "", ""))
        acv = rng.choice((1200, 2400, 4800, 9600, 14400, 18000, 0))
    company_props: dict[str, Any] = {
        "name": c.company,
        "domain": c.email.split("@")[1],
        "hubspot_owner_id": c.owner["id"] if c.owner else None,
        "lifecyclestage": "customer",
        "country": c.country,
        "renewal_date": renewal,
        "createdate": "2025-01-12T10:00:00.000Z",
        "hs_object_id": c.hs_company_id,
    }
    contact_props: dict[str, Any] = {
        "email": c.email,
        "firstname": c.first,
        "lastname": c.last,
        "phone": format_phone_like_hubspot(c.phone, rng),
        "company": c.company,
        "hubspot_owner_id": c.owner["id"] if c.owner else None,
        "lifecyclestage": "customer",
        "associatedcompanyid": c.hs_company_id,
        "account_id": c.account_id,
        "hs_object_id": c.hs_contact_id,
        "createdate": "2025-01-12T10:00:00.000Z",
        "lastmodifieddate": "2026-10-02T08:30:00.000Z",
    }
    if link_stripe and c.cus_id:
        contact_props["stripe_customer_id"] = c.cus_id
    # Tier and contract value live on the company or on the contact, as different portals do.
    target = company_props if rng.random() < 0.6 else contact_props
    if tier:
        target["account_tier"] = tier
    if acv:
        target["annual_contract_value"] = str(acv)
    company_props = {k: v for k, v in company_props.items() if v is not None}
    contact_props = {k: v for k, v in contact_props.items() if v is not None}
    c.companies.append(
        {
            "id": c.hs_company_id,
            "properties": company_props,
            "createdAt": "2025-01-12T10:00:00.000Z",
            "updatedAt": "2026-10-02T08:30:00.000Z",
            "archived": False,
        }
    )
    c.contacts.append(
        {
            "id": c.hs_contact_id,
            "properties": contact_props,
            "createdAt": "2025-01-12T10:00:00.000Z",
            "updatedAt": "2026-10-02T08:30:00.000Z",
            "archived": False,
            "associations": {"companies": {"results": [{"id": c.hs_company_id, "type": "contact_to_company"}]}},
        }
    )


def spell_email(email: str, rng: random.Random) -> str:
    """An e-mail as a caller says it: "maria dot lopez at harbor logistics dot com"."""
    local, domain = email.split("@")
    style = rng.random()
    if style < 0.4:
        return local.replace(".", " dot ") + " at " + domain.replace(".", " dot ")
    if style < 0.7:
        return email
    return local.replace(".", " dot ") + " at " + domain.replace(".", " dot ") + ", all lower case"


def nice_date(moment: datetime | date, lang: str = "en") -> str:
    months = {
        "en": (
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
        ),
        "es": (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
        "fr": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        "de": (
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ),
    }[lang]
    if lang == "en":
        return f"{months[moment.month - 1]} {moment.day}"
    if lang == "de":
        return f"{moment.day}. {months[moment.month - 1]}"
    return f"{moment.day} {'de ' if lang == 'es' else ''}{months[moment.month - 1]}"


def month_name(moment: datetime | date, lang: str = "en") -> str:
    return nice_date(moment, lang).split()[0 if lang == "en" else -1]
