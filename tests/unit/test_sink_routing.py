"""Which agent writes what: each (action, sink) pair belongs to exactly one topic's agent."""

from __future__ import annotations

import itertools

import pytest

from schemas.models import WORKFLOWS
from sinks.routing import ALTOVIZ, REVIEW, SHEETS, SLACK, TOPIC_SINKS, VENDORS, ZENDESK, altoviz_operation, needs
from tests.fakes.actions import make_action

URGENT = frozenset({"urgent"})


def writers(action, topics: list[str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """sink -> topics whose agent would write this action to it."""
    return {sink: [t for t in topics if needs(t, sink, action, URGENT)] for sink in VENDORS}


@pytest.mark.parametrize(
    ("workflow", "review", "urgency"), list(itertools.product(WORKFLOWS, [False, True], ["normal", "urgent"]))
)
def test_no_sink_is_written_from_two_topics(workflow: str, review: bool, urgency: str) -> None:
    action = make_action("c", workflow, review_required=review, urgency=urgency)
    topics = [workflow, REVIEW] if review else [workflow]  # where the classifier puts it
    for sink, owners in writers(action, topics).items():
        assert len(owners) <= 1, (sink, owners)
    assert bool(writers(action, topics)[SLACK]) == (urgency == "urgent")
    assert bool(writers(action, topics)[SHEETS]) == (review or workflow in ("refund_approval", "billing_correction"))


def test_the_mapping() -> None:
    def sinks(workflow: str, **fields) -> set[str]:  # type: ignore[no-untyped-def]
        action = make_action("c", workflow, **fields)
        return {s for s in VENDORS if needs(workflow, s, action, URGENT)}

    assert sinks("charge_dispute") == {ZENDESK, ALTOVIZ}
    assert sinks("charge_dispute", urgency="urgent") == {ZENDESK, ALTOVIZ, SLACK}
    assert sinks("renewal_failed") == {ZENDESK, ALTOVIZ}
    assert sinks("refund_approval") == {ZENDESK, SHEETS}
    assert sinks("refund_approval", review_required=True) == {ZENDESK}  # its row comes from workflow.review
    assert sinks("billing_correction") == {SHEETS}
    assert sinks("collections_log") == {ALTOVIZ}
    assert sinks("contact_sync") == {ALTOVIZ}
    assert sinks("invoice_resend") == {ALTOVIZ}
    assert sinks("invoice_resend", review_required=True) == set()  # never sent to an unverified email
    assert sinks("receipt_resend") == {ALTOVIZ}
    assert sinks("receipt_resend", review_required=True) == {ZENDESK}


def test_review_topic_writes_rows_and_alerts_only_for_unclassified() -> None:
    classified = make_action("c", "refund_approval", review_required=True, urgency="urgent")
    assert needs(REVIEW, SHEETS, classified, URGENT) and not needs(REVIEW, SLACK, classified, URGENT)
    unclassified = classified.model_copy(update={"workflow": "unclassified"})
    assert needs(REVIEW, SLACK, unclassified, URGENT)


def test_altoviz_operation_and_topic_table() -> None:
    assert altoviz_operation(make_action("c", "contact_sync")) == "contact"
    assert altoviz_operation(make_action("c", "invoice_resend")) == "send_invoice"
    assert altoviz_operation(make_action("c", "receipt_resend")) == "send_invoice"
    assert altoviz_operation(make_action("c", "collections_log")) == "customer_note"
    assert altoviz_operation(make_action("c", "charge_dispute")) == "customer_note"
    assert set(TOPIC_SINKS) == {*WORKFLOWS, REVIEW}
