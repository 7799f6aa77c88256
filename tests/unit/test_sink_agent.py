"""The sink agent's acks, without Kafka: what is acked, what is given back, when a lane stops.

The stream and the consumer's flow are small stand-ins with Faust's interface (events(), ack(),
the consumer's stop/resume of the flow, forgetting a message); sinks are plain async functions.
Each test drives the agent on one event loop and bounds every wait.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

from callstream.settings import Settings
from schemas.codecs import build_codecs
from sinks.breaker import CircuitBreaker
from sinks.contract import WRITTEN, RetryableSinkError, SinkOutcome
from sinks.factory import Sink
from sinks.ledger import MemoryLedger
from sinks.retry import RetryPolicy
from streams.agent_sinks import TopicSinkAgent
from streams.stage import Pipeline
from tests.fakes.actions import make_action

CODECS = build_codecs()
FAST_RETRIES = RetryPolicy(max_attempts=10_000, base_delay=0.01, max_delay=0.05, max_elapsed=900.0)


class FakeTopic:
    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, bytes]] = []

    async def send(self, key: bytes | None, value: bytes) -> asyncio.Future[None]:
        self.sent.append((key, value))
        delivered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered


class FakeStream:
    """Faust's stream as the agent uses it: events() in offset order, ack(event)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.acked: list[int] = []
        self.enable_acks = True

    def deliver(self, *events: Any) -> None:
        for event in events:
            self.queue.put_nowait(event)

    async def events(self):  # type: ignore[no-untyped-def]
        while True:
            yield await self.queue.get()

    async def ack(self, event: Any) -> bool:
        self.acked.append(event.message.offset)
        return True


class FakeFlow:
    """The consumer's flow: stopped on a revocation or shutdown, resumed after an assignment."""

    def __init__(self) -> None:
        self._stopped = asyncio.Event()
        self._resumed = asyncio.Event()
        self.released: list[int] = []

    def stopped(self) -> bool:
        return self._stopped.is_set()

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    async def wait_resumed(self) -> None:
        await self._resumed.wait()

    def release(self, event: Any) -> None:
        self.released.append(event.message.offset)

    def stop(self) -> None:
        self._resumed.clear()
        self._stopped.set()

    def resume(self) -> None:
        self._stopped.clear()
        self._resumed.set()


def event(offset: int, call: str | None = None) -> Any:
    action = make_action(call or f"call_{offset}", "contact_sync")
    message = SimpleNamespace(topic="workflow.contact_sync", partition=0, offset=offset)
    return SimpleNamespace(key=action.call_id.encode(), value=CODECS.action.encode(action), message=message)


def pipeline() -> Pipeline:
    topics = SimpleNamespace(sink_results=FakeTopic(), deadletter=FakeTopic())
    return Pipeline(
        app=None,  # type: ignore[arg-type]
        settings=Settings(_env_file=None),
        topics=topics,  # type: ignore[arg-type]
        tables=None,  # type: ignore[arg-type]
        codecs=CODECS,
        outbox=None,  # type: ignore[arg-type]
        policy=None,  # type: ignore[arg-type]
    )


class Vendor:
    """Counts applied writes per call; `failing` calls answer 503 for ever, `hanging` ones never answer."""

    def __init__(self, failing: set[str] = frozenset(), hanging: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.failing = set(failing)
        self.hanging = set(hanging)
        self.writes: dict[str, int] = {}
        self.attempts: dict[str, int] = {}
        self.calls_after_stop = 0
        self.stopped_at: float | None = None

    async def write(self, action: Any, key: str) -> SinkOutcome:
        self.attempts[action.call_id] = self.attempts.get(action.call_id, 0) + 1
        if self.stopped_at is not None:
            self.calls_after_stop += 1
        if action.call_id in self.hanging:
            await asyncio.sleep(3600)
        if action.call_id in self.failing:
            raise RetryableSinkError("altoviz: HTTP 503")
        self.writes[action.call_id] = self.writes.get(action.call_id, 0) + 1
        return SinkOutcome(WRITTEN, key)


def agent_for(vendor: Vendor, flow: FakeFlow, ledger: MemoryLedger, drain: float = 0.5) -> TopicSinkAgent:
    sink = Sink("altoviz", "altoviz", vendor.write, CircuitBreaker("altoviz", failure_threshold=10_000))
    return TopicSinkAgent(pipeline(), "contact_sync", [sink], ledger, FAST_RETRIES, frozenset(), flow, drain)


async def until(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.01)
    return bool(condition())


async def cancel(task: asyncio.Task[Any]) -> None:
    task.cancel()
    await asyncio.wait({task}, timeout=5)


def test_agent_stopped_while_a_vendor_fails_acks_only_what_was_written() -> None:
    """The suspected loss path: a lane's `finally` marking queued items done when the agent stops."""

    async def scenario() -> None:
        vendor, flow, stream = Vendor(failing={"call_2"}), FakeFlow(), FakeStream()
        task = asyncio.ensure_future(agent_for(vendor, flow, MemoryLedger()).run(stream))  # type: ignore[arg-type]
        stream.deliver(*(event(offset) for offset in range(6)))
        assert await until(lambda: vendor.attempts.get("call_2", 0) >= 3)
        await cancel(task)  # what Faust does to an agent on shutdown
        await asyncio.sleep(0.1)
        assert stream.acked == [0, 1]
        assert set(vendor.writes) == {"call_0", "call_1"}

    asyncio.run(scenario())


def test_revocation_gives_back_unfinished_writes_unacked_within_the_drain_deadline() -> None:
    async def scenario() -> None:
        vendor, flow, stream = Vendor(failing={"call_2"}, hanging={"call_h"}), FakeFlow(), FakeStream()
        ledger = MemoryLedger()
        agent = agent_for(vendor, flow, ledger, drain=0.5)
        task = asyncio.ensure_future(agent.run(stream))  # type: ignore[arg-type]
        stream.deliver(*(event(offset) for offset in range(6)))
        assert await until(lambda: vendor.attempts.get("call_2", 0) >= 3)  # retrying, the rest queued
        assert stream.acked == [0, 1]

        stopped = time.monotonic()
        flow.stop()  # the consumer stops its flow: a revocation (or shutdown) begins
        vendor.stopped_at = stopped
        assert await until(lambda: sorted(flow.released) == [2, 3, 4, 5], timeout=3)
        assert time.monotonic() - stopped < 0.3  # a retry wait and queued writes are given back at once
        assert stream.acked == [0, 1]
        assert vendor.calls_after_stop == 0

        # Redelivered after the assignment (the vendor has recovered): each written once.
        vendor.failing.clear()
        flow.resume()
        stream.deliver(*(event(offset) for offset in range(0, 6)))
        assert await until(lambda: len(stream.acked) == 8)
        assert stream.acked == [0, 1, 0, 1, 2, 3, 4, 5]
        assert vendor.writes == {f"call_{i}": 1 for i in range(6)}

        # A write that never answers: cancelled at the drain deadline, given back, not acked.
        stream.deliver(event(6, "call_h"), event(7))
        assert await until(lambda: vendor.attempts.get("call_h", 0) == 1)
        stopped = time.monotonic()
        flow.stop()
        assert await until(lambda: sorted(flow.released)[-2:] == [6, 7], timeout=3)
        waited = time.monotonic() - stopped
        assert 0.45 <= waited < 1.5, waited
        assert stream.acked[-1] == 5 and "call_7" not in vendor.writes
        await cancel(task)

    asyncio.run(scenario())


def test_an_event_taken_after_the_flow_stopped_is_given_back_untouched() -> None:
    async def scenario() -> None:
        vendor, flow, stream = Vendor(), FakeFlow(), FakeStream()
        task = asyncio.ensure_future(agent_for(vendor, flow, MemoryLedger()).run(stream))  # type: ignore[arg-type]
        flow.stop()
        stream.deliver(event(0))
        assert await until(lambda: flow.released == [0])
        assert stream.acked == [] and vendor.attempts == {}
        await cancel(task)

    asyncio.run(scenario())


def test_an_outbox_write_is_not_the_vendors_write_and_a_replay_delivers_it_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sinks.factory import OutboxWriter
    from sinks.outbox import Outbox

    async def scenario() -> None:
        ledger, outbox = MemoryLedger(), Outbox(tmp_path / "outbox.sqlite3")
        events = [event(offset) for offset in range(3)]

        async def run(sink: Sink) -> FakeStream:
            flow, stream = FakeFlow(), FakeStream()
            agent = TopicSinkAgent(pipeline(), "contact_sync", [sink], ledger, FAST_RETRIES, frozenset(), flow)
            task = asyncio.ensure_future(agent.run(stream))  # type: ignore[arg-type]
            stream.deliver(*events)
            assert await until(lambda: len(stream.acked) == len(events))
            await cancel(task)
            return stream

        # No credentials yet: the outbox takes the writes, under its own ledger keys.
        await run(Sink("altoviz", "outbox:altoviz", OutboxWriter(outbox, "altoviz").write, CircuitBreaker("o")))
        assert sorted(ledger.entries) == [
            f"call_{i}:contact_sync:find_or_create_contact:outbox:altoviz" for i in range(3)
        ]
        # The vendor is configured and the range replayed: each reaches the vendor once; then never again.
        vendor = Vendor()
        for _replay in range(2):
            await run(Sink("altoviz", "altoviz", vendor.write, CircuitBreaker("a")))
        assert vendor.writes == {f"call_{i}": 1 for i in range(3)}
        assert vendor.attempts == {f"call_{i}": 1 for i in range(3)}

    asyncio.run(scenario())
