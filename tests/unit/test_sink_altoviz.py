"""Altoviz client against the fake Altoviz (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from sinks.altoviz import AltovizClient
from sinks.contract import ALREADY_WRITTEN, NEEDS_REVIEW, WRITTEN, PermanentSinkError, RetryableSinkError
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes


@pytest.fixture
async def fake() -> AsyncIterator[tuple[AltovizClient, State]]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        state.customers[1] = {"id": 1, "email": "ana@acme.example", "internalNotes": "VIP since 2020"}
        state.invoices[7] = {"id": 7, "number": "INV-7", "customerId": 1, "metadata": {}, "sentAt": None}
        yield AltovizClient(http, url, SecretStr("k"), settle_seconds=0.0), state


async def test_contact_lookup_then_create_once(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    action = make_action("call_1", "contact_sync")
    first = await client.write(action, "k1")
    again = await client.write(action, "k1")
    assert first.outcome == WRITTEN and again.outcome == ALREADY_WRITTEN
    assert again.external_ref == first.external_ref
    assert writes(state)["altoviz.contact"] == {"k1": 1}
    assert state.contacts[0]["internalId"] == "k1" and state.contacts[0]["email"] == action.customer_email


async def test_contact_existing_by_email_is_not_created(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    state.contacts.append({"id": 5, "email": "ANA@acme.example"})
    outcome = await client.write(make_action("call_2", "contact_sync", customer_email="ana@acme.example"), "k2")
    assert outcome.outcome == ALREADY_WRITTEN and outcome.external_ref == "5"
    assert writes(state)["altoviz.contact"] == {}


async def test_contact_create_whose_response_is_lost_is_not_repeated(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    state.faults.append(Fault("altoviz", "drop", count=1, writes_only=True))
    action = make_action("call_3", "contact_sync")
    # The create applied, its answer lost: the re-check by internalId finds it before any re-create.
    assert (await client.write(action, "k3")).outcome == ALREADY_WRITTEN
    assert (await client.write(action, "k3")).outcome == ALREADY_WRITTEN
    assert writes(state)["altoviz.contact"] == {"k3": 1}


async def test_note_appended_once_and_keeps_existing_notes(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    action = make_action("call_4", "collections_log", customer_email="ana@acme.example")
    state.faults.append(Fault("altoviz", "drop", count=1, writes_only=True))  # the PUT applies, answer lost
    with pytest.raises(RetryableSinkError):
        await client.write(action, "k4")
    outcome = await client.write(action, "k4")
    assert outcome.outcome == ALREADY_WRITTEN and outcome.external_ref == "customer/1"
    notes = state.customers[1]["internalNotes"]
    assert notes.startswith("VIP since 2020\n[cs:k4]") and "call call_4" in notes
    assert writes(state)["altoviz.note"] == {"k4": 1}


async def test_note_without_any_customer_goes_to_review_not_dead_letter(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    outcome = await client.write(make_action("call_5", "charge_dispute", customer_email="nobody@x.example"), "k5")
    assert outcome.outcome == NEEDS_REVIEW
    assert "no customer by e-mail" in outcome.detail and "create_customers=stripe_known" in outcome.detail
    assert writes(state)["altoviz.customer"] == {} and writes(state)["altoviz.note"] == {}


NO_EMAIL = {"customer_email": None, "customer_phone": None}


@pytest.mark.parametrize(
    ("seeded", "identity", "how"),
    [
        ({"internalId": "cus_NeffV"}, {"stripe_customer_id": "cus_NeffV"}, "internalId (Stripe customer id)"),
        ({"number": "C-0042"}, {"customer_number": "C-0042"}, "customer number"),
        ({"phone": "+33 6 12 34 56 78"}, {"customer_phone": "+33612345678"}, "phone"),
        ({"cellPhone": "06 12 34 56 78"}, {"customer_phone": "+33 6 12 34 56 78"}, "phone"),
    ],
)
async def test_note_finds_the_customer_without_an_email(
    fake: tuple[AltovizClient, State], seeded: dict[str, str], identity: dict[str, str], how: str
) -> None:
    client, state = fake
    state.customers[2] = {"id": 2, "type": "Consumer", "internalNotes": "", **seeded}
    state.customers[3] = {"id": 3, "type": "Consumer", "internalNotes": "", "phone": "+44 20 7946 0000"}
    action = make_action("call_11", "collections_log", **{**NO_EMAIL, **identity})
    outcome = await client.write(action, "k11")
    assert outcome.outcome == WRITTEN and outcome.external_ref == "customer/2" and how in outcome.detail
    assert writes(state)["altoviz.note"] == {"k11": 1} and "[cs:k11]" in state.customers[2]["internalNotes"]
    assert (await client.write(action, "k11")).outcome == ALREADY_WRITTEN


async def test_note_falls_back_to_the_calls_contact(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    state.contacts.append(
        {"id": 50, "email": "ana@acme.example", "internalId": "call_12:contact_sync:find_or_create_contact:altoviz"}
    )
    outcome = await client.write(make_action("call_12", "renewal_failed", **NO_EMAIL), "k12")
    assert outcome.outcome == WRITTEN and outcome.external_ref == "customer/1"
    assert "contact's e-mail" in outcome.detail


async def test_stripe_known_customer_is_created_once_with_the_stripe_id(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    first = make_action("call_13", "charge_dispute", stripe_customer_id="cus_New1", **NO_EMAIL)
    later = make_action("call_14", "collections_log", stripe_customer_id="cus_New1", **NO_EMAIL)
    state.faults.append(Fault("altoviz", "drop", count=1, writes_only=True))  # the create applies, its answer is lost
    outcome = await client.write(first, "k13")
    assert outcome.outcome == WRITTEN and "created by an earlier attempt" in outcome.detail
    assert (await client.write(later, "k14")).external_ref == outcome.external_ref  # found by internalId
    assert writes(state)["altoviz.customer"] == {"cus_New1": 1}
    assert writes(state)["altoviz.note"] == {"k13": 1, "k14": 1}


async def test_create_policy_never_and_ambiguous_phone_go_to_review() -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        client = AltovizClient(http, url, SecretStr("k"), create_customers="never", settle_seconds=0.0)
        outcome = await client.write(
            make_action("call_15", "charge_dispute", stripe_customer_id="cus_X", **NO_EMAIL), "k"
        )
        assert outcome.outcome == NEEDS_REVIEW and "create_customers=never" in outcome.detail
        state.customers[8] = {"id": 8, "phone": "+1 415 555 0100", "internalNotes": ""}
        state.customers[9] = {"id": 9, "cellPhone": "(415) 555-0100", "internalNotes": ""}
        ambiguous = await client.write(make_action("call_16", "charge_dispute", customer_email=None,
                                                   customer_phone="+14155550100"), "k16")  # fmt: skip
        assert ambiguous.outcome == NEEDS_REVIEW and "2 customers match the phone" in ambiguous.detail
        with pytest.raises(ValueError):
            AltovizClient(http, url, SecretStr("k"), create_customers="sometimes")
    assert writes(state)["altoviz.customer"] == {} and writes(state)["altoviz.note"] == {}


async def test_contact_created_by_a_second_writer_converges_on_one(fake: tuple[AltovizClient, State]) -> None:
    """Another worker created the contact for the same key while we did: both keep the lowest id."""
    client, state = fake
    state.contacts.append({"id": 5, "email": "x@y.example", "internalId": "k17"})
    kept, created_here, _mine = await client._create("Contacts", "k17", {"email": "x@y.example", "internalId": "k17"})
    assert kept["id"] == 5 and not created_here
    outcome = await client.write(make_action("call_17", "contact_sync"), "k17")
    assert outcome.outcome == ALREADY_WRITTEN and outcome.external_ref == "5"
    assert [c["id"] for c in state.contacts if c.get("internalId") == "k17"] == [5]  # the duplicate deleted


async def test_contact_create_answered_late_is_rechecked_not_repeated(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    state.faults.append(Fault("altoviz", "slow", delay=1.5, count=1, writes_only=True))  # applied, answered late
    outcome = await client.write(make_action("call_18", "contact_sync", customer_email=None,
                                             customer_phone="+33 1 23 45 67 89"), "k18")  # fmt: skip
    assert outcome.outcome == ALREADY_WRITTEN and outcome.detail == "contact created by an earlier attempt"
    assert writes(state)["altoviz.contact"] == {"k18": 1}
    assert state.contacts[0]["phone"] == "+33 1 23 45 67 89"


async def test_invoice_sent_once_when_the_mark_answer_is_lost(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    action = make_action("call_6", "invoice_resend", customer_email="Ana@Acme.example", invoice_number="INV-7")
    state.faults.append(Fault("altoviz", "drop", count=1, writes_only=True))  # the "sending" mark
    with pytest.raises(RetryableSinkError):
        await client.write(action, "k6")
    assert (await client.write(action, "k6")).outcome == WRITTEN
    assert (await client.write(action, "k6")).outcome == ALREADY_WRITTEN
    assert state.sends == {"INV-7": 1}
    assert state.invoices[7]["metadata"] == {"callstream:k6": "sent"}


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_send_whose_answer_is_lost_is_not_repeated(fake: tuple[AltovizClient, State], mode: str) -> None:
    client, state = fake
    action = make_action("call_7", "invoice_resend", customer_email="ana@acme.example", invoice_number="INV-7")
    # Writes: 1 = the "sending" mark, 2 = the Send: its answer is lost (dropped, or later than the timeout).
    state.faults.append(Fault("altoviz", mode, delay=1.5, count=1, writes_only=True, after=1))
    with pytest.raises(RetryableSinkError):
        await client.write(action, "k7")
    assert state.sends == {"INV-7": 1}
    outcome = await client.write(action, "k7")
    assert outcome.outcome == ALREADY_WRITTEN and outcome.detail == "earlier send went through"
    assert state.sends == {"INV-7": 1}
    assert state.invoices[7]["metadata"] == {"callstream:k7": "sent"}


async def test_send_refuses_an_unverified_email(fake: tuple[AltovizClient, State]) -> None:
    client, state = fake
    action = make_action("call_8", "invoice_resend", customer_email="mallory@evil.example", invoice_number="INV-7")
    with pytest.raises(PermanentSinkError, match="not the one on file"):
        await client.write(action, "k8")
    assert state.sends == {}


async def test_unknown_invoice_is_permanent(fake: tuple[AltovizClient, State]) -> None:
    client, _ = fake
    action = make_action("call_9", "invoice_resend", customer_email="ana@acme.example", invoice_number="INV-404")
    with pytest.raises(PermanentSinkError, match="0 invoices"):
        await client.write(action, "k9")


async def test_api_key_header_and_server_errors() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, headers={"Retry-After": "2"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = AltovizClient(http, "https://api.altoviz.example", SecretStr("secret-key"))
        with pytest.raises(RetryableSinkError) as raised:
            await client.write(make_action("call_10", "contact_sync"), "k10")
    assert raised.value.retry_after == 2.0
    assert seen[0].headers["X-API-KEY"] == "secret-key"
    assert "secret-key" not in str(raised.value)
