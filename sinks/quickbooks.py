"""QuickBooks Online: the accounting record of an approved action, made at most once per key.

- approved refund -> `RefundReceipt` (money paid back from `DepositToAccountRef`); a credit ->
  `CreditMemo`; a dispute, collections or renewal follow-up -> a tagged line in the customer's `Notes`.
- Customer found by e-mail (`select * from Customer where PrimaryEmailAddr = '<email>'`): one match
  is used, several are ambiguous (`needs_review`, never guessed), none: created (DisplayName
  `<name> (<email>)`, unique in QBO).
- `requestid` (query parameter, at most 50 characters, unique per request per company): QBO answers
  a repeated requestid with the first response and changes nothing, so a retry after a lost answer
  creates nothing new. Ours is `cs-` + 40 hex of sha256(write key | operation | body): deterministic,
  and different for the customer create, the receipt create and the note update of one action (one
  requestid reused for two different requests would be answered with the first one's response), and
  for a request corrected after an error (QBO would replay the stored error).
- QBO does not say how long it remembers a requestid, so every create is preceded by a lookup of
  the key it carries: `DocNumber` = `CS` + 19 hex of the same digest (DocNumber holds 21
  characters and is queryable), and `[cs:<DocNumber>]` in the `PrivateNote` for people. A note is
  found by that tag in the customer's `Notes`; its update is a sparse update with the `SyncToken`
  (a stale token is QBO's 400 code 5010: re-read and retry).
- OAuth 2.0: the access token (1 h) is refreshed through authlib's `AsyncOAuth2Client` with the
  refresh token; Intuit rotates refresh tokens, so the newest one is kept and handed to
  `on_refresh` (persist it: the old one stops working). A 401 refreshes once and repeats the call.
- realm id in the path (`/v3/company/<realm>/...`), `minorversion` pinned on every request.
- 429 (500 requests/min per realm, 10 concurrent) and 5xx: retryable with Retry-After; other 4xx:
  permanent, the reason is QBO's error code and message (never the request body).
No card, bank or tax data: everything is built from the redacted action (amount, invoice number,
call id, the already-redacted summary); no payment method, account number or tax field is ever set.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import warnings
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from pydantic import SecretStr

from schemas.models import WorkflowAction
from sinks.contract import (
    ALREADY_WRITTEN,
    NEEDS_REVIEW,
    WRITTEN,
    PermanentSinkError,
    RetryableSinkError,
    SinkOutcome,
    check_response,
    transport_error,
)
from sinks.http import json_body
from sinks.ratelimit import RateLimiter

with warnings.catch_warnings():
    # authlib 1.9 warns that it falls back to `httpx` when `httpx2` is absent: httpx is what we use.
    from authlib.deprecate import AuthlibDeprecationWarning

    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

VENDOR = "quickbooks"
MINOR_VERSION = "75"  # Intuit retired minor versions 1-74 (Aug 2025): 75 is the oldest still served
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
REQUEST_ID_MAX = 50
DOC_NUMBER_MAX = 21
NOTES_MAX = 2000  # Customer.Notes
PRIVATE_NOTE_MAX = 4000
REFUND_RECEIPT = "RefundReceipt"
CREDIT_MEMO = "CreditMemo"
NOTE = "note"
# What each workflow records once approved (the approvals loop may call the methods directly).
RECORDS = {
    "refund_approval": REFUND_RECEIPT,
    "billing_correction": CREDIT_MEMO,
    "charge_dispute": NOTE,
    "collections_log": NOTE,
    "renewal_failed": NOTE,
}
# OAuth errors a retry cannot fix: the company must be reconnected by a person.
_PERMANENT_OAUTH = frozenset({"invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type"})
_STALE_OBJECT = "5010"


def digest(key: str, operation: str = "") -> str:
    return hashlib.sha256(f"{key}|{operation}".encode()).hexdigest()


def request_id(key: str, operation: str, body: Any = None) -> str:
    """Deterministic per (write key, operation, body), within QBO's 50 characters. The body is in it
    because QBO replays the first *answer*, errors included: a request corrected after a 400 (say the
    refund account was set) must not be answered with the old 400; the DocNumber lookup covers it."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str) if body is not None else ""
    value = f"cs-{digest(key, f'{operation}|{canonical}')[:40]}"
    assert len(value) <= REQUEST_ID_MAX
    return value


def doc_number(key: str) -> str:
    """The key as a queryable DocNumber (21 characters at most)."""
    return f"CS{digest(key)[: DOC_NUMBER_MAX - 2].upper()}"


def quote(value: str) -> str:
    """A string literal of the QBO query language (a quote is escaped with a backslash)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fault_reason(response: httpx.Response) -> str:
    """QBO's error code and message (`Fault.Error[0]`), never `Detail` (it can echo our values)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    fault = body.get("Fault") if isinstance(body, dict) else None
    errors = fault.get("Error") if isinstance(fault, dict) else None
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return ""
    first = errors[0]
    return f" (code {first.get('code', '?')}: {str(first.get('Message', ''))[:120]})"


def fault_code(response: httpx.Response) -> str:
    try:
        return str(response.json()["Fault"]["Error"][0]["code"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


class QuickBooksTokens:
    """Access tokens from a refresh token, through authlib (client_secret_basic at Intuit's endpoint)."""

    def __init__(
        self,
        oauth: AsyncOAuth2Client,
        refresh_token: SecretStr,
        token_url: str = TOKEN_URL,
        on_refresh: Callable[[str], None] | None = None,
    ) -> None:
        self._oauth = oauth
        self._refresh_token = refresh_token.get_secret_value()
        self._token_url = token_url
        self._on_refresh = on_refresh
        self._access: str | None = None
        self._lock = asyncio.Lock()
        self.refreshes = 0

    @classmethod
    def create(
        cls,
        client_id: str,
        client_secret: SecretStr,
        refresh_token: SecretStr,
        token_url: str = TOKEN_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        on_refresh: Callable[[str], None] | None = None,
    ) -> QuickBooksTokens:
        oauth = AsyncOAuth2Client(
            client_id=client_id, client_secret=client_secret.get_secret_value(),
            token_endpoint_auth_method="client_secret_basic", transport=transport, timeout=timeout,
        )  # fmt: skip
        return cls(oauth, refresh_token, token_url, on_refresh)

    async def token(self) -> str:
        async with self._lock:
            if self._access is None or self._expired():
                await self._refresh()
            assert self._access is not None
            return self._access

    async def invalidate(self, rejected: str) -> None:
        """QBO answered 401 to `rejected`: the next `token()` refreshes (once, whoever asks first)."""
        async with self._lock:
            if self._access == rejected:
                self._access = None

    def _expired(self) -> bool:
        token = self._oauth.token
        return token is None or bool(token.is_expired(leeway=60))

    async def _refresh(self) -> None:
        try:
            token = await self._oauth.refresh_token(self._token_url, refresh_token=self._refresh_token)
        except OAuthError as error:
            if error.error in _PERMANENT_OAUTH:
                raise PermanentSinkError(
                    f"{VENDOR}: token refresh refused ({error.error}): reconnect the QuickBooks company"
                ) from None
            raise RetryableSinkError(f"{VENDOR}: token refresh failed ({error.error})") from None
        except httpx.HTTPError as error:
            raise transport_error(VENDOR, "token refresh", error) from None
        except ValueError:  # a non-JSON answer (a proxy page, a 5xx)
            raise RetryableSinkError(f"{VENDOR}: token refresh: unreadable answer") from None
        access = token.get("access_token") if token else None
        if not access:
            raise RetryableSinkError(f"{VENDOR}: token refresh: no access_token in the answer")
        self._access = str(access)
        self.refreshes += 1
        rotated = token.get("refresh_token")
        if rotated and rotated != self._refresh_token:
            self._refresh_token = str(rotated)
            if self._on_refresh is not None:
                self._on_refresh(self._refresh_token)


class QuickBooksClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        realm_id: str,
        tokens: QuickBooksTokens,
        refund_item_id: str,
        refund_account_id: str | None = None,
        home_currency: str = "USD",
        limiter: RateLimiter | None = None,
        minor_version: str = MINOR_VERSION,
    ) -> None:
        self._http = http
        self._base = f"{base_url.rstrip('/')}/v3/company/{realm_id}"
        self._tokens = tokens
        self._item = refund_item_id
        self._account = refund_account_id
        self._home_currency = home_currency.upper()
        self._limiter = limiter
        self._minor = minor_version

    # --- HTTP ---------------------------------------------------------------------------------

    async def _call(
        self, operation: str, method: str, path: str, params: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        query = {**(params or {}), "minorversion": self._minor}
        for attempt in (1, 2):
            token = await self._tokens.token()
            if self._limiter is not None:
                await self._limiter.acquire()
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            try:
                response = await self._http.request(
                    method, f"{self._base}{path}", params=query, headers=headers, **kwargs
                )
            except httpx.HTTPError as error:
                raise transport_error(VENDOR, operation, error) from None
            if response.status_code == 401 and attempt == 1:
                await self._tokens.invalidate(token)  # expired or revoked early: refresh once
                continue
            if response.status_code == 400 and fault_code(response) == _STALE_OBJECT:
                raise RetryableSinkError(f"{VENDOR} {operation}: stale SyncToken (someone edited it), re-reading")
            try:
                check_response(VENDOR, operation, response)
            except RetryableSinkError as error:
                if response.status_code == 429 and self._limiter is not None:
                    self._limiter.pause_for(error.retry_after if error.retry_after is not None else 1.0)
                raise
            except PermanentSinkError as error:
                raise PermanentSinkError(f"{error}{fault_reason(response)}") from None
            return json_body(VENDOR, operation, response)
        raise PermanentSinkError(f"{VENDOR} {operation}: HTTP 401 after a token refresh")  # pragma: no cover

    async def query(self, operation: str, entity: str, statement: str) -> list[dict[str, Any]]:
        body = await self._call(operation, "GET", "/query", {"query": statement})
        found = body.get("QueryResponse") if isinstance(body, dict) else None
        if not isinstance(found, dict):
            raise RetryableSinkError(f"{VENDOR} {operation}: no QueryResponse")
        rows = found.get(entity, [])
        return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []

    async def _create(self, operation: str, entity: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
        created = await self._call(
            operation, "POST", f"/{entity.lower()}", {"requestid": request_id(key, operation, body)}, json=body
        )
        obj = created.get(entity) if isinstance(created, dict) else None
        if not isinstance(obj, dict):
            raise RetryableSinkError(f"{VENDOR} {operation}: no {entity} in the answer")
        return obj

    # --- customers ----------------------------------------------------------------------------

    async def find_or_create_customer(self, action: WorkflowAction, key: str) -> dict[str, Any] | str:
        """The customer, or the reason a person must pick one."""
        email = (action.customer_email or "").strip()
        if not email:
            return "no customer e-mail on the action to find the QuickBooks customer by"
        statement = f"select * from Customer where PrimaryEmailAddr = {quote(email)}"
        found = await self.query("find customer", "Customer", statement)
        exact = [
            c for c in found if (c.get("PrimaryEmailAddr") or {}).get("Address", "").casefold() == email.casefold()
        ]
        if len(exact) > 1:
            return f"{len(exact)} QuickBooks customers have this e-mail: pick one"
        if exact:
            return exact[0]
        name = (action.customer_name or "").strip()
        display = f"{name} ({email})" if name else email
        body: dict[str, Any] = {"DisplayName": display[:500], "PrimaryEmailAddr": {"Address": email}}
        if name:
            body["GivenName"], _, family = name.partition(" ")
            if family:
                body["FamilyName"] = family
        return await self._create("create customer", "Customer", key, body)

    # --- records ------------------------------------------------------------------------------

    def _private_note(self, action: WorkflowAction, number: str) -> str:
        lines = [f"[cs:{number}] callstream, DialNexa call {action.call_id}, {action.workflow}/{action.action}"]
        if action.invoice_number:
            lines.append(f"Invoice: {action.invoice_number}")
        if action.summary:
            lines.append(action.summary)  # redacted upstream: the only free text we carry
        return "\n".join(lines)[:PRIVATE_NOTE_MAX]

    def transaction_body(self, action: WorkflowAction, key: str, entity: str, customer_id: str) -> dict[str, Any]:
        if action.amount is None or action.amount.amount <= Decimal(0):
            raise PermanentSinkError(f"{VENDOR}: the action has no positive amount for a {entity}")
        number = doc_number(key)
        description = (
            f"{'Refund' if entity == REFUND_RECEIPT else 'Credit'} approved for DialNexa call {action.call_id}"
        )
        if action.invoice_number:
            description += f", invoice {action.invoice_number}"
        amount = float(action.amount.amount.quantize(Decimal("0.01")))
        body: dict[str, Any] = {
            "DocNumber": number,
            "CustomerRef": {"value": customer_id},
            "PrivateNote": self._private_note(action, number),
            "Line": [
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": amount,
                    "Description": description,
                    "SalesItemLineDetail": {"ItemRef": {"value": self._item}, "Qty": 1, "UnitPrice": amount},
                }
            ],
        }
        if action.amount.currency.upper() != self._home_currency:
            body["CurrencyRef"] = {"value": action.amount.currency.upper()}  # needs multicurrency in QBO
        if entity == REFUND_RECEIPT:
            if not self._account:
                raise PermanentSinkError(f"{VENDOR}: no refund account set (CALLSTREAM_QUICKBOOKS_REFUND_ACCOUNT_ID)")
            body["DepositToAccountRef"] = {"value": self._account}
        return body

    async def record_transaction(self, action: WorkflowAction, key: str, entity: str) -> SinkOutcome:
        number = doc_number(key)
        existing = await self.query(
            f"find {entity}", entity, f"select * from {entity} where DocNumber = {quote(number)}"
        )
        if existing:
            return SinkOutcome(ALREADY_WRITTEN, f"{entity}/{existing[0].get('Id')}", f"{entity} found by DocNumber")
        customer = await self.find_or_create_customer(action, key)
        if isinstance(customer, str):
            return SinkOutcome(NEEDS_REVIEW, None, customer)
        body = self.transaction_body(action, key, entity, str(customer.get("Id")))
        created = await self._create(f"create {entity}", entity, key, body)
        return SinkOutcome(WRITTEN, f"{entity}/{created.get('Id')}", f"{entity} {number} created")

    async def add_note(self, action: WorkflowAction, key: str) -> SinkOutcome:
        customer = await self.find_or_create_customer(action, key)
        if isinstance(customer, str):
            return SinkOutcome(NEEDS_REVIEW, None, customer)
        tag = f"[cs:{doc_number(key)}]"
        notes = str(customer.get("Notes") or "")
        ref = f"Customer/{customer.get('Id')}"
        if tag in notes:
            return SinkOutcome(ALREADY_WRITTEN, ref, "note already on the customer")
        line = f"{tag} {action.created_at.date().isoformat()} {action.workflow}: {action.next_step}"
        if action.invoice_number:
            line += f" (invoice {action.invoice_number})"
        line += f"; DialNexa call {action.call_id}"
        updated = f"{notes}\n{line}" if notes else line
        if len(updated) > NOTES_MAX:
            return SinkOutcome(NEEDS_REVIEW, ref, "the customer's QuickBooks notes are full (2000 characters)")
        body = {"Id": customer.get("Id"), "SyncToken": customer.get("SyncToken"), "sparse": True, "Notes": updated}
        await self._call("update customer notes", "POST", "/customer",
                         {"requestid": request_id(key, "update customer notes", body)}, json=body)  # fmt: skip
        return SinkOutcome(WRITTEN, ref, "note added to the customer")

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        record = RECORDS.get(action.workflow)
        if record is None:
            raise PermanentSinkError(f"{VENDOR}: no QuickBooks record for workflow {action.workflow}")
        if record == NOTE:
            return await self.add_note(action, key)
        return await self.record_transaction(action, key, record)
