"""Bank accounts by context, and the safe kinds around them (issue 10, round 3).

Bank accounts have no checksum, so they are found from context: an account cue in the number's turn
or in the question a turn or two back, bank words anywhere in the call, a long "account number"
even without them. Phone numbers, dates and years in bank talk stay.
"""

from __future__ import annotations

import pytest

from streams.redact.engine import find_secrets, redact_text

_BANK_CALL = "Agent: I'll set up the direct debit from your bank.\n"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # bank words far from the question: the whole call is bank talk
        (_BANK_CALL + "Agent: Thanks. And the account number?\nUser: It's 4 5 6 7 8 9 0 1 2.", "4 5 6 7 8 9 0 1 2"),
        (_BANK_CALL + "Agent: Your account number, please.\nUser: double four five six, seven eight nine oh",
         "double four five six, seven eight nine oh"),
        (_BANK_CALL + "Agent: And the account number?\nUser: 3192\nAgent: go on\nUser: 6819", "6819"),
        (_BANK_CALL + "Agent: Great. Now the account number.\nUser: Hang on.\nAgent: Sure.\nUser: 00418850",
         "00418850"),
        # "account" alone, in bank talk
        ("Agent: Sort code please?\nUser: 20-00-00\nAgent: And the account itself?\nUser: 31926819", "31926819"),
        ("User: it's account 000123456789 at Chase", "000123456789"),
        (_BANK_CALL + "Agent: Let me read that back: account 31926819, right?\nUser: yes", "31926819"),
        # abbreviations
        ("Summary: refund to acc no 31926819", "31926819"),
        ("User: A/C 31926819", "31926819"),
        ("User: my bank details are 20-00-00 31926819", "31926819"),
        # a long "account number" with no bank word at all fails closed
        ("Agent: And the account number?\nUser: It's 4 5 6 7 8 9 0 1 2.", "4 5 6 7 8 9 0 1 2"),
        ("User: the account number is 7 for 3 2 1 0 9 8 8 7", "7 for 3 2 1 0 9 8 8 7"),
    ],
)  # fmt: skip
def test_bank_account_found_from_context(text: str, value: str) -> None:
    redacted = redact_text(text).text
    assert value not in redacted
    digits = "".join(char for char in value if char.isdigit())
    if len(digits) >= 6:
        assert digits not in "".join(char for char in redacted if char.isdigit())


_PHONES = ["(415) 555-0132", "415-555-0132", "415 555 0132", "020 7946 0958", "07700 900123", "1-415-555-0132"]


@pytest.mark.parametrize("phone", _PHONES)
@pytest.mark.parametrize(
    "template",
    [
        "Agent: Routing questions go to our payments team on {p}.",
        "Agent: what's the mobile number on the bank account?\nUser: {p}",
        "Agent: This is about your bank account.\nAgent: What number is on the account?\nUser: {p}",
        "Agent: This is about your direct debit.\nAgent: And the account?\nUser: {p}",
        "Agent: This is about your direct debit.\nAgent: Which account is this about?\nUser: {p}",
        "Agent: This is about your bank account.\nAgent: I'll note it on the account. What's the number?\nUser: {p}",
    ],
)
def test_phone_numbers_in_bank_talk_are_kept(template: str, phone: str) -> None:
    text = template.format(p=phone)
    assert phone in redact_text(text).text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Agent: The direct debit from your bank account will be taken on March 15, 2025.", "15, 2025"),
        ("Agent: the account was set up in 2019 with your bank", "2019"),
        ("Agent: your account, since 2019, has been on the 49 plan, bank transfers", "2019"),
        ("Agent: Your account: 14 March 2025, bank transfer of $20", "14 March 2025"),
        ("Agent: what's your account number with us?\nUser: 48213377", "48213377"),
    ],
)
def test_dates_years_and_business_accounts_in_bank_talk_are_kept(text: str, kept: str) -> None:
    assert kept in redact_text(text).text


def test_routing_then_account_still_typed() -> None:
    found = find_secrets("User: routing 021000021, account 9876543210")
    assert [finding.type for finding in found] == ["us_routing_number", "us_bank_account"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Agent: The CVV check failed on 15 March 2024.", "2024"),
        ("User: the PIN was reset on March 15, 2024", "15, 2024"),
        ("User: the PIN was reset on March 2024", "2024"),
        ("Agent: The offer ends 05/12.", "05/12"),
        ("Agent: Your card expires soon. The renewal is on May 12.", "May 12"),
    ],
)
def test_dates_in_card_talk_are_kept(text: str, kept: str) -> None:
    assert kept in redact_text(text).text


def test_month_year_after_expiry_cue_is_still_an_expiry() -> None:
    assert "2027" not in redact_text("User: the card expires March 2027").text
