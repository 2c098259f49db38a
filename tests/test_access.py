"""Walk every URL the portal serves, as every kind of user, against a declared expectation.

The URL list comes from the resolver, so a new view without a declaration fails this test.
To declare a view, add its URL name to ``EXPECTATIONS`` with the answer each user gets, and,
if it takes arguments, an entry in ``URL_KWARGS`` that builds them from the demo data.
"""

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sixaika.demo import DEMO_ACCOUNTS

PUBLIC = "public"  # 200 for everybody
LOGIN = "login"  # anonymous -> redirect to login; any active user with a role -> 200
OFFICE = "office"  # strategy office -> 200; other users -> 403; anonymous -> login
REDIRECT = "redirect"  # 302 for everybody (e.g. set_language)

ANONYMOUS = "anonymous"
DEACTIVATED = "deactivated"
USERS = [ANONYMOUS, DEACTIVATED, *[row[0] for row in DEMO_ACCOUNTS]]
# A board member who has declared a conflict of interest (through the service) on the upcoming
# meeting's item the walk visits. Stepping aside for an item gives no other access: the walk
# expects exactly what the same account gets without the conflict.
CONFLICTED = "johtoryhma-esteellinen"
CONFLICTED_ACCOUNT = "johtoryhma"
WALKERS = [*USERS, CONFLICTED]

# URL name -> rule, or a dict user -> expected status for views with their own rules.
EXPECTATIONS: dict[str, str | dict[str, int]] = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "governance:bodies": PUBLIC,
    "accessibility": PUBLIC,
    "privacy": PUBLIC,
    "login": PUBLIC,
    "two_factor": LOGIN,
    # new backup codes: the form to a user with an app, else a link to set one up
    "two_factor_backup_codes": LOGIN,
    # the strategy office issues one-time enrolment codes
    "two_factor_codes": OFFICE,
    # a one-time set-up link that does not work: the page that says so, to a signed-in user
    "two_factor_enrol": LOGIN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    # a reset link that does not work: the page that says so
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
}

# URL names answered by POST only, or handled by Django itself (admin has its own tests).
NOT_WALKED = {
    "logout": "POST only; tested in tests/test_demo.py",
    "set_language": "POST only; tested in tests/test_i18n.py",
    "javascript-catalog": "Django's catalog",
}

# URL name -> function(users) -> kwargs for reverse(); the demo data must provide the object.
URL_KWARGS: dict[str, Callable[[], dict[str, object]]] = {
    "two_factor_enrol": lambda: {"token": "not-a-link"},
    "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "not-a-token"},
}


def _editors(*cities: str) -> dict[str, int]:
    """200 for the strategy office and the named cities' coordinators, 403 for other users."""
    rule = dict.fromkeys(USERS, 403)
    rule.update({ANONYMOUS: 302, DEACTIVATED: 302, "toimisto": 200})
    rule.update({f"koordinaattori-{city}": 200 for city in cities})
    return rule


# --- coordination: the strategy office edits all, a coordinator their city's entries ----------


def _coordination_kwargs():
    from coordination import demo
    from coordination.models import (
        AnnualClockEvent,
        CityCoordinator,
        Event,
        EventMaterial,
        ResultAdoption,
        VisitorGroup,
    )

    def group():
        return {"pk": VisitorGroup.objects.get(name=demo.DEMO_VISITOR_GROUP).pk}

    def event():
        return {"pk": Event.objects.get(title=demo.DEMO_EVENT).pk}

    def adoption():
        return {"pk": ResultAdoption.objects.get(result=demo.DEMO_RESULT, city__slug="oulu").pk}

    return {
        "coordination:result_edit": adoption,
        "coordination:coordinator_end": lambda: {
            "pk": CityCoordinator.objects.get(city__slug="tampere", until__isnull=True).pk
        },
        "coordination:city": lambda: {"slug": "oulu"},
        "coordination:clock_event_edit": lambda: {"pk": AnnualClockEvent.objects.first().pk},
        "coordination:visitor_group": group,
        "coordination:visitor_group_edit": group,
        "coordination:visitor_group_report": group,
        "coordination:event": event,
        "coordination:event_edit": event,
        "coordination:event_material_add": event,
        "coordination:event_material_download": lambda: {
            "pk": EventMaterial.objects.exclude(file="").get(event__title=demo.DEMO_EVENT).pk
        },
    }


_ALL_COORDINATORS = ("helsinki", "espoo", "vantaa", "tampere", "turku", "oulu")
EXPECTATIONS.update(
    {
        "coordination:coordinators": PUBLIC,
        "coordination:coordinator_assign": OFFICE,
        "coordination:coordinator_end": OFFICE,
        "coordination:seat_turn_add": OFFICE,
        "coordination:city": PUBLIC,
        "coordination:annual_clock": PUBLIC,
        "coordination:annual_clock_ics": PUBLIC,
        "coordination:clock_event_create": _editors(*_ALL_COORDINATORS),
        "coordination:clock_event_edit": OFFICE,  # a 6Aika-wide entry: the office's
        "coordination:visitor_groups": LOGIN,
        "coordination:visitor_group_create": _editors(*_ALL_COORDINATORS),
        "coordination:visitor_group": LOGIN,
        "coordination:visitor_group_edit": _editors("tampere", "helsinki"),
        "coordination:visitor_group_report": _editors("tampere", "helsinki"),
        "coordination:events": LOGIN,
        "coordination:event_create": _editors(*_ALL_COORDINATORS),
        "coordination:event": LOGIN,
        "coordination:event_edit": _editors("tampere"),
        "coordination:event_material_add": _editors("tampere"),
        "coordination:event_material_download": LOGIN,
        "coordination:results": LOGIN,
        "coordination:result_create": _editors(*_ALL_COORDINATORS),
        "coordination:result_edit": _editors("oulu"),
        "coordination:contacts": PUBLIC,
        "coordination:audit": OFFICE,  # who changed what: the strategy office only
    }
)
NOT_WALKED.update(
    {
        "coordination:clock_event_delete": "POST only; tests/coordination/test_views.py",
        "coordination:visitor_group_status": "POST only; tests/coordination/test_views.py",
        "coordination:event_material_delete": "POST only; tests/coordination/test_views.py",
        "coordination:result_delete": "POST only; tests/coordination/test_views.py",
    }
)
URL_KWARGS.update(_coordination_kwargs())


# --- governance meetings: the office manages, members and deputies of the body see, the chair
# records decisions; approved minutes and the decision register are public -------------------


def _meeting_rule(*allowed: str, allowed_status: int = 200) -> dict[str, int]:
    rule = dict.fromkeys(USERS, 403)
    rule.update({ANONYMOUS: 302, DEACTIVATED: 302})
    rule.update(dict.fromkeys(allowed, allowed_status))
    return rule


def _meeting_kwargs():
    def demo():
        from governance.demo import meetings_demo_load

        return meetings_demo_load()

    def past():
        return {"pk": demo().past.pk}

    def upcoming():
        return {"pk": demo().upcoming.pk}

    def upcoming_item():
        meeting = demo().upcoming
        return {"pk": meeting.pk, "item_pk": meeting.items.order_by("order").last().pk}

    def todays_funding_item():
        # the board's meeting in progress: the chair is there and chairs
        from governance.demo import DEMO_TODAY_FUNDING

        meeting = demo().today
        # title_fi: the demo writes the Finnish title, whatever language a walk has active
        return {"pk": meeting.pk, "item_pk": meeting.items.get(title_fi=DEMO_TODAY_FUNDING).pk}

    def todays_proposal():
        from governance.models import ConflictDeclaration

        kwargs = todays_funding_item()
        proposal = ConflictDeclaration.objects.get(
            agenda_item_id=kwargs["item_pk"], person__last_name="Ala-Mursula"
        )
        return {**kwargs, "conflict_pk": proposal.pk}

    return {
        "meetings:detail": past,
        "meetings:item_add": upcoming,
        "meetings:item_decision": upcoming_item,
        "meetings:conflict_declare": upcoming_item,
        "meetings:conflict_record": todays_funding_item,
        "meetings:conflict_resolve": todays_proposal,
        "meetings:attendance": upcoming,
        "meetings:pack_read": upcoming,
        "meetings:minutes_action": past,
        "meetings:agenda_pdf": upcoming,
        "meetings:minutes_pdf": past,
    }


_BOARD = ("johtoryhma-pj", "johtoryhma")
EXPECTATIONS.update(
    {
        "meetings:list": _meeting_rule("toimisto", *_BOARD, "ohjausryhma"),
        "meetings:next": _meeting_rule("toimisto", *_BOARD, "ohjausryhma"),
        "meetings:create": OFFICE,
        "meetings:detail": _meeting_rule("toimisto", *_BOARD),
        "meetings:item_add": OFFICE,
        "meetings:item_decision": _meeting_rule("johtoryhma-pj"),
        "meetings:conflict_declare": _meeting_rule(*_BOARD),
        # the item's chair and the office as secretary
        "meetings:conflict_record": _meeting_rule("toimisto", "johtoryhma-pj"),
        "meetings:conflict_resolve": _meeting_rule(
            "toimisto", "johtoryhma-pj", allowed_status=405
        ),  # POST only
        "meetings:attendance": _meeting_rule("toimisto", "johtoryhma-pj"),
        "meetings:pack_read": _meeting_rule(*_BOARD, allowed_status=405),  # POST only
        # POST only; each action then decides (the office, a checker, the chair)
        "meetings:minutes_action": _meeting_rule(
            "toimisto", *_BOARD, "johtoryhma-esteellinen", allowed_status=405
        ),
        "meetings:agenda_pdf": _meeting_rule("toimisto", *_BOARD),
        "meetings:minutes_pdf": PUBLIC,  # approved minutes
        "meetings:decisions": PUBLIC,
    }
)
URL_KWARGS.update(_meeting_kwargs())


# --- projects: the portfolio is public; status reports need a role; edits need the city ---------


def _projects_kwargs():
    from projects import demo
    from projects.models import Project, StatusReport

    def project():
        return {"pk": Project.objects.get(name_fi=demo.DEMO_OPEN_DATA).pk}

    def draft():
        report = StatusReport.objects.get(
            project__name_fi=demo.DEMO_OPEN_DATA, period__name=demo.DEMO_DRAFT_PERIOD
        )
        return {"pk": report.pk}

    return {
        "projects:detail": project,
        "projects:edit": project,
        "projects:work": project,
        "projects:report_detail": draft,
        "projects:report_edit": draft,
        "projects:report_history": draft,
    }


_report_editors = _editors("helsinki", "espoo", "vantaa")
_report_editors["toimisto"] = 403  # the office accepts and returns; it does not write reports
# A draft is its author's unfinished work: its editors and the strategy office read it; other
# cities' coordinators, the bodies and the funder only once it is submitted.
_draft_readers = _editors("helsinki", "espoo", "vantaa")
EXPECTATIONS.update(
    {
        "projects:list": PUBLIC,
        "projects:export": PUBLIC,
        "projects:detail": PUBLIC,
        "projects:create": OFFICE,
        "projects:edit": OFFICE,
        "projects:work": OFFICE,
        "projects:flagged": OFFICE,
        "projects:import": OFFICE,
        "projects:report_detail": _draft_readers,
        "projects:report_edit": _report_editors,
        "projects:report_history": _draft_readers,
        "projects:report_export": LOGIN,
        "projects:report_list": LOGIN,
    }
)
NOT_WALKED.update(
    {
        "projects:report_start": "POST only; tests/projects/test_reports.py",
        "projects:report_transition": "POST only; tests/projects/test_reports.py",
    }
)
URL_KWARGS.update(_projects_kwargs())


# --- sign-in through identity providers (sixaika.oidc; the flow itself: tests/oidc/) -----------
# The walk runs with no provider configured: a provider key then names nothing (404), and a
# callback without a started sign-in sends everybody back to the login page.
EXPECTATIONS.update(
    {
        "oidc_sign_in": dict.fromkeys(USERS, 404),
        "oidc_callback": REDIRECT,
    }
)
URL_KWARGS.update({"oidc_sign_in": lambda: {"provider": "kaupunki"}})


# --- open-data API (/api/v1/): public and read-only; its own tests are in tests/api/ ---------


def _api_kwargs():
    from governance.demo import meetings_demo_load
    from governance.models import Body, Organisation
    from governance.permissions import decisions_public
    from projects import demo
    from projects.models import Project

    def theme():
        return {"slug": Project.objects.exclude(theme=None).first().theme.slug}

    def decision():
        meetings_demo_load()  # its past meeting's minutes are approved: public decisions
        return {"pk": decisions_public().order_by("pk").first().pk}

    return {
        "api:project-detail": lambda: {"pk": Project.objects.get(name_fi=demo.DEMO_OPEN_DATA).pk},
        "api:organisation-detail": lambda: {"pk": Organisation.objects.order_by("pk").first().pk},
        "api:body-detail": lambda: {"pk": Body.objects.get(kind=Body.Kind.BOARD).pk},
        "api:decision-detail": decision,
        "api:download": lambda: {"dataset": "projects", "fmt": "csv"},
        "api:city-detail": lambda: {"slug": "tampere"},
        "api:programme-detail": lambda: {"slug": Project.objects.first().programme.slug},
        "api:theme-detail": theme,
    }


EXPECTATIONS.update(
    dict.fromkeys(
        [
            "api:root",
            "api:schema",
            "api:docs",
            "api:download",
            "api:project-list",
            "api:project-detail",
            "api:organisation-list",
            "api:organisation-detail",
            "api:body-list",
            "api:body-detail",
            "api:decision-list",
            "api:decision-detail",
            "api:city-list",
            "api:city-detail",
            "api:programme-list",
            "api:programme-detail",
            "api:theme-list",
            "api:theme-detail",
        ],
        PUBLIC,
    )
)
URL_KWARGS.update(_api_kwargs())


# --- calls: calls are public once open; applications, scores and summaries for the strategy
# office, the steering group and the board; scoring for steering group members ---------------


def _calls_kwargs():
    from calls import demo as calls_demo
    from calls.models import Application, ApplicationAttachment, Call

    def past_call():
        return {"pk": Call.objects.get(name=calls_demo.DEMO_PAST_CALL).pk}

    def open_call():
        return {"pk": Call.objects.get(name=calls_demo.DEMO_OPEN_CALL).pk}

    def application():
        return {"pk": Application.objects.get(title=calls_demo.DEMO_APPROVED).pk}

    def idea():  # the steering group demo user's organisation does not apply
        return {"pk": Application.objects.get(title=calls_demo.DEMO_IDEA).pk}

    def attachment():
        return {
            "pk": ApplicationAttachment.objects.filter(application__title=calls_demo.DEMO_APPROVED)
            .first()
            .pk
        }

    return {
        "calls:detail": past_call,
        "calls:summary": past_call,
        "calls:application_add": open_call,
        "calls:application_import": open_call,
        "calls:application": application,
        "calls:score": idea,
        "calls:conflict": idea,
        "calls:attachment_add": application,
        "calls:agenda_item": application,
        "calls:attachment": attachment,
    }


def _calls_rule(*allowed: str) -> dict[str, int]:
    """200 for the named users, 403 for other users, login for anonymous and deactivated."""
    rule = dict.fromkeys(USERS, 403)
    rule.update({ANONYMOUS: 302, DEACTIVATED: 302})
    rule.update(dict.fromkeys(allowed, 200))
    return rule


_APPLICATION_READERS = _calls_rule("toimisto", "johtoryhma-pj", "johtoryhma", "ohjausryhma")
EXPECTATIONS.update(
    {
        "calls:list": PUBLIC,
        "calls:detail": PUBLIC,
        "calls:create": OFFICE,
        "calls:summary": _APPLICATION_READERS,
        "calls:application_add": OFFICE,
        "calls:application_import": OFFICE,
        "calls:application": _APPLICATION_READERS,
        "calls:score": _calls_rule("ohjausryhma"),
        "calls:conflict": _calls_rule("ohjausryhma"),
        "calls:attachment_add": OFFICE,
        "calls:agenda_item": OFFICE,
        "calls:attachment": _APPLICATION_READERS,
    }
)
NOT_WALKED["calls:fund"] = "POST only; tests/calls/test_views.py"
URL_KWARGS.update(_calls_kwargs())


def _walk(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin" or entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(_walk(entry, ns))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


def portal_url_names() -> list[str]:
    return sorted(set(_walk(get_resolver())))


def test_every_url_is_declared():
    undeclared = [n for n in portal_url_names() if n not in EXPECTATIONS and n not in NOT_WALKED]
    assert not undeclared, f"Declare access expectations in tests/test_access.py for: {undeclared}"


def _declare_conflict(user) -> None:
    """The account's person steps aside for the upcoming meeting's last item (the one walked)."""
    from governance.demo import meetings_demo_load
    from governance.models import ConflictDeclaration
    from governance.services import conflict_declare

    item = meetings_demo_load().upcoming.items.order_by("order").last()
    conflict_declare(
        item=item,
        person=user.person,
        reason="Osakas hakijayhteisössä.",
        stage=ConflictDeclaration.Stage.BEFORE_MEETING,
        by=user,
    )
    assert ConflictDeclaration.objects.filter(
        agenda_item=item, person=user.person, confirmed=True
    ).exists()


def _client_for(user_key: str, demo_users, headers: dict[str, str] | None = None) -> Client:
    client = Client(headers=headers or {})
    if user_key == ANONYMOUS:
        return client
    if user_key == CONFLICTED:
        user = demo_users[CONFLICTED_ACCOUNT]
        _declare_conflict(user)
        client.force_login(user)
        return client
    if user_key == DEACTIVATED:
        user = get_user_model().objects.create_user("deactivated", password="x-unused-9876")
        user.groups.set(demo_users["toimisto"].groups.all())
        user.is_active = False
        user.save()
        client.force_login(user)  # a session made before deactivation must not work
        return client
    client.force_login(demo_users[user_key])
    return client


def _expected(rule: str | dict[str, int], user_key: str) -> int:
    if user_key == CONFLICTED:
        user_key = CONFLICTED_ACCOUNT
    if isinstance(rule, dict):
        return rule[user_key]
    if rule == PUBLIC:
        return 200
    if rule == REDIRECT:
        return 302
    if user_key in (ANONYMOUS, DEACTIVATED):
        return 302
    if rule == LOGIN:
        return 200
    if rule == OFFICE:
        return 200 if user_key == "toimisto" else 403
    raise AssertionError(rule)


def _walk_all(client: Client, user_key: str, names) -> list[str]:
    failures = []
    for name in names:
        rule = EXPECTATIONS[name]
        kwargs = URL_KWARGS[name]() if name in URL_KWARGS else {}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        expected = _expected(rule, user_key)
        if response.status_code != expected:
            failures.append(f"{url} ({name}): got {response.status_code}, expected {expected}")
        elif expected == 302 and rule != REDIRECT:
            assert response["Location"].startswith(reverse("login")), url
        elif _is_whole_page(response) and PRIVACY_LINK not in response.content:
            failures.append(f"{url} ({name}): no link to the privacy notice in the footer")
    return failures


# Every page links the privacy notice (issue 18), the 403 and 404 pages included.
PRIVACY_LINK = b'href="/privacy/"'


def _is_whole_page(response) -> bool:
    return "text/html" in response.get("Content-Type", "") and b"</footer>" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", WALKERS)
def test_every_url_answers_as_declared(user_key, demo_users):
    client = _client_for(user_key, demo_users)
    failures = _walk_all(client, user_key, EXPECTATIONS)
    assert not failures, "\n".join(failures)


# Views that answer an HTMX request (``HX-Request: true``) with a partial template. A partial
# must make the same access decision as the full page: the walk repeats them with the header.
HTMX_PARTIALS = [
    "projects:list",
    "meetings:item_decision",
    "calls:score",
    "reports:detail",
    "reports:status",
]


def _views(resolver: URLResolver, namespace: str = "") -> list[tuple[str, Callable]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin" or entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_views(entry, ns))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry.callback))
    return found


def test_every_htmx_view_is_walked_with_the_header():
    """A view that looks at the HX-Request header must be listed in HTMX_PARTIALS."""
    import inspect

    missing = []
    for name, callback in _views(get_resolver()):
        try:
            source = inspect.getsource(inspect.unwrap(callback))
        except (OSError, TypeError):  # class-based or built-in views of libraries
            continue
        if ("htmx" in source or "HX-Request" in source) and name not in HTMX_PARTIALS:
            missing.append(name)
    assert not missing, f"Add to HTMX_PARTIALS in tests/test_access.py: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", WALKERS)
def test_htmx_partials_answer_as_declared(user_key, demo_users):
    client = _client_for(user_key, demo_users, headers={"HX-Request": "true"})
    failures = _walk_all(client, user_key, HTMX_PARTIALS)
    assert not failures, "\n".join(failures)


# --- monitoring reports (reports/views.py): board reports for the board, steering
# group and strategy office; a city report also for that city's coordinator; a project fact
# sheet is public like the project's page -------------------------------------------------------


def _report_kwargs(kind: str):
    def make() -> dict[str, object]:
        import datetime as dt

        from django.core.files.base import ContentFile
        from django.utils import timezone

        from governance.models import City
        from projects.models import Project
        from reports.models import Report

        subject: dict[str, object] = {}
        if kind == "city":
            subject = {"city": City.objects.get(slug="oulu")}
        elif kind == "project":
            subject = {"project": Project.objects.order_by("pk").first()}
        report = Report(
            kind=kind,
            as_of=dt.date(2026, 3, 15),
            dedupe_key=kind,
            requested_by=get_user_model().objects.get(username="toimisto"),
            requested_at=timezone.now(),
            status=Report.Status.DONE,
            **subject,
        )
        report.file.save(f"access-{kind}.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        report.save()
        return {"pk": report.pk}

    return make


def _reports_rule(*allowed: str) -> dict[str, int]:
    rule = dict.fromkeys(USERS, 403)
    rule.update({ANONYMOUS: 302, DEACTIVATED: 302})
    rule.update(dict.fromkeys(allowed, 200))
    return rule


_REPORTS_BOARD = ("toimisto", "johtoryhma-pj", "johtoryhma", "ohjausryhma")
EXPECTATIONS.update(
    {
        "reports:list": LOGIN,
        "reports:detail": _reports_rule(*_REPORTS_BOARD, "koordinaattori-oulu"),  # Oulu's
        "reports:status": _reports_rule(*_REPORTS_BOARD),  # a board report
        "reports:download": PUBLIC,  # a project fact sheet: public like the project's page
    }
)
URL_KWARGS.update(
    {
        "reports:detail": _report_kwargs("city"),
        "reports:status": _report_kwargs("board"),
        "reports:download": _report_kwargs("project"),
    }
)
EXPECTATIONS.update(
    {
        "reports:exports": OFFICE,
        "reports:export_download": OFFICE,
        "reports:organisations_import": OFFICE,
    }
)
URL_KWARGS["reports:export_download"] = lambda: {"what": "decisions", "fmt": "csv"}


# --- the admin: the strategy office's (staff) tool; every other account is sent to the admin's
# login, whatever it asks for; the office itself cannot manage accounts and groups ------------

PORTAL_APPS = {"governance", "projects", "calls", "coordination", "reports"}


def _admin_urls() -> list[tuple[str, str, str]]:
    """(url, app label, page) for the admin index and every registered model's list and add
    pages, and the change page of one object per portal model that has one."""
    from django.contrib import admin

    urls = [(reverse("admin:index"), "", "index")]
    for model in admin.site._registry:
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls.append((reverse(f"{prefix}_changelist"), meta.app_label, "changelist"))
        urls.append((reverse(f"{prefix}_add"), meta.app_label, "add"))
        if meta.app_label in PORTAL_APPS:
            obj = model._default_manager.order_by("pk").first()
            if obj is not None:
                urls.append((reverse(f"{prefix}_change", args=[obj.pk]), meta.app_label, "change"))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", WALKERS)
def test_admin_is_refused_to_everyone_but_the_office(user_key, demo_users):
    from projects import demo
    from projects.models import StatusReport

    _meeting_kwargs()["meetings:detail"]()  # the demo meetings, decisions and minutes too
    client = _client_for(user_key, demo_users)
    urls = _admin_urls()
    draft = StatusReport.objects.get(
        project__name_fi=demo.DEMO_OPEN_DATA, period__name=demo.DEMO_DRAFT_PERIOD
    )
    urls.append(
        (reverse("admin:projects_statusreport_change", args=[draft.pk]), "projects", "change")
    )
    assert len(urls) > 60
    failures = []
    for url, app_label, page in urls:
        response = client.get(url)
        if user_key == "toimisto":
            # The office runs the portal's apps; accounts and groups (superusers') are not its.
            if app_label in PORTAL_APPS and page != "add" or page == "index":
                expected = {200}
            elif app_label == "auth":
                expected = {403}
            else:
                expected = {200, 403}  # made only through the portal, or the office's to see
            if response.status_code not in expected:
                failures.append(f"{url}: got {response.status_code}, expected {expected}")
        elif response.status_code != 302 or not response["Location"].startswith(
            reverse("admin:login")
        ):
            failures.append(f"{url}: got {response.status_code}, expected the admin login")
    assert not failures, "\n".join(failures)


# --- the menu and the views agree: a link is shown exactly when following it is allowed --------
# The navigation and the templates ask ``can`` (sixaika/context_processors.py), whose answers are
# the permission functions the views call. For every role, and for accounts whose access does
# not follow from a role (a deputy with a board seat but no board role, an account with no role,
# a superuser without the office's role), each link a page shows must answer 200, and each link
# of the page's list that it hides must answer 403 or send the visitor to log in.

DEPUTY = "varajasen-ilman-roolia"  # personal deputy in a board seat, no portal role
NO_ROLE = "ei-roolia"  # a logged-in account with no role, seat or grant
SUPERUSER = "paakayttaja"  # a superuser who is not in the strategy office's group
MENU_USERS = [*USERS, DEPUTY, NO_ROLE, SUPERUSER]


def _menu_pages():
    """page URL name -> (kwargs, where its links are, the links it may show). A link listed as
    ``False`` is not an access boundary (a filter of a list the user may see anyway): when shown it
    must answer 200, when hidden it is not followed."""
    from projects import demo
    from projects.models import Project

    def project():
        return {"pk": Project.objects.get(name_fi=demo.DEMO_OPEN_DATA).pk}

    def menu():
        names = (
            "governance:bodies",
            "meetings:decisions",
            "meetings:list",
            "projects:list",
            "calls:list",
            "coordination:coordinators",
            "coordination:annual_clock",
            "coordination:contacts",
            "coordination:visitor_groups",
            "coordination:events",
            "coordination:results",
            "reports:list",
            "coordination:audit",
            "admin:index",
        )
        return {reverse(name): True for name in names}

    def project_actions():
        return {
            reverse("projects:report_list"): True,
            # "Reports awaiting review": shown to the office that reviews them; the same list
            # filtered for every other reader of it.
            f"{reverse('projects:report_list')}?state=submitted": False,
            reverse("projects:create"): True,
            reverse("projects:import"): True,
            reverse("projects:flagged"): True,
        }

    def project_audit():
        pk = project()["pk"]
        return {
            f"{reverse('coordination:audit')}?kind=project&object={pk}": True,
            reverse("projects:edit", args=[pk]): True,
            reverse("projects:work", args=[pk]): True,
        }

    return {
        "home": (dict, ('<nav class="site-nav"', "</nav>"), menu),
        "projects:list": (dict, ("<h1>", '<form method="get"'), project_actions),
        "projects:detail": (project, ("<h1>", 'aria-labelledby="facts"'), project_audit),
    }


def _menu_client(user_key: str, demo_users) -> Client:
    from governance.models import Body, Seat

    User = get_user_model()
    if user_key == DEPUTY:
        seat = Seat.objects.filter(
            body__kind=Body.Kind.BOARD, deputy__isnull=False, deputy__user__isnull=True
        ).first()
        user = User.objects.create_user(DEPUTY, password="x-unused-9876")
        seat.deputy.user = user
        seat.deputy.save()
        assert not user.groups.exists()
    elif user_key == NO_ROLE:
        user = User.objects.create_user(NO_ROLE, password="x-unused-9876")
    elif user_key == SUPERUSER:
        user = User.objects.create_superuser(SUPERUSER, password="x-unused-9876")
    else:
        return _client_for(user_key, demo_users)
    client = Client()
    client.force_login(user)
    return client


def _shown_links(html: str, region: tuple[str, str]) -> set[str]:
    import html as html_module
    import re

    start = html.find(region[0])
    if start < 0:
        return set()
    part = html[start : html.index(region[1], start)]
    return {html_module.unescape(href) for href in re.findall(r'href="([^"]+)"', part)}


def _refused(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].startswith(
        (reverse("login"), reverse("admin:login"))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", MENU_USERS)
def test_menu_and_views_agree(user_key, demo_users):
    client = _menu_client(user_key, demo_users)
    failures = []
    shown_anywhere = 0
    for name, (kwargs, region, candidates) in _menu_pages().items():
        page = client.get(reverse(name, kwargs=kwargs()))
        assert page.status_code == 200, name
        shown = _shown_links(page.content.decode(), region)
        listed = candidates()
        for link in sorted(shown | listed.keys()):
            if link.startswith(reverse("login")):  # the "Log in" link itself
                continue
            if link not in listed:
                failures.append(f"{name} shows {link}, which is not in this test's list")
                continue
            if link not in shown and not listed[link]:
                continue
            answer = client.get(link)
            if link in shown:
                shown_anywhere += 1
                if answer.status_code != 200:
                    failures.append(f"{name} shows {link}, which answers {answer.status_code}")
            elif not _refused(answer):
                failures.append(f"{name} hides {link}, which answers {answer.status_code}")
    assert shown_anywhere >= 7  # the public menu at least: the test looks in the right places
    assert not failures, "\n".join(failures)
    # The cases where role names and the views used to disagree, answered as the views answer.
    menu = _shown_links(
        client.get(reverse("home")).content.decode(), ('<nav class="site-nav"', "</nav>")
    )
    for name, shown in MENU_CASES.get(user_key, {}).items():
        assert (reverse(name) in menu) is shown, (user_key, name)


MENU_CASES: dict[str, dict[str, bool]] = {
    DEPUTY: {"meetings:list": True, "reports:list": False, "coordination:audit": False},
    NO_ROLE: {"meetings:list": False, "reports:list": False, "coordination:visitor_groups": True},
    SUPERUSER: {"coordination:audit": True, "admin:index": True},
    "ohjausryhma": {"meetings:list": True, "reports:list": True, "coordination:audit": False},
    "koordinaattori-oulu": {"meetings:list": False, "reports:list": True},
}
