# CivicGrid — the two commands that must work on a fresh machine: `make demo`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_DB := demo.sqlite3
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: demo test lint typecheck test-sqlite test-postgres bench install system-deps vendor messages clean prod-check

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV) || { echo "缺少 python3-venv:请安装 python3-venv (apt-get install python3-venv)"; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make demo: build the demo city into demo.sqlite3 and serve it on http://127.0.0.1:8000
demo: $(STAMP)
	@bash scripts/compile_messages.sh
	@$(PY) scripts/write_demo_env.py $(DEMO_DB)
	DEBUG=1 DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py migrate --noinput -v0
	DEBUG=1 DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py build_demo --if-empty
	DEBUG=1 DATABASE_URL=sqlite:///$(DEMO_DB) bash scripts/serve_demo.sh

system-deps:
	@bash scripts/ensure_system_deps.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy civicgrid config

test-sqlite: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings_test $(VENV)/bin/pytest -q -n auto

test-postgres: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings_test PGTEST_REPLICA=1 bash scripts/with_postgres.sh $(VENV)/bin/pytest -q -n auto

## make test: install everything the tests need, then lint, type-check and run the whole suite
## on SQLite and on a throwaway PostgreSQL cluster with a streaming replica (browser tests included).
test: $(STAMP) system-deps
	@bash scripts/compile_messages.sh
	$(MAKE) lint typecheck
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

bench: $(STAMP) system-deps
	$(PIP) install --quiet -e '.[dev,bench]'
	DJANGO_SETTINGS_MODULE=config.settings_test $(VENV)/bin/pytest -q --benchmark-only --benchmark-enable benchmarks

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'static/vendor/*'
	@bash scripts/compile_messages.sh

## make prod-check: the production stack (PostgreSQL, gunicorn, task worker, scheduler, DEBUG off)
## started locally with the small demo city, then an HTTP smoke test; all thrown away after.
prod-check: $(STAMP) system-deps
	$(PIP) install --quiet -e '.[dev,prod]'
	@bash scripts/compile_messages.sh
	bash scripts/prod_check.sh

vendor:
	bash scripts/vendor_frontend.sh

clean:
	rm -rf $(VENV) $(DEMO_DB) .env .test-media staticfiles
