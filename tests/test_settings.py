"""Production settings refuse to start on what would hurt there, each time naming what to set:
no secret key, SQLite, no Celery broker, console e-mail, a localhost or http base URL, an
``.example`` sender or accessibility address."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[1]


def _import_production(**changes):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(**changes),
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_what_the_readme_asks_for():
    result = _import_production()
    assert result.returncode == 0, result.stderr


def test_production_refuses_without_secret_key():
    result = _import_production(DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    result = _import_production(DATABASE_URL=None)
    assert result.returncode != 0
    assert "refuses to start on SQLite" in result.stderr


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"REDIS_URL": None, "CELERY_BROKER_URL": None}, "set CELERY_BROKER_URL"),
        ({"CELERY_TASK_ALWAYS_EAGER": "true"}, "set CELERY_BROKER_URL"),
        ({"EMAIL_URL": None}, "set EMAIL_URL"),
        ({"SIXAIKA_BASE_URL": None}, "SIXAIKA_BASE_URL is 'http://localhost:8000'"),
        ({"SIXAIKA_BASE_URL": "https://localhost"}, "SIXAIKA_BASE_URL is 'https://localhost'"),
        ({"SIXAIKA_BASE_URL": "http://portaali.6aika.fi"}, "SIXAIKA_BASE_URL is 'http://"),
        (
            {"DJANGO_DEFAULT_FROM_EMAIL": None},
            "DJANGO_DEFAULT_FROM_EMAIL is 'portaali@6aika.example'",
        ),
        (
            {"SIXAIKA_ACCESSIBILITY_EMAIL": "palaute@kaupunki.example"},
            "SIXAIKA_ACCESSIBILITY_EMAIL is 'palaute@kaupunki.example'",
        ),
    ],
)
def test_production_refuses_what_would_hurt_and_names_it(changes, named):
    result = _import_production(**changes)
    assert result.returncode != 0
    assert "Production refuses to start" in result.stderr
    assert named in result.stderr, result.stderr


def test_the_benchmarks_run_without_broker_or_mail():
    result = _import_production(
        DJANGO_SETTINGS_MODULE="sixaika.settings.bench",
        REDIS_URL=None,
        CELERY_BROKER_URL=None,
        EMAIL_URL=None,
        SIXAIKA_BASE_URL=None,
    )
    assert result.returncode == 0, result.stderr


def test_production_requires_two_step_sign_in_of_every_board_seat_by_default():
    """Board access comes from the seats: in production everybody who holds a board seat, as
    member or as deputy, signs in with two steps whatever their role (issue 16)."""
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SIXAIKA_2FA_REQUIRED_ROLES, settings.SIXAIKA_2FA_REQUIRED_BODIES)",
        ],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "['strategy_office', 'board'] ['board']"
