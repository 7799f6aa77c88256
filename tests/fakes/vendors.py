"""One aiohttp app serving the four fake vendors (their paths do not overlap) plus a control API.

Vendor behaviour, as documented (api_facts.md):
- Altoviz: `X-API-KEY` required; `/v1/{Contacts,Customers,SaleInvoices}/Find` return bare arrays;
  `POST /v1/Contacts`; `GET/PUT /v1/Customers/{id}`; `GET/PUT /v1/SaleInvoices/{id}`;
  `POST /v1/SaleInvoices/Send/{id}` (JSON array of emails; sets `sentAt`). No idempotency.
- Zendesk: Basic auth; `POST /api/v2/tickets` -> 201, `Idempotency-Key` replays the first response for
  `zendesk_window` seconds with `x-idempotency-lookup: hit` (first use `miss`), 400
  `IdempotentRequestError` when the body differs, 409 while the first request is in flight;
  `GET /api/v2/tickets.json?external_id=` lists tickets.
- Sheets: Bearer auth; `GET values/{sheet}!A:A` (COLUMNS), `POST values/{range}:append`
  (`valueInputOption` required) -> `updates.updatedRange`; no idempotency; `GET /v4/spreadsheets/{id}`
  (sheets.properties: every spreadsheet has `Sheet1` and `Review`); `POST /v4/spreadsheets/{id}:batchUpdate`
  with `insertDimension` (ROWS), `updateCells` (userEnteredValue.stringValue) and
  `updateSheetProperties`, applied atomically (one bad request: 400, nothing applied); `POST /token`
  answers a service-account JWT grant.
- Slack incoming webhook: `POST /services/...` -> 200 `ok`; 400 `invalid_payload` without text.
- Slack Web API under `/api/` (base URL `<fakes>/api`), Bearer bot token: `chat.postMessage` (JSON or
  form; channel by id or name) -> `{ok, channel, ts, message}`, `chat.update` (channel id + ts),
  `conversations.history` (channel id; `oldest`, `latest`, `inclusive`, `limit` <= 999, `cursor`;
  newest first, `has_more`, `response_metadata.next_cursor`). Errors as Slack gives them: HTTP 200
  with `ok: false` (`not_authed`, `invalid_auth`, `channel_not_found`, `no_text`,
  `message_not_found`); with `slack_posts_per_second` configured, more posts to one channel than
  that in a second get HTTP 429 `Retry-After: 1` `{ok: false, error: ratelimited}`.

Misbehaviour (`POST /_fake/faults`, a list of rules, each for one vendor): `status` (e.g. 500 or 429
with `retry_after`), `slow` (apply, then answer after `delay` s), `drop` (apply, then close the
connection without an answer), `drop_before` (close the connection before the request is processed:
nothing applied), each for the next `count` requests, during `seconds`, and/or with
`probability`. Writes per key: `GET /_fake/writes`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.books_mail import BooksMailState, add_books_mail_routes, books_mail_writes

VENDORS = ("altoviz", "zendesk", "sheets", "slack", "quickbooks", "gmail")
STATE: web.AppKey[State] = web.AppKey("state")
_TAG = re.compile(r"\[cs:([^\]]+)\]")
_REF = re.compile(r"ref: (\S+)")
SHEETS_HEADER_KEY = "callstream key"  # A1 of the review sheet's header row (sinks/sheets.py)
SHEET_TITLES = ("Sheet1", "Review")


@dataclass
class Fault:
    vendor: str
    mode: str  # status | slow | drop | drop_before
    status: int = 500
    retry_after: float | None = None
    delay: float = 0.0
    count: int | None = None  # None: no count limit
    until: float | None = None  # monotonic deadline; None: no time limit
    probability: float = 1.0
    writes_only: bool = False
    after: int = 0  # let this many matching requests through first (e.g. fail the 2nd write, not the 1st)

    def live(self, now: float) -> bool:
        return (self.count is None or self.count > 0) and (self.until is None or now < self.until)


@dataclass
class State:
    contacts: list[dict[str, Any]] = field(default_factory=list)
    customers: dict[int, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[int, dict[str, Any]] = field(default_factory=dict)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    idempotency: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))
    slack: list[str] = field(default_factory=list)  # text of every Slack message, webhook or Web API
    # Web API messages: channel id -> messages in post order ({"ts", "text", "index" into `slack`}).
    slack_channels: dict[str, str] = field(default_factory=lambda: {"finance-approvals": "C0FINANCE1"})
    slack_history: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    slack_posts_per_second: float | None = None
    slack_post_times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    slack_seq: int = 0
    sends: Counter[str] = field(default_factory=Counter)  # invoice number -> Send calls applied
    contact_creates: Counter[str] = field(default_factory=Counter)  # internalId -> creates
    customer_creates: Counter[str] = field(default_factory=Counter)  # internalId -> creates
    requests: list[tuple[str, str, float]] = field(default_factory=list)  # (vendor, read|write, time)
    faults: list[Fault] = field(default_factory=list)
    zendesk_window: float = 7200.0
    books: BooksMailState = field(default_factory=BooksMailState)  # QuickBooks Online + Gmail (books_mail.py)
    next_id: int = 1000
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


def _vendor_of(path: str) -> str | None:
    if path.startswith("/v1/"):
        return "altoviz"
    if path.startswith("/api/v2/"):
        return "zendesk"
    if path.startswith("/v4/"):
        return "sheets"
    if path.startswith(("/services/", "/api/chat.", "/api/conversations.")):
        return "slack"
    if path.startswith("/v3/company/"):
        return "quickbooks"
    if path.startswith("/gmail/v1/"):
        return "gmail"
    return None


def writes(state: State) -> dict[str, dict[str, int]]:
    """Applied writes per vendor object and idempotency key (what the crash test counts)."""
    notes: Counter[str] = Counter()
    for customer in state.customers.values():
        notes.update(_TAG.findall(customer.get("internalNotes") or ""))
    rows: Counter[str] = Counter(
        row[0] for sheet in state.rows.values() for row in sheet if row and row[0] != SHEETS_HEADER_KEY
    )
    headers: Counter[str] = Counter(
        row[0] for sheet in state.rows.values() for row in sheet if row and row[0] == SHEETS_HEADER_KEY
    )
    tickets: Counter[str] = Counter(str(ticket.get("external_id")) for ticket in state.tickets)
    slack: Counter[str] = Counter(match for text in state.slack for match in _REF.findall(text))
    return {
        "altoviz.contact": dict(state.contact_creates),
        "altoviz.customer": dict(state.customer_creates),
        "altoviz.note": dict(notes),
        "altoviz.send": dict(state.sends),
        "zendesk.ticket": dict(tickets),
        "sheets.row": dict(rows),
        "sheets.header": dict(headers),
        "slack.message": dict(slack),
        **books_mail_writes(state.books),
    }


def build_app(state: State | None = None) -> web.Application:
    state = state or State()
    app = web.Application(middlewares=[_faults_middleware])
    app[STATE] = state
    routes = web.RouteTableDef()

    # --- control ---------------------------------------------------------------------------------

    @routes.post("/_fake/faults")
    async def add_faults(request: web.Request) -> web.Response:
        now = time.monotonic()
        for rule in await request.json():
            seconds = rule.pop("seconds", None)
            state.faults.append(Fault(**rule, until=now + seconds if seconds is not None else None))
        return web.json_response({"faults": len(state.faults)})

    @routes.delete("/_fake/faults")
    async def clear_faults(request: web.Request) -> web.Response:
        state.faults.clear()
        return web.json_response({"faults": 0})

    @routes.get("/_fake/writes")
    async def get_writes(request: web.Request) -> web.Response:
        return web.json_response(writes(state))

    @routes.get("/_fake/sheet")
    async def get_sheet(request: web.Request) -> web.Response:
        return web.json_response(state.rows.get(f"{request.query['sid']}/{request.query['sheet']}", []))

    @routes.get("/_fake/requests")
    async def get_requests(request: web.Request) -> web.Response:
        return web.json_response([list(entry) for entry in state.requests])

    @routes.post("/_fake/config")
    async def config(request: web.Request) -> web.Response:
        body = await request.json()
        if "zendesk_window" in body:
            state.zendesk_window = float(body["zendesk_window"])
        if "slack_posts_per_second" in body:
            value = body["slack_posts_per_second"]
            state.slack_posts_per_second = None if value is None else float(value)
        for name in ("requestid_window", "gmail_index_lag", "gmail_units_per_minute"):
            if name in body:
                setattr(state.books, name, None if body[name] is None else float(body[name]))
        if body.get("revoke_access"):
            state.books.qbo_access.clear()
        return web.json_response({"zendesk_window": state.zendesk_window})

    @routes.post("/_fake/seed")
    async def seed(request: web.Request) -> web.Response:
        body = await request.json()
        for customer in body.get("customers", []):
            customer_id = int(customer.get("id") or state.new_id())
            state.customers[customer_id] = {"internalNotes": "", **customer, "id": customer_id}
        for invoice in body.get("invoices", []):
            invoice_id = int(invoice.get("id") or state.new_id())
            state.invoices[invoice_id] = {"metadata": {}, "sentAt": None, **invoice, "id": invoice_id}
        for contact in body.get("contacts", []):
            state.contacts.append({**contact, "id": state.new_id()})
        return web.json_response({"customers": len(state.customers), "invoices": len(state.invoices)})

    # --- Altoviz -----------------------------------------------------------------------------------

    def altoviz_auth(request: web.Request) -> None:
        if not request.headers.get("X-API-KEY"):
            raise web.HTTPUnauthorized()

    def matches(obj: dict[str, Any], query: Any) -> bool:
        wanted = {k.lower(): v for k, v in query.items()}
        for name, value in wanted.items():
            field_name = {"email": "email", "internalid": "internalId", "number": "number"}.get(name)
            if field_name is None:
                continue
            actual = str(obj.get(field_name) or "")
            if (actual.casefold() if name == "email" else actual) != (value.casefold() if name == "email" else value):
                return False
        return True

    @routes.get("/v1/{resource:Contacts|Customers|SaleInvoices}/Find")
    async def altoviz_find(request: web.Request) -> web.Response:
        altoviz_auth(request)
        objects = {
            "Contacts": state.contacts,
            "Customers": list(state.customers.values()),
            "SaleInvoices": list(state.invoices.values()),
        }[request.match_info["resource"]]
        return web.json_response([obj for obj in objects if matches(obj, request.query)])

    def full_text(obj: dict[str, Any], query: str) -> bool:
        """The list endpoints' `query`: a case-insensitive substring of any text field (phones also
        compared digits only). Altoviz does not document it; this is a generous reading."""
        needle = query.casefold().strip()
        digits = re.sub(r"\D", "", query)
        for name, value in obj.items():
            if not isinstance(value, str) or name == "internalNotes":
                continue
            if needle and needle in value.casefold():
                return True
            if name in ("phone", "cellPhone") and len(digits) >= 6 and digits in re.sub(r"\D", "", value):
                return True
        return False

    @routes.get("/v1/{resource:Contacts|Customers}")
    async def altoviz_list(request: web.Request) -> web.Response:
        altoviz_auth(request)
        objects = state.contacts if request.match_info["resource"] == "Contacts" else list(state.customers.values())
        query = request.query.get("query")
        found = [obj for obj in objects if query is None or full_text(obj, query)]
        size = min(100, int(request.query.get("PageSize") or 25))
        index = max(1, int(request.query.get("PageIndex") or 1))
        return web.json_response(found[(index - 1) * size : index * size])

    @routes.post("/v1/Contacts")
    async def altoviz_create_contact(request: web.Request) -> web.Response:
        altoviz_auth(request)
        body = await request.json()
        if not (body.get("email") or body.get("phone") or body.get("lastName") or body.get("firstName")):
            return web.json_response({"message": "validation failed", "errors": ["email"]}, status=400)
        contact = {**body, "id": state.new_id()}
        state.contacts.append(contact)
        state.contact_creates[str(body.get("internalId"))] += 1
        return web.json_response(contact, status=201)

    @routes.delete("/v1/Contacts/{id:\\d+}")
    async def altoviz_delete_contact(request: web.Request) -> web.Response:
        altoviz_auth(request)
        contact_id = int(request.match_info["id"])
        before = len(state.contacts)
        state.contacts[:] = [c for c in state.contacts if c.get("id") != contact_id]
        return web.Response(status=200) if len(state.contacts) < before else problem(404)

    @routes.post("/v1/Customers")
    async def altoviz_create_customer(request: web.Request) -> web.Response:
        altoviz_auth(request)
        body = await request.json()
        if body.get("type") not in ("Business", "Consumer", "Government"):
            return web.json_response({"message": "validation failed", "errors": ["type"]}, status=400)
        customer_id = state.new_id()
        state.customers[customer_id] = {"internalNotes": "", **body, "id": customer_id}
        state.customer_creates[str(body.get("internalId"))] += 1
        return web.json_response(state.customers[customer_id], status=200)

    def problem(status: int) -> web.Response:
        return web.json_response({"type": "about:blank", "title": "Not Found", "status": status}, status=status)

    @routes.get("/v1/Customers/{id:\\d+}")
    async def altoviz_get_customer(request: web.Request) -> web.Response:
        altoviz_auth(request)
        customer = state.customers.get(int(request.match_info["id"]))
        return web.json_response(customer) if customer else problem(404)

    @routes.put("/v1/Customers/{id:\\d+}")
    async def altoviz_put_customer(request: web.Request) -> web.Response:
        altoviz_auth(request)
        customer_id = int(request.match_info["id"])
        if customer_id not in state.customers:
            return problem(404)
        state.customers[customer_id] = {**(await request.json()), "id": customer_id}
        return web.json_response(state.customers[customer_id])

    @routes.get("/v1/SaleInvoices/{id:\\d+}")
    async def altoviz_get_invoice(request: web.Request) -> web.Response:
        altoviz_auth(request)
        invoice = state.invoices.get(int(request.match_info["id"]))
        return web.json_response(invoice) if invoice else problem(404)

    @routes.put("/v1/SaleInvoices/{id:\\d+}")
    async def altoviz_put_invoice(request: web.Request) -> web.Response:
        altoviz_auth(request)
        invoice_id = int(request.match_info["id"])
        current = state.invoices.get(invoice_id)
        if current is None:
            return problem(404)
        body = await request.json()
        # sentAt is the server's: a client PUT cannot move it.
        state.invoices[invoice_id] = {**body, "id": invoice_id, "sentAt": current.get("sentAt")}
        return web.json_response(state.invoices[invoice_id])

    @routes.post("/v1/SaleInvoices/Send/{id:\\d+}")
    async def altoviz_send(request: web.Request) -> web.Response:
        altoviz_auth(request)
        invoice = state.invoices.get(int(request.match_info["id"]))
        if invoice is None:
            return problem(404)
        emails = await request.json()
        if not isinstance(emails, list) or not emails:
            return web.json_response({"message": "emails required", "errors": []}, status=400)
        state.sends[str(invoice.get("number"))] += 1
        invoice["sentAt"] = f"2026-01-01T00:00:{state.sends[str(invoice.get('number'))]:02d}.{state.new_id()}Z"
        return web.Response(status=200)

    # --- Zendesk ---------------------------------------------------------------------------------

    def zendesk_auth(request: web.Request) -> None:
        if not request.headers.get("Authorization", "").startswith("Basic "):
            raise web.HTTPUnauthorized()

    @routes.post("/api/v2/tickets")
    async def zendesk_create(request: web.Request) -> web.Response:
        zendesk_auth(request)
        raw = await request.read()
        body = json.loads(raw)
        digest = hashlib.sha256(raw).hexdigest()
        key = request.headers.get("Idempotency-Key")
        now = time.monotonic()
        if key:
            stored = state.idempotency.get(key)
            if stored and now - stored["at"] < state.zendesk_window:
                if stored["digest"] != digest:
                    error = {"error": "IdempotentRequestError",
                             "description": "Request parameters don't match the given idempotency key"}  # fmt: skip
                    return web.json_response(error, status=400)
                if stored["response"] is None:
                    return web.json_response({"error": "IdempotentRequestInProgress"}, status=409)
                return web.json_response(stored["response"], status=201, headers={"x-idempotency-lookup": "hit"})
            state.idempotency[key] = {"digest": digest, "at": now, "response": None}
        ticket_in = body.get("ticket") or {}
        if not ticket_in.get("comment"):
            state.idempotency.pop(key or "", None)
            return web.json_response({"error": "RecordInvalid", "details": {"comment": "required"}}, status=422)
        ticket = {**ticket_in, "id": state.new_id(), "status": "new"}
        state.tickets.append(ticket)
        response = {"ticket": ticket}
        if key:
            state.idempotency[key]["response"] = response
        return web.json_response(response, status=201, headers={"x-idempotency-lookup": "miss"} if key else None)

    @routes.get("/api/v2/tickets.json")
    async def zendesk_list(request: web.Request) -> web.Response:
        zendesk_auth(request)
        external_id = request.query.get("external_id")
        found = [t for t in state.tickets if external_id is None or t.get("external_id") == external_id]
        return web.json_response({"tickets": found, "count": len(found), "next_page": None})

    # --- Google Sheets ---------------------------------------------------------------------------

    def sheets_auth(request: web.Request) -> None:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            raise web.HTTPUnauthorized()

    @routes.post("/token")
    async def token(request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" or not form.get("assertion"):
            return web.json_response({"error": "invalid_grant"}, status=400)
        state.books.google_assertions.append(str(form["assertion"]))  # the JWT: `sub` = delegated user
        return web.json_response({"access_token": f"ya29.fake-{state.new_id()}", "expires_in": 3600})

    @routes.get("/v4/spreadsheets/{sid}/values/{range}")
    async def sheets_get(request: web.Request) -> web.Response:
        sheets_auth(request)
        sheet, _, cells = request.match_info["range"].partition("!")
        rows = state.rows[f"{request.match_info['sid']}/{sheet}"]
        if cells != "A:A" or request.query.get("majorDimension") != "COLUMNS":
            return web.json_response({"error": {"code": 400, "message": "fake supports A:A by COLUMNS"}}, status=400)
        body: dict[str, Any] = {"range": f"{sheet}!A1:A{max(1, len(rows))}", "majorDimension": "COLUMNS"}
        if rows:
            body["values"] = [[row[0] if row else "" for row in rows]]
        return web.json_response(body)

    @routes.get("/v4/spreadsheets/{sid}")
    async def sheets_properties(request: web.Request) -> web.Response:
        sheets_auth(request)
        sheets = [{"properties": {"sheetId": index, "title": title, "index": index}}
                  for index, title in enumerate(SHEET_TITLES)]  # fmt: skip
        return web.json_response({"spreadsheetId": request.match_info["sid"], "sheets": sheets})

    @routes.post("/v4/spreadsheets/{target}")
    async def sheets_batch_update(request: web.Request) -> web.Response:
        sheets_auth(request)
        sid, _, verb = request.match_info["target"].partition(":")
        if verb != "batchUpdate":
            raise web.HTTPNotFound()

        def bad(message: str) -> web.Response:
            return web.json_response({"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}},
                                     status=400)  # fmt: skip

        staged = {title: [list(row) for row in state.rows[f"{sid}/{title}"]] for title in SHEET_TITLES}
        for item in (await request.json()).get("requests") or []:
            ((kind, spec),) = item.items()
            target = spec.get("range") or spec.get("start") or spec.get("properties") or {}
            sheet_id = target.get("sheetId")
            if not isinstance(sheet_id, int) or not 0 <= sheet_id < len(SHEET_TITLES):
                return bad(f"No grid with id: {sheet_id}")
            rows = staged[SHEET_TITLES[sheet_id]]
            if kind == "insertDimension":
                if target.get("dimension") != "ROWS":
                    return bad("fake supports ROWS only")
                start, end = int(target["startIndex"]), int(target["endIndex"])
                rows[start:start] = [[] for _ in range(end - start)]
            elif kind == "updateCells":
                first_row, first_col = int(target.get("rowIndex", 0)), int(target.get("columnIndex", 0))
                for offset, row in enumerate(spec.get("rows") or []):
                    while len(rows) <= first_row + offset:
                        rows.append([])
                    cells = rows[first_row + offset]
                    for col, cell in enumerate(row.get("values") or [], start=first_col):
                        while len(cells) <= col:
                            cells.append("")
                        cells[col] = str((cell.get("userEnteredValue") or {}).get("stringValue", ""))
            elif kind != "updateSheetProperties":
                return bad(f"fake does not support {kind}")
        for title, rows in staged.items():
            state.rows[f"{sid}/{title}"] = rows
        return web.json_response({"spreadsheetId": sid, "replies": [{} for _ in range(3)]})

    @routes.post("/v4/spreadsheets/{sid}/values/{range}")
    async def sheets_append(request: web.Request) -> web.Response:
        sheets_auth(request)
        target = request.match_info["range"]
        if not target.endswith(":append"):
            raise web.HTTPNotFound()
        if request.query.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
            return web.json_response({"error": {"code": 400, "message": "valueInputOption required"}}, status=400)
        sheet = target.removesuffix(":append").partition("!")[0]
        values = (await request.json()).get("values") or []
        rows = state.rows[f"{request.match_info['sid']}/{sheet}"]
        first = len(rows) + 1
        rows.extend([[str(cell) for cell in row] for row in values])
        last_column = chr(ord("A") + max(len(row) for row in values) - 1) if values else "A"
        updates = {"updatedRange": f"{sheet}!A{first}:{last_column}{first + len(values) - 1}",
                   "updatedRows": len(values)}  # fmt: skip
        return web.json_response(
            {"spreadsheetId": request.match_info["sid"], "tableRange": f"{sheet}!A1", "updates": updates}
        )

    # --- Slack -------------------------------------------------------------------------------------

    @routes.post("/services/{path:.+}")
    async def slack_webhook(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not body.get("text"):
            return web.Response(status=400, text="no_text")
        state.slack.append(str(body["text"]))
        return web.Response(text="ok")

    def slack_ok(**fields: Any) -> web.Response:
        return web.json_response({"ok": True, **fields})

    def slack_error(error: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    async def slack_params(request: web.Request) -> dict[str, Any] | web.Response:
        """Bearer token checked; arguments from the query string, a JSON body or a form body."""
        token = request.headers.get("Authorization", "")
        if not token.startswith("Bearer "):
            return slack_error("not_authed")
        if not token.removeprefix("Bearer ").startswith("xoxb-"):
            return slack_error("invalid_auth")
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        return params

    def channel_id(name: str) -> str | None:
        if name in state.slack_channels.values():
            return name
        return state.slack_channels.get(name.removeprefix("#"))

    @routes.post("/api/chat.postMessage")
    async def slack_post_message(request: web.Request) -> web.Response:
        params = await slack_params(request)
        if isinstance(params, web.Response):
            return params
        channel = channel_id(str(params.get("channel") or ""))
        if channel is None:
            return slack_error("channel_not_found")
        if not params.get("text"):
            return slack_error("no_text")
        if state.slack_posts_per_second is not None:
            now = time.monotonic()
            recent = [t for t in state.slack_post_times[channel] if now - t < 1.0]
            if len(recent) >= max(1, int(state.slack_posts_per_second)):
                state.slack_post_times[channel] = recent
                return slack_error("ratelimited", status=429, headers={"Retry-After": "1"})
            state.slack_post_times[channel] = [*recent, now]
        # ts: the post time in microseconds, unique and increasing per workspace as in Slack.
        state.slack_seq = max(state.slack_seq + 1, int(time.time() * 1_000_000))
        ts = f"{state.slack_seq // 1_000_000}.{state.slack_seq % 1_000_000:06d}"
        message = {"type": "message", "ts": ts, "text": str(params["text"]), "index": len(state.slack)}
        state.slack.append(message["text"])
        state.slack_history[channel].append(message)
        public = {k: v for k, v in message.items() if k != "index"}
        return slack_ok(channel=channel, ts=ts, message=public)

    @routes.post("/api/chat.update")
    async def slack_update(request: web.Request) -> web.Response:
        params = await slack_params(request)
        if isinstance(params, web.Response):
            return params
        channel = str(params.get("channel") or "")
        if channel not in state.slack_channels.values():
            return slack_error("channel_not_found")
        message = next((m for m in state.slack_history[channel] if m["ts"] == params.get("ts")), None)
        if message is None:
            return slack_error("message_not_found")
        if not params.get("text"):
            return slack_error("no_text")
        message["text"] = str(params["text"])
        state.slack[message["index"]] = message["text"]
        return slack_ok(channel=channel, ts=message["ts"], text=message["text"])

    @routes.route("*", "/api/conversations.history")
    async def slack_history(request: web.Request) -> web.Response:
        params = await slack_params(request)
        if isinstance(params, web.Response):
            return params
        channel = str(params.get("channel") or "")
        if channel not in state.slack_channels.values():
            return slack_error("channel_not_found")  # names are not accepted here, as in Slack
        try:
            limit = min(999, max(1, int(params.get("limit") or 100)))
            oldest = float(params.get("oldest") or 0)
            latest = float(params.get("latest") or time.time() + 1e6)
            offset = int(params.get("cursor") or 0)
        except ValueError:
            return slack_error("invalid_arguments")
        inclusive = str(params.get("inclusive") or "").lower() in ("1", "true")

        def inside(ts: float) -> bool:
            return (oldest <= ts <= latest) if inclusive else (oldest < ts < latest)

        window = [m for m in reversed(state.slack_history[channel]) if inside(float(m["ts"]))]
        page = [{k: v for k, v in m.items() if k != "index"} for m in window[offset : offset + limit]]
        more = offset + limit < len(window)
        return slack_ok(messages=page, has_more=more,
                        response_metadata={"next_cursor": str(offset + limit) if more else ""})  # fmt: skip

    add_books_mail_routes(routes, state.books)
    app.add_routes(routes)
    return app


@web.middleware
async def _faults_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    state: State = request.app[STATE]
    vendor = _vendor_of(request.path)
    if vendor is None:
        return await handler(request)
    kind = "read" if request.method == "GET" else "write"
    state.requests.append((vendor, kind, time.time()))
    now = time.monotonic()
    fault = next(
        (
            f for f in state.faults
            if f.vendor == vendor and f.live(now) and (kind == "write" or not f.writes_only)
            and state.rng.random() < f.probability
        ),
        None,
    )  # fmt: skip
    if fault is not None and fault.after > 0:
        fault.after -= 1
        fault = None
    if fault is not None and fault.count is not None:
        fault.count -= 1
    if fault is not None and fault.mode == "drop_before":
        # The connection breaks before the vendor processed anything: nothing applied.
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError()
    if fault is not None and fault.mode == "status":
        headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else None
        return web.json_response({"error": f"fake {fault.status}"}, status=fault.status, headers=headers)
    response = await handler(request)
    if fault is not None and fault.mode == "slow":
        await asyncio.sleep(fault.delay)
    elif fault is not None and fault.mode == "drop":
        # The write was applied; the caller never hears about it.
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError()
    return response
