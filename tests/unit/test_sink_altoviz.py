"""Altoviz client against the fake Altoviz (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from sinks.altoviz import AltovizClient
from sinks.contract import ALREADY_WRITTEN, WRITTEN, PermanentSinkError, RetryableSinkError
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes


@pytest.fixture
async def fake() -> AsyncIterator[tuple[AltovizClient, State]]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        state.customers[1] = {"id": 1, "email": "ana@acme.example", "internalNotes": "VIP since 2020"}
        state.invoices[7] = {"id": 7, "number": "INV-7", "customerId": 1, "metadata": {}, "sentAt": None}
        yield AltovizClient(http, url, SecretStr("k")), state


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
    with pytest.raises(RetryableSinkError):
        await client.write(action, "k3")
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


async def test_note_without_customer_is_permanent(fake: tuple[AltovizClient, State]) -> None:
    client, _ = fake
    with pytest.raises(PermanentSinkError):
        await client.write(make_action("call_5", "charge_dispute", customer_email="nobody@x.example"), "k5")


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
