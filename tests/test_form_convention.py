"""One form convention (issue 15), whichever app the form is in: a form sent back with errors
answers ``core.forms.INVALID_FORM_STATUS`` and lists them in the one error summary partial.

The walk finds the form views itself: every page of ``tests/test_access.py``'s declarations that
shows a form posting back to its own URL, as the first demo account that may open it.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.forms import INVALID_FORM_STATUS
from tests.test_access import ANONYMOUS, EXPECTATIONS, URL_KWARGS, USERS, _expected

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = "partials/error_summary.html"
# The office first: it may open most forms, so the walk tries the fewest accounts.
ACCOUNTS = ["toimisto", *[u for u in USERS if u not in ("toimisto", "deactivated")]]
FORM = re.compile(r"<form\b[^>]*>", re.S)

# Form views an empty POST does not refuse, and why.
EMPTY_IS_VALID: dict[str, str] = {}

# At least these must be found by the walk, so that a broken discovery cannot pass quietly.
KNOWN_FORM_VIEWS = {
    "login",
    "meetings:create",
    "meetings:item_add",
    "meetings:conflict_declare",
    "projects:create",
    "projects:report_edit",
    "projects:import",
    "calls:create",
    "calls:application_add",
    "calls:conflict",
    "coordination:coordinator_assign",
    "coordination:event_create",
    "coordination:result_create",
    "reports:list",
    "reports:organisations_import",
}


def _posts_back(html: str, path: str) -> bool:
    """Does the page show a POST form sent to the page's own URL?"""
    for tag in FORM.findall(html):
        if not re.search(r'method="post"', tag, re.I):
            continue
        action = re.search(r'\baction="([^"]*)"', tag)
        if action is None or action.group(1) in ("", path):
            return True
    return False


def _client(user_key: str, demo_users) -> Client:
    client = Client()
    if user_key != ANONYMOUS:
        client.force_login(
            demo_users[user_key], backend="django.contrib.auth.backends.ModelBackend"
        )
    return client


@pytest.mark.django_db
def test_every_form_view_refuses_an_empty_form_the_same_way(demo_users):
    clients: dict[str, Client] = {}
    walked, failures = set(), []
    for name, rule in EXPECTATIONS.items():
        user_key = next((u for u in [ANONYMOUS, *ACCOUNTS] if _expected(rule, u) == 200), None)
        if user_key is None:
            continue
        client = clients.setdefault(user_key, _client(user_key, demo_users))
        url = reverse(name, kwargs=URL_KWARGS[name]() if name in URL_KWARGS else {})
        page = client.get(url)
        if page.status_code != 200 or page.streaming or "html" not in page["Content-Type"]:
            continue
        if not _posts_back(page.content.decode(), url):
            continue
        walked.add(name)
        if name in EMPTY_IS_VALID:
            continue
        refused = client.post(url, {"sent": "1"})  # a key no form has: a bound, empty form
        templates = {t.name for t in refused.templates}
        html = refused.content.decode()
        if refused.status_code != INVALID_FORM_STATUS:
            failures.append(f"{name}: {refused.status_code}, not {INVALID_FORM_STATUS}")
        elif SUMMARY not in templates or 'class="error-summary"' not in html:
            failures.append(f"{name}: the errors are not in {SUMMARY}")
    assert not KNOWN_FORM_VIEWS - walked, f"not walked: {sorted(KNOWN_FORM_VIEWS - walked)}"
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_refused_htmx_swap_gets_its_errors_with_a_200(client_as):
    """htmx swaps only successful answers: the one exception to the status, never the partial."""
    from governance.demo import meetings_demo_load

    meeting = meetings_demo_load().upcoming
    item = meeting.items.order_by("order").last()
    client = client_as("johtoryhma-pj")
    url = reverse("meetings:item_decision", args=[meeting.pk, item.pk])
    data = {f"item{item.pk}-outcome": "approved_with_conditions", f"item{item.pk}-text": "x"}
    swapped = client.post(url, data, headers={"HX-Request": "true"})
    whole = client.post(url, data)
    for response in (swapped, whole):
        assert SUMMARY in {t.name for t in response.templates}
        assert "Kirjoita hyväksynnän ehdot." in response.content.decode()
    assert swapped.status_code == 200
    assert whole.status_code == INVALID_FORM_STATUS


@pytest.mark.django_db
def test_an_invalid_search_is_refused_like_a_form(client):
    response = client.get(reverse("meetings:decisions"), {"date_from": "ei päivä"})
    assert response.status_code == INVALID_FORM_STATUS
    assert SUMMARY in {t.name for t in response.templates}


def test_the_error_summary_is_written_once():
    """No template but the partial draws an error summary of its own (the report editor's and
    the project pages' notices of a conflicting save are no form errors: both versions are
    shown side by side)."""
    folders = [
        ROOT / "templates",
        *(p for p in ROOT.glob("*/templates") if p.parent.name != "tests"),
    ]
    own = {
        path.relative_to(ROOT).as_posix()
        for folder in folders
        for path in folder.rglob("*.html")
        if 'class="error-summary"' in path.read_text(encoding="utf-8")
    }
    assert own == {
        "templates/partials/error_summary.html",
        "projects/templates/projects/report_edit.html",
        "projects/templates/projects/partials/project_conflict.html",
    }
