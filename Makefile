# MedTalent — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export DEBUG ?= 1
# Test processes (pytest-xdist): each gets its own test database.
TEST_WORKERS ?= 2

.PHONY: help setup run test lint check translations test-sqlite test-postgres test-browser test-production bench bench-load lock system-deps messages

help:
	@echo "make run    set up (venv, database, seed data, demo accounts) and serve http://127.0.0.1:8000"
	@echo "make test   set up, then lint, migration check, the suite on SQLite and PostgreSQL, browser tests"

# Nothing is resolved at install time: a pinned, hash-checked installer (uv, requirements-bootstrap.lock) goes
# into the venv first, whatever pip `python3 -m venv` brings; then the complete lock goes in with --no-deps.
$(VENV)/.installed: requirements-bootstrap.lock requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bootstrap.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes --no-deps -r requirements-dev.lock
	$(PY) scripts/check_lock.py
	touch $@

# Debian packages: gettext (compilemessages), fonts-noto-cjk (PDFs and screenshots in Chinese),
# chromium (browser tests), pango (WeasyPrint), postgresql-client (pg_dump for `manage.py backup`). Installed only when missing and running as root.
system-deps:
	@missing=""; \
	for p in gettext fonts-noto-cjk chromium libpango-1.0-0 libpangoft2-1.0-0 postgresql-client; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Missing Debian packages (install them as root):$$missing"; fi; fi

# The compiled .mo is committed too, so a machine without gettext (and not root) still runs in Chinese.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "gettext (msgfmt) is missing: using the committed translations"; fi

# After adding messages: collect them and fill the Chinese from the `Translators: 中文：…` comments, then commit
# django.po and django.mo. Lists (and fails on) any message still without Chinese.
translations: $(VENV)/.installed
	DEBUG=1 $(PY) scripts/translations.py
	$(PY) manage.py compilemessages --ignore=.venv -v 0

setup: $(VENV)/.installed system-deps messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_seeds
	$(PY) manage.py load_demo

# Web (gunicorn, reloading on code changes) and the background worker, from the Procfile as production runs them.
run: setup
	@echo "Serving http://127.0.0.1:8000 with a background worker (Ctrl-C stops both)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} $(VENV)/bin/honcho --no-colour start -f Procfile

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/mypy

check: $(VENV)/.installed
	$(PY) scripts/check_lock.py
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed
	DATABASE_URL=sqlite:///:memory: timeout 1800 $(PY) -m pytest --ds=config.settings_test -m "not browser" -q -n $(TEST_WORKERS)

test-postgres: $(VENV)/.installed
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Suite on PostgreSQL ($(PG_URL)) =="; \
	  DATABASE_URL=$(PG_URL) timeout 1800 $(PY) -m pytest --ds=config.settings_test -m "not browser" -q -n $(TEST_WORKERS); \
	else echo "== SKIPPED: no PostgreSQL server answers at $(PG_URL); the suite ran on SQLite only =="; fi

test-browser: $(VENV)/.installed
	@if [ -x /usr/bin/chromium ]; then timeout 900 $(PY) -m pytest --ds=config.settings_test -m browser -q -n 2; \
	else echo "== SKIPPED: browser tests need /usr/bin/chromium (apt-get install chromium) =="; fi

# The production path: check --deploy, gunicorn and the worker from the Procfile with DEBUG off on PostgreSQL.
test-production: $(VENV)/.installed
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Production check (gunicorn + worker, DEBUG off, PostgreSQL) =="; \
	  DEBUG= timeout 300 $(PY) scripts/production_check.py --database-url $(dir $(PG_URL))medtalent_prodcheck; \
	else echo "== SKIPPED: the production check needs PostgreSQL at $(PG_URL) =="; fi

test: setup lint check test-sqlite test-postgres test-production test-browser

bench: $(VENV)/.installed
	$(PY) bench/catalogue.py
	$(PY) bench/applications.py
	$(PY) bench/partnerships.py

# Re-pin after editing a requirements*.in file: `make lock`, then `make test`, and commit the .lock files.
# To move a pinned package to its newest release: `make lock UPGRADE="--upgrade-package NAME"`.
# Load test of the production set-up (gunicorn + worker + PostgreSQL) with Locust: 50 users for 60 s, with 2 and 4
# web processes; prints throughput and percentiles (about 5 minutes; needs PostgreSQL).
bench-load: $(VENV)/.installed
	$(PY) bench/load.py

lock: $(VENV)/.installed
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 $(UPGRADE) requirements-bootstrap.in -o requirements-bootstrap.lock
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 $(UPGRADE) requirements.in -o requirements.lock
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 $(UPGRADE) requirements-dev.in -c requirements.lock -o requirements-dev.lock
