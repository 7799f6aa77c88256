"""The classification and routing policy: a declarative TOML file, validated at start-up.

Everything finance may want to tune without a code change lives here: approval thresholds per
currency, what makes a customer high value, the finance owner per region and team, which workflows
may ever run without a human, when Slack alerts finance, and what every workflow action carries
(destination object, owner, status, urgency, next step, record URL). `docs/policy.md` documents
every key; `streams/default_policy.toml` is the packaged default (a copy of `policy/default.toml`).

Two levels of checking, both raising `PolicyError` with the file, the key and what was expected:

- `load_policy` parses and validates types and values (a typo stops start-up, not the 500th call);
- `check_launch` checks that every workflow maps all the fields finance needs. `load_policy` runs it
  too, so a worker cannot start on a half-mapped policy even if its caller forgets.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StringConstraints,
    ValidationError,
    field_validator,
)

from schemas.models import WORKFLOWS, HubSpotContext, StripeContext

__all__ = [
    "DEFAULT_POLICY_PATH",
    "LAUNCH_FIELDS",
    "Policy",
    "PolicyError",
    "WorkflowPolicy",
    "check_launch",
    "load_policy",
    "parse_policy",
]

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.toml")

# The fields every workflow must map before launch (seed: "Map required fields before launch").
LAUNCH_FIELDS: tuple[str, ...] = ("destination_object", "owner", "status", "urgency", "next_step", "record_url")

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
WorkflowName = Literal[
    "receipt_resend",
    "charge_dispute",
    "invoice_resend",
    "renewal_failed",
    "refund_approval",
    "billing_correction",
    "collections_log",
    "contact_sync",
]
# Zendesk's priorities; "urgent" is also what makes the review path alert finance on Slack.
Urgency = Literal["low", "normal", "high", "urgent"]
Change = Literal["money", "access", "legal_terms", "commitments"]
# Where a record URL may come from, in the order a workflow prefers them.
RecordSource = Literal["crm", "payment_platform", "support_ticket", "transcript", "recording"]
SuppressionKind = Literal["card_numbers", "bank_details", "tax_identifiers", "private_documents"]
PositiveAmount = Annotated[Decimal, Field(gt=0)]

assert set(WorkflowName.__args__) == set(WORKFLOWS)  # type: ignore[attr-defined]


class PolicyError(ValueError):
    """The policy cannot be used; the message names the file, the key and what was expected."""


class _Section(BaseModel):
    # Unknown keys are errors: a misspelt key silently falling back to a default is how a refund
    # threshold ends up not applying.
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClassificationPolicy(_Section):
    low_confidence: float = Field(0.8, ge=0, le=1, description="below this, an action needs review")
    min_confidence: float = Field(0.5, ge=0, le=1, description="below this, a signal does not become an action")


class ReviewPolicy(_Section):
    status: str = Field("pending_review", min_length=1, description="status of an action waiting for a human")
    high_value_workflows: list[WorkflowName] = Field(default_factory=lambda: list(WORKFLOWS))
    customer_required_workflows: list[WorkflowName] = Field(default_factory=list)
    suppressed_data_needs_review: list[SuppressionKind] = Field(
        default_factory=lambda: ["card_numbers", "bank_details", "tax_identifiers", "private_documents"]
    )
    sensitive_phrases: dict[str, str] = Field(default_factory=dict, description="label -> regular expression")
    # Redaction finding types that are tax identifiers: a call where one was read out (even if nothing
    # else says so) carries a tax-id change, which finance applies (billing_correction, reviewed).
    tax_id_finding_types: list[str] = Field(
        default_factory=lambda: ["us_ein", "vat_number", "uk_utr", "us_itin", "tax_id", "gst_number", "abn"]
    )
    sensitive_finding_types: list[str] = Field(
        default_factory=lambda: ["card_number", "card_cvv", "iban", "us_bank_account", "uk_bank_account", "us_ssn"]
    )
    # A customer match below identity.low_confidence sends every action of the call to review.
    low_confidence_match_needs_review: StrictBool = True

    @field_validator("sensitive_phrases")
    @classmethod
    def _compiles(cls, phrases: dict[str, str]) -> dict[str, str]:
        for label, pattern in phrases.items():
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{label!r} is not a valid regular expression ({error})") from None
        return phrases


class HubSpotValueRule(_Section):
    """A HubSpot property that makes a customer high value: one of `any_of` (case-insensitive), or a
    number at or above `at_least`. `property` is a contact property, or `company.<name>` for the
    contact's company."""

    property: str = Field(min_length=1)
    any_of: list[str] = Field(default_factory=list)
    at_least: PositiveAmount | None = None

    def matches(self, value: str | None) -> bool:
        if value is None or not str(value).strip():
            return False
        text = str(value).strip()
        if self.any_of and text.casefold() in {v.casefold() for v in self.any_of}:
            return True
        if self.at_least is not None:
            try:
                return Decimal(re.sub(r"[^\d.\-]", "", text) or "x") >= self.at_least
            except ArithmeticError:
                return False
        return False


class HighValuePolicy(_Section):
    use_enrichment_flag: StrictBool = True
    hubspot: list[HubSpotValueRule] = Field(default_factory=list)
    amount_at_least: dict[Currency, PositiveAmount] = Field(default_factory=dict)
    lifecycle_stages: list[str] = Field(default_factory=list)
    # Account-level rules enrichment applies to Stripe context (the `high_value` flag on a call).
    mrr_at_least: dict[Currency, PositiveAmount] = Field(default_factory=dict)
    lifetime_value_at_least: dict[Currency, PositiveAmount] = Field(default_factory=dict)

    def account_is_high_value(self, stripe: StripeContext | None, hubspot: HubSpotContext | None) -> bool:
        """The enrichment flag: MRR or lifetime value at or above its threshold, or a listed stage."""
        return bool(self.reasons(stripe, hubspot))

    def reasons(self, stripe: StripeContext | None, hubspot: HubSpotContext | None) -> list[str]:
        """Why the account is high value (names of the rules that hold; no values)."""
        found: list[str] = []
        stage = (hubspot.lifecycle_stage if hubspot else None) or ""
        if stage and stage.casefold() in {s.casefold() for s in self.lifecycle_stages}:
            found.append("hubspot.lifecycle_stage")
        for rule in self.hubspot:
            if hubspot is not None and rule.matches(hubspot.properties.get(rule.property)):
                found.append(f"hubspot.{rule.property}")
        if stripe is None:
            return found
        for name, money, limits in (
            ("stripe.mrr", stripe.mrr, self.mrr_at_least),
            ("stripe.lifetime_value", stripe.lifetime_value, self.lifetime_value_at_least),
        ):
            limit = limits.get(money.currency) if money else None
            if money is not None and limit is not None and money.amount >= limit:
                found.append(f"{name} at or above the high-value amount")
        return found


IdentifierKind = Literal[
    "email", "spoken_email", "payment_id", "invoice_number", "subscription_id", "stripe_customer_id",
    "account_id", "phone", "phone_national", "spoken_phone", "company",
]  # fmt: skip
IDENTIFIER_KINDS: tuple[str, ...] = IdentifierKind.__args__  # type: ignore[attr-defined]
Confidence = Annotated[float, Field(ge=0, le=1)]


class IdentityPolicy(_Section):
    """How a caller is matched to a Stripe customer / HubSpot contact, and how sure each match is.

    Identifiers are tried from the most to the least confident; the first that names a customer wins.
    """

    confidence: dict[IdentifierKind, Confidence] = Field(
        default_factory=lambda: {
            "email": 0.97, "payment_id": 0.97, "stripe_customer_id": 0.97, "invoice_number": 0.95,
            "subscription_id": 0.95, "account_id": 0.9, "phone": 0.9, "phone_national": 0.85, "spoken_email": 0.85,
            "spoken_phone": 0.85,
            "company": 0.6,
        }
    )  # fmt: skip
    # An identifier that names several customers (a shared office phone, a common company name).
    ambiguous_confidence: Confidence = 0.5
    # A match below this sends every action of the call to review ("low-confidence customer match").
    low_confidence: Confidence = 0.8
    # Region for caller numbers without a country code (ISO 3166 alpha-2).
    default_region: str = Field("US", pattern=r"^[A-Z]{2}$")
    # HubSpot contact properties that hold the Stripe customer id and our account id.
    hubspot_stripe_id_property: str = "stripe_customer_id"
    hubspot_account_id_property: str = "account_id"
    # Stripe customer metadata key that holds our account id.
    stripe_account_id_metadata: str = "account_id"

    def confidence_of(self, kind: str) -> float:
        return float(self.confidence.get(kind, 0.0))  # type: ignore[call-overload]


AnalysisRole = Literal[
    "intent", "email", "delivery_email", "new_contact_email", "phone", "new_phone", "account_id", "invoice_number",
    "payment_id", "subscription_id", "company", "customer_name", "tax_id", "amount", "currency", "text",
    "known",
]  # fmt: skip


def _default_analysis_fields() -> dict[str, list[str]]:
    return {
        "intent": ["intent", "call_intent", "reason_for_call", "call_reason", "reason", "topic", "call_topic",
                   "category", "call_category", "primary_intent", "intents"],
        "email": ["email", "customer_email", "billing_email", "caller_email", "contact_email", "email_address"],
        "delivery_email": ["delivery_email", "send_to", "send_to_email", "send_receipt_to", "send_invoice_to",
                           "recipient_email", "deliver_to",
                           "alternate_email", "alternative_email", "cc_email", "forward_to"],
        "new_contact_email": ["new_contact_email", "contact_email_new", "new_email", "new_billing_email",
                              "updated_email",
                              "new_recipient_email", "additional_contact_email"],
        "phone": ["phone", "customer_phone", "callback_number", "phone_number", "caller_phone", "contact_phone"],
        "new_phone": ["new_phone", "new_phone_number", "updated_phone", "corrected_phone"],
        "account_id": ["account_id", "account", "account_number_internal", "customer_id", "account_number",
                       "customer_number", "account_ref", "customer_account"],
        "invoice_number": ["invoice_number", "invoice", "invoice_id", "invoice_no", "invoice_ref"],
        "payment_id": ["payment_id", "payment_intent", "charge_id", "payment_intent_id", "transaction_id",
                       "payment_reference", "charge"],
        "subscription_id": ["subscription_id", "subscription", "plan_id"],
        "company": ["company", "company_name", "organization", "organisation", "business_name", "account_name"],
        "customer_name": ["customer_name", "customer", "name", "caller_name", "contact_name"],
        "tax_id": ["tax_id", "vat_number", "vat_id", "tax_registration_number", "tax_number", "ein", "tin",
                   "gst_number", "abn", "utr", "new_tax_id", "new_vat_number"],
        "amount": ["amount", "charge_amount", "refund_amount", "disputed_amount"],
        "currency": ["currency"],
        # Free text the classifier reads like the summary.
        "text": ["summary", "notes", "call_notes", "caller_request", "request", "issue", "resolution",
                 "outcome", "details", "description", "dispute_reason", "refund_reason", "credit_request",
                 "escalation_reason", "promised_next_step", "next_step"],
        # Known fields with no role here (the normaliser reads them into billing details).
        "known": ["tax_region", "region", "country", "payment_status", "finance_owner", "owner", "due_date",
                  "follow_up_deadline", "follow_up_date", "approval_threshold", "transcript_url", "transcript_link",
                  "recording_url", "crm_url", "crm_link", "support_ticket", "ticket", "ticket_id",
                  "payment_platform_url", "payment_link", "stripe_url", "sentiment", "language"],
    }  # fmt: skip


class OwnersPolicy(_Section):
    accept_owner_from_call: StrictBool = True
    # region (a tax region such as "EU-DE", or its prefix "EU") -> team named in a workflow -> owner
    regions: dict[str, dict[str, str]] = Field(default_factory=dict)


class SlackPolicy(_Section):
    on_dispute: StrictBool = True
    on_amount_above_threshold: StrictBool = True
    amount_workflows: list[WorkflowName] = Field(default_factory=list)
    on_high_value_failure: StrictBool = True
    failure_workflows: list[WorkflowName] = Field(default_factory=lambda: ["renewal_failed"])


class TriagePolicy(_Section):
    mode: Literal["requests", "billing_cues", "always", "never"] = "requests"
    no_action_statuses: list[str] = Field(default_factory=list)
    action: str = Field("triage_unclassified_call", min_length=1)
    destination_object: str = Field("sheets.review_row", min_length=1)
    owner: str = Field("billing-support", min_length=1)
    urgency: Urgency = "low"
    next_step: str = Field("read the call and pick a workflow, or close it", min_length=1)


class NotePolicy(_Section):
    summary_max_chars: int = Field(280, ge=40, le=2000)


class WorkflowPolicy(_Section):
    """One workflow. The six launch fields are optional here so `check_launch` can name a missing one."""

    action: str = Field(min_length=1, description="action name, part of the idempotency key")
    destination_object: str | None = None
    owner: str | None = None
    status: str | None = None
    urgency: Urgency | None = None
    next_step: str | None = None
    record_url: list[RecordSource] | None = None
    automatic: StrictBool = False
    changes: list[Change] = Field(default_factory=list)
    follow_up_days: int = Field(2, ge=0, le=365)
    include_call_summary: StrictBool = True
    # contact_sync only, and off by default: also find-or-create the contact beside these workflows
    # (the behaviour before contact_sync meant a contact change; every Altoviz sink already looks up
    # or creates the contact itself).
    triggered_by: list[WorkflowName] = Field(default_factory=list, description="contact_sync only")


class Policy(_Section):
    version: Literal[1]
    classification: ClassificationPolicy = Field(default_factory=ClassificationPolicy)
    review: ReviewPolicy = Field(default_factory=ReviewPolicy)
    thresholds: dict[Currency, PositiveAmount] = Field(default_factory=dict)
    high_value: HighValuePolicy = Field(default_factory=HighValuePolicy)
    owners: OwnersPolicy = Field(default_factory=OwnersPolicy)
    slack: SlackPolicy = Field(default_factory=SlackPolicy)
    triage: TriagePolicy = Field(default_factory=TriagePolicy)
    note: NotePolicy = Field(default_factory=NotePolicy)
    identity: IdentityPolicy = Field(default_factory=IdentityPolicy)
    # DialNexa post-call analysis keys per role (fields are named per workspace; names compare
    # case-insensitively). A key in no list is reported as unmapped on the enriched call.
    analysis_fields: dict[AnalysisRole, list[str]] = Field(default_factory=_default_analysis_fields)
    workflows: dict[WorkflowName, WorkflowPolicy] = Field(default_factory=dict)

    _source: str = PrivateAttr(default="<policy>")
    _sensitive: list[tuple[str, re.Pattern[str]]] = PrivateAttr(default_factory=list)
    _roles: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._sensitive = [(label, re.compile(p, re.I)) for label, p in self.review.sensitive_phrases.items()]

    @property
    def source(self) -> str:
        """The file this policy came from, for messages."""
        return self._source

    @property
    def sensitive_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return self._sensitive

    def analysis_role(self, key: str) -> str | None:
        """The role of a post-call analysis key under `analysis_fields`, or None (unmapped)."""
        if not self._roles:
            fields = self.analysis_fields.items()
            self._roles = {alias.casefold(): role for role, aliases in fields for alias in aliases}
        return self._roles.get(key.casefold())

    def workflow(self, name: str) -> WorkflowPolicy:
        try:
            return self.workflows[name]  # type: ignore[index]
        except KeyError:
            raise PolicyError(f"policy {self._source}: workflow {name!r} has no [workflows.{name}] section") from None


def parse_policy(data: dict[str, Any], source: str = "<policy>") -> Policy:
    """Validate an already-parsed policy document; `source` names it in error messages."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        problems = "\n".join(f"  - {_describe(item)}" for item in error.errors())
        raise PolicyError(f"policy {source} is invalid:\n{problems}") from None
    policy._source = source
    return policy


def load_policy(path: Path | None = None) -> Policy:
    """Load, validate and launch-check a policy file; None loads the packaged default."""
    path = DEFAULT_POLICY_PATH if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"policy {path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"policy {path}: cannot be read ({error})") from None
    try:
        # Decimal, not float: 0.1 + 0.2 must compare to a threshold exactly.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"policy {path}: not valid TOML: {error}") from None
    policy = parse_policy(data, str(path))
    check_launch(policy)
    return policy


def check_launch(policy: Policy) -> None:
    """Refuse to start unless every workflow maps all of `LAUNCH_FIELDS` (one message lists every gap)."""
    gaps: list[str] = []
    for name in WORKFLOWS:
        spec = policy.workflows.get(name)  # type: ignore[call-overload]
        if spec is None:
            gaps.append(f"workflow {name!r}: no [workflows.{name}] section (needs {', '.join(LAUNCH_FIELDS)})")
            continue
        for field in LAUNCH_FIELDS:
            value = getattr(spec, field)
            if value is None or (isinstance(value, str | list) and not value):
                gaps.append(f"workflow {name!r}: missing {field} (key workflows.{name}.{field})")
    if gaps:
        lines = "\n".join(f"  - {gap}" for gap in gaps)
        raise PolicyError(f"policy {policy.source}: not ready for launch, map these fields first:\n{lines}")


_EXPECTED = {
    "missing": "a value (required key is missing)",
    "literal_error": None,  # pydantic's message lists the allowed values
    "string_pattern_mismatch": "a 3-letter upper-case ISO 4217 currency code",
}


def _describe(item: Any) -> str:
    key = ".".join(str(part) for part in item["loc"]) or "(top level)"
    kind = item["type"]
    expected = _EXPECTED.get(kind) or item["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
    if item["loc"] and item["loc"][-1] == "[key]":  # pydantic's marker for a bad dict key
        key = ".".join(str(part) for part in item["loc"][:-1])
    if kind == "extra_forbidden":
        return f"key {key!r}: unknown key, not part of the policy (docs/policy.md lists every key)"
    got = "" if kind == "missing" else f" (got {_short(item.get('input'))})"
    return f"key {key!r}: expected {expected}{got}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
