# Hallway: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
VENDOR := static/vendor

.PHONY: run test install install-test assets migrate seed serve lint bench clean

run: install assets migrate seed serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico.min.css
	cp node_modules/socket.io-client/dist/socket.io.min.js $(VENDOR)/socket.io.min.js

migrate:
	$(FLASK) db upgrade

seed:
	$(FLASK) seed demo --if-empty

serve:
	$(BIN)/python wsgi.py

lint:
	$(BIN)/ruff check platform tests migrations wsgi.py

test: install-test assets lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test assets
	$(BIN)/python -m hallway.bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
