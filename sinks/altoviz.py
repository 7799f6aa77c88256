"""Altoviz (api.altoviz.com): contacts, customer notes, and sending invoices. Header `X-API-KEY`.

Altoviz has no Idempotency-Key. What closes the gap between a write and the ledger:
- contact: `internalId` = our write key; lookup-then-create (`Contacts/Find?internalId=`, then
  `?email=`, then the phone through the list's full-text `query`, compared digit by digit). Altoviz
  does not say it enforces internalId uniqueness, so a create is made safe against a second writer
  (a rebalance, a create applied but answered after the timeout): after a create whose answer was
  lost, wait `settle_seconds` and look it up by internalId before creating again (found = written by
  the earlier attempt: `already_written`); after a confirmed create, read back by internalId and if
  another writer created one too, keep the lowest id and delete the others (only objects carrying
  our write key, which nobody else uses).
- customer note: the customer is found by the identity enrichment resolved, in this order:
  `internalId` = Stripe customer id, customer `number`, e-mail (`Customers/Find` takes exactly
  these three), phone (full-text `query`, then exact digits on `phone`/`cellPhone`), then the
  Altoviz contact created for the call (its e-mail / phone). A Find that returns several different
  customers is ambiguous and never guessed. With none found, the customer is created when
  `create_customers` allows (default `stripe_known`: only with a Stripe customer id, used as
  internalId so that the next call and a second writer find it). What stays unresolvable is
  returned `needs_review` with the reason (a review row), not dead-lettered.
  The note: the customer's `internalNotes` gets one line tagged `[cs:<key>]`; read, append if the
  tag is absent, write, and read back (a concurrent writer's PUT could overwrite ours: then retry).
- send invoice: Send has no idempotency and an email cannot be unsent. Before sending, the invoice's
  `metadata` gets `callstream:<key>` = `sending:<sentAt before>`; after, `sent`. On a retry, a
  changed `sentAt` proves the earlier Send went through. Only the server's own field is compared,
  so clock skew cannot fool it.
Find endpoints return bare JSON arrays. Finding an invoice by number uses `Find?number=` (the
official CLI's `invoice find --number`; the OpenAPI lists only internalId, see api_facts §2.2).
How the full-text `query` of `GET /v1/Customers` and `/v1/Contacts` matches phones is not
documented: we send the number as given and as digits, and only accept exact digit matches.
"""

from __future__ import annotations

import asyncio
import re
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
)
from sinks.http import call, json_body
from sinks.ratelimit import RateLimiter
from sinks.routing import altoviz_operation

VENDOR = "altoviz"
NOTE_MAX = 600
CREATE_NEVER, CREATE_STRIPE_KNOWN, CREATE_ALWAYS = "never", "stripe_known", "always"
SEARCH_PAGE = 50  # full-text results read per phone search (one page: a phone matches few customers)
CONTACT_SYNC_KEY = "{call_id}:contact_sync:find_or_create_contact:altoviz"  # the call's contact write key


def phone_digits(phone: str | None) -> str:
    """'+33 6 12-34-56-78' -> '33612345678'; '0033…' -> '33…'. Empty when too short to identify anyone."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("00"):
        digits = digits[2:]
    return digits if len(digits) >= 7 else ""


def same_phone(a: str | None, b: str | None) -> bool:
    """Equal digits, or the same national number with and without its country code (>= 9 digits)."""
    x, y = phone_digits(a), phone_digits(b)
    if not x or not y:
        return False
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    national = short.lstrip("0")
    return len(national) >= 9 and long.endswith(national) and len(long) - len(national) <= 3


def note_tag(key: str) -> str:
    return f"[cs:{key}]"


def note_line(action: WorkflowAction, key: str) -> str:
    """The operational summary: short, one line, links instead of content."""
    parts = [
        f"{note_tag(key)} {action.created_at.date().isoformat()} {action.workflow}/{action.action}",
        (action.summary or "").replace("\n", " ")[:240],
        f"call {action.call_id}",
        f"owner {action.owner}",
        f"next: {action.next_step}",
    ]
    if action.transcript_url:
        parts.append(f"transcript {action.transcript_url}")
    if action.recording_url:
        parts.append(f"recording {action.recording_url}")
    return " | ".join(part for part in parts if part)[:NOTE_MAX]


class AltovizClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        api_key: SecretStr,
        limiter: RateLimiter | None = None,
        *,
        create_customers: str = CREATE_STRIPE_KNOWN,
        settle_seconds: float = 1.0,
    ) -> None:
        if create_customers not in (CREATE_NEVER, CREATE_STRIPE_KNOWN, CREATE_ALWAYS):
            raise ValueError(f"create_customers must be never, stripe_known or always, not {create_customers!r}")
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"X-API-KEY": api_key.get_secret_value(), "Accept": "application/json"}
        self._limiter = limiter
        self._create_customers = create_customers
        self._settle = settle_seconds
        # Serialises read-modify-write of one customer's notes inside this worker.
        self._customer_locks: dict[int, asyncio.Lock] = {}

    async def _call(self, operation: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await call(
            self._http, VENDOR, operation, method, f"{self._base}{path}", self._limiter, headers=self._headers, **kwargs
        )

    async def _find(self, resource: str, **params: str) -> list[dict[str, Any]]:
        response = await self._call(f"find {resource}", "GET", f"/v1/{resource}/Find", params=params)
        found = json_body(VENDOR, f"find {resource}", response)
        if not isinstance(found, list):
            raise RetryableSinkError(f"{VENDOR} find {resource}: expected an array")
        return found

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        operation = altoviz_operation(action)
        if operation == "contact":
            return await self.find_or_create_contact(action, key)
        if operation == "send_invoice":
            return await self.send_invoice(action, key)
        return await self.append_customer_note(action, key)

    async def _search(self, resource: str, query: str) -> list[dict[str, Any]]:
        """The list endpoint's full-text search, one page."""
        params = {"query": query, "PageIndex": "1", "PageSize": str(SEARCH_PAGE)}
        response = await self._call(f"search {resource}", "GET", f"/v1/{resource}", params=params)
        found = json_body(VENDOR, f"search {resource}", response)
        if not isinstance(found, list):
            raise RetryableSinkError(f"{VENDOR} search {resource}: expected an array")
        return [obj for obj in found if isinstance(obj, dict)]

    async def _find_by_phone(self, resource: str, phone: str) -> list[dict[str, Any]]:
        # As given, digits only, and the last 9 digits (the national number without country code or
        # trunk 0): stored formats vary and the search is text. All three, so an ambiguity shows.
        digits = phone_digits(phone)
        matches: dict[Any, dict[str, Any]] = {}
        for query in dict.fromkeys((phone.strip(), digits, digits[-9:] if len(digits) > 9 else digits)):
            if not query:
                continue
            for obj in await self._search(resource, query):
                if same_phone(obj.get("phone"), phone) or same_phone(obj.get("cellPhone"), phone):
                    matches[obj.get("id")] = obj
        return list(matches.values())

    async def _create(
        self, resource: str, internal_id: str, body: dict[str, Any]
    ) -> tuple[dict[str, Any], bool, list[dict[str, Any]]]:
        """(object, created by this call, every object carrying internal_id). Safe against a lost
        answer and against a second writer."""
        try:
            response = await self._call(f"create {resource}", "POST", f"/v1/{resource}", json=body)
        except RetryableSinkError:
            # The create may have been applied (answered after the timeout, connection dropped): look
            # before anyone creates again. Found = the earlier attempt wrote it.
            await asyncio.sleep(self._settle)
            found = await self._find(resource, internalId=internal_id)
            if found:
                return min(found, key=_id), False, found
            raise
        created = json_body(VENDOR, f"create {resource}", response)
        if not isinstance(created, dict) or created.get("id") is None:
            raise RetryableSinkError(f"{VENDOR} create {resource}: the answer has no id")
        # Read back: a second writer (another worker around a rebalance) may have created one too.
        # Every writer keeps the lowest id, so they converge on the same object.
        mine = await self._find(resource, internalId=internal_id)
        every = [created, *(obj for obj in mine if _id(obj) != _id(created))]
        keep = min(every, key=_id)
        return keep, _id(keep) == _id(created), every

    # --- contacts ---------------------------------------------------------------------------------

    async def find_or_create_contact(self, action: WorkflowAction, key: str) -> SinkOutcome:
        mine = await self._find("Contacts", internalId=key)
        if mine:
            await self._drop_duplicates(mine)
            return SinkOutcome(
                ALREADY_WRITTEN, str(min(mine, key=_id).get("id")), "contact created earlier for this key"
            )
        if action.customer_email:
            existing = await self._find("Contacts", email=action.customer_email)
            if existing:
                return SinkOutcome(ALREADY_WRITTEN, str(existing[0].get("id")), "existing contact matched by email")
        if action.customer_phone and phone_digits(action.customer_phone):
            by_phone = await self._find_by_phone("Contacts", action.customer_phone)
            if len(by_phone) == 1:
                return SinkOutcome(ALREADY_WRITTEN, str(by_phone[0].get("id")), "existing contact matched by phone")
        if not action.customer_email and not phone_digits(action.customer_phone):
            return SinkOutcome(
                NEEDS_REVIEW, None, "altoviz contact: the call has no e-mail or phone to find or create the contact by"
            )
        first, _, last = (action.customer_name or "").strip().partition(" ")
        body = {
            "firstName": first or None, "lastName": last or None, "email": action.customer_email,
            "phone": action.customer_phone, "internalId": key,
        }  # fmt: skip
        contact, created, mine = await self._create("Contacts", key, body)
        await self._drop_duplicates(mine)  # ours too, if a second writer's has the lower id
        if not created:
            return SinkOutcome(ALREADY_WRITTEN, str(contact.get("id")), "contact created by an earlier attempt")
        return SinkOutcome(WRITTEN, str(contact.get("id")), "contact created")

    async def _drop_duplicates(self, mine: list[dict[str, Any]]) -> None:
        """Contacts carrying our write key beyond the lowest id were made by a second writer: delete them."""
        for duplicate in sorted(mine, key=_id)[1:]:
            await self._call("delete duplicate contact", "DELETE", f"/v1/Contacts/{int(duplicate['id'])}")

    # --- customers --------------------------------------------------------------------------------

    async def resolve_customer(self, action: WorkflowAction) -> tuple[dict[str, Any] | None, str]:
        """(customer, how it was found) or (None, why not): internalId, number, e-mail, phone, contact."""
        misses: list[str] = []

        async def unique(how: str, found: list[dict[str, Any]]) -> dict[str, Any] | None:
            distinct = {obj.get("id"): obj for obj in found if isinstance(obj, dict)}
            if len(distinct) == 1:
                return next(iter(distinct.values()))
            misses.append(f"{len(distinct)} customers match the {how}" if distinct else f"no customer by {how}")
            return None

        tried_emails: set[str] = set()
        tried_phones: set[str] = set()

        async def by_email(email: str, how: str) -> dict[str, Any] | None:
            tried_emails.add(email.casefold())
            return await unique(how, await self._find("Customers", email=email))

        async def by_phone(phone: str, how: str) -> dict[str, Any] | None:
            tried_phones.add(phone_digits(phone))
            return await unique(how, await self._find_by_phone("Customers", phone))

        stripe_id, number = action.stripe_customer_id, action.customer_number
        if stripe_id and (found := await unique("Stripe id", await self._find("Customers", internalId=stripe_id))):
            return found, "internalId (Stripe customer id)"
        if number and (found := await unique("customer number", await self._find("Customers", number=number))):
            return found, "customer number"
        if action.customer_email and (found := await by_email(action.customer_email, "e-mail")):
            return found, "e-mail"
        phone = action.customer_phone
        if phone and phone_digits(phone) and (found := await by_phone(phone, "phone")):
            return found, "phone"
        # The Altoviz contact found or created for this call (contact_sync) may know more.
        for contact in await self._find("Contacts", internalId=CONTACT_SYNC_KEY.format(call_id=action.call_id)):
            email, phone = contact.get("email"), contact.get("phone") or contact.get("cellPhone")
            if email and email.casefold() not in tried_emails and (found := await by_email(email, "contact's e-mail")):
                return found, "the call's contact's e-mail"
            new_phone = bool(phone_digits(phone)) and phone_digits(phone) not in tried_phones
            if new_phone and (found := await by_phone(str(phone), "contact's phone")):
                return found, "the call's contact's phone"
        if not (action.stripe_customer_id or action.customer_number or action.customer_email or action.customer_phone):
            misses.append("the call has no Stripe id, customer number, e-mail or phone")
        return None, "; ".join(misses)

    async def _create_customer(self, action: WorkflowAction, key: str) -> tuple[dict[str, Any], bool]:
        internal_id = action.stripe_customer_id or key
        first, _, last = (action.customer_name or "").strip().partition(" ")
        body = {
            "type": "Consumer", "firstName": first or None, "lastName": last or None, "email": action.customer_email,
            "phone": action.customer_phone, "number": action.customer_number, "internalId": internal_id,
        }  # fmt: skip
        customer, created, _all = await self._create("Customers", internal_id, body)
        return customer, created

    def _may_create_customer(self, action: WorkflowAction) -> bool:
        if self._create_customers == CREATE_ALWAYS:
            return bool(action.stripe_customer_id or action.customer_email or phone_digits(action.customer_phone))
        return self._create_customers == CREATE_STRIPE_KNOWN and bool(action.stripe_customer_id)

    # --- customer notes -------------------------------------------------------------------------

    async def find_customer(self, email: str) -> dict[str, Any]:
        customers = await self._find("Customers", email=email)
        if not customers:
            raise PermanentSinkError("altoviz: no customer with the action's email")
        return customers[0]

    async def append_customer_note(self, action: WorkflowAction, key: str) -> SinkOutcome:
        customer, how = await self.resolve_customer(action)
        if customer is None:
            if not self._may_create_customer(action):
                policy = f"create_customers={self._create_customers}"
                return SinkOutcome(
                    NEEDS_REVIEW, None, f"altoviz note: no customer found ({how}); not created ({policy})"
                )
            customer, created = await self._create_customer(action, key)
            how = "created for this call" if created else "created by an earlier attempt"
        customer_id = int(customer["id"])
        tag = note_tag(key)
        lock = self._customer_locks.setdefault(customer_id, asyncio.Lock())
        async with lock:
            customer = await self._get_customer(customer_id)
            notes = customer.get("internalNotes") or ""
            if tag in notes:
                return SinkOutcome(ALREADY_WRITTEN, f"customer/{customer_id}", "note already on the customer")
            updated = {**customer, "internalNotes": f"{notes}\n{note_line(action, key)}".lstrip("\n")}
            await self._call("update customer", "PUT", f"/v1/Customers/{customer_id}", json=updated)
            # Read back: a concurrent writer (another worker, a person in the app) may have
            # replaced the notes between our read and our write.
            if tag not in ((await self._get_customer(customer_id)).get("internalNotes") or ""):
                raise RetryableSinkError("altoviz note: lost to a concurrent update, retrying")
        detail = f"note appended to the customer's internal notes (customer by {how})"
        return SinkOutcome(WRITTEN, f"customer/{customer_id}", detail)

    async def _get_customer(self, customer_id: int) -> dict[str, Any]:
        response = await self._call("get customer", "GET", f"/v1/Customers/{customer_id}")
        customer = json_body(VENDOR, "get customer", response)
        if not isinstance(customer, dict):
            raise RetryableSinkError(f"{VENDOR} get customer: expected an object")
        return customer

    # --- invoices -------------------------------------------------------------------------------

    async def send_invoice(self, action: WorkflowAction, key: str) -> SinkOutcome:
        if not action.invoice_number:
            raise PermanentSinkError("altoviz send: the action has no invoice number")
        if not action.customer_email:
            raise PermanentSinkError("altoviz send: the action has no email to send to")
        invoices = await self._find("SaleInvoices", number=action.invoice_number)
        if len(invoices) != 1:
            raise PermanentSinkError(f"altoviz send: {len(invoices)} invoices match the number, need exactly 1")
        invoice = await self._get_invoice(int(invoices[0]["id"]))
        invoice_id = int(invoice["id"])
        customer = await self._get_customer(int(invoice["customerId"]))
        if (customer.get("email") or "").strip().casefold() != action.customer_email.strip().casefold():
            raise PermanentSinkError("altoviz send: the email is not the one on file for the invoice's customer")
        marker_key = f"callstream:{key}"
        metadata = dict(invoice.get("metadata") or {})
        marker = metadata.get(marker_key)
        if marker == "sent":
            return SinkOutcome(ALREADY_WRITTEN, f"invoice/{invoice_id}", "invoice already sent for this key")
        if isinstance(marker, str) and marker.startswith("sending:"):
            if marker.removeprefix("sending:") != str(invoice.get("sentAt") or ""):
                await self._mark(invoice, marker_key, "sent")
                return SinkOutcome(ALREADY_WRITTEN, f"invoice/{invoice_id}", "earlier send went through")
        else:
            invoice = await self._mark(invoice, marker_key, f"sending:{invoice.get('sentAt') or ''}")
        await self._call("send invoice", "POST", f"/v1/SaleInvoices/Send/{invoice_id}", json=[action.customer_email])
        await self._mark(await self._get_invoice(invoice_id), marker_key, "sent")
        return SinkOutcome(WRITTEN, f"invoice/{invoice_id}", "invoice sent to the verified email")

    async def _get_invoice(self, invoice_id: int) -> dict[str, Any]:
        response = await self._call("get invoice", "GET", f"/v1/SaleInvoices/{invoice_id}")
        invoice = json_body(VENDOR, "get invoice", response)
        if not isinstance(invoice, dict):
            raise RetryableSinkError(f"{VENDOR} get invoice: expected an object")
        return invoice

    async def _mark(self, invoice: dict[str, Any], marker_key: str, value: str) -> dict[str, Any]:
        updated = {**invoice, "metadata": {**(invoice.get("metadata") or {}), marker_key: value}}
        await self._call("update invoice", "PUT", f"/v1/SaleInvoices/{invoice['id']}", json=updated)
        return updated


def _id(obj: dict[str, Any]) -> int:
    try:
        return int(obj.get("id") or 0)
    except (TypeError, ValueError):
        return 0
