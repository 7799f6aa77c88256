"""Slack incoming-webhook client: rate limit, Retry-After, and no re-post after a lost answer."""

from __future__ import annotations

import time

import httpx
import pytest
from pydantic import SecretStr

from sinks.contract import WRITTEN, PermanentSinkError, RetryableSinkError
from sinks.ratelimit import KeyedRateLimiter
from sinks.slack import SlackClient
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, writes


async def test_posts_with_ref_and_keeps_one_message_per_second_per_channel() -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        client = SlackClient(http, SecretStr(f"{url}/services/T0/B0/x"), "finance", KeyedRateLimiter(4.0))
        started = time.monotonic()
        for index in range(3):
            outcome = await client.write(make_action(f"call_{index}", "refund_approval", urgency="urgent"), f"k{index}")
            assert outcome.outcome == WRITTEN
        assert time.monotonic() - started >= 2 / 4.0 * 0.95
    assert writes(state)["slack.message"] == {"k0": 1, "k1": 1, "k2": 1}
    assert "URGENT refund approval" in state.slack[0]


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_answer_lost_after_sending_is_not_reposted(mode: str) -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=0.5) as http:
        client = SlackClient(http, SecretStr(f"{url}/services/T0/B0/x"), "finance")
        state.faults.append(Fault("slack", mode, delay=1.0, count=1))
        outcome = await client.write(make_action("call_1", "charge_dispute"), "k1")
    assert outcome.outcome == WRITTEN and outcome.detail.startswith("unconfirmed")
    assert writes(state)["slack.message"] == {"k1": 1}


async def test_429_and_refused_connection_are_retryable_and_400_is_not() -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        client = SlackClient(http, SecretStr(f"{url}/services/T0/B0/x"), "finance")
        state.faults.append(Fault("slack", "status", status=429, retry_after=3, count=1))
        with pytest.raises(RetryableSinkError) as raised:
            await client.write(make_action("call_1", "charge_dispute"), "k1")
        assert raised.value.retry_after == 3.0
        state.faults.append(Fault("slack", "status", status=400, count=1))
        with pytest.raises(PermanentSinkError):
            await client.write(make_action("call_1", "charge_dispute"), "k1")
    assert writes(state)["slack.message"] == {}

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        client = SlackClient(http, SecretStr("https://hooks.slack.example/services/secret"), "finance")
        with pytest.raises(RetryableSinkError) as refused:
            await client.write(make_action("call_2", "charge_dispute"), "k2")
    assert "secret" not in str(refused.value)
