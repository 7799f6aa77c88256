"""Altoviz (api.altoviz.com): contacts, customer notes, and sending invoices. Header `X-API-KEY`.

Altoviz has no Idempotency-Key. What closes the gap between a write and the ledger:
- contact: `internalId` = our idempotency key; lookup-then-create (`GET /v1/Contacts/Find?internalId=`,
  then `?email=`). Altoviz does not say it enforces internalId uniqueness, so creates for one key must
  come from one writer: one agent per topic, concurrency 1, and a key always maps to one partition.
- customer note: the customer's `internalNotes` gets one line tagged `[cs:<key>]`; read, append if the
  tag is absent, write, and read back (a concurrent writer's PUT could overwrite ours: then retry).
- send invoice: Send has no idempotency and an email cannot be unsent. Before sending, the invoice's
  `metadata` gets `callstream:<key>` = `sending:<sentAt before>`; after, `sent`. On a retry, a
  changed `sentAt` proves the earlier Send went through. Only the server's own field is compared,
  so clock skew cannot fool it.
Find endpoints return bare JSON arrays. Finding an invoice by number uses `Find?number=` (the
official CLI's `invoice find --number`; the OpenAPI lists only internalId, see api_facts §2.2).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from pydantic import SecretStr

from schemas.models import WorkflowAction
from sinks.contract import ALREADY_WRITTEN, WRITTEN, PermanentSinkError, RetryableSinkError, SinkOutcome
from sinks.http import call, json_body
from sinks.ratelimit import RateLimiter
from sinks.routing import altoviz_operation

VENDOR = "altoviz"
NOTE_MAX = 600


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
        self, http: httpx.AsyncClient, base_url: str, api_key: SecretStr, limiter: RateLimiter | None = None
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"X-API-KEY": api_key.get_secret_value(), "Accept": "application/json"}
        self._limiter = limiter
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

    # --- contacts ---------------------------------------------------------------------------------

    async def find_or_create_contact(self, action: WorkflowAction, key: str) -> SinkOutcome:
        if not action.customer_email:
            raise PermanentSinkError("altoviz contact: the action has no customer email")
        mine = await self._find("Contacts", internalId=key)
        if mine:
            return SinkOutcome(ALREADY_WRITTEN, str(mine[0].get("id")), "contact created earlier for this key")
        existing = await self._find("Contacts", email=action.customer_email)
        if existing:
            return SinkOutcome(ALREADY_WRITTEN, str(existing[0].get("id")), "existing contact matched by email")
        first, _, last = (action.customer_name or "").strip().partition(" ")
        body = {"firstName": first or None, "lastName": last or None, "email": action.customer_email, "internalId": key}
        response = await self._call("create contact", "POST", "/v1/Contacts", json=body)
        created = json_body(VENDOR, "create contact", response)
        return SinkOutcome(WRITTEN, str(created.get("id")) if isinstance(created, dict) else None, "contact created")

    # --- customer notes -------------------------------------------------------------------------

    async def find_customer(self, email: str) -> dict[str, Any]:
        customers = await self._find("Customers", email=email)
        if not customers:
            raise PermanentSinkError("altoviz: no customer with the action's email")
        return customers[0]

    async def append_customer_note(self, action: WorkflowAction, key: str) -> SinkOutcome:
        if not action.customer_email:
            raise PermanentSinkError("altoviz note: the action has no customer email to find the customer by")
        customer_id = int((await self.find_customer(action.customer_email))["id"])
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
        return SinkOutcome(WRITTEN, f"customer/{customer_id}", "note appended to the customer's internal notes")

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
