"""The files a new user meets: docker-compose.yml, the README's commands, .ci/run."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_docker_compose_parses_and_names_the_services_the_readme_describes() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"kafka", "schema-registry", "worker"}
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    for name, service in services.items():
        assert "test" in service["healthcheck"], f"{name} has no health check"
    assert services["worker"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    readme = (ROOT / "README.md").read_text()
    for name in services:
        assert f"`{name}`" in readme


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make test    #" in readme
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert commands[-1] == "make test"
