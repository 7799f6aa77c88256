"""Faust tables (changelog-backed state) that enrichment reads.

Partitioned tables are written only by agents whose source topic is keyed like the table, so key K
lives in partition hash(K) of the changelog and of every topic keyed by K: Faust assigns partition N
of all equally-partitioned topics to the same worker, so a lookup always hits a partition the worker
owns, however many workers share the load. HubSpot owners and companies are small reference data
(hundreds to thousands of rows) read for any call, so they are global tables: every worker has all.
"""

from __future__ import annotations

from dataclasses import dataclass

import faust

from callstream.settings import Settings


@dataclass(frozen=True)
class PipelineTables:
    email_directory: faust.types.TableT  # lower-cased email -> Stripe customer id and HubSpot contact
    stripe_customers: faust.types.TableT  # Stripe customer id -> billing state
    stripe_charge_owners: faust.types.TableT  # charge / payment intent id -> customer id
    identity_index: faust.types.TableT  # "<kind>:<identifier>" -> the customers vendor objects tie it to
    hubspot_owners: faust.types.TableT  # owner id -> name, email (global)
    hubspot_companies: faust.types.TableT  # company id -> name, renewal date (global)


def declare_tables(app: faust.App, settings: Settings) -> PipelineTables:
    def table(name: str, help_text: str) -> faust.types.TableT:
        return app.Table(name, default=None, key_type=str, partitions=settings.topic_partitions, help=help_text)

    def global_table(name: str, help_text: str) -> faust.types.TableT:
        return app.GlobalTable(name, default=None, key_type=str, partitions=settings.topic_partitions, help=help_text)

    return PipelineTables(
        email_directory=table("email_directory", "lower-cased email to Stripe customer id and HubSpot contact"),
        stripe_customers=table("stripe_customers", "Stripe customer id to the customer's billing state"),
        stripe_charge_owners=table("stripe_charge_owners", "charge or payment intent id to Stripe customer id"),
        identity_index=table("identity_index", "identifier (phone, invoice number, payment id, ...) to customers"),
        hubspot_owners=global_table("hubspot_owners", "HubSpot owner id to name and email"),
        hubspot_companies=global_table("hubspot_companies", "HubSpot company id to name and renewal date"),
    )
