"""DialNexa webhook payloads (any of the documented shapes) into `CallEvent`.

DialNexa's own docs disagree on the webhook envelope, so every shape seen is accepted:

- ``envelope``: ``{"event_type": "call_ended", "payload": {"call": {...}}}`` (webhook reference)
- ``event_call``: ``{"event": "call.completed", "call"|"data": {...}}`` (register-webhook names)
- ``monitor``: flat ``{"event": "call.ended", "session_id", "workspace_id", "phone_number", ...}``
- ``flat``: flat ``{"call_id", "status", "transcript", "extracted_data", ...}`` (connector samples)

Anything else raises `InvalidCallPayload` with a sentence a human can act on.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from pydantic import ValidationError

from schemas.codecs import SingleObjectCodec, UndecodableMessage, looks_like_confluent, looks_like_single_object
from schemas.models import BillingDetails, CallEvent, Money, TranscriptTurn

MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
MAX_JSON_DEPTH = 32

# Events that carry a call worth processing. Lifecycle noise (call started, campaign paused) is
# known but not a billing outcome; it is still rejected with a reason so nothing is silently lost.
CALL_OUTCOME_EVENTS = {
    "call_ended": "call_ended",
    "call.ended": "call_ended",
    "call.completed": "call_ended",
    "call_completed": "call_ended",
    "call.analysis_ready": "call_analysis_ready",
    "call_analysis_ready": "call_analysis_ready",
    "call.transcript_ready": "call_transcript_ready",
    "transfer_completed": "transfer_completed",
    "call.failed": "call_failed",
    "call.no_answer": "call_no_answer",
}
VERIFICATION_EVENTS = {"verification", "webhook.verification", "ping"}
# Known events that carry no billing outcome: acknowledged and counted, not dead-lettered.
LIFECYCLE_EVENTS = {
    "call_initiated", "call.started", "call_started", "campaign.completed", "campaign.paused",
    "workflow.lead.completed", "alert.triggered", "call.function_error",
}  # fmt: skip

_CALL_EVENT_CODEC = SingleObjectCodec(CallEvent)


class InvalidCallPayload(ValueError):
    """The payload cannot become a CallEvent; `str(error)` says why, without quoting the payload."""


def decode_raw_call(value: bytes | None, avro_codec: Any = _CALL_EVENT_CODEC) -> CallEvent | None:
    """A raw-topic value (DialNexa JSON of any shape, or Avro CallEvent in either wire format) to a
    CallEvent. `avro_codec` is the worker's CallEvent codec (it knows the registry, if there is one).

    None means a known lifecycle event or verification ping that carries no call outcome.
    """
    if value is None:
        raise InvalidCallPayload("null message value (a tombstone): no call to process")
    if looks_like_single_object(value) or looks_like_confluent(value):
        try:
            return avro_codec.decode(value)
        except UndecodableMessage as error:
            raise InvalidCallPayload(str(error)) from None
    payload = parse_json_payload(value)
    if is_verification_ping(payload) or _event_of(payload) in LIFECYCLE_EVENTS:
        return None
    return normalise_call(payload)


def _event_of(payload: dict[str, Any]) -> str | None:
    event = payload.get("event_type", payload.get("event"))
    return event.lower() if isinstance(event, str) else None


def parse_json_payload(data: bytes) -> dict[str, Any]:
    """Bytes from the raw topic to a JSON object, with a specific reason for each way it can fail."""
    if not data:
        raise InvalidCallPayload("empty message value: the producer sent no payload")
    if len(data) > MAX_PAYLOAD_BYTES:
        raise InvalidCallPayload(
            f"payload of {len(data)} bytes exceeds the {MAX_PAYLOAD_BYTES} byte limit for one call"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidCallPayload(f"payload is not valid UTF-8 (bad byte at offset {error.start})") from None
    if _nesting_depth_exceeds(text, MAX_JSON_DEPTH):
        raise InvalidCallPayload(f"JSON nested deeper than {MAX_JSON_DEPTH} levels: not a DialNexa payload")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidCallPayload(f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(parsed, dict):
        raise InvalidCallPayload(f"expected a JSON object, got a JSON {type(parsed).__name__}")
    return parsed


def _nesting_depth_exceeds(text: str, limit: int) -> bool:
    # Cheap scan before json.loads so a hostile payload cannot exhaust the parser's recursion.
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def is_verification_ping(payload: dict[str, Any]) -> bool:
    event = payload.get("event_type", payload.get("event"))
    return isinstance(event, str) and event.lower() in VERIFICATION_EVENTS


def normalise_call(payload: dict[str, Any]) -> CallEvent:
    """Any accepted DialNexa shape to a CallEvent."""
    shape, event_name, call = _unwrap(payload)
    event_type = CALL_OUTCOME_EVENTS.get(event_name.lower()) if event_name else "call_ended"
    if event_type is None:
        raise InvalidCallPayload(f"unknown DialNexa event type {event_name[:60]!r}: not a call outcome event")
    call_id = _first_str(call, "id", "call_id", "session_id")
    if call_id is None:
        raise InvalidCallPayload(f"missing call id in the {shape} payload (looked for id, call_id, session_id)")
    analysis = _string_map(
        _first(call, "post_call_analysis", "extracted_data", "analysis", "json_output"), "post_call_analysis"
    )
    metadata = _string_map(call.get("metadata"), "metadata")
    try:
        return CallEvent(
            call_id=call_id,
            event_type=event_type,
            source_shape=shape,
            status=_first_str(call, "status"),
            direction=_first_str(call, "direction", "call_direction"),
            call_type=_first_str(call, "type", "call_type"),
            from_number=_phone(_first_str(call, "from_number", "phone_number")),
            to_number=_phone(_first_str(call, "to_number")),
            agent_id=_first_str(call, "agent_id"),
            workspace_id=_first_str(call, "workspace_id"),
            initiated_at=_first(call, "initiated_at", "started_at", "timestamp"),
            duration_seconds=_first(call, "duration", "duration_seconds"),
            hangup_reason=_first_str(call, "hangup_reason", "disconnection_reason", "end_reason"),
            sentiment=_first_str(call, "sentiment"),
            transcript=parse_transcript(call.get("transcript")),
            summary=_first_str(call, "summary", "call_summary"),
            recording_url=_first_str(call, "recording_url"),
            post_call_analysis=analysis,
            metadata=metadata,
            billing=_billing_details(analysis, metadata, call),
        )
    except ValidationError as error:
        fields = ", ".join(sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()}))
        raise InvalidCallPayload(f"wrong field types in the {shape} payload: {fields}") from None


def _unwrap(payload: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    if "event_type" in payload or "payload" in payload:
        inner = payload.get("payload")
        call = inner.get("call") if isinstance(inner, dict) else None
        if not isinstance(call, dict):
            raise InvalidCallPayload("envelope payload without an object at payload.call")
        return "envelope", _event_name(payload.get("event_type")), call
    if "event" in payload and isinstance(payload.get("call") or payload.get("data"), dict):
        call = payload.get("call") or payload.get("data")
        assert isinstance(call, dict)
        return "event_call", _event_name(payload.get("event")), call
    if "event" in payload and "session_id" in payload:
        return "monitor", _event_name(payload.get("event")), payload
    if "call_id" in payload:
        return "flat", _event_name(payload.get("event")), payload
    raise InvalidCallPayload(
        "JSON object of an unknown shape: expected event_type+payload.call, event+call, "
        "a monitor event with session_id, or a flat object with call_id"
    )


def _event_name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidCallPayload(f"event type must be a string, got {type(value).__name__}")
    return value


def parse_transcript(value: Any) -> list[TranscriptTurn]:
    """A transcript as a speaker-labelled string, a list of turns, or a {speaker: text} object."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return _transcript_from_text(value)
    if isinstance(value, list):
        turns = []
        for item in value:
            if isinstance(item, str):
                turns.extend(_transcript_from_text(item))
            elif isinstance(item, dict):
                speaker = item.get("role") or item.get("speaker") or "unknown"
                text = item.get("text", item.get("content", item.get("message", "")))
                if not isinstance(speaker, str) or not isinstance(text, str):
                    raise InvalidCallPayload("transcript turn with a non-string speaker or text")
                turns.append(TranscriptTurn(speaker=_speaker(speaker), text=text))
            else:
                raise InvalidCallPayload(f"transcript list holds a {type(item).__name__}, expected turns")
        return turns
    if isinstance(value, dict):
        turns = []
        for speaker, text in value.items():
            items = text if isinstance(text, list) else [text]
            for item in items:
                if not isinstance(item, str):
                    raise InvalidCallPayload("transcript object values must be strings")
                turns.append(TranscriptTurn(speaker=_speaker(speaker), text=item))
        return turns
    raise InvalidCallPayload(f"transcript must be a string, a list or an object, got {type(value).__name__}")


_TURN_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z _-]{0,30}):\s?(.*)$")


def _transcript_from_text(text: str) -> list[TranscriptTurn]:
    turns: list[TranscriptTurn] = []
    for line in text.splitlines():
        match = _TURN_LABEL.match(line)
        if match:
            turns.append(TranscriptTurn(speaker=_speaker(match.group(1)), text=match.group(2)))
        elif turns:
            # A wrapped line continues the previous speaker's turn.
            last = turns[-1]
            turns[-1] = TranscriptTurn(speaker=last.speaker, text=f"{last.text}\n{line}")
        elif line.strip():
            turns.append(TranscriptTurn(speaker="unknown", text=line))
    return turns


def _speaker(label: str) -> str:
    lowered = label.strip().lower()
    if lowered in {"agent", "assistant", "bot", "ai"}:
        return "agent"
    if lowered in {"user", "customer", "caller", "human"}:
        return "user"
    return lowered


def _first(source: dict[str, Any], *names: str) -> Any:
    for name in names:
        if source.get(name) not in (None, ""):
            return source[name]
    return None


def _first_str(source: dict[str, Any], *names: str) -> str | None:
    value = _first(source, *names)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidCallPayload(f"field {names[0]} must be a string, got {type(value).__name__}")
    return str(value)


def _phone(number: str | None) -> str | None:
    """E.164 where the number can be read as one. DialNexa sends international digits with or without
    '+' ("14155550134"), and sometimes the national form ("(415) 555-0134", "020 7946 0958").

    A ten-digit US national number becomes +1...; digits that form a valid international number get
    their '+'; anything else is kept as dialled (identity matches it by every plausible reading and
    by its national significant number, see streams/identity.py).
    """
    if number is None:
        return None
    digits = re.sub(r"[\s().-]", "", number)
    if not digits.isdigit():
        return digits
    for candidate, region in ((digits, "US"), ("+" + digits, None)):
        if candidate == digits and (len(digits) != 10 or digits.startswith(("0", "1"))):
            continue
        try:
            parsed = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    # Not a number any plan allocates as read here (a test range, a national number of another
    # country, a new range): kept as dialled, with its '+' only when it had one; identity reads
    # every plausible form of it (streams/identity.py).
    return digits


def _string_map(value: Any, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidCallPayload(f"{name} must be an object, got {type(value).__name__}")
    result: dict[str, str] = {}
    for key, item in value.items():
        if item is None:
            continue
        if isinstance(item, dict | list):
            result[str(key)] = json.dumps(item, sort_keys=True)
        elif isinstance(item, bool):
            result[str(key)] = "true" if item else "false"
        else:
            result[str(key)] = str(item)
    return result


# Post-call analysis field names DialNexa agents are commonly configured with, per captured field.
_BILLING_ALIASES: dict[str, tuple[str, ...]] = {
    "customer_name": ("customer_name", "customer", "name", "caller_name"),
    "account_id": ("account_id", "account", "account_number_internal", "customer_id"),
    "email": ("email", "customer_email", "billing_email"),
    "phone": ("phone", "customer_phone", "callback_number"),
    "invoice_number": ("invoice_number", "invoice", "invoice_id"),
    "payment_id": ("payment_id", "payment_intent", "charge_id"),
    "subscription_id": ("subscription_id", "subscription"),
    "tax_region": ("tax_region", "region", "country"),
    "payment_status": ("payment_status",),
    "refund_reason": ("refund_reason",),
    "dispute_reason": ("dispute_reason",),
    "credit_request": ("credit_request",),
    "finance_owner": ("finance_owner", "owner"),
    "escalation_reason": ("escalation_reason",),
    "promised_next_step": ("promised_next_step", "next_step"),
    "transcript_url": ("transcript_url", "transcript_link"),
    "crm_url": ("crm_url", "crm_link"),
    "support_ticket": ("support_ticket", "ticket", "ticket_id"),
    "payment_platform_url": ("payment_platform_url", "payment_link", "stripe_url"),
    "intent": ("intent", "call_intent", "reason_for_call"),
}


def _billing_details(analysis: dict[str, str], metadata: dict[str, str], call: dict[str, Any]) -> BillingDetails:
    sources = (analysis, metadata)
    values: dict[str, Any] = {}
    for field, aliases in _BILLING_ALIASES.items():
        for source in sources:
            found = next((source[alias] for alias in aliases if source.get(alias)), None)
            if found is not None:
                values[field] = found
                break
    currency = _lookup(sources, "currency") or "USD"
    values["amount"] = _money(_lookup(sources, "amount", "charge_amount", "refund_amount"), currency, "amount")
    values["approval_threshold"] = _money(_lookup(sources, "approval_threshold"), currency, "approval_threshold")
    values["due_date"] = _date(_lookup(sources, "due_date"), "due_date")
    values["follow_up_deadline"] = _date(_lookup(sources, "follow_up_deadline", "follow_up_date"), "follow_up_deadline")
    if call.get("recording_url") and "recording_url" not in values:
        values["recording_url"] = call["recording_url"]
    return BillingDetails(**values)


def _lookup(sources: tuple[dict[str, str], ...], *names: str) -> str | None:
    for source in sources:
        for name in names:
            if source.get(name):
                return source[name]
    return None


_AMOUNT_TEXT = re.compile(r"^\s*([A-Za-z]{3})?\s*[$€£]?\s*(-?[\d,]*\.?\d+)\s*([A-Za-z]{3})?\s*$")


def _money(value: str | None, default_currency: str, field: str) -> Money | None:
    if value is None:
        return None
    match = _AMOUNT_TEXT.match(value)
    if not match:
        raise InvalidCallPayload(f"{field} is not an amount (expected e.g. 120.50 or USD 120.50)")
    currency = match.group(1) or match.group(3) or default_currency
    try:
        amount = Decimal(match.group(2).replace(",", ""))
    except InvalidOperation:
        raise InvalidCallPayload(f"{field} is not a decimal amount") from None
    try:
        return Money(amount=amount, currency=currency)
    except ValidationError:
        raise InvalidCallPayload(f"{field} has more than 4 decimal places or a bad currency code") from None


def _date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise InvalidCallPayload(f"{field} is not an ISO date (YYYY-MM-DD)") from None
