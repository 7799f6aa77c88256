"""Stage 1: `dialnexa.calls.raw` -> normalise -> redact -> `calls.redacted`.

The only reader of the raw topic. Anything it cannot redact is quarantined: dead-lettered without
its payload (the raw bytes may hold card data), never forwarded.
"""

from __future__ import annotations

import faust
from faust.types import EventT

from streams.normalise import InvalidCallPayload, decode_raw_call
from streams.redaction import RedactionFailed
from streams.redaction_pool import RedactionPool, RedactionTimedOut
from streams.stage import Pipeline, StageError


def register(pipeline: Pipeline) -> None:
    # Redaction runs in a worker process so a pathological call can be timed out (and quarantined)
    # instead of stalling the partition; a timed-out process is killed and replaced, so it cannot
    # starve the calls after it (a thread could not be stopped).
    timeout = pipeline.settings.redaction_timeout_seconds
    pool = RedactionPool(timeout)

    async def redact_one(event: EventT) -> None:
        if not event.key:
            # Without the call id as key, a call's events can land on different partitions and lose order.
            raise StageError("message has no key: producers must key raw calls by the DialNexa call id")
        try:
            call = decode_raw_call(event.value, pipeline.codecs.call_event)
        except InvalidCallPayload as error:
            raise StageError(str(error)) from None
        if call is None:
            return  # verification ping or lifecycle event: nothing to process
        if call.call_id.encode() != event.key:
            raise StageError("message key is not the call id in the payload: producers must key by call id")
        try:
            redacted = await pool.redact(call)
        except RedactionTimedOut:
            raise StageError(f"quarantined: redaction took longer than {timeout:g} s") from None
        except RedactionFailed as error:
            raise StageError(f"quarantined: {error}") from None
        except Exception as error:
            raise StageError(f"quarantined: the redactor failed ({type(error).__name__})") from None
        await pipeline.send(pipeline.topics.redacted, call.call_id.encode(), pipeline.codecs.redacted.encode(redacted))
        pipeline.metrics.observe_redaction(redacted.redaction.counts)

    @pipeline.app.agent(pipeline.topics.raw, name="redact")
    async def redact(stream: faust.StreamT) -> None:
        pool.start()  # here, not in register(): only a running worker needs the process
        try:
            async for event in stream.events():
                await pipeline.guarded(event, "redact", redact_one)
        finally:
            pool.close()
