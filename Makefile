# Two commands for a fresh machine with Python 3.11+, Java 17+ and Maven: `make demo` and `make test`.
# Each creates its own virtualenv (.venv) with the exact versions of constraints.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test soak lint format schemas kafka-up kafka-down clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/callstream demo

# The status page's browser test (tests/integration/test_metrics_status.py) runs Debian's Chromium.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	@echo "installing Debian's chromium package (once) for the status page's headless-browser test"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The 1,000-call SIGKILL + replay soaks of both Slack modes (deselected from `make test`).
soak: $(STAMP)
	$(BIN)/python -m pytest -m soak -q -s

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .

schemas: $(STAMP)
	$(BIN)/python -m schemas.generate

kafka-up: $(STAMP)
	$(BIN)/callstream kafka up

kafka-down: $(STAMP)
	$(BIN)/callstream kafka down

clean:
	rm -rf $(VENV) .callstream .pytest_cache .ruff_cache
