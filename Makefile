# The two commands a newcomer needs: `make run` and `make test`. Everything else is what they call.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test bench lint install

## run: install, migrate, load the demo once, and start the web app and a background worker (embedded default)
run: install
	@bash scripts/run.sh

## test: install what the tests need, start PostgreSQL and Redis if they are down, run the whole suite
test: install
	@bash scripts/test.sh

## bench: speed and memory figures (not part of `make test`)
bench: install
	@bash scripts/test.sh --bench

## lint: ruff and the migrations check
lint: install
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(PY) manage.py makemigrations --check --dry-run

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null)
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@
