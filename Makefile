# KIPP — the two commands a new user runs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KIPP := $(BIN)/kipp
FRONTEND := frontend
NPM := npm --prefix $(FRONTEND)
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/package-lock.json \
	$(wildcard $(FRONTEND)/tsconfig*.json)

.PHONY: run test install serve migrate seed lint typecheck pytest pytest-postgres vitest \
	frontend-check openapi dev bench clean

## Install what is missing ---------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed $(FRONTEND_SOURCES)
	$(NPM) run build --silent

install: $(VENV)/.installed $(FRONTEND)/dist/index.html

## make run: install, migrate, load the demo, serve on http://127.0.0.1:8000 ------------------
run: install migrate seed serve

migrate: $(VENV)/.installed
	$(KIPP) db upgrade

seed: $(VENV)/.installed
	$(KIPP) seed-demo

serve: $(VENV)/.installed
	$(KIPP) serve

## make test: every check ------------------------------------------------------------------
test: $(VENV)/.installed $(FRONTEND)/dist/index.html lint typecheck frontend-check vitest pytest pytest-postgres
	@echo "All checks passed."

lint: $(VENV)/.installed
	$(BIN)/ruff check backend tests migrations bench
	$(BIN)/ruff format --check backend tests migrations bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# The whole suite on SQLite (browser end-to-end included).
pytest: $(VENV)/.installed $(FRONTEND)/dist/index.html
	$(BIN)/python -m pytest

# Again on PostgreSQL where KIPP_TEST_POSTGRES_URL names an empty database (.ci/run sets it).
pytest-postgres: $(VENV)/.installed
	@if [ -n "$$KIPP_TEST_POSTGRES_URL" ]; then \
		echo "== pytest on PostgreSQL"; \
		KIPP_TEST_DATABASE_URL="$$KIPP_TEST_POSTGRES_URL" $(BIN)/python -m pytest -m "not e2e"; \
	else echo "KIPP_TEST_POSTGRES_URL is not set: PostgreSQL run skipped (.ci/run sets it)."; fi

vitest: $(FRONTEND)/node_modules/.installed
	$(NPM) test --silent

# The typed client matches openapi/openapi.json; the judge's JavaScript stays in budget.
frontend-check: $(FRONTEND)/dist/index.html
	$(NPM) run check:api --silent
	$(NPM) run budget --silent

## Developer helpers -----------------------------------------------------------------------
openapi: $(VENV)/.installed $(FRONTEND)/node_modules/.installed
	$(KIPP) openapi --output openapi/openapi.json
	$(NPM) run gen:api --silent

dev: $(VENV)/.installed $(FRONTEND)/node_modules/.installed migrate seed
	@echo "API on :8000, Vite with hot reload on :5173 (Ctrl-C stops both)"
	$(KIPP) serve & api=$$!; trap 'kill $$api' EXIT INT TERM; $(NPM) run dev

bench: $(VENV)/.installed
	$(BIN)/python -m bench.ranking

clean:
	rm -rf $(VENV) $(FRONTEND)/node_modules $(FRONTEND)/dist .pytest_cache .mypy_cache .ruff_cache
