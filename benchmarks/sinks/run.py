"""Sink throughput per vendor against the local fake vendors, and Sheets requests per event.

    python -m benchmarks.sinks.run [--writes 300]

The fakes run in their own process (tests/fakes), so client and server do not share an event loop.
Rate limiters are off here to measure what the client itself costs per write (requests, latency);
the published limits then cap production throughput: the table prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from pydantic import SecretStr

from sinks.altoviz import AltovizClient
from sinks.factory import OutboxWriter
from sinks.outbox import Outbox
from sinks.sheets import SheetsClient, StaticToken
from sinks.slack import SlackClient, SlackWebApiClient
from sinks.zendesk import ZendeskClient
from tests.fakes.actions import make_action
from tests.fakes.server import FakeVendorsProcess


def requests_made(fakes: FakeVendorsProcess, vendor: str) -> int:
    return sum(1 for entry in fakes.control("GET", "requests") if entry[0] == vendor)


async def timed(writes: int, write: Callable[[int], Awaitable[object]]) -> float:
    started = time.perf_counter()
    for index in range(writes):
        await write(index)
    return time.perf_counter() - started


async def bench(fakes: FakeVendorsProcess, writes: int, workdir: Path) -> list[tuple[str, str, str, str]]:
    url = fakes.url
    rows: list[tuple[str, str, str, str]] = []
    emails = [f"bench{i}@customers.example" for i in range(writes)]
    fakes.control("POST", "seed", {"customers": [{"email": e} for e in emails]})
    async with httpx.AsyncClient(timeout=10) as http:
        altoviz = AltovizClient(http, url, SecretStr("k"))
        zendesk = ZendeskClient(http, url, "a@b.example", SecretStr("t"))
        slack = SlackClient(http, SecretStr(f"{url}/services/T/B/x"), "bench")
        slack_api = SlackWebApiClient(http, f"{url}/api", SecretStr("xoxb-bench"), "C0FINANCE1")

        def action(i: int, workflow: str):  # type: ignore[no-untyped-def]
            return make_action(f"call_b{i:05d}", workflow, customer_email=emails[i])

        cases: list[tuple[str, str, Callable[[int], Awaitable[object]], str]] = [
            ("altoviz contact (lookup-then-create)", "altoviz",
             lambda i: altoviz.write(action(i, "contact_sync"), f"c{i}"), "5 req/s assumed = 1.7 contacts/s"),
            ("altoviz customer note (find, get, put, read back)", "altoviz",
             lambda i: altoviz.write(action(i, "collections_log"), f"n{i}"), "5 req/s assumed = 1.25 notes/s"),
            ("zendesk ticket (Idempotency-Key)", "zendesk",
             lambda i: zendesk.write(action(i, "charge_dispute"), f"z{i}"), "400 req/min (plan) = 6.7 tickets/s"),
            ("slack alert (webhook)", "slack",
             lambda i: slack.write(action(i, "refund_approval"), f"s{i}"), "1 msg/s per channel"),
            ("slack alert (Web API chat.postMessage)", "slack",
             lambda i: slack_api.write(action(i, "refund_approval"), f"w{i}"), "1 msg/s per channel"),
        ]  # fmt: skip
        for label, vendor, write, limit in cases:
            before = requests_made(fakes, vendor)
            seconds = await timed(writes, write)
            per_write = (requests_made(fakes, vendor) - before) / writes
            rows.append((label, f"{writes / seconds:,.0f}", f"{per_write:.2f}", limit))
        for batch in (1, 10, 50, 200):
            sheets = SheetsClient(http, url, f"bench-{batch}", StaticToken(SecretStr("t")))
            total = max(writes, batch * 2)
            started = time.perf_counter()
            for start in range(0, total, batch):
                items = [
                    (action(i % writes, "billing_correction"), f"r{batch}-{i}") for i in range(start, start + batch)
                ]
                await sheets.write_batch(items)
            seconds = time.perf_counter() - started
            per_event = sheets.requests / total
            at_quota = 60 * batch  # 60 writes/min/user; the key-column read has its own 60/min quota
            rows.append((f"sheets rows, batch of {batch}", f"{total / seconds:,.0f}", f"{per_event:.3f}",
                         f"{at_quota:,} rows/min at 60 writes/min"))  # fmt: skip
    outbox = OutboxWriter(Outbox(workdir / "outbox.sqlite3"), "altoviz")
    seconds = await timed(writes, lambda i: outbox.write(make_action(f"call_o{i}", "contact_sync"), f"o{i}"))
    rows.append(("outbox (no credentials)", f"{writes / seconds:,.0f}", "0", "local SQLite, synchronous=FULL"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fakes = FakeVendorsProcess(Path(tmp)).start()
        try:
            rows = asyncio.run(bench(fakes, args.writes, Path(tmp)))
        finally:
            fakes.stop()
    print("| sink | writes/s (client, no limiter) | requests per event | production cap |")
    print("|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
