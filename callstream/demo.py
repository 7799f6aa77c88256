"""`callstream demo`: a real broker, a real worker, the bundled sample calls, and what happened to them.

Each run uses its own topic prefix, consumer group and outbox, so runs never see each other's data.
The exit code is non-zero if any sample call did not reach the route it should.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from callstream.kafkaio import Record, delete_prefixed, produce, read_topics
from callstream.localkafka import LocalKafka, LocalKafkaError, free_port
from callstream.settings import Settings
from callstream.workerprocess import WorkerFailed, WorkerProcess
from schemas.codecs import SingleObjectCodec
from schemas.models import WORKFLOWS, DeadLetter, SinkResult, WorkflowAction
from sinks.outbox import read_outbox
from streams import topics as topic_names
from streams.topics import ensure_topics

SINK_RESULT_CODEC = SingleObjectCodec(SinkResult)
DEADLETTER_CODEC = SingleObjectCodec(DeadLetter)
ACTION_CODEC = SingleObjectCodec(WorkflowAction)

# Stripe customers known before the calls arrive, so the demo shows enrichment from the table.
DEMO_STRIPE_EVENTS = [
    {
        "id": "evt_demo_1",
        "created": 1763600000,
        "type": "customer.created",
        "data": {"object": {"object": "customer", "id": "cus_demo_ana", "email": "ana@acme.example", "name": "Ana"}},
    },
    {
        "id": "evt_demo_2",
        "created": 1763600001,
        "type": "customer.created",
        "data": {"object": {"object": "customer", "id": "cus_demo_ben", "email": "ben@globex.example", "name": "Ben"}},
    },
    {
        "id": "evt_demo_3",
        "created": 1763600002,
        "type": "customer.created",
        "data": {"object": {"object": "customer", "id": "cus_demo_cara", "email": "cara@initech.example"}},
    },
]


@dataclass(frozen=True)
class SampleCall:
    name: str
    call_id: str
    value: bytes
    expected_workflows: frozenset[str]
    expects_review: bool
    expects_dead_letter: bool


def load_samples() -> list[SampleCall]:
    text = resources.files("callstream").joinpath("samples/calls.json").read_text()
    samples = []
    for entry in json.loads(text):
        expect = entry["expect"]
        if "raw" in entry:
            call_id, value = entry["key"], entry["raw"].encode()
        else:
            payload = entry["payload"]
            call = payload.get("payload", {}).get("call") or payload.get("call") or payload
            call_id = call.get("id") or call.get("call_id") or call.get("session_id")
            value = json.dumps(payload).encode()
        samples.append(
            SampleCall(
                name=entry["name"],
                call_id=call_id,
                value=value,
                expected_workflows=frozenset(expect.get("workflows", [])),
                expects_review=bool(expect.get("review")),
                expects_dead_letter=bool(expect.get("dead_letter")),
            )
        )
    return samples


@dataclass
class Observed:
    """What the demo saw on sink.results, workflow.review and calls.deadletter, per call."""

    topics: dict[str, str]  # prefixed topic name -> "results" | "review" | "deadletter"
    workflows: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    results: list[SinkResult] = field(default_factory=list)
    reviews: list[WorkflowAction] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)

    def add(self, record: Record) -> None:
        if record.value is None:
            return
        kind = self.topics[record.topic]
        if kind == "results":
            result = SINK_RESULT_CODEC.decode(record.value)
            self.results.append(result)
            self.workflows[result.call_id].add(result.workflow)
        elif kind == "review":
            action = ACTION_CODEC.decode(record.value)
            self.reviews.append(action)
            self.workflows[action.call_id].add("review")
        else:
            self.dead_letters.append(DEADLETTER_CODEC.decode(record.value))

    def dead_lettered(self, call_id: str) -> bool:
        return any(letter.call_id == call_id for letter in self.dead_letters)

    def arrived(self, sample: SampleCall) -> bool:
        """Everything the sample should reach has been reached (more may still come)."""
        if sample.expects_dead_letter:
            return self.dead_lettered(sample.call_id)
        return _expected_routes(sample) <= self.workflows[sample.call_id]

    def routed_exactly(self, sample: SampleCall) -> bool:
        """The sample reached what it should and nothing else."""
        if sample.expects_dead_letter:
            return self.dead_lettered(sample.call_id) and not self.workflows[sample.call_id]
        return _expected_routes(sample) == self.workflows[sample.call_id] and not self.dead_lettered(sample.call_id)


def _expected_routes(sample: SampleCall) -> set[str]:
    return set(sample.expected_workflows) | ({"review"} if sample.expects_review else set())


def demo_settings(base: Settings, run_id: str, run_dir: Path) -> Settings:
    return base.model_copy(
        update={
            "topic_prefix": f"demo-{run_id}.",
            "app_id": f"callstream-demo-{run_id}",
            "outbox_path": run_dir / "outbox.sqlite3",
            "data_dir": run_dir,
            "web_port": free_port(),
            "topic_partitions": 2,
        }
    )


def _remove_run(settings: Settings, console: Console) -> None:
    """Leave nothing behind on the broker (often yours): every topic of the run (the raw one holds a
    sample card number), its changelogs, its worker's and readers' groups. All of them start with
    the run's own topic prefix, so nothing else can match."""
    try:
        topics, groups = delete_prefixed(settings.kafka_client_config(), settings.topic_prefix)
    except Exception as error:
        console.print(f"[yellow]Could not remove the demo's topics ({settings.topic_prefix}*):[/yellow] {error}")
        return
    console.print(
        f"Removed the demo's {len(topics)} topics and {len(groups)} consumer groups ({settings.topic_prefix}*)."
    )


def run_demo(base: Settings, timeout: float = 150.0, console: Console | None = None, keep: bool = False) -> int:
    console = console or Console()
    started = time.monotonic()
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(2)
    run_dir = (base.data_dir / "demo" / run_id).resolve()
    broker: LocalKafka | None = None
    if base.kafka_bootstrap_servers is None:
        broker = LocalKafka(
            base.kafka_data_dir,
            port=base.kafka_port,
            controller_port=base.kafka_controller_port,
            version=base.kafka_version,
            heap=base.kafka_heap,
        )
        if broker.status().running:
            broker = None  # somebody else's broker: use it, leave it running
            console.print(f"Using the local broker already running on {base.bootstrap_servers}.")
        else:
            console.print("Starting a local Kafka broker (KRaft, 127.0.0.1)...")
            try:
                broker.up(report=lambda line: console.print(f"  {line}"))
            except LocalKafkaError as error:
                console.print(f"[red]Could not start Kafka:[/red] {error}")
                return 2
    settings = demo_settings(base, run_id, run_dir)
    readers = f"{settings.topic_prefix}reader-"  # the demo's own reader groups, deleted with its topics
    worker = WorkerProcess(settings, run_dir / "worker.log")
    try:
        ensure_topics(settings)
        console.print(f"Kafka at {settings.bootstrap_servers}; topics prefixed [bold]{settings.topic_prefix}[/bold]")
        console.print("Starting the callstream worker...")
        worker.start()
        worker.wait_ready()
        samples = load_samples()
        produce(
            settings.kafka_client_config(),
            settings.topic(topic_names.STRIPE_EVENTS),
            [(e["data"]["object"]["id"].encode(), json.dumps(e).encode()) for e in DEMO_STRIPE_EVENTS],
        )
        # Calls and Stripe events travel on different topics: let the tables know the customers first,
        # or a caller's email could not be verified against Stripe yet.
        directory = f"{settings.group_id}-email_directory-changelog"
        read_topics(
            settings.kafka_client_config(),
            [directory],
            until=lambda r: len(r) >= len(DEMO_STRIPE_EVENTS),
            timeout=60,
            group_prefix=readers,
        )
        produce(
            settings.kafka_client_config(),
            settings.topic(topic_names.RAW),
            [(sample.call_id.encode(), sample.value) for sample in samples],
        )
        console.print(f"Published {len(samples)} sample DialNexa calls; waiting for every one to arrive...")
        watched = {
            settings.topic(topic_names.SINK_RESULTS): "results",
            settings.topic(topic_names.REVIEW): "review",
            settings.topic(topic_names.DEADLETTER): "deadletter",
        }
        observed = Observed(watched)
        read_topics(
            settings.kafka_client_config(),
            list(watched),
            until=lambda _records: all(observed.arrived(sample) for sample in samples),
            timeout=timeout,
            on_record=observed.add,
            group_prefix=readers,
        )
        # Read everything once more after a short settle, so a stray extra route fails the demo too.
        time.sleep(1.5)
        observed = Observed(watched)
        read_topics(
            settings.kafka_client_config(),
            list(watched),
            until=lambda _records: all(observed.arrived(sample) for sample in samples),
            timeout=30.0,
            on_record=observed.add,
            group_prefix=readers,
        )
    except (WorkerFailed, RuntimeError) as error:
        console.print(f"[red]Demo failed:[/red] {error}")
        return 2
    finally:
        worker.stop()
        if not keep:
            _remove_run(settings, console)
        if broker is not None:
            broker.down()
    outbox = list(read_outbox(settings.outbox_path))
    ok = _print_summary(console, samples, observed, outbox)
    console.print(
        f"Finished in {time.monotonic() - started:.1f} s. Outbox: {settings.outbox_path}  Worker log: {worker.log_path}"
    )
    return 0 if ok else 1


def _print_summary(console: Console, samples: list[SampleCall], observed: Observed, outbox: list[Any]) -> bool:
    routes = Table(title="Sample calls and their routes")
    for column in ("call", "sample", "route", "arrived"):
        routes.add_column(column)
    all_arrived = True
    for sample in samples:
        arrived = observed.routed_exactly(sample)
        all_arrived &= arrived
        if observed.dead_lettered(sample.call_id):
            letter = next(d for d in observed.dead_letters if d.call_id == sample.call_id)
            route = f"dead letter ({letter.stage}): {letter.reason}"
        else:
            route = ", ".join(sorted(observed.workflows[sample.call_id])) or "-"
        routes.add_row(sample.call_id, sample.name, route, "[green]yes[/green]" if arrived else "[red]NO[/red]")
    console.print(routes)

    calls: dict[str, set[str]] = defaultdict(set)
    actions: dict[str, set[str]] = defaultdict(set)
    for result in observed.results:
        calls[result.workflow].add(result.call_id)
        actions[result.workflow].add(f"{result.call_id}:{result.action}")
    for action in observed.reviews:
        calls["review"].add(action.call_id)
        actions["review"].add(action.idempotency_key)
    # Sheets is the review queue: its rows are counted under review, other writes under their workflow.
    writes = Counter("review" if write.sink == "sheets" else write.workflow for write in outbox)
    letters = Counter(_workflow_of_stage(letter.stage) for letter in observed.dead_letters)
    summary = Table(title="Per workflow")
    for column in ("workflow", "calls", "actions", "outbox writes", "dead letters"):
        summary.add_column(column, justify="right" if column != "workflow" else "left")
    for workflow in (*WORKFLOWS, "review", "no_action", "(before classification)"):
        summary.add_row(
            workflow,
            str(len(calls[workflow])),
            str(len(actions[workflow])),
            str(writes[workflow]),
            str(letters[workflow]),
        )
    console.print(summary)
    if all_arrived:
        console.print(f"[green]All {len(samples)} sample calls arrived where they should.[/green]")
    else:
        wrong = [sample.call_id for sample in samples if not observed.routed_exactly(sample)]
        console.print(f"[red]{len(wrong)} sample calls did not arrive where they should: {', '.join(wrong)}[/red]")
    return all_arrived


def _workflow_of_stage(stage: str) -> str:
    """`sink_<workflow>[_<vendor>]` -> workflow; stages before the sinks count together."""
    if not stage.startswith("sink_"):
        return "(before classification)"
    rest = stage.removeprefix("sink_")
    return next((name for name in (*WORKFLOWS, "review") if rest == name or rest.startswith(f"{name}_")), rest)
