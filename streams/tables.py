"""Faust tables (changelog-backed state) that enrichment reads.

Both are keyed within the `stripe.events` partitions, so their changelogs have as many partitions
as that topic (Faust's co-partitioning rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import faust

from callstream.settings import Settings


@dataclass(frozen=True)
class PipelineTables:
    stripe_email_index: faust.types.TableT  # lower-cased email -> Stripe customer id
    stripe_customers: faust.types.TableT  # Stripe customer id -> billing context (dict)


def declare_tables(app: faust.App, settings: Settings) -> PipelineTables:
    def table(name: str, help_text: str) -> faust.types.TableT:
        return app.Table(
            name,
            default=None,
            key_type=str,
            value_type=None,
            partitions=settings.topic_partitions,
            help=help_text,
        )

    return PipelineTables(
        stripe_email_index=table("stripe_email_index", "lower-cased email to Stripe customer id"),
        stripe_customers=table("stripe_customers", "Stripe customer id to the customer's billing context"),
    )
