"""Integration fixtures beyond the broker: the project's local schema registry (Apicurio, ccompat API).

Set SCHEMA_REGISTRY_URL to use a registry you already run (Confluent's, or Apicurio's
`.../apis/ccompat/v7`); otherwise the session starts `callstream.localregistry` on a free port and
stops it by pid afterwards. It is started only by tests that ask for it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from callstream.localregistry import LocalRegistry, free_port


@pytest.fixture(scope="session")
def schema_registry_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("SCHEMA_REGISTRY_URL")
    if configured:
        yield configured.rstrip("/")
        return
    registry = LocalRegistry(tmp_path_factory.mktemp("registry"), port=free_port())
    started = time.monotonic()
    status = registry.up(report=lambda line: print(line))
    print(f"local schema registry ready in {time.monotonic() - started:.1f} s (pid {status.pid})")
    try:
        yield registry.url
    finally:
        registry.down()
