"""Gmail: the approved billing follow-up mail, sent at most once per key, only to the verified address.

Gmail has no idempotency key, so the mail carries one: a deterministic `Message-ID`
(`<cs.<32 hex of sha256(write key)>@<sender domain>>`), and before every send (the first one, a
retry, and the first send after a crash, which looks the same to us) the sender's mailbox is
searched for it: `GET users/me/messages?q=rfc822msgid:<id>&includeSpamTrash=true` (5 quota units;
trash included, so a mail someone deleted is not sent again). Found: `already_written`. After a
send whose answer was lost (a timeout or dropped connection after the request went out, or a 5xx)
we wait `settle_seconds` for Gmail's search index, search again, and only then let the retry policy
try again (which searches first once more); within `confirm_window_seconds` of that lost send the
key is searched but not sent again (Gmail's index can lag; the window bounds how long we wait).

- `users.messages.send` with `{"raw": <base64url of the RFC 2822 message>}`, built with the
  standard library's `email` package (`EmailMessage`, policy SMTP: CRLF, header folding; a header
  value with a line break is refused, so nothing can be injected).
- Credentials: a service account with domain-wide delegation through google-auth (the same
  `ServiceAccountToken` as Sheets, with `subject` = the sending Workspace user and the scopes
  `gmail.send` + `gmail.readonly`: `q` is not allowed with `gmail.metadata`), or a static token.
  A 401 refreshes the token once.
- Quota: 15,000 units per user per minute, `messages.send` 100 and `messages.list` 5, so a write
  (two searches at most and one send) costs up to 110: the limiter admits writes, not requests.
  429 and 403 `rateLimitExceeded`/`userRateLimitExceeded` are retryable (Retry-After honoured).
- Only to the verified address: the action's `customer_email`, refused when the action says the
  address is not verified (a review reason `email not verified...`) or is missing.
No card, bank or tax data: the body is built from the action's fixed fields (name, amount, invoice
number, call id) by a template per workflow; the internal summary is never mailed to a customer.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any, Protocol

import httpx

from schemas.models import WorkflowAction
from sinks.contract import (
    ALREADY_WRITTEN,
    WRITTEN,
    PermanentSinkError,
    RetryableSinkError,
    SinkOutcome,
    check_response,
    request_was_sent,
    transport_error,
)
from sinks.http import json_body
from sinks.ratelimit import RateLimiter

VENDOR = "gmail"
SCOPES = ("https://www.googleapis.com/auth/gmail.send", "https://www.googleapis.com/auth/gmail.readonly")
UNITS_PER_MINUTE = 15_000  # per user
SEND_UNITS = 100
LIST_UNITS = 5
WRITE_UNITS = SEND_UNITS + 2 * LIST_UNITS
_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
SUBJECTS = {
    "refund_approval": "Your refund has been approved",
    "billing_correction": "Your billing correction",
    "charge_dispute": "About the charge you asked us about",
    "renewal_failed": "Your subscription renewal",
    "collections_log": "About your open balance",
    "receipt_resend": "Your receipt",
    "invoice_resend": "Your invoice",
}
LINES = {
    "refund_approval": "We have approved your refund{amount}{invoice}. It will reach you through your original "
    "payment method; depending on your bank this can take a few business days.",
    "billing_correction": "We have approved the correction to your billing{amount}{invoice}.",
    "charge_dispute": "We have reviewed the charge you asked us about{amount}{invoice} and will follow up shortly.",
    "renewal_failed": "Your subscription renewal did not go through{amount}{invoice}. Please update your payment "
    "details in your account; we never ask for card details by e-mail.",
    "collections_log": "This is a follow-up about your open balance{amount}{invoice}.",
}


def message_id(key: str, domain: str) -> str:
    return f"<cs.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def verified_address(action: WorkflowAction) -> str:
    """The address the mail may go to, or PermanentSinkError with the reason."""
    email = (action.customer_email or "").strip()
    if not email:
        raise PermanentSinkError(f"{VENDOR}: the action has no e-mail address to send to")
    if any(reason.lower().startswith("email not verified") for reason in action.review_reasons):
        raise PermanentSinkError(f"{VENDOR}: the address is not verified (not the one on file): not sent")
    return email


def build_message(action: WorkflowAction, key: str, sender: str, sender_name: str = "Billing") -> EmailMessage:
    to = verified_address(action)
    domain = sender.rpartition("@")[2] or "callstream.invalid"
    message = EmailMessage(policy=SMTP)
    try:
        message["From"] = Address(sender_name, addr_spec=sender)
        message["To"] = Address(action.customer_name or "", addr_spec=to)
    except (ValueError, IndexError) as error:
        raise PermanentSinkError(f"{VENDOR}: not a usable address ({type(error).__name__})") from None
    subject = SUBJECTS.get(action.workflow, "About your billing request")
    if action.invoice_number:
        subject += f" ({action.invoice_number})"
    try:
        message["Subject"] = subject
    except ValueError:  # a line break in the invoice number: never a header we build from it
        raise PermanentSinkError(f"{VENDOR}: the invoice number cannot go in a subject line") from None
    message["Message-ID"] = message_id(key, domain)
    # Deterministic: a rebuilt message after a crash is byte-for-byte the same mail.
    message["Date"] = format_datetime(action.created_at)
    amount = f" of {action.amount.amount} {action.amount.currency}" if action.amount else ""
    invoice = f" for invoice {action.invoice_number}" if action.invoice_number else ""
    line = LINES.get(action.workflow, "We are following up on your recent call with us{amount}{invoice}.")
    greeting = f"Hello {action.customer_name}," if action.customer_name else "Hello,"
    body = [greeting, "", line.format(amount=amount, invoice=invoice), "",
            f"Reference: {action.call_id}", "", "Kind regards,", sender_name]  # fmt: skip
    message.set_content("\n".join(body))
    return message


def raw(message: EmailMessage) -> str:
    return base64.urlsafe_b64encode(message.as_bytes()).decode().rstrip("=")


class GoogleTokens(Protocol):
    async def token(self) -> str: ...


def _google_reason(response: httpx.Response) -> str:
    try:
        errors = response.json()["error"]["errors"]
        return str(errors[0].get("reason", ""))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return ""


class MaybeSent(RetryableSinkError):
    """The request reached Gmail but its answer was lost (timeout, dropped connection, 5xx)."""


class GmailClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        sender: str,
        tokens: GoogleTokens,
        limiter: RateLimiter | None = None,
        sender_name: str = "Billing",
        settle_seconds: float = 5.0,
        confirm_window_seconds: float = 60.0,
    ) -> None:
        self._http = http
        self._base = f"{base_url.rstrip('/')}/gmail/v1/users/me"
        self._sender = sender
        self._sender_name = sender_name
        self._tokens = tokens
        self._limiter = limiter
        self._settle = settle_seconds
        self._confirm_window = confirm_window_seconds
        # key -> when a send of it had its answer lost (monotonic): not re-sent within the window
        self._unconfirmed: dict[str, float] = {}

    async def _call(self, operation: str, method: str, path: str, **kwargs: Any) -> Any:
        for attempt in (1, 2):
            token = await self._tokens.token()
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            try:
                response = await self._http.request(method, f"{self._base}{path}", headers=headers, **kwargs)
            except httpx.HTTPError as error:
                if request_was_sent(error):
                    raise MaybeSent(str(transport_error(VENDOR, operation, error))) from None
                raise transport_error(VENDOR, operation, error) from None
            invalidate = getattr(self._tokens, "invalidate", None)
            if response.status_code == 401 and attempt == 1 and invalidate is not None:
                await invalidate(token)
                continue
            reason = _google_reason(response)
            if response.status_code == 403 and reason in _RATE_REASONS:
                error = RetryableSinkError(f"{VENDOR} {operation}: HTTP 403 {reason}")
            else:
                try:
                    check_response(VENDOR, operation, response)
                    return json_body(VENDOR, operation, response)
                except RetryableSinkError as retryable:
                    error = retryable
                except PermanentSinkError as permanent:
                    raise PermanentSinkError(f"{permanent}{f' ({reason})' if reason else ''}") from None
            if response.status_code in (403, 429) and self._limiter is not None:
                self._limiter.pause_for(error.retry_after if error.retry_after is not None else 1.0)
            if response.status_code >= 500:
                raise MaybeSent(str(error), error.retry_after) from None
            raise error
        raise PermanentSinkError(f"{VENDOR} {operation}: HTTP 401 after a token refresh")

    async def find(self, msgid: str) -> str | None:
        """Gmail's id of the sent mail with this Message-ID, or None."""
        found = await self._call(
            "search message", "GET", "/messages",
            params={"q": f"rfc822msgid:{msgid.strip('<>')}", "includeSpamTrash": "true", "maxResults": "5"},
        )  # fmt: skip
        messages = found.get("messages") if isinstance(found, dict) else None
        if messages and isinstance(messages, list) and isinstance(messages[0], dict):
            return str(messages[0].get("id"))
        return None

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        message = build_message(action, key, self._sender, self._sender_name)
        msgid = str(message["Message-ID"])
        if self._limiter is not None:
            await self._limiter.acquire()  # one write's worth of quota (WRITE_UNITS)
        existing = await self.find(msgid)
        if existing is not None:
            self._unconfirmed.pop(key, None)
            return SinkOutcome(ALREADY_WRITTEN, existing, "mail found by its Message-ID")
        lost_at = self._unconfirmed.get(key)
        if lost_at is not None:
            remaining = self._confirm_window - (time.monotonic() - lost_at)
            if remaining > 0:
                # Gmail's search can lag a just-sent mail: keep searching, do not send again yet.
                raise RetryableSinkError(
                    f"{VENDOR}: an earlier send's answer was lost and the mail is not searchable yet",
                    retry_after=min(remaining, max(self._settle, 1.0)),
                )
        try:
            sent = await self._call("send message", "POST", "/messages/send", json={"raw": raw(message)})
        except MaybeSent:
            # (Any other RetryableSinkError: never reached Gmail, or 429/403 rate: nothing was sent.)
            self._unconfirmed[key] = time.monotonic()
            await asyncio.sleep(self._settle)  # the answer was lost: give the search index time
            existing = await self.find(msgid)
            if existing is not None:
                self._unconfirmed.pop(key, None)
                return SinkOutcome(ALREADY_WRITTEN, existing, "earlier send went through (found by Message-ID)")
            raise
        self._unconfirmed.pop(key, None)
        gmail_id = str(sent.get("id")) if isinstance(sent, dict) else None
        return SinkOutcome(WRITTEN, gmail_id, "mail sent to the verified address")
