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


def test_docker_compose_is_hardened() -> None:
    """Issue 16: readiness health check, broker data on a volume, no topic auto-creation, a webhook
    secret the user must supply, ports published on localhost only."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    worker, kafka = services["worker"], services["kafka"]
    assert "/readyz" in " ".join(worker["healthcheck"]["test"])
    assert str(kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]).lower() == "false"
    log_dirs = kafka["environment"]["KAFKA_LOG_DIRS"]
    volume, _, mount = kafka["volumes"][0].partition(":")
    assert mount == log_dirs and volume in compose["volumes"]
    # `${VAR:?message}`: compose refuses to start without it rather than run a webhook that 503s.
    assert worker["environment"]["DIALNEXA_WEBHOOK_SECRET"].startswith("${DIALNEXA_WEBHOOK_SECRET:?")
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_the_image_runs_as_an_unprivileged_user_and_checks_readiness() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    # The USER line comes after the last RUN that needs root, before the command.
    assert lines.index(next(line for line in lines if line.startswith("USER "))) > max(
        index for index, line in enumerate(lines) if line.startswith("RUN pip")
    )
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert "/readyz" in (ROOT / "Dockerfile").read_text()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make test    #" in readme
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert commands[-1] == "make test"


def test_the_built_package_ships_the_schema_history(tmp_path: Path) -> None:
    """An installed image must read records written with older schema versions (issue 16, item 11)."""
    import shutil
    import subprocess
    import sys

    source = tmp_path / "src"
    for name in ("callstream", "streams", "schemas", "sinks"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    history = source / "schemas" / "avro" / "history"
    history.mkdir(exist_ok=True)
    (history / "CallEvent.v1.avsc").write_text('{"type": "record", "name": "CallEvent", "fields": []}')
    # `build_py` copies exactly what a wheel or `pip install .` would: packages plus package data.
    built = tmp_path / "build"
    command = [sys.executable, "-c", "import setuptools; setuptools.setup()", "build_py", "--build-lib", str(built)]
    subprocess.run(command, cwd=source, check=True, capture_output=True, timeout=300)
    assert (built / "schemas" / "avro" / "history" / "CallEvent.v1.avsc").is_file()
    assert (built / "schemas" / "avro" / "CallEvent.avsc").is_file()
