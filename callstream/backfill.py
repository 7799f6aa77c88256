"""`callstream backfill stripe|hubspot`: page through a vendor and publish its objects, so tables start warm.

The pure "vendor object -> topic event" functions live here (`stripe_event`, `stripe_event_key`,
`hubspot_event`, `hubspot_owner_event`) so the table agents and the tests share one definition.

Formats (the table agents parse these):
- `stripe.events`, key = the object's customer id (the object id for a customer), value = a synthetic
  Stripe Event `{"id": "evt_backfill_<object id>_<ts>", "object": "event", "type": "<object>.backfilled",
  "created": <ts>, "data": {"object": <raw Stripe object>}}` where `<ts>` is the unix time of the fetch:
  the backfill states what is true now, so a live event older than the fetch must not override it.
- `hubspot.events`, key = the object id, value = `{"objectType": "contact"|"company"|"owner", "id": ...,
  "updatedAt": <ISO-8601>, "properties": {...}, "associations": {"companies": [ids]}}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from callstream.settings import Settings
from callstream.vendors import RetryPolicy, VendorUnavailable
from callstream.vendors.hubspot import RESOURCES as HUBSPOT_RESOURCES
from callstream.vendors.hubspot import HubSpotClient
from callstream.vendors.ratelimit import TokenBucket
from callstream.vendors.stripe import RESOURCES as STRIPE_RESOURCES
from callstream.vendors.stripe import StripeClient

HUBSPOT_OBJECT_TYPES = {"contacts": "contact", "companies": "company", "owners": "owner"}
PRODUCE_RETRY_LIMIT = 100  # polls of 0.1 s while the local producer queue is full, per record
BACKFILL_TIMEOUT_SECONDS = 10.0  # per request: the backfill is not on the stream path, but never hangs


# --- pure mappings ---------------------------------------------------------------------------------


def _id_of(value: Any) -> str | None:
    # A Stripe reference is an id string, or the object itself when expanded.
    if isinstance(value, str) and value:
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def stripe_event(obj: Mapping[str, Any], fetched_at: int, related_customer: str | None = None) -> dict[str, Any]:
    """The synthetic Stripe Event for one fetched object (`fetched_at` = unix seconds of the fetch).

    `related_customer` (callstream's own envelope field) names the customer of an object Stripe does
    not tie to one (a dispute, a refund), when the backfill knows it from the object's charge.
    """
    event: dict[str, Any] = {
        "id": f"evt_backfill_{obj['id']}_{int(fetched_at)}",
        "object": "event",
        "type": f"{obj['object']}.backfilled",
        "created": int(fetched_at),
        "data": {"object": dict(obj)},
    }
    if related_customer and not _id_of(obj.get("customer")) and obj.get("object") != "customer":
        event["related_customer"] = related_customer
    return event


def stripe_record_key(obj: Mapping[str, Any]) -> bytes:
    """`stripe.events` is compacted by key: one record per Stripe object, so the key is its id."""
    return str(obj["id"]).encode()


def hubspot_record_key(event: Mapping[str, Any]) -> bytes:
    """`hubspot.events` is compacted by key; contact, company and owner ids can collide, so type them."""
    return f"{event['objectType']}:{event['id']}".encode()


def stripe_event_key(obj: Mapping[str, Any], customer_of: Mapping[str, str] | None = None) -> bytes:
    """The record key: the customer the object belongs to, so one customer's state shares a partition.

    Disputes and refunds carry no `customer`; they name a charge / payment intent, looked up in
    `customer_of` (charge or payment-intent id -> customer id, filled while backfilling those first).
    An object whose customer cannot be known (e.g. a guest charge) is keyed by its own id.
    """
    if obj.get("object") == "customer":
        return str(obj["id"]).encode()
    customer = _id_of(obj.get("customer"))
    if customer is None and customer_of:
        for reference in ("charge", "payment_intent"):
            ref = _id_of(obj.get(reference))
            if ref is not None and ref in customer_of:
                customer = customer_of[ref]
                break
    return (customer or str(obj["id"])).encode()


def flatten_associations(associations: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """HubSpot's `{"companies": {"results": [{"id": "1", "type": ...}, ...]}}` -> `{"companies": ["1"]}`.

    HubSpot lists a pair once per association type (e.g. primary and unlabeled), so ids are de-duplicated
    keeping their order.
    """
    flat: dict[str, list[str]] = {}
    for kind, value in (associations or {}).items():
        results = value.get("results", []) if isinstance(value, Mapping) else value
        ids: list[str] = []
        for item in results or []:
            ident = str(item.get("id")) if isinstance(item, Mapping) else str(item)
            if ident and ident not in ids:
                ids.append(ident)
        flat[str(kind)] = ids
    return flat


def _iso_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hubspot_event(obj: Mapping[str, Any], object_type: str) -> dict[str, Any]:
    """A HubSpot CRM v3 object (contact or company) as a `hubspot.events` value."""
    properties = dict(obj.get("properties") or {})
    updated = obj.get("updatedAt") or properties.get("hs_lastmodifieddate") or properties.get("lastmodifieddate")
    return {
        "objectType": object_type,
        "id": str(obj["id"]),
        "updatedAt": str(updated) if updated else _iso_now(),
        "properties": properties,
        "associations": flatten_associations(obj.get("associations")),
    }


def hubspot_owner_event(owner: Mapping[str, Any]) -> dict[str, Any]:
    """A HubSpot owner (`/crm/v3/owners`) as a `hubspot.events` value."""
    return {
        "objectType": "owner",
        "id": str(owner["id"]),
        "updatedAt": str(owner.get("updatedAt") or _iso_now()),
        "properties": {
            "email": owner.get("email"),
            "firstName": owner.get("firstName"),
            "lastName": owner.get("lastName"),
        },
        "associations": {},
    }


def encode(event: Mapping[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


# --- publishing ------------------------------------------------------------------------------------


class Publisher(Protocol):
    def publish(self, key: bytes, value: bytes) -> None: ...

    def close(self) -> int: ...


class DryRunPublisher:
    """Counts what would be published."""

    def __init__(self) -> None:
        self.count = 0

    def publish(self, key: bytes, value: bytes) -> None:
        self.count += 1

    def close(self) -> int:
        return self.count


class KafkaPublisher:
    """One idempotent producer for the whole run (a producer per page would reconnect every time)."""

    def __init__(self, bootstrap: str | dict[str, Any], topic: str) -> None:
        from confluent_kafka import Producer

        from callstream.kafkaio import client_config

        self.topic = topic
        self.count = 0
        self._failures: list[str] = []
        self._producer = Producer(
            client_config(bootstrap, **{"acks": "all", "enable.idempotence": True, "log_level": 0, "linger.ms": 20})
        )

    def _on_delivery(self, error: Any, _message: object) -> None:
        if error is not None:
            self._failures.append(str(error))

    def publish(self, key: bytes, value: bytes) -> None:
        for _ in range(PRODUCE_RETRY_LIMIT):
            try:
                self._producer.produce(self.topic, key=key, value=value, on_delivery=self._on_delivery)
                break
            except BufferError:
                self._producer.poll(0.1)  # local queue full: let deliveries drain, then retry
        else:
            raise RuntimeError("the Kafka producer queue stayed full; is the broker reachable?")
        self._producer.poll(0)
        self.count += 1

    def close(self) -> int:
        remaining = self._producer.flush(60)
        if remaining or self._failures:
            raise RuntimeError(f"{remaining} records undelivered, {len(self._failures)} failed: {self._failures[:3]}")
        return self.count


# --- the runs --------------------------------------------------------------------------------------


@dataclass
class BackfillSummary:
    vendor: str
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        verb = "would publish" if self.dry_run else "published"
        out = [f"{self.vendor} backfill: {verb} {self.total} objects"]
        out += [f"  {resource:<16} {count}" for resource, count in self.counts.items()]
        out.append(f"  requests: {self.requests}, seconds: {self.seconds:.1f}")
        return out


class Progress(Protocol):
    def start(self, resource: str) -> None: ...

    def advance(self, resource: str, count: int = 1) -> None: ...

    def finish(self, resource: str) -> None: ...


class NoProgress:
    def start(self, resource: str) -> None:
        pass

    def advance(self, resource: str, count: int = 1) -> None:
        pass

    def finish(self, resource: str) -> None:
        pass


class RichProgress:
    """One line per resource with a running count (vendors give no totals, so no percentage)."""

    def __init__(self, vendor: str) -> None:
        from rich.console import Console
        from rich.progress import Progress as RichBar
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        self._vendor = vendor
        self._bar = RichBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:>9,.0f} objects"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.stop()

    def start(self, resource: str) -> None:
        self._tasks[resource] = self._bar.add_task(f"{self._vendor} {resource}", total=None)

    def advance(self, resource: str, count: int = 1) -> None:
        self._bar.advance(self._tasks[resource], count)

    def finish(self, resource: str) -> None:
        task = self._tasks[resource]
        done = self._bar.tasks[task].completed
        self._bar.update(task, total=done, completed=done, description=f"{self._vendor} {resource} done")


def _select(requested: Sequence[str] | None, known: Sequence[str]) -> list[str]:
    if not requested:
        return list(known)
    unknown = [name for name in requested if name not in known]
    if unknown:
        raise ValueError(f"unknown resource(s) {', '.join(unknown)}; known: {', '.join(known)}")
    # Keep the known order: disputes and refunds need the charge -> customer map built before them.
    return [name for name in known if name in requested]


ToRecord = Callable[[str, dict[str, Any]], tuple[bytes, dict[str, Any]]]


async def _backfill(
    vendor: str,
    client: StripeClient | HubSpotClient,
    publisher: Publisher,
    requested: Sequence[str] | None,
    known: Sequence[str],
    to_record: ToRecord,
    progress: Progress | None,
    max_objects: int | None,
) -> BackfillSummary:
    """Page through each resource in order and publish `to_record(resource, object)` for every object."""
    progress = progress or NoProgress()
    summary = BackfillSummary(vendor, isinstance(publisher, DryRunPublisher))
    started = time.monotonic()
    try:
        for resource in _select(requested, known):
            summary.counts[resource] = 0
            progress.start(resource)
            iterator: AsyncIterator[dict[str, Any]] = client.iterate(resource, max_objects=max_objects)
            async for obj in iterator:
                key, event = to_record(resource, obj)
                publisher.publish(key, encode(event))
                summary.counts[resource] += 1
                progress.advance(resource)
            progress.finish(resource)
    finally:
        # Flush what was fetched even if a vendor failed midway: those events are true.
        publisher.close()
    summary.requests = client.requests
    summary.seconds = time.monotonic() - started
    return summary


async def backfill_stripe(
    client: StripeClient,
    publisher: Publisher,
    resources: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
    max_objects: int | None = None,
    clock: Callable[[], float] = time.time,
) -> BackfillSummary:
    """Page through each Stripe resource and publish one synthetic event per object."""
    # charge / payment intent id -> customer id, to key disputes and refunds by customer. Holds ids only.
    customer_of: dict[str, str] = {}

    def to_record(_resource: str, obj: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
        if obj.get("object") in {"charge", "payment_intent"}:
            customer = _id_of(obj.get("customer"))
            if customer:
                customer_of[obj["id"]] = customer
        related = stripe_event_key(obj, customer_of).decode()
        return stripe_record_key(obj), stripe_event(obj, int(clock()), related_customer=related)

    known = list(STRIPE_RESOURCES)
    return await _backfill("stripe", client, publisher, resources, known, to_record, progress, max_objects)


async def backfill_hubspot(
    client: HubSpotClient,
    publisher: Publisher,
    resources: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
    max_objects: int | None = None,
) -> BackfillSummary:
    """Page through HubSpot contacts, companies and owners and publish one event per object."""

    def to_record(resource: str, obj: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
        object_type = HUBSPOT_OBJECT_TYPES[resource]
        event = hubspot_owner_event(obj) if object_type == "owner" else hubspot_event(obj, object_type)
        return hubspot_record_key(event), event

    known = list(HUBSPOT_RESOURCES)
    return await _backfill("hubspot", client, publisher, resources, known, to_record, progress, max_objects)


async def run_backfill_async(
    settings: Settings,
    vendor: str,
    *,
    dry_run: bool = False,
    resources: Sequence[str] | None = None,
    max_objects: int | None = None,
    requests_per_second: float | None = None,
    show_progress: bool = True,
    http: httpx.AsyncClient | None = None,
) -> BackfillSummary:
    """The whole command: clients from `settings`, a publisher (or a counter for `dry_run`), the run."""
    from streams.topics import HUBSPOT_EVENTS, STRIPE_EVENTS

    if vendor not in {"stripe", "hubspot"}:
        raise ValueError("vendor must be stripe or hubspot")
    owned = http is None
    http = http or httpx.AsyncClient()
    # The backfill may wait out a vendor's rate-limit window; the stream's lookups may not.
    retry = RetryPolicy.patient()
    try:
        if dry_run:
            publisher: Publisher = DryRunPublisher()
        else:
            from streams.topics import ensure_topics

            # Create the topics with their compaction config rather than letting the broker auto-create them.
            ensure_topics(settings)
            topic = settings.topic(STRIPE_EVENTS if vendor == "stripe" else HUBSPOT_EVENTS)
            publisher = KafkaPublisher(settings.kafka_client_config(), topic)
        progress: Any = RichProgress(vendor) if show_progress else None
        with progress if progress is not None else contextlib.nullcontext():
            if vendor == "stripe":
                limiter = TokenBucket(requests_per_second) if requests_per_second else None
                stripe = StripeClient(
                    http, settings.stripe_base_url, settings.stripe_api_key, limiter,
                    timeout=BACKFILL_TIMEOUT_SECONDS, retry=retry,
                )  # fmt: skip
                return await backfill_stripe(stripe, publisher, resources, progress=progress, max_objects=max_objects)
            limiter = TokenBucket(requests_per_second) if requests_per_second else None
            hubspot = HubSpotClient(
                http, settings.hubspot_base_url, settings.hubspot_token, limiter,
                timeout=BACKFILL_TIMEOUT_SECONDS, retry=retry,
            )  # fmt: skip
            return await backfill_hubspot(hubspot, publisher, resources, progress=progress, max_objects=max_objects)
    finally:
        if owned:
            await http.aclose()


def run_backfill(settings: Settings, vendor: str, **options: Any) -> BackfillSummary:
    return asyncio.run(run_backfill_async(settings, vendor, **options))


__all__ = [
    "BackfillSummary",
    "DryRunPublisher",
    "KafkaPublisher",
    "VendorUnavailable",
    "backfill_hubspot",
    "backfill_stripe",
    "encode",
    "flatten_associations",
    "hubspot_event",
    "hubspot_owner_event",
    "hubspot_record_key",
    "run_backfill",
    "run_backfill_async",
    "stripe_event",
    "stripe_event_key",
    "stripe_record_key",
]
