# Newsdesk: `make run` serves the demo, `make test` runs the suite.
# Both create .venv on first use and reinstall only when pyproject.toml or
# constraints.txt change, so a second run starts at once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

WORKERS ?= 3
THREADS ?= 4
PROD := DJANGO_SETTINGS_MODULE=newsdesk.settings.prod

.PHONY: run test serve install install-dev migrate demo check audit format lock clean

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	NEWSDESK_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Production: gunicorn (gunicorn.conf.py: threaded workers) with WhiteNoise serving hashed static files. Needs DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL in the environment (see README.md, "Production").
# Behind the TLS proxy at FORWARDED_ALLOW_IPS, set NEWSDESK_TRUSTED_PROXIES=1 too, so that
# lock-outs count each client's address rather than the proxy's (README.md, "Security").
# The background worker (`manage.py db_worker`: long suggestion jobs, suggestions/tasks.py)
# runs beside gunicorn and is stopped when gunicorn stops; NEWSDESK_TASKS=immediate starts none.
serve: $(VENV)/.installed
	$(PROD) $(PY) manage.py check --deploy --fail-level WARNING
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --verbosity 0
	if [ "$${NEWSDESK_TASKS:-database}" = database ]; then \
		$(PROD) $(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	fi; \
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) THREADS=$(THREADS) \
		$(PROD) $(BIN)/gunicorn --config gunicorn.conf.py newsdesk.wsgi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsdesk needs Python 3.11 or newer (set PYTHON=python3.x).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Known vulnerabilities in the pinned dependencies (pip-audit lives in a venv of its own).
audit:
	test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet "pip-audit>=2.7,<3")
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip -r constraints.txt

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin constraints.txt from a clean resolve of pyproject.toml, every extra included (run by
# hand after a dependency change); `make install` and `make test` install only what they need.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[dev,bench,train]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^newsdesk' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) *.egg-info
