# Hallway: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
VENDOR := static/vendor

.PHONY: run test install install-test assets translations translations-update migrate seed serve lint typecheck imports bench bench-matching clean

run: install assets translations migrate seed serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files: packages are (re)installed only when pyproject.toml changes, not every run.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

assets: $(VENDOR)/pico.min.css $(VENDOR)/socket.io.min.js

$(VENDOR)/pico.min.css: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)
	cp node_modules/@picocss/pico/css/pico.min.css $@

$(VENDOR)/socket.io.min.js: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

# Message catalogues (issue 9): the .po files are committed, the .mo files Flask-Babel
# reads are compiled from them (git-ignored). translations-update re-extracts the
# strings (babel.cfg) into every .po: run it after wrapping new strings, then translate.
TRANSLATIONS := platform/hallway/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/python -m hallway.core.catalogue compile --force

translations-update: install
	$(BIN)/python -m hallway.core.catalogue update

migrate:
	$(FLASK) db upgrade

seed:
	$(FLASK) seed demo --if-empty

serve:
	$(BIN)/python wsgi.py

lint: install-test
	$(BIN)/ruff check platform tests migrations wsgi.py gunicorn.conf.py

typecheck: install-test
	$(BIN)/mypy

imports: install-test
	$(BIN)/lint-imports

# Two workers (pytest-xdist), one test module per worker at a time: live servers and
# browsers wait on the network, so two workers finish well before one on two cores.
PYTEST_ARGS ?= -n 2 --dist loadfile

test: install-test assets translations lint typecheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks against the production recipe, written to docs/benchmarks.md (~10 minutes).
# Needs wrk (Debian: apt-get install wrk). BENCH_ARGS="--help" lists the knobs.
bench: install-test assets translations
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk, the HTTP load generator: apt-get install wrk"; exit 2; }
	$(BIN)/python -m hallway.bench $(BENCH_ARGS)
	$(BIN)/python -m hallway.bench.matching $(MATCHING_BENCH_ARGS)

# The matching engine alone (~5 minutes, no server or database): suggestions at 1,000 to
# 100,000 members, the mentoring round, ranking quality on labelled members. Its section of
# docs/benchmarks.md is replaced; the rest is kept. MATCHING_BENCH_ARGS="--help": the knobs.
bench-matching: install-test
	$(BIN)/python -m hallway.bench.matching $(MATCHING_BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
