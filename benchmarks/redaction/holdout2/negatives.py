"""Hard negatives: numbers a billing call is full of that must come out unchanged.

`make(kind, rng)` gives (value, frames, keys): the text of the value (the span), sentences to say it
in (`{n}` marks it), and field names it sits under in records. Values avoid card IINs where they pass
Luhn, so that a redactor may not claim the safe side for them.
"""

from __future__ import annotations

import random
import string

from stdnum import luhn

from benchmarks.redaction.holdout2 import speech

ALNUM = string.ascii_letters + string.digits


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _phone_us(rng: random.Random) -> str:
    area, ex, line = rng.choice(["415", "212", "646", "312", "617", "206", "512"]), "555", "01" + _d(rng, 2)
    return rng.choice(
        [
            f"({area}) {ex}-{line}",
            f"{area}-{ex}-{line}",
            f"{area}.{ex}.{line}",
            f"+1 {area} {ex} {line}",
            f"1-800-{ex}-{line}",
            f"+1-{area}-{ex}-{line}",
        ]
    )


def _phone_uk(rng: random.Random) -> str:
    return rng.choice(
        [
            f"020 7946 0{_d(rng, 3)}",
            f"07700 900{_d(rng, 3)}",
            f"+44 7700 900 {_d(rng, 3)}",
            f"0161 496 0{_d(rng, 3)}",
            f"+44 (0)20 7946 0{_d(rng, 3)}",
            f"0113 496 0{_d(rng, 3)}",
            f"+447700900{_d(rng, 3)}",
        ]
    )


def _phone_intl(rng: random.Random) -> str:
    return rng.choice(
        [
            f"+33 1 42 68 {_d(rng, 2)} {_d(rng, 2)}",
            f"+49 30 {_d(rng, 8)}",
            f"+34 912 {_d(rng, 3)} {_d(rng, 3)}",
            f"+353 1 555 {_d(rng, 4)}",
            f"+31 20 555 {_d(rng, 4)}",
            f"0033 6 12 {_d(rng, 2)} {_d(rng, 2)} {_d(rng, 2)}",
            f"+61 2 9876 {_d(rng, 4)}",
        ]
    )


def _phone_spoken(rng: random.Random) -> str:
    style = rng.choice(["uk_mobile", "us", "uk_land"])
    if style == "uk_mobile":
        return "oh seven seven double oh, nine double oh, " + speech.words(_d(rng, 3), rng)
    if style == "us":
        area = rng.choice(["415", "212", "646"])
        return f"{speech.words(area, rng)}, five five five, oh one {speech.words(_d(rng, 2), rng)}"
    return "oh two oh, seven nine four six, oh " + speech.words(_d(rng, 3), rng, zero="oh")


def _luhn_reference(rng: random.Random) -> str:
    """Luhn-valid 12 to 16 digits starting 9 or 0: no card brand issues these prefixes."""
    body = rng.choice(["9", "90", "0"]) + _d(rng, rng.choice([11, 13, 14]))
    return body + luhn.calc_check_digit(body)


def _amount(rng: random.Random) -> str:
    whole, cents = rng.randint(12, 4999), rng.randint(0, 99)
    return rng.choice(
        [
            f"${whole:,}.{cents:02d}",
            f"£{whole}.{cents:02d}",
            f"€{whole:,}".replace(",", ".") + f",{cents:02d}",
            f"{whole}.{cents:02d} dollars",
            f"{whole} euros",
            f"USD {whole:,}.{cents:02d}",
            f"£{whole:,}",
        ]
    )


def _amount_words(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{speech.two_digit_words(rng.randint(20, 99))} ninety-nine",
            f"one hundred and {speech.two_digit_words(rng.randint(1, 99))} pounds",
            f"{speech.two_digit_words(rng.randint(2, 99))} dollars {speech.two_digit_words(rng.randint(1, 99))}",
            f"two thousand {speech.ONES[rng.randint(1, 9)]} hundred euros",
        ]
    )


def _date(rng: random.Random) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return rng.choice(
        [
            f"{day:02d}/{month:02d}/2026",
            f"2026-{month:02d}-{day:02d}",
            f"{day} {speech.MONTHS[month - 1]} 2026",
            f"the {day}th of {speech.MONTHS[month - 1]}",
            f"{speech.MONTHS[month - 1]} {day}, 2026",
            f"{month}/{day}/2026",
            f"{day}.{month:02d}.2025",
        ]
    )


def _usage(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(1, 40) * 250:,} calls",
            f"{rng.randint(1, 9) * 100} SMS",
            f"{rng.randint(2, 90) * 500:,} minutes",
            f"{rng.randint(3, 250)} seats",
            f"{rng.randint(1, 99)}.{rng.randint(1, 9)} GB",
            f"{rng.randint(2, 60)} users",
            f"{rng.randint(1000, 99999):,} API requests",
        ]
    )


def _postcode(rng: random.Random) -> str:
    return rng.choice(
        [
            f"SW1A {rng.randint(1, 9)}AA",
            f"EC2R {rng.randint(1, 9)}AH",
            f"M{rng.randint(1, 60)} {rng.randint(1, 9)}AE",
            f"LS{rng.randint(1, 28)} {rng.randint(1, 9)}BT",
            f"{rng.choice(['94107', '10001', '60614', '02139', '73301'])}",
            f"{rng.choice(['10001', '98101'])}-{_d(rng, 4)}",
            f"75{rng.randint(1, 20):03d}",
            f"280{_d(rng, 2)}",
        ]
    )


def _stripe(rng: random.Random) -> str:
    prefix = rng.choice(["pi_", "ch_", "in_", "cus_", "sub_", "re_", "pm_", "py_", "dp_", "txn_"])
    return prefix + "".join(rng.choice(ALNUM) for _ in range(rng.choice([14, 18, 24])))


def _last4(rng: random.Random) -> str:
    return _d(rng, 4)


def _masked(rng: random.Random) -> str:
    last = _d(rng, 4)
    return rng.choice(
        [
            f"•••• {last}",
            f"************{last}",
            f"XXXX-XXXX-XXXX-{last}",
            f"**** **** **** {last}",
            f"xxxx xxxx xxxx {last}",
            f"ending ••{last}",
            f"4***********{last}",
            f"Visa ****{last}",
        ]
    )


def make(kind: str, rng: random.Random) -> tuple[str, list[str], list[str]]:
    if kind == "phone_us":
        return (
            _phone_us(rng),
            [
                "You can reach me on {n}.",
                "My callback number is {n}.",
                "Call me back at {n} if it drops.",
                "The number on the account is {n}.",
            ],
            ["callback_number", "phone", "from_number", "customerPhone"],
        )
    if kind == "phone_uk":
        return (
            _phone_uk(rng),
            ["Best number is {n}.", "Ring me on {n}, that's my mobile.", "Our office line is {n}.", "Text me on {n}."],
            ["phone_number", "contact.phone", "mobile", "to_number"],
        )
    if kind == "phone_intl":
        return (
            _phone_intl(rng),
            [
                "The Paris office is on {n}.",
                "Mi número es {n}.",
                "Vous pouvez m'appeler au {n}.",
                "Our Berlin team is on {n}.",
            ],
            ["phone", "contactPhone", "caller.phone"],
        )
    if kind == "phone_spoken":
        return _phone_spoken(rng), ["My number's {n}.", "Call me on {n}.", "Mobile is {n}."], []
    if kind == "invoice":
        value = rng.choice(
            [
                f"INV-2026-{_d(rng, 5)}",
                f"INV-{_d(rng, 5)}",
                f"F-2026/{_d(rng, 4)}",
                f"{rng.randint(10000, 99999)}",
                f"A{_d(rng, 6)}",
            ]
        )
        return (
            value,
            [
                "It's about invoice {n}.",
                "Invoice {n} still shows unpaid.",
                "Can you resend invoice number {n}?",
                "The factura is {n}.",
            ],
            ["invoice_number", "invoiceNo", "billing.invoice_number", "inv"],
        )
    if kind == "order_luhn":
        return (
            _luhn_reference(rng),
            [
                "The order number is {n}.",
                "Reference on the receipt: {n}.",
                "My booking reference is {n}.",
                "It says transaction reference {n}.",
            ],
            ["order_id", "referenceNumber", "receipt.ref"],
        )
    if kind == "order":
        return (
            rng.choice([f"ORD-{_d(rng, 5)}", f"{rng.randint(1000000, 9999999)}", f"PO-{_d(rng, 6)}"]),
            ["Order {n} was the one.", "Our purchase order is {n}.", "It was order {n}."],
            ["order_number", "purchaseOrder", "po"],
        )
    if kind == "ticket":
        return (
            rng.choice(
                [f"{rng.randint(10000, 99999)}", f"ZD-{_d(rng, 5)}", f"case 00{_d(rng, 6)}", f"SR-2026-{_d(rng, 4)}"]
            ),
            [
                "I already opened ticket {n}.",
                "Support gave me {n} as the reference.",
                "Your colleague logged it as {n}.",
            ],
            ["ticket_id", "zendeskTicket", "support.ticket"],
        )
    if kind == "tracking":
        return (
            rng.choice(
                [
                    f"1Z{''.join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))}",
                    f"9400 1{_d(rng, 3)} {_d(rng, 4)} {_d(rng, 4)} {_d(rng, 4)} {_d(rng, 2)}",
                    f"7{_d(rng, 11)}",
                ]
            ),
            ["The card reader shipped with tracking {n}.", "Tracking number is {n}.", "The courier gave me {n}."],
            ["tracking_number", "shipment.tracking"],
        )
    if kind == "last4":
        return (
            _last4(rng),
            [
                "It's the card ending {n}.",
                "The one ending in {n}.",
                "Last four are {n}.",
                "Is that the card ending {n}?",
            ],
            ["card_last4", "last4", "cardLastFour", "payment.card.last4"],
        )
    if kind == "masked_card":
        return (
            _masked(rng),
            ["The statement shows {n}.", "It's listed as {n} in the portal.", "Charged to {n}."],
            ["masked_pan", "card_display", "cardMasked"],
        )
    if kind == "amount":
        return (
            _amount(rng),
            [
                "I was charged {n} twice.",
                "The refund should be {n}.",
                "The invoice total is {n}.",
                "We've paid {n} so far.",
            ],
            ["amount", "amount_due", "refundAmount", "total"],
        )
    if kind == "amount_words":
        return _amount_words(rng), ["It was {n}, I think.", "They took {n} off me.", "Roughly {n}."], []
    if kind == "date":
        return (
            _date(rng),
            ["It went out on {n}.", "The renewal was due {n}.", "I cancelled on {n}."],
            ["due_date", "renewalDate", "follow_up.deadline"],
        )
    if kind == "time":
        return (
            rng.choice(
                [
                    f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d}pm",
                    f"{rng.randint(8, 18)}:{rng.choice(['00', '15', '30', '45'])}",
                    f"{rng.randint(1, 11)} {rng.choice(['am', 'a.m.'])}",
                ]
            ),
            ["Call me after {n}.", "I'm free from {n}.", "It happened at {n}."],
            ["callback_time"],
        )
    if kind == "usage":
        return (
            _usage(rng),
            ["We only used {n} last month.", "The plan includes {n}.", "Our bill shows {n}."],
            ["usage", "minutes_used", "seatCount", "usage.sms"],
        )
    if kind == "postcode":
        return (
            _postcode(rng),
            ["Billing postcode is {n}.", "The zip is {n}.", "Address ends {n}."],
            ["postcode", "billingZip", "address.postal_code"],
        )
    if kind == "stripe_id":
        return (
            _stripe(rng),
            ["Stripe shows {n} for it.", "The payment id is {n}.", "I see {n} on our side."],
            ["stripe_payment_intent", "paymentId", "stripe.charge", "subscription_id"],
        )
    if kind == "call_id":
        return (
            "call_" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(12)),
            ["Your reference for this call is {n}.", "Previous call was {n}."],
            ["call_id", "previousCallId"],
        )
    if kind == "percent":
        return (
            rng.choice([f"{rng.randint(5, 30)}%", f"{rng.randint(5, 30)} percent", f"{rng.randint(1, 9)}.5%"]),
            ["VAT is {n} on that.", "They promised {n} off.", "The late fee is {n}."],
            ["discount", "tax_rate"],
        )
    if kind == "customer_account":
        return (
            rng.choice([f"ACC-{_d(rng, 5)}", f"C-{_d(rng, 5)}", f"CUST{_d(rng, 6)}"]),
            ["My customer ID is {n}.", "Account reference {n}.", "We're under {n}."],
            ["customer_id", "account_id", "crm.account"],
        )
    raise ValueError(kind)


KINDS = [
    "phone_us",
    "phone_uk",
    "phone_intl",
    "phone_spoken",
    "invoice",
    "order_luhn",
    "order",
    "ticket",
    "tracking",
    "last4",
    "masked_card",
    "amount",
    "amount_words",
    "date",
    "time",
    "usage",
    "postcode",
    "stripe_id",
    "call_id",
    "percent",
    "customer_account",
]
# Kinds that read naturally as a JSON/key-value field (the others only in speech).
FIELD_KINDS = [k for k in KINDS if k not in ("phone_spoken", "amount_words")]
