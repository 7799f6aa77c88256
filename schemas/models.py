"""The event contract: one pydantic model per topic value, mirrored by `schemas/avro/*.avsc`.

The `.avsc` files are generated from these models (`python -m schemas.generate`) and a test keeps
the committed files equal to what the models produce, so the two cannot drift.

Field tags (`json_schema_extra={"sensitive": ...}`), copied into the Avro schema as a `sensitive`
attribute so downstream readers see them too:

- ``"secret"``: the field itself is a secret (a card number, a tax id). The redactor drops it,
  whatever its value.
- ``"free_text"``: the field may hold sensitive data a caller said. The redactor scans it.
- ``"private_link"``: a link to a document or recording that may hold sensitive data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "WORKFLOWS",
    "BillingDetails",
    "CallEvent",
    "DeadLetter",
    "EnrichedCall",
    "EnrichmentStatus",
    "HubSpotContext",
    "Money",
    "PaymentContext",
    "RedactedCall",
    "RedactionReport",
    "SinkResult",
    "StripeContext",
    "SuppressionFlags",
    "TranscriptTurn",
    "WorkflowAction",
]

# The billing workflows of DESIGN §2, in the order finance reads them. `review` is not a workflow of
# its own: it is where any action that needs a human also goes.
WORKFLOWS: tuple[str, ...] = (
    "receipt_resend",
    "charge_dispute",
    "invoice_resend",
    "renewal_failed",
    "refund_approval",
    "billing_correction",
    "collections_log",
    "contact_sync",
)

AMOUNT_SCALE = 4  # decimal places kept for money amounts (Avro decimal scale)


def _tag(kind: str, doc: str = "") -> dict[str, Any]:
    return {"json_schema_extra": {"sensitive": kind}, "description": doc or None}


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Money(_Record):
    """An amount with its ISO 4217 currency (upper case)."""

    amount: Decimal
    currency: Annotated[str, Field(min_length=3, max_length=3)]

    @field_validator("amount")
    @classmethod
    def _fits_scale(cls, value: Decimal) -> Decimal:
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or -exponent > AMOUNT_SCALE:
            raise ValueError(f"amount must be a finite decimal with at most {AMOUNT_SCALE} decimal places")
        return value

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class TranscriptTurn(_Record):
    speaker: str = Field(description="who spoke: agent, user, or the label DialNexa used")
    text: str = Field(**_tag("free_text", "what was said"))


class SuppressionFlags(_Record):
    """Set by the redactor: which kinds of sensitive data were present in the call and suppressed."""

    card_numbers: bool = False
    bank_details: bool = False
    tax_identifiers: bool = False
    private_documents: bool = False


class BillingDetails(_Record):
    """What the seed asks DialNexa to capture from a billing call (DESIGN §3)."""

    customer_name: str | None = Field(default=None, **_tag("free_text"))
    account_id: str | None = None
    email: str | None = None
    phone: str | None = None
    invoice_number: str | None = None
    payment_id: str | None = None
    subscription_id: str | None = None
    tax_region: str | None = None
    amount: Money | None = None
    due_date: date | None = None
    payment_status: str | None = None
    refund_reason: str | None = Field(default=None, **_tag("free_text"))
    dispute_reason: str | None = Field(default=None, **_tag("free_text"))
    credit_request: str | None = Field(default=None, **_tag("free_text"))
    approval_threshold: Money | None = None
    finance_owner: str | None = None
    escalation_reason: str | None = Field(default=None, **_tag("free_text"))
    promised_next_step: str | None = Field(default=None, **_tag("free_text"))
    follow_up_deadline: date | None = None
    transcript_url: str | None = None
    recording_url: str | None = Field(default=None, **_tag("private_link"))
    crm_url: str | None = None
    support_ticket: str | None = None
    payment_platform_url: str | None = None
    intent: str | None = Field(default=None, description="the intent DialNexa's post-call analysis gave")


class CallEvent(_Record):
    """A DialNexa call, normalised from any of its webhook shapes. Value of `dialnexa.calls.raw`."""

    call_id: str = Field(min_length=1)
    event_type: str = Field(description="normalised event name, e.g. call_ended, call_analysis_ready")
    source_shape: str = Field(description="which DialNexa payload shape this came from")
    status: str | None = None
    direction: str | None = None
    call_type: str | None = None
    from_number: str | None = None
    to_number: str | None = None
    agent_id: str | None = None
    workspace_id: str | None = None
    initiated_at: datetime | None = None
    duration_seconds: float | None = None
    hangup_reason: str | None = None
    sentiment: str | None = None
    transcript: list[TranscriptTurn] = Field(default_factory=list)
    summary: str | None = Field(default=None, **_tag("free_text"))
    recording_url: str | None = Field(default=None, **_tag("private_link"))
    post_call_analysis: dict[str, str] = Field(default_factory=dict, **_tag("free_text"))
    metadata: dict[str, str] = Field(default_factory=dict, **_tag("free_text"))
    billing: BillingDetails = Field(default_factory=BillingDetails)
    suppression: SuppressionFlags = Field(default_factory=SuppressionFlags)
    received_at: datetime = Field(default_factory=utc_now)


class RedactionReport(_Record):
    """What the redactor found: types and counts, never values."""

    counts: dict[str, int] = Field(default_factory=dict)
    dropped_fields: list[str] = Field(default_factory=list)
    payment_details_read_out: bool = False
    redactor_version: str


class RedactedCall(_Record):
    """Value of `calls.redacted`: the first topic anyone but the redactor may read."""

    call: CallEvent
    redaction: RedactionReport


class PaymentContext(_Record):
    """The charge or payment intent the caller named, as Stripe knows it."""

    id: str
    kind: str = Field(description="charge | payment_intent")
    status: str | None = None
    amount: Money | None = None
    amount_refunded: Money | None = None
    refunded: bool = False
    disputed: bool = False
    dispute_status: str | None = None


class StripeContext(_Record):
    customer_id: str | None = None
    email: str | None = None
    name: str | None = Field(default=None, **_tag("free_text"))
    subscription_id: str | None = None
    subscription_status: str | None = None
    mrr: Money | None = Field(default=None, description="monthly recurring revenue of the live subscriptions")
    lifetime_value: Money | None = Field(default=None, description="succeeded charges minus refunds, as seen")
    latest_invoice_id: str | None = None
    latest_invoice_status: str | None = None
    amount_due: Money | None = None
    open_disputes: int = 0
    invoice_numbers: list[str] = Field(default_factory=list, description="numbers of the customer's recent invoices")
    payment: PaymentContext | None = None
    payment_platform_url: str | None = None


class HubSpotContext(_Record):
    contact_id: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None
    company: str | None = None
    renewal_date: date | None = None
    lifecycle_stage: str | None = None
    crm_url: str | None = None
    email: str | None = Field(default=None, description="the contact's email on file")
    stripe_customer_id: str | None = Field(
        default=None, description="the Stripe customer the contact names (the property the policy names)"
    )
    properties: dict[str, str] = Field(
        default_factory=dict,
        description="contact (and 'company.'-prefixed company) properties the policy reads, e.g. account tier",
    )


class EnrichmentStatus(_Record):
    complete: bool
    partial_reasons: list[str] = Field(default_factory=list)


class EnrichedCall(_Record):
    """Value of `calls.enriched`: the redacted call with what Stripe and HubSpot know."""

    call: CallEvent
    redaction: RedactionReport
    stripe: StripeContext | None = None
    hubspot: HubSpotContext | None = None
    high_value: bool = False
    enrichment: EnrichmentStatus
    identity_match: str | None = Field(
        default=None, description="which identifier found the customer: email, phone, invoice_number, payment_id, ..."
    )
    identity_confidence: float | None = Field(default=None, description="0..1, how sure the customer match is")
    identity_attempts: int = Field(default=0, description="identifiers tried, in the order of the policy")
    identity_candidates: list[str] = Field(
        default_factory=list, description="customers the call's identifiers named (kind, Stripe id, email), as found"
    )
    unmapped_analysis_fields: list[str] = Field(
        default_factory=list, description="post-call analysis keys the policy's field mapping does not name"
    )


class WorkflowAction(_Record):
    """Value of `workflow.<name>` and `workflow.review`: one piece of work for finance."""

    idempotency_key: str = Field(description="DialNexa call id + workflow + action: the key of every write")
    call_id: str
    workflow: str
    action: str
    destination_object: str = Field(description="what the action writes, e.g. altoviz.contact")
    owner: str
    status: str
    urgency: str
    next_step: str
    record_url: str | None = None
    confidence: float
    evidence: list[str] = Field(default_factory=list)
    review_required: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    summary: str = Field(default="", **_tag("free_text"))
    customer_email: str | None = None
    customer_name: str | None = Field(default=None, **_tag("free_text"))
    amount: Money | None = None
    invoice_number: str | None = None
    payment_id: str | None = None
    transcript_url: str | None = None
    recording_url: str | None = Field(default=None, **_tag("private_link"))
    created_at: datetime = Field(default_factory=utc_now)
    follow_up_deadline: date | None = Field(default=None, description="when finance must have acted (review sheet)")
    # Who the customer is, as enrichment resolved it: sinks find the vendor's customer by these
    # (Stripe id as Altoviz internalId, phone, HubSpot contact) when the call carries no e-mail.
    stripe_customer_id: str | None = None
    hubspot_contact_id: str | None = None
    customer_phone: str | None = None
    customer_number: str | None = Field(
        default=None, description="the customer's account number as the caller gave it (Altoviz customer number)"
    )
    identity_match: str | None = Field(
        default=None, description="which identifier found the customer, e.g. email, phone, invoice_number, payment_id"
    )
    identity_confidence: float | None = Field(default=None, description="0..1, how sure the customer match is")


class SinkResult(_Record):
    """Value of `sink.results`: the audit trail of every external write and its outcome."""

    idempotency_key: str
    call_id: str
    workflow: str
    action: str
    sink: str
    outcome: str = Field(
        description=(
            "written | already_written | failed | unconfirmed | needs_review | no_action. unconfirmed: the request "
            "reached the vendor, its answer was lost and the vendor cannot be asked (Slack incoming webhook); "
            "needs_review: the write needs a person (e.g. no Altoviz customer could be identified). Both put a "
            "review row in the review queue. Readers must accept values they do not know (treat as not written)"
        )
    )
    attempts: int = 1
    external_ref: str | None = None
    detail: str = ""
    at: datetime = Field(default_factory=utc_now)
    # Set when the input was re-fed by `callstream replay` or `callstream dlq redrive` (streams/lineage.py).
    replay_id: str | None = Field(
        default=None, description="the replay or redrive run that re-fed the input (replay-... / redrive-...)"
    )
    replay_origin_topic: str | None = Field(default=None, description="the topic of the record that run re-fed")
    replay_origin_partition: int | None = None
    replay_origin_offset: int | None = None


class DeadLetter(_Record):
    """Value of `calls.deadletter`: what a stage could not process, and why, in words."""

    call_id: str | None = None
    stage: str
    reason: str
    error_type: str
    source_topic: str
    source_partition: int
    source_offset: int
    payload: bytes | None = Field(
        default=None, description="the input, or for the raw stage only a best-effort redacted copy"
    )
    payload_redacted: bool = False
    at: datetime = Field(default_factory=utc_now)
    attempt: int = Field(
        default=1, description="times this input failed: 1, then one more for each redrive that failed again"
    )
    redrive_of: str | None = Field(
        default=None, description="'<partition>:<offset>' of the dead letter whose redrive failed again as this one"
    )
    # Set when the input was re-fed by `callstream replay` or `callstream dlq redrive` (streams/lineage.py).
    replay_id: str | None = Field(
        default=None, description="the replay or redrive run that re-fed the input (replay-... / redrive-...)"
    )
    replay_origin_topic: str | None = Field(default=None, description="the topic of the record that run re-fed")
    replay_origin_partition: int | None = None
    replay_origin_offset: int | None = None
