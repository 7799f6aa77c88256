"""Unit tests of the text redaction engine: each names one behaviour and fails if it breaks."""

from __future__ import annotations

import itertools

import pytest

from streams.redact import FINDING_TYPES, find_secrets, redact_text
from streams.redact.spoken import NUMBER_WORDS, SpokenWord, normalise_spoken

VISA = "4111111111111111"


def types_of(text: str) -> list[str]:
    return [finding.type for finding in find_secrets(text)]


@pytest.mark.parametrize(
    "text",
    [
        "User: my card is 4111111111111111.",
        "User: my card is 4111 1111 1111 1111.",
        "User: my card is 4111-1111-1111-1111.",
        "User: my card is 4111.1111.1111.1111.",
        "User: four one one one, one one one one, one one one one, one one one one",
        "User: forty-one eleven, eleven eleven, eleven eleven, eleven eleven",
        "User: four triple one, one one one one, eleven eleven, 1111",
        "User: 4111 one one one one one one one one 1111",
    ],
)
def test_card_number_is_replaced_in_every_surface_form(text: str) -> None:
    result = redact_text(text)
    assert result.counts == {"card_number": 1}
    assert "[CARD ****1111]" in result.text
    assert "one one" not in result.text and "4111" not in result.text


def test_card_split_across_turns_is_joined_and_each_piece_removed() -> None:
    text = "Agent: the card number please\nUser: 4111 1111\nAgent: go on\nUser: 1111 1111\nAgent: thanks"
    result = redact_text(text)
    assert (
        result.text == "Agent: the card number please\nUser: [CARD]\nAgent: go on\nUser: [CARD ****1111]\nAgent: thanks"
    )
    assert result.counts == {"card_number": 1}
    assert [finding.type for finding in result.findings] == ["card_number", "card_number"]


def test_agent_read_back_is_redacted_too() -> None:
    text = "User: 5555 5555 5555 4444\nAgent: Let me read that back: 5555 5555 5555 4444. Correct?"
    result = redact_text(text)
    assert result.counts == {"card_number": 2}
    assert "5555" not in result.text


@pytest.mark.parametrize(
    ("number", "last_four"),
    [
        ("378282246310005", "0005"),
        ("2221000000000009", "0009"),
        ("6011111111111117", "1117"),
        ("4" + "0" * 17 + "0", ""),
    ],
)
def test_card_brands_and_lengths(number: str, last_four: str) -> None:
    from stdnum import luhn

    if not last_four:  # a 19-digit Visa, made Luhn-valid here
        body = "4" + "1234567890123456" + "7"
        number = body + luhn.calc_check_digit(body)
        last_four = number[-4:]
    result = redact_text(f"User: the card is {number[:4]} {number[4:10]} {number[10:]}")
    assert result.text == f"User: the card is [CARD ****{last_four}]"


def test_luhn_invalid_sixteen_digits_are_not_a_card_without_card_talk() -> None:
    assert find_secrets("User: it's 4111 1111 1111 1112") == []


def test_luhn_invalid_card_length_reading_in_card_talk_is_a_card() -> None:
    # Fail-safe (detectors/failsafe.py): speech-to-text loses or swaps digits, so after a card cue
    # a card-length reading is redacted whether or not the checksum passes.
    assert [finding.type for finding in find_secrets("User: the card is 4111 1111 1111 1112")] == ["card_number"]


def test_cvv_keeps_nothing_and_card_keeps_only_last_four() -> None:
    text = "User: card 4242 4242 4242 4242, expiry 12/27, and the CVV is 737"
    result = redact_text(text)
    assert result.text == "User: card [CARD ****4242], expiry [EXPIRY], and the CVV is [CVV]"
    assert "737" not in result.text and "4242 4242" not in result.text
    assert result.payment_details_read_out


def test_cvv_asked_in_previous_turn_and_spoken() -> None:
    text = "Agent: And the security code on the back?\nUser: seven three seven"
    assert redact_text(text).text == "Agent: And the security code on the back?\nUser: [CVV]"


def test_spoken_expiry_and_pin() -> None:
    assert types_of("User: it expires oh nine twenty six") == ["card_expiry"]
    assert types_of("User: my PIN is 4921") == ["pin"]


@pytest.mark.parametrize(
    ("text", "expected_type"),
    [
        ("User: my IBAN is GB82 WEST 1234 5698 7654 32", "iban"),
        ("User: IBAN DE89370400440532013000", "iban"),
        ("User: G B eight two W E S T one two three four five six nine eight seven six five four three two", "iban"),
        ("User: the BIC is DEUTDEFF", "bic"),
        ("User: the routing number is 021000021", "us_routing_number"),
        ("User: my checking account number is 123456789012", "us_bank_account"),
        ("User: my social security number is 536-22-1234", "us_ssn"),
        ("User: it's 536-22-1234", "us_ssn"),
        ("User: my ITIN is 912-70-1234", "us_itin"),
        ("User: our EIN is 45-3456789", "us_ein"),
        ("User: NI number AB 12 34 56 C", "uk_nino"),
        ("User: my UTR is 1955839661", "uk_utr"),
        ("User: our VAT number is GB980780684", "vat_number"),
        ("User: here is the key sk_live_abcdefgh12345678", "secret_api_key"),
    ],
)
def test_bank_and_tax_identifiers(text: str, expected_type: str) -> None:
    assert types_of(text) == [expected_type]
    assert expected_type in FINDING_TYPES


def test_uk_sort_code_and_account() -> None:
    text = "User: sort code 12-34-56, and the account number is 12345678"
    result = redact_text(text)
    assert result.text == "User: sort code [SORT CODE], and the account number is [BANK ACCOUNT]"
    assert result.counts == {"uk_bank_account": 1, "uk_sort_code": 1}


def test_customer_account_number_without_bank_context_is_kept() -> None:
    assert find_secrets("Agent: what's your account number with us?\nUser: 48213377") == []


@pytest.mark.parametrize(
    "text",
    [
        "User: I'm calling about invoice INV-2024-00123.",
        "User: I was charged $1,234.56 twice.",
        "User: it should only be two hundred and fifty dollars.",
        "User: the payment was due on 03/15/2024, it renewed on 2024-03-15.",
        "User: call me back on 415-555-0134 or (415) 555-0134.",
        "User: my order number is ORD-4539148803436467.",
        "User: the tracking number is 7749 8765 4321.",
        "User: it was the card ending in 4242. The security code question can wait.",
        "User: the payment id is pi_3MtwBwLkdIwHu7ix28a3tqPa and customer cus_NffrFeUfNV2Hib.",
        "User: I already opened ticket #48213.",
        "User: my billing postcode is SW1A 1AA, zip 90210.",
        "User: Oh, one more thing, which one do I pay?",
    ],
)
def test_hard_negatives_are_kept(text: str) -> None:
    result = redact_text(text)
    assert result.text == text
    assert result.findings == [] and result.counts == {}
    assert not result.payment_details_read_out


def test_findings_are_sorted_non_overlapping_and_index_the_input() -> None:
    text = "User: SSN 536-22-1234, card 4111 1111 1111 1111, CVV 123, IBAN GB82WEST12345698765432"
    findings = find_secrets(text)
    assert [finding.type for finding in findings] == ["us_ssn", "card_number", "card_cvv", "iban"]
    assert all(left.end <= right.start for left, right in itertools.pairwise(findings))
    assert [text[finding.start : finding.end] for finding in findings] == [
        "536-22-1234",
        "4111 1111 1111 1111",
        "123",
        "GB82WEST12345698765432",
    ]


def test_tax_ids_do_not_count_as_payment_details() -> None:
    result = redact_text("User: my UTR is 1955839661")
    assert result.counts == {"uk_utr": 1}
    assert not result.payment_details_read_out


def test_non_ascii_text_keeps_offsets() -> None:
    text = "User: İstanbul café, card 4111 1111 1111 1111 ✓"
    (finding,) = find_secrets(text)
    assert text[finding.start : finding.end] == "4111 1111 1111 1111"


def _spoken(text: str) -> list[str]:
    words = []
    position = 0
    for word in text.split():
        position = text.index(word, position)
        if word in NUMBER_WORDS:
            words.append(SpokenWord(position, position + len(word), word))
        position += len(word)
    return [number.digits for number in normalise_spoken(words, text)]


def test_spoken_number_normaliser() -> None:
    assert _spoken("double four triple seven oh") == ["44", "777", "0"]
    assert _spoken("forty one eleven") == ["41", "11"]
    assert _spoken("twenty twenty seven") == ["20", "27"]
    assert _spoken("two hundred and fifty") == ["250"]
    assert _spoken("nineteen ninety") == ["19", "90"]


@pytest.mark.parametrize(
    ("text", "expected_type", "secret"),
    [
        ("User: card \u201c4111 1111 1111 1111\u201d", "card_number", "4111 1111 1111 1111"),
        ("User: CVV is \u201cone two three\u201d", "card_cvv", "one two three"),
        ("User: the PIN is 1234\u2026", "pin", "1234"),
        ("User: my SSN is \u2018123-45-6789\u2019", "us_ssn", "123-45-6789"),
        ("User: the security code is \u00abfour five six\u00bb", "card_cvv", "four five six"),
    ],
)
def test_typographic_punctuation_from_speech_to_text_does_not_hide_a_number(
    text: str, expected_type: str, secret: str
) -> None:
    # Curly quotes and the ellipsis were glued to the number and made it an unknown word.
    (finding,) = find_secrets(text)
    assert (finding.type, text[finding.start : finding.end]) == (expected_type, secret)


@pytest.mark.parametrize(
    "text",
    [
        "User: I paid $ 4111 1111 1111 1111 by mistake",
        "User: the card 4111 1111 1111 1111 dollars, sorry",
        "User: \u00a34111111111111111",
    ],
)
def test_a_currency_word_or_sign_never_hides_a_card_number(text: str) -> None:
    assert types_of(text) == ["card_number"]


@pytest.mark.parametrize(
    "text",
    ["User: I was charged $1,234.56 twice", "User: my order number is ORD-4111111111111111."],
)
def test_amounts_and_luhn_valid_references_stay(text: str) -> None:
    assert find_secrets(text) == []


def test_small_numbers_in_conversation_are_left_alone() -> None:
    text = (
        "Agent: Give me one moment while I check two things.\n"
        "User: We are about 12 of us, it took twenty minutes, and one more thing.\n"
        "Agent: The refund takes five to seven working days."
    )
    assert redact_text(text).text == text


@pytest.mark.parametrize(
    ("text", "expected", "hidden"),
    [
        # the last group of a card split over turns is a single spoken digit between words
        (
            "User: my card is 4111 1111 1111 111\nAgent: go on\nUser: one\nAgent: thanks",
            {"card_number": 1},
            ["4111", "one"],
        ),
        # a two-digit year after a month name and an expiry cue, between ordinary words
        ("User: the expiry is December 27 thanks", {"card_expiry": 1}, ["27"]),
        # a PIN read with a pause after its first digit (this one leaked before: a split reading
        # was only tried from a group of two or more digits)
        ("User: my PIN is one, okay, two three four", {"pin": 1}, ["one", "two three four"]),
    ],
)
def test_small_numbers_next_to_a_secret_are_still_joined(
    text: str, expected: dict[str, int], hidden: list[str]
) -> None:
    result = redact_text(text)
    assert result.counts == expected
    assert not any(piece in result.text for piece in hidden)


@pytest.mark.parametrize(
    "text",
    [
        "key sk_live_abcdefgh1234 and rk_test_ABCDEFGH99 then whsec_0123456789abcdefXYZ.",
        "(sk_live_abcdefgh12) sk_live_abcdefgh34",
    ],
)
def test_every_secret_key_in_a_text_is_found(text: str) -> None:
    findings = find_secrets(text)
    assert [finding.type for finding in findings] == ["secret_api_key"] * (
        text.count("_live_") + text.count("_test_") + text.count("whsec_")
    )
    assert all("_" in text[finding.start : finding.end] for finding in findings)


def test_secret_key_glued_to_a_word_is_not_a_key() -> None:
    assert find_secrets("mask_live_abcdefghijkl") == []


@pytest.mark.parametrize(
    ("text", "last_four"),
    [
        ("User: 4111 1111\nAgent: go on\nUser: 1111 1111", "1111"),  # the example, no card word
        ("User: it's 5555 5555\nAgent: okay, keep going\nUser: 5555 4444 thanks", "4444"),
        ("User: 3782 822463\nAgent: mm-hmm\nUser: 10005", "0005"),  # Amex 4-6-5
        ("User: 4111 1111\nAgent: go on\nUser: 1111\nAgent: yes\nUser: 1111", "1111"),  # four turns
        ("User: 4111 1111 um 1111 1111", "1111"),  # one turn, a pause word between the halves
    ],
)
def test_card_split_across_turns_is_joined_without_any_card_word(text: str, last_four: str) -> None:
    result = redact_text(text)
    assert result.counts == {"card_number": 1}
    # one finding per turn; a pause word inside one turn ("um") is part of one reading
    assert result.text.count("[CARD") == len(result.findings) >= (2 if "\n" in text else 1)
    assert f"[CARD ****{last_four}]" in result.text
    assert not any(char.isdigit() for char in result.text.replace(f"****{last_four}", ""))


@pytest.mark.parametrize(
    "text",
    [
        # Two references read one after the other: the cue in the turn (or the question) keeps them,
        # even though the 16 digits together pass Luhn with a Visa prefix.
        "User: my phone number is 4111 1111\nAgent: okay\nUser: 1111 1111",
        "User: the order numbers are 4111 1111\nAgent: go on\nUser: and 1111 1111",
        "Agent: what's the ticket number?\nUser: 4111 1111\nAgent: okay\nUser: 1111 1111",
        # Not written digit groups of 4, or more in the turn than the piece, or two speakers.
        "User: 41111111\nAgent: go on\nUser: 11111111",
        "User: we moved the meeting to 4111 1111\nAgent: okay\nUser: 1111 1111",
        "User: 4111 1111\nAgent: go on\nAgent: 1111 1111",
        # Luhn-invalid or no issuer range once joined.
        "User: 4111 1111\nAgent: go on\nUser: 1111 1112",
        "User: 9111 1111\nAgent: go on\nUser: 1111 1111",
    ],
)
def test_split_digits_without_card_word_that_do_not_look_like_a_card_are_kept(text: str) -> None:
    assert find_secrets(text) == []


def test_a_negative_cue_in_the_turn_keeps_split_numbers_even_in_a_call_about_cards() -> None:
    text = "Agent: the card on file is fine.\nUser: my phone number is 4111 1111\nAgent: okay\nUser: 1111 1111"
    assert find_secrets(text) == []
    # ... while a split card with the card word is still joined whatever the turns say.
    assert types_of("User: my card is 4111 1111 and then\nAgent: go on\nUser: 1111 1111") == ["card_number"] * 2


def test_split_card_prefers_the_reading_that_uses_every_piece() -> None:
    # The first 16 digits of this 19-digit Visa pass Luhn on their own: the 3 digits after the pause
    # must not be left in the clear.
    number = "4000000000012353203"
    assert luhn_ok(number) and luhn_ok(number[:16])
    result = redact_text(
        f"User: {number[:4]} {number[4:8]} {number[8:12]} {number[12:16]}\nAgent: okay\nUser: {number[16:]}"
    )
    assert result.counts == {"card_number": 1}
    assert "****3203" in result.text and not any(char.isdigit() for char in result.text.replace("****3203", ""))


def test_a_card_word_in_the_turn_overrides_a_negative_cue_in_the_question() -> None:
    text = "Agent: what's the order number?\nUser: my card is 4111 1111\nAgent: go on\nUser: 1111 1111"
    assert types_of(text) == ["card_number", "card_number"]


def luhn_ok(digits: str) -> bool:
    from stdnum import luhn

    return luhn.is_valid(digits)
