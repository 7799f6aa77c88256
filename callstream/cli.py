"""The `callstream` command (DESIGN §6 contract): worker, kafka, demo, redact, backfill."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from callstream.settings import Settings


def _local_kafka(settings: Settings):  # type: ignore[no-untyped-def]
    from callstream.localkafka import LocalKafka

    return LocalKafka(
        settings.kafka_data_dir,
        port=settings.kafka_port,
        controller_port=settings.kafka_controller_port,
        version=settings.kafka_version,
        heap=settings.kafka_heap,
        default_partitions=settings.topic_partitions,
    )


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from callstream.preflight import ClusterUnavailable, check_cluster
    from sinks.factory import VendorsNotConfigured, require_vendors
    from streams.policy import PolicyError, check_launch, load_policy

    try:  # configuration first (the policy, strict vendors): neither needs a broker
        check_launch(load_policy(settings.policy_path))
        require_vendors(settings)
    except (PolicyError, VendorsNotConfigured) as error:
        print(f"callstream worker: refusing to start: {error}", file=sys.stderr)
        return 78  # EX_CONFIG
    try:
        check_cluster(settings)  # seconds, one line; not aiokafka's half minute of retries
    except ClusterUnavailable as error:
        print(f"callstream worker: cannot start: {error}", file=sys.stderr)
        return error.exit_code

    from callstream.workerruntime import GracefulWorker
    from streams.app import create_app
    from streams.topiccheck import TopicConfigError, prepare_topics

    try:
        app = create_app(settings)
    except (PolicyError, VendorsNotConfigured) as error:
        print(f"callstream worker: refusing to start: {error}", file=sys.stderr)
        return 78  # EX_CONFIG
    try:
        prepare_topics(settings)  # create missing topics, refuse a raw topic that keeps card data too long
    except TopicConfigError as error:
        print(f"callstream worker: refusing to start: {error}", file=sys.stderr)
        return 78
    app.topics_prepared = True
    worker = GracefulWorker(
        app, loglevel=args.loglevel or settings.log_level, shutdown_grace_seconds=settings.shutdown_grace_seconds
    )
    worker.execute_from_commandline()
    return 0


def cmd_kafka(settings: Settings, args: argparse.Namespace) -> int:
    from callstream.localkafka import LocalKafkaError

    broker = _local_kafka(settings)
    try:
        if args.action == "up":
            status = broker.up(report=lambda line: print(line, file=sys.stderr))
            print(status.bootstrap)
            print(f"broker log: {status.log_file}", file=sys.stderr)
        elif args.action == "down":
            print("stopped" if broker.down() else "not running")
        else:
            status = broker.status()
            state = f"running (pid {status.pid})" if status.running else "not running"
            print(f"{state} bootstrap={status.bootstrap} data={status.data_dir} log={status.log_file}")
            return 0 if status.running else 3
    except LocalKafkaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from callstream.demo import run_demo

    return run_demo(settings, timeout=args.timeout, keep=args.keep)


def cmd_backfill(settings: Settings, args: argparse.Namespace) -> int:
    from callstream.backfill import run_backfill
    from callstream.vendors import VendorUnavailable

    resources = [name.strip() for name in args.resources.split(",") if name.strip()] if args.resources else None
    try:
        summary = run_backfill(
            settings,
            args.vendor,
            dry_run=args.dry_run,
            resources=resources,
            max_objects=args.max_per_resource,
            requests_per_second=args.requests_per_second,
            show_progress=not args.no_progress,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except VendorUnavailable as error:
        print(f"error: {error.reason}", file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    return 0


def cmd_redact(settings: Settings, args: argparse.Namespace) -> int:
    from streams.redact.cli import run

    return run(sys.stdin, sys.stdout)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="callstream", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="run the Faust worker (all stages, webhook ingress)")
    worker.add_argument("-l", "--loglevel", default=None)
    worker.set_defaults(handler=cmd_worker)
    kafka = commands.add_parser("kafka", help="a real local single-node Kafka (KRaft), no Docker")
    kafka.add_argument("action", choices=["up", "down", "status"])
    kafka.set_defaults(handler=cmd_kafka)
    redact = commands.add_parser(
        "redact",
        help='dry-run the redactor: JSON lines {"id", "text"} on stdin -> {"id", "text", "findings"} on stdout',
    )
    redact.set_defaults(handler=cmd_redact)
    demo = commands.add_parser("demo", help="local Kafka + worker + bundled sample calls, with a summary")
    demo.add_argument("--timeout", type=float, default=150.0, help="seconds to wait for every sample call")
    demo.add_argument("--keep", action="store_true", help="keep the run's topics and consumer groups on the broker")
    demo.set_defaults(handler=cmd_demo)
    backfill = commands.add_parser(
        "backfill", help="page through Stripe or HubSpot and publish every object to stripe.events / hubspot.events"
    )
    backfill.add_argument("vendor", choices=["stripe", "hubspot"])
    backfill.add_argument("--dry-run", action="store_true", help="count the objects, publish nothing")
    backfill.add_argument("--resources", default=None, help="comma-separated subset, e.g. customers,subscriptions")
    backfill.add_argument("--max-per-resource", type=int, default=None, help="stop each resource after N objects")
    backfill.add_argument(
        "--requests-per-second", type=float, default=None, help="client-side rate (default: the vendor's safe rate)"
    )
    backfill.add_argument("--no-progress", action="store_true", help="no progress bar (e.g. in CI logs)")
    backfill.set_defaults(handler=cmd_backfill)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from callstream.settings import SettingsError, load_settings

    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"callstream {args.command}: invalid configuration: {error}", file=sys.stderr)
        return 78  # EX_CONFIG
    return int(args.handler(settings, args) or 0)


if __name__ == "__main__":
    sys.exit(main())
