# evalsheets — `make run` serves the app with the seed sheets; `make test` runs the whole suite.
# Both create .venv and install requirements.txt on first use (re-runs are quick no-ops).
-include .env

# DEBUG off needs a secret key. Unless DJANGO_SECRET_KEY is set (environment or .env), make uses this machine's
# own random key, generated once into .secret_key (git-ignored, mode 600) and kept, so logins survive restarts.
ifeq ($(strip $(DJANGO_SECRET_KEY)),)
DJANGO_SECRET_KEY := $(shell test -s .secret_key || (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key); cat .secret_key)
endif
export

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

CHROMIUM ?= /usr/bin/chromium

.PHONY: run dev test unit-tests browser-tests e2e chromium lint setup migrate seed clean backup restore bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed

# Production-like: gunicorn, DEBUG off, static files from whitenoise.
run: seed
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "evalsheets: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/gunicorn evalsheets.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# Development server with auto-reload and DEBUG on.
dev: seed
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: unit/view/admin/import tests, then the browser tests in their own pytest run
# (they flush the database between tests). Without Chromium the browser tests are skipped with a
# loud message locally; with REQUIRE_BROWSER=1 (CI) a missing Chromium is a failure.
test: unit-tests
	@if [ -x "$(CHROMIUM)" ]; then \
		$(MAKE) --no-print-directory browser-tests; \
	elif [ "$${REQUIRE_BROWSER:-0}" = "1" ]; then \
		echo "ERROR: $(CHROMIUM) not found and REQUIRE_BROWSER=1: browser tests cannot run" >&2; exit 1; \
	else \
		echo ""; echo "*** SKIPPED: browser tests (no Chromium at $(CHROMIUM)). Run 'make e2e' to install it and run them. ***"; echo ""; \
	fi

unit-tests: setup
	$(BIN)/python -m pytest --ignore=tests/browser -m "not browser"

$(VENV)/.installed-browser: requirements-browser.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-browser.txt
	touch $@

browser-tests: $(VENV)/.installed-browser
	$(BIN)/python -m pytest -m browser tests/browser

# Installs Debian's Chromium (root; apt) when missing, then runs the browser tests alone.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

e2e: chromium
	$(MAKE) --no-print-directory browser-tests

# Backups of the database in DATABASE_URL: backups/evalsheets-<timestamp>.sqlite3 (SQLite backup API) or .dump
# (pg_dump -Fc). `make restore FILE=backups/…` puts one back (pg_restore --clean / SQLite backup API); it asks first.
backup: setup
	$(BIN)/python manage.py backup_database

restore: setup
	@if [ -z "$(FILE)" ]; then echo "usage: make restore FILE=backups/evalsheets-<timestamp>.<ext>" >&2; exit 2; fi
	$(BIN)/python manage.py restore_database "$(FILE)"

# Every page on SQLite and PostgreSQL at the seed and at 46,000 generated sheets (README: "Benchmark"); never part of
# `make test` or CI. Its own databases (benchmarks/bench-*.sqlite3, PostgreSQL evalsheets_bench_*), generated on first
# use. Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--databases sqlite --sizes seed,5000".
bench: setup
	$(BIN)/python manage.py bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts
