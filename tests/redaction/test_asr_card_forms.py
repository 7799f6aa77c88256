"""Card and CVV readings as speech-to-text writes them: fillers inside the number, repeated and
taken-back blocks, homophones, non-Luhn readings in card talk (the PCI incident class)."""

from __future__ import annotations

import re

import pytest

from streams.redact import find_secrets, redact_text

CARD = "4539 1488 0343 6467"  # Luhn-valid Visa test number


def _digits_left(text: str) -> str:
    # the card placeholder keeps the last four digits on purpose; nothing else may remain
    redacted = re.sub(r"\[CARD \*{4}[0-9]{4}\]", "[CARD]", redact_text(text).text)
    return "".join(char for char in redacted if char.isdigit())


@pytest.mark.parametrize(
    "text",
    [
        "Customer: four five three nine uh one four eight eight um zero three four three six four six seven",
        "Customer: 4539, uh, 1488, um, 0343, er, 6467",
        "Customer: it's 4539 1488 4539 1488 0343 6467",
        "Customer: it's 4539 1488, 4539 1488 0343 6467",
        f"Customer: it's {CARD}, {CARD}",
        "Customer: it's 4 5 3 8, no wait, 4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7",
        "Customer: 4539 1489, sorry, 4539 1488 0343 6467",
        # card talk: a reading that fails Luhn (a digit misheard) is still redacted
        "Agent: What's the long number on the card?\nUser: 4111 1111\nAgent: yes\nUser: 1111 1112",
        "User: card is 4 4 1 2, no wait, 4 4 1 3 1111 1111 1111",
    ],
)
def test_no_digit_of_the_reading_survives(text: str) -> None:
    assert _digits_left(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "User: it's 4111 1111 1111 1112",  # no card talk, no checksum: not a card
        "User: my card was declined. The order number is 4111 1111 1111 1112.",
        "User: my card was declined, call me on 415-555-0134 or 415-555-0199",
        "Agent: which card?\nUser: the one ending 4242\nUser: order 1234 5678 9012 3456",
    ],
)
def test_card_talk_alone_does_not_make_a_card(text: str) -> None:
    assert [finding for finding in find_secrets(text) if finding.type == "card_number"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Customer: the card number is 4 5 3 9 1 for 8 8 0 3 for 3 6 for 6 7",
        "Agent: and the code on the back?\nCustomer: oh to three",
        "Agent: Can I have the card verification code?\nUser: it's for one two",
        "Agent: Now the CVV, please.\nUser: to three four",
    ],
)
def test_homophones_next_to_digits_and_in_bare_answers(text: str) -> None:
    redacted = re.sub(r"\[CARD \*{4}[0-9]{4}\]", "[CARD]", redact_text(text).text)
    answer = redacted.rsplit("\n", 1)[-1]
    assert not any(char.isdigit() for char in answer), redacted
    assert not {"one", "two", "three", "oh", "to", "for"} & set(answer.replace(",", " ").split()), redacted


@pytest.mark.parametrize(
    "text",
    [
        "User: it takes one to two days",
        "User: from 1 to 5 please",
        "User: I waited for two hours",
        "User: it's for two",
        "User: yeah, one to three",
    ],
)
def test_homophones_in_ordinary_talk_are_words(text: str) -> None:
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Customer: 4539148803\nAgent: go ahead\nCustomer: 436467",
        "Customer: four five three nine one four eight eight zero three\nAgent: mm-hm\n"
        "Customer: four three six four six seven",
        "Customer: 4539148803\nAgent: okay, and the rest?\nCustomer: four three six four six seven",
        "Customer: my card number is 4539\nAgent: Okay, I've got the first part. Go ahead with the rest.\n"
        "Customer: 1488\nAgent: Okay, I've got that. Go ahead with the rest.\nCustomer: 0343\n"
        "Agent: Okay, I've got that too. Go ahead.\nCustomer: 6467",
    ],
)
def test_card_split_over_turns_in_irregular_pieces(text: str) -> None:
    assert _digits_left(text) == "", redact_text(text).text


@pytest.mark.parametrize(
    "text",
    [
        "Agent: And the CVV?\nCustomer: 4 8 2, 4 8 2",
        "Agent: What's the security code on the back?\nCustomer: it's eight two... no wait, four eight two",
        "Agent: And the CVV?\nCustomer: 428, no sorry, 482",
    ],
)
def test_cvv_read_twice_or_taken_back_leaves_no_digit(text: str) -> None:
    answer = redact_text(text).text.rsplit("\n", 1)[-1]
    assert not any(char.isdigit() for char in answer), answer
    assert not {"two", "four", "eight"} & set(answer.replace(",", " ").split()), answer


def test_card_ending_next_to_a_cvv_is_kept() -> None:
    text = "Agent: And the CVV?\nCustomer: 482, that's for the card ending 6467"
    assert "6467" in redact_text(text).text


@pytest.mark.parametrize(
    "text",
    [
        # homophones next to each other inside one reading ("six for too six", "five too for three")
        "Customer: yeah it is five three to nine two six one too six five too oh six for too six",
        "Customer: okay so three for three for four eight too three five seven six two two oh seven",
        # a short turn that ends with a three-digit reading after a code question
        "Agent: And the security code on the back?\nUser: the code is six for six.",
        "Agent: Last thing, the CVV please.\nCaller: It is eight o seven",
        # lower-case role labels joined by " / " are turns too
        "agent: And the number on your debit card, please? / customer: 5137 / agent: okay, keep going / "
        "customer: 5858 / agent: uh-huh / customer: 4719 / agent: sure / customer: 5406 / agent: Thank you.",
        "assistant: Can you give me the CVC? / user: yeah, three to oh. / assistant: Thanks.",
    ],
)
def test_homophone_runs_and_joined_turns(text: str) -> None:
    redacted = re.sub(r"\[CARD \*{4}[0-9]{4}\]", "[CARD]", redact_text(text).text)
    spoken = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "oh", "o", "to", "too", "for"}
    leftover = [word for word in re.split(r"[\s,./]+", redacted) if word.lower() in spoken or word.isdigit()]
    assert leftover == [], redacted


@pytest.mark.parametrize(
    "text",
    [
        "agent: How long does a refund take? / customer: five to seven days, right?",
        "User: it takes one to two days",
        "agent: how many seats? / user: two to three for now",
        "User: I'd like the two for one deal",
    ],
)
def test_ranges_and_prepositions_stay_words(text: str) -> None:
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # fillers inside a short code: one reading
        "Agent: And the card verification value?\nUser: three um... five er one.",
        "Agent: Expiry and the security code please.\nUser: 08/29, two uh, three two three.",
        # "ate"/"won"/"o" between two number words make no range
        "Agent: And the CVV?\nUser: 983\nAgent: So that's nine ate three, correct?",
        "Customer: security number oh ate four I think.",
        # in code talk a homophone beside a short reading closed by a pause is a digit
        "Agent: What's the three digit code on the back?\nUser: seven too four... sorry, 6 2 4.",
        "Agent: And the CVV?\nUser: 142\nAgent: So that's one four to, correct?",
        # a month name, "slash", a spoken year
        "Agent: And the expiry date?\nUser: march slash two six.",
    ],
)
def test_short_codes_with_fillers_and_homophones(text: str) -> None:
    redacted = redact_text(text).text
    answer = redacted.rsplit("\n", 1)[-1]
    spoken = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "oh", "o", "to", "too", "for",
              "ate", "march"}  # fmt: skip
    leftover = [word for word in re.split(r"[\s,.?]+", answer) if word.lower() in spoken or word.isdigit()]
    assert leftover == [], redacted


@pytest.mark.parametrize(
    "text",
    [
        "Agent: What's the security code on the back?\nUser: sorry, it usually takes five to seven working days",
        "Agent: What's the security code on the back?\nUser: sorry, before that, the two for one offer",
        "Agent: What's the CVV?\nUser: hold on, one to two minutes",
    ],
)
def test_ranges_in_code_talk_stay_words(text: str) -> None:
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "User: my card's fine, it runs until 08/2029",
        "Agent: And the date on the card?\nUser: 8/29",
        "Summary: new Visa on file, good until 11/2031.",
        "Agent: Which card?\nUser: the Mastercard, oh eight twenty nine.",
        "Agent: Thanks. Expiry and CVV?\nUser: August 2029 and 737",
        "User: expiration date Aug 2029, and the CVV is 123",
    ],
)
def test_expiry_shaped_values_in_card_talk(text: str) -> None:
    redacted = redact_text(text).text
    answer = redacted.rsplit("\n", 1)[-1]
    assert not re.search(r"[0-9]|\b(?:aug|august|oh|eight|twenty|nine)\b", answer, re.IGNORECASE), redacted
    assert "[EXPIRY]" in answer, redacted


@pytest.mark.parametrize(
    "text",
    [
        "agent: your card was declined / customer: at two thirty",
        "User: my card was charged on 03/12 for the 2024 plan",
        "User: the office lease runs until 08/2029",
    ],
)
def test_times_and_charge_dates_in_card_talk_are_kept(text: str) -> None:
    assert [finding for finding in find_secrets(text) if finding.type == "card_expiry"] == []
