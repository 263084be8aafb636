# LogiSpace: two commands on a fresh machine.
#   make demo   set everything up, migrate the embedded SQLite database, load demo data, serve :8000
#   make test   set up what the tests need and run the whole suite
#   make test-fast  the inner loop: every test but the browser ones (docs/testing.md)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/logispace/web/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist: one worker per core, each with its own database; the tests of the live server and
# the browser share one worker (xdist group "live"), so it starts once.
WORKERS ?= auto
XDIST := -n $(WORKERS) --dist loadgroup

.PHONY: demo test test-fast check install assets browser serve clean test-postgres constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[test,check]'
	touch $@

install: $(VENV)/.installed assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/htmx $(VENDOR)/pico $(VENDOR)/swagger-ui $(VENDOR)/echarts
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

assets: $(VENDOR)/.copied

# Debian's chromium for the Playwright tests (the Python package's bundled driver, no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; }

demo: install
	$(BIN)/logispace db upgrade
	$(BIN)/logispace demo load
	@echo "LogiSpace is serving on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	$(BIN)/logispace serve --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

# The tests that reach a database (marker "db", set from their fixtures in tests/conftest.py) again on
# PostgreSQL; the pure tests ran once already. LOGISPACE_TEST_POSTGRES_URL names a server database to
# connect to; each worker creates its own throwaway database there and drops it at the end.
LOGISPACE_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
test-postgres: install browser
	LOGISPACE_TEST_DATABASE=postgresql LOGISPACE_TEST_POSTGRES_URL=$(LOGISPACE_TEST_POSTGRES_URL) \
	  $(BIN)/pytest $(XDIST) -m db $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(BIN)/ruff check src tests bench contrib
	$(BIN)/ruff format --check src tests bench contrib
	$(BIN)/mypy
	$(BIN)/lint-imports

serve: install
	$(BIN)/logispace serve --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache

# Re-pin requirements/constraints.txt from the current environment after changing dependencies.
constraints: | $(BIN)/python
	{ echo "# Pinned versions the project is tested with (pip constraints). Regenerate: make constraints"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^logispace'; } > requirements/constraints.txt
