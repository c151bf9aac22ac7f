# KIPP — the two commands a new user runs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KIPP := $(BIN)/kipp
FRONTEND := frontend
NPM := npm --prefix $(FRONTEND)
LOCK := requirements/dev.lock
CHROMIUM ?= /usr/bin/chromium
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/package-lock.json \
	$(wildcard $(FRONTEND)/tsconfig*.json)

.PHONY: run test install serve migrate seed lint typecheck pytest pytest-postgres vitest \
	frontend-lint frontend-check browser openapi dev bench bench-catalogue bench-scale bench-phone \
	lock clean

## Install what is missing ---------------------------------------------------------------
# Exactly the locked versions, each checked against its hash; then KIPP itself, adding nothing.
$(VENV)/.installed: $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
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
test: $(VENV)/.installed $(FRONTEND)/dist/index.html browser lint typecheck frontend-lint frontend-check \
		vitest pytest pytest-postgres
	@echo "All checks passed."

lint: $(VENV)/.installed
	$(BIN)/ruff check backend tests migrations bench
	$(BIN)/ruff format --check backend tests migrations bench
	$(BIN)/lint-imports

# The end-to-end tests drive Debian's Chromium: installed here when absent (as root), else a
# clear message saying what to install.
browser:
	@if [ -x $(CHROMIUM) ] || command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "== installing Debian's chromium (for the end-to-end tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The end-to-end tests need Chromium: install Debian's 'chromium' package" \
			"(sudo apt-get install chromium) so that /usr/bin/chromium exists, then run make test again." >&2; \
		exit 1; \
	fi

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# The whole suite on SQLite (browser end-to-end included).
pytest: $(VENV)/.installed $(FRONTEND)/dist/index.html browser
	$(BIN)/python -m pytest

# Again on PostgreSQL where KIPP_TEST_POSTGRES_URL names an empty database (.ci/run sets it).
pytest-postgres: $(VENV)/.installed
	@if [ -n "$$KIPP_TEST_POSTGRES_URL" ]; then \
		echo "== pytest on PostgreSQL"; \
		KIPP_TEST_DATABASE_URL="$$KIPP_TEST_POSTGRES_URL" $(BIN)/python -m pytest -m "not e2e"; \
	else echo "KIPP_TEST_POSTGRES_URL is not set: PostgreSQL run skipped (.ci/run sets it)."; fi

vitest: $(FRONTEND)/node_modules/.installed
	$(NPM) test --silent

# ESLint (type-aware, no warnings allowed) and Prettier's check.
frontend-lint: $(FRONTEND)/node_modules/.installed
	$(NPM) run lint --silent
	$(NPM) run format:check --silent

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

# The public catalogue's search: 100 organisations, 30,000 innovations, p95 against the driver.
bench-catalogue: $(VENV)/.installed
	$(BIN)/python -m bench.catalogue

# The national ranking on a deployment of 100 organisations (bench/national.py).
bench-scale: $(VENV)/.installed
	$(BIN)/python -m bench.national

# A judge's phone on Regular 3G / Slow 4G with CPU x4 (Chromium through CDP): cold, warm, tap.
bench-phone: $(VENV)/.installed $(FRONTEND)/dist/index.html browser
	$(BIN)/python -m bench.phone

# Resolve the pinned, hashed Python dependencies again from pyproject.toml (needs the network)
# and commit both files: after editing the dependencies (pins that still fit are kept), or
# `make lock UPGRADE=1` to move every pin to the newest release allowed. dev.lock is what
# `make run`/`make test` install; runtime.lock (no dev tools) is for a production install.
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed
	$(PIP_COMPILE) --extra dev -o requirements/dev.lock pyproject.toml
	$(PIP_COMPILE) -o requirements/runtime.lock pyproject.toml

clean:
	rm -rf $(VENV) $(FRONTEND)/node_modules $(FRONTEND)/dist .pytest_cache .mypy_cache .ruff_cache
