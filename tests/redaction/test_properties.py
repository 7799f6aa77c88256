"""Property-based tests of the redactor (hypothesis): valid secrets, made with python-stdnum and
schwifty, in every surface form and context, leave no 6-digit window of their value behind; hard
negatives in card and bank talk survive unchanged.

Each example is one small call whose only digits are the planted value, so "a window survives" is
read off the digits left in the output (digit words turned back into digits). Bounded on purpose:
a fixed number of examples per property, derandomized so a run is reproducible.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schwifty import IBAN
from stdnum import luhn
from stdnum.gb import utr as gb_utr
from stdnum.us import ein as us_ein
from stdnum.us import rtn as us_rtn
from stdnum.us import ssn as us_ssn

from streams.redact import redact_text

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
WORD_DIGITS = {word: str(index) for index, word in enumerate(DIGIT_WORDS)} | {"oh": "0"}


# --- valid values --------------------------------------------------------------------------------

digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=20)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    prefix, length = draw(
        st.sampled_from(
            [
                ("4", 16),
                ("4", 19),
                ("51", 16),
                ("55", 16),
                ("2221", 16),
                ("2720", 16),
                ("34", 15),
                ("37", 15),
                ("6011", 16),
                ("65", 16),
                ("36", 14),
                ("3528", 16),
                ("62", 19),
            ]
        )
    )
    body = prefix + draw(st.text(alphabet="0123456789", min_size=length - len(prefix) - 1, max_size=length - 1))
    body = body[: length - 1]
    number = body + luhn.calc_check_digit(body)
    if number.count(number[0]) == len(number):
        number = number[:-2] + ("1" if number[-2] != "1" else "2")
        number = number[:-1] + luhn.calc_check_digit(number[:-1])
    return number


@st.composite
def routing_numbers(draw: st.DrawFn) -> str:
    first_two = draw(st.sampled_from(["01", "02", "05", "11", "21", "26", "31", "32", "61", "67", "71", "72"]))
    body = first_two + draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    return body + us_rtn.calc_check_digit(body)


@st.composite
def ssns(draw: st.DrawFn) -> str:
    area = draw(st.integers(1, 899).filter(lambda value: value != 666))
    value = f"{area:03d}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 9999)):04d}"
    if not us_ssn.is_valid(value):
        value = f"{123:03d}{45:02d}{draw(st.integers(1000, 9999)):04d}"
    return value


@st.composite
def eins(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["10", "12", "20", "27", "45", "46", "81", "94"]))
    value = prefix + draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    assert us_ein.is_valid(value)
    return value


@st.composite
def utrs(draw: st.DrawFn) -> str:
    body = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    return gb_utr.calc_check_digit(body) + body


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(["GB", "DE", "NL", "AT"]))
    digits = st.text(alphabet="0123456789", min_size=1, max_size=12)
    if country == "GB":
        bank = draw(st.sampled_from(["WEST", "BARC", "NWBK"])) + draw(digits.map(lambda d: (d * 6)[:6]))
        return IBAN.generate("GB", bank_code=bank, account_code=draw(digits.map(lambda d: (d * 8)[:8]))).compact
    if country == "DE":
        return IBAN.generate(
            "DE",
            bank_code=draw(digits.map(lambda d: (d * 8)[:8])),
            account_code=draw(digits.map(lambda d: (d * 10)[:10])),
        ).compact
    if country == "NL":
        return IBAN.generate(
            "NL",
            bank_code=draw(st.sampled_from(["ABNA", "INGB", "RABO"])),
            account_code=draw(digits.map(lambda d: (d * 10)[:10])),
        ).compact
    return IBAN.generate(
        "AT", bank_code=draw(digits.map(lambda d: (d * 5)[:5])), account_code=draw(digits.map(lambda d: (d * 11)[:11]))
    ).compact


# (type, value strategy, cue phrases that introduce it in a sentence, agent questions, field names)
DIGIT_STRINGS = "0123456789"
SECRETS = {
    "card_number": (
        card_numbers(),
        ["my card number is ", "the card is ", ""],
        ["Could you read me the card number?"],
        ["card_number", "cardNumber", "cc_num", "pan"],
    ),
    "us_routing_number": (
        routing_numbers(),
        ["the routing number is ", "routing "],
        ["What's the routing number on the account?"],
        ["routing_number", "routingNo", "aba", "bank.rtn"],
    ),
    "us_ssn": (
        ssns(),
        ["my social security number is ", "my SSN is "],
        ["And your social security number, please?"],
        ["ssn", "socialSecurityNumber", "customer.ssn"],
    ),
    "us_ein": (
        eins(),
        ["our EIN is ", "the employer identification number is "],
        ["What's the company's EIN?"],
        ["ein", "employerEin", "tax_id"],
    ),
    "uk_utr": (
        utrs(),
        ["my UTR is ", "the unique taxpayer reference is "],
        ["And your UTR for the self assessment?"],
        ["utr", "taxReference", "self_assessment_utr"],
    ),
    "us_bank_account": (
        st.text(alphabet=DIGIT_STRINGS, min_size=8, max_size=14),
        ["my checking account number is ", "the bank account number is "],
        ["For the ACH debit, what's the bank account number?"],
        ["account_number", "bankAccount", "acct_no", "checking.account"],
    ),
}
SHORT_SECRETS = {
    "card_cvv": (
        st.text(alphabet=DIGIT_STRINGS, min_size=3, max_size=4),
        ["the CVV is ", "security code "],
        ["Last thing, the CVV please.", "And the three digits on the back of the card?"],
        ["cvv", "cardCvc", "cc_cvv"],
    ),
    "pin": (st.text(alphabet=DIGIT_STRINGS, min_size=4, max_size=4), ["my PIN is "], ["And the card PIN?"], ["pin"]),
    "uk_sort_code": (
        st.text(alphabet=DIGIT_STRINGS, min_size=6, max_size=6),
        ["the sort code is ", "sort code "],
        ["And the sort code?"],
        ["sort_code", "sortCode"],
    ),
}


# --- surface forms -------------------------------------------------------------------------------


def spoken(digits: str, zero: str = "zero") -> str:
    return " ".join(zero if digit == "0" else DIGIT_WORDS[int(digit)] for digit in digits)


def chunks(value: str, sizes: list[int]) -> list[str]:
    pieces: list[str] = []
    index = 0
    for size in sizes:
        if index >= len(value):
            break
        pieces.append(value[index : index + size])
        index += size
    if index < len(value):
        pieces.append(value[index:])
    return [piece for piece in pieces if piece]


def surface(value: str, form: str, sizes: list[int]) -> str:
    if form == "compact":
        return value
    if form == "space":
        return " ".join(chunks(value, sizes))
    if form == "dash":
        return "-".join(chunks(value, sizes))
    if form == "spoken":
        return ", ".join(spoken(piece) for piece in chunks(value, sizes))
    return ", ".join(spoken(piece, "oh") for piece in chunks(value, sizes))


def digits_left(text: str) -> str:
    """Every digit in the output, digit words read back as digits, in order."""
    out: list[str] = []
    for word in text.replace(",", " ").replace(".", " ").replace("-", " ").split():
        lower = word.lower().strip("?!\"'")
        if lower in WORD_DIGITS:
            out.append(WORD_DIGITS[lower])
        else:
            out.extend(char for char in word if char.isdigit())
    return "".join(out)


def assert_no_window_survives(value: str, output: str, keep_last4: bool) -> None:
    left = digits_left(output.replace(f"****{value[-4:]}", "") if keep_last4 else output)
    width = min(6, len(value))
    windows = {value[index : index + width] for index in range(len(value) - width + 1)}
    leaked = [window for window in windows if window in left]
    assert not leaked, "a window of the value survived redaction"  # never print the value itself


SMALL_TALK = (
    "Agent: Thanks for calling billing support, how can I help?\nUser: Hi, I want to update the payment details.\n"
)
FILLERS = ["go ahead", "okay", "mm-hm", "yes", "uh-huh", "got it", "go on", "sure, and the rest?", "okay, keep going"]
INTERJECTIONS = ["User: Sorry, one sec.", "Agent: No problem, take your time.", "User: Let me check.", "Agent: Sure."]


forms = st.sampled_from(["compact", "space", "dash", "spoken", "spoken_oh"])
sizes = st.lists(st.integers(1, 6), min_size=1, max_size=6)


@BOUNDED
@given(data=st.data(), secret_type=st.sampled_from(sorted(SECRETS)), form=forms, sizes=sizes)
def test_secret_after_a_cue_in_the_sentence(data: st.DataObject, secret_type: str, form: str, sizes: list[int]) -> None:
    values, phrases, _, _ = SECRETS[secret_type]
    value = data.draw(values)
    phrase = data.draw(st.sampled_from(phrases))
    if secret_type == "us_bank_account" and form in ("space", "dash"):
        form = "compact"  # a grouped bank account reads like a phone number: its own tests cover it
    said = surface(value, form, [4, 4, 4, 4, 4] if secret_type == "card_number" else sizes)
    text = SMALL_TALK + f"User: {phrase[:1].upper() + phrase[1:]}{said}.\nAgent: Thank you."
    assert_no_window_survives(value, redact_text(text).text, keep_last4=secret_type == "card_number")


@BOUNDED
@given(data=st.data(), secret_type=st.sampled_from(sorted(SECRETS | SHORT_SECRETS)), form=forms,
       interjections=st.integers(0, 2))  # fmt: skip
def test_answer_to_the_question_asked_a_turn_or_two_before(
    data: st.DataObject, secret_type: str, form: str, interjections: int
) -> None:
    values, _, questions, _ = (SECRETS | SHORT_SECRETS)[secret_type]
    value = data.draw(values)
    question = data.draw(st.sampled_from(questions))
    between = "".join(line + "\n" for line in data.draw(st.permutations(INTERJECTIONS))[:interjections])
    sizes = [4, 4, 4, 4] if secret_type == "card_number" else [3, 3, 4, 4]
    if form in ("space", "dash") and secret_type == "us_bank_account":
        form = "compact"
    answer = surface(value, form, sizes)
    opener = data.draw(st.sampled_from(["", "It's ", "Sure, ", "Um, "]))
    text = SMALL_TALK + f"Agent: {question}\n{between}User: {opener}{answer}.\nAgent: Thanks."
    assert_no_window_survives(value, redact_text(text).text, keep_last4=secret_type == "card_number")


@BOUNDED
@given(data=st.data(), secret_type=st.sampled_from(sorted(SECRETS | SHORT_SECRETS)), json_style=st.booleans(),
       quoted=st.booleans())  # fmt: skip
def test_secret_under_a_field_name(data: st.DataObject, secret_type: str, json_style: bool, quoted: bool) -> None:
    values, _, _, keys = (SECRETS | SHORT_SECRETS)[secret_type]
    value = data.draw(values)
    key = data.draw(st.sampled_from(keys))
    others = {"plan": "pro", "seats": "12", "invoice_number": "48213", "phone": "+1 415 555 0134"}
    if json_style:
        record = dict(others)
        record[key] = value if quoted else int(value) if value[0] != "0" else value
        text = json.dumps({"tool": "billing_lookup", "result": record})
    else:
        text = "\n".join(f"{name}: {item}" for name, item in [*others.items(), (key, value)])
    output = redact_text(text).text
    assert_no_window_survives(value, output, keep_last4=secret_type == "card_number")
    assert "+1 415 555 0134" in output and "48213" in output


@BOUNDED
@given(value=card_numbers(), cuts=st.lists(st.integers(1, 12), min_size=1, max_size=4),
       fillers=st.lists(st.sampled_from(FILLERS), min_size=4, max_size=4), spoken_tail=st.booleans())  # fmt: skip
def test_card_split_across_turns_in_irregular_chunks(
    value: str, cuts: list[int], fillers: list[str], spoken_tail: bool
) -> None:
    pieces = chunks(value, cuts)
    lines = ["Agent: Could you read me the card number?"]
    for index, piece in enumerate(pieces):
        if index:
            lines.append(f"Agent: {fillers[index % len(fillers)]}")
        said = spoken(piece) if spoken_tail and index >= len(pieces) // 2 and index > 0 else piece
        lines.append(f"User: {said}")
    text = SMALL_TALK + "\n".join(lines) + "\nAgent: Thank you, that's all I need."
    assert_no_window_survives(value, redact_text(text).text, keep_last4=True)


@BOUNDED
@given(value=ibans(), lower=st.booleans(), split=st.integers(0, 4))
def test_iban_in_capitals_or_lower_case_and_split(value: str, lower: bool, split: int) -> None:
    blocks = chunks(value.lower() if lower else value, [4] * 9)
    if split and split < len(blocks):
        said = f"User: {' '.join(blocks[:split])}\nAgent: go on\nUser: {' '.join(blocks[split:])}"
    else:
        said = f"User: my IBAN is {' '.join(blocks)}"
    text = SMALL_TALK + "Agent: Which IBAN should the refund go to?\n" + said + "\nAgent: Thanks."
    output = redact_text(text).text
    assert_no_window_survives("".join(char for char in value if char.isdigit()), output, keep_last4=False)


# --- hard negatives --------------------------------------------------------------------------------


@st.composite
def hard_negatives(draw: st.DrawFn) -> str:
    four = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    area = draw(st.integers(201, 989))
    line = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    month, day, year = draw(st.integers(1, 12)), draw(st.integers(1, 28)), draw(st.integers(2023, 2027))
    count = draw(st.integers(2, 9999))
    return draw(
        st.sampled_from(
            [
                f"you can call me back on +1 {area} 555 {line}",
                f"my number is ({area}) 555-{line}",
                f"or {area}-555-{line} after five",
                f"the UK office is +44 20 7946 {line}",
                f"my mobile is 07700 900{line[:3]}",
                f"the card ending {four} is the one on file",
                f"it's the Visa ending in {four}",
                f"I see \u2022\u2022\u2022\u2022 {four} on the account",
                f"the card ************{four} was charged",
                f"the receipt shows XXXX-XXXX-XXXX-{four}",
                f"we used {count} SMS and {count:,} calls last month",
                f"the plan has {count} minutes",
                f"it was charged on {month:02d}/{day:02d}/{year}",
                f"the debit runs on {year}-{month:02d}-{day:02d}",
            ]
        )
    )


@BOUNDED
@given(negative=hard_negatives(), context=st.sampled_from(
    ["the card expiry is fine", "the routing number is on file already", "your bank account is set up",
     "no need for the CVV", "the PIN was reset"]))  # fmt: skip
def test_hard_negatives_in_card_and_bank_talk_survive_unchanged(negative: str, context: str) -> None:
    text = f"Agent: Okay, {context}.\nUser: Great. Also, {negative}.\nAgent: Noted, thanks."
    assert redact_text(text).text == text


# --- speech-to-text readings: homophones, fillers, lower-case " / "-joined turns -------------------

HOMOPHONE_WORDS = {"4": ["for", "four"], "2": ["to", "too", "two"], "8": ["ate", "eight"], "1": ["won", "one"],
                   "0": ["oh", "o", "zero"]}  # fmt: skip
READ_AS = {"for": "4", "to": "2", "too": "2", "ate": "8", "won": "1", "o": "0"}


def asr_reading(value: str, draw: st.DrawFn) -> str:
    words: list[str] = []
    for index, digit in enumerate(value):
        # the first digit is said plainly: a reading made only of homophones ("won won won") has no
        # number word to anchor it and is not covered (known limit)
        options = HOMOPHONE_WORDS.get(digit, [DIGIT_WORDS[int(digit)]]) if index else [DIGIT_WORDS[int(digit)]]
        words.append(draw(st.sampled_from(options)))
        if index + 1 < len(value) and draw(st.integers(0, 9)) == 0:
            words.append(draw(st.sampled_from(["um", "uh", "er,", "um..."])))
    return " ".join(words)


def spoken_left(text: str) -> str:
    """digits_left, with the homophones read as digits too."""
    out: list[str] = []
    for word in text.replace(",", " ").replace(".", " ").replace("/", " ").split():
        lower = word.lower().strip("?!\"'")
        out.append(READ_AS.get(lower, digits_left(word)))
    return "".join(out)


@BOUNDED
@given(data=st.data(), value=card_numbers(), joined=st.booleans())
def test_card_read_with_homophones_and_fillers(data: st.DataObject, value: str, joined: bool) -> None:
    reading = asr_reading(value, data.draw)
    separator = " / " if joined else "\n"
    text = separator.join(
        ["agent: can I take the card number?", f"customer: {reading}", "agent: thank you", "customer: that's all"]
    )
    left = spoken_left(redact_text(text).text.replace(f"****{value[-4:]}", ""))
    width = 6
    assert not any(value[index : index + width] in left for index in range(len(value) - width + 1))


@BOUNDED
@given(data=st.data(), length=st.sampled_from([3, 4]), asked=st.sampled_from(
    ["And the CVV, please?", "What's the security code on the back?", "Can you give me the CVC?",
     "Last thing, the three digit code on the back."]), interjection=st.booleans())  # fmt: skip
def test_code_read_with_homophones_and_fillers(
    data: st.DataObject, length: int, asked: str, interjection: bool
) -> None:
    value = data.draw(st.text(alphabet="0123456789", min_size=length, max_size=length))
    turns = [f"Agent: {asked}"]
    if interjection:
        turns += ["User: Sorry, one sec.", "Agent: Sure."]
    turns += [f"User: {asr_reading(value, data.draw)}.", "Agent: Thanks."]
    output = redact_text("\n".join(turns)).text
    answer = output.split("\n")[-2]
    assert value not in spoken_left(answer)
