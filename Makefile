# Toit commun — the only entry points people need.
PYTHON ?= python3
VENV := .venv
export REQUIRE_POSTGRES REQUIRE_BROWSER REQUIRE_REDIS
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000

.PHONY: run dev demo serve worker test lint bench install messages clean

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

# The demo, served by gunicorn (2 workers, static files by WhiteNoise) on 127.0.0.1:$(PORT),
# with the background worker (long imports and exports) beside it; both stop together.
run: install
	$(MAKE) --no-print-directory demo
	$(PY) manage.py db_worker --interval 0.5 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MAKE) --no-print-directory serve

# The same data, served by Django's reloading development server (DEBUG on).
dev: install demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver --nostatic 127.0.0.1:$(PORT)

demo:
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_territory
	$(PY) manage.py load_demo

# What `make run` starts once the data is there (tests/test_serving.py starts it the same way).
serve:
	PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

test: install
	$(PY) scripts/run_tests.py

# The background worker alone (production runs one or more beside the web processes: docs/deploy.md).
worker:
	$(PY) manage.py db_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# SQLite (var/bench.sqlite3); with BENCH_DATABASE_URL=postgres://…/…bench… the same again on PostgreSQL.
bench: install
	$(PY) bench/run.py
	$(PY) bench/run.py --only support
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(PY) bench/run.py --database-url "$(BENCH_DATABASE_URL)"; fi

messages: install
	$(PY) manage.py makemessages -l en --ignore=node_modules --ignore=.venv --ignore=bench --ignore=tests --no-location
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) node_modules var
