"""Zendesk Support: customer-facing billing tickets (disputes, refunds, failed renewals, unverified
receipt requests), created at most once per key.

- `Idempotency-Key: <key>` on `POST /api/v2/tickets`: Zendesk replays the first response for 2 hours
  (`x-idempotency-lookup: hit`), so a retry after a lost response does not create a second ticket.
- `external_id = <key>` on every ticket. When the action is older than the key window (a replay, a
  long outage, a redrive), the key may have expired, so look up `GET /api/v2/tickets.json?external_id=`
  first (the list endpoint is strongly consistent; search is not).
- The request body is a pure function of the action, so a retry with the same key never gets
  Zendesk's 400 "parameters don't match the given idempotency key".
No sensitive data: the summary is already redacted; no recording link, no amounts beyond the summary.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr

from schemas.models import WorkflowAction
from sinks.contract import ALREADY_WRITTEN, WRITTEN, RetryableSinkError, SinkOutcome
from sinks.http import call, json_body
from sinks.ratelimit import RateLimiter

VENDOR = "zendesk"
PRIORITIES = {"urgent": "urgent", "critical": "urgent", "high": "high", "normal": "normal", "low": "low"}
SUBJECTS = {
    "charge_dispute": "Disputed charge",
    "refund_approval": "Refund request",
    "renewal_failed": "Failed subscription renewal",
    "receipt_resend": "Receipt request (email to verify)",
}


def ticket_body(action: WorkflowAction, key: str) -> dict[str, Any]:
    lines = [
        action.summary or "(no summary)",
        "",
        f"Next step: {action.next_step}",
        f"Owner: {action.owner}",
        f"DialNexa call: {action.call_id}",
    ]
    if action.invoice_number:
        lines.append(f"Invoice: {action.invoice_number}")
    if action.transcript_url:
        lines.append(f"Transcript: {action.transcript_url}")
    ticket: dict[str, Any] = {
        "subject": f"{SUBJECTS.get(action.workflow, action.workflow.replace('_', ' ').capitalize())}"
        + (f" ({action.invoice_number})" if action.invoice_number else ""),
        # Internal note: the summary is written for finance, not addressed to the customer.
        "comment": {"body": "\n".join(lines), "public": False},
        "external_id": key,
        "tags": sorted({"callstream", "billing", action.workflow, f"urgency_{action.urgency.lower()}"}),
        "priority": PRIORITIES.get(action.urgency.lower(), "normal"),
        "type": "problem" if action.workflow == "charge_dispute" else "task",
    }
    if action.customer_email:
        ticket["requester"] = {"email": action.customer_email, "name": action.customer_name or action.customer_email}
    return {"ticket": ticket}


class ZendeskClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        email: str,
        api_token: SecretStr,
        limiter: RateLimiter | None = None,
        idempotency_window: timedelta = timedelta(hours=2),
    ) -> None:
        self._http = http
        base = base_url.rstrip("/")
        self._base = base if base.endswith("/api/v2") else f"{base}/api/v2"
        token = base64.b64encode(f"{email}/token:{api_token.get_secret_value()}".encode()).decode()
        self._headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        self._limiter = limiter
        # Look up first once the action is this old: a margin under the vendor's 2 h, for clock skew.
        self._lookup_after = idempotency_window - timedelta(minutes=10)

    async def find_by_external_id(self, key: str) -> list[dict[str, Any]]:
        response = await call(
            self._http, VENDOR, "find ticket", "GET", f"{self._base}/tickets.json", self._limiter,
            headers=self._headers, params={"external_id": key},
        )  # fmt: skip
        found = json_body(VENDOR, "find ticket", response)
        tickets = found.get("tickets") if isinstance(found, dict) else None
        if not isinstance(tickets, list):
            raise RetryableSinkError("zendesk find ticket: no tickets array")
        return tickets

    async def write(self, action: WorkflowAction, key: str, now: datetime | None = None) -> SinkOutcome:
        age = (now or datetime.now(UTC)) - action.created_at
        if age >= self._lookup_after:
            existing = await self.find_by_external_id(key)
            if existing:
                return SinkOutcome(ALREADY_WRITTEN, str(existing[0].get("id")), "ticket found by external_id")
        response = await call(
            self._http, VENDOR, "create ticket", "POST", f"{self._base}/tickets", self._limiter,
            headers={**self._headers, "Idempotency-Key": key}, json=ticket_body(action, key),
        )  # fmt: skip
        created = json_body(VENDOR, "create ticket", response)
        ticket = created.get("ticket") if isinstance(created, dict) else None
        ticket_id = str(ticket.get("id")) if isinstance(ticket, dict) else None
        if response.headers.get("x-idempotency-lookup", "").lower() == "hit":
            return SinkOutcome(ALREADY_WRITTEN, ticket_id, "ticket created earlier (idempotency key replay)")
        return SinkOutcome(WRITTEN, ticket_id, "ticket created")
