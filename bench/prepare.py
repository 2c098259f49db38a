"""Print, as JSON, what the load runs need from a benchmark database: session cookies for the
demo users, and the ids of a representative project, status report and board meeting.

Run with DJANGO_SETTINGS_MODULE=sixaika.settings.bench and DATABASE_URL of the bench database.
"""

import json
import os
import sys

# BENCH_ROOT: another checkout's code (bench/compare.py measures two); this one's by default.
sys.path.insert(
    0, os.environ.get("BENCH_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from governance.models import City, Meeting  # noqa: E402
from projects.models import Project, StatusReport  # noqa: E402


def session_cookie(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    return session.session_key


def main() -> None:
    tampere = City.objects.get(slug="tampere")
    # A running project in which Tampere takes part, with a draft report the coordinator may edit.
    report = (
        StatusReport.objects.filter(project__cities=tampere, state="draft")
        .order_by("pk")
        .select_related("project")
        .first()
    )
    project = Project.objects.filter(cities=tampere).order_by("pk")[
        Project.objects.filter(cities=tampere).count() // 2
    ]
    # Drafts the coordinator saves in the valid-POST run, each in turn (bench/report.lua).
    drafts = list(
        StatusReport.objects.filter(project__cities=tampere, state="draft")
        .order_by("pk")
        .values_list("pk", flat=True)[:64]
    )
    # A word of the middle project's name: the search matches some projects, not all.
    word = max(project.name_fi.split(), key=len)[:8]
    pages = -(-Project.objects.count() // 25)  # the portfolio list shows 25 a page
    meeting = Meeting.objects.filter(body__kind="board").order_by("-starts_at").first()
    csrf = get_random_string(32)
    print(
        json.dumps(
            {
                "project_id": project.pk,
                "report_id": report.pk if report else None,
                "draft_ids": drafts,
                "meeting_id": meeting.pk if meeting else None,
                "search": word,
                "last_page": pages,
                "csrf": csrf,
                "sessions": {
                    name: session_cookie(name)
                    for name in ("koordinaattori-tampere", "toimisto", "johtoryhma-pj")
                },
                "session_cookie_name": settings.SESSION_COOKIE_NAME,
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            }
        )
    )


if __name__ == "__main__":
    main()
