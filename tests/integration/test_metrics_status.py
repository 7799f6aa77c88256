"""`/metrics` and the `/status` page on a real worker and broker while calls flow (issue 14, items 3-4).

The status page is loaded in a real headless Chromium (Debian's `chromium`, which `make test`
installs when it is missing), which runs its script, and the rendered DOM is checked for charts
with non-zero data; a screenshot is saved beside the test's files (and, with
CALLSTREAM_STATUS_SCREENSHOT set, copied there: that is how docs/status-page.png was made)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from callstream.kafkaio import produce
from callstream.settings import Settings
from sinks.factory import build_sinks
from sinks.outbox import Outbox
from tests.fakes.harness import wait_for
from tests.integration.helpers import wait_until_serving

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# What this machine's closed network needs (no background connections, no sandbox as root).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
]  # fmt: skip


def raw_call(n: int) -> tuple[bytes, bytes]:
    call_id = f"call_metrics_{n:04d}"
    body = {
        "event_type": "call_ended",
        "payload": {
            "call": {
                "id": call_id,
                "status": "completed",
                "from_number": "14155550101",
                "transcript": f"User: Please resend invoice INV-{n:04d}, the PDF is blank. My card is 4111 1111 1111 "
                "1111.\nAgent: I will send it again.",
                "post_call_analysis": {"email": "ana@acme.example", "intent": "invoice_resend"},
            }
        },
    }
    return call_id.encode(), json.dumps(body).encode()


def scrape(client: httpx.Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def total(found: dict, name: str, **labels: str) -> float:
    return sum(
        value for (metric, keys), value in found.items()
        if metric == name and all(dict(keys).get(k) == v for k, v in labels.items())
    )  # fmt: skip


def test_metrics_and_status_page_while_calls_flow(pipeline_settings: Settings, start_worker, tmp_path: Path) -> None:
    settings = pipeline_settings.model_copy(update={"status_sample_seconds": 1.0})
    start_worker(settings)
    client = httpx.Client(base_url=f"http://127.0.0.1:{settings.web_port}", timeout=10, trust_env=False)
    wait_until_serving(client)
    raw = settings.topic("dialnexa.calls.raw")
    calls = [raw_call(n) for n in range(150)]
    produce(settings.bootstrap_servers, raw, calls[:75])
    produce(settings.bootstrap_servers, raw, [(b"call_metrics_bad", b"{not json")])  # one dead letter

    seen_lag = [0.0]

    def flowing() -> bool:
        found = scrape(client)
        seen_lag[0] = max(seen_lag[0], total(found, "callstream_consumer_lag"))
        return total(found, "callstream_stage_messages_total", stage="redact", outcome="in") > 0

    assert wait_for(flowing, timeout=60, interval=0.5), "no redact messages counted while calls flow"
    produce(settings.bootstrap_servers, raw, calls[75:])

    def drained() -> bool:
        found = scrape(client)
        seen_lag[0] = max(seen_lag[0], total(found, "callstream_consumer_lag"))
        done = total(found, "callstream_stage_messages_total", stage="classify", outcome="out") >= len(calls)
        lag_series = [v for (name, _), v in found.items() if name == "callstream_consumer_lag"]
        return done and bool(lag_series) and all(v == 0 for v in lag_series)

    assert wait_for(drained, timeout=120, interval=1.0), "the backlog did not drain to zero lag"
    found = scrape(client)
    assert seen_lag[0] > 0, "the lag gauge never showed the backlog"
    assert total(found, "callstream_stage_messages_total", stage="redact", outcome="in") >= len(calls) + 1
    assert total(found, "callstream_dead_letters_total", stage="redact") >= 1
    assert total(found, "callstream_redaction_findings_total", type="card_number") >= len(calls)
    assert total(found, "callstream_stage_seconds_count", stage="enrich") >= len(calls)
    assert total(found, "callstream_sink_outcomes_total") > 0
    vendors = {dict(keys)["vendor"] for (name, keys) in found if name == "callstream_sink_breaker_state"}
    assert vendors == set(build_sinks(settings, Outbox(tmp_path / "probe.sqlite3"), httpx.AsyncClient()))
    assert "4111" not in client.get("/metrics").text  # counts only, never payload text

    status = client.get("/status.json").json()
    assert max(v for _, v in status["throughput"]["redact"]) > 0
    page = client.get("/status")
    assert page.status_code == 200 and "callstream worker status" in page.text

    # The page in a real browser: its script fetches the numbers and draws the charts.
    assert Path(CHROMIUM).exists(), "chromium is missing: `make test` installs Debian's chromium package"
    url = f"http://127.0.0.1:{settings.web_port}/status"
    profile = tmp_path / "chromium-profile"
    common = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=90, check=True).stdout
    assert 'data-refreshed="' in dom, "the page's script never finished a refresh"
    peaks = {
        stage: float(peak)
        for stage, peak in re.findall(r'<polyline[^>]*data-stage="(\w+)"[^>]*data-max="([0-9.e+-]+)"', dom)
    }
    assert peaks.get("redact", 0) > 0, f"no throughput drawn for redact: {peaks}"
    assert re.search(r'<td[^>]*>redact: \w+</td>', dom), "dead letters by reason not shown"
    assert re.search(r'<td class="closed">closed</td>', dom), "sink health not shown"
    assert "4111" not in dom and "ana@acme.example" not in dom  # no payload or customer data on the page
    screenshot = tmp_path / "status-page.png"
    subprocess.run(
        [*common, "--window-size=1280,900", f"--screenshot={screenshot}", url],
        capture_output=True, timeout=90, check=True,
    )  # fmt: skip
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank image
    if target := os.environ.get("CALLSTREAM_STATUS_SCREENSHOT"):
        shutil.copyfile(screenshot, target)
