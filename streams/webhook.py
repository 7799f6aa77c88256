"""`POST /webhooks/dialnexa` on the worker's web server: DialNexa deliveries into `dialnexa.calls.raw`.

What DialNexa does (reference facts, DESIGN §8): it signs the raw body with HMAC-SHA256 and the
webhook secret, in `X-DialNexa-Signature` or `x-nexa-signature` (the docs disagree), as
`sha256=<hex>` or bare hex; it carries no timestamp (so there is no replay window to check); it
waits 5 s for a 2xx; it retries failures up to 3 times with no delivery id; and a secret rotation
takes effect on the next delivery, with no overlap. Hence:

- both header names and both formats are accepted, compared in constant time, against the current
  secret and, during a rotation, the previous one (`DIALNEXA_WEBHOOK_PREVIOUS_SECRET`);
- the body is stored on the raw topic exactly as signed: the redactor normalises every shape, and
  the raw bytes are what an auditor can re-verify;
- the answer is sent after the broker acknowledged the record (acks=all), so a 2xx means the call
  is durable; a broker that does not ack in time gets a 503, and DialNexa retries;
- duplicates (a retry after a lost 2xx, or a replayed captured request: same call id + same body
  bytes) are skipped durably through `webhook.deliveries` (streams.delivery_log), across restarts
  and workers; a changed body for the same call is a new version. What slips past is made harmless
  downstream by the idempotency key of every external write;
- a record the broker can never take (too large) is a 413 and a dead letter, never a 503 "retry".

Nothing here logs a body, a header value or a secret; the call id is the only payload-derived value
in the log.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import faust
from aiokafka.errors import MessageSizeTooLargeError, RecordTooLargeError
from faust.web import Request, Response, View

from callstream.settings import Settings
from schemas.models import DeadLetter
from streams.delivery_log import DeliveryLog, delivery_key
from streams.normalise import VERIFICATION_EVENTS

log = logging.getLogger("callstream.webhook")

WEBHOOK_PATH = "/webhooks/dialnexa"
SIGNATURE_HEADERS = ("X-DialNexa-Signature", "x-nexa-signature")
PRODUCE_TIMEOUT_SECONDS = 3.0  # well inside DialNexa's 5 s, leaving time for the network both ways
DUPLICATE_TTL_SECONDS = 15 * 60.0  # longer than DialNexa's retry series (3 retries, up to 60 s timeout each)
DUPLICATE_MAX_ENTRIES = 100_000  # ~10 MB at most; the oldest entries go first
READ_CHUNK_BYTES = 64 * 1024
# aiokafka's "too large": the producer's own check, and the broker's MESSAGE_TOO_LARGE answer.
TOO_LARGE = (MessageSizeTooLargeError, RecordTooLargeError)
DeadLetterSender = Callable[[str, str, str], Awaitable[None]]  # (call id, reason, error type)
CLOSE_AFTER = frozenset({408, 413})  # refused bodies: close rather than drain the rest


# --- pure parts ----------------------------------------------------------------------------------------


def signature_candidates(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[str]:
    """The hex digests a request claims, from either header name, with or without `sha256=`."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    wanted = {name.lower() for name in SIGNATURE_HEADERS}
    candidates = []
    for name, value in items:
        if name.lower() not in wanted:
            continue
        value = value.strip()
        if value[:7].lower() == "sha256=":
            value = value[7:].strip()
        if value:
            candidates.append(value.lower())
    return candidates


def signature_is_valid(body: bytes, candidates: Iterable[str], secrets: Iterable[bytes]) -> bool:
    """True when any claimed digest is HMAC-SHA256(secret, body) for any of the secrets.

    `hmac.compare_digest` on bytes: constant time in the content, and no TypeError on a header that
    is not ASCII (which str comparison would raise).
    """
    expected = [hmac.new(secret, body, hashlib.sha256).hexdigest().encode() for secret in secrets if secret]
    matched = False
    for candidate in candidates:
        provided = candidate.encode("utf-8", "replace")
        for digest in expected:
            # No early exit: the work done does not depend on which pair matched.
            matched |= hmac.compare_digest(digest, provided)
    return matched


@dataclass(frozen=True)
class Delivery:
    """What identifies a DialNexa delivery: DialNexa sends no delivery id, so call id + event + status."""

    call_id: str
    event: str | None
    status: str | None

    @property
    def dedupe_key(self) -> str:
        return json.dumps([self.call_id, self.event, self.status])


class BadDelivery(ValueError):
    """A signed body we cannot take: the message is safe to send back (it never quotes the body)."""


def parse_body(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BadDelivery("the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadDelivery("the body is not a JSON object")
    return payload


def is_verification(payload: Mapping[str, Any]) -> bool:
    event = payload.get("event_type", payload.get("event"))
    return isinstance(event, str) and event.lower() in VERIFICATION_EVENTS


def extract_delivery(payload: Mapping[str, Any]) -> Delivery:
    """Call id, event and status from any of DialNexa's four payload shapes (see streams.normalise).

    Deliberately lenient: anything signed with a call id is produced, and the redact stage decides
    (and dead-letters with a reason) what it cannot use, so nothing DialNexa sent is silently lost.
    """
    event = _text(payload.get("event_type", payload.get("event")))
    inner = payload.get("payload")
    call: Mapping[str, Any] = payload
    if isinstance(inner, Mapping) and isinstance(inner.get("call"), Mapping):
        call = inner["call"]  # envelope: {"event_type", "payload": {"call": {...}}}
    else:
        for name in ("call", "data"):  # {"event", "call" | "data": {...}}
            if isinstance(payload.get(name), Mapping):
                call = payload[name]
                break
    call_id = _first_text(call, "id", "call_id", "session_id") or _first_text(payload, "call_id", "session_id")
    if call_id is None:
        raise BadDelivery("no call id in the body (looked for payload.call.id, call.id, data.id, call_id, session_id)")
    if len(call_id) > 200:
        raise BadDelivery("the call id is longer than 200 characters")
    return Delivery(call_id=call_id, event=event, status=_text(call.get("status")) or _text(payload.get("status")))


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _first_text(source: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = source.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        text = _text(value)
        if text:
            return text
    return None


class RecentDeliveries:
    """A bounded set of dedupe keys that expire after `ttl` seconds (monotonic clock)."""

    def __init__(self, ttl: float = DUPLICATE_TTL_SECONDS, max_entries: int = DUPLICATE_MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()

    def _expire(self, now: float) -> None:
        while self._seen:
            key, at = next(iter(self._seen.items()))
            if now - at < self.ttl and len(self._seen) <= self.max_entries:
                return
            self._seen.pop(key)

    def __contains__(self, key: str) -> bool:
        now = time.monotonic()
        self._expire(now)
        return key in self._seen

    def add(self, key: str) -> None:
        now = time.monotonic()
        self._seen.pop(key, None)
        self._seen[key] = now
        self._expire(now)


# --- the endpoint -------------------------------------------------------------------------------------


class DialNexaWebhook:
    """The request handling, apart from Faust so tests can drive it with any aiohttp request."""

    def __init__(
        self,
        settings: Settings,
        raw_topic: faust.TopicT,
        dead_letter: DeadLetterSender | None = None,
        deliveries: DeliveryLog | None = None,
    ) -> None:
        self.raw_topic = raw_topic
        self.deliveries = deliveries  # durable de-duplication; without it, only this process's memory
        self.dead_letter = dead_letter
        self.max_body_bytes = settings.webhook_max_body_bytes
        self.body_timeout = settings.web_body_timeout_seconds
        secrets = (settings.dialnexa_webhook_secret, settings.dialnexa_webhook_previous_secret)
        self.secrets = [s.get_secret_value().encode() for s in secrets if s is not None and s.get_secret_value()]
        self.recent = RecentDeliveries()
        self._in_flight: dict[str, asyncio.Future[None]] = {}

    async def handle(self, request: Request) -> tuple[int, dict[str, Any]]:
        if not self.secrets:
            log.error("webhook delivery refused: DIALNEXA_WEBHOOK_SECRET is not set")
            return 503, {"error": "webhook secret not configured on this worker"}
        if request.content_length is not None and request.content_length > self.max_body_bytes:
            return 413, {"error": f"body larger than {self.max_body_bytes} bytes"}
        try:
            async with asyncio.timeout(self.body_timeout):
                body = await self._read_limited(request)
        except TimeoutError:
            log.info("webhook delivery dropped: body not received within %g s", self.body_timeout)
            return 408, {"error": f"body not received within {self.body_timeout:g} s"}
        except ConnectionError:  # the client went away mid-body: nothing to answer, one line to log
            log.info("webhook delivery dropped: the client disconnected before the body was complete")
            return 400, {"error": "client disconnected"}
        if body is None:
            return 413, {"error": f"body larger than {self.max_body_bytes} bytes"}
        if not signature_is_valid(body, signature_candidates(request.headers.items()), self.secrets):
            log.warning("webhook delivery refused: missing or invalid signature (%d bytes)", len(body))
            return 401, {"error": "missing or invalid signature"}
        try:
            payload = parse_body(body)
            if is_verification(payload):
                return 200, {"status": "verified"}
            delivery = extract_delivery(payload)
        except BadDelivery as error:
            return 400, {"error": str(error)}
        return await self._produce_once(delivery, body)

    async def _read_limited(self, request: Request) -> bytes | None:
        """The body, or None once it exceeds the limit: never more than limit + one chunk in memory."""
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = await request.content.read(READ_CHUNK_BYTES)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)

    async def _produce_once(self, delivery: Delivery, body: bytes) -> tuple[int, dict[str, Any]]:
        # The identity is call id + body digest: a corrected body is a new version, the same bytes a repeat.
        key = delivery_key(delivery.call_id, body)
        if self.deliveries is not None and not self.deliveries.loaded.is_set():
            try:  # just started: the durable log of past deliveries is still being read
                await asyncio.wait_for(asyncio.shield(self.deliveries.loaded.wait()), PRODUCE_TIMEOUT_SECONDS)
            except TimeoutError:
                return 503, {"error": "the worker is starting (loading the delivery log); retry later"}
        # A retry that arrives while the first attempt is still producing waits for its outcome.
        pending = self._in_flight.get(key)
        if pending is not None:
            await asyncio.shield(pending)
        if key in self.recent or (self.deliveries is not None and key in self.deliveries):
            log.info("webhook duplicate skipped: call_id=%s event=%s", delivery.call_id, delivery.event)
            return 200, {"status": "duplicate", "call_id": delivery.call_id}
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = done
        try:
            sent = await asyncio.wait_for(self._send(delivery.call_id, body), PRODUCE_TIMEOUT_SECONDS)
        except TOO_LARGE as error:
            # Can never succeed, however often DialNexa retries: say so (4xx, no retry) and leave a
            # dead letter (without the body: it may hold card data) so the loss is visible.
            reason = (
                f"the broker refused the {len(body)} byte delivery as too large for "
                f"{self.raw_topic.get_topic_name()} (max.message.bytes / producer max request size)"
            )
            log.error("webhook delivery refused: call_id=%s %s (%s)", delivery.call_id, reason, type(error).__name__)
            if self.dead_letter is not None:
                try:
                    await asyncio.wait_for(self.dead_letter(delivery.call_id, reason, type(error).__name__), 3.0)
                except Exception as failure:
                    log.error(
                        "webhook dead letter failed: call_id=%s error=%s", delivery.call_id, type(failure).__name__
                    )
            return 413, {"error": reason + "; it cannot be stored and must not be retried"}
        except Exception as error:  # a timeout or a broker error: DialNexa retries on a non-2xx
            log.error("webhook produce failed: call_id=%s error=%s", delivery.call_id, type(error).__name__)
            return 503, {"error": "could not store the delivery; retry later"}
        finally:
            self._in_flight.pop(key, None)
            done.set_result(None)
        self.recent.add(key)
        if self.deliveries is not None:
            try:
                await asyncio.wait_for(self.deliveries.record(key), PRODUCE_TIMEOUT_SECONDS)
            except Exception as error:  # the delivery is stored: a repeat would reach the idempotent sinks
                log.warning("webhook delivery log write failed: call_id=%s error=%s", delivery.call_id,
                            type(error).__name__)  # fmt: skip
        log.info("webhook accepted: call_id=%s event=%s offset=%s", delivery.call_id, delivery.event, sent)
        return 200, {"status": "accepted", "call_id": delivery.call_id}

    async def _send(self, call_id: str, body: bytes) -> int | None:
        # `send` queues the record; awaiting its future waits for the broker's ack (producer acks=-1).
        delivered = await (await self.raw_topic.send(key=call_id.encode(), value=body))
        return getattr(delivered, "offset", None)


def register_webhook(
    app: faust.App, settings: Settings, raw_topic: faust.TopicT, dead_letter: DeadLetterSender | None = None
) -> None:
    """Add `POST /webhooks/dialnexa` to the worker's web server, producing to `raw_topic`."""
    deliveries = DeliveryLog(app, settings)
    receiver = DialNexaWebhook(settings, raw_topic, dead_letter, deliveries)
    readiness = getattr(app, "callstream_readiness", None)
    if readiness is not None:  # /readyz waits for the delivery log as well
        readiness.checks.append(lambda: None if deliveries.loaded.is_set() else "loading the webhook delivery log")

    @app.task
    async def follow_deliveries() -> None:
        await deliveries.follow()

    del follow_deliveries
    if not receiver.secrets:
        log.warning("DIALNEXA_WEBHOOK_SECRET is not set: %s will answer 503 to every delivery", WEBHOOK_PATH)

    @app.page(WEBHOOK_PATH)
    class DialNexaWebhookView(View):
        async def post(self, request: Request) -> Response:
            status, answer = await receiver.handle(request)
            response = self.json(answer, status=status)
            if status in CLOSE_AFTER:
                response.force_close()  # do not read (or wait for) the rest of a body we refused
            return response

    del DialNexaWebhookView  # registered by the decorator; nothing else refers to it


__all__ = [
    "WEBHOOK_PATH",
    "BadDelivery",
    "Delivery",
    "DialNexaWebhook",
    "RecentDeliveries",
    "extract_delivery",
    "parse_body",
    "register_webhook",
    "signature_candidates",
    "signature_is_valid",
]


def webhook_dead_letter(pipeline: Any) -> DeadLetterSender:
    """A dead letter for a delivery the raw topic can never take: call id and reason, no body."""

    async def send(call_id: str, reason: str, error_type: str) -> None:
        letter = DeadLetter(
            call_id=call_id,
            stage="webhook",
            reason=reason,
            error_type=error_type,
            source_topic=pipeline.topics.raw.get_topic_name(),
            source_partition=-1,  # never stored: no partition or offset
            source_offset=-1,
        )
        await pipeline.send(pipeline.topics.deadletter, call_id.encode(), pipeline.codecs.deadletter.encode(letter))

    return send
