"""Fake QuickBooks Online and Gmail, served by the same app as the other fakes (tests/fakes/vendors.py).

QuickBooks Online, as documented (sinks/README.md):
- `POST /oauth2/v1/tokens/bearer` (Basic client auth, `grant_type=refresh_token`): a new access
  token (1 h) and a rotated refresh token; the previous refresh token keeps working until the new
  one is used (Intuit's rotation); anything else: 400 `invalid_grant`.
- Bearer access token on every `/v3/company/<realm>/...` call, else 401 (`revoke_access` forgets
  every access token: what an early expiry looks like).
- `requestid` query parameter: a repeated requestid (per realm) gets the first response again and
  changes nothing (`requestid_window` seconds; 0 = forgotten at once).
- `GET query?query=select * from <Entity> where <Field> = '<value>'` (backslash escapes), answered
  as `{"QueryResponse": {"<Entity>": [...]}}`; `PrimaryEmailAddr` compares the address.
- `POST customer` creates (DisplayName unique: 400 code 6240) or, with `Id` + `sparse`, updates
  (stale `SyncToken`: 400 code 5010); `POST refundreceipt` (needs `DepositToAccountRef`, code 2020)
  and `POST creditmemo`, both need `Line[].SalesItemLineDetail.ItemRef` and a known `CustomerRef`.
  Errors in QBO's `Fault.Error[]` shape. Every request's `minorversion` is recorded.
Gmail:
- Bearer token (`ya29.` from the fake `/token`, or any static one) else 401; `revoke_access`.
- `POST /gmail/v1/users/<user>/messages/send {"raw": base64url RFC 2822}`: parsed with the
  `email` package (400 without a valid To), stored with its Message-ID. No idempotency.
- `GET /gmail/v1/users/<user>/messages?q=rfc822msgid:<id>`: the sent mail with that Message-ID, once
  it is `gmail_index_lag` seconds old (Gmail's search index lags a little); `resultSizeEstimate`.
- With `gmail_units_per_minute`, a send (100 units) or list (5) over the per-user budget of the last
  60 s: 429 `userRateLimitExceeded`.
"""

from __future__ import annotations

import base64
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

from aiohttp import web

_QUERY = re.compile(r"^\s*select \* from (\w+) where (\w+) = '((?:[^'\\]|\\.)*)'\s*$", re.IGNORECASE)
_TAG = re.compile(r"\[cs:([^\]]+)\]")


@dataclass
class BooksMailState:
    qbo_access: set[str] = field(default_factory=set)
    qbo_refresh: list[str] = field(default_factory=lambda: ["qbo-rt-0"])  # [previous?, current]
    qbo_refreshes: int = 0
    qbo_customers: dict[str, dict[str, Any]] = field(default_factory=dict)  # Id -> customer
    qbo_transactions: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"RefundReceipt": {}, "CreditMemo": {}}
    )
    qbo_replays: dict[tuple[str, str], tuple[float, int, Any]] = field(default_factory=dict)
    qbo_creates: Counter[str] = field(default_factory=Counter)  # "<Entity>:<DocNumber or email>" -> creates
    qbo_minor_versions: Counter[str] = field(default_factory=Counter)
    qbo_realms: Counter[str] = field(default_factory=Counter)
    requestid_window: float = 86400.0
    google_assertions: list[str] = field(default_factory=list)  # JWT grants seen by the fake /token
    gmail_access_revoked: set[str] = field(default_factory=set)
    gmail_sent: list[dict[str, Any]] = field(default_factory=list)
    gmail_index_lag: float = 0.0
    gmail_units_per_minute: float | None = None
    gmail_units: list[tuple[float, int]] = field(default_factory=list)
    next_id: int = 100

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)


def books_mail_writes(books: BooksMailState) -> dict[str, dict[str, int]]:
    notes: Counter[str] = Counter()
    for customer in books.qbo_customers.values():
        notes.update(_TAG.findall(str(customer.get("Notes") or "")))
    by_entity: dict[str, Counter[str]] = {"Customer": Counter(), "RefundReceipt": Counter(), "CreditMemo": Counter()}
    for key, count in books.qbo_creates.items():
        entity, _, ref = key.partition(":")
        by_entity.setdefault(entity, Counter())[ref] += count
    return {
        "quickbooks.customer": dict(by_entity["Customer"]),
        "quickbooks.refund_receipt": dict(by_entity["RefundReceipt"]),
        "quickbooks.credit_memo": dict(by_entity["CreditMemo"]),
        "quickbooks.note": dict(notes),
        "gmail.message": dict(Counter(str(m["message_id"]) for m in books.gmail_sent)),
    }


def _fault(status: int, code: str, message: str, kind: str = "ValidationFault") -> web.Response:
    body = {"Fault": {"Error": [{"Message": message, "Detail": message, "code": code}], "type": kind}}
    return web.json_response(body, status=status)


def _unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def add_books_mail_routes(routes: web.RouteTableDef, books: BooksMailState) -> None:
    # --- QuickBooks Online ------------------------------------------------------------------------

    @routes.post("/oauth2/v1/tokens/bearer")
    async def qbo_token(request: web.Request) -> web.Response:
        form = await request.post()
        if not request.headers.get("Authorization", "").startswith("Basic "):
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in books.qbo_refresh:
            return web.json_response({"error": "invalid_grant"}, status=400)
        books.qbo_refreshes += 1
        if form.get("refresh_token") == books.qbo_refresh[-1]:
            books.qbo_refresh = [books.qbo_refresh[-1], f"qbo-rt-{books.qbo_refreshes}"]
        access = f"qbo-at-{books.new_id()}"
        books.qbo_access.add(access)
        return web.json_response({
            "access_token": access, "token_type": "bearer", "expires_in": 3600,
            "refresh_token": books.qbo_refresh[-1], "x_refresh_token_expires_in": 8726400,
        })  # fmt: skip

    def qbo_auth(request: web.Request) -> web.Response | None:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in books.qbo_access:
            return _fault(401, "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                          "AUTHENTICATION")  # fmt: skip
        books.qbo_minor_versions[request.query.get("minorversion", "")] += 1
        books.qbo_realms[request.match_info["realm"]] += 1
        return None

    @routes.get("/v3/company/{realm}/query")
    async def qbo_query(request: web.Request) -> web.Response:
        if (denied := qbo_auth(request)) is not None:
            return denied
        match = _QUERY.match(request.query.get("query", ""))
        if match is None:
            return _fault(400, "4000", "Error parsing query", "ValidationFault")
        entity, prop, value = match.group(1), match.group(2), _unquote(match.group(3))
        table = books.qbo_customers if entity == "Customer" else books.qbo_transactions.get(entity)
        if table is None:
            return _fault(400, "4001", f"Invalid entity {entity}")

        def value_of(obj: dict[str, Any]) -> str:
            found = obj.get(prop)
            return str(found.get("Address", "")) if isinstance(found, dict) else str(found or "")

        rows = [obj for obj in table.values() if value_of(obj).casefold() == value.casefold()]
        response: dict[str, Any] = {"startPosition": 1, "maxResults": len(rows)} if rows else {}
        if rows:
            response[entity] = rows
        return web.json_response({"QueryResponse": response, "time": "2026-12-03T10:00:00.000-08:00"})

    async def replayed(request: web.Request, handler: Any) -> web.Response:
        """QBO's requestid: the first response again, nothing applied."""
        if (denied := qbo_auth(request)) is not None:
            return denied
        body = await request.json()
        request_id = request.query.get("requestid")
        now = time.monotonic()
        key = (request.match_info["realm"], request_id or "")
        if request_id and key in books.qbo_replays:
            at, status, stored = books.qbo_replays[key]
            if now - at < books.requestid_window:
                return web.json_response(stored, status=status)
        status, answer = handler(body)
        if request_id:
            books.qbo_replays[key] = (now, status, answer)
        return web.json_response(answer, status=status)

    def fault_body(code: str, message: str) -> tuple[int, Any]:
        return 400, {"Fault": {"Error": [{"Message": message, "Detail": message, "code": code}],
                               "type": "ValidationFault"}}  # fmt: skip

    def customer_write(body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("Id"):
            customer = books.qbo_customers.get(str(body["Id"]))
            if customer is None:
                return fault_body("610", "Object Not Found")
            if str(body.get("SyncToken")) != customer["SyncToken"]:
                return fault_body("5010", "Stale Object Error")
            changes = {k: v for k, v in body.items() if k not in ("Id", "SyncToken", "sparse")}
            customer.update(changes)
            customer["SyncToken"] = str(int(customer["SyncToken"]) + 1)
            return 200, {"Customer": customer}
        name = str(body.get("DisplayName") or "")
        if not name:
            return fault_body("2020", "Required param missing, need to supply the required value for the API")
        if any(c.get("DisplayName") == name for c in books.qbo_customers.values()):
            return fault_body("6240", "Duplicate Name Exists Error")
        customer = {**body, "Id": books.new_id(), "SyncToken": "0", "Active": True, "Notes": body.get("Notes", "")}
        books.qbo_customers[customer["Id"]] = customer
        email = str((body.get("PrimaryEmailAddr") or {}).get("Address", ""))
        books.qbo_creates[f"Customer:{email}"] += 1
        return 200, {"Customer": customer}

    def transaction_write(entity: str) -> Any:
        def write(body: dict[str, Any]) -> tuple[int, Any]:
            lines = body.get("Line") or []
            if not lines or not all((line.get("SalesItemLineDetail") or {}).get("ItemRef") for line in lines):
                return fault_body("2020", "Required param missing: Line.SalesItemLineDetail.ItemRef")
            if str((body.get("CustomerRef") or {}).get("value")) not in books.qbo_customers:
                return fault_body("2500", "Invalid Reference Id: CustomerRef")
            if entity == "RefundReceipt" and not body.get("DepositToAccountRef"):
                return fault_body("2020", "Required param missing: DepositToAccountRef")
            record = {**body, "Id": books.new_id(), "SyncToken": "0",
                      "TotalAmt": sum(float(line.get("Amount", 0)) for line in lines)}  # fmt: skip
            books.qbo_transactions[entity][record["Id"]] = record
            books.qbo_creates[f"{entity}:{body.get('DocNumber', '')}"] += 1
            return 200, {entity: record}

        return write

    @routes.post("/v3/company/{realm}/customer")
    async def qbo_customer(request: web.Request) -> web.Response:
        return await replayed(request, customer_write)

    @routes.post("/v3/company/{realm}/refundreceipt")
    async def qbo_refund(request: web.Request) -> web.Response:
        return await replayed(request, transaction_write("RefundReceipt"))

    @routes.post("/v3/company/{realm}/creditmemo")
    async def qbo_credit(request: web.Request) -> web.Response:
        return await replayed(request, transaction_write("CreditMemo"))

    # --- Gmail -------------------------------------------------------------------------------

    def gmail_error(status: int, reason: str, message: str) -> web.Response:
        return web.json_response(
            {"error": {"code": status, "message": message, "errors": [{"reason": reason, "message": message}]}},
            status=status,
        )

    def gmail_check(request: web.Request, units: int) -> web.Response | None:
        token = request.headers.get("Authorization", "")
        if not token.startswith("Bearer ") or token.removeprefix("Bearer ") in books.gmail_access_revoked:
            return gmail_error(401, "authError", "Invalid Credentials")
        if books.gmail_units_per_minute is not None:
            now = time.monotonic()
            books.gmail_units = [(t, u) for t, u in books.gmail_units if now - t < 60]
            if sum(u for _, u in books.gmail_units) + units > books.gmail_units_per_minute:
                return gmail_error(429, "userRateLimitExceeded", "User-rate limit exceeded")
            books.gmail_units.append((now, units))
        return None

    @routes.post("/gmail/v1/users/{user}/messages/send")
    async def gmail_send(request: web.Request) -> web.Response:
        if (denied := gmail_check(request, 100)) is not None:
            return denied
        body = await request.json()
        encoded = str(body.get("raw") or "")
        try:
            data = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            message = message_from_bytes(data, policy=default_policy)
        except (ValueError, TypeError):
            return gmail_error(400, "invalidArgument", "Invalid raw")
        if not encoded or not message.get("To"):
            return gmail_error(400, "invalidArgument", "Recipient address required")
        sent = {
            "id": f"18c{books.new_id()}", "threadId": f"18c{books.new_id()}", "at": time.monotonic(),
            "message_id": str(message.get("Message-ID", "")), "to": str(message["To"]),
            "subject": str(message.get("Subject", "")), "body": message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            if message.get_body(("plain",)) is not None else "", "raw": data.decode("utf-8", "replace"),
        }  # fmt: skip
        books.gmail_sent.append(sent)
        return web.json_response({"id": sent["id"], "threadId": sent["threadId"], "labelIds": ["SENT"]})

    @routes.get("/gmail/v1/users/{user}/messages")
    async def gmail_list(request: web.Request) -> web.Response:
        if (denied := gmail_check(request, 5)) is not None:
            return denied
        query = request.query.get("q", "")
        now = time.monotonic()
        if query.startswith("rfc822msgid:"):
            wanted = query.removeprefix("rfc822msgid:").strip().strip("<>")
            found = [m for m in books.gmail_sent
                     if m["message_id"].strip("<>") == wanted and now - m["at"] >= books.gmail_index_lag]  # fmt: skip
        else:
            found = list(books.gmail_sent)
        if not found:
            return web.json_response({"resultSizeEstimate": 0})
        messages = [{"id": m["id"], "threadId": m["threadId"]} for m in found]
        return web.json_response({"messages": messages, "resultSizeEstimate": len(messages)})
