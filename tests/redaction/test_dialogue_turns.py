"""The dialogue layer: numbers given over several turns as callers and agents really do it.

A card or bank number read in irregular chunks with "mm-hm" / "go on" / "sorry, say again?"
between them, each chunk read back by the agent, a caller starting over ("let me start again:
...") or taking a first attempt back ("0210031, no wait, 021000021"), answers to a question asked
a turn or two before, and the same talk as JSON turn arrays in any key order. The wording here is
our own; the property tests generate valid values (python-stdnum) and cut them at random.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn

from streams.redact import find_secrets, redact_text
from streams.redact.structure import structure_view
from tests.redaction.test_properties import (
    BOUNDED,
    assert_no_window_survives,
    card_numbers,
    chunks,
    routing_numbers,
    spoken,
    ssns,
)

CARD = "4539148803436467"  # Luhn-valid Visa test number
ROUTING = "021000021"
ACCOUNT = "4820019377"
SSN = "123456789"


def _left(text: str) -> str:
    """Digits (and digit words as digits) left after redaction; a card keeps its last four."""
    output = re.sub(r"\[CARD \*{4}[0-9]{4}\]", "[CARD]", redact_text(text).text)
    output = re.sub(r"(?i)\blast four\b", "last", output)  # "the last four of your social?" asks, holds no digit
    words = {
        "zero": "0",
        "oh": "0",
        "one": "1",
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
    }
    out: list[str] = []
    for word in re.sub(r"[,.?!:\-]", " ", output).split():
        out.append(words.get(word.lower(), "".join(char for char in word if char.isdigit())))
    return "".join(out)


def _turns(*pairs: tuple[str, str]) -> str:
    return "\n".join(f"{role}: {said}" for role, said in pairs)


# --- echoes, repeats, restarts, self-corrections ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the agent reads each piece back; joined over the caller's pieces only
        _turns(
            ("Agent", "And the routing number?"),
            ("User", "0210"),
            ("Agent", "0210"),
            ("User", "00021"),
            ("Agent", "00021, thanks"),
        ),
        _turns(
            ("Agent", "And your social security number?"),
            ("User", "123 45"),
            ("Agent", "123 45, yes"),
            ("User", "6789"),
            ("Agent", "6789, thank you"),
        ),
        _turns(
            ("Agent", "card number?"),
            ("User", "five five zero nine five three five six six four zero eight"),
            ("Agent", "550953566408,"),
            ("User", "three nine"),
            ("Agent", "three nine?"),
            ("User", "53"),
            ("Agent", "53, got it"),
        ),
        # letter-bearing identifiers read back or said again
        _turns(
            ("Agent", "national insurance number?"),
            ("User", "AB 12"),
            ("Agent", "AB 12"),
            ("User", "34 56 C"),
            ("Agent", "34 56 C, thanks"),
        ),
        _turns(
            ("Agent", "and your NI number?"),
            ("User", "AB 12 34"),
            ("Agent", "sorry, say again?"),
            ("User", "AB 12 34"),
            ("Agent", "go on"),
            ("User", "56 C"),
        ),
        _turns(
            ("Agent", "Your IBAN please."),
            ("User", "GB82 WEST 1234"),
            ("Agent", "GB82 WEST 1234"),
            ("User", "5698 7654 32"),
            ("Agent", "5698 7654 32, thanks"),
        ),
        # the caller says a piece again after "sorry, could you repeat that?"
        _turns(
            ("Agent", "And the account number?"),
            ("User", "53"),
            ("Agent", "yes"),
            ("User", "00"),
            ("Agent", "yes"),
            ("User", "88"),
            ("Agent", "sorry, could you repeat that?"),
            ("User", "88"),
            ("Agent", "go on"),
            ("User", "6234"),
        ),
        # restarts and self-corrections: the abandoned attempt is redacted with the retry
        _turns(
            ("Agent", "card number?"),
            ("User", "4539 1488 33"),
            ("User", "no wait, let me start over. 4539 1488 0343 6467"),
        ),
        _turns(
            ("Agent", "card number?"),
            ("User", "four five three nine one four... hang on, let me start again: 4539 1488 0343 6467"),
        ),
        _turns(
            ("Agent", "What's the card number?"),
            ("User", "two two two one one three four one 4539148803436467"),
            ("User", "no wait, start over. 4539 1488 0343 6467"),
        ),
        _turns(("Agent", "routing number?"), ("User", "0210031, no wait, 021000021")),
        _turns(("Agent", "routing number?"), ("User", "0 2 1 0 0 1... no sorry, 0 2 1 0 0 0 0 2 1")),
        _turns(("Agent", "your social security number?"), ("User", "123 45 67... no wait, 123-45-6789")),
        _turns(("Agent", "What's the CVV?"), ("User", "10"), ("User", "let me start again. one nine one")),
        # a noun-phrase request is a request ("First the routing number ...")
        _turns(
            ("Agent", "First the routing number from the bottom of your check."),
            ("User", "3 2 3 1 4 1"),
            ("Agent", "uh huh"),
            ("User", "9 4 7"),
        ),
        # "last four" asked about a social security number asks for those digits
        _turns(
            ("Agent", "Can I get the last four of your social?"),
            ("User", "sorry what?"),
            ("Agent", "last four of your social security number"),
            ("User", "6789"),
        ),
        _turns(
            ("Agent", "For verification, the last four of your social?"),
            ("User", "six seven eight nine"),
            ("Agent", "6789, thank you."),
        ),
        # the caller stalls at length before answering
        _turns(
            ("Agent", "what's the routing number?"),
            ("User", "sorry, hold on a second I need to find my checkbook, it's in the other room"),
            ("Agent", "no problem at all"),
            ("User", "okay here it is, 021000021"),
        ),
        # "the sixteen digit number" names a card
        _turns(
            ("Agent", "And the sixteen digit number?"),
            ("User", "5 1 0 3 2"),
            ("Agent", "okay"),
            ("User", "5 4 9"),
            ("Agent", "right"),
            ("User", "3 5"),
            ("Agent", "carry on"),
            ("User", "6 9"),
            ("Agent", "okay"),
            ("User", "2 0 0 2"),
        ),
    ],
)
def test_no_digit_of_a_dialogue_reading_survives(text: str) -> None:
    assert _left(text) == ""


# --- JSON turn arrays in any shape -------------------------------------------------------------------

_SPLIT_CARD = [
    ("agent", "What's the card number?"),
    ("user", "4539 1488"),
    ("agent", "mm-hm"),
    ("user", "zero three four three six four six seven"),
]
_ECHOED_ROUTING = [
    ("agent", "routing number?"),
    ("user", "0210"),
    ("agent", "0210"),
    ("user", "00021"),
    ("agent", "00021, thanks"),
]
_CVV_AFTER_INTERJECTIONS = [
    ("agent", "And the security code on the back?"),
    ("user", "one sec"),
    ("agent", "sure"),
    ("user", "it's 482"),
]


def _shapes(turns: list[tuple[str, str]]) -> list[str]:
    return [
        json.dumps([{"role": role, "text": said} for role, said in turns]),
        json.dumps([{"role": role, "text": said} for role, said in turns], indent=2),
        json.dumps([{"text": said, "role": role} for role, said in turns]),
        json.dumps([{"role": role, "ts": index * 1.5, "text": said} for index, (role, said) in enumerate(turns)]),
        json.dumps([{"turn": index, "speaker": role, "utterance": said} for index, (role, said) in enumerate(turns)]),
        json.dumps(
            {
                "messages": [
                    {"role": "assistant" if role == "agent" else "user", "content": said} for role, said in turns
                ]
            }
        ),
        json.dumps(
            {
                "call_id": "c-1",
                "turns": [
                    {"speaker": role.title(), "start": index * 3.2, "end": index * 3.2 + 2, "text": said}
                    for index, (role, said) in enumerate(turns)
                ],
            },
            indent=2,
        ),
        json.dumps({"payload": json.dumps([{"role": role, "text": said} for role, said in turns])}),
        json.dumps([{"role": role, "message": said, "confidence": 0.93} for role, said in turns]),
    ]


@pytest.mark.parametrize("shape", range(9))
@pytest.mark.parametrize(
    ("turns", "value"), [(_SPLIT_CARD, CARD), (_ECHOED_ROUTING, ROUTING), (_CVV_AFTER_INTERJECTIONS, "482")]
)
def test_turn_arrays_in_any_key_order_are_read_as_turns(shape: int, turns: list[tuple[str, str]], value: str) -> None:
    text = _shapes(turns)[shape]
    assert len(structure_view(text)) == len(text)
    # the records' own numbers (times, scores, turn indexes) stay; no piece of the value does
    assert_no_window_survives(value, redact_text(text).text, keep_last4=value == CARD)


def test_other_fields_of_a_turn_object_keep_their_key_and_value() -> None:
    text = json.dumps(
        [
            {"role": "agent", "text": "Anything else?"},
            {"role": "user", "text": "no", "card_number": "4539148803436467", "ticket": "88124471"},
        ]
    )
    view = structure_view(text)
    assert '"card_number"' in view and '"ticket": "88124471"' in view
    output = redact_text(text).text
    assert "4539148803436467" not in output and "88124471" in output


# --- what must survive ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            _turns(
                ("Agent", "What's the best number to reach you?"),
                ("User", "415 555"),
                ("Agent", "mm-hm"),
                ("User", "0134"),
            ),
            ["415 555", "0134"],
        ),
        (
            _turns(("Agent", "callback number?"), ("User", "415 555 0134"), ("Agent", "415 555 0134, thanks")),
            ["415 555 0134"],
        ),
        (_turns(("Agent", "phone number?"), ("User", "415 555... sorry, 415 555 0134")), ["415 555 0134"]),
        (
            _turns(("Agent", "which invoice is it?"), ("User", "INV 2024"), ("Agent", "yes"), ("User", "00123")),
            ["2024", "00123"],
        ),
        (
            _turns(
                ("Agent", "Do you have the ticket number?"),
                ("User", "8812"),
                ("Agent", "8812"),
                ("User", "4471 09"),
                ("Agent", "4471 09, found it"),
            ),
            ["8812", "4471 09"],
        ),
        (
            _turns(("Agent", "which card is it?"), ("User", "the one ending 4242"), ("Agent", "ending 4242, thanks")),
            ["4242"],
        ),
        (
            _turns(("Agent", "when was the charge?"), ("User", "03/15/2024"), ("Agent", "03/15/2024, ok")),
            ["03/15/2024"],
        ),
        (
            _turns(
                ("Agent", "card number?"),
                ("User", "4539 1488 0343 6467"),
                ("Agent", "Thanks. The card ending 6467 will be charged 40 dollars on 03/15/2024."),
            ),
            ["ending 6467", "40 dollars", "03/15/2024"],
        ),
        (
            _turns(
                ("Agent", "What are the last four digits of the card?"),
                ("User", "4242"),
                ("Agent", "ending 4242, thanks"),
            ),
            ["4242"],
        ),
        # a record's fields are separate values: "no" in "card.no" is no restart
        ("zip=72749\ncustomerAccountNumber=65426286\ncard.no = 3576963126001756", ["72749", "65426286"]),
    ],
)
def test_hard_negatives_in_dialogue_survive(text: str, kept: list[str]) -> None:
    output = redact_text(text).text
    for value in kept:
        assert value in output


# --- properties ------------------------------------------------------------------------------------------

_ACKS = ["mm-hm", "go on", "yes", "okay", "got it", "uh huh", "carry on", "and the next bit?"]
_CLARIFY = ["sorry, say again?", "sorry, could you repeat that?", "pardon?", "sorry, I missed that, say it again?"]
_INTERJECTIONS = [
    "User: sorry, one sec",
    "Agent: no rush",
    "User: hang on, let me grab it",
    "Agent: take your time",
    "User: sorry?",
    "User: okay",
]
_VALUES = {
    "card": (card_numbers(), "Can I take the long number on the card?"),
    "routing": (routing_numbers(), "And what's the routing number?"),
    "ssn": (ssns(), "Can I get your social security number?"),
    "account": (
        st.text(alphabet="0123456789", min_size=8, max_size=12).filter(lambda v: v[0] != "0"),
        "Now the checking account number please.",
    ),
}


def _say(piece: str, form: str) -> str:
    return {"digits": piece, "spaced": " ".join(piece), "words": spoken(piece), "oh": spoken(piece, "oh")}[form]


def _cut(value: str, cuts: list[int]) -> list[str]:
    pieces = chunks(value, cuts)
    return [piece for piece in pieces if piece]


@BOUNDED
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(_VALUES)),
    cuts=st.lists(st.integers(2, 6), min_size=1, max_size=4),
    form=st.sampled_from(["digits", "spaced", "words", "oh"]),
    echo_form=st.sampled_from(["digits", "words", "spaced"]),
    json_shape=st.sampled_from([None, 0, 1, 3, 6]),
)
def test_pieces_read_back_by_the_agent_leave_no_window(
    data: st.DataObject, kind: str, cuts: list[int], form: str, echo_form: str, json_shape: int | None
) -> None:
    values, question = _VALUES[kind]
    value = data.draw(values)
    pieces = _cut(value, cuts)
    assume(len(pieces) >= 2 and all(len(piece) >= 2 for piece in pieces))
    turns = [("agent", question)]
    for piece in pieces:
        turns.append(("user", _say(piece, form)))
        turns.append(("agent", _say(piece, echo_form) + data.draw(st.sampled_from(["", ",", ", yes", "?"]))))
    turns.append(("agent", "Thank you."))
    text = _turns(*[(role.title(), said) for role, said in turns]) if json_shape is None else _shapes(turns)[json_shape]
    assert_no_window_survives(value, redact_text(text).text, keep_last4=kind == "card")


@BOUNDED
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(_VALUES)),
    cuts=st.lists(st.integers(2, 6), min_size=1, max_size=4),
    form=st.sampled_from(["digits", "spaced", "words"]),
    again=st.integers(0, 3),
)
def test_pieces_said_again_after_a_clarification_leave_no_window(
    data: st.DataObject, kind: str, cuts: list[int], form: str, again: int
) -> None:
    values, question = _VALUES[kind]
    value = data.draw(values)
    pieces = _cut(value, cuts)
    assume(len(pieces) >= 2 and all(len(piece) >= 2 for piece in pieces))
    lines = [f"Agent: {question}"]
    for index, piece in enumerate(pieces):
        lines.append(f"User: {_say(piece, form)}")
        if index == again % len(pieces):
            lines.append(f"Agent: {data.draw(st.sampled_from(_CLARIFY))}")
            lines.append(f"User: {_say(piece, form)}")
        if index < len(pieces) - 1:
            lines.append(f"Agent: {data.draw(st.sampled_from(_ACKS))}")
    text = "\n".join([*lines, "Agent: Great, thanks."])
    assert_no_window_survives(value, redact_text(text).text, keep_last4=kind == "card")


@BOUNDED
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(_VALUES)),
    form=st.sampled_from(["digits", "spaced", "words"]),
    restart=st.booleans(),
    cross_turn=st.booleans(),
)
def test_abandoned_attempts_are_redacted_with_the_retry(
    data: st.DataObject, kind: str, form: str, restart: bool, cross_turn: bool
) -> None:
    values, question = _VALUES[kind]
    value = data.draw(values)
    size = data.draw(st.integers(3, len(value)))
    attempt = list(value[:size])
    if not restart or data.draw(st.booleans()):
        position = data.draw(st.integers(0, size - 1))
        attempt[position] = str((int(attempt[position]) + 3) % 10)  # a misread digit
    tried = "".join(attempt)
    words = (
        data.draw(
            st.sampled_from([", sorry, let me start again: ", ". No wait, start over. ", "... let me start again. "])
        )
        if restart
        else data.draw(st.sampled_from(["... no wait, ", ", sorry, ", " - no, actually "]))
    )
    if cross_turn:
        said = f"User: {_say(tried, form)}\nAgent: {data.draw(st.sampled_from(_ACKS))}\nUser: {words.strip(' .,-')} "
    else:
        said = f"User: {_say(tried, form)}{words}"
    text = f"Agent: {question}\n{said}{_say(value, form)}\nAgent: Thank you."
    output = redact_text(text).text
    assert_no_window_survives(value, output, keep_last4=kind == "card")
    assert_no_window_survives(tried, output, keep_last4=False)


@BOUNDED
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(_VALUES)),
    form=st.sampled_from(["digits", "spaced", "words"]),
    interjections=st.integers(1, 2),
    shape=st.sampled_from([None, 1, 2, 5]),
)
def test_answer_after_interjections_and_earlier_attempts(
    data: st.DataObject, kind: str, form: str, interjections: int, shape: int | None
) -> None:
    values, question = _VALUES[kind]
    value = data.draw(values)
    between = data.draw(st.permutations(_INTERJECTIONS))[:interjections]
    turns = [
        ("agent", question),
        *((line.split(": ")[0].lower(), line.split(": ")[1]) for line in between),
        ("user", data.draw(st.sampled_from(["", "it's ", "okay, ", "um, "])) + _say(value, form)),
        ("agent", "Great, thanks."),
    ]
    text = _turns(*[(role.title(), said) for role, said in turns]) if shape is None else _shapes(turns)[shape]
    assert_no_window_survives(value, redact_text(text).text, keep_last4=kind == "card")


@BOUNDED
@given(
    data=st.data(),
    kind=st.sampled_from(["phone", "order", "ticket", "invoice"]),
    echo=st.booleans(),
    restart=st.booleans(),
)
def test_references_read_in_pieces_with_echoes_survive(
    data: st.DataObject, kind: str, echo: bool, restart: bool
) -> None:
    digit = st.sampled_from("0123456789")
    if kind == "phone":
        pieces = [
            data.draw(st.sampled_from(["415", "212", "646", "303"])),
            "555",
            "".join(data.draw(st.lists(digit, min_size=4, max_size=4))),
        ]
        question = "What's the best number to reach you?"
    else:
        value = data.draw(st.sampled_from("123456789")) + "".join(data.draw(st.lists(digit, min_size=7, max_size=7)))
        pieces = [value[:4], value[4:]]
        question = {
            "order": "Which order number is it?",
            "ticket": "Do you have the ticket number?",
            "invoice": "And the invoice number?",
        }[kind]
    said = "".join(pieces) * (2 if restart else 1)
    # A Luhn-valid run of card length with a card prefix may be redacted whatever its label (the
    # safe side): such draws are left out.
    assume(not any(luhn.is_valid(said[i : i + n]) for n in range(12, 20) for i in range(len(said) - n + 1)))
    lines = ["Agent: I can see the card on file.", f"Agent: {question}"]
    for index, piece in enumerate(pieces):
        lines.append(f"User: {piece}")
        if echo:
            lines.append(f"Agent: {piece}, yes")
        elif index < len(pieces) - 1:
            lines.append(f"Agent: {data.draw(st.sampled_from(_ACKS))}")
    if restart:
        lines.append(f"User: sorry, let me start again: {' '.join(pieces)}")
    text = "\n".join([*lines, "Agent: Thank you."])
    assert find_secrets(text) == []
