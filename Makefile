# Toit commun — the only entry points people need.
PYTHON ?= python3
VENV := .venv
export REQUIRE_POSTGRES REQUIRE_BROWSER
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test lint bench install messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)
	$(PY) scripts/compile_messages.py

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_territory
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) scripts/run_tests.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/run.py

messages: install
	$(PY) manage.py makemessages -l en --ignore=node_modules --ignore=.venv --ignore=bench --ignore=tests --no-location
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) node_modules var
