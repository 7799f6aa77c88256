"""Slack clients against the fake Slack (real sockets): webhook mode reports a lost answer as
`unconfirmed`; Web API mode reads the channel history before any re-post and updates by ts."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from sinks.contract import ALREADY_WRITTEN, UNCONFIRMED, WRITTEN, PermanentSinkError, RetryableSinkError
from sinks.ratelimit import KeyedRateLimiter, RateLimiter
from sinks.slack import SlackWebApiClient, SlackWebhookClient, has_ref
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes

CHANNEL = "C0FINANCE1"
# Most tests here pin the age gate to 10 min so a recent first post makes no history read; the
# default (0, every first post reads the history) has its own test below.
AGE_GATE = 600.0


# --- incoming webhook -------------------------------------------------------------------------


async def test_webhook_posts_with_ref_and_keeps_one_message_per_second_per_channel() -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        client = SlackWebhookClient(http, SecretStr(f"{url}/services/T0/B0/x"), "finance", KeyedRateLimiter(4.0))
        started = time.monotonic()
        for index in range(3):
            outcome = await client.write(make_action(f"call_{index}", "refund_approval", urgency="urgent"), f"k{index}")
            assert outcome.outcome == WRITTEN
        assert time.monotonic() - started >= 2 / 4.0 * 0.95
    assert writes(state)["slack.message"] == {"k0": 1, "k1": 1, "k2": 1}
    assert "URGENT refund approval" in state.slack[0]


@pytest.mark.parametrize("mode", ["drop", "slow", "drop_before"])
async def test_webhook_answer_lost_after_sending_is_unconfirmed_never_written(mode: str) -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=0.5) as http:
        client = SlackWebhookClient(http, SecretStr(f"{url}/services/T0/B0/x"), "finance")
        state.faults.append(Fault("slack", mode, delay=1.0, count=1))
        outcome = await client.write(make_action("call_1", "charge_dispute"), "k1")
    assert outcome.outcome == UNCONFIRMED and "check the channel" in outcome.detail
    # Not re-posted: one message when Slack applied it, none when the connection broke first.
    assert writes(state)["slack.message"] == ({} if mode == "drop_before" else {"k1": 1})


async def test_webhook_429_and_refused_connection_are_retryable_and_400_is_not() -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        client = SlackWebhookClient(http, SecretStr(f"{url}/services/T0/B0/x"), "finance")
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
        client = SlackWebhookClient(http, SecretStr("https://hooks.slack.example/services/secret"), "finance")
        with pytest.raises(RetryableSinkError) as refused:
            await client.write(make_action("call_2", "charge_dispute"), "k2")
    assert "secret" not in str(refused.value)


# --- Web API ------------------------------------------------------------------------------------


@pytest.fixture
async def web_api() -> AsyncIterator[tuple[SlackWebApiClient, State]]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=0.5) as http:
        client = SlackWebApiClient(
            http, f"{url}/api", SecretStr("xoxb-test"), CHANNEL, KeyedRateLimiter(50.0), RateLimiter(50.0),
            RateLimiter(50.0), settle_seconds=0.0, recheck_age_seconds=AGE_GATE,
        )  # fmt: skip
        yield client, state


async def write_until_done(client: SlackWebApiClient, action, key: str, attempts: int = 5):  # type: ignore[no-untyped-def]
    """What the agent's retry loop does, without its backoff."""
    for _ in range(attempts):
        try:
            return await client.write(action, key)
        except RetryableSinkError:
            continue
    raise AssertionError("never succeeded")


async def test_web_api_posts_once_and_returns_the_ts(web_api: tuple[SlackWebApiClient, State]) -> None:
    client, state = web_api
    outcome = await client.write(make_action("call_1", "charge_dispute", urgency="urgent"), "k1")
    assert outcome.outcome == WRITTEN
    message = state.slack_history[CHANNEL][0]
    assert outcome.external_ref == f"{CHANNEL}/{message['ts']}" and has_ref(message["text"], "k1")
    assert client.requests == {"chat.postMessage": 1, "conversations.history": 0, "chat.update": 0}


@pytest.mark.parametrize("mode", ["drop_before", "drop", "slow"])
async def test_web_api_unconfirmed_post_ends_in_exactly_one_message(
    web_api: tuple[SlackWebApiClient, State], mode: str
) -> None:
    """drop_before: not applied, so the history is empty and it posts again; drop/slow: applied, the
    answer lost or late, so the history has it and nothing is re-posted."""
    client, state = web_api
    state.faults.append(Fault("slack", mode, delay=1.0, count=1, writes_only=True))
    action = make_action("call_1", "charge_dispute", urgency="urgent")
    with pytest.raises(RetryableSinkError, match="history is read before any re-post"):
        await client.write(action, "k1")
    outcome = await write_until_done(client, action, "k1")
    assert writes(state)["slack.message"] == {"k1": 1}
    assert client.requests["conversations.history"] == 1
    if mode == "drop_before":
        assert outcome.outcome == WRITTEN and client.requests["chat.postMessage"] == 2
    else:
        assert outcome.outcome == ALREADY_WRITTEN and "found in the channel history" in outcome.detail
        assert client.requests["chat.postMessage"] == 1


async def test_web_api_second_write_updates_by_ts(web_api: tuple[SlackWebApiClient, State]) -> None:
    client, state = web_api
    action = make_action("call_1", "charge_dispute", urgency="urgent")
    first = await client.write(action, "k1")
    again = await client.write(action.model_copy(update={"next_step": "call the bank"}), "k1")
    assert again.outcome == ALREADY_WRITTEN and again.external_ref == first.external_ref
    assert writes(state)["slack.message"] == {"k1": 1} and "call the bank" in state.slack[0]
    assert client.requests["chat.update"] == 1


async def test_web_api_old_action_is_looked_up_before_its_first_post(web_api: tuple[SlackWebApiClient, State]) -> None:
    """A replay with an empty ledger: a fresh client finds what an earlier one posted."""
    client, state = web_api
    old = make_action("call_1", "charge_dispute", urgency="urgent", created_at=datetime.now(UTC) - timedelta(hours=3))
    fresh = make_action("call_2", "charge_dispute", urgency="urgent")
    await client.write(old, "k-old")
    await client.write(fresh, "k-new")
    async with httpx.AsyncClient(timeout=0.5) as http:
        base = client._base  # the same fake
        replay = SlackWebApiClient(
            http, base, SecretStr("xoxb-test"), CHANNEL, settle_seconds=0.0, recheck_age_seconds=AGE_GATE
        )
        assert (await replay.write(old, "k-old")).outcome == ALREADY_WRITTEN
        assert (await replay.write(fresh, "k-new")).outcome == WRITTEN  # recent: posted without a lookup
    assert writes(state)["slack.message"] == {"k-old": 1, "k-new": 2}


async def test_web_api_default_finds_a_recent_post_redelivered_after_a_crash(
    web_api: tuple[SlackWebApiClient, State],
) -> None:
    """The default gate (0): a worker posted a recent alert and died before its ledger write; the
    redelivery to a fresh client finds the message in the history instead of posting it again."""
    client, state = web_api
    recent = make_action("call_1", "charge_dispute", urgency="urgent")
    assert (await client.write(recent, "k-recent")).outcome == WRITTEN
    async with httpx.AsyncClient(timeout=0.5) as http:
        after_crash = SlackWebApiClient(http, client._base, SecretStr("xoxb-test"), CHANNEL, settle_seconds=0.0)
        redelivered = await after_crash.write(recent, "k-recent")
        first_post = await after_crash.write(make_action("call_2", "charge_dispute", urgency="urgent"), "k-other")
    assert redelivered.outcome == ALREADY_WRITTEN and "history" in redelivered.detail
    assert first_post.outcome == WRITTEN
    assert writes(state)["slack.message"] == {"k-recent": 1, "k-other": 1}
    assert after_crash.requests["conversations.history"] == 2 and after_crash.requests["chat.postMessage"] == 1


async def test_web_api_history_window_too_large_is_unconfirmed(web_api: tuple[SlackWebApiClient, State]) -> None:
    client, state = web_api
    client._history_limit, client._history_pages = 2, 2  # a 4-message window
    state.faults.append(Fault("slack", "drop_before", count=1, writes_only=True))
    action = make_action("call_1", "charge_dispute", urgency="urgent")
    with pytest.raises(RetryableSinkError):
        await client.write(action, "k1")
    for index in range(6):  # a busy channel: other alerts after ours
        await client.write(make_action(f"call_x{index}", "charge_dispute", urgency="urgent"), f"x{index}")
    outcome = await client.write(action, "k1")
    assert outcome.outcome == UNCONFIRMED and "check the channel" in outcome.detail
    assert "k1" not in writes(state)["slack.message"]


async def test_web_api_errors_429_retry_after_and_permanent_errors(web_api: tuple[SlackWebApiClient, State]) -> None:
    client, state = web_api
    await state_config(state, slack_posts_per_second=1)
    await client.write(make_action("call_1", "charge_dispute"), "k1")
    with pytest.raises(RetryableSinkError) as limited:
        await client.write(make_action("call_2", "charge_dispute"), "k2")
    assert limited.value.retry_after == 1.0 and "ratelimited" in str(limited.value)
    assert client._post_limiter is not None and client._post_limiter._not_before > time.monotonic()  # paused
    assert writes(state)["slack.message"] == {"k1": 1}

    async with httpx.AsyncClient(timeout=0.5) as http:
        unknown = SlackWebApiClient(http, client._base, SecretStr("xoxb-test"), "C0NOSUCHCH")
        with pytest.raises(PermanentSinkError, match="channel_not_found"):
            await unknown.write(make_action("call_3", "charge_dispute"), "k3")
        wrong_token = SlackWebApiClient(http, client._base, SecretStr("not-a-bot-token"), CHANNEL)
        with pytest.raises(PermanentSinkError, match="invalid_auth") as auth:
            await wrong_token.write(make_action("call_4", "charge_dispute"), "k4")
        assert "not-a-bot-token" not in str(auth.value)


async def state_config(state: State, **values: float) -> None:
    for name, value in values.items():
        setattr(state, name, value)


async def test_web_api_ok_false_retryable_errors_with_mock_transport() -> None:
    answers = iter([
        httpx.Response(200, json={"ok": False, "error": "internal_error"}),
        httpx.Response(200, json={"ok": True, "channel": CHANNEL, "ts": "1700000000.000100"}),
    ])  # fmt: skip

    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda request: next(answers))) as http:
        client = SlackWebApiClient(
            http, "https://slack.example/api", SecretStr("xoxb-1"), CHANNEL, recheck_age_seconds=AGE_GATE
        )
        with pytest.raises(RetryableSinkError, match="internal_error"):
            await client.write(make_action("call_1", "charge_dispute"), "k1")
        outcome = await client.write(make_action("call_1", "charge_dispute"), "k1")
    assert outcome.outcome == WRITTEN and outcome.external_ref == f"{CHANNEL}/1700000000.000100"


def test_ref_line_matches_whole_lines_only() -> None:
    assert has_ref("alert\nref: k1", "k1") and has_ref("alert\nref: a&amp;b", "a&b")
    assert not has_ref("alert\nref: k10", "k1") and not has_ref("ref: k1 trailing", "k1")


async def test_web_api_with_a_channel_name_never_guesses() -> None:
    """History needs the channel id: with only a name, a lost answer is unconfirmed, an old action is
    posted without a lookup, and once a post has returned the id the history is used."""
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=0.5) as http:
        client = SlackWebApiClient(
            http, f"{url}/api", SecretStr("xoxb-t"), "finance-approvals",
            settle_seconds=0.0, recheck_age_seconds=AGE_GATE,
        )
        old = make_action("call_1", "charge_dispute", created_at=datetime.now(UTC) - timedelta(hours=2))
        assert (await client.write(old, "k1")).outcome == WRITTEN
        assert client.requests["conversations.history"] == 0
        state.faults.append(Fault("slack", "drop", count=1, writes_only=True))
        with pytest.raises(RetryableSinkError):
            await client.write(make_action("call_2", "charge_dispute"), "k2")
        assert (await client.write(make_action("call_2", "charge_dispute"), "k2")).outcome == ALREADY_WRITTEN

        fresh = SlackWebApiClient(http, f"{url}/api", SecretStr("xoxb-t"), "finance-approvals", settle_seconds=0.0)
        state.faults.append(Fault("slack", "drop", count=1, writes_only=True))
        with pytest.raises(RetryableSinkError):
            await fresh.write(make_action("call_3", "charge_dispute"), "k3")
        outcome = await fresh.write(make_action("call_3", "charge_dispute"), "k3")
        assert outcome.outcome == UNCONFIRMED and "channel id is unknown" in outcome.detail
    assert writes(state)["slack.message"] == {"k1": 1, "k2": 1, "k3": 1}
