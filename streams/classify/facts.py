"""Facts about a call that several rule families read: analysis fields by role, the on-file emails,
where a document would go, the redactor's tax-id findings, how sure the customer match is."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.models import EnrichedCall
from streams.identity import analysis_by_role, caller_text, normalise_email, spoken_emails
from streams.policy import Policy


@dataclass(frozen=True)
class Facts:
    roles: dict[str, list[str]]  # post-call analysis values by the policy's role for their key
    on_file_emails: frozenset[str]  # the customer's email in Stripe and HubSpot
    stated_email: str | None  # the email the call gave as the caller's
    delivery_email: str | None  # an address the caller asked a document to be sent to
    new_contact_email: str | None
    tax_findings: tuple[str, ...]  # redaction finding types that are tax identifiers
    tax_id_field: bool  # the analysis carried a tax identifier field
    identity_confidence: float | None
    identified: bool
    mentioned_emails: frozenset[str]  # every email the call names (fields and spoken)
    invoice_number: str | None

    @property
    def destination(self) -> str | None:
        """Where a document would be sent: the address asked for, else the caller's, else the one on file."""
        if self.delivery_email:
            return self.delivery_email
        elsewhere = sorted(self.mentioned_emails - self.on_file_emails - {self.new_contact_email or ""})
        if elsewhere:
            return elsewhere[0]  # an address the caller named that is not on file
        if self.stated_email:
            return self.stated_email
        return next(iter(sorted(self.on_file_emails)), None)

    @property
    def destination_verified(self) -> bool:
        return self.destination is not None and self.destination in self.on_file_emails


def call_facts(enriched: EnrichedCall, policy: Policy) -> Facts:
    call = enriched.call
    roles, _ = analysis_by_role(call, policy)
    on_file = {
        email
        for email in (
            normalise_email(enriched.stripe.email if enriched.stripe else None),
            normalise_email(enriched.hubspot.email if enriched.hubspot else None),
        )
        if email
    }
    stated = normalise_email(call.billing.email) or next(
        (e for e in (normalise_email(v) for v in roles.get("email", [])) if e), None
    )
    delivery = next((e for e in (normalise_email(v) for v in roles.get("delivery_email", [])) if e), None)
    new_contact = next((e for e in (normalise_email(v) for v in roles.get("new_contact_email", [])) if e), None)
    # Every address the caller spelled out: one not on file may be where they want the document to go.
    spoken = spoken_emails(caller_text(call))
    mentioned = {e for e in (normalise_email(v) for v in [call.billing.email, *roles.get("email", []), *spoken]) if e}
    tax_types = set(policy.review.tax_id_finding_types)
    findings = tuple(sorted(t for t, n in enriched.redaction.counts.items() if n and t in tax_types))
    identified = bool(
        (enriched.stripe and enriched.stripe.customer_id) or (enriched.hubspot and enriched.hubspot.contact_id)
    )
    return Facts(
        roles=roles,
        on_file_emails=frozenset(on_file),
        stated_email=stated,
        delivery_email=delivery,
        new_contact_email=new_contact,
        tax_findings=findings,
        tax_id_field=bool(roles.get("tax_id")),
        identity_confidence=enriched.identity_confidence,
        identified=identified,
        mentioned_emails=frozenset(mentioned),
        invoice_number=call.billing.invoice_number or next(iter(roles.get("invoice_number", [])), None),
    )
