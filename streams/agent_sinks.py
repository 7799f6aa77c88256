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

import faust
from faust.types import EventT

from schemas.models import SinkResult, WorkflowAction
from sinks.contract import ALREADY_WRITTEN, FAILED, NEEDS_REVIEW, UNCONFIRMED, SinkOutcome
from sinks.factory import Sink, alert_urgencies, build_sinks, new_http_client, retry_policy
from sinks.ledger import FaustLedger, Ledger, declare_ledger_table, entry, write_key
from sinks.retry import RetryPolicy
from sinks.routing import SHEETS, TOPIC_SINKS, needs, review_copy
from sinks.runner import PermanentFailure, RetriesExhausted, run_with_retry
from streams.stage import Pipeline, StageError, decode_or_dead_letter

log = logging.getLogger("callstream.sinks")

LOOKAHEAD = 500  # messages a fast lane may run ahead of the slowest lane of the same topic
# (sink name, outcome) -> results reported by this worker: `unconfirmed` is the one ops watch.
OUTCOME_COUNTS: Counter[tuple[str, str]] = Counter()
_TO_REVIEW = frozenset({UNCONFIRMED, NEEDS_REVIEW})  # outcomes a person finishes, from a review row


def register(pipeline: Pipeline) -> None:
    settings = pipeline.settings
    sinks = build_sinks(settings, pipeline.outbox, new_http_client(settings))
    ledger = FaustLedger(declare_ledger_table(pipeline.app, settings))
    policy = retry_policy(settings)
    urgencies = alert_urgencies(settings)
    for workflow, topic in pipeline.topics.workflows.items():
        lanes = [sinks[vendor] for vendor in TOPIC_SINKS.get(workflow, ())]
        TopicSinkAgent(pipeline, workflow, lanes, ledger, policy, urgencies, review_sink=sinks[SHEETS]).attach(topic)


@dataclass
class _Work:
    event: EventT
    action: WorkflowAction | None  # None: undecodable, already dead-lettered
    done: list[asyncio.Future[None]] = field(default_factory=list)


class TopicSinkAgent:
    def __init__(
        self,
        pipeline: Pipeline,
        workflow: str,
        sinks: Sequence[Sink],
        ledger: Ledger,
        policy: RetryPolicy,
        urgencies: frozenset[str],
        review_sink: Sink | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.workflow = workflow
        # An unconfirmed write becomes a review row, written in the lane that got it (never queued).
        review = SinkLane(pipeline, workflow, review_sink, ledger, policy) if review_sink is not None else None
        self.lanes = [SinkLane(pipeline, workflow, sink, ledger, policy, review) for sink in sinks]
        self.urgencies = urgencies
        self.stage = f"sink_{workflow}"

    def attach(self, topic: faust.TopicT) -> None:
        self.pipeline.app.agent(topic, name=self.stage, concurrency=1)(self.run)

    async def run(self, stream: faust.StreamT) -> None:
        # Manual acks, as Faust's own take_events does: ack only when every lane finished.
        stream.enable_acks = False
        window = asyncio.Semaphore(LOOKAHEAD)
        in_order: asyncio.Queue[_Work] = asyncio.Queue()
        tasks = [asyncio.ensure_future(lane.run()) for lane in self.lanes]
        tasks.append(asyncio.ensure_future(self._ack_in_order(stream, in_order, window)))
        try:
            async for event in stream.events():
                await window.acquire()
                work = _Work(event, await self._decode(event))
                if work.action is not None:
                    for lane in self.lanes:
                        if needs(self.workflow, lane.sink.vendor, work.action, self.urgencies):
                            work.done.append(lane.submit(event, work.action))
                in_order.put_nowait(work)
        finally:
            for task in tasks:
                task.cancel()
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
            work = await in_order.get()
            if work.done:
                await asyncio.gather(*work.done)  # lanes never fail a future: they dead-letter instead
            await stream.ack(work.event)
            window.release()


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
        self.queue: asyncio.Queue[tuple[EventT, WorkflowAction, asyncio.Future[None]]] = asyncio.Queue()
        self.batched = sink.write_batch is not None and sink.batch_rows > 1

    def submit(self, event: EventT, action: WorkflowAction) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((event, action, done))
        return done

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
            try:
                if self.batched:
                    await self._guard_batch(items)
                else:
                    for event, action, _ in items:
                        await self.pipeline.guarded(event, self.stage, lambda _e, a=action: self.write_one(_e, a))
            finally:
                for _, _, done in items:
                    if not done.done():
                        done.set_result(None)

    # --- one action ---------------------------------------------------------------------------

    async def write_one(self, event: EventT, action: WorkflowAction) -> None:
        key = write_key(action.idempotency_key, self.sink.vendor)
        if await self._already_in_ledger(event, action, key):
            return
        try:
            outcome, attempts = await run_with_retry(
                lambda: self.sink.write(action, key), self.sink.breaker, self.policy
            )
        except (PermanentFailure, RetriesExhausted) as failure:
            await self._fail(event, action, key, failure.reason, failure.attempts)
            return
        await self._done(event, action, key, outcome, attempts)

    async def _already_in_ledger(self, event: EventT, action: WorkflowAction, key: str) -> bool:
        done = self.ledger.get(key)
        if done is None:
            return False
        if done.get("outcome") in _TO_REVIEW:  # still a person's: say so again, and make sure it is in review
            outcome = SinkOutcome(done["outcome"], done.get("ref"), f"{done.get('detail', '')} (idempotency ledger)")
            await self._result(event, action, key, outcome, attempts=0)
            await self._to_review(event, action, key, outcome)
            return True
        outcome = SinkOutcome(ALREADY_WRITTEN, done.get("ref"), "in the idempotency ledger")
        await self._result(event, action, key, outcome, attempts=0)
        return True

    async def _done(self, event: EventT, action: WorkflowAction, key: str, outcome: SinkOutcome, attempts: int) -> None:
        await self.ledger.record(event, key, entry(outcome.outcome, outcome.external_ref, outcome.detail))
        await self._result(event, action, key, outcome, attempts)
        if outcome.outcome in _TO_REVIEW:
            await self._to_review(event, action, key, outcome)

    async def _to_review(self, event: EventT, action: WorkflowAction, key: str, outcome: SinkOutcome) -> None:
        """Never `written`, never dead-lettered: a review row (its own key, exactly once) for a person."""
        log.warning("%s: %s (%d so far): review row requested", self.stage, outcome.outcome,
                    OUTCOME_COUNTS[(self.sink.name, outcome.outcome)])  # fmt: skip
        if self.review is not None:
            copy = review_copy(action, self.sink.vendor, key, outcome.outcome, outcome.detail)
            await self.review.write_one(event, copy)

    async def _fail(self, event: EventT, action: WorkflowAction, key: str, reason: str, attempts: int) -> None:
        await self._result(event, action, key, SinkOutcome(FAILED, None, reason), attempts)
        await self.pipeline.dead_letter(
            event, self.stage, StageError(f"{self.sink.name}: {reason}", payload=event.value), "SinkFailure"
        )

    async def _result(
        self, event: EventT, action: WorkflowAction, key: str, outcome: SinkOutcome, attempts: int
    ) -> None:
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
        )
        OUTCOME_COUNTS[(self.sink.name, outcome.outcome)] += 1
        await self.pipeline.send(
            self.pipeline.topics.sink_results, event.key, self.pipeline.codecs.sink_result.encode(result)
        )

    # --- a batch (Google Sheets) -------------------------------------------------------------

    async def _guard_batch(self, items: Sequence[tuple[EventT, WorkflowAction, asyncio.Future[None]]]) -> None:
        try:
            await self._write_batch([(event, action) for event, action, _ in items])
        except Exception as error:  # never out of the lane: fall back to one at a time, each guarded
            log.error("batch write failed in %s (%s); writing one by one", self.stage, type(error).__name__)
            for event, action, _ in items:
                await self.pipeline.guarded(event, self.stage, lambda _e, a=action: self.write_one(_e, a))

    async def _write_batch(self, items: Sequence[tuple[EventT, WorkflowAction]]) -> None:
        pending: list[tuple[EventT, WorkflowAction, str]] = []
        seen: set[str] = set()
        for event, action in items:
            key = write_key(action.idempotency_key, self.sink.vendor)
            if key in seen:  # a redelivery inside this batch: one row, and the twin says so
                await self._result(event, action, key, SinkOutcome(ALREADY_WRITTEN, None, "same batch"), 0)
            elif not await self._already_in_ledger(event, action, key):
                seen.add(key)
                pending.append((event, action, key))
        if not pending:
            return
        assert self.sink.write_batch is not None
        write_batch = self.sink.write_batch
        rows = [(action, key) for _, action, key in pending]
        try:
            outcomes, attempts = await run_with_retry(lambda: write_batch(rows), self.sink.breaker, self.policy)
        except PermanentFailure:
            # One bad row must not sink the others: the API applies a request all or nothing.
            for event, action, _ in pending:
                await self.pipeline.guarded(event, self.stage, lambda _e, a=action: self.write_one(_e, a))
            return
        except RetriesExhausted as failure:
            for event, action, key in pending:
                await self._fail(event, action, key, failure.reason, failure.attempts)
            return
        for (event, action, key), outcome in zip(pending, outcomes, strict=True):
            await self._done(event, action, key, outcome, attempts)
