"""Zendesk client against the fake Zendesk: Idempotency-Key, external_id lookup, no sensitive data."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from sinks.contract import ALREADY_WRITTEN, WRITTEN, PermanentSinkError, RetryableSinkError
from sinks.zendesk import ZendeskClient, ticket_body
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes


@pytest.fixture
async def fake() -> AsyncIterator[tuple[ZendeskClient, State]]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        yield ZendeskClient(http, url, "agent@acme.example", SecretStr("tok")), state


async def test_ticket_created_once_with_key_and_replay_is_a_hit(fake: tuple[ZendeskClient, State]) -> None:
    client, state = fake
    action = make_action("call_1", "charge_dispute", urgency="high")
    first = await client.write(action, "k1")
    again = await client.write(action, "k1")
    assert first.outcome == WRITTEN and again.outcome == ALREADY_WRITTEN
    assert first.external_ref == again.external_ref
    assert writes(state)["zendesk.ticket"] == {"k1": 1}
    [ticket] = state.tickets
    assert ticket["external_id"] == "k1" and ticket["priority"] == "high"
    assert ticket["requester"]["email"] == action.customer_email
    assert {"callstream", "charge_dispute", "urgency_high"} <= set(ticket["tags"])


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_lost_answer_then_retry_is_one_ticket(fake: tuple[ZendeskClient, State], mode: str) -> None:
    client, state = fake
    state.faults.append(Fault("zendesk", mode, delay=1.5, count=1, writes_only=True))
    action = make_action("call_2", "refund_approval")
    with pytest.raises(RetryableSinkError):
        await client.write(action, "k2")
    assert (await client.write(action, "k2")).outcome == ALREADY_WRITTEN
    assert writes(state)["zendesk.ticket"] == {"k2": 1}


async def test_after_the_key_window_the_ticket_is_found_by_external_id(fake: tuple[ZendeskClient, State]) -> None:
    client, state = fake
    action = make_action("call_3", "renewal_failed", created_at=datetime.now(UTC) - timedelta(hours=3))
    state.zendesk_window = 0.0  # the vendor forgot the key
    assert (await client.write(action, "k3")).outcome == WRITTEN
    outcome = await client.write(action, "k3")
    assert outcome.outcome == ALREADY_WRITTEN and outcome.detail == "ticket found by external_id"
    assert writes(state)["zendesk.ticket"] == {"k3": 1}


async def test_without_lookup_an_expired_key_would_duplicate(fake: tuple[ZendeskClient, State]) -> None:
    """Shows why the lookup exists: a fresh action skips it, and with the key gone Zendesk makes a 2nd."""
    client, state = fake
    action = make_action("call_4", "renewal_failed")
    state.zendesk_window = 0.0
    await client.write(action, "k4")
    await client.write(action, "k4")
    assert writes(state)["zendesk.ticket"] == {"k4": 2}


async def test_same_key_different_body_is_permanent(fake: tuple[ZendeskClient, State]) -> None:
    client, _ = fake
    await client.write(make_action("call_5", "charge_dispute", summary="one"), "k5")
    with pytest.raises(PermanentSinkError, match="400"):
        await client.write(make_action("call_5", "charge_dispute", summary="two"), "k5")


async def test_429_carries_retry_after(fake: tuple[ZendeskClient, State]) -> None:
    client, state = fake
    state.faults.append(Fault("zendesk", "status", status=429, retry_after=7, count=1))
    with pytest.raises(RetryableSinkError) as raised:
        await client.write(make_action("call_6", "charge_dispute"), "k6")
    assert raised.value.retry_after == 7.0
    assert writes(state)["zendesk.ticket"] == {}


def test_body_is_deterministic_and_carries_no_sensitive_links() -> None:
    action = make_action("call_7", "charge_dispute", recording_url="https://rec.example/secret.mp3", urgency="urgent")
    body = ticket_body(action, "k7")
    assert body == ticket_body(action, "k7")
    text = json.dumps(body)
    assert "rec.example" not in text and "49.00" not in text
    assert body["ticket"]["priority"] == "urgent" and body["ticket"]["comment"]["public"] is False


async def test_basic_auth_header_and_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"ticket": {"id": 9}}, headers={"x-idempotency-lookup": "miss"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = ZendeskClient(http, "https://acme.zendesk.example", "agent@acme.example", SecretStr("tok"))
        outcome = await client.write(make_action("call_8", "charge_dispute"), "k8")
    assert outcome.external_ref == "9"
    [request] = seen
    assert request.url.path == "/api/v2/tickets"
    assert request.headers["Idempotency-Key"] == "k8"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"agent@acme.example/token:tok").decode()
