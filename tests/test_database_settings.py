"""Production (and benchmark) database connections run with PostgreSQL's JIT off: short page
queries never repay its compile time (docs/benchmarks-explain.md)."""

import subprocess
import sys
from pathlib import Path

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[1]
SHOW_JIT = (
    "import django; django.setup()\n"
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('show jit')\n"
    "    print(cursor.fetchone()[0])\n"
)


def _jit_setting(**env) -> str:
    clean = production_env(**env)
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
