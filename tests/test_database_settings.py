"""Production (and benchmark) database connections run with PostgreSQL's JIT off: short page
queries never repay its compile time (docs/benchmarks-explain.md)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOW_JIT = (
    "import django; django.setup()\n"
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('show jit')\n"
    "    print(cursor.fetchone()[0])\n"
)


def _jit_setting(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(
        env,
        DJANGO_SETTINGS_MODULE="sixaika.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW_JIT], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_connections_have_jit_off():
    assert _jit_setting() == "off"


def test_jit_can_be_left_to_the_server():
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as connection:
        server_default = connection.execute("show jit").fetchone()[0]
    assert _jit_setting(DATABASE_JIT="on") == server_default
