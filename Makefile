# G밸리 허브 — everything a fresh machine needs (Python ≥ 3.11, Node.js/npm, make).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
PYTEST_ARGS ?=
export PYTHONPATH := $(CURDIR)/src

.PHONY: run test lint setup venv assets messages migrate demo serve worker bench bench-web bench-text bench-b2b \
        browser lock clean otp e2e unit fuzz

## make run — set up everything, load the demo world and serve it at http://$(HOST):$(PORT)
run: setup migrate demo
	@$(MANAGE) demo_accounts
	@echo "Starting the background worker and the web server at http://$(HOST):$(PORT) (Ctrl-C stops both)"
	@set -m; trap 'kill 0' INT TERM EXIT; \
	  $(MANAGE) db_worker --queue-name default & \
	  $(VENV)/bin/gunicorn gvalley.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
	    --access-logfile - --timeout 120 --preload

## make test — the same set-up, then the whole suite (unit, integration, browser)
test: setup browser
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

unit: setup
	$(VENV)/bin/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

e2e: setup browser
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

## make fuzz — the property tests with fresh random examples, ROUNDS times (the suite itself always draws the same)
ROUNDS ?= 5
fuzz: setup
	@for i in $$(seq $(ROUNDS)); do echo "round $$i"; \
	  HYPOTHESIS_PROFILE=explore $(VENV)/bin/pytest -n 2 -q -p no:cacheprovider tests/engines \
	    -k "property or due_is or adding_holidays or periods_contain or normalize_is or every_noun" || exit 1; done

lint: setup
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/ruff check src tests bench
	$(PY) scripts/i18n.py check
	$(VENV)/bin/mypy src/gvalley/engines $$(ls src/gvalley/*/services.py)
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

setup: venv assets messages

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.lock
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# the apps' own static files: a change to any of them is collected again on the next make run/test
APP_STATIC := $(shell find src/gvalley -path '*/static/*' -type f 2>/dev/null)
assets: var/.static-collected
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
build/.built: node_modules/.installed scripts/build-assets.mjs
	node scripts/build-assets.mjs
	@touch $@
var/.static-collected: $(VENV)/.installed build/.built $(APP_STATIC)
	$(MANAGE) collectstatic --noinput --verbosity 0
	@touch $@

messages: venv
	@$(PY) scripts/i18n.py compile

migrate: setup
	$(MANAGE) migrate --noinput --verbosity 0

demo: migrate
	$(MANAGE) seed_demo

## Chromium for the browser tests comes from Debian's packages (Playwright's own download is not used).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

otp:
	@$(MANAGE) demo_accounts --otp $(EMAIL)

bench: bench-web bench-text

bench-web: setup migrate demo
	$(PY) bench/web/run.py

bench-text: venv
	$(PY) bench/text/run.py

bench-b2b: venv
	$(PY) bench/b2b/run.py

## Regenerate the lock file after changing pyproject.toml (needs uv: pip install uv)
lock:
	uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) node_modules build var/static
