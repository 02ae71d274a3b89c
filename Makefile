# evalsheets — `make run` serves the app with the seed sheets; `make test` runs the whole suite.
# Both create .venv and install requirements.txt on first use (re-runs are quick no-ops).
-include .env
export

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run dev test lint setup migrate seed clean

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

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts
