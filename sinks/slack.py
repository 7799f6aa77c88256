"""Slack incoming webhook: urgent finance alerts, at most 1 message/s per channel.

Incoming webhooks answer `ok` and nothing else: no message `ts` to update, no way to ask Slack
whether a message exists, no idempotency key (slack-api-specs#10, open since 2018). So:
- the ledger is checked first and recorded right after a confirmed post (the agent awaits it);
- a request that surely never reached Slack (connection refused, connect timeout), a 429 (honour
  Retry-After) and a 5xx are retried;
- a request whose answer was lost after it was sent (read timeout, connection dropped) is NOT
  re-posted: the outcome is reported `written` with detail "unconfirmed". A possibly-missing alert
  is the lesser harm here: the same action also has its ticket or review row, which are exact.
Each message carries `ref: <key>` so a person (and the test fakes) can tie it to its action.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import SecretStr

from schemas.models import WorkflowAction
from sinks.contract import WRITTEN, SinkOutcome, check_response, request_was_sent, transport_error
from sinks.ratelimit import KeyedRateLimiter

VENDOR = "slack"


def message_body(action: WorkflowAction, key: str) -> dict[str, Any]:
    amount = f" {action.amount.amount} {action.amount.currency}" if action.amount else ""
    text = (
        f":rotating_light: {action.urgency.upper()} {action.workflow.replace('_', ' ')}{amount}: "
        f"{action.next_step} (owner {action.owner}). Call {action.call_id}."
    )
    if action.record_url:
        text += f" <{action.record_url}|record>"
    return {"text": f"{text}\nref: {key}"}


class SlackClient:
    def __init__(
        self, http: httpx.AsyncClient, webhook_url: SecretStr, channel: str, limiter: KeyedRateLimiter | None = None
    ) -> None:
        self._http = http
        self._url = webhook_url
        self._channel = channel
        self._limiter = limiter.for_key(channel) if limiter else None

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        if self._limiter is not None:
            await self._limiter.acquire()
        try:
            response = await self._http.post(self._url.get_secret_value(), json=message_body(action, key))
        except httpx.HTTPError as error:
            if request_was_sent(error):
                return SinkOutcome(WRITTEN, None, f"unconfirmed ({type(error).__name__}); not re-posted")
            raise transport_error(VENDOR, "post message", error) from None
        if response.status_code == 429 and self._limiter is not None:
            self._limiter.pause_for(float(response.headers.get("retry-after") or 1))
        check_response(VENDOR, "post message", response)
        return SinkOutcome(WRITTEN, f"#{self._channel}", "alert posted")
