# parkwatch: every target works as the first command on a fresh clone (setup runs first).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(shell command -v uv 2>/dev/null || echo .tools/uv/bin/uv)
STAMP  := $(VENV)/.installed

.PHONY: setup demo lint test up bench docs clean

setup: $(STAMP)

# uv is bootstrapped with pip when missing; the venv is synced exactly to uv.lock.
$(STAMP): pyproject.toml uv.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	@if [ ! -x "$(UV)" ]; then $(PYTHON) -m venv .tools/uv && .tools/uv/bin/pip install -q uv; fi
	$(UV) sync --frozen --python $(PYTHON)
	@touch $(STAMP)

demo: setup
	$(BIN)/parkwatch demo

# The house habits, checked before any test runs: ruff (lint and format) and mypy, zero findings.
LINTED := parkwatch scrapers dags bench
lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy $(LINTED)

test: setup lint
	PARKWATCH_FUZZ_LONG=1 $(BIN)/python -m pytest  # the long fuzz run too (about 2.5 min)

# Airflow standalone (SQLite, LocalExecutor) + the demo portal; UI on http://localhost:8080 (login printed).
up: setup
	$(BIN)/python -m parkwatch.orchestration.up

# Quick by default (22–26 min here while the machine was shared); BENCH_FULL=1 for the issue's sizes. Writes bench/results.{md,json}.
# The bench group (trafilatura, jionlp, pyinstrument) is added to the dev tools, never instead of them.
bench: setup
	$(UV) sync --frozen --all-groups --python $(PYTHON)
	$(BIN)/python -m bench.run $(if $(filter 1,$(BENCH_FULL)),--full,)

docs: setup
	$(BIN)/parkwatch docs

clean:
	rm -rf warehouse/raw warehouse/*.duckdb warehouse/gx warehouse/runs warehouse/logs warehouse/airflow dbt/target dbt/logs
