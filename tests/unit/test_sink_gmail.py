"""Gmail client against the fake Gmail over real sockets: deterministic Message-ID, the
rfc822msgid search before every send, lost answers, 429/quota, domain-wide delegation through
google-auth with a refresh on 401, only the verified address, nothing sensitive in the mail."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sinks.breaker import CircuitBreaker
from sinks.contract import ALREADY_WRITTEN, WRITTEN, PermanentSinkError, RetryableSinkError
from sinks.gmail import SCOPES, GmailClient, MaybeSent, build_message, message_id
from sinks.retry import RetryPolicy
from sinks.runner import PermanentFailure, run_with_retry
from sinks.sheets import ServiceAccountToken
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes

SENDER = "billing@acme.example"


@dataclass
class Fake:
    client: GmailClient
    tokens: ServiceAccountToken
    state: State


def key_of(call_id: str, workflow: str = "refund_approval") -> str:
    return f"{make_action(call_id, workflow).idempotency_key}:gmail"


def service_account_file(tmp_path: Path, url: str) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "p", "private_key_id": "1", "private_key": pem.decode(),
        "client_email": "callstream@p.iam.gserviceaccount.com", "client_id": "1", "token_uri": f"{url}/token",
    }))  # fmt: skip
    return path


@pytest.fixture
async def fake(tmp_path: Path) -> AsyncIterator[Fake]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        tokens = ServiceAccountToken(service_account_file(tmp_path, url), SCOPES, subject=SENDER, vendor="gmail")
        yield Fake(
            GmailClient(http, url, SENDER, tokens, settle_seconds=0.05, confirm_window_seconds=1.0), tokens, state
        )


def jwt_claims(assertion: str) -> dict[str, object]:
    payload = assertion.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


async def test_one_mail_per_key_to_the_verified_address(fake: Fake) -> None:
    action = make_action("call_1", "refund_approval", invoice_number="INV-3")
    key = key_of("call_1")
    first = await fake.client.write(action, key)
    again = await fake.client.write(action, key)
    assert first.outcome == WRITTEN and again.outcome == ALREADY_WRITTEN
    assert first.external_ref == again.external_ref and again.detail == "mail found by its Message-ID"
    msgid = message_id(key, "acme.example")
    assert writes(fake.state)["gmail.message"] == {msgid: 1}
    [mail] = fake.state.books.gmail_sent
    assert action.customer_email in mail["to"] and "INV-3" in mail["subject"]
    assert "49.00 EUR" in mail["body"] and "call_1" in mail["body"]
    # domain-wide delegation: the token was granted for the sender, with the Gmail scopes
    claims = jwt_claims(fake.state.books.google_assertions[0])
    assert claims["sub"] == SENDER and set(str(claims["scope"]).split()) == set(SCOPES)


def test_message_is_deterministic_rfc2822() -> None:
    action = make_action("call_2", "refund_approval")
    one, two = build_message(action, "k2", SENDER), build_message(action, "k2", SENDER)
    assert one.as_bytes() == two.as_bytes()
    assert str(one["Message-ID"]) == message_id("k2", "acme.example") != message_id("k3", "acme.example")
    assert b"\r\n" in one.as_bytes()  # SMTP policy: CRLF line ends as RFC 2822 wants


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_lost_answer_is_found_by_message_id_not_sent_twice(fake: Fake, mode: str) -> None:
    fake.state.faults.append(Fault("gmail", mode, delay=1.5, count=1, writes_only=True))
    action = make_action("call_3", "refund_approval")
    outcome = await fake.client.write(action, key_of("call_3"))
    assert outcome.outcome == ALREADY_WRITTEN and "earlier send went through" in outcome.detail
    assert list(writes(fake.state)["gmail.message"].values()) == [1]


async def test_search_index_lag_then_retry_still_one_mail(fake: Fake) -> None:
    """The search does not see the mail within the settle wait: the write fails retryable, and the
    retries search again but do not send within the confirm window: still one mail."""
    fake.state.books.gmail_index_lag = 0.4
    fake.state.faults.append(Fault("gmail", "drop", count=1, writes_only=True))
    action = make_action("call_4", "refund_approval")
    with pytest.raises(MaybeSent):
        await fake.client.write(action, key_of("call_4"))
    outcome, attempts = await run_with_retry(
        lambda: fake.client.write(action, key_of("call_4")), CircuitBreaker("gmail"), RetryPolicy(base_delay=0.5)
    )
    assert outcome.outcome == ALREADY_WRITTEN and attempts >= 1
    assert list(writes(fake.state)["gmail.message"].values()) == [1]


async def test_after_the_confirm_window_an_unfound_send_is_sent_again(fake: Fake) -> None:
    """The bound of the mechanism (documented): a lost send that never shows in search within the
    window is treated as not sent. Here Gmail lost the request itself after answering nothing."""
    fake.state.faults.append(Fault("gmail", "drop", count=1, writes_only=True))
    fake.state.books.gmail_index_lag = 3600  # never searchable in this test
    action = make_action("call_4b", "refund_approval")
    with pytest.raises(MaybeSent):
        await fake.client.write(action, key_of("call_4b"))
    with pytest.raises(RetryableSinkError, match="not searchable yet"):
        await fake.client.write(action, key_of("call_4b"))
    assert len(fake.state.books.gmail_sent) == 1


async def test_connection_dropped_before_processing_is_sent_once_after_the_window(fake: Fake) -> None:
    """We cannot tell a connection Gmail dropped before processing from a lost answer: both wait the
    confirm window (searching), then the mail goes out once."""
    fake.state.faults.append(Fault("gmail", "drop_before", count=1, writes_only=True))
    action = make_action("call_5", "refund_approval")
    with pytest.raises(MaybeSent):
        await fake.client.write(action, key_of("call_5"))
    assert writes(fake.state)["gmail.message"] == {}
    with pytest.raises(RetryableSinkError, match="not searchable yet"):
        await fake.client.write(action, key_of("call_5"))
    await asyncio.sleep(1.05)  # the fixture's 1 s confirm window
    assert (await fake.client.write(action, key_of("call_5"))).outcome == WRITTEN
    assert list(writes(fake.state)["gmail.message"].values()) == [1]


async def test_429_retry_after_is_honoured_and_nothing_is_sent_meanwhile(fake: Fake) -> None:
    fake.state.faults.append(Fault("gmail", "status", status=429, retry_after=4, count=1, writes_only=True))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    action = make_action("call_6", "refund_approval")
    outcome, attempts = await run_with_retry(
        lambda: fake.client.write(action, key_of("call_6")), CircuitBreaker("gmail"), RetryPolicy(), sleep
    )
    assert outcome.outcome == WRITTEN and attempts == 2 and waits[0] >= 4
    assert list(writes(fake.state)["gmail.message"].values()) == [1]


async def test_per_user_quota_exhausted_is_retryable(fake: Fake) -> None:
    fake.state.books.gmail_units_per_minute = 210  # one search + send (105), a second (210), then no more
    for n in (1, 2):
        await fake.client.write(make_action(f"call_q{n}", "refund_approval"), key_of(f"call_q{n}"))
    with pytest.raises(RetryableSinkError, match="429") as error:
        await fake.client.write(make_action("call_q3", "refund_approval"), key_of("call_q3"))
    assert not isinstance(error.value, MaybeSent)
    assert len(fake.state.books.gmail_sent) == 2


async def test_401_refreshes_the_delegated_token_once(fake: Fake) -> None:
    await fake.client.write(make_action("call_7", "refund_approval"), key_of("call_7"))
    first = await fake.tokens.token()
    fake.state.books.gmail_access_revoked.add(first)
    assert (await fake.client.write(make_action("call_8", "refund_approval"), key_of("call_8"))).outcome == WRITTEN
    assert await fake.tokens.token() != first and len(fake.state.books.google_assertions) == 2


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"customer_email": None}, "no e-mail address"),
        ({"review_reasons": ["email not verified: differs from the email on file"]}, "not verified"),
    ],
)
async def test_only_the_verified_address_and_never_a_request_otherwise(fake: Fake, fields: dict, reason: str) -> None:
    async def sleep(seconds: float) -> None:
        raise AssertionError("a permanent error is not retried")

    action = make_action("call_9", "refund_approval", **fields)
    with pytest.raises(PermanentFailure, match=reason):
        await run_with_retry(
            lambda: fake.client.write(action, key_of("call_9")), CircuitBreaker("g"), RetryPolicy(), sleep
        )
    assert fake.state.requests == [] and fake.state.books.gmail_sent == []


async def test_no_secrets_or_internal_text_in_the_mail(fake: Fake) -> None:
    # Even if an unredacted number slipped into the internal summary, the mail never carries it.
    action = make_action(
        "call_10", "renewal_failed", summary="card 4242 4242 4242 4242 cvv 123, IBAN DE89370400440532013000"
    )
    await fake.client.write(action, key_of("call_10", "renewal_failed"))
    [mail] = fake.state.books.gmail_sent
    token = await fake.tokens.token()
    for text in (mail["raw"], mail["body"]):
        assert "4242" not in text and "DE89" not in text and "cvv" not in text.lower() and token not in text
        assert not re.search(r"\d{9,}", text)
    assert "never ask for card details" in mail["body"]


async def test_permanent_4xx_carries_googles_reason_and_403_rate_is_retryable() -> None:
    answers = iter([
        httpx.Response(200, json={"resultSizeEstimate": 0}),
        httpx.Response(403, json={"error": {"code": 403, "errors": [{"reason": "userRateLimitExceeded"}]}}),
        httpx.Response(200, json={"resultSizeEstimate": 0}),
        httpx.Response(400, json={"error": {"code": 400, "errors": [{"reason": "invalidArgument"}]}}),
    ])  # fmt: skip

    class Static:
        async def token(self) -> str:
            return "ya29.static"

    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda request: next(answers))) as http:
        client = GmailClient(http, "https://gmail.test", SENDER, Static())
        action = make_action("call_11", "refund_approval")
        with pytest.raises(RetryableSinkError, match="userRateLimitExceeded"):
            await client.write(action, "k11")
        with pytest.raises(PermanentSinkError, match=r"HTTP 400 \(invalidArgument\)"):
            await client.write(action, "k11")


@pytest.mark.parametrize(
    "fields",
    [
        {"customer_name": "Ana\r\nBcc: evil@x.example"},
        {"invoice_number": "INV-1\nBcc: evil@x.example"},
        {"customer_email": "a@b.example\nBcc: e@x.example"},
    ],
)
def test_header_injection_is_refused_not_sent(fields: dict) -> None:
    with pytest.raises(PermanentSinkError):
        build_message(make_action("call_12", "refund_approval", **fields), "k12", SENDER)
