"""The embedded default, the path `make run` takes: SQLite, no Redis, Celery tasks run eagerly.

One sequence of real ``manage.py`` processes in the environment `make run` has (no
DATABASE_URL other than a SQLite file, no REDIS_URL, no CELERY_BROKER_URL, settings ``base``):
migrate, load_6aika, load_demo, and the same again, as a second `make run` does. The second
round must load nothing: every table has the rows it had. Then the pages and the open-data
API answer on that database, anonymously and signed in, a report requested in the browser
is made at once by the eager Celery task, and a demo account's set-up link of two-step sign-in is
printed on the console.

The media directory is a temporary one too, so the test leaves nothing in ``var/``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "RESULT "

# Each table's row count, as JSON on one marked line.
COUNT_ROWS = f"""
import json
from django.apps import apps
counts = {{
    m._meta.label: m._base_manager.count()
    for m in apps.get_models(include_auto_created=True)
}}
print({MARK!r} + json.dumps(counts, sort_keys=True))
"""

# The counts again, then what `make run`'s user does with a browser, with Django's test client.
USE_THE_PORTAL = (
    COUNT_ROWS
    + f"""
import datetime as dt
from celery import current_app
from django.conf import settings
from django.db import connection
from django.test import Client
from reports.models import Report
from governance.models import City

result = {{
    "vendor": connection.vendor,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER and current_app.conf.task_always_eager,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "status": {{}},
}}
browser = Client(HTTP_HOST="127.0.0.1:8000")
for path in ("/governance/", "/projects/", "/api/v1/", "/api/v1/projects/"):
    result["status"][path] = browser.get(path).status_code
result["governance_has_chair"] = "Antola" in browser.get("/governance/").text
result["api_projects"] = browser.get("/api/v1/projects/").json()["count"]
login = browser.post(
    "/accounts/login/", {{"username": "toimisto", "password": "demo-6aika"}}
)
result["login"] = [login.status_code, login.headers.get("Location")]
for path in ("/", "/reports/", "/admin/"):
    result["status"][path] = browser.get(path).status_code
result["home_welcomes_user"] = "Tervetuloa, toimisto" in browser.get("/").text
made = browser.post(
    "/reports/",
    {{
        "kind": "city",
        "as_of": dt.date.today().isoformat(),
        "language": "fi",
        "city": City.objects.get(slug="tampere").pk,
    }},
)
result["report_request"] = made.status_code
report = Report.objects.order_by("-pk").first()
result["report"] = [report.status, bool(report.file)] if report else None
result["status"]["report page"] = browser.get(f"/reports/{{report.pk}}/").status_code
# Two-step sign-in's set-up link: the demo account has an address, and the mail is printed on
# the console (the terminal of `make run`), where the README sends the demo user for the link.
import contextlib, io, re
console = io.StringIO()
with contextlib.redirect_stdout(console):
    sent = browser.post("/accounts/two-factor/", {{"send_link": "1"}})
printed = console.getvalue()
link = re.search("http://127.0.0.1:8000(/accounts/two-factor/enrol/[^/ ]+/)", printed)
result["enrolment_mail"] = [
    sent.status_code,
    "To: toimisto@demo.6aika.invalid" in printed,
    browser.get(link.group(1)).status_code if link else None,
    "<svg" in browser.get("/accounts/two-factor/").text,
]
print({MARK!r} + json.dumps(result, sort_keys=True))
"""
)


def _environment(tmp_path: Path) -> dict[str, str]:
    """`make run`'s environment: none of the services' settings, a SQLite file."""
    dropped = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "CACHE_", "EMAIL_", "SIXAIKA_", "AXES_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="sixaika.settings.base",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def _marked(stdout: str) -> list[dict]:
    return [json.loads(line[len(MARK) :]) for line in stdout.splitlines() if line.startswith(MARK)]


def _make_run_twice(tmp_path: Path) -> list[dict]:
    """Two rounds of `make run`'s set-up on one SQLite file; what each round printed."""
    env = _environment(tmp_path)
    rounds = []
    for _round in range(2):
        rounds.append(
            {
                "migrate": _manage(env, "migrate", "--noinput", "-v1"),
                "load_6aika": _manage(env, "load_6aika"),
                "load_demo": _manage(env, "load_demo"),
            }
        )
        if _round == 0:
            (rounds[0]["counts"],) = _marked(_manage(env, "shell", "-c", COUNT_ROWS))
    rounds[1]["counts"], rounds[1]["portal"] = _marked(_manage(env, "shell", "-c", USE_THE_PORTAL))
    assert (tmp_path / "db.sqlite3").stat().st_size > 0
    return rounds


def test_make_run_twice_loads_once_and_the_portal_answers(tmp_path):
    # One test, not three: under pytest -n the sequence (about a minute) would run per worker.
    rounds = _make_run_twice(tmp_path)
    _first_round_loads_6aika_and_the_demo(rounds)
    _second_round_loads_nothing_twice(rounds)
    _portal_and_api_answer_on_sqlite_with_eager_celery(rounds)


def _first_round_loads_6aika_and_the_demo(rounds):
    first = rounds[0]
    assert "Applying governance.0001_initial... OK" in first["migrate"]
    counts = first["counts"]
    assert counts["governance.City"] == 6
    assert counts["governance.Seat"] == 20  # 9 board, 10 steering group, the rotating seat
    assert counts["auth.User"] >= 11  # the README's demo accounts (and the demo call's scorers)
    assert counts["projects.Project"] > 1  # the demo portfolio besides 6Aika's own


def _second_round_loads_nothing_twice(rounds):
    first, second = rounds
    assert "No migrations to apply." in second["migrate"]
    assert "nothing created" in second["load_demo"]
    changed = {
        table: (first["counts"][table], count)
        for table, count in second["counts"].items()
        if first["counts"].get(table) != count
    }
    assert not changed, f"rows (first round, second round) changed by the second round: {changed}"


def _portal_and_api_answer_on_sqlite_with_eager_celery(rounds):
    portal = rounds[1]["portal"]
    assert portal["vendor"] == "sqlite"
    assert portal["eager"] is True and portal["broker"] is None
    assert portal["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert portal["status"] == {
        "/governance/": 200,
        "/projects/": 200,
        "/api/v1/": 200,
        "/api/v1/projects/": 200,
        "/": 200,
        "/reports/": 200,
        "/admin/": 200,
        "report page": 200,
    }
    assert portal["governance_has_chair"]
    assert portal["api_projects"] > 1
    assert portal["login"] == [302, "/"]
    assert portal["home_welcomes_user"]  # the home page in Finnish, for the signed-in user
    # requested in the browser, made at once in the web process: no broker, no worker
    assert portal["report_request"] == 302
    assert portal["report"] == ["done", True]
    # the set-up link of two-step sign-in: sent to the demo address, printed on the console,
    # and opening it shows the authenticator's QR code
    assert portal["enrolment_mail"] == [302, True, 302, True]
