"""Slack: urgent finance alerts. Two modes, the Web API (recommended) and incoming webhooks.

Slack has no idempotency key on either (slack-api-specs#10, open since 2018), so what closes the gap
between a post and the ledger is different per mode. Every message ends with a reference line
`ref: <write key>` (its own line), which is how a message is found again and tied to its action.

Web API (`SLACK_BOT_TOKEN`, `chat.postMessage`, which answers the message `ts`):
- a confirmed post is `written` with `<channel>/<ts>`; a second write of the same key in this process
  updates the message by `ts` (`chat.update`) instead of posting again;
- a post whose answer was lost after it was sent (read timeout, connection dropped, a 5xx) is
  *unconfirmed*: it is retried, but every later attempt first reads the channel's recent history
  (`conversations.history`, `oldest` = just before the first post, at most `history_pages` pages of
  `history_limit`) for the reference line, and posts only if it is absent. The retry waits
  `settle_seconds` first so a post that Slack applies late is in the history when we look;
- an action older than `recheck_age_seconds` (default 0: every action; a replay, a redelivery after a
  crash) is looked up in the history (from its `created_at`) before its first post, so neither a replay
  with an empty ledger nor a redelivery after a crash re-posts what is already in the channel;
- if the bounded window cannot be read to its end, the outcome is `unconfirmed` (a review row asks a
  person to check), never a blind re-post and never `written`.
Rate limits, per method: chat.postMessage ~1 message/s per channel (Special tier), conversations.history
Tier 3 (50+/min for internal apps; commercially distributed non-Marketplace apps get 1/min and
limit 15 since 2025-05-29: set the history settings accordingly), chat.update Tier 3; a 429 pauses
that method's bucket for Retry-After. `ok: false` answers: `ratelimited`, `internal_error`,
`fatal_error`, `service_unavailable`, `request_timeout` are retried, every other error is permanent.

Incoming webhook (`SLACK_WEBHOOK_URL`): the answer is `ok` and nothing else, no `ts`, no way to ask.
A request that surely never reached Slack, a 429 and a 5xx are retried; a request whose answer was
lost after it was sent is NOT re-posted and is reported `unconfirmed` (the agent counts it and puts
a review row "Slack post unconfirmed: check the channel" in the review queue).
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections import OrderedDict
from typing import Any

import httpx
from pydantic import SecretStr

from schemas.models import WorkflowAction
from sinks.contract import (
    ALREADY_WRITTEN,
    UNCONFIRMED,
    WRITTEN,
    PermanentSinkError,
    RetryableSinkError,
    SinkOutcome,
    check_response,
    parse_retry_after,
    request_was_sent,
    transport_error,
)
from sinks.ratelimit import KeyedRateLimiter, RateLimiter

VENDOR = "slack"
log = logging.getLogger("callstream.sinks")

# Slack's `ok: false` errors that mean "not now" rather than "your request is wrong".
RETRYABLE_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})
_POSTED_MEMORY = 10_000  # keys whose ts this process remembers (for chat.update instead of a re-post)
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


def ref_line(key: str) -> str:
    return f"ref: {key}"


def message_text(action: WorkflowAction, key: str) -> str:
    amount = f" {action.amount.amount} {action.amount.currency}" if action.amount else ""
    text = (
        f":rotating_light: {action.urgency.upper()} {action.workflow.replace('_', ' ')}{amount}: "
        f"{action.next_step} (owner {action.owner}). Call {action.call_id}."
    )
    if action.record_url:
        text += f" <{action.record_url}|record>"
    return f"{text}\n{ref_line(key)}"


def message_body(action: WorkflowAction, key: str) -> dict[str, Any]:
    return {"text": message_text(action, key)}


def has_ref(text: str, key: str) -> bool:
    """The message carries this key's reference line (a whole line: `k1` never matches `k10`)."""
    wanted = ref_line(key)
    return any(line.strip() == wanted for line in html.unescape(text or "").splitlines())


class SlackWebhookClient:
    """Incoming webhook mode: no ts, no history, so a lost answer is `unconfirmed`, never re-posted."""

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
                detail = f"answer lost after sending ({type(error).__name__}); not re-posted: check the channel"
                return SinkOutcome(UNCONFIRMED, f"#{self._channel}", detail)
            raise transport_error(VENDOR, "post message", error) from None
        if response.status_code == 429 and self._limiter is not None:
            self._limiter.pause_for(parse_retry_after(response.headers.get("retry-after")) or 1.0)
        check_response(VENDOR, "post message", response)
        return SinkOutcome(WRITTEN, f"#{self._channel}", "alert posted")


# The name the factory and older code use for the webhook client.
SlackClient = SlackWebhookClient


class SlackWebApiClient:
    """Web API mode: `chat.postMessage` with a bot token; history check after an unconfirmed post."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: SecretStr,
        channel: str,
        post_limiter: KeyedRateLimiter | None = None,
        history_limiter: RateLimiter | None = None,
        update_limiter: RateLimiter | None = None,
        *,
        history_limit: int = 100,
        history_pages: int = 3,
        settle_seconds: float = 2.0,
        recheck_age_seconds: float = 0.0,
        clock: Any = time.time,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token.get_secret_value()}"}
        self._channel = channel
        self._channel_id = channel if _CHANNEL_ID.match(channel) else None
        if self._channel_id is None:
            log.warning("slack: channel %r is not a channel id (C...): history checks need the id", channel)
        self._post_limiter = post_limiter.for_key(channel) if post_limiter else None
        self._history_limiter = history_limiter
        self._update_limiter = update_limiter
        self._history_limit = history_limit
        self._history_pages = history_pages
        self._settle = settle_seconds
        self._recheck_age = recheck_age_seconds
        self._clock = clock
        # key -> wall-clock time just before the first post whose answer was lost (the history window).
        self._unconfirmed: dict[str, float] = {}
        self._posted: OrderedDict[str, tuple[str, str]] = OrderedDict()  # key -> (channel id, ts)
        self.requests: dict[str, int] = {"chat.postMessage": 0, "conversations.history": 0, "chat.update": 0}

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        text = message_text(action, key)
        posted = self._posted.get(key)
        if posted is not None:
            await self._update(posted, text)
            return SinkOutcome(ALREADY_WRITTEN, f"{posted[0]}/{posted[1]}", "message updated by ts (chat.update)")
        since = self._unconfirmed.get(key)
        looked_before = since is not None
        if since is None and self._clock() - action.created_at.timestamp() > self._recheck_age:
            since = action.created_at.timestamp() - 60.0  # an old action: a replay or a redelivery
        if since is not None and self._channel_id is None:
            # A channel name, and no post has told us its id yet: the history cannot be read.
            if looked_before:
                self._unconfirmed.pop(key, None)
                detail = "answer lost and the channel id is unknown (set CALLSTREAM_SLACK_CHANNEL to C...)"
                return SinkOutcome(UNCONFIRMED, f"#{self._channel}", f"{detail}: check the channel")
            since = None
        if since is not None:
            found = await self._find(key, since)
            if found == "window_exceeded":
                self._unconfirmed.pop(key, None)
                detail = "answer lost and the channel history window could not be read to its end: check the channel"
                return SinkOutcome(UNCONFIRMED, self._channel_id or f"#{self._channel}", detail)
            if found is not None:
                self._remember(key, found)
                self._unconfirmed.pop(key, None)
                why = "after an unconfirmed post" if looked_before else "before posting an old action"
                return SinkOutcome(ALREADY_WRITTEN, f"{found[0]}/{found[1]}", f"found in the channel history {why}")
        return await self._post(key, text)

    # --- chat.postMessage ---------------------------------------------------------------------

    async def _post(self, key: str, text: str) -> SinkOutcome:
        if self._post_limiter is not None:
            await self._post_limiter.acquire()
        started = self._clock()
        self.requests["chat.postMessage"] += 1
        try:
            response = await self._http.post(
                f"{self._base}/chat.postMessage", headers=self._headers, json={"channel": self._channel, "text": text}
            )
        except httpx.HTTPError as error:
            if not request_was_sent(error):
                raise transport_error(VENDOR, "chat.postMessage", error) from None
            self._unconfirmed.setdefault(key, started - 5.0)
            raise RetryableSinkError(
                f"slack chat.postMessage: answer lost ({type(error).__name__}); the channel history is read before "
                "any re-post",
                retry_after=self._settle,
            ) from None
        if response.status_code >= 500:
            # A 5xx may come after the message was stored: look before posting again.
            self._unconfirmed.setdefault(key, started - 5.0)
            raise RetryableSinkError(f"slack chat.postMessage: HTTP {response.status_code}", retry_after=self._settle)
        body = self._ok_body("chat.postMessage", response, self._post_limiter)
        channel, ts = str(body.get("channel") or self._channel_id or self._channel), str(body.get("ts") or "")
        if not ts:
            self._unconfirmed.setdefault(key, started - 5.0)
            raise RetryableSinkError("slack chat.postMessage: ok without a ts", retry_after=self._settle)
        if _CHANNEL_ID.match(channel):
            self._channel_id = channel
        self._unconfirmed.pop(key, None)
        self._remember(key, (channel, ts))
        return SinkOutcome(WRITTEN, f"{channel}/{ts}", "alert posted (chat.postMessage)")

    # --- conversations.history ----------------------------------------------------------------

    async def _find(self, key: str, since: float) -> tuple[str, str] | str | None:
        """(channel, ts) of the message carrying the key's ref line, None, or "window_exceeded"."""
        channel = self._channel_id or self._channel
        params: dict[str, str] = {"channel": channel, "oldest": f"{since:.6f}", "limit": str(self._history_limit)}
        for _page in range(self._history_pages):
            if self._history_limiter is not None:
                await self._history_limiter.acquire()
            self.requests["conversations.history"] += 1
            try:
                response = await self._http.get(f"{self._base}/conversations.history", headers=self._headers,
                                                 params=params)  # fmt: skip
            except httpx.HTTPError as error:
                raise transport_error(VENDOR, "conversations.history", error) from None
            body = self._ok_body("conversations.history", response, self._history_limiter)
            for message in body.get("messages") or []:
                if isinstance(message, dict) and has_ref(str(message.get("text") or ""), key):
                    return channel, str(message.get("ts"))
            cursor = ((body.get("response_metadata") or {}).get("next_cursor") or "") if body.get("has_more") else ""
            if not cursor:
                return None
            params["cursor"] = cursor
        return "window_exceeded"

    # --- chat.update ----------------------------------------------------------------------------

    async def _update(self, posted: tuple[str, str], text: str) -> None:
        if self._update_limiter is not None:
            await self._update_limiter.acquire()
        self.requests["chat.update"] += 1
        channel, ts = posted
        try:
            response = await self._http.post(
                f"{self._base}/chat.update", headers=self._headers, json={"channel": channel, "ts": ts, "text": text}
            )
        except httpx.HTTPError as error:
            raise transport_error(VENDOR, "chat.update", error) from None  # an update is idempotent
        try:
            self._ok_body("chat.update", response, self._update_limiter)
        except PermanentSinkError as error:
            if "message_not_found" in str(error):
                return  # a person deleted it: their decision, not ours to undo by re-posting
            raise

    # --- answers --------------------------------------------------------------------------------

    def _ok_body(self, method: str, response: httpx.Response, limiter: RateLimiter | None) -> dict[str, Any]:
        if response.status_code == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after")) or 1.0
            if limiter is not None:
                limiter.pause_for(retry_after)
            raise RetryableSinkError(f"slack {method}: HTTP 429 ratelimited", retry_after=retry_after)
        check_response(VENDOR, method, response)
        try:
            body = response.json()
        except ValueError:
            raise RetryableSinkError(f"slack {method}: unreadable response body") from None
        if not isinstance(body, dict):
            raise RetryableSinkError(f"slack {method}: expected an object")
        if body.get("ok") is not True:
            error = str(body.get("error") or "unknown_error")[:80]
            if error in RETRYABLE_ERRORS:
                raise RetryableSinkError(f"slack {method}: {error}")
            raise PermanentSinkError(f"slack {method}: {error}")
        return body

    def _remember(self, key: str, posted: tuple[str, str]) -> None:
        self._posted[key] = posted
        self._posted.move_to_end(key)
        while len(self._posted) > _POSTED_MEMORY:
            self._posted.popitem(last=False)
