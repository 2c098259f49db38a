"""The Django admin covers every model of the portal, for the strategy office.

- Every concrete model of the portal's apps is registered, but for the few named below.
- The demo ``toimisto`` opens every changelist, add page and a change page of the demo data;
  what a procedure writes is read-only there (no add page), account and sign-in security
  models are for superusers only.
- A changelist reads the related rows it shows with the list: no query per row.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PORTAL_APPS = [
    "governance",
    "projects",
    "calls",
    "coordination",
    "reports",
    "core",
    "sixaika",
    "sixaika_oidc",
    "open_data_api",
]

# Models of the portal's apps with no admin of their own, and why.
NOT_REGISTERED = {
    "governance.permissionchange": "the audit trail of rights: browsed at /audit/, never edited",
    "core.userlanguage": "each user's own choice, made with the language switch",
    # the many-to-many tables Django makes: edited with their model's form
    "projects.project_cities": "Project's form",
    "projects.project_target_groups": "Project's form",
    "calls.call_themes": "Call's form",
    "calls.application_co_applicants": "Application's page (read-only)",
    "calls.application_cities": "Application's page (read-only)",
    "coordination.visitorgroup_host_cities": "VisitorGroup's form",
    "coordination.visitorgroup_hosts": "VisitorGroup's form",
    "coordination.visitorgroup_projects": "VisitorGroup's form",
}

# User accounts, roles and sign-in security: superusers only, not the strategy office.
SUPERUSER_ONLY = {
    "auth.user",
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
}

# No add page: these records are written by the portal's procedures (services), which keep them
# consistent, or by sign-in; the admin lists and shows them.
NO_ADD = {
    "governance.decision": "recorded by the chair at the meeting, quorum checked",
    "governance.minutes": "drafted from the meeting's record on the meeting page",
    "governance.correction": "made on the meeting page; never edited",
    "governance.dissent": "recorded with the decision by whoever chairs the item",
    "governance.minuteschecker": "chosen and checked on the meeting page",
    "governance.enrolmentcode": "issued by the strategy office on /accounts/two-factor/codes/",
    "projects.implementer": "project edit page / import (cities, two-city rule)",
    "projects.grant": "project edit page / import (granted sum)",
    "projects.citycontribution": "project edit page / import",
    "projects.statusreportindicatorvalue": "part of a status report",
    "core.transition": "written by each workflow's one state change (core.transitions)",
    "calls.application": "registered on /calls/ (eligibility, cities)",
    "calls.applicationattachment": "added on the application's page (PDF checks)",
    "calls.evaluation": "a member's own scores",
    "calls.criterionscore": "a member's own scores",
    "calls.evaluationconflict": "proposed by the portal, declared by the member",
    "coordination.citycoordinator": "assigned on /coordinators/ (grants the city permission)",
    "reports.report": "asked for on /reports/, made by the job",
    "sixaika_oidc.externalidentity": "made at sign-in",
    "sixaika_oidc.externalrolegrant": "given by the provider at sign-in",
    "sixaika_oidc.inactivitynotice": "sent by the scheduled task",
    "axes.accessattempt": "written by django-axes",
    "axes.accesslog": "written by django-axes",
    "axes.accessfailurelog": "written by django-axes",
}

# A query that fetches one row by its key: what a list does per row when it did not select the
# related rows with the list (Django's lazy foreign key access).
ONE_ROW = re.compile(r'FROM "(?P<table>\w+)" WHERE "\w+"\."id" = (?P<pk>\d+) LIMIT 21')


def _is_history(model) -> bool:
    """django-simple-history's copies: shown as each record's History and at /audit/."""
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


def _label(model) -> str:
    return model._meta.label_lower


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_portal_apps_is_registered():
    models = [
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    ]
    unregistered = sorted(
        _label(m)
        for m in models
        if m not in admin.site._registry and _label(m) not in NOT_REGISTERED and not _is_history(m)
    )
    assert not unregistered, f"models without an admin: {unregistered}"
    stale = sorted(set(NOT_REGISTERED) - {_label(m) for m in models})
    assert not stale, f"NOT_REGISTERED names models that are gone: {stale}"
    registered_anyway = sorted(
        _label(m) for m in models if _label(m) in NOT_REGISTERED and m in admin.site._registry
    )
    assert not registered_anyway, registered_anyway


@pytest.fixture
def every_list_has_rows(demo_users):
    """The demo data, plus a row for each model it leaves empty, so that each changelist shows
    at least one row (a query per row only shows when there are rows)."""
    from coordination.models import AnnualClockEvent, Event
    from governance.models import (
        Attendance,
        City,
        Correction,
        Meeting,
        MeetingPackRead,
        Minutes,
        Person,
    )
    from projects.models import Project
    from reports.models import Report, parameters_key
    from sixaika.oidc.models import ExternalIdentity, ExternalRoleGrant, InactivityNotice

    office = demo_users["toimisto"]
    now = timezone.now()
    minutes = Minutes.objects.select_related("meeting").first()
    Correction.objects.create(
        minutes=minutes,
        agenda_item=minutes.meeting.items.first(),
        text="Pykälän 3 päätöksen euromäärä korjattu.",
        made_by=office,
        made_at=now,
    )
    MeetingPackRead.objects.create(
        meeting=Meeting.objects.first(), person=Person.objects.first(), read_at=now
    )
    for kind, subject in (
        (Report.Kind.CITY, {"city": City.objects.get(slug="oulu")}),
        (Report.Kind.PROJECT, {"project": Project.objects.first()}),
        (Report.Kind.MEETING_PACK, {"meeting": Meeting.objects.first()}),
    ):
        parameters = {"date": now.date().isoformat(), "language": "fi", "kind": kind}
        Report.objects.create(
            kind=kind,
            parameters=parameters,
            as_of=now.date(),
            dedupe_key=parameters_key(kind, parameters),
            requested_by=office,
            requested_at=now,
            **subject,
        )
    # the nullable links the lists show, filled in somewhere
    attendance = Attendance.objects.select_related("meeting").first()
    attendance.arrived_at_item = attendance.meeting.items.order_by("order").first()
    attendance.save()
    AnnualClockEvent.objects.filter(pk=AnnualClockEvent.objects.first().pk).update(
        city=City.objects.get(slug="tampere")
    )
    Event.objects.filter(pk=Event.objects.first().pk).update(project=Project.objects.first())
    from governance.models import EnrolmentCode

    EnrolmentCode.objects.create(
        user=demo_users["johtoryhma"],
        digest="0" * 64,
        issued_by=office,
        issued_at=now,
        expires_at=now + timedelta(hours=72),
    )
    user = demo_users["koordinaattori-oulu"]
    ExternalIdentity.objects.create(user=user, provider="oulu", subject="oulu-1")
    ExternalRoleGrant.objects.create(
        user=user, role="coordinator", city=City.objects.get(slug="oulu"), provider="oulu"
    )
    InactivityNotice.objects.create(
        user=user, kind=InactivityNotice.Kind.WARNED, reference=now - timedelta(days=400)
    )
    return demo_users


def _unseen_links(model, changelist) -> list[str]:
    """A list with no rows, or whose shown links are empty in every row, would hide a query
    per row: name them so that the data above can be completed."""
    if not changelist.result_count:
        return [f"{_label(model)} changelist: no rows to check"]
    unseen = []
    for name in changelist.list_display:
        field = next((f for f in model._meta.get_fields() if f.name == name), None)
        is_link = field is not None and field.concrete and (field.many_to_one or field.one_to_one)
        if is_link and not model._base_manager.filter(**{f"{name}__isnull": False}).exists():
            unseen.append(f"{_label(model)}.{name} is empty in every row: no check")
    return unseen


def _walk(client: Client, user) -> list[str]:
    """Open each registered model's changelist, add page and first change page; return what
    differs from the expectations above."""
    problems = []
    for model in admin.site._registry:
        label = _label(model)
        for_office = user.is_superuser or label not in SUPERUSER_ONLY
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(model, "changelist"))
        expected = 200 if for_office else 403
        if response.status_code != expected:
            problems.append(f"{label} changelist: {response.status_code}, expected {expected}")
            continue
        if not for_office:
            continue
        if model._meta.app_label in PORTAL_APPS:
            problems += _unseen_links(model, response.context["cl"])
        per_row = [
            q["sql"]
            for q in queries.captured_queries
            if (m := ONE_ROW.search(q["sql"]))
            and not (m["table"] == "auth_user" and m["pk"] == str(user.pk))
        ]
        if per_row:
            problems.append(f"{label} changelist reads rows one by one: {per_row[:2]}")
        response = client.get(_url(model, "add"))
        expected = 403 if label in NO_ADD else 200
        if response.status_code != expected:
            problems.append(f"{label} add page: {response.status_code}, expected {expected}")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            response = client.get(_url(model, "change", first.pk))
            if response.status_code != 200:
                problems.append(f"{label} change page: {response.status_code}")
    return problems


def test_the_strategy_office_opens_every_admin_page(every_list_has_rows):
    office = every_list_has_rows["toimisto"]
    client = Client()
    client.force_login(office, backend="django.contrib.auth.backends.ModelBackend")
    problems = _walk(client, office)
    assert not problems, "\n".join(problems)


def test_a_superuser_opens_every_admin_page(every_list_has_rows):
    root = get_user_model().objects.create_superuser("root", "root@6aika.example", "x" * 16)
    client = Client()
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    problems = _walk(client, root)
    assert not problems, "\n".join(problems)


def test_declared_exceptions_name_registered_models():
    registered = {_label(m) for m in admin.site._registry}
    assert set(NO_ADD) <= registered, set(NO_ADD) - registered
    assert registered >= SUPERUSER_ONLY, SUPERUSER_ONLY - registered


# --- what the new admins refuse ----------------------------------------------------------------


@pytest.fixture
def office_client(client_as):
    return client_as("toimisto")


def test_agenda_items_of_approved_minutes_stay_as_they_are(office_client):
    from governance.models import AgendaItem, Meeting

    locked = Meeting.objects.get(minutes__state="approved")
    item = locked.items.order_by("order").first()
    change = reverse("admin:governance_agendaitem_change", args=[item.pk])
    assert office_client.get(change).status_code == 200  # shown, read-only
    post = office_client.post(change, {"meeting": locked.pk, "order": item.order, "title_fi": "X"})
    assert post.status_code == 403
    assert AgendaItem.objects.get(pk=item.pk).title_fi == item.title_fi

    count = AgendaItem.objects.count()
    add = office_client.post(
        reverse("admin:governance_agendaitem_add"),
        {"meeting": locked.pk, "order": 99, "title_fi": "Myöhästynyt asia"},
    )
    assert add.status_code == 200  # the form again, with the error at the meeting
    assert "meeting" in add.context["adminform"].form.errors
    assert AgendaItem.objects.count() == count
    open_meeting = Meeting.objects.exclude(minutes__state="approved").first()
    choices = add.context["adminform"].form.fields["meeting"].queryset
    assert open_meeting in choices and locked not in choices


def test_grants_are_shown_but_not_changed_in_the_admin(office_client):
    from projects.models import Grant

    grant = Grant.objects.select_related("project").first()
    url = reverse("admin:projects_grant_change", args=[grant.pk])
    page = office_client.get(url)
    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    post = office_client.post(url, {"amount": "1", "instrument": grant.instrument})
    assert post.status_code == 403
    assert Grant.objects.get(pk=grant.pk).amount == grant.amount


def test_a_call_made_in_the_admin_needs_a_criterion_and_records_its_maker(office_client):
    from calls.models import Call
    from governance.models import Organisation
    from projects.models import Programme

    data = {
        "name": "Kokeiluhaku 2027",
        "programme": Programme.objects.get(kind="6aika").pk,
        "instrument": "EAKR",
        "funder": Organisation.objects.first().pk,
        "opens_on": "2027-01-10",
        "closes_on": "2027-02-28",
        "money_available": "500000",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    url = reverse("admin:calls_call_add")
    refused = office_client.post(url, data)
    assert refused.status_code == 200
    # the criteria's own error, shown above them
    assert refused.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not Call.objects.filter(name="Kokeiluhaku 2027").exists()
    data.update(
        {
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-order": "1",
            "criteria-0-name": "Vaikuttavuus",
            "criteria-0-weight": "1",
        }
    )
    assert office_client.post(url, data).status_code == 302
    call = Call.objects.get(name="Kokeiluhaku 2027")
    assert call.created_by.username == "toimisto"
    assert list(call.criteria.values_list("name", flat=True)) == ["Vaikuttavuus"]
