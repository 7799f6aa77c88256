"""Hard negatives: strings with digits that a redactor must leave alone.

Each maker returns an `N` segment (text + kind). Phone numbers use the fictional ranges (US 555-01xx,
UK Ofcom drama numbers 020 7946 0xxx / 07700 900xxx) so nothing here is a real subscriber.
"""

from __future__ import annotations

import random
import string

from .doc import N

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone(rng: random.Random) -> N:
    x = _d(rng, 2)
    area = rng.choice(("415", "212", "312", "646", "503", "617", "206"))
    choice = rng.randrange(11)
    if choice == 0:
        return N(f"({area}) 555-01{x}", "phone_us")
    if choice == 1:
        return N(f"{area}-555-01{x}", "phone_us")
    if choice == 2:
        return N(f"+1 {area} 555 01{x}", "phone_intl")
    if choice == 3:
        return N(f"+1 ({area}) 555-01{x}", "phone_intl")
    if choice == 4:
        return N(f"020 7946 0{_d(rng, 3)}", "phone_uk")
    if choice == 5:
        return N(f"+44 20 7946 0{_d(rng, 3)}", "phone_intl")
    if choice == 6:
        return N(f"07700 900{_d(rng, 3)}", "phone_uk")
    if choice == 7:
        return N(f"+44 7700 900{_d(rng, 3)}", "phone_intl")
    if choice == 8:
        return N(f"+49 30 {_d(rng, 7)}", "phone_intl")
    if choice == 9:
        return N(f"+33 1 {_d(rng, 2)} {_d(rng, 2)} {_d(rng, 2)} {_d(rng, 2)}", "phone_intl")
    return N(f"{area}.555.01{x}", "phone_us")


def phone_e164(rng: random.Random) -> N:
    if rng.random() < 0.5:
        return N(f"+1{rng.choice(('415', '212', '646'))}55501{_d(rng, 2)}", "phone_intl")
    return N(f"+4420794600{_d(rng, 2)}", "phone_intl")


def phone_spoken(rng: random.Random) -> N:
    """A phone number read out in words; digit-word redaction must not take it for a secret."""
    from .speech import single

    if rng.random() < 0.5:
        area = rng.choice(("415", "212", "646"))
        text = f"{single(area, rng)}, five five five, oh one {single(_d(rng, 2), rng)}"
    else:
        text = f"oh seven seven double oh, nine double oh, {single(_d(rng, 3), rng)}"
    return N(text, "phone_spoken")


def last4(rng: random.Random) -> N:
    return N(_d(rng, 4), "last4")


def masked_card(rng: random.Random) -> N:
    tail = _d(rng, 4)
    form = rng.randrange(8)
    text = [
        f"•••• {tail}", f"************{tail}", f"XXXX-XXXX-XXXX-{tail}", f"**** **** **** {tail}",
        f"xxxx{tail}", f"Visa •••• {tail}", f"…{tail}", f"XXXX XXXX XXXX {tail}",
    ][form]
    return N(text, "masked_card")


def usage(rng: random.Random) -> N:
    n = rng.choice(("300", "1,500", "2,000", "12", "45", "10,000", "250", "3", "7,200", "800"))
    unit = rng.choice(("SMS", "calls", "minutes", "seats", "GB", "API calls", "messages", "users", "texts",
                       "numbers"))
    return N(f"{n} {unit}", "usage_count")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def date(rng: random.Random) -> N:
    y, m, d = rng.randint(2024, 2027), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.randrange(7)
    text = [
        f"{_MONTHS[m - 1]} {d}, {y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}",
        f"{d} {_MONTHS[m - 1]}", f"the {d}{'th' if d > 3 else ['st', 'nd', 'rd'][d - 1]} of {_MONTHS[m - 1]}",
        f"{_MONTHS[m - 1][:3]} {d}",
    ][form]
    return N(text, "date")


def amount(rng: random.Random) -> N:
    form = rng.randrange(9)
    dollars = rng.choice((49, 99, 129, 249, 1249, 2400, 18, 7, 560, 12000))
    text = [
        f"${dollars:,}.00", f"£{dollars}.99", f"€{dollars:,}".replace(",", ".") + ",00", f"${dollars:,}",
        rng.choice(("twelve hundred dollars", "forty-nine ninety-nine", "two hundred and fifty pounds",
                    "ninety-nine dollars", "three hundred euros")),
        f"USD {dollars:,}.{_d(rng, 2)}", f"{dollars:,}.{_d(rng, 2)} GBP", f"${dollars}.{_d(rng, 2)}",
        f"£{dollars:,}",
    ][form]
    return N(text, "amount")


def invoice(rng: random.Random) -> N:
    form = rng.randrange(5)
    text = [
        f"INV-{rng.randint(2024, 2026)}-{_d(rng, 6)}", f"{rng.randint(10000, 99999)}", f"INV{_d(rng, 5)}",
        f"{''.join(rng.choice(string.ascii_uppercase) for _ in range(4))}{_d(rng, 4)}-{_d(rng, 4)}",
        f"#{rng.randint(1000, 99999)}",
    ][form]
    return N(text, "invoice_no")


def order(rng: random.Random) -> N:
    form = rng.randrange(4)
    text = [f"#A-{_d(rng, 6)}", f"ORD-{_d(rng, 8)}", f"{rng.randint(1000000, 9999999)}", f"SO-{_d(rng, 5)}"][form]
    return N(text, "order_no")


def stripe_id(rng: random.Random) -> N:
    prefix = rng.choice(("in_", "ch_", "pi_", "cus_", "sub_", "pm_", "re_", "txn_"))
    n = 14 if prefix == "cus_" else 24
    return N(prefix + "".join(rng.choice(_ALNUM) for _ in range(n)), "stripe_id")


def ticket(rng: random.Random) -> N:
    form = rng.randrange(4)
    text = [f"#{rng.randint(10000, 99999)}", f"ZD-{_d(rng, 6)}", f"CS-{_d(rng, 4)}", f"{rng.randint(100000, 999999)}"][
        form]
    return N(text, "ticket")


def postcode(rng: random.Random) -> N:
    text = rng.choice((
        "SW1A 1AA", "EC1V 9HX", "M1 1AE", "B33 8TH", "CR2 6XH", "LS1 4AP", "94107", "10001", "60614",
        f"{rng.randint(10000, 99999)}-{_d(rng, 4)}", "02139", "EH1 1YZ",
    ))
    return N(text, "postcode")


def time(rng: random.Random) -> N:
    h, m = rng.randint(0, 23), rng.choice((0, 5, 15, 30, 45, 50, 12))
    form = rng.randrange(4)
    text = [f"{h:02d}:{m:02d}", f"{(h % 12) or 12}:{m:02d} {'pm' if h >= 12 else 'am'}",
            f"{(h % 12) or 12}{'pm' if h >= 12 else 'am'}", f"{h:02d}:{m:02d}:{rng.randint(0, 59):02d}"][form]
    return N(text, "time")


def percent(rng: random.Random) -> N:
    text = rng.choice(("15%", "12.5 percent", "20 %", "100%", "3.5%", "fifty percent", "8%"))
    return N(text, "percentage")


def call_id(rng: random.Random) -> N:
    if rng.random() < 0.6:
        return N("call_" + "".join(rng.choice(_LOWER_ALNUM) for _ in range(rng.choice((9, 12, 16)))), "call_id")
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return N(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}", "call_id")


MAKERS = {
    "phone": phone, "phone_e164": phone_e164, "phone_spoken": phone_spoken,
    "last4": last4, "masked_card": masked_card, "usage": usage, "date": date, "amount": amount,
    "invoice": invoice, "order": order, "stripe_id": stripe_id, "ticket": ticket, "postcode": postcode,
    "time": time, "percent": percent, "call_id": call_id,
}
