"""Deterministic synthetic corpus of DialNexa billing-call transcripts for the redaction benchmark.

Every call is "Agent: ...\\nUser: ..." text with planted secrets (every finding type, in every
surface form a speech-to-text engine produces) and planted hard negatives that must survive
(invoice numbers, amounts, dates, phone numbers, Luhn-valid order and tracking numbers, "card
ending in 4242", Stripe ids, tickets, call ids, postcodes). Valid identifiers are built with the
same kept libraries the redactor validates with (python-stdnum, schwifty), so a miss is a miss.

`generate_corpus(count, seed)` returns the same calls for the same arguments.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from schwifty import IBAN
from stdnum import luhn
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.us import ein as us_ein
from stdnum.us import rtn as us_rtn
from stdnum.us import ssn as us_ssn

# Surface forms, and the target family each belongs to.
CONTIGUOUS = "contiguous"
GROUPED_SPACE = "grouped_space"
GROUPED_DASH = "grouped_dash"
GROUPED_DOT = "grouped_dot"
GROUPED_SLASH = "grouped_slash"  # expiry dates: 09/27, 09/2027
SPOKEN = "spoken"
SPOKEN_COMPACT = "spoken_compact"  # "oh", "double four", "triple seven", "forty-one eleven"
MIXED = "mixed"  # digits and words in one reading
SPLIT_TURNS = "split_turns"
# A card read in groups of 4 (Amex 4-6-5) over several user turns in a call where nobody says
# "card" or any other card word: the issue's own example. Planted in extra calls (see
# generate_corpus), so the other calls of a corpus stay what they were.
SPLIT_NO_CARD_WORD = "split_no_card_word"
READBACK = "readback"

FORM_FAMILY: dict[str, str] = {
    CONTIGUOUS: "digits",
    GROUPED_SPACE: "digits",
    GROUPED_DASH: "digits",
    GROUPED_DOT: "digits",
    GROUPED_SLASH: "digits",
    SPOKEN: "spoken",
    SPOKEN_COMPACT: "spoken",
    MIXED: "spoken",
    SPLIT_TURNS: "split",
    SPLIT_NO_CARD_WORD: "split",
    READBACK: "split",
}

_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


@dataclass
class PlantedSecret:
    type: str
    form: str
    spans: list[tuple[int, int]]
    digits: str  # the value's digits/letters, for leak checks


@dataclass
class PlantedNegative:
    kind: str
    start: int
    end: int


@dataclass
class CallRecord:
    id: str
    text: str
    secrets: list[PlantedSecret] = field(default_factory=list)
    negatives: list[PlantedNegative] = field(default_factory=list)


class _Transcript:
    """Appends turns and remembers where planted pieces landed."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.marks: dict[str, list[tuple[int, int]]] = {}

    def turn(self, speaker: str, *pieces: str | tuple[str, str]) -> None:
        """A turn made of plain strings and (mark, text) pieces whose spans are recorded."""
        if self.parts:
            self._append("\n")
        self._append(f"{speaker}: ")
        for piece in pieces:
            if isinstance(piece, tuple):
                mark, text = piece
                self.marks.setdefault(mark, []).append((self.length, self.length + len(text)))
                self._append(text)
            else:
                self._append(piece)

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


# --- value generators ------------------------------------------------------------------------


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


_CARD_BRANDS: list[tuple[Callable[[random.Random], str], int]] = [
    (lambda rng: "4", 16),
    (lambda rng: "4", 19),
    (lambda rng: str(rng.randint(51, 55)), 16),
    (lambda rng: str(rng.randint(2221, 2720)), 16),
    (lambda rng: rng.choice(["34", "37"]), 15),
    (lambda rng: rng.choice(["6011", "65"]), 16),
    (lambda rng: rng.choice(["36", "38"]), 14),
    (lambda rng: str(rng.randint(3528, 3589)), 16),
    (lambda rng: "62", 19),
]


def card_number(rng: random.Random) -> str:
    while True:  # bounded in practice: only an all-one-digit number is rejected
        prefix_of, length = rng.choice(_CARD_BRANDS)
        number = _luhn_complete(rng, prefix_of(rng), length)
        if number.count(number[0]) != len(number):
            return number


def routing_number(rng: random.Random) -> str:
    prefix = rng.choice(["0", "1", "2", "3", "6", "7"])
    first_two = {
        "0": "0" + str(rng.randint(1, 9)),
        "1": "1" + str(rng.randint(0, 2)),
        "2": str(rng.randint(21, 29)),
        "3": str(rng.randint(30, 32)),
        "6": str(rng.randint(61, 69)),
        "7": str(rng.randint(70, 72)),
    }[prefix]
    body = first_two + _digits(rng, 6)
    return body + us_rtn.calc_check_digit(body)


def ssn(rng: random.Random) -> str:
    for _ in range(1000):
        area = rng.randint(1, 899)
        value = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if us_ssn.is_valid(value):
            return value
    raise RuntimeError("no valid SSN drawn")


def itin(rng: random.Random) -> str:
    group = rng.choice([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
    return f"9{rng.randint(0, 99):02d}{group:02d}{rng.randint(1, 9999):04d}"


def ein(rng: random.Random) -> str:
    for _ in range(1000):
        value = f"{rng.randint(1, 99):02d}{_digits(rng, 7)}"
        if us_ein.is_valid(value):
            return value
    raise RuntimeError("no valid EIN drawn")


def nino(rng: random.Random) -> str:
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        prefix = rng.choice(first) + rng.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            return prefix + _digits(rng, 6) + rng.choice("ABCD")


def utr(rng: random.Random) -> str:
    body = _digits(rng, 9)
    return gb_utr.calc_check_digit(body) + body


def vat_number(rng: random.Random) -> str:
    for _ in range(10_000):
        value = str(rng.randint(1, 9)) + _digits(rng, 8)
        if gb_vat.is_valid(value):
            return "GB" + value
    raise RuntimeError("no valid VAT number drawn")


def iban(rng: random.Random) -> str:
    country = rng.choice(["GB", "DE", "NL", "IE", "AT"])
    if country in ("GB", "IE"):
        bank = rng.choice(["WEST", "BARC", "NWBK", "AIBK"])
        value = IBAN.generate(country, bank_code=bank + _digits(rng, 6), account_code=_digits(rng, 8))
    elif country == "DE":
        value = IBAN.generate("DE", bank_code=_digits(rng, 8), account_code=_digits(rng, 10))
    elif country == "NL":
        value = IBAN.generate("NL", bank_code=rng.choice(["ABNA", "INGB", "RABO"]), account_code=_digits(rng, 10))
    else:
        value = IBAN.generate("AT", bank_code=_digits(rng, 5), account_code=_digits(rng, 11))
    return value.compact


_BICS = [
    "DEUTDEFF",
    "COBADEFFXXX",
    "BNPAFRPP",
    "NWBKGB2L",
    "BARCGB22",
    "CHASUS33",
    "BOFAUS3N",
    "HSBCGB2L",
    "INGBNL2A",
    "ABNANL2A",
    "RABONL2U",
    "CITIUS33XXX",
]


# --- surface forms -------------------------------------------------------------------------------


def _spoken_digits(rng: random.Random, digits: str, zero_as_oh: bool) -> list[str]:
    return [("oh" if zero_as_oh else "zero") if digit == "0" else _DIGIT_WORDS[int(digit)] for digit in digits]


def _compact_spoken(rng: random.Random, digits: str) -> str:
    """ "double four", "triple seven", "oh", and pairs read as "forty-one" / "eleven"."""
    words: list[str] = []
    index = 0
    while index < len(digits):
        digit = digits[index]
        run = 1
        while index + run < len(digits) and digits[index + run] == digit and run < 3:
            run += 1
        if run >= 2 and rng.random() < 0.8:
            word = "oh" if digit == "0" else _DIGIT_WORDS[int(digit)]
            words.append(("double " if run == 2 else "triple ") + word)
            index += run
            continue
        pair = digits[index : index + 2]
        # "thirty" + "five" would read as 35, so a pair ending in zero is never said as tens.
        if len(pair) == 2 and pair[0] != "0" and pair[1] != "0" and rng.random() < 0.5:
            if pair[0] == "1":
                words.append(_TEENS[int(pair[1])])
            else:
                words.append(_TENS[int(pair[0])] + "-" + _DIGIT_WORDS[int(pair[1])])
            index += 2
            continue
        words.append("oh" if digit == "0" else _DIGIT_WORDS[int(digit)])
        index += 1
    return " ".join(words)


def _blocks(digits: str, sizes: list[int]) -> list[str]:
    blocks: list[str] = []
    index = 0
    for size in sizes:
        if index >= len(digits):
            break
        blocks.append(digits[index : index + size])
        index += size
    if index < len(digits):
        blocks.append(digits[index:])
    return blocks


def _block_sizes(secret_type: str, value: str) -> list[int]:
    if secret_type == "card_number":
        if len(value) == 15:
            return [4, 6, 5]
        if len(value) == 14:
            return [4, 6, 4]
        return [4, 4, 4, 4, 3]
    if secret_type in ("us_ssn", "us_itin"):
        return [3, 2, 4]
    if secret_type == "us_ein":
        return [2, 7]
    if secret_type == "uk_sort_code":
        return [2, 2, 2]
    if secret_type == "uk_utr":
        return [5, 5]
    if secret_type in ("iban", "vat_number", "uk_nino"):
        return [4] * 9 if secret_type == "iban" else ([2, 2, 2, 2, 1] if secret_type == "uk_nino" else [2, 3, 4, 2])
    if secret_type == "card_expiry":
        return [2, 2]
    return [3, 3, 4, 4, 4]


def render(rng: random.Random, secret_type: str, value: str, form: str) -> list[str]:
    """The value as it would appear in a transcript, as one or more pieces (several for split forms)."""
    blocks = _blocks(value, _block_sizes(secret_type, value))
    letters_kept = secret_type in ("iban", "vat_number", "uk_nino")

    def speak(block: str, compact: bool) -> str:
        if letters_kept and not block.isdigit():
            # Letters stay letters (engines transcribe "G B" as capitals); digits are spoken.
            out: list[str] = []
            for char in block:
                out.append(char if char.isalpha() else _DIGIT_WORDS[int(char)])
            return " ".join(out)
        if compact:
            return _compact_spoken(rng, block)
        return " ".join(_spoken_digits(rng, block, zero_as_oh=rng.random() < 0.5))

    if form == CONTIGUOUS:
        return [value]
    if form == GROUPED_SPACE:
        return [" ".join(blocks)]
    if form == GROUPED_DASH:
        return ["-".join(blocks)]
    if form == GROUPED_DOT:
        return [".".join(blocks)]
    if form == SPOKEN:
        return [", ".join(speak(block, compact=False) for block in blocks)]
    if form == SPOKEN_COMPACT:
        return [", ".join(speak(block, compact=True) for block in blocks)]
    if form == MIXED:
        return [
            " ".join(block if index % 2 == 0 else speak(block, compact=False) for index, block in enumerate(blocks))
        ]
    if form == SPLIT_TURNS:
        middle = max(1, len(blocks) // 2)
        first = blocks[:middle]
        second = blocks[middle:]
        spoken = rng.random() < 0.5
        if spoken:
            return [
                ", ".join(speak(block, False) for block in first),
                ", ".join(speak(block, False) for block in second),
            ]
        return [" ".join(first), " ".join(second)]
    if form == READBACK:
        return [" ".join(blocks)]
    raise ValueError(form)


# --- what each type looks like in a call -----------------------------------------------------

# type -> (value generator, forms, user phrasing before the value)
_FORMS_NUMERIC = [CONTIGUOUS, GROUPED_SPACE, GROUPED_DASH, SPOKEN, SPOKEN_COMPACT, MIXED]
_SECRET_TYPES: dict[str, tuple[Callable[[random.Random], str], list[str], list[str]]] = {
    "card_number": (
        card_number,
        [*_FORMS_NUMERIC, GROUPED_DOT, SPLIT_TURNS, READBACK],
        [
            "my card number is ",
            "it's a Visa, the number is ",
            "sure, the long number on the card is ",
            "okay so the card is ",
            "",
            "the number is ",
        ],
    ),
    "card_cvv": (
        lambda rng: _digits(rng, 3),
        [CONTIGUOUS, SPOKEN, SPOKEN_COMPACT],
        ["the security code is ", "CVV is ", "the three digits on the back are ", "it's "],
    ),
    "card_expiry": (
        lambda rng: f"{rng.randint(1, 12):02d}{rng.randint(26, 33)}",
        [GROUPED_SLASH, CONTIGUOUS, SPOKEN, SPOKEN_COMPACT],
        ["it expires ", "expiry date is ", "the expiration is ", "valid through "],
    ),
    "pin": (lambda rng: _digits(rng, 4), [CONTIGUOUS, SPOKEN], ["my PIN is ", "the PIN number is "]),
    "iban": (iban, [CONTIGUOUS, GROUPED_SPACE, SPOKEN, SPLIT_TURNS], ["my IBAN is ", "the IBAN is "]),
    "bic": (lambda rng: rng.choice(_BICS), [CONTIGUOUS], ["the BIC is ", "SWIFT code ", "the swift code is "]),
    "us_routing_number": (
        routing_number,
        [CONTIGUOUS, SPOKEN, SPOKEN_COMPACT, MIXED],
        ["the routing number is ", "routing ", "ABA routing number "],
    ),
    "us_bank_account": (
        lambda rng: _digits(rng, rng.randint(8, 12)),
        [CONTIGUOUS, SPOKEN, SPLIT_TURNS],
        ["my checking account number is ", "the bank account number is ", "savings account number "],
    ),
    "uk_sort_code": (
        lambda rng: _digits(rng, 6),
        [GROUPED_DASH, CONTIGUOUS, SPOKEN],
        ["the sort code is ", "sort code "],
    ),
    "uk_bank_account": (
        lambda rng: _digits(rng, 8),
        [CONTIGUOUS, SPOKEN, SPOKEN_COMPACT],
        ["and the bank account number is ", "account number with the bank is "],
    ),
    "us_ssn": (
        ssn,
        [GROUPED_DASH, CONTIGUOUS, SPOKEN, SPOKEN_COMPACT, READBACK],
        ["my social security number is ", "my SSN is ", "the social is "],
    ),
    "us_itin": (itin, [GROUPED_DASH, CONTIGUOUS, SPOKEN], ["my ITIN is ", "individual taxpayer number "]),
    "us_ein": (ein, [GROUPED_DASH, CONTIGUOUS, SPOKEN], ["our EIN is ", "the employer identification number is "]),
    "uk_nino": (nino, [CONTIGUOUS, GROUPED_SPACE, SPOKEN], ["my national insurance number is ", "NI number "]),
    "uk_utr": (utr, [CONTIGUOUS, GROUPED_SPACE, SPOKEN], ["my UTR is ", "the unique taxpayer reference is "]),
    "vat_number": (vat_number, [CONTIGUOUS, GROUPED_SPACE], ["our VAT number is ", "VAT registration "]),
    "secret_api_key": (
        lambda rng: "sk_live_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(24)),
        [CONTIGUOUS],
        ["I pasted our key into the chat, it's ", "the API key is "],
    ),
}
SECRET_TYPES: tuple[str, ...] = tuple(_SECRET_TYPES)

_AGENT_PROMPTS: dict[str, str] = {
    "card_number": "Could you read me the card number?",
    "card_cvv": "And the security code on the back?",
    "card_expiry": "What's the expiry date on the card?",
    "pin": "Please don't share it, but the system asks for the PIN.",
    "iban": "Which account should the refund go to?",
    "bic": "And the bank's BIC or SWIFT code?",
    "us_routing_number": "I need the routing number for the ACH transfer.",
    "us_bank_account": "And the bank account details for the direct debit?",
    "uk_sort_code": "Can I take the bank details for the direct debit?",
    "uk_bank_account": "Thanks. And the account itself?",
    "us_ssn": "For the tax form I need to verify your identity.",
    "us_itin": "Which taxpayer number should go on the 1099?",
    "us_ein": "What's the company's federal tax number?",
    "uk_nino": "For the payroll invoice we need your details.",
    "uk_utr": "For the self assessment invoice, what's your reference?",
    "vat_number": "Should the invoice show a VAT number?",
    "secret_api_key": "How is the integration authenticated?",
}
_SPLIT_FILLERS = ["go on", "okay", "mm-hmm", "yes, go on", "got it, and the rest?", "okay, keep going", "sure"]


def _render_expiry(rng: random.Random, value: str, form: str) -> str:
    month, year = value[:2], value[2:]
    if form == GROUPED_SLASH:
        return f"{month}/{year}"
    if form == CONTIGUOUS:
        return f"{month}/20{year}"
    month_words = "oh " + _DIGIT_WORDS[int(month[1])] if month[0] == "0" else _TEENS[int(month[1])]
    year_words = _TENS[int(year[0])] + ("" if year[1] == "0" else " " + _DIGIT_WORDS[int(year[1])])
    if form == SPOKEN_COMPACT:
        return f"{month_words} twenty {year_words}"
    return f"{month_words} {year_words}"


def _plant_secret(rng: random.Random, script: _Transcript, secret_type: str, index: int) -> tuple[str, str, str]:
    make_value, forms, phrasings = _SECRET_TYPES[secret_type]
    value = make_value(rng)
    form = rng.choice(forms)
    mark = f"secret{index}"
    script.turn("Agent", _AGENT_PROMPTS[secret_type])
    phrase = rng.choice(phrasings)
    if secret_type == "card_expiry":
        script.turn("User", phrase, (mark, _render_expiry(rng, value, form)), ".")
        return mark, form, value
    if secret_type == "uk_bank_account":
        # A UK account number is read after its sort code, so plant that context first.
        script.turn("User", "sort code ", (mark + "ctx", "-".join(_blocks(_digits(rng, 6), [2, 2, 2]))))
    pieces = render(rng, secret_type, value, form)
    if form == SPLIT_TURNS:
        script.turn("User", phrase, (mark, pieces[0]))
        script.turn("Agent", rng.choice(_SPLIT_FILLERS))
        script.turn("User", (mark, pieces[1]))
    else:
        script.turn("User", phrase, (mark, pieces[0]), rng.choice([".", "", ", that's it.", " I think."]))
    if form == READBACK:
        readback = " ".join(_blocks(value, _block_sizes(secret_type, value)))
        script.turn("Agent", "Let me read that back: ", (mark, readback), ". Is that right?")
        script.turn("User", "Yes, that's right.")
    return mark, form, value


# --- hard negatives ----------------------------------------------------------------------------


def _luhn_order_number(rng: random.Random) -> str:
    return _luhn_complete(rng, "4", 16)


def _negative_pieces(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(kind, text before, the kept text, text after) candidates for one call."""
    amount = f"{rng.randint(1, 9)},{rng.randint(100, 999)}.{rng.randint(0, 99):02d}"
    stripe = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(24))
    fedex = _luhn_complete(rng, "7" + str(rng.randint(0, 9)), 12)
    usps = _luhn_complete(rng, "9400", 22)
    amazon = _luhn_complete(rng, "11" + str(rng.randint(1, 4)), 17)
    last4 = _digits(rng, 4)
    uuid = "-".join("".join(rng.choice("0123456789abcdef") for _ in range(size)) for size in (8, 4, 4, 4, 12))
    return [
        (
            "invoice_number",
            "I'm calling about invoice ",
            f"INV-{rng.randint(2019, 2026)}-{rng.randint(1, 99999):05d}",
            ".",
        ),
        ("invoice_number", "the invoice number is ", f"{rng.randint(10000, 999999)}", ", I think."),
        ("amount_digits", "I was charged ", f"${amount}", " twice."),
        ("amount_digits", "the balance shows ", f"\u00a3{rng.randint(10, 999)}.{rng.randint(0, 99):02d}", "."),
        (
            "amount_words",
            "it should only be ",
            f"{_TENS[rng.randint(2, 9)]} {_DIGIT_WORDS[rng.randint(1, 9)]} dollars",
            ".",
        ),
        (
            "amount_words",
            "the refund is ",
            f"{_DIGIT_WORDS[rng.randint(1, 9)]} hundred and {_TENS[rng.randint(2, 9)]} pounds",
            ".",
        ),
        (
            "date",
            "the payment was due on ",
            f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(2023, 2026)}",
            ".",
        ),
        ("date", "it renewed on ", f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "."),
        ("date", "the charge was on March ", f"{rng.randint(1, 28)}, {rng.randint(2023, 2026)}", "."),
        ("phone_number", "you can call me back on ", f"{rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}", "."),
        ("phone_number", "my mobile is ", f"+44 7{_digits(rng, 3)} {_digits(rng, 6)}", "."),
        ("phone_number", "the office phone is ", f"({rng.randint(201, 989)}) 555-{_digits(rng, 4)}", "."),
        ("order_number_luhn", "my order number is ", f"ORD-{_luhn_order_number(rng)}", "."),
        ("order_number_luhn", "the order is ", f"{amazon[:3]}-{amazon[3:10]}-{amazon[10:]}", "."),
        ("tracking_number_luhn", "the tracking number is ", f"{fedex[:4]} {fedex[4:8]} {fedex[8:]}", "."),
        ("tracking_number_luhn", "USPS tracking ", " ".join(_blocks(usps, [4, 4, 4, 4, 4, 2])), "."),
        ("card_ending", "it was the card ending in ", last4, "."),
        ("card_ending", "the Visa with last four ", _digits(rng, 4), ", I think."),
        ("stripe_id", "the payment id is ", f"pi_{stripe}", "."),
        ("stripe_id", "the charge ", f"ch_{stripe[::-1]}", " was disputed."),
        ("stripe_id", "invoice object ", f"in_{stripe[3:]}{rng.randint(10, 99)}", "."),
        ("stripe_id", "the subscription ", f"sub_{stripe[5:]}", " failed to renew."),
        ("stripe_id", "customer ", f"cus_{stripe[:14]}", " is me."),
        ("ticket_number", "I already opened ticket #", f"{rng.randint(10000, 999999)}", "."),
        ("ticket_number", "the case number is ", f"{rng.randint(100000, 99999999):08d}", "."),
        ("call_id", "the call id on my email is ", uuid, "."),
        (
            "postcode",
            "my billing postcode is ",
            rng.choice(["SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH"]),
            ".",
        ),
        ("postcode", "the zip code is ", f"{rng.randint(10000, 99999)}", "."),
    ]


_SMALL_TALK_AGENT = [
    "Thanks for calling DialNexa billing support, this is Ava. How can I help you today?",
    "I can help with that. Let me pull up your account first.",
    "I understand, that's frustrating. Give me one moment while I check the billing history.",
    "I see the charge here. It looks like the renewal ran twice because the first attempt timed out.",
    "Just so you know, we never need your full card details over the phone for this.",
    "I've added a note to your account and someone from finance will follow up within two business days.",
    "Is there anything else I can help you with today?",
    "I'll send a confirmation to the email address we have on file.",
    "Okay, I can see one open invoice and one paid invoice on the account.",
    "Let me check whether a refund is possible under the current policy.",
]
_SMALL_TALK_USER = [
    "Hi, yes, I have a question about my last bill.",
    "I think I was charged twice for the same month and I'd like that sorted out.",
    "Okay, thank you. I just want to make sure it doesn't happen again next month.",
    "Can you resend the receipt to my work email? I can't find it anywhere.",
    "That's fine, no rush. Oh, and one more thing about the invoice address.",
    "We moved offices, so the billing address needs to change before the next invoice.",
    "Sure, which one do you need?",
    "Yes that's correct, the company name is spelled the same as before.",
    "No, that's everything, thanks for your help.",
    "Right, okay. So what happens with the subscription now?",
]


# Extra talk for the realistic profile only (the dense profile keeps its original draws, so its
# figures stay comparable across versions). Real billing calls are mostly this: words, with the
# harmless numbers people say anyway (durations, counts, ordinals), which a pre-filter cannot skip.
_SMALL_TALK_AGENT_EXTRA = [
    "Sorry about the wait, we've had a lot of calls this morning because of the pricing change.",
    "I can see you've been with us for about three years, so I'd like to get this right for you.",
    "The plan you're on includes two users and 10 GB of call recordings per month.",
    "That change would take effect from the first of next month, not immediately.",
    "I'm just going to put you on a short hold while I talk to my colleague in finance, is that okay?",
    "Thanks for holding. My colleague confirmed the second charge was a duplicate.",
    "The refund normally takes five to seven working days to show on your statement.",
    "You'll get an email with the updated invoice in the next hour or so.",
    "I can also switch you to annual billing, which works out about 15 percent cheaper.",
    "Unfortunately I can't change the invoice date from here, but I can raise it with the team.",
    "Could you confirm the email address and the company name on the account for me?",
    "Great, I've updated the billing address, it will show on the next invoice.",
]
_SMALL_TALK_USER_EXTRA = [
    "I've been on hold for twenty minutes already, so I hope we can sort this quickly.",
    "We only have two people using it now, the third one left the company in June.",
    "It's the second time this year this has happened, to be honest.",
    "Can you just confirm the amount I'll be paying going forward?",
    "Okay, and will I get something in writing about that?",
    "My finance team asked me to call because the numbers don't match our records.",
    "Yes, the email is the same one, my first name dot last name at the company domain.",
    "That's fine, I can wait a minute or two.",
    "Honestly we like the product, it's just the billing that keeps going wrong.",
    "We're a small team, about 12 of us, so every charge gets noticed.",
    "Right, so nothing changes on our side, we just wait for the refund?",
    "Perfect, that's really helpful, thank you.",
]


# Card words as the redactor's whole-call card context knows them, to keep them out of the calls
# that plant a split card without any card word.
_CARD_WORD = re.compile(
    r"\b(?:card|visa|mastercard|amex|american express|discover|debit|credit|diners|jcb|maestro|pan|long number"
    r"|expir\w*|cvv|cvc|security code|payment details)\b",
    re.IGNORECASE,
)


def _small_talk(
    rng: random.Random, script: _Transcript, turns: int, extra: bool = False, card_words: bool = True
) -> None:
    agent = _SMALL_TALK_AGENT + _SMALL_TALK_AGENT_EXTRA if extra else _SMALL_TALK_AGENT
    user = _SMALL_TALK_USER + _SMALL_TALK_USER_EXTRA if extra else _SMALL_TALK_USER
    if not card_words:
        agent = [line for line in agent if not _CARD_WORD.search(line)]
        user = [line for line in user if not _CARD_WORD.search(line)]
    for _ in range(turns):
        script.turn("Agent", rng.choice(agent))
        script.turn("User", rng.choice(user))


@dataclass(frozen=True)
class CorpusProfile:
    """How much talk surrounds the planted numbers in each call."""

    name: str
    secrets: tuple[int, int]  # planted secrets per call that has any (inclusive range)
    negatives: tuple[int, int]  # planted hard negatives per call
    talk_between: tuple[int, int]  # agent/user exchanges before each planted item
    target_chars: tuple[int, int] | None = None  # if set, pad the call with talk to a size drawn from this range
    extra_talk: bool = False


# The original stress corpus: ~6 planted numbers in a 2.4 KB call. Good for recall per form,
# far denser in numbers than real billing calls, so its throughput is a worst case.
DENSE = CorpusProfile("dense", secrets=(1, 3), negatives=(3, 6), talk_between=(1, 3))
# Closer to real billing calls: 3-6 KB of conversation with about one secret and a few harmless
# references (invoice numbers, amounts, dates ...) per call. Same secret and negative templates.
REALISTIC = CorpusProfile(
    "realistic", secrets=(1, 2), negatives=(2, 4), talk_between=(1, 3), target_chars=(3000, 6000), extra_talk=True
)
PROFILES: dict[str, CorpusProfile] = {profile.name: profile for profile in (DENSE, REALISTIC)}


def generate_call(
    rng: random.Random, call_id: str, secret_types: list[str], profile: CorpusProfile = DENSE
) -> CallRecord:
    script = _Transcript()
    script.turn("Agent", _SMALL_TALK_AGENT[0])
    planted: list[tuple[str, str, str, str]] = []
    negatives = rng.sample(_negative_pieces(rng), rng.randint(*profile.negatives))
    slots = [("secret", secret_type) for secret_type in secret_types] + [("negative", item) for item in negatives]
    rng.shuffle(slots)
    talk_between = profile.talk_between
    if profile.target_chars is not None:
        # Spread the padding over every gap (real talk surrounds the numbers; it is not a block of
        # filler at the end). ~150 characters per agent/user exchange.
        exchanges = rng.randint(*profile.target_chars) // 150
        per_gap = max(1, exchanges // (len(slots) + 1))
        talk_between = (max(1, per_gap - 2), per_gap + 2)
    negative_marks: list[tuple[str, str]] = []
    for index, (kind, item) in enumerate(slots):
        _small_talk(rng, script, rng.randint(*talk_between), profile.extra_talk)
        if kind == "secret":
            assert isinstance(item, str)
            mark, form, value = _plant_secret(rng, script, item, index)
            planted.append((mark, item, form, value))
        else:
            assert isinstance(item, tuple)
            negative_kind, before, kept, after = item
            mark = f"negative{index}"
            script.turn("User", before[0].upper() + before[1:], (mark, kept), after)
            negative_marks.append((mark, negative_kind))
    if profile.target_chars is None:
        _small_talk(rng, script, rng.randint(1, 2))
    else:
        _small_talk(rng, script, rng.randint(*talk_between), profile.extra_talk)
    record = CallRecord(call_id, script.text())
    for mark, secret_type, form, value in planted:
        record.secrets.append(PlantedSecret(secret_type, form, script.marks[mark], value))
    for mark, negative_kind in negative_marks:
        for start, end in script.marks[mark]:
            record.negatives.append(PlantedNegative(negative_kind, start, end))
    return record


# --- split cards without a card word, and split references that must survive ---------------------

_NO_CARD_WORD_PROMPTS = [
    "Okay, go ahead whenever you're ready.",
    "Sure, I'm listening.",
    "Go ahead, I'm ready.",
    "Alright, what's the number?",
]
_NO_CARD_WORD_PHRASES = ["", "it's ", "okay, ", "the number is ", "right, so "]
# Two references read one after the other, 4+4 digits per turn: joined, the 16 digits pass Luhn
# with a Visa or Mastercard prefix, so only the cue keeps them apart from a card. (turn before or
# None, first turn before the digits, second turn before the digits)
_SPLIT_REFERENCE_TEMPLATES: list[tuple[str | None, str, str]] = [
    (None, "my phone number is ", ""),
    (None, "my mobile is ", "and the landline is "),
    (None, "the order numbers are ", "and "),
    (None, "the tracking numbers are ", "and "),
    ("What's the ticket number?", "", ""),
    ("Which order numbers were affected?", "", "and "),
    (None, "the invoice numbers are ", "and then "),
]


def _plant_split_reference(rng: random.Random, script: _Transcript, mark: str) -> None:
    value = _luhn_complete(rng, rng.choice(["4", str(rng.randint(51, 55))]), 16)
    question, first, second = rng.choice(_SPLIT_REFERENCE_TEMPLATES)
    if question is not None:
        script.turn("Agent", question)
    first = first[:1].upper() + first[1:]
    script.turn("User", first, (mark, f"{value[:4]} {value[4:8]}"), rng.choice([".", ""]))
    script.turn("Agent", rng.choice(_SPLIT_FILLERS))
    script.turn("User", second[:1].upper() + second[1:], (mark, f"{value[8:12]} {value[12:]}"), ".")


def _plant_split_card_without_card_word(rng: random.Random, script: _Transcript, mark: str) -> str:
    value = card_number(rng)
    blocks = _blocks(value, _block_sizes("card_number", value))
    middle = rng.randint(1, len(blocks) - 1)
    script.turn("Agent", rng.choice(_NO_CARD_WORD_PROMPTS))
    phrase = rng.choice(_NO_CARD_WORD_PHRASES)
    script.turn("User", phrase[:1].upper() + phrase[1:], (mark, " ".join(blocks[:middle])))
    script.turn("Agent", rng.choice(_SPLIT_FILLERS))
    script.turn("User", (mark, " ".join(blocks[middle:])), rng.choice(["", ".", " thanks."]))
    return value


def generate_split_call(rng: random.Random, call_id: str, with_card: bool, profile: CorpusProfile) -> CallRecord:
    """A call with a split reference pair (a hard negative) and, if `with_card`, a split card read out
    with no card word anywhere in the call. Without the card the call talks about cards, so the
    negative is also tested where the redactor joins split digits most readily."""
    script = _Transcript()
    script.turn("Agent", _SMALL_TALK_AGENT[0])
    exchanges = (rng.randint(*profile.target_chars) // 150) // 3 if profile.target_chars else 1
    talk_between = (max(1, exchanges - 2), exchanges + 2)
    slots = ["reference", "card"] if with_card else ["reference"]
    rng.shuffle(slots)
    value = ""
    for slot in slots:
        _small_talk(rng, script, rng.randint(*talk_between), profile.extra_talk, card_words=not with_card)
        if slot == "card":
            value = _plant_split_card_without_card_word(rng, script, "card")
        else:
            if not with_card:
                script.turn("Agent", _SMALL_TALK_AGENT[4])  # "... your full card details ..."
            _plant_split_reference(rng, script, "reference")
    _small_talk(rng, script, rng.randint(*talk_between), profile.extra_talk, card_words=not with_card)
    record = CallRecord(call_id, script.text())
    if with_card:
        assert _CARD_WORD.search(record.text) is None, record.text
        record.secrets.append(PlantedSecret("card_number", SPLIT_NO_CARD_WORD, script.marks["card"], value))
    for start, end in script.marks["reference"]:
        record.negatives.append(PlantedNegative("split_reference_luhn", start, end))
    return record


def generate_corpus(
    count: int,
    seed: int = 7,
    secret_free_share: float = 0.3,
    profile: CorpusProfile = DENSE,
    split_call_share: float = 0.06,
    issue10_share: float = 0.2,
) -> list[CallRecord]:
    """`count` calls; about `secret_free_share` of them carry no secret at all, only negatives.

    Then `split_call_share * count` more calls (generate_split_call) and `issue10_share * count`
    records of the issue-10 classes (generate_issue10_records: field names, answers to questions,
    irregular splits, small forms, hard negatives in card talk), each drawn from their own random
    stream so the first `count` calls are the same with or without them.
    """
    rng = random.Random(seed)
    records: list[CallRecord] = []
    prefix = "call" if profile is DENSE else f"call-{profile.name}"
    for number in range(count):
        if rng.random() < secret_free_share:
            secret_types: list[str] = []
        else:
            secret_types = rng.sample(SECRET_TYPES, rng.randint(*profile.secrets))
        records.append(generate_call(rng, f"{prefix}-{seed}-{number:06d}", secret_types, profile))
    split_rng = random.Random(f"split-{seed}")
    for number in range(round(count * split_call_share)):
        with_card = split_rng.random() < 0.7
        records.append(generate_split_call(split_rng, f"{prefix}-split-{seed}-{number:06d}", with_card, profile))
    issue10_rng = random.Random(f"issue10-{seed}")
    records.extend(generate_issue10_records(issue10_rng, round(count * issue10_share), f"{prefix}-i10-{seed}"))
    return records


# --- issue 10 classes: field names, answers to questions, irregular splits, small forms ------------
#
# Extra records (their own random stream, so the calls above stay the same) for the five failure
# classes an independent corpus found: secrets whose only cue is a field name (JSON records and
# `key: value` tool output), answers whose cue is the agent's question a turn or two back, numbers
# split across turns in irregular chunks, smaller surface forms, and hard negatives that used to be
# redacted (phones, masked cards, "ending 1234", usage counts, dates) in calls that talk about cards.

FIELD_JSON = "field_json"
FIELD_KV = "field_kv"
ANSWER = "answer_to_question"
SPLIT_IRREGULAR = "split_irregular"
SMALL_FORM = "small_form"
SMALL_SPOKEN = "small_spoken"
FORM_FAMILY.update(
    {FIELD_JSON: "field", FIELD_KV: "field", ANSWER: "dialogue", SPLIT_IRREGULAR: "split", SMALL_FORM: "digits",
     SMALL_SPOKEN: "spoken"}
)  # fmt: skip


class _Raw:
    """Free text (JSON, tool output) with marked pieces."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.marks: dict[str, list[tuple[int, int]]] = {}

    def add(self, text: str, mark: str | None = None) -> None:
        if mark is not None:
            self.marks.setdefault(mark, []).append((self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _case_variants(rng: random.Random, words: list[str]) -> str:
    style = rng.choice(["snake", "camel", "dotted", "kebab", "lower", "pascal", "upper_snake"])
    if style == "snake":
        return "_".join(words)
    if style == "camel":
        return words[0] + "".join(word.capitalize() for word in words[1:])
    if style == "pascal":
        return "".join(word.capitalize() for word in words)
    if style == "dotted":
        return ".".join(words)
    if style == "kebab":
        return "-".join(words)
    if style == "upper_snake":
        return "_".join(words).upper()
    return "".join(words)


# type -> key word lists (several spellings and abbreviations per type)
_FIELD_KEYS: dict[str, list[list[str]]] = {
    "card_number": [["card", "number"], ["cc", "num"], ["pan"], ["card", "no"], ["credit", "card"]],
    "card_cvv": [["cvv"], ["cvc"], ["card", "cvc"], ["security", "code"], ["cc", "cvv"], ["cvv2"]],
    "card_expiry": [["exp"], ["expiry"], ["card", "exp"], ["expiration", "date"], ["cc", "exp"]],
    "us_routing_number": [["routing", "number"], ["routing", "no"], ["aba"], ["rtn"], ["bank", "routing"]],
    "us_bank_account": [["account", "number"], ["acct", "no"], ["bank", "account"], ["acct", "num"],
                        ["checking", "account"]],
    "uk_sort_code": [["sort", "code"], ["sortcode"], ["bank", "sort", "code"]],
    "uk_bank_account": [["uk", "account", "number"], ["bank", "acct"]],
    "us_ssn": [["ssn"], ["social", "security", "number"], ["customer", "ssn"], ["tax", "payer", "ssn"]],
    "us_ein": [["ein"], ["employer", "ein"], ["fein"], ["tax", "id"]],
    "uk_utr": [["utr"], ["tax", "reference"], ["self", "assessment", "utr"]],
    "pin": [["pin"], ["card", "pin"]],
}  # fmt: skip
_FIELD_VALUES: dict[str, Callable[[random.Random], str]] = {
    "card_number": card_number,
    "card_cvv": lambda rng: _digits(rng, rng.choice([3, 3, 4])),
    "card_expiry": lambda rng: rng.choice(["{m:02d}/{y}", "{m:02d}/20{y}", "{m}/{y}", "{m:02d}-{y}"]).format(
        m=rng.randint(1, 12), y=rng.randint(26, 33)
    ),
    "us_routing_number": routing_number,
    "us_bank_account": lambda rng: _digits(rng, rng.randint(6, 17)),
    "uk_sort_code": lambda rng: rng.choice(["{}-{}-{}", "{}{}{}", "{} {} {}"]).format(
        _digits(rng, 2), _digits(rng, 2), _digits(rng, 2)
    ),
    "uk_bank_account": lambda rng: _digits(rng, 8),
    "us_ssn": lambda rng: rng.choice([lambda v: v, lambda v: f"{v[:3]}-{v[3:5]}-{v[5:]}"])(ssn(rng)),
    "us_ein": lambda rng: rng.choice([lambda v: v, lambda v: f"{v[:2]}-{v[2:]}"])(ein(rng)),
    "uk_utr": utr,
    "pin": lambda rng: _digits(rng, 4),
}
_FIELD_TYPES = list(_FIELD_KEYS)
# (key words, value) of harmless fields that must survive, next to the secret ones.
_FIELD_NEGATIVES: list[tuple[list[str], Callable[[random.Random], str]]] = [
    (["phone"], lambda rng: f"+1 {rng.randint(201, 989)} 555 {_digits(rng, 4)}"),
    (["customer", "phone"], lambda rng: f"({rng.randint(201, 989)}) 555-{_digits(rng, 4)}"),
    (["invoice", "number"], lambda rng: str(rng.randint(100000, 9999999))),
    (["card", "last4"], lambda rng: _digits(rng, 4)),
    (["last", "four"], lambda rng: _digits(rng, 4)),
    (["customer", "account", "number"], lambda rng: str(rng.randint(10000000, 99999999))),
    (["account", "id"], lambda rng: str(rng.randint(100000, 99999999))),
    (["created", "at"], lambda rng: f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
    (["seats"], lambda rng: str(rng.randint(2, 400))),
    (["sms", "count"], lambda rng: str(rng.randint(100, 9000))),
    (["order", "id"], lambda rng: _luhn_complete(rng, "4", 16)[:12]),
    (["duration", "seconds"], lambda rng: str(rng.randint(30, 4000))),
    (["zip"], lambda rng: str(rng.randint(10000, 99999))),
    (["masked", "card"], lambda rng: "**** **** **** " + _digits(rng, 4)),
]


def _generate_field_record(rng: random.Random, call_id: str) -> CallRecord:
    raw = _Raw()
    json_style = rng.random() < 0.6
    secret_type = rng.choice(_FIELD_TYPES)
    value = _FIELD_VALUES[secret_type](rng)
    key = _case_variants(rng, rng.choice(_FIELD_KEYS[secret_type]))
    negatives = rng.sample(_FIELD_NEGATIVES, 3)
    items: list[tuple[str, str, str]] = [("secret", key, value)]
    items += [("negative", _case_variants(rng, words), make(rng)) for words, make in negatives]
    rng.shuffle(items)
    if json_style:
        raw.add('{"call_id": "' + call_id + '", "tool": "' + rng.choice(["billing_lookup", "payment_capture"]) + '", ')
        raw.add('"result": {')
        for index, (kind, item_key, item_value) in enumerate(items):
            if index:
                raw.add(", ")
            quote = '"' if (not item_value.isdigit() or rng.random() < 0.7) else ""
            raw.add(f'"{item_key}": {quote}')
            raw.add(item_value, mark=f"{kind}{index}")
            raw.add(quote)
        raw.add("}}")
    else:
        raw.add(rng.choice(["Tool output (billing_lookup):\n", "[payment_capture] result\n", ""]))
        for index, (kind, item_key, item_value) in enumerate(items):
            raw.add(f"{item_key}{rng.choice([': ', ' = ', ':', '='])}")
            raw.add(item_value, mark=f"{kind}{index}")
            raw.add("\n")
    record = CallRecord(call_id, raw.text())
    for index, (kind, _, item_value) in enumerate(items):
        spans = raw.marks[f"{kind}{index}"]
        if kind == "secret":
            form = FIELD_JSON if json_style else FIELD_KV
            record.secrets.append(PlantedSecret(secret_type, form, spans, item_value))
        else:
            for start, end in spans:
                record.negatives.append(PlantedNegative("field_negative", start, end))
    return record


# Questions that ask for a type without the answer's turn saying anything; some put the cue far
# from the answer (beyond a fixed character window) or add format words ("month and year").
_QUESTIONS: dict[str, list[str]] = {
    "card_cvv": ["Last thing, the CVV please.", "And the three-digit security code on the back of the card?",
                 "Could you read me the CVC? It's the short number printed next to the signature strip."],
    "card_expiry": ["And the expiry, month and year?", "What's the expiration date on the card?",
                    "When does the card expire? Month and year is fine."],
    "us_routing_number": ["What's the routing number on the account?",
                          "Could you read me the nine-digit routing number from the bottom of a cheque?"],
    "us_bank_account": ["And the bank account number?", "Now the checking account number, please."],
    "uk_sort_code": ["And the sort code?", "What's the bank's sort code, the six digits?"],
    "us_ssn": ["Can I have your social security number to verify the 1099?", "And your SSN, please."],
    "us_ein": ["What's the company's EIN?", "Could you give me the employer identification number?"],
    "pin": ["The system is asking for the card PIN, could you key it in or read it?"],
    "card_number": ["Could you read me the long number on the front of the card?",
                    "Okay, go ahead with the card number whenever you're ready."],
}  # fmt: skip
_INTERJECTIONS = [
    ("User", "Sorry, one sec, it's in my other bag."),
    ("Agent", "No problem, take your time."),
    ("User", "Hold on."),
    ("Agent", "Sure."),
    ("User", "Okay, found it."),
    ("User", "Let me check."),
]
_ANSWER_VALUES: dict[str, Callable[[random.Random], str]] = {
    "card_cvv": lambda rng: _digits(rng, 3),
    "card_expiry": lambda rng: f"{rng.randint(1, 12):02d}{rng.randint(26, 33)}",
    "us_routing_number": routing_number,
    "us_bank_account": lambda rng: _digits(rng, rng.randint(8, 12)),
    "uk_sort_code": lambda rng: _digits(rng, 6),
    "us_ssn": ssn,
    "us_ein": ein,
    "pin": lambda rng: _digits(rng, 4),
    "card_number": card_number,
}


def _answer_surface(rng: random.Random, secret_type: str, value: str) -> str:
    if secret_type == "card_expiry":
        month, year = value[:2], value[2:]
        return rng.choice(
            [f"{month}-{year}", f"{month}/{year}", f"{int(month)}/{year}", f"{month}/20{year}",
             _render_expiry(rng, value, SPOKEN), _render_expiry(rng, value, SPOKEN_COMPACT)]
        )  # fmt: skip
    form = rng.choice([CONTIGUOUS, GROUPED_SPACE, SPOKEN, SPOKEN_COMPACT])
    if secret_type == "card_cvv" and rng.random() < 0.3:
        return " ".join(value)
    return render(rng, secret_type, value, form)[0]


def _generate_answer_record(rng: random.Random, call_id: str) -> CallRecord:
    script = _Transcript()
    script.turn("Agent", _SMALL_TALK_AGENT[0])
    _small_talk(rng, script, rng.randint(1, 2))
    secret_type = rng.choice(list(_QUESTIONS))
    value = _ANSWER_VALUES[secret_type](rng)
    if secret_type in ("us_bank_account",):
        script.turn("Agent", "I'll set up the direct debit from your bank account.")
    script.turn("Agent", rng.choice(_QUESTIONS[secret_type]))
    for speaker, line in rng.sample(_INTERJECTIONS, rng.choice([0, 0, 1, 2])):
        script.turn(speaker, line)
    surface = _answer_surface(rng, secret_type, value)
    script.turn("User", rng.choice(["", "It's ", "Sure, ", "Yeah, it's ", "Um, "]), ("secret", surface), ".")
    _small_talk(rng, script, rng.randint(1, 2))
    record = CallRecord(call_id, script.text())
    record.secrets.append(PlantedSecret(secret_type, ANSWER, script.marks["secret"], value))
    return record


_IRREGULAR_FILLERS = ["go ahead", "yes", "mm-hm", "uh-huh", "okay", "got it", "yep, go on", "and the next four?",
                      "mm-hmm, keep going", "right", "okay, next", "yes, I'm with you"]  # fmt: skip


def _irregular_pieces(rng: random.Random, value: str) -> list[str]:
    if len(value) == 15:
        sizes = rng.choice([[4, 6, 5], [4, 2, 4, 5], [4, 6, 2, 3], [10, 5]])
    elif len(value) == 16:
        sizes = rng.choice([[10, 6], [4, 4, 4, 4], [8, 8], [6, 10], [4, 4, 8], [4, 12], [12, 4]])
    else:
        sizes = rng.choice([[4, 4, 4, len(value) - 12], [8, len(value) - 8], [4, len(value) - 4]])
    return _blocks(value, sizes)


def _generate_irregular_split_record(rng: random.Random, call_id: str) -> CallRecord:
    script = _Transcript()
    script.turn("Agent", _SMALL_TALK_AGENT[0])
    _small_talk(rng, script, rng.randint(1, 2))
    kind = rng.choice(["card", "card", "card", "iban", "account"])
    if kind == "card":
        secret_type = "card_number"
        value = card_number(rng)
        script.turn("Agent", rng.choice(["Could you read me the card number?", "Go ahead with the card number."]))
        pieces = _irregular_pieces(rng, value)
    elif kind == "iban":
        secret_type = "iban"
        value = iban(rng)
        script.turn("Agent", "Which IBAN should the refund go to?")
        pieces = _blocks(value, [4] * 9)
        middle = rng.randint(1, len(pieces) - 1)
        pieces = [" ".join(pieces[:middle]), " ".join(pieces[middle:])]
    else:
        secret_type = "us_bank_account"
        value = _digits(rng, rng.randint(10, 14))
        script.turn("Agent", "For the ACH transfer, what's the bank account number?")
        cut = rng.randint(3, len(value) - 3)
        pieces = [value[:cut], value[cut:]]
    spoken_from = rng.choice([len(pieces), len(pieces), len(pieces) // 2])  # half in digits, half in words
    for index, piece in enumerate(pieces):
        if index:
            script.turn("Agent", rng.choice(_IRREGULAR_FILLERS))
        if index >= spoken_from and piece.isdigit():
            surface = " ".join(_spoken_digits(rng, piece, zero_as_oh=rng.random() < 0.5))
        else:
            surface = piece
        script.turn("User", ("secret", surface), rng.choice(["", "."]))
    _small_talk(rng, script, rng.randint(1, 2))
    record = CallRecord(call_id, script.text())
    record.secrets.append(PlantedSecret(secret_type, SPLIT_IRREGULAR, script.marks["secret"], value))
    return record


def _small_form(rng: random.Random) -> tuple[str, str, str, str, str]:
    """(type, form, phrase before, surface, value)."""
    choice = rng.randrange(9)
    if choice == 0:
        value = iban(rng)
        surface = " ".join(_blocks(value.lower(), [4] * 9))
        return "iban", SMALL_FORM, rng.choice(["my IBAN is ", "iban: ", "it's "]), surface, value
    if choice == 1:
        value = _digits(rng, rng.choice([3, 4]))
        return "card_cvv", SMALL_FORM, rng.choice(["the CVV is ", "security code "]), " ".join(value), value
    if choice == 2:
        value = ssn(rng)
        return "us_ssn", SMALL_FORM, rng.choice(["my SSN is ", "social security number "]), value, value
    if choice == 3:
        value = ein(rng)
        return "us_ein", SMALL_FORM, rng.choice(["our EIN is ", "EIN "]), value, value
    if choice == 4:
        value = routing_number(rng)
        return "us_routing_number", SMALL_FORM, rng.choice(["routing number ", "the ABA is "]), value, value
    if choice == 5:
        value = utr(rng)
        return "uk_utr", SMALL_FORM, rng.choice(["my UTR is ", "the UTR "]), value, value
    if choice == 6:
        month, year = rng.randint(1, 12), rng.randint(26, 33)
        surface = rng.choice([f"{month}/{year}", f"{month:02d}/20{year}", f"{month}/20{year}"])
        return "card_expiry", SMALL_FORM, rng.choice(["it expires ", "expiry "]), surface, f"{month:02d}{year}"
    month, year = rng.randint(1, 12), rng.randint(26, 33)
    month_words = "oh " + _DIGIT_WORDS[month] if month < 10 else _TEENS[month - 10]
    year_words = " ".join(_DIGIT_WORDS[int(digit)] for digit in str(year))
    if choice == 7:
        surface = f"{month_words} slash {year_words}"
    else:
        year_spoken = _TENS[year // 10] + (f"-{_DIGIT_WORDS[year % 10]}" if year % 10 else "")
        surface = f"{month_words} {year_spoken}"
    return "card_expiry", SMALL_SPOKEN, rng.choice(["it expires ", "the expiry is "]), surface, f"{month:02d}{year}"


# Negatives that a redactor tends to take in calls that talk about cards and banks.
def _hard_negative_lines(rng: random.Random) -> list[tuple[str, str, str, str]]:
    last4 = _digits(rng, 4)
    charged = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(2023, 2026)}"
    return [
        ("phone_international", "you can reach me on ", f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}", "."),
        ("phone_international", "my cell is ", f"+1 {rng.randint(201, 989)} 555 {_digits(rng, 4)}", "."),
        ("phone_national", "call me back on ", f"020 {_digits(rng, 4)} {_digits(rng, 4)}", "."),
        ("phone_national", "my mobile is ", f"07{_digits(rng, 3)} {_digits(rng, 6)}", "."),
        ("phone_national", "the number is ", f"{rng.randint(201, 989)}.555.{_digits(rng, 4)}", " if you need me."),
        ("card_masked", "the card on file is ", "\u2022\u2022\u2022\u2022 " + last4, ", expiry looks fine."),
        ("card_masked", "I see ", "************" + last4, " on the account, it expires soon."),
        ("card_masked", "the receipt shows ", "XXXX-XXXX-XXXX-" + last4, " for the card."),
        ("card_ending", "it's the Visa ending ", last4, ", the expiry is next year."),
        ("card_ending", "the card ends ", last4, "."),
        ("usage_count", "we sent ", f"{rng.randint(100, 999)} SMS", " with the card plan."),
        ("usage_count", "about ", f"{rng.randint(1, 9)},{_digits(rng, 3)} calls", " went through on the card."),
        ("usage_count", "the bank plan includes ", f"{rng.randint(1000, 5000)} minutes", "."),
        ("date", "the card was charged on ", charged, "."),
        ("date", "the direct debit from the bank starts ",
         f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "."),
    ]  # fmt: skip


def _generate_small_and_negative_record(rng: random.Random, call_id: str, with_secret: bool) -> CallRecord:
    script = _Transcript()
    script.turn("Agent", _SMALL_TALK_AGENT[0])
    slots: list[str] = ["negative"] * rng.randint(1, 3) + (["secret"] if with_secret else [])
    rng.shuffle(slots)
    planted: list[tuple[str, str, str, str]] = []
    negative_kinds: list[tuple[str, str]] = []
    for index, slot in enumerate(slots):
        _small_talk(rng, script, rng.randint(1, 2))
        mark = f"{slot}{index}"
        if slot == "secret":
            secret_type, form, phrase, surface, value = _small_form(rng)
            script.turn("User", phrase[:1].upper() + phrase[1:], (mark, surface), ".")
            planted.append((mark, secret_type, form, value))
        else:
            kind, before, kept, after = rng.choice(_hard_negative_lines(rng))
            speaker = "Agent" if kind in ("card_masked", "usage_count", "date") else "User"
            script.turn(speaker, before[:1].upper() + before[1:], (mark, kept), after)
            negative_kinds.append((mark, kind))
    _small_talk(rng, script, rng.randint(1, 2))
    record = CallRecord(call_id, script.text())
    for mark, secret_type, form, value in planted:
        record.secrets.append(PlantedSecret(secret_type, form, script.marks[mark], value))
    for mark, kind in negative_kinds:
        for start, end in script.marks[mark]:
            record.negatives.append(PlantedNegative(kind, start, end))
    return record


def generate_issue10_records(rng: random.Random, count: int, prefix: str) -> list[CallRecord]:
    records: list[CallRecord] = []
    for number in range(count):
        call_id = f"{prefix}-{number:06d}"
        roll = rng.random()
        if roll < 0.25:
            records.append(_generate_field_record(rng, call_id))
        elif roll < 0.5:
            records.append(_generate_answer_record(rng, call_id))
        elif roll < 0.7:
            records.append(_generate_irregular_split_record(rng, call_id))
        else:
            records.append(_generate_small_and_negative_record(rng, call_id, with_secret=rng.random() < 0.5))
    return records
