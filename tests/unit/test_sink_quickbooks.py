"""QuickBooks Online client against the fake QBO over real sockets: requestid, lookup before create,
customer by e-mail, 429, OAuth refresh through authlib, permanent errors with QBO's reason."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr

from schemas.models import Money
from sinks.breaker import CircuitBreaker
from sinks.contract import ALREADY_WRITTEN, NEEDS_REVIEW, WRITTEN, PermanentSinkError, RetryableSinkError
from sinks.quickbooks import MINOR_VERSION, QuickBooksClient, QuickBooksTokens, doc_number, request_id
from sinks.ratelimit import RateLimiter
from sinks.retry import RetryPolicy
from sinks.runner import PermanentFailure, run_with_retry
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes

REALM = "9130355377"


@dataclass
class Fake:
    client: QuickBooksClient
    tokens: QuickBooksTokens
    state: State
    rotated: list[str] = field(default_factory=list)


def key_of(call_id: str, workflow: str = "refund_approval") -> str:
    return f"{make_action(call_id, workflow).idempotency_key}:quickbooks"


@pytest.fixture
async def fake() -> AsyncIterator[Fake]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        rotated: list[str] = []
        tokens = QuickBooksTokens.create(
            "client-id", SecretStr("client-secret"), SecretStr("qbo-rt-0"),
            token_url=f"{url}/oauth2/v1/tokens/bearer", timeout=1.0, on_refresh=rotated.append,
        )  # fmt: skip
        client = QuickBooksClient(
            http, url, REALM, tokens, refund_item_id="21", refund_account_id="35", home_currency="EUR",
            limiter=RateLimiter(50.0, burst=10),
        )  # fmt: skip
        yield Fake(client, tokens, state, rotated)


def test_requestid_and_docnumber_are_deterministic_and_within_qbo_limits() -> None:
    key = "call_" + "x" * 200 + ":refund_approval:request_refund_approval:quickbooks"
    ids = {request_id(key, op) for op in ("create customer", "create RefundReceipt")}
    assert len(ids) == 2 and all(len(i) <= 50 for i in ids)  # one requestid per distinct request
    assert request_id(key, "create customer") == request_id(key, "create customer")
    assert request_id(key, "create RefundReceipt", {"a": 1}) != request_id(key, "create RefundReceipt", {"a": 2})
    assert request_id(key, "x", {"a": 1, "b": 2}) == request_id(key, "x", {"b": 2, "a": 1})  # canonical JSON
    assert len(doc_number(key)) <= 21 and doc_number(key) == doc_number(key) != doc_number(key + "2")


async def test_refund_receipt_once_per_key_with_customer_by_email(fake: Fake) -> None:
    action = make_action("call_1", "refund_approval", invoice_number="INV-7")
    key = key_of("call_1")
    first = await fake.client.write(action, key)
    again = await fake.client.write(action, key)
    assert first.outcome == WRITTEN and again.outcome == ALREADY_WRITTEN
    assert first.external_ref == again.external_ref and again.detail == "RefundReceipt found by DocNumber"
    counted = writes(fake.state)
    assert counted["quickbooks.refund_receipt"] == {doc_number(key): 1}
    assert counted["quickbooks.customer"] == {action.customer_email: 1}
    [receipt] = fake.state.books.qbo_transactions["RefundReceipt"].values()
    assert receipt["DepositToAccountRef"] == {"value": "35"} and receipt["TotalAmt"] == 49.0
    assert f"[cs:{doc_number(key)}]" in receipt["PrivateNote"] and "INV-7" in receipt["PrivateNote"]
    # realm in the path and the pinned minor version on every call
    assert set(fake.state.books.qbo_minor_versions) == {MINOR_VERSION}
    assert set(fake.state.books.qbo_realms) == {REALM}


async def test_existing_customer_is_found_by_email_not_created(fake: Fake) -> None:
    action = make_action("call_2", "refund_approval")
    email = {"Address": (action.customer_email or "").upper()}
    fake.state.books.qbo_customers["7"] = {"Id": "7", "SyncToken": "0", "DisplayName": "Ana", "PrimaryEmailAddr": email}
    assert (await fake.client.write(action, key_of("call_2"))).outcome == WRITTEN
    [receipt] = fake.state.books.qbo_transactions["RefundReceipt"].values()
    assert receipt["CustomerRef"] == {"value": "7"} and writes(fake.state)["quickbooks.customer"] == {}


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_lost_answer_then_retry_is_one_record(fake: Fake, mode: str) -> None:
    action = make_action("call_3", "refund_approval")
    key = key_of("call_3")
    # customer create goes through; the receipt create is applied but its answer is lost
    fake.state.faults.append(Fault("quickbooks", mode, delay=1.5, count=1, writes_only=True, after=1))
    with pytest.raises(RetryableSinkError):
        await fake.client.write(action, key)
    assert (await fake.client.write(action, key)).outcome == ALREADY_WRITTEN
    assert writes(fake.state)["quickbooks.refund_receipt"] == {doc_number(key): 1}
    assert writes(fake.state)["quickbooks.customer"] == {action.customer_email: 1}


async def test_requestid_replays_the_first_answer_without_a_new_record(fake: Fake) -> None:
    """The fake behaves like QBO: the same requestid twice makes one customer and answers twice alike."""
    token = await fake.tokens.token()
    url = str(fake.client._base) + "/customer"  # the client's own URL (realm in the path)
    body = {"DisplayName": "Bo (bo@x.example)", "PrimaryEmailAddr": {"Address": "bo@x.example"}}
    async with httpx.AsyncClient(timeout=1.0) as http:
        answers = [
            await http.post(
                url,
                params={"requestid": "r-1", "minorversion": MINOR_VERSION},
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            )
            for _ in range(2)
        ]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].json() == answers[1].json()
    assert writes(fake.state)["quickbooks.customer"] == {"bo@x.example": 1}


async def test_after_the_requestid_is_forgotten_the_docnumber_lookup_still_protects(fake: Fake) -> None:
    fake.state.books.requestid_window = 0.0
    action = make_action("call_4", "billing_correction")
    key = key_of("call_4", "billing_correction")
    assert (await fake.client.write(action, key)).outcome == WRITTEN
    assert (await fake.client.write(action, key)).outcome == ALREADY_WRITTEN
    assert writes(fake.state)["quickbooks.credit_memo"] == {doc_number(key): 1}
    assert "DepositToAccountRef" not in next(iter(fake.state.books.qbo_transactions["CreditMemo"].values()))


async def test_dispute_note_added_once_and_keeps_existing_notes(fake: Fake) -> None:
    action = make_action("call_5", "charge_dispute", invoice_number="INV-9")
    fake.state.books.qbo_customers["8"] = {
        "Id": "8", "SyncToken": "3", "DisplayName": "Ana", "Notes": "VIP since 2019",
        "PrimaryEmailAddr": {"Address": action.customer_email},
    }  # fmt: skip
    key = key_of("call_5", "charge_dispute")
    assert (await fake.client.write(action, key)).outcome == WRITTEN
    assert (await fake.client.write(action, key)).outcome == ALREADY_WRITTEN
    notes = fake.state.books.qbo_customers["8"]["Notes"]
    assert notes.startswith("VIP since 2019\n") and "INV-9" in notes and "call_5" in notes
    assert writes(fake.state)["quickbooks.note"] == {doc_number(key): 1}


async def test_several_customers_with_the_email_go_to_review(fake: Fake) -> None:
    action = make_action("call_6", "refund_approval")
    for cid in ("1", "2"):
        email = {"Address": action.customer_email}
        fake.state.books.qbo_customers[cid] = {
            "Id": cid,
            "SyncToken": "0",
            "DisplayName": f"Ana {cid}",
            "PrimaryEmailAddr": email,
        }
    outcome = await fake.client.write(action, key_of("call_6"))
    assert outcome.outcome == NEEDS_REVIEW and "2 QuickBooks customers" in outcome.detail
    assert writes(fake.state)["quickbooks.refund_receipt"] == {}


async def test_429_retry_after_is_honoured_then_one_record(fake: Fake) -> None:
    fake.state.faults.append(Fault("quickbooks", "status", status=429, retry_after=7, count=1))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    action = make_action("call_7", "refund_approval")
    outcome, attempts = await run_with_retry(
        lambda: fake.client.write(action, key_of("call_7")), CircuitBreaker("quickbooks"), RetryPolicy(), sleep
    )
    assert outcome.outcome == WRITTEN and attempts == 2 and waits and waits[0] >= 7
    assert writes(fake.state)["quickbooks.refund_receipt"] == {doc_number(key_of("call_7")): 1}


async def test_401_refreshes_the_token_once_and_keeps_the_rotated_refresh_token(fake: Fake) -> None:
    await fake.client.write(make_action("call_8", "refund_approval"), key_of("call_8"))
    assert fake.tokens.refreshes == 1 and fake.rotated == ["qbo-rt-1"]
    fake.state.books.qbo_access.clear()  # Intuit revoked / expired the access token early
    outcome = await fake.client.write(make_action("call_9", "refund_approval"), key_of("call_9"))
    assert outcome.outcome == WRITTEN
    assert fake.tokens.refreshes == 2 and fake.rotated == ["qbo-rt-1", "qbo-rt-2"]


async def test_revoked_refresh_token_is_permanent_with_the_reason() -> None:
    async with running_fakes() as (url, _state), httpx.AsyncClient(timeout=1.0) as http:
        tokens = QuickBooksTokens.create(
            "id", SecretStr("s"), SecretStr("not-a-token"), token_url=f"{url}/oauth2/v1/tokens/bearer"
        )
        client = QuickBooksClient(http, url, REALM, tokens, refund_item_id="21", refund_account_id="35")
        with pytest.raises(PermanentSinkError, match=r"invalid_grant.*reconnect"):
            await client.write(make_action("call_10", "refund_approval"), key_of("call_10"))


async def test_permanent_4xx_dead_letters_with_qbos_reason(fake: Fake) -> None:
    action = make_action("call_11", "refund_approval", customer_name="Ana Lima")
    # another customer already holds the DisplayName we would create: QBO's 6240
    fake.state.books.qbo_customers["9"] = {
        "Id": "9", "SyncToken": "0", "DisplayName": f"Ana Lima ({action.customer_email})",
        "PrimaryEmailAddr": {"Address": "other@x.example"},
    }  # fmt: skip

    async def sleep(seconds: float) -> None:
        raise AssertionError("a permanent error is not retried")

    with pytest.raises(PermanentFailure) as failure:
        await run_with_retry(
            lambda: fake.client.write(action, key_of("call_11")), CircuitBreaker("quickbooks"), RetryPolicy(), sleep
        )
    assert "HTTP 400" in failure.value.reason and "6240" in failure.value.reason
    assert "Duplicate Name" in failure.value.reason and action.customer_email not in failure.value.reason


async def test_server_errors_are_retryable_and_the_body_carries_no_payment_data() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/tokens/bearer"):
            return httpx.Response(200, json={"access_token": "a", "expires_in": 3600, "refresh_token": "r"})
        if request.url.path.endswith("/query"):
            entity = re.search(r"from (\w+)", request.url.params["query"]).group(1)  # type: ignore[union-attr]
            if entity == "Customer":
                return httpx.Response(200, json={"QueryResponse": {"Customer": [
                    {"Id": "3", "PrimaryEmailAddr": {"Address": "call_12@customers.example"}}]}})  # fmt: skip
            return httpx.Response(200, json={"QueryResponse": {}})
        return httpx.Response(503, headers={"Retry-After": "2"})

    transport = httpx.MockTransport(handler)
    async with httpx.AsyncClient(transport=transport) as http:
        tokens = QuickBooksTokens.create("id", SecretStr("s"), SecretStr("r0"), token_url="https://oauth.test/tokens/bearer",
                                         transport=transport)  # fmt: skip
        client = QuickBooksClient(http, "https://qbo.test", REALM, tokens, refund_item_id="21", refund_account_id="35")
        action = make_action("call_12", "refund_approval", amount=Money(amount=Decimal("12.5"), currency="USD"))
        with pytest.raises(RetryableSinkError) as error:
            await client.write(action, key_of("call_12"))
    assert error.value.retry_after == 2.0
    [create] = [r for r in seen if r.method == "POST" and "refundreceipt" in r.url.path]
    assert create.url.path == f"/v3/company/{REALM}/refundreceipt" and create.url.params["requestid"].startswith("cs-")
    body = json.loads(create.content)
    assert set(body) <= {"DocNumber", "CustomerRef", "PrivateNote", "Line", "DepositToAccountRef", "CurrencyRef"}
    assert body["Line"][0]["Amount"] == 12.5 and "CurrencyRef" not in body  # USD is the default home currency


async def test_note_whose_answer_is_lost_is_not_added_twice(fake: Fake) -> None:
    action = make_action("call_13", "collections_log")
    key = key_of("call_13", "collections_log")
    fake.state.faults.append(Fault("quickbooks", "drop", count=1, writes_only=True, after=1))  # 1st: customer create
    with pytest.raises(RetryableSinkError):
        await fake.client.write(action, key)
    outcome = await fake.client.write(action, key)
    assert outcome.outcome == ALREADY_WRITTEN and outcome.detail == "note already on the customer"
    assert writes(fake.state)["quickbooks.note"] == {doc_number(key): 1}


class EditsBetweenReadAndWrite(httpx.AsyncBaseTransport):
    """A person edits the customer in QuickBooks right after our read (the fake's SyncToken moves)."""

    def __init__(self, state: State) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._state = state
        self.edits = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.url.path.endswith("/query") and "Customer" in request.url.params["query"] and self.edits == 0:
            self.edits += 1
            customer = self._state.books.qbo_customers["5"]
            customer["SyncToken"] = str(int(customer["SyncToken"]) + 1)
            customer["Notes"] = "edited by a person"
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_stale_synctoken_is_retryable_and_the_retry_keeps_the_persons_edit() -> None:
    async with running_fakes() as (url, state):
        action = make_action("call_14", "charge_dispute")
        email = {"Address": action.customer_email}
        state.books.qbo_customers["5"] = {"Id": "5", "SyncToken": "0", "DisplayName": "Ana", "PrimaryEmailAddr": email}
        transport = EditsBetweenReadAndWrite(state)
        async with httpx.AsyncClient(transport=transport, timeout=1.0) as http:
            tokens = QuickBooksTokens.create(
                "id", SecretStr("s"), SecretStr("qbo-rt-0"), token_url=f"{url}/oauth2/v1/tokens/bearer"
            )
            client = QuickBooksClient(http, url, REALM, tokens, refund_item_id="21")
            key = key_of("call_14", "charge_dispute")
            with pytest.raises(RetryableSinkError, match="stale SyncToken"):
                await client.write(action, key)
            assert (await client.write(action, key)).outcome == WRITTEN
        notes = state.books.qbo_customers["5"]["Notes"]
        assert notes.startswith("edited by a person\n") and writes(state)["quickbooks.note"] == {doc_number(key): 1}


async def test_control_api_configures_the_fakes_and_counts_writes() -> None:
    """What a process-level test (FakeVendorsProcess) uses: config over HTTP, counts at /_fake/writes."""
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        tokens = QuickBooksTokens.create(
            "id", SecretStr("s"), SecretStr("qbo-rt-0"), token_url=f"{url}/oauth2/v1/tokens/bearer"
        )
        client = QuickBooksClient(http, url, REALM, tokens, refund_item_id="21", refund_account_id="35")
        await client.write(make_action("call_15", "refund_approval"), key_of("call_15"))
        config = {"requestid_window": 0, "revoke_access": True, "gmail_index_lag": 2, "gmail_units_per_minute": 500}
        assert (await http.post(f"{url}/_fake/config", json=config)).status_code == 200
        assert state.books.qbo_access == set() and state.books.requestid_window == 0.0
        assert state.books.gmail_index_lag == 2.0 and state.books.gmail_units_per_minute == 500.0
        counted = (await http.get(f"{url}/_fake/writes")).json()
    assert counted["quickbooks.refund_receipt"] == {doc_number(key_of("call_15")): 1}
    assert counted["gmail.message"] == {}


async def test_a_requestid_replays_a_stored_error_so_a_corrected_request_needs_a_new_one(fake: Fake) -> None:
    """Why the body is part of our requestid: QBO answers a seen requestid with its first answer, errors too."""
    token = await fake.tokens.token()
    url = str(fake.client._base) + "/customer"
    headers = {"Authorization": f"Bearer {token}"}
    good = {"DisplayName": "Cy", "PrimaryEmailAddr": {"Address": "cy@x.example"}}
    async with httpx.AsyncClient(timeout=1.0) as http:
        first = await http.post(url, params={"requestid": "r-2"}, json={"PrimaryEmailAddr": good["PrimaryEmailAddr"]},
                                headers=headers)  # fmt: skip
        replay = await http.post(url, params={"requestid": "r-2"}, json=good, headers=headers)
        fresh = await http.post(url, params={"requestid": request_id("k", "create customer", good)}, json=good,
                                headers=headers)  # fmt: skip
    assert first.status_code == replay.status_code == 400 and fresh.status_code == 200
    assert writes(fake.state)["quickbooks.customer"] == {"cy@x.example": 1}
