"""The idempotency ledger: write key -> what was written, checked before and recorded after a write.

Backed by a Faust table (changelog topic `<app_id>-sink_ledger-changelog`), so it survives crashes
and moves with its partitions on a rebalance. The write key is `<action idempotency key>:<sink>`.
A record is sent to the changelog partition of the event being processed (the table is
co-partitioned with the workflow topics, which all have `topic_partitions` partitions and are
keyed by call id) and awaited until the broker confirms it, before the event is acked.

The ledger alone cannot be exact: a crash after the vendor applied a write and before the record is
durable loses the record. Each vendor's own mechanism closes that gap (sinks/<vendor>.py); the
ledger saves the lookup requests in the common case and is the only guard for Slack.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime
from typing import Any, Protocol

import faust
from faust.types import EventT

from callstream.settings import Settings

TABLE_NAME = "sink_ledger"


def write_key(idempotency_key: str, sink: str) -> str:
    return f"{idempotency_key}:{sink}"


def entry(outcome: str, external_ref: str | None, detail: str) -> dict[str, Any]:
    return {"outcome": outcome, "ref": external_ref, "detail": detail, "at": datetime.now(UTC).isoformat()}


class Ledger(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    async def record(self, event: EventT | None, key: str, value: dict[str, Any]) -> None: ...


class MemoryLedger:
    """For unit tests and the benchmark: the same interface, a dict behind it."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        return self.entries.get(key)

    async def record(self, event: EventT | None, key: str, value: dict[str, Any]) -> None:
        self.entries[key] = value


def declare_ledger_table(app: faust.App, settings: Settings) -> faust.types.TableT:
    return app.Table(
        TABLE_NAME,
        default=None,
        key_type=str,
        value_type=None,
        partitions=settings.topic_partitions,
        help="sink write key -> outcome, external ref and time of the write",
    )


class FaustLedger:
    def __init__(self, table: faust.types.TableT) -> None:
        self.table = table

    def get(self, key: str) -> dict[str, Any] | None:
        value = self.table.get(key)
        return value if isinstance(value, dict) else None

    async def record(self, event: EventT | None, key: str, value: dict[str, Any]) -> None:
        if event is None:
            raise RuntimeError("a ledger record needs the event it belongs to")
        # Batched agents (take_events) process events after the stream moved on, so Faust's
        # "current event" is not this one. Point it at this event so the store and the changelog
        # use this event's partition (faust keeps it in a context variable: faust.streams).
        from faust.streams import _current_event

        token = _current_event.set(weakref.ref(event))
        try:
            future = self.table.send_changelog(event.message.partition, key, value)
            self.table.data[key] = value
        finally:
            _current_event.reset(token)
        await future  # durable before the event is acked
