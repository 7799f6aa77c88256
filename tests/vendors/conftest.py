"""Fixtures of the vendor tests: stripe-mock (one per session) and the local HubSpot fake (one per test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.vendors.fake_hubspot import FakeHubSpot
from tests.vendors.stripe_mock import GoMissing, StripeMock


@pytest.fixture(scope="session")
def stripe_mock_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    mock = StripeMock(tmp_path_factory.mktemp("stripe-mock") / "stripe-mock.log")
    try:
        mock.start()
    except GoMissing as error:
        pytest.skip(f"stripe-mock tests skipped: {error}")
    try:
        yield mock.url
    finally:
        mock.stop()


@pytest.fixture
def fake_hubspot() -> Iterator[FakeHubSpot]:
    with FakeHubSpot() as server:
        yield server
