"""Stage 4: `workflow.<name>` -> Altoviz / Zendesk / Google Sheets / Slack -> `sink.results`.

One agent per workflow topic, concurrency 1. Inside it, one lane (an asyncio task with its own
queue) per sink the topic can need (`sinks.routing`), so while one vendor is down and its lane waits
and retries, the other vendors' lanes of the same topic keep writing, up to `LOOKAHEAD` messages
ahead. Offsets are acked manually, strictly in the order the messages arrived, and only once every
lane is done with the message: so a crash never commits past a write that did not happen.

Why not several agents on one topic: each gets its own stream and acks on its own, which is the
same shape as concurrency > 1 (faust #606); in our SIGKILL test it committed offsets of messages a
slower agent had not written yet, and the restarted worker skipped them.

For each action and sink: ledger check -> vendor write with bounded retries (backoff + jitter,
Retry-After, rate limit, circuit breaker) -> ledger record (awaited) -> `sink.results`. A permanent
failure, or retries exhausted, is reported `failed` and dead-lettered with the reason; never an
exception out of the agent (Faust would ack it). The Sheets lane appends a batch of rows at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import faust
from faust.types import EventT

from schemas.models import SinkResult, WorkflowAction
from sinks.contract import ALREADY_WRITTEN, FAILED, NEEDS_REVIEW, UNCONFIRMED, SinkOutcome
from sinks.factory import Sink, alert_urgencies, build_sinks, new_http_client, retry_policy
from sinks.ledger import FaustLedger, Ledger, declare_ledger_table, entry, write_key
from sinks.retry import RetryPolicy
from sinks.routing import SHEETS, TOPIC_SINKS, needs, review_copy
from sinks.runner import Abandoned, PermanentFailure, RetriesExhausted, run_with_retry
from streams.lineage import lineage_headers, parse_lineage
from streams.stage import Pipeline, StageError, decode_or_dead_letter, headers_of

log = logging.getLogger("callstream.sinks")

LOOKAHEAD = 500  # messages a fast lane may run ahead of the slowest lane of the same topic
# (sink name, outcome) -> results reported by this worker: `unconfirmed` is the one ops watch.
OUTCOME_COUNTS: Counter[tuple[str, str]] = Counter()
_TO_REVIEW = frozenset({UNCONFIRMED, NEEDS_REVIEW})  # outcomes a person finishes, from a review row


def register(pipeline: Pipeline) -> None:
    settings = pipeline.settings
    sinks = build_sinks(settings, pipeline.outbox, new_http_client(settings))
    pipeline.metrics.watch_sinks(sinks.values())
    ledger = FaustLedger(declare_ledger_table(pipeline.app, settings))
    policy = retry_policy(settings)
    urgencies = alert_urgencies(settings)
    flow = FaustFlow(pipeline.app)
    for workflow, topic in pipeline.topics.workflows.items():
        lanes = [sinks[vendor] for vendor in TOPIC_SINKS.get(workflow, ())]
        agent = TopicSinkAgent(
            pipeline, workflow, lanes, ledger, policy, urgencies, flow, settings.drain_deadline_seconds,
            review_sink=sinks[SHEETS],
        )
        agent.attach(topic)


class Flow(Protocol):
    """What the sink agent needs to know about its consumer: when it stops handing out messages
    (a partition revocation or a shutdown begins), when it resumes, and how to give a message back."""

    def stopped(self) -> bool: ...

    async def wait_stopped(self) -> None: ...

    async def wait_resumed(self) -> None: ...

    def release(self, event: EventT) -> None: ...


class FaustFlow:
    """Faust's consumer: `stop_flow()` is called first thing on a revocation and on shutdown, then
    the consumer waits (`wait_empty`) until every message it handed out is acked or forgotten.
    `release` makes it forget a message without acking it: its offset is not committed, so the
    message is redelivered from the committed offset to whoever owns the partition next."""

    def __init__(self, app: faust.App) -> None:
        self.app = app

    def stopped(self) -> bool:
        return bool(self.app.consumer.suspend_flow.is_set())

    async def wait_stopped(self) -> None:
        await self.app.consumer.suspend_flow.wait()

    async def wait_resumed(self) -> None:
        await self.app.consumer.can_resume_flow.wait()

    def release(self, event: EventT) -> None:
        self.app.consumer.unacked.discard(event.message)


@dataclass(eq=False)
class _Epoch:
    """The messages taken between two stops of the flow. When it ends, its unfinished writes are
    abandoned (never acked) and its `ended` event cuts retry waits short."""

    number: int
    ended: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(eq=False)
class _Work:
    event: EventT
    epoch: _Epoch
    action: WorkflowAction | None  # None: undecodable, already dead-lettered
    # One per lane that must write it: True when the lane finished (written, already written, or
    # failed and dead-lettered), False when the lane abandoned it (the epoch ended first).
    done: list[asyncio.Future[bool]] = field(default_factory=list)


@dataclass(eq=False)
class _Item:
    event: EventT
    action: WorkflowAction
    epoch: _Epoch
    done: asyncio.Future[bool]

    def finish(self, finished: bool) -> None:
        if not self.done.done():
            self.done.set_result(finished)


class TopicSinkAgent:
    def __init__(
        self,
        pipeline: Pipeline,
        workflow: str,
        sinks: Sequence[Sink],
        ledger: Ledger,
        policy: RetryPolicy,
        urgencies: frozenset[str],
        flow: Flow,
        drain_deadline: float = 20.0,
        review_sink: Sink | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.workflow = workflow
        # An unconfirmed write becomes a review row, written in the lane that got it (never queued).
        review = SinkLane(pipeline, workflow, review_sink, ledger, policy) if review_sink is not None else None
        self.lanes = [SinkLane(pipeline, workflow, sink, ledger, policy, review) for sink in sinks]
        self.urgencies = urgencies
        self.flow = flow
        self.drain_deadline = drain_deadline
        self.stage = f"sink_{workflow}"
        self.epoch = _Epoch(0)
        self._dropping_through = -1  # epochs up to this one: nothing more is acked (a write was abandoned)
        self._outstanding: dict[int, _Work] = {}  # taken, not yet acked or released

    def attach(self, topic: faust.TopicT) -> None:
        self.pipeline.app.agent(topic, name=self.stage, concurrency=1)(self.run)

    async def run(self, stream: faust.StreamT) -> None:
        # Manual acks, as Faust's own take_events does: ack only when every lane finished.
        stream.enable_acks = False
        window = asyncio.Semaphore(LOOKAHEAD)
        in_order: asyncio.Queue[_Work] = asyncio.Queue()
        for lane in self.lanes:
            lane.start()
        tasks = [
            asyncio.ensure_future(self._ack_in_order(stream, in_order, window)),
            asyncio.ensure_future(self._watch_flow()),
        ]
        try:
            async for event in stream.events():
                await window.acquire()
                if self.flow.stopped():
                    # Taken just before a revocation or shutdown began: give it back unprocessed.
                    self.flow.release(event)
                    window.release()
                    continue
                work = _Work(event, self.epoch, await self._decode(event))
                if work.action is not None:
                    for lane in self.lanes:
                        if needs(self.workflow, lane.sink.vendor, work.action, self.urgencies):
                            work.done.append(lane.submit(event, work.action, work.epoch))
                self._outstanding[id(work)] = work
                in_order.put_nowait(work)
                del work
        finally:
            for task in tasks:
                task.cancel()
            for lane in self.lanes:
                await lane.stop()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _decode(self, event: EventT) -> WorkflowAction | None:
        try:
            return decode_or_dead_letter(self.pipeline.codecs.action, event)
        except StageError as error:
            await self.pipeline.dead_letter(event, self.stage, error, type(error).__name__)
            return None

    async def _ack_in_order(
        self, stream: faust.StreamT, in_order: asyncio.Queue[_Work], window: asyncio.Semaphore
    ) -> None:
        while True:
            work: _Work | None = await in_order.get()
            assert work is not None
            try:
                finished = all(await asyncio.gather(*work.done)) if work.done else True
                if finished and work.epoch.number > self._dropping_through:
                    await stream.ack(work.event)
                else:
                    # Abandoned, or behind an abandoned message of the same epoch: acking it would
                    # commit past the abandoned one. Redelivered; the ledger skips what was written.
                    self._dropping_through = max(self._dropping_through, work.epoch.number)
                    self.flow.release(work.event)
            finally:
                self._outstanding.pop(id(work), None)
                window.release()
                work = None  # no reference may keep a released message alive

    # --- stopping: revocation and shutdown ------------------------------------------------------

    async def _watch_flow(self) -> None:
        while True:
            await self.flow.wait_stopped()
            await self.release_epoch()
            await self.flow.wait_resumed()

    async def release_epoch(self) -> None:
        """Stop the current epoch: no new attempt, retry or queued write starts; an attempt in flight
        may finish until the drain deadline, then it is cancelled. Whatever did not finish is never
        acked: it is released to the consumer and redelivered to the partition's next owner."""
        ending = self.epoch
        self.epoch = _Epoch(ending.number + 1)
        ending.ended.set()
        started = time.monotonic()
        pending = [future for work in self._outstanding.values() if work.epoch is ending for future in work.done]
        if pending:
            _done, late = await asyncio.wait(pending, timeout=self.drain_deadline)
            if late:
                for lane in self.lanes:
                    await lane.abort(ending)
        log.info(
            "%s: flow stopped; %d unfinished writes settled in %.1f s (drain deadline %.0f s)",
            self.stage, len(pending), time.monotonic() - started, self.drain_deadline,
        )  # fmt: skip


class SinkLane:
    """One sink of one topic: its own queue, processed in arrival order (batched for Sheets)."""

    def __init__(
        self,
        pipeline: Pipeline,
        workflow: str,
        sink: Sink,
        ledger: Ledger,
        policy: RetryPolicy,
        review: SinkLane | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.sink = sink
        self.review = review
        self.ledger = ledger
        self.policy = policy
        self.stage = f"sink_{workflow}_{sink.vendor}"
        self.queue: asyncio.Queue[_Item] = asyncio.Queue()
        self.batched = sink.write_batch is not None and sink.batch_rows > 1
        self._task: asyncio.Task[None] | None = None
        self._current: asyncio.Task[None] | None = None
        self._current_epoch: _Epoch | None = None

    def submit(self, event: EventT, action: WorkflowAction, epoch: _Epoch) -> asyncio.Future[bool]:
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.queue.put_nowait(_Item(event, action, epoch, done))
        return done

    def start(self) -> None:
        self._task = asyncio.ensure_future(self.run())

    async def stop(self) -> None:
        """Shut down: whatever is queued or in flight is abandoned (never reported finished)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        while not self.queue.empty():
            self.queue.get_nowait().finish(False)

    async def abort(self, epoch: _Epoch) -> None:
        """The drain deadline passed: cancel the write of `epoch` in flight, if any."""
        current = self._current
        if current is not None and self._current_epoch is epoch and not current.done():
            log.warning("%s: drain deadline passed, abandoning the write in flight", self.stage)
            current.cancel()
            await asyncio.wait({current})

    async def run(self) -> None:
        while True:
            items = [await self.queue.get()]
            if self.batched:
                deadline = time.monotonic() + self.sink.batch_seconds
                while len(items) < self.sink.batch_rows:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    try:
                        items.append(await asyncio.wait_for(self.queue.get(), remaining))
                    except TimeoutError:
                        break
            live = []
            for item in items:
                if item.epoch.ended.is_set():
                    item.finish(False)  # its epoch ended before the write started
                else:
                    live.append(item)
            items = []
            if live:
                self._current_epoch = live[0].epoch
                self._current = asyncio.ensure_future(self._process(live))
                try:
                    await asyncio.wait({self._current})
                finally:
                    if not self._current.done():  # this lane itself is being cancelled
                        self._current.cancel()
                    for item in live:
                        item.finish(False)  # only reached unfinished when abandoned or cancelled
                    self._current = None
                    self._current_epoch = None
                    live = []

    async def _process(self, items: Sequence[_Item]) -> None:
        if self.batched:
            await self._guard_batch(items)
        else:
            for item in items:
                await self._guard_one(item)

    async def _guard_one(self, item: _Item) -> None:
        """One write, never an exception out of the lane; resolves the item's future."""
        abandoned = False

        async def handle(event: EventT) -> None:
            nonlocal abandoned
            try:
                await self.write_one(event, item.action, item.epoch.ended)
            except Abandoned:
                abandoned = True

        if item.epoch.ended.is_set():
            item.finish(False)
            return
        await self.pipeline.guarded(item.event, self.stage, handle)
        item.finish(not abandoned)

    # --- one action ---------------------------------------------------------------------------

    async def write_one(self, event: EventT, action: WorkflowAction, stop: asyncio.Event | None = None) -> None:
        key = self.write_key(action)
        if await self._already_in_ledger(event, action, key, stop):
            return
        try:
            outcome, attempts = await run_with_retry(
                lambda: self.sink.write(action, key), self.sink.breaker, self.policy, stop=stop
            )
        except (PermanentFailure, RetriesExhausted) as failure:
            await self._fail(event, action, key, failure.reason, failure.attempts)
            return
        await self._done(event, action, key, outcome, attempts, stop)

    def write_key(self, action: WorkflowAction) -> str:
        # The sink's name, not its vendor: an outbox write (`outbox:<vendor>`) is not the vendor's
        # write, so once the vendor is configured a replay still delivers it there, once.
        return write_key(action.idempotency_key, self.sink.name)

    async def _already_in_ledger(
        self, event: EventT, action: WorkflowAction, key: str, stop: asyncio.Event | None = None
    ) -> bool:
        done = self.ledger.get(key)
        if done is None:
            return False
        if done.get("outcome") in _TO_REVIEW:  # still a person's: say so again, and make sure it is in review
            outcome = SinkOutcome(done["outcome"], done.get("ref"), f"{done.get('detail', '')} (idempotency ledger)")
            await self._result(event, action, key, outcome, attempts=0)
            await self._to_review(event, action, key, outcome, stop)
            return True
        outcome = SinkOutcome(ALREADY_WRITTEN, done.get("ref"), "in the idempotency ledger")
        await self._result(event, action, key, outcome, attempts=0)
        return True

    async def _done(
        self,
        event: EventT,
        action: WorkflowAction,
        key: str,
        outcome: SinkOutcome,
        attempts: int,
        stop: asyncio.Event | None = None,
    ) -> None:
        await self.ledger.record(event, key, entry(outcome.outcome, outcome.external_ref, outcome.detail))
        await self._result(event, action, key, outcome, attempts)
        if outcome.outcome in _TO_REVIEW:
            await self._to_review(event, action, key, outcome, stop)

    async def _to_review(
        self, event: EventT, action: WorkflowAction, key: str, outcome: SinkOutcome, stop: asyncio.Event | None = None
    ) -> None:
        """Never `written`, never dead-lettered: a review row (its own key, exactly once) for a person."""
        log.warning("%s: %s (%d so far): review row requested", self.stage, outcome.outcome,
                    OUTCOME_COUNTS[(self.sink.name, outcome.outcome)])  # fmt: skip
        if self.review is not None:
            copy = review_copy(action, self.sink.vendor, key, outcome.outcome, outcome.detail)
            # The same stop as the write that needs it: abandoned on a revocation, redelivered, and the
            # ledger's unconfirmed/needs_review entry asks for the row again.
            await self.review.write_one(event, copy, stop)

    async def _fail(self, event: EventT, action: WorkflowAction, key: str, reason: str, attempts: int) -> None:
        await self._result(event, action, key, SinkOutcome(FAILED, None, reason), attempts)
        await self.pipeline.dead_letter(
            event, self.stage, StageError(f"{self.sink.name}: {reason}", payload=event.value), "SinkFailure"
        )

    async def _result(
        self, event: EventT, action: WorkflowAction, key: str, outcome: SinkOutcome, attempts: int
    ) -> None:
        """The one place where a lane's SinkOutcome becomes a `sink.results` record."""
        self.pipeline.metrics.observe_sink_result(self.sink.vendor, outcome.outcome, attempts)
        # Batched writes run outside the guard's context: the lineage comes from the event itself.
        lineage = headers_of(event)
        result = SinkResult(
            idempotency_key=key,
            call_id=action.call_id,
            workflow=action.workflow,
            action=action.action,
            sink=self.sink.name,
            outcome=outcome.outcome,
            attempts=attempts,
            external_ref=outcome.external_ref,
            detail=outcome.detail[:500],
            **parse_lineage(lineage).model_fields(),  # a replay or redrive says so in the audit trail
        )
        OUTCOME_COUNTS[(self.sink.name, outcome.outcome)] += 1
        await self.pipeline.send(
            self.pipeline.topics.sink_results,
            event.key,
            self.pipeline.codecs.sink_result.encode(result),
            lineage_headers(lineage),
        )

    # --- a batch (Google Sheets) -------------------------------------------------------------

    async def _guard_batch(self, items: Sequence[_Item]) -> None:
        try:
            await self._write_batch(items)
        except Abandoned:
            for item in items:
                item.finish(False)
        except Exception as error:  # never out of the lane: fall back to one at a time, each guarded
            log.error("batch write failed in %s (%s); writing one by one", self.stage, type(error).__name__)
            for item in items:
                if not item.done.done():
                    await self._guard_one(item)

    async def _write_batch(self, items: Sequence[_Item]) -> None:
        pending: list[tuple[_Item, str]] = []
        seen: set[str] = set()
        stop = items[0].epoch.ended  # one batch, one epoch (the lane never mixes epochs: see run)
        for item in items:
            key = self.write_key(item.action)
            if key in seen:  # a redelivery inside this batch: one row, and the twin says so
                await self._result(item.event, item.action, key, SinkOutcome(ALREADY_WRITTEN, None, "same batch"), 0)
                item.finish(True)
            elif await self._already_in_ledger(item.event, item.action, key):
                item.finish(True)
            else:
                seen.add(key)
                pending.append((item, key))
        if not pending:
            return
        assert self.sink.write_batch is not None
        write_batch = self.sink.write_batch
        rows = [(item.action, key) for item, key in pending]
        try:
            outcomes, attempts = await run_with_retry(
                lambda: write_batch(rows), self.sink.breaker, self.policy, stop=stop
            )
        except PermanentFailure:
            # One bad row must not sink the others: the API applies a request all or nothing.
            for item, _ in pending:
                await self._guard_one(item)
            return
        except RetriesExhausted as failure:
            for item, key in pending:
                await self._fail(item.event, item.action, key, failure.reason, failure.attempts)
                item.finish(True)
            return
        for (item, key), outcome in zip(pending, outcomes, strict=True):
            await self._done(item.event, item.action, key, outcome, attempts)
            item.finish(True)
