# 6Aika portal. Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_ENV := DJANGO_SETTINGS_MODULE=sixaika.settings.test
# Four test processes on two cores: much of a browser or fault test is spent waiting (Chromium,
# the live server, PostgreSQL, worker processes), and four processes fill those waits (measured
# in docs/testing.md). Each has its own test database, made from the models and loaded once with
# the 6Aika data and the demo (tests/dbsnapshot.py). worksteal: a process that runs out of tests
# takes some of another's, so the run does not end waiting on one slow file.
# One part: make test PYTEST_ARGS="tests/governance" (docs/testing.md).
PYTEST_ARGS ?= -n 4 --dist worksteal --durations=25

.PHONY: run test lint messages check-services bench backup restore clean lock audit

# Every package installed is pinned with its hashes in requirements-dev.lock (the image uses
# requirements.lock): pip refuses a package whose file is not the one locked.
$(VENV)/.installed: requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (e.g. apt-get install python3.11 python3.11-venv)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# The lock files, from requirements.txt and requirements-dev.txt (after changing a pin there).
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed
	$(LOCK) -o requirements.lock requirements.txt
	$(LOCK) -o requirements-dev.lock requirements-dev.txt

# Known vulnerabilities in the locked packages (pip-audit, where its service can be reached), and
# the pinned packages that have a newer patch release in the package index. Not part of CI: a new
# advisory must not block an unrelated change; run it before a release (README, "Supply chain").
audit: $(VENV)/.installed
	$(PY) scripts/audit.py requirements.lock requirements-dev.lock

# The .mo catalogues are compiled with polib (scripts/compile_messages.py): no gettext needed.
messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

run: $(VENV)/.installed messages
	mkdir -p var
	$(PY) manage.py migrate --noinput -v1
	$(PY) manage.py load_6aika
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

check-services: $(VENV)/.installed
	@$(TEST_ENV) $(PY) scripts/check_services.py

test: $(VENV)/.installed messages check-services
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates */templates
	$(VENV)/bin/lint-imports
	mkdir -p var && $(PY) manage.py makemigrations --check --dry-run -v0

# Backups of the configured database (DATABASE_URL; the embedded SQLite file by default) and of
# the uploaded files: `make backup` (BACKUP_DIR=... to choose), `make restore BACKUP_DIR=...`.
backup: $(VENV)/.installed
	$(PY) manage.py backup_portal $(BACKUP_DIR)

restore: $(VENV)/.installed
	@test -n "$(BACKUP_DIR)" || { echo "Say which backup: make restore BACKUP_DIR=backups/<time>"; exit 1; }
	$(PY) manage.py restore_portal $(BACKUP_DIR)

clean:
	rm -rf var/db.sqlite3 staticfiles

# Benchmarks (issue targets): gunicorn + PostgreSQL on loopback, wrk load, figures into
# docs/benchmarks.md (plans in docs/benchmarks-explain.md, the PDF benchmark bench/reports.py in
# docs/benchmarks-reports.md). Databases sixaika_bench_<N> (BENCH_DB_PREFIX=... for other names)
# are made once; BENCH_ARGS=--regenerate redoes them.
bench: $(VENV)/.installed messages
	@command -v wrk >/dev/null || { echo "wrk is needed for the load: apt-get install wrk"; exit 1; }
	$(PY) bench/run.py --reports $(BENCH_ARGS)
