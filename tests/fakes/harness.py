"""Integration-test plumbing for the sink stage: settings pointing at the fakes, a call mix that
exercises every sink, publishing actions straight onto `workflow.<name>`, and what the fakes must
hold at the end (independent of the worker: computed from the routing table and the actions)."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from confluent_kafka import Consumer, TopicPartition
from pydantic import SecretStr

from callstream.kafkaio import Record, produce, read_topics
from callstream.settings import Settings
from schemas.codecs import build_codecs
from schemas.models import WorkflowAction
from sinks.ledger import write_key
from sinks.routing import ALTOVIZ, REVIEW, SHEETS, SLACK, TOPIC_SINKS, VENDORS, ZENDESK, altoviz_operation, needs
from tests.fakes.actions import make_action
from tests.fakes.server import FakeVendorsProcess
from tests.fakes.vendors import SHEETS_HEADER_KEY

PRIMARY = (
    "charge_dispute", "refund_approval", "collections_log", "billing_correction", "invoice_resend",
    "renewal_failed", "receipt_resend",
)  # fmt: skip
URGENT = frozenset({"urgent", "critical"})


SLACK_CHANNEL_ID = "C0FINANCE1"  # the fake's finance channel


def sink_settings(base: Settings, fakes_url: str, slack_mode: str = "webhook", **overrides: object) -> Settings:
    """`base` with every vendor configured against the fakes, and test-sized timeouts. `slack_mode`:
    `webhook` (SLACK_WEBHOOK_URL) or `web_api` (SLACK_BOT_TOKEN, chat.postMessage + history)."""
    values: dict[str, object] = {
        "altoviz_base_url": fakes_url,
        "altoviz_api_key": SecretStr("test-altoviz-key"),
        "zendesk_base_url": fakes_url,
        "zendesk_email": "agent@acme.example",
        "zendesk_api_token": SecretStr("test-zendesk-token"),
        "google_sheets_base_url": fakes_url,
        "google_sheets_spreadsheet_id": "review-sheet",
        "google_sheets_token": SecretStr("test-sheets-token"),
        "slack_webhook_url": SecretStr(f"{fakes_url}/services/T000/B000/test"),
        "altoviz_requests_per_second": 400.0,
        "zendesk_requests_per_minute": 24000.0,
        "sink_http_timeout_seconds": 2.0,
        "sink_retry_base_seconds": 0.2,
        "sink_retry_max_delay_seconds": 2.0,
        "sink_breaker_reset_seconds": 2.0,
        "google_sheets_batch_seconds": 0.5,
    }
    if slack_mode == "web_api":
        values.update({
            "slack_webhook_url": None, "slack_bot_token": SecretStr("xoxb-test-bot-token"),
            "slack_api_base_url": f"{fakes_url}/api", "slack_channel": SLACK_CHANNEL_ID,
            "slack_confirm_settle_seconds": 0.5, "slack_history_requests_per_minute": 600.0,
            "slack_update_requests_per_minute": 600.0,
        })  # fmt: skip
    elif slack_mode != "webhook":
        raise ValueError(f"slack_mode must be webhook or web_api, not {slack_mode!r}")
    values.update(overrides)
    return base.model_copy(update=values)


def call_mix(count: int, seed: int = 11, urgent_every: int = 50, old_every: int = 2) -> list[WorkflowAction]:
    """Per call: contact_sync plus one primary workflow; some review, some urgent, some older than 2 h."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    actions: list[WorkflowAction] = []
    for index in range(count):
        call_id = f"call_{seed}_{index:05d}"
        email = f"{call_id}@customers.example"
        workflow = PRIMARY[index % len(PRIMARY)]
        created = now - timedelta(hours=3) if index % old_every == 0 else now
        review = workflow in ("refund_approval", "billing_correction", "charge_dispute") and rng.random() < 0.5
        urgency = "urgent" if index % urgent_every == 0 else "high" if workflow == "charge_dispute" else "normal"
        invoice = f"INV-{index:05d}" if workflow in ("invoice_resend", "receipt_resend") else None
        actions.append(
            make_action(call_id, workflow, customer_email=email, created_at=created, review_required=review,
                        urgency=urgency, invoice_number=invoice)
        )  # fmt: skip
        actions.append(make_action(call_id, "contact_sync", customer_email=email, created_at=created))
    return actions


def seed_fakes(fakes: FakeVendorsProcess, actions: Iterable[WorkflowAction]) -> None:
    """Altoviz customers for every email and invoices for every invoice number the actions use."""
    customers: dict[str, int] = {}
    invoices = []
    for action in actions:
        if action.customer_email and action.customer_email not in customers:
            customers[action.customer_email] = 10_000_000 + len(customers)
        if action.invoice_number:
            invoices.append(
                {"number": action.invoice_number, "customerId": customers[action.customer_email or ""], "metadata": {}}
            )
    fakes.control("POST", "seed", {
        "customers": [{"id": cid, "email": email, "type": "Business"} for email, cid in customers.items()],
        "invoices": invoices,
    })  # fmt: skip


def topics_of(action: WorkflowAction) -> list[str]:
    """Where the classifier would publish it: its workflow topic, plus review when a human must look."""
    return [action.workflow, REVIEW] if action.review_required else [action.workflow]


def expected_writes(actions: Iterable[WorkflowAction]) -> Counter[tuple[str, str]]:
    """(fake counter, key) -> 1 for every write the sinks must make exactly once."""
    expected: Counter[tuple[str, str]] = Counter()
    for action in actions:
        for topic in topics_of(action):
            for vendor in VENDORS:
                if not needs(topic, vendor, action, URGENT):
                    continue
                key = write_key(action.idempotency_key, vendor)
                if vendor == ALTOVIZ:
                    operation = altoviz_operation(action)
                    if operation == "contact":
                        expected[("altoviz.contact", key)] += 1
                    elif operation == "send_invoice":
                        expected[("altoviz.send", action.invoice_number or "")] += 1
                    else:
                        expected[("altoviz.note", key)] += 1
                elif vendor == ZENDESK:
                    expected[("zendesk.ticket", key)] += 1
                elif vendor == SHEETS:
                    expected[("sheets.row", key)] += 1
                elif vendor == SLACK:
                    expected[("slack.message", key)] += 1
    if any(kind == "sheets.row" for kind, _ in expected):
        expected[("sheets.header", SHEETS_HEADER_KEY)] = 1  # row 1 of the review sheet, exactly once
    return expected


def actual_writes(fakes: FakeVendorsProcess) -> Counter[tuple[str, str]]:
    return Counter({(kind, key): n for kind, per_key in fakes.writes().items() for key, n in per_key.items()})


def publish(settings: Settings, actions: Iterable[WorkflowAction]) -> int:
    codec = build_codecs().action
    by_topic: dict[str, list[tuple[bytes, bytes]]] = {}
    for action in actions:
        for topic in topics_of(action):
            by_topic.setdefault(topic, []).append((action.call_id.encode(), codec.encode(action)))
    return sum(produce(settings.bootstrap_servers, settings.topic(f"workflow.{t}"), r) for t, r in by_topic.items())


def read_to_end(settings: Settings, topics: list[str], timeout: float = 10.0) -> list[Record]:
    """Every record the topics hold now: read up to their high watermarks, then stop (not a fixed
    wait: `read_topics(..., until=lambda r: False, timeout=5)` always took the whole 5 s)."""
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": "watermarks", "log_level": 0})
    try:
        total = 0
        for topic in topics:
            for partition in range(settings.topic_partitions):
                low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
                total += max(high - max(low, 0), 0)
    finally:
        consumer.close()
    return read_topics(settings.bootstrap_servers, topics, until=lambda records: len(records) >= total, timeout=timeout)


def wait_for(condition: Callable[[], bool], timeout: float, interval: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def group_lag(settings: Settings, group: str) -> int:
    """Messages on the workflow topics that `group` has not committed yet."""
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": group, "log_level": 0})
    try:
        partitions = [
            TopicPartition(settings.topic(f"workflow.{name}"), p)
            for name in TOPIC_SINKS for p in range(settings.topic_partitions)
        ]  # fmt: skip
        lag = 0
        for committed in consumer.committed(partitions, timeout=10):
            _low, high = consumer.get_watermark_offsets(committed, timeout=10)
            lag += high - max(committed.offset, 0)
        return lag
    finally:
        consumer.close()


# A SIGKILLed worker stays a group member until its session times out; the tests shorten that
# (Faust reads BROKER_SESSION_TIMEOUT from the environment) so a restart rejoins in seconds.
TEST_SESSION_TIMEOUT_SECONDS = "10"


def group_members(settings: Settings) -> tuple[bool, set[str]]:
    """(stable, member ids) of the worker's consumer group."""
    from confluent_kafka import ConsumerGroupState
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    try:
        group = admin.describe_consumer_groups([settings.group_id])[settings.group_id].result(timeout=5)
    except Exception:  # the group is being rebalanced or does not exist yet
        return False, set()
    return group.state == ConsumerGroupState.STABLE, {member.member_id for member in group.members}


def wait_for_new_member(settings: Settings, old: set[str], timeout: float = 90.0) -> bool:
    """Until the group is stable with one member that is not one of `old` (the dead one is gone)."""

    def replaced() -> bool:
        stable, members = group_members(settings)
        return stable and len(members) == 1 and not members & old

    return wait_for(replaced, timeout, interval=0.5)
