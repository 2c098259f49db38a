"""Fault tests: a PostgreSQL of the test's own, restarted under load, and a Celery worker killed
in the middle of a report. They start real processes (postgres, gunicorn, celery) on loopback
and never touch the machine's shared PostgreSQL or Redis servers beyond a queue of their own.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.models import Report
from tests.waiting import row_changes

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.faults)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def report_changes(transactional_db):
    """Wakes a test when a monitoring report's row changes (PostgreSQL's notification)."""
    with row_changes(Report) as changes:
        yield changes


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL server binaries are needed: apt-get install postgresql")
    return found[-1].parent


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of the test's own in a temporary folder, on a free loopback port."""

    data: Path
    port: int
    as_postgres: list[str]

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, str(_pg_bin() / "pg_ctl"), "-D", str(self.data), "-w", *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        self.ctl("-o", options, "-l", str(self.data / "server.log"), "start")

    def restart(self) -> None:
        self.ctl("-m", "fast", "restart")

    def stop(self) -> None:
        self.ctl("-m", "immediate", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    base = Path(tempfile.mkdtemp(prefix="sixaika-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as "postgres"
        shutil.chown(base, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    subprocess.run(
        [*as_postgres, str(_pg_bin() / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        + ["--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster = PrivatePostgres(data=data, port=free_port(), as_postgres=as_postgres)
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


# The tables made from the models, and every migration recorded as applied: a database as a
# deployment that ran the migrations before has it (the migrations themselves are proved once
# per run in tests/migrations_journey.py; running them here cost half a minute of CPU).
SCHEMA_FROM_MODELS = """
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
call_command("migrate", run_syncdb=True, verbosity=0)
settings.MIGRATION_MODULES = {}
recorder = MigrationRecorder(connection)
recorder.ensure_schema()
for app, name in MigrationLoader(connection).graph.nodes:
    recorder.record_applied(app, name)
"""


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
    )
