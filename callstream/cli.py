"""The `callstream` command (DESIGN §6 contract): worker, kafka, demo, redact, backfill, replay, dlq."""

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


def _partitions(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give partition numbers, e.g. 0 or 0,2") from None


def cmd_replay(settings: Settings, args: argparse.Namespace) -> int:
    from callstream.kafkaio import KafkaIOError
    from callstream.replay import EXIT_GONE, ReplayError, Selection, parse_time, run_replay, summary_lines

    try:
        partitions = tuple(sorted({p for group in args.partition for p in group})) if args.partition else None
        selection = Selection(
            partitions=partitions,
            from_offset=args.from_offset,
            to_offset=args.to_offset,
            from_time=parse_time(args.from_time, option="--from-time") if args.from_time else None,
            to_time=parse_time(args.to_time, option="--to-time") if args.to_time else None,
            call_id=args.call_id,
        )
        plan, result = run_replay(
            settings, args.topic, selection, dry_run=args.dry_run, show_progress=not args.no_progress
        )
    except ReplayError as error:
        print(f"callstream replay: {error}", file=sys.stderr)
        return 2
    except KafkaIOError as error:
        print(f"callstream replay: {error}", file=sys.stderr)
        return 1
    print("\n".join(summary_lines(plan, result, settings.raw_retention_hours)))
    return EXIT_GONE if plan.gone else 0


def _letter_filter(args: argparse.Namespace, call_id: str | None = None):  # type: ignore[no-untyped-def]
    from callstream.dlq import LetterFilter
    from callstream.replay import parse_time

    return LetterFilter(
        stage=getattr(args, "stage", None),
        reason=getattr(args, "reason", None),
        from_time=parse_time(args.from_time, option="--from-time") if getattr(args, "from_time", None) else None,
        to_time=parse_time(args.to_time, option="--to-time") if getattr(args, "to_time", None) else None,
        call_id=call_id or getattr(args, "call_id", None),
        status=getattr(args, "status", None),
    )


def cmd_dlq(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from callstream import dlq
    from callstream.kafkaio import KafkaIOError
    from callstream.replay import ReplayError

    max_attempts = args.max_attempts or settings.dlq_max_attempts
    try:
        if args.action in ("list", "show"):
            filter_ = _letter_filter(args, call_id=getattr(args, "show_call_id", None))
            rows, undecodable = dlq.list_letters(settings, filter_, max_attempts)
            if args.json:
                print(json.dumps(rows, indent=2))
            elif args.action == "show":
                print(dlq.render_details(rows))
            else:
                print(dlq.render_table(rows), end="")
            if undecodable:
                print(f"callstream dlq: {undecodable} records on the dead-letter topic could not be decoded",
                      file=sys.stderr)  # fmt: skip
            return 0 if rows or args.action == "list" else 1
        outcome = dlq.redrive(settings, _letter_filter(args), max_attempts, dry_run=args.dry_run)
    except (dlq.DlqError, ReplayError) as error:
        print(f"callstream dlq: {error}", file=sys.stderr)
        return 2
    except KafkaIOError as error:
        print(f"callstream dlq: {error}", file=sys.stderr)
        return 1
    print("\n".join(outcome.lines()))
    return dlq.EXIT_GONE if outcome.any_gone else 0


def _add_letter_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stage", help="stage that failed, a shell pattern: redact, enrich, classify, 'sink_*'")
    parser.add_argument("--reason", help="part of the reason (case-insensitive)")
    parser.add_argument("--from-time", help="letters written at or after: ISO 8601 or a duration ago (2h, 7d)")
    parser.add_argument("--to-time", help="letters written before: ISO 8601 or a duration ago")
    parser.add_argument("--call-id", help="one call's letters")
    parser.add_argument(
        "--max-attempts", type=int, default=None, help="a letter that failed this often is not redriven (default 3)"
    )


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
    replay = commands.add_parser(
        "replay", help="re-feed a range of a pipeline topic into the stage that reads it (no double writes)"
    )
    replay.add_argument("--topic", required=True, help="contract name, e.g. calls.redacted or workflow.refund_approval")
    replay.add_argument(
        "--partition", type=_partitions, action="append", help="partition(s), e.g. 0 or 0,2 (default: all)"
    )
    replay.add_argument("--from-offset", type=int, help="first offset replayed (default: the oldest retained)")
    replay.add_argument("--to-offset", type=int, help="last offset replayed, inclusive (default: the end now)")
    replay.add_argument("--from-time", help="records at or after: ISO 8601 (2026-12-03T17:00:00Z) or 2h, 7d ago")
    replay.add_argument("--to-time", help="records before (exclusive): ISO 8601 or a duration ago")
    replay.add_argument("--call-id", help="only the records of this call (the record key)")
    replay.add_argument("--dry-run", action="store_true", help="count and show a sample of keys; write nothing")
    replay.add_argument("--no-progress", action="store_true", help="no progress bar (e.g. in CI logs)")
    replay.set_defaults(handler=cmd_replay)
    dlq = commands.add_parser("dlq", help="list, show and redrive dead letters")
    verbs = dlq.add_subparsers(dest="action", required=True)
    listing = verbs.add_parser("list", help="dead letters as a table (or --json), filtered")
    _add_letter_filters(listing)
    listing.add_argument("--status", help="open, redriven, exhausted, gone or 'not redrivable'")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    show = verbs.add_parser("show", help="every dead letter of one call, in detail")
    show.add_argument("show_call_id", metavar="CALL_ID")
    show.add_argument("--json", action="store_true")
    show.add_argument("--max-attempts", type=int, default=None)
    redrive = verbs.add_parser("redrive", help="send dead letters back to the stage that failed them")
    _add_letter_filters(redrive)
    redrive.add_argument("--dry-run", action="store_true", help="say what would be redriven; write nothing")
    dlq.set_defaults(handler=cmd_dlq)
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
