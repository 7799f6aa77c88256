"""On-miss lookups for the enrichment tables, over the Stripe and HubSpot read clients.

They answer in the same shapes the vendor topics carry (Stripe events, `hubspot.events` records),
so a looked-up answer goes through exactly the code that applies published events.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from callstream.backfill import hubspot_event, hubspot_owner_event, stripe_event
from callstream.settings import Settings
from callstream.vendors import VendorUnavailable
from callstream.vendors.hubspot import HubSpotClient
from callstream.vendors.stripe import StripeClient
from streams.agent_enrich import HubSpotLookup, LookupFailed, StripeLookup


class StripeTableLookup:
    def __init__(self, client: StripeClient) -> None:
        self._client = client

    async def customer_id_by_email(self, email: str) -> str | None:
        try:
            customer = await self._client.find_customer_by_email(email)
        except VendorUnavailable as error:
            raise LookupFailed(error.reason) from None
        return str(customer["id"]) if customer else None

    async def customer_id_by_payment(self, payment_id: str) -> str | None:
        """The customer of a charge (ch_/py_) or payment intent (pi_), asked of Stripe; None if unknown."""
        try:
            obj = await self._client.payment(payment_id)
        except VendorUnavailable as error:
            raise LookupFailed(error.reason) from None
        customer = (obj or {}).get("customer")
        if isinstance(customer, dict):
            customer = customer.get("id")
        return customer if isinstance(customer, str) and customer else None

    async def snapshot_events(self, customer_id: str) -> list[dict[str, Any]]:
        try:
            objects = await self._client.customer_snapshot(customer_id)
        except VendorUnavailable as error:
            raise LookupFailed(error.reason) from None
        fetched_at = int(time.time())
        return [stripe_event(obj, fetched_at) for obj in objects]


class HubSpotTableLookup:
    def __init__(self, client: HubSpotClient) -> None:
        self._client = client

    async def contact_event(self, email: str) -> dict[str, Any] | None:
        contact = await self._call(self._client.contact_by_email, email)
        return hubspot_event(contact, "contact") if contact else None

    async def owner_event(self, owner_id: str) -> dict[str, Any] | None:
        owner = await self._call(self._client.owner, owner_id)
        return hubspot_owner_event(owner) if owner else None

    async def company_event(self, company_id: str) -> dict[str, Any] | None:
        company = await self._call(self._client.company, company_id)
        return hubspot_event(company, "company") if company else None

    async def _call(self, method: Any, argument: str) -> dict[str, Any] | None:
        try:
            return await method(argument)
        except VendorUnavailable as error:
            raise LookupFailed(error.reason) from None


def build_lookups(
    settings: Settings, http: httpx.AsyncClient | None = None
) -> tuple[StripeLookup | None, HubSpotLookup | None]:
    """Lookups for the vendors that have credentials; None for the others (no on-miss lookup)."""
    if settings.stripe_api_key is None and settings.hubspot_token is None:
        return None, None
    http = http or httpx.AsyncClient()
    stripe = None
    if settings.stripe_api_key is not None:
        stripe = StripeTableLookup(StripeClient(http, settings.stripe_base_url, settings.stripe_api_key))
    hubspot = None
    if settings.hubspot_token is not None:
        hubspot = HubSpotTableLookup(HubSpotClient(http, settings.hubspot_base_url, settings.hubspot_token))
    return stripe, hubspot
