"""The redaction process pool (issue 16, item 11): a timed-out redaction is killed, so calls after it
are redacted normally; a crash is a quarantine, never a forward. Real worker processes, no mocks:
the slow and crashing "redactors" are plain functions the spawned process imports from this module."""

from __future__ import annotations

import os
import time

import pytest

from schemas.models import CallEvent, RedactedCall
from streams.redaction import RedactionFailed, redact_call
from streams.redaction_pool import RedactionPool, RedactionTimedOut


def pathological_or_real(call: CallEvent) -> RedactedCall:
    """The real redactor, except that a call marked SLOW never finishes (like a catastrophic input)."""
    if call.call_id.startswith("slow"):
        while True:  # burns CPU in the worker process, as a runaway pattern would
            pass
    if call.call_id.startswith("crash"):
        os._exit(3)
    return redact_call(call)


def call(call_id: str) -> CallEvent:
    return CallEvent(
        call_id=call_id,
        event_type="call_ended",
        source_shape="envelope",
        transcript=[{"speaker": "User", "text": "my card is 4242 4242 4242 4242, resend invoice INV-1"}],
    )


async def test_timed_out_redactions_cannot_starve_the_calls_after_them() -> None:
    pool = RedactionPool(timeout=3.0, function=pathological_or_real)
    pool.start()
    try:
        first = await pool.redact(call("call_warm"))  # warm: the process is up and the redactor imported
        assert "4242 4242" not in first.call.transcript[0].text
        for index in range(3):  # more stuck calls than the old pool had threads
            started = time.monotonic()
            with pytest.raises(RedactionTimedOut):
                await pool.redact(call(f"slow_{index}"))
            assert time.monotonic() - started < 3.0 + 2.0
        # The next calls are redacted, each in time: the stuck processes were killed, not left running.
        for index in range(3):
            redacted = await pool.redact(call(f"call_after_{index}"))
            assert redacted.call.call_id == f"call_after_{index}"
            assert "[CARD" in redacted.call.transcript[0].text
        assert pool.restarts == 3
    finally:
        pool.close()


async def test_a_crashing_redaction_fails_closed_and_the_next_call_is_redacted() -> None:
    pool = RedactionPool(timeout=20.0, function=pathological_or_real)
    try:
        with pytest.raises(RedactionFailed, match="died"):
            await pool.redact(call("crash_1"))
        redacted = await pool.redact(call("call_after_crash"))
        assert "4242 4242" not in redacted.call.transcript[0].text
    finally:
        pool.close()
