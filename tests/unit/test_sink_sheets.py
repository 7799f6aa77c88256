"""Google Sheets client against the fake Sheets API: key column, batched append, credentials."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from sinks.contract import ALREADY_WRITTEN, WRITTEN, RetryableSinkError
from sinks.ratelimit import RateLimiter
from sinks.sheets import (
    COLUMNS,
    HEADER,
    KEY_LABEL,
    ServiceAccountToken,
    SheetsClient,
    StaticToken,
    review_row,
    rows_of_range,
)
from tests.fakes.actions import make_action
from tests.fakes.server import running_fakes
from tests.fakes.vendors import Fault, State, writes


@pytest.fixture
async def fake() -> AsyncIterator[tuple[SheetsClient, State]]:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        yield SheetsClient(http, url, "sheet-1", StaticToken(SecretStr("tok")), "Review"), state


def batch(count: int, start: int = 0) -> list[tuple]:
    return [(make_action(f"call_{i}", "refund_approval"), f"k{i}") for i in range(start, start + count)]


async def test_a_batch_is_one_read_and_one_append(fake: tuple[SheetsClient, State]) -> None:
    client, state = fake
    await client.write_batch(batch(1, start=99))  # the first batch also writes the header row
    state.requests.clear()
    client.requests = 0
    outcomes = await client.write_batch(batch(50))
    assert [o.outcome for o in outcomes] == [WRITTEN] * 50
    assert outcomes[0].external_ref == "Review!A3" and outcomes[49].external_ref == "Review!A52"
    assert client.requests == 2
    assert [kind for _, kind, _ in state.requests] == ["read", "write"]
    assert writes(state)["sheets.row"] == {f"k{i}": 1 for i in [*range(50), 99]}
    assert len(state.rows["sheet-1/Review"][1]) == len(HEADER)


async def test_first_row_is_the_header_once_whatever_reruns(fake: tuple[SheetsClient, State]) -> None:
    client, state = fake
    first, second = batch(3), batch(3, start=3)
    await asyncio.gather(client.write_batch(first), client.write_batch(second))  # two lanes, an empty sheet
    rows = state.rows["sheet-1/Review"]
    assert rows[0] == list(HEADER) and rows[0][0] == KEY_LABEL
    assert [label for _column, label in COLUMNS][:1] == ["callstream key"] and COLUMNS[-1] == ("S", "decision")
    # A fresh client (a restarted worker) on the same sheet: the header is seen, none added.
    async with httpx.AsyncClient(timeout=1.0) as http:
        again = SheetsClient(http, client._spreadsheet.rsplit("/v4/", 1)[0], "sheet-1", StaticToken(SecretStr("t")))
        outcomes = await again.write_batch(batch(6))
        keys = await again.existing_keys()
    assert KEY_LABEL not in keys and set(keys) == {f"k{i}" for i in range(6)}  # the header is never a key
    assert {o.outcome for o in outcomes} == {ALREADY_WRITTEN}
    assert writes(state)["sheets.header"] == {KEY_LABEL: 1} and len(rows) == 7
    assert writes(state)["sheets.row"] == {f"k{i}": 1 for i in range(6)}


async def test_header_inserted_above_an_existing_headerless_sheet(fake: tuple[SheetsClient, State]) -> None:
    client, state = fake
    state.rows["sheet-1/Review"].extend([["k0", "call_0"], ["k1", "call_1"]])  # a sheet from before the header
    outcomes = await client.write_batch(batch(3))
    rows = state.rows["sheet-1/Review"]
    assert rows[0][0] == KEY_LABEL and rows[1] == ["k0", "call_0"] and rows[2] == ["k1", "call_1"]
    assert [o.outcome for o in outcomes] == [ALREADY_WRITTEN, ALREADY_WRITTEN, WRITTEN]
    assert outcomes[0].external_ref == "Review!A2" and outcomes[2].external_ref == "Review!A4"


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_header_write_whose_answer_is_lost_is_not_repeated(fake: tuple[SheetsClient, State], mode: str) -> None:
    client, state = fake
    state.faults.append(Fault("sheets", mode, delay=1.5, count=1, writes_only=True))  # the batchUpdate
    with pytest.raises(RetryableSinkError):
        await client.write_batch(batch(2))
    await client.write_batch(batch(2))
    assert writes(state)["sheets.header"] == {KEY_LABEL: 1} and state.rows["sheet-1/Review"][0][0] == KEY_LABEL
    assert writes(state)["sheets.row"] == {"k0": 1, "k1": 1}


def test_review_row_matches_the_documented_columns() -> None:
    action = make_action("call_1", "refund_approval", follow_up_deadline=date(2026, 12, 1), review_reasons=["a", "b"])
    row = dict(zip([label for _, label in COLUMNS], review_row(action, "k"), strict=True))
    assert row["owner"] == "finance-ops" and row["reason"] == "a; b" and row["amount"] == "49.00 EUR"
    assert row["deadline"] == "2026-12-01" and row["decision"] == "" and row["status"] == "ready"
    assert row["call link"] == "https://dialnexa.example/calls/call_1/transcript"


async def test_rows_already_there_are_not_appended_again(fake: tuple[SheetsClient, State]) -> None:
    client, state = fake
    await client.write_batch(batch(3))
    outcomes = await client.write_batch(batch(5))  # k0..k2 again, plus k3, k4
    assert [o.outcome for o in outcomes] == [ALREADY_WRITTEN] * 3 + [WRITTEN] * 2
    assert outcomes[1].external_ref == "Review!A3" and outcomes[4].external_ref == "Review!A6"  # row 1: header
    assert writes(state)["sheets.row"] == {f"k{i}": 1 for i in range(5)}


async def test_duplicate_key_inside_a_batch_is_one_row(fake: tuple[SheetsClient, State]) -> None:
    client, state = fake
    items = batch(2)
    outcomes = await client.write_batch([*items, items[0]])
    assert len(outcomes) == 3 and writes(state)["sheets.row"] == {"k0": 1, "k1": 1}


@pytest.mark.parametrize("mode", ["drop", "slow"])
async def test_append_whose_answer_is_lost_is_not_repeated(fake: tuple[SheetsClient, State], mode: str) -> None:
    client, state = fake
    state.faults.append(Fault("sheets", mode, delay=1.5, count=1, writes_only=True, after=1))  # after the header
    with pytest.raises(RetryableSinkError):
        await client.write_batch(batch(4))
    outcomes = await client.write_batch(batch(4))
    assert {o.outcome for o in outcomes} == {ALREADY_WRITTEN}
    assert writes(state)["sheets.row"] == {f"k{i}": 1 for i in range(4)}


async def test_values_are_raw_so_formulas_are_not_run() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "GET" and "/values/" not in request.url.path:
            return httpx.Response(200, json={"sheets": [{"properties": {"sheetId": 7, "title": "Review"}}]})
        if request.method == "GET":
            return httpx.Response(200, json={"range": "Review!A1:A1", "majorDimension": "COLUMNS"})
        if request.url.path.endswith(":batchUpdate"):
            return httpx.Response(200, json={"replies": []})
        return httpx.Response(200, json={"updates": {"updatedRange": "Review!A2:S2"}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = SheetsClient(http, "https://sheets.example", "s/1", StaticToken(SecretStr("tok")))
        await client.write(make_action("call_1", "billing_correction", summary="=IMPORTXML()"), "k")
    [header] = [r for r in seen if r.url.path.endswith(":batchUpdate")]
    assert json.loads(header.content)["requests"][0]["insertDimension"]["range"]["sheetId"] == 7
    [append] = [r for r in seen if r.url.path.endswith(":append")]
    assert append.url.params["valueInputOption"] == "RAW"
    assert (
        append.url.raw_path.decode()
        == "/v4/spreadsheets/s%2F1/values/Review%21A1:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS"
    )
    assert append.headers["Authorization"] == "Bearer tok"


def test_review_row_has_no_recording_link() -> None:
    row = review_row(make_action("call_1", "refund_approval", recording_url="https://rec.example/x.mp3"), "k")
    assert len(row) == len(HEADER) and row[0] == "k"
    assert not any("rec.example" in cell for cell in row)


def test_rows_of_range() -> None:
    assert rows_of_range("Review!A12:Q14") == ("Review", 12, 14)
    assert rows_of_range("'Q 1'!A3") == ("'Q 1'", 3, 3)
    assert rows_of_range("garbage") is None


async def test_rate_limited_appends() -> None:
    async with running_fakes() as (url, state), httpx.AsyncClient(timeout=1.0) as http:
        client = SheetsClient(
            http, url, "sheet-1", StaticToken(SecretStr("tok")), write_limiter=RateLimiter(10.0), read_limiter=None
        )
        for index in range(4):
            await client.write_batch(batch(2, start=index * 2))
    times = [t for _, kind, t in state.requests if kind == "write"]
    assert times[-1] - times[0] >= 3 / 10.0 * 0.9


async def test_service_account_credentials_through_google_auth(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    async with running_fakes() as (url, _state), httpx.AsyncClient(timeout=1.0) as http:
        key_file = tmp_path / "sa.json"
        key_file.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "p",
                    "private_key_id": "1",
                    "private_key": pem.decode(),
                    "client_email": "callstream@p.iam.gserviceaccount.com",
                    "client_id": "1",
                    "token_uri": f"{url}/token",
                }
            )
        )
        tokens = ServiceAccountToken(key_file)
        client = SheetsClient(http, url, "sheet-1", tokens)
        outcomes = await client.write_batch(batch(2))
        first_token = await tokens.token()
        assert first_token == await tokens.token()  # cached until it expires
    assert first_token.startswith("ya29.fake-")
    assert [o.outcome for o in outcomes] == [WRITTEN, WRITTEN]
