"""Hard negatives: numbers that look like secrets and must survive redaction."""

from __future__ import annotations

import random
import string

from benchmarks.redaction.holdout import speech
from benchmarks.redaction.holdout.values import luhn_number

_ALNUM = string.ascii_letters + string.digits


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def amount(rng: random.Random) -> str:
    n = rng.choice((19, 49, 89, 120, 240, 480, 1240, 2999, 12500))
    cents = rng.choice(("", ".00", ".50", ".99", ".18"))
    kind = rng.randrange(6)
    if kind == 0:
        return f"${n:,}{cents}"
    if kind == 1:
        return f"£{n:,}{cents}"
    if kind == 2:
        return f"€{n}{cents.replace('.', ',')}"
    if kind == 3:
        return f"{speech.number_words(n)} {rng.choice(('dollars', 'pounds', 'euros', 'bucks', 'quid'))}"
    if kind == 4:
        return f"{rng.choice(('twelve', 'fifteen', 'thirty-two'))} hundred dollars"
    return f"{speech.number_words(rng.randint(10, 99))} ninety-nine"


def date(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice((2025, 2026, 2027))
    kind = rng.randrange(6)
    if kind == 0:
        return f"{y}-{m:02d}-{d:02d}"
    if kind == 1:
        return f"{d:02d}/{m:02d}/{y}"
    if kind == 2:
        return f"{speech.MONTHS[m - 1]} {d}, {y}"
    if kind == 3:
        suffix = "th" if 3 < d < 21 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        return f"the {d}{suffix} of {speech.MONTHS[m - 1]}"
    if kind == 4:
        return f"{speech.MONTHS[m - 1][:3]} {d}"
    return f"{m}/{d}/{y}"


def time(rng: random.Random) -> str:
    h, m = rng.randint(1, 12), rng.choice((0, 15, 30, 45, 10, 5))
    kind = rng.randrange(4)
    if kind == 0:
        return f"{h}:{m:02d} {rng.choice(('am', 'pm', 'AM', 'PM', 'p.m.'))}"
    if kind == 1:
        return f"{rng.randint(8, 20):02d}:{m:02d}"
    if kind == 2:
        return rng.choice(("half past", "quarter past", "quarter to")) + " " + speech.WORDS[h] if h < 10 else "noon"
    return f"{speech.WORDS[h] if h < 10 else speech.TEENS[h - 10]} {rng.choice(('thirty', 'fifteen', 'forty-five'))}"


def phone_us(rng: random.Random) -> str:
    area, mid, last = rng.choice(("415", "212", "646", "312", "503")), "555", "01" + _d(rng, 2)
    return rng.choice((f"({area}) {mid}-{last}", f"{area}-{mid}-{last}", f"{area}.{mid}.{last}",
                       f"1-{area}-{mid}-{last}"))


def phone_uk(rng: random.Random) -> str:
    return rng.choice((f"020 7946 0{_d(rng, 3)}", f"07700 900{_d(rng, 3)}", f"0161 496 0{_d(rng, 3)}",
                       f"0113 496 0{_d(rng, 3)}", f"07700900{_d(rng, 3)}"))


def phone_intl(rng: random.Random) -> str:
    return rng.choice((f"+44 20 7946 0{_d(rng, 3)}", f"+1 415 555 01{_d(rng, 2)}", f"+447700900{_d(rng, 3)}",
                       f"+353 1 555 0{_d(rng, 3)}", f"+49 30 901820{_d(rng, 2)}", f"+61 2 5550 {_d(rng, 4)}",
                       f"+1 (646) 555-01{_d(rng, 2)}"))


def phone_spoken(rng: random.Random) -> str:
    if rng.random() < 0.5:
        digits = "07700900" + _d(rng, 3)
        return f"oh seven seven double oh, nine double oh, {speech.words(digits[8:], rng)}"
    area = rng.choice(("415", "212", "646"))
    return f"{speech.words(area, rng)}, five five five, {speech.words('01' + _d(rng, 2), rng)}"


def last4(rng: random.Random, digits: str | None = None) -> str:
    four = digits or _d(rng, 4)
    return rng.choice((f"ending in {four}", f"ending {four}", f"that ends {four}", f"last four {four}",
                       f"ending with {four}"))


def masked_card(rng: random.Random) -> str:
    four = _d(rng, 4)
    return rng.choice((f"•••• {four}", f"************{four}", f"XXXX-XXXX-XXXX-{four}", f"**** **** **** {four}",
                       f"xxxx xxxx xxxx {four}", f"424242******{four}", f"Visa ••{four}"))


def invoice_no(rng: random.Random) -> str:
    return rng.choice((f"INV-{rng.choice((2025, 2026))}-{_d(rng, 5)}", f"INV{_d(rng, 6)}",
                       f"A-{_d(rng, 4)}-{_d(rng, 3)}", luhn_number(rng, 10)))


def order_no(rng: random.Random) -> str:
    return rng.choice((f"ORD-{_d(rng, 6)}", f"#{_d(rng, 5)}", f"{_d(rng, 3)}-{_d(rng, 7)}-{_d(rng, 7)}",
                       "7" + luhn_number(rng, 12)[1:]))


def ticket(rng: random.Random) -> str:
    return rng.choice((f"#{_d(rng, 5)}", f"ZD-{_d(rng, 6)}", f"CS{_d(rng, 7)}", f"case {_d(rng, 8)}"))


def tracking(rng: random.Random) -> str:
    # Luhn-valid but no card IIN (starting 7 or 9) or a non-card length: still not a secret.
    kind = rng.randrange(4)
    if kind == 0:
        return "1Z" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    if kind == 1:
        v = "94" + luhn_number(rng, 20)
        return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    if kind == 2:
        return "9" + luhn_number(rng, 13)
    return f"{rng.choice(('JD', 'RM'))}{_d(rng, 9)}GB"


def stripe_id(rng: random.Random) -> str:
    prefix = rng.choice(("in_", "ch_", "pi_", "cus_", "sub_", "pm_", "re_", "txn_", "dp_", "seti_"))
    return prefix + rng.choice(("1", "3")) + "".join(rng.choice(_ALNUM) for _ in range(rng.choice((14, 23))))


def percentage(rng: random.Random) -> str:
    n = rng.choice((5, 10, 15, 20, 25, 12.5, 2.9, 100))
    return rng.choice((f"{n}%", f"{n} percent", f"{speech.number_words(int(n))} percent"))


def usage_count(rng: random.Random) -> str:
    n = rng.choice((300, 1500, 2400, 12000, 42, 250000, 9999))
    unit = rng.choice(("minutes", "SMS", "calls", "seats", "API calls", "messages", "texts", "recordings"))
    return f"{n:,} {unit}" if rng.random() < 0.7 else f"{n} {unit}"


def postcode(rng: random.Random) -> str:
    return rng.choice(("SW1A 1AA", "EC2R 8AH", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "LS1 4AP",
                       f"9{_d(rng, 4)}", f"1000{rng.randint(1, 9)}-{_d(rng, 4)}", "D02 X285", "10115"))


def call_id(rng: random.Random) -> str:
    alnum = string.ascii_lowercase + string.digits
    return rng.choice((
        "call_" + "".join(rng.choice(alnum) for _ in range(12)),
        "sess_" + "".join(rng.choice(alnum) for _ in range(16)),
        "-".join("".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12)),
    ))


KINDS = {
    "amount": amount, "date": date, "time": time, "phone_us": phone_us, "phone_uk": phone_uk,
    "phone_intl": phone_intl, "phone_spoken": phone_spoken, "last4": last4, "masked_card": masked_card,
    "invoice_no": invoice_no, "order_no": order_no, "ticket": ticket, "tracking": tracking,
    "stripe_id": stripe_id, "percentage": percentage, "usage_count": usage_count, "postcode": postcode,
    "call_id": call_id,
}

# Carrier sentences for each kind; {} is where the negative goes. "A|" the agent says it, "U|" the caller.
CARRIERS = {
    "amount": ("A|The outstanding balance is {}.", "U|I was billed {} last month, which is more than usual.",
               "A|So that's a refund of {} going back to you.", "A|Your plan renews at {} a month.",
               "U|I can do {} today and the rest next week."),
    "date": ("U|The charge went through on {}.", "A|Your next billing date is {}.",
             "U|The promo ended {}, I think.", "A|We'll send the credit note by {}."),
    "time": ("U|I called yesterday around {}.", "A|The callback is booked for {}.",
             "A|Our billing desk closes at {}."),
    "phone_us": ("U|You can reach me at {}.", "U|Text me on {} when it's done.",
                 "A|The number on file is {}, is that still right?"),
    "phone_uk": ("U|Best number is {}.", "U|Ring me back on {}, please.", "U|My mobile's {}.",
                 "A|If you need us, the billing line is {}."),
    "phone_intl": ("U|I'm abroad, so use {}.", "A|Our finance team is on {}.",
                   "U|The WhatsApp number is {}."),
    "phone_spoken": ("U|My number is {}.", "U|Call me on {} if it drops.", "U|It's {}, that's my mobile."),
    "last4": ("A|I see a Visa {} on the account.", "A|Is that the card {}?",
              "A|We'll charge the Mastercard {}.", "U|The card {} was declined twice."),
    "masked_card": ("A|The portal shows {} as the default card.", "U|My receipt says {}.",
                    "A|Card on file: {}."),
    "invoice_no": ("U|This is about invoice {}.", "A|The invoice number is {}.",
                   "U|I'm looking at invoice {} right now."),
    "order_no": ("U|My order number is {}.", "U|It was order {}.", "A|Reference for the order: {}."),
    "ticket": ("U|I opened ticket {} last week.", "A|Your case reference is {}.",
               "A|I'll add this to ticket {}."),
    "tracking": ("A|The replacement card reader shipped with tracking {}.",
                 "U|Tracking number's {}, it says out for delivery."),
    "stripe_id": ("A|The payment shows as {} in Stripe.", "A|I can see {} on our side.",
                  "A|Refund reference {} has been issued."),
    "percentage": ("A|You get {} off for paying annually.", "A|There's a {} late fee.",
                   "U|Only {} of the credit was used."),
    "usage_count": ("A|You used {} this cycle.", "A|The plan includes {}.",
                    "U|We went over by about {}."),
    "postcode": ("A|The billing postcode is {}.", "U|It's registered to {}.", "U|ZIP code's {}."),
    "call_id": ("A|For reference this call is {}.", "A|Call reference {}."),
}


def sentence(rng: random.Random, kind: str) -> tuple[str, str, str, str]:
    """(role, before, negative text, after) for one carrier sentence of the kind."""
    who, template = rng.choice(CARRIERS[kind]).split("|", 1)
    before, after = template.split("{}")
    return ("agent" if who == "A" else "user"), before, KINDS[kind](rng), after
