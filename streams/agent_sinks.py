"""Stage 4: `workflow.<name>` -> Altoviz / Zendesk / Google Sheets / Slack -> `sink.results`.

One agent per (workflow topic, sink), each with concurrency 1 (concurrency > 1 can commit past an
in-flight message, faust #606). Several agents on one topic each get every message, and Faust
commits an offset only when all of them acked it; so while one vendor is down its agent waits and
retries, and the other vendors' agents on the same topic keep writing (up to the stream buffer).
Which sinks an action needs: `sinks.routing` (the table there is the mapping).

For each action and sink: ledger check -> vendor write with bounded retries (backoff + jitter,
Retry-After, rate limit, circuit breaker) -> ledger record (awaited) -> `sink.results`. A permanent
failure, or retries exhausted, is reported `failed` and dead-lettered with the reason; never an
exception out of the agent (Faust would ack it). Google Sheets agents take batches of events and
append their rows in one request.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import faust
from faust.types import EventT

from schemas.models import SinkResult, WorkflowAction
from sinks.contract import ALREADY_WRITTEN, FAILED, SinkOutcome
from sinks.factory import Sink, alert_urgencies, build_sinks, new_http_client, retry_policy
from sinks.ledger import FaustLedger, Ledger, declare_ledger_table, entry, write_key
from sinks.retry import RetryPolicy
from sinks.routing import TOPIC_SINKS, needs
from sinks.runner import PermanentFailure, RetriesExhausted, run_with_retry
from streams.stage import Pipeline, StageError, decode_or_dead_letter

log = logging.getLogger("callstream.sinks")


def register(pipeline: Pipeline) -> None:
    settings = pipeline.settings
    sinks = build_sinks(settings, pipeline.outbox, new_http_client(settings))
    ledger = FaustLedger(declare_ledger_table(pipeline.app, settings))
    policy = retry_policy(settings)
    urgencies = alert_urgencies(settings)
    for workflow, topic in pipeline.topics.workflows.items():
        vendors = TOPIC_SINKS.get(workflow, ())
        for vendor in vendors:
            SinkAgent(pipeline, workflow, sinks[vendor], ledger, policy, urgencies, first=vendor == vendors[0]).attach(
                topic
            )


class SinkAgent:
    def __init__(
        self,
        pipeline: Pipeline,
        workflow: str,
        sink: Sink,
        ledger: Ledger,
        policy: RetryPolicy,
        urgencies: frozenset[str],
        first: bool,
    ) -> None:
        self.pipeline = pipeline
        self.workflow = workflow
        self.sink = sink
        self.ledger = ledger
        self.policy = policy
        self.urgencies = urgencies
        # Every agent of a topic sees every message: only the first dead-letters undecodable ones.
        self.first = first
        self.stage = f"sink_{workflow}_{sink.vendor}"

    def attach(self, topic: faust.TopicT) -> None:
        batched = self.sink.write_batch is not None and self.sink.batch_rows > 1

        async def sink_agent(stream: faust.StreamT) -> None:
            if batched:
                # take_events acks a batch only after this loop body finished with it.
                async for events in stream.take_events(self.sink.batch_rows, within=self.sink.batch_seconds):
                    await self.handle_batch(events)
            else:
                async for event in stream.events():
                    await self.pipeline.guarded(event, self.stage, self.handle_one)

        self.pipeline.app.agent(topic, name=self.stage, concurrency=1)(sink_agent)

    # --- one event ----------------------------------------------------------------------------

    def _decode(self, event: EventT) -> WorkflowAction | None:
        """The action if this agent must write it; None if it is not this agent's to write."""
        try:
            action = decode_or_dead_letter(self.pipeline.codecs.action, event)
        except StageError:
            if self.first:
                raise
            return None
        return action if needs(self.workflow, self.sink.vendor, action, self.urgencies) else None

    async def handle_one(self, event: EventT) -> None:
        action = self._decode(event)
        if action is None:
            return
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
        outcome = SinkOutcome(ALREADY_WRITTEN, done.get("ref"), "in the idempotency ledger")
        await self._result(event, action, key, outcome, attempts=0)
        return True

    async def _done(self, event: EventT, action: WorkflowAction, key: str, outcome: SinkOutcome, attempts: int) -> None:
        await self.ledger.record(event, key, entry(outcome.outcome, outcome.external_ref, outcome.detail))
        await self._result(event, action, key, outcome, attempts)

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
        await self.pipeline.send(
            self.pipeline.topics.sink_results, event.key, self.pipeline.codecs.sink_result.encode(result)
        )

    # --- a batch (Google Sheets) -------------------------------------------------------------

    async def handle_batch(self, events: Sequence[EventT]) -> None:
        try:
            await self._write_batch(events)
        except Exception as error:  # never out of the agent: fall back to one at a time, each guarded
            log.error("batch write failed in %s (%s); writing one by one", self.stage, type(error).__name__)
            for event in events:
                await self.pipeline.guarded(event, self.stage, self.handle_one)

    async def _write_batch(self, events: Sequence[EventT]) -> None:
        pending: list[tuple[EventT, WorkflowAction, str]] = []
        seen: set[str] = set()
        for event in events:
            try:
                action = self._decode(event)
            except StageError as error:
                await self.pipeline.dead_letter(event, self.stage, error, type(error).__name__)
                continue
            if action is None:
                continue
            key = write_key(action.idempotency_key, self.sink.vendor)
            if key in seen or await self._already_in_ledger(event, action, key):
                if key in seen:  # a duplicate inside this batch: one row, and the twin says so
                    await self._result(event, action, key, SinkOutcome(ALREADY_WRITTEN, None, "same batch"), 0)
                continue
            seen.add(key)
            pending.append((event, action, key))
        if not pending:
            return
        assert self.sink.write_batch is not None
        write_batch = self.sink.write_batch
        items = [(action, key) for _, action, key in pending]
        try:
            outcomes, attempts = await run_with_retry(lambda: write_batch(items), self.sink.breaker, self.policy)
        except PermanentFailure:
            if len(pending) == 1:
                raise
            # One bad row must not sink the others: the API applies a request all or nothing.
            for event, _, _ in pending:
                await self.pipeline.guarded(event, self.stage, self.handle_one)
            return
        except RetriesExhausted as failure:
            for event, action, key in pending:
                await self._fail(event, action, key, failure.reason, failure.attempts)
            return
        for (event, action, key), outcome in zip(pending, outcomes, strict=True):
            await self._done(event, action, key, outcome, attempts)
