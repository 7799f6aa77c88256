"""Google Sheets: the exception review queue, one row per action, appended in batches.

Sheets has no idempotency: a retried append after a lost response duplicates the row. So column A
is the key column holding the idempotency key, and every batch is read-before-append:
`GET values/<sheet>!A:A`, keys already there are reported `already_written` (with their row), the rest
go in ONE `values:append` (`valueInputOption=RAW`, so a summary starting with `=` is never run as
a formula; `insertDataOption=INSERT_ROWS`). The appended range (`updates.updatedRange`) is what the
ledger keeps. Single writer per key (one agent per topic, concurrency 1, key -> partition) keeps
the read-then-append race-free. Quotas: 60 reads and 60 writes per minute per user, so a batch costs
one read and one write whatever its size (up to `google_sheets_batch_rows`).

Row 1 is the header (`COLUMNS`, a fixed order; new columns only at the end). The key-column read
that precedes every batch shows whether A1 is the header label; if not, one atomic `batchUpdate`
inserts a row above row 1 with the labels (and freezes it), so existing rows are never overwritten
and re-running adds nothing. Within a worker the lanes share a lock around that; two workers
inserting in the same instant would leave a second, identical header row, which is never read as a key.

Credentials: a static bearer token (`GOOGLE_SHEETS_TOKEN`) or a service-account key file
(`GOOGLE_APPLICATION_CREDENTIALS`) through google-auth, refreshed in a thread when expired.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import httpx
from pydantic import SecretStr

from schemas.models import WorkflowAction
from sinks.contract import ALREADY_WRITTEN, WRITTEN, PermanentSinkError, RetryableSinkError, SinkOutcome
from sinks.http import call, json_body
from sinks.ratelimit import RateLimiter

VENDOR = "sheets"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
# The review sheet's columns, in a fixed order (documented in sinks/README.md): existing sheets keep
# their columns when this grows, so new columns only ever go at the end. Row 1 is this header.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("A", "callstream key"),  # the write key; the header's own A1 is never a key (keys contain ':')
    ("B", "call id"), ("C", "workflow"), ("D", "action"), ("E", "status"), ("F", "urgency"), ("G", "owner"),
    ("H", "next step"), ("I", "reason"), ("J", "confidence"), ("K", "customer email"), ("L", "amount"),
    ("M", "invoice number"), ("N", "summary"), ("O", "record link"), ("P", "call link"), ("Q", "created at"),
    ("R", "deadline"), ("S", "decision"),
)  # fmt: skip
HEADER: tuple[str, ...] = tuple(label for _, label in COLUMNS)
KEY_LABEL = HEADER[0]
LAST_COLUMN = COLUMNS[-1][0]
_RANGE_ROWS = re.compile(r"![A-Z]+(\d+)(?::[A-Z]+(\d+))?$")


def review_row(action: WorkflowAction, key: str) -> list[str]:
    """The row finance works from: no recording link (private), summary already redacted. The
    decision column is left empty for the reviewer (appends never touch an existing row)."""
    amount = f"{action.amount.amount} {action.amount.currency}" if action.amount else ""
    deadline = action.follow_up_deadline.isoformat() if action.follow_up_deadline else ""
    return [
        key, action.call_id, action.workflow, action.action, action.status, action.urgency, action.owner,
        action.next_step, "; ".join(action.review_reasons), f"{action.confidence:.2f}", action.customer_email or "",
        amount, action.invoice_number or "", (action.summary or "")[:500], action.record_url or "",
        action.transcript_url or "", action.created_at.isoformat(), deadline, "",
    ]  # fmt: skip


def rows_of_range(updated_range: str) -> tuple[str, int, int] | None:
    """'Review!A12:Q14' -> ('Review', 12, 14)."""
    sheet, _, _cells = updated_range.rpartition("!")
    match = _RANGE_ROWS.search(updated_range)
    if not match or not sheet:
        return None
    first = int(match.group(1))
    return sheet, first, int(match.group(2) or first)


class TokenSource(Protocol):
    async def token(self) -> str: ...


class StaticToken:
    def __init__(self, token: SecretStr) -> None:
        self._token = token

    async def token(self) -> str:
        return self._token.get_secret_value()


class ServiceAccountToken:
    """google-auth service-account credentials; the blocking refresh runs in a thread.

    `subject`: domain-wide delegation (the Workspace user the service account acts as, e.g. Gmail's
    sender). `invalidate(token)`: the API answered 401 to that token, so the next `token()` refreshes."""

    def __init__(
        self, key_file: Path, scopes: Sequence[str] = SCOPES, subject: str | None = None, vendor: str = VENDOR
    ) -> None:
        from google.oauth2 import service_account  # imported here: only needed with a key file

        credentials = service_account.Credentials.from_service_account_file(str(key_file), scopes=list(scopes))
        self._credentials = credentials.with_subject(subject) if subject else credentials
        self._vendor = vendor
        self._stale = False
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            if self._stale or not self._credentials.valid:
                from google.auth.exceptions import GoogleAuthError
                from google.auth.transport.requests import Request

                try:
                    await asyncio.to_thread(self._credentials.refresh, Request())
                except GoogleAuthError as error:
                    raise RetryableSinkError(f"{self._vendor}: token refresh failed ({type(error).__name__})") from None
                self._stale = False
            return str(self._credentials.token)

    async def invalidate(self, rejected: str) -> None:
        async with self._lock:
            if str(self._credentials.token) == rejected:
                self._stale = True


class SheetsClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        spreadsheet_id: str,
        tokens: TokenSource,
        sheet: str = "Review",
        read_limiter: RateLimiter | None = None,
        write_limiter: RateLimiter | None = None,
    ) -> None:
        self._http = http
        self._spreadsheet = f"{base_url.rstrip('/')}/v4/spreadsheets/{quote(spreadsheet_id, safe='')}"
        self._values = f"{self._spreadsheet}/values"
        self._header_lock = asyncio.Lock()
        self._sheet_id_cache: int | None = None
        self._header_inserted = False
        self._tokens = tokens
        self._sheet = sheet
        self._read_limiter = read_limiter
        self._write_limiter = write_limiter
        self.requests = 0  # reads + writes made, for the benchmark's requests-per-event figure

    def _range(self, cells: str) -> str:
        return quote(f"{self._sheet}!{cells}", safe="")

    async def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self._tokens.token()}"}

    async def _key_column(self) -> list[str]:
        self.requests += 1
        response = await call(
            self._http, VENDOR, "read key column", "GET", f"{self._values}/{self._range('A:A')}", self._read_limiter,
            headers=await self._headers(), params={"majorDimension": "COLUMNS"},
        )  # fmt: skip
        body = json_body(VENDOR, "read key column", response)
        columns = (body.get("values") or []) if isinstance(body, dict) else []
        return [str(value) for value in (columns[0] if columns else [])]

    async def existing_keys(self) -> dict[str, int]:
        """Key column -> row number (1-based) of every key already in the sheet; the header row is
        written first when row 1 is not the header."""
        column = await self._key_column()
        if not column or column[0] != KEY_LABEL:
            async with self._header_lock:  # the lanes of this worker share the client: one insert
                if not self._header_inserted:
                    await self._insert_header()
                    self._header_inserted = True
            # Our read came before the insert (ours, or a sibling lane's): every row moved down one.
            column = [KEY_LABEL, *column]
        # A header label anywhere (a second worker's header in the same instant) is never a key.
        return {value: row for row, value in enumerate(column, start=1) if value and value != KEY_LABEL}

    async def _sheet_id(self) -> int:
        if self._sheet_id_cache is None:
            self.requests += 1
            response = await call(
                self._http, VENDOR, "read sheet properties", "GET", self._spreadsheet, self._read_limiter,
                headers=await self._headers(), params={"fields": "sheets.properties(sheetId,title)"},
            )  # fmt: skip
            body = json_body(VENDOR, "read sheet properties", response)
            sheets = (body.get("sheets") or []) if isinstance(body, dict) else []
            properties = [sheet.get("properties") or {} for sheet in sheets if isinstance(sheet, dict)]
            ids = [p["sheetId"] for p in properties if p.get("title") == self._sheet and "sheetId" in p]
            if not ids:
                raise PermanentSinkError(f"sheets: the spreadsheet has no sheet named {self._sheet!r}")
            self._sheet_id_cache = int(ids[0])
        return self._sheet_id_cache

    async def _insert_header(self) -> None:
        """One atomic batchUpdate: insert a row above row 1 and write the labels into it. Inserting,
        not overwriting: a sheet that already has rows without a header (or rows another writer
        appended a moment ago) keeps every one of them."""
        sheet_id = await self._sheet_id()
        cells = [{"userEnteredValue": {"stringValue": label}} for label in HEADER]
        requests = [
            {"insertDimension": {"range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 0, "endIndex": 1},
                                 "inheritFromBefore": False}},
            {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                             "rows": [{"values": cells}], "fields": "userEnteredValue"}},
            {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                                       "fields": "gridProperties.frozenRowCount"}},
        ]  # fmt: skip
        self.requests += 1
        await call(
            self._http, VENDOR, "write header row", "POST", f"{self._spreadsheet}:batchUpdate", self._write_limiter,
            headers=await self._headers(), json={"requests": requests},
        )  # fmt: skip

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        [outcome] = await self.write_batch([(action, key)])
        return outcome

    async def write_batch(self, items: Sequence[tuple[WorkflowAction, str]]) -> list[SinkOutcome]:
        """Append the rows not yet in the sheet in one request. All-or-nothing, like the API itself."""
        existing = await self.existing_keys()
        outcomes: dict[str, SinkOutcome] = {}
        new_rows: list[list[str]] = []
        new_keys: list[str] = []
        for action, key in items:
            if key in existing:
                outcomes[key] = SinkOutcome(ALREADY_WRITTEN, f"{self._sheet}!A{existing[key]}", "row already in sheet")
            elif key not in new_keys:  # the same key twice in one batch (a redelivery): one row
                new_keys.append(key)
                new_rows.append(review_row(action, key))
        if new_rows:
            self.requests += 1
            response = await call(
                self._http, VENDOR, "append rows", "POST", f"{self._values}/{self._range('A1')}:append",
                self._write_limiter, headers=await self._headers(),
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                json={"range": f"{self._sheet}!A1", "majorDimension": "ROWS", "values": new_rows},
            )  # fmt: skip
            body = json_body(VENDOR, "append rows", response)
            updated = (body.get("updates") or {}).get("updatedRange", "") if isinstance(body, dict) else ""
            span = rows_of_range(str(updated))
            if span is None or span[2] - span[1] + 1 != len(new_rows):
                # The rows may well be there: a retry re-reads the key column and finds them.
                raise RetryableSinkError("sheets append: the response does not say where the rows went")
            sheet, first, _ = span
            for offset, key in enumerate(new_keys):
                detail = f"appended in a batch of {len(new_rows)}"
                outcomes[key] = SinkOutcome(WRITTEN, f"{sheet}!A{first + offset}", detail)
        return [outcomes[key] for _, key in items]
