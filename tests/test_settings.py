"""Production settings refuse to start without a secret key or on SQLite."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="sixaika.settings.production")
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_without_secret_key():
    result = _import_production(DATABASE_URL="postgres://u@127.0.0.1/db")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    result = _import_production(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "refuses to start on SQLite" in result.stderr


def test_production_starts_with_key_and_postgres():
    result = _import_production(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@127.0.0.1/db",
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
