"""One journey through every migration, shared by the tests of the data moves.

The test databases of the suite are made from the models directly (``TEST["MIGRATE"] = False``
in ``sixaika.settings.test``: seconds instead of half a minute of migrations per test process).
The migrations are proved here instead, on a database of their own, made empty: migrated to the
heads before the house moved (issue 15), rows written with the models as they were then, migrated
to the latest state; what the later migrations did to those rows is read back, and the schema
the migrations make is compared with the schema the suite runs on, column by column, constraint
by constraint, index by index.

Running every migration costs half a minute of CPU, so the journey is made once per test run
(``tests/once.py``) and what it saw is handed, as plain data, to each test that checks a move:
``tests/test_migrations_house.py`` (calls/ and reports/ moved out of projects/ and coordination/),
``tests/projects/test_migrations.py`` (a status report's transitions into core.Transition).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests import once

# The migrations each app had on main before the move.
OLD_HEADS = [
    ("projects", "0006_long_text_limit"),
    ("coordination", "0005_long_text_limit"),
]
# When the status reports' transitions are written, a few days before the journey.
TRANSITIONS_AT = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    ContentType.objects.clear_cache()
    return executor


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _schema() -> dict[str, set[tuple[str, ...]]]:
    """The public schema of the connected database, without the names PostgreSQL or Django
    chose for constraints and indexes (a renamed field keeps its old index name)."""
    queries = {
        "columns": """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                   coalesce(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped""",
        "constraints": """
            SELECT c.relname, k.contype::text, pg_get_constraintdef(k.oid),
                   k.condeferrable::text, k.condeferred::text
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'""",
        "indexes": "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    }
    schema = {}
    with connection.cursor() as cursor:
        for kind, sql in queries.items():
            cursor.execute(sql)
            rows = cursor.fetchall()
            if kind == "indexes":
                rows = [(t, re.sub(r"INDEX \S+ ON", "INDEX ON", d)) for t, d in rows]
            schema[kind] = {row for row in rows if not _django_own(row)}
    return schema


# Django makes these two ways of its own, whatever the project does: the migrations' bookkeeping
# table (only ``migrate`` makes it), and the id of contrib.auth's many-to-many tables (``bigint``
# from auth's migrations, ``integer`` from its models, since Django 3.2).
AUTH_THROUGH = {"auth_group_permissions", "auth_user_groups", "auth_user_user_permissions"}


def _django_own(row: tuple[str, ...]) -> bool:
    return row[0] == "django_migrations" or (row[0] in AUTH_THROUGH and row[1] == "id")


@pytest.fixture
def empty_database(django_db_blocker):
    """Point the connection at a new, empty database for the test; afterwards back at this
    process's test database (whose schema is handed to the test) and drop the new one."""
    with django_db_blocker.unblock():
        ours = connection.settings_dict["NAME"]
        schema_of_the_suite = _schema()
        fresh = f"{ours}_migrations"
        quoted = connection.ops.quote_name(fresh)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
        connection.close()
        connection.settings_dict["NAME"] = fresh
        try:
            yield schema_of_the_suite
        finally:
            connection.close()
            connection.settings_dict["NAME"] = ours
            ContentType.objects.clear_cache()
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


def _old_rows(apps) -> dict[str, int]:
    """A call, two applications (one with a history row), an evaluation with a score, a
    conflict, a monitoring report, and a guardian object permission and an admin log entry on
    the call, written with the models as they were at the old heads."""
    User = apps.get_model("auth", "User")
    ContentTypeOld = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    LogEntry = apps.get_model("admin", "LogEntry")
    City = apps.get_model("governance", "City")
    Organisation = apps.get_model("governance", "Organisation")
    Person = apps.get_model("governance", "Person")
    Programme = apps.get_model("projects", "Programme")
    Call = apps.get_model("projects", "Call")
    Criterion = apps.get_model("projects", "Criterion")
    Application = apps.get_model("projects", "Application")
    HistoricalApplication = apps.get_model("projects", "HistoricalApplication")
    Evaluation = apps.get_model("projects", "Evaluation")
    CriterionScore = apps.get_model("projects", "CriterionScore")
    EvaluationConflict = apps.get_model("projects", "EvaluationConflict")
    Report = apps.get_model("coordination", "Report")

    user = User.objects.create(username="siirto-toimisto")
    city = City.objects.create(slug="siirtola", name="Siirtola", name_fi="Siirtola")
    funder = Organisation.objects.create(name="Siirtorahoittaja", city=city)
    applicant = Organisation.objects.create(name="Siirtohakija", city=city)
    person = Person.objects.create(first_name="Sini", last_name="Siirto")
    programme = Programme.objects.create(slug="siirto", name="Siirto", name_fi="Siirto")
    call = Call.objects.create(
        name="Siirtohaku",
        programme=programme,
        instrument="EAKR",
        funder=funder,
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 2, 1),
        money_available=Decimal("100000"),
    )
    criterion = Criterion.objects.create(call=call, order=1, name="Vaikuttavuus", weight=1)
    applications = [
        Application.objects.create(
            call=call,
            title=title,
            applicant=applicant,
            summary="Tiivistelmä",
            budget=Decimal("50000"),
            requested=Decimal("40000"),
        )
        for title in ("Ensimmäinen hakemus", "Toinen hakemus")
    ]
    applications[0].cities.add(city)
    HistoricalApplication.objects.create(
        id=applications[0].pk,
        call=call,
        stage="full",
        title=applications[0].title,
        applicant=applicant,
        summary="Tiivistelmä",
        budget=Decimal("50000"),
        requested=Decimal("40000"),
        registered_at=timezone.now(),
        history_date=timezone.now(),
        history_type="+",
    )
    evaluation = Evaluation.objects.create(
        application=applications[0], evaluator=person, submitted_at=timezone.now()
    )
    CriterionScore.objects.create(evaluation=evaluation, criterion=criterion, score=4)
    EvaluationConflict.objects.create(
        application=applications[1], person=person, reason="Hallituksen jäsen", stage="declared"
    )
    Report.objects.create(
        kind="board",
        as_of=dt.date(2026, 3, 1),
        dedupe_key="x" * 64,
        requested_by=user,
        requested_at=timezone.now(),
    )
    # The content types as the old code had them: guardian grants and the admin's log point here.
    call_type, _ = ContentTypeOld.objects.get_or_create(app_label="projects", model="call")
    change_call, _ = Permission.objects.get_or_create(
        content_type=call_type, codename="change_call", defaults={"name": "Can change call"}
    )
    UserObjectPermission.objects.create(
        user=user, permission=change_call, content_type=call_type, object_pk=str(call.pk)
    )
    LogEntry.objects.create(
        user=user,
        content_type=call_type,
        object_id=str(call.pk),
        object_repr=call.name,
        action_flag=2,
        change_message="[]",
        action_time=timezone.now(),
    )
    ContentTypeOld.objects.get_or_create(app_label="coordination", model="report")
    return {"call": call.pk, "application": applications[0].pk, "user": user.pk}


def _old_status_report_rows(apps, office_id: int, programme_id: int) -> dict[str, int]:
    """A returned status report with its two transitions in their own table (projects 0008
    moves them into core.Transition), written with the models as they were at the old heads."""
    User = apps.get_model("auth", "User")
    Project = apps.get_model("projects", "Project")
    Period = apps.get_model("projects", "ReportingPeriod")
    Report = apps.get_model("projects", "StatusReport")
    Old = apps.get_model("projects", "StatusReportTransition")
    coordinator = User.objects.create(username="siirto-koordinaattori")
    office = User.objects.get(pk=office_id)
    project = Project.objects.create(name="Siirtohanke", programme_id=programme_id)
    period = Period.objects.create(
        name="2020 H1",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 6, 30),
        due_date=dt.date(2020, 7, 31),
    )
    report = Report.objects.create(project=project, period=period, state="returned")
    for source, target, by, comment in (
        ("draft", "submitted", coordinator, ""),
        ("submitted", "returned", office, "Tarkista kustannukset."),
    ):
        row = Old.objects.create(
            report=report, from_state=source, to_state=target, by=by, comment=comment
        )
        Old.objects.filter(pk=row.pk).update(at=TRANSITIONS_AT)
    return {"report": report.pk, "coordinator": coordinator.pk, "office": office.pk}


OLD_COUNTED = [
    ("projects", "Call"),
    ("projects", "Criterion"),
    ("projects", "Application"),
    ("projects", "HistoricalApplication"),
    ("projects", "Evaluation"),
    ("projects", "CriterionScore"),
    ("projects", "EvaluationConflict"),
    ("coordination", "Report"),
]


def _seen_by_the_house(keys: dict[str, int]) -> dict:
    """The moved rows and content types, read through the models in their new apps."""
    from django.contrib.admin.models import LogEntry
    from guardian.models import UserObjectPermission
    from guardian.shortcuts import get_perms

    from calls.models import (
        Application,
        Call,
        Criterion,
        CriterionScore,
        Evaluation,
        EvaluationConflict,
    )
    from reports.models import Report

    call = Call.objects.get(pk=keys["call"])
    application = Application.objects.get(pk=keys["application"])
    call_type = ContentType.objects.get_for_model(Call)
    grant = UserObjectPermission.objects.get(user_id=keys["user"])
    entry = LogEntry.objects.get(user_id=keys["user"])
    return {
        "counts": {
            "Call": Call.objects.count(),
            "Criterion": Criterion.objects.count(),
            "Application": Application.objects.count(),
            "HistoricalApplication": Application.history.count(),
            "Evaluation": Evaluation.objects.count(),
            "CriterionScore": CriterionScore.objects.count(),
            "EvaluationConflict": EvaluationConflict.objects.count(),
            "Report": Report.objects.count(),
        },
        "call": [call.name, str(call.money_available)],
        "application_in_call": application.call == call,
        "application_cities": [c.slug for c in application.cities.all()],
        "score": application.evaluations.get().scores.get().score,
        "history_title": application.history.get().title,
        "report_kind": str(Report.objects.get(dedupe_key="x" * 64).get_kind_display()),
        "call_type": [call_type.app_label, call_type.model],
        "report_type": ContentType.objects.get_for_model(Report).app_label,
        "old_call_type": ContentType.objects.filter(app_label="projects", model="call").exists(),
        "old_report_type": ContentType.objects.filter(
            app_label="coordination", model="report"
        ).exists(),
        "grant_on_call_type": grant.content_type == call_type
        and grant.permission.content_type == call_type,
        "granted": sorted(get_perms(grant.user, call)),
        "log_entry_on_call": entry.get_edited_object() == call,
    }


def _seen_of_the_transitions(keys: dict[str, int]) -> dict:
    from core.models import Transition
    from projects.models import StatusReport

    moved = StatusReport.objects.get(pk=keys["report"]).transitions.all()
    return {
        "transitions": [
            [t.workflow, t.name, t.from_state, t.to_state, t.by_id, t.comment, t.at.isoformat()]
            for t in moved
        ],
        "all_transitions": Transition.objects.count(),
    }


def _schema_difference(of_the_suite: dict) -> dict[str, list]:
    """What the models have that the migrations did not make, and the other way round."""
    made_by_migrations = _schema()
    return {
        kind: [
            sorted(expected - made_by_migrations[kind]),
            sorted(made_by_migrations[kind] - expected),
        ]
        for kind, expected in of_the_suite.items()
    }


def _journey(of_the_suite: dict) -> dict:
    latest = _latest()
    # the old heads, with the other apps (auth, guardian, admin...) at their latest
    moved = {"projects", "coordination", "calls", "reports"}
    others = [node for node in latest if node[0] not in moved]
    try:
        old = _migrate([*OLD_HEADS, *others])
        old_apps = old.loader.project_state([*OLD_HEADS, *others]).apps
        new_apps_before = sorted(
            {app for app, _ in old.loader.applied_migrations if app in ("calls", "reports")}
        )
        keys = _old_rows(old_apps)
        counts_before = {
            name: old_apps.get_model(app, name).objects.count() for app, name in OLD_COUNTED
        }
        transition_keys = _old_status_report_rows(
            old_apps,
            keys["user"],
            old_apps.get_model("projects", "Call").objects.get().programme_id,
        )
    finally:
        _migrate(latest)
    return {
        "new_apps_before": new_apps_before,
        "counts_before": counts_before,
        "house": _seen_by_the_house(keys),
        "transition_keys": transition_keys,
        "transitions_at": TRANSITIONS_AT.isoformat(),
        "status_report": _seen_of_the_transitions(transition_keys),
        "schema": _schema_difference(of_the_suite),
    }


@pytest.fixture
def migrations_journey(request) -> dict:
    """What the journey through every migration saw (made by the first test of the run that
    asks, on an empty database of its own; JSON-shaped: lists for tuples, strings for times)."""

    def make() -> dict:
        of_the_suite = request.getfixturevalue("empty_database")
        return _journey(of_the_suite)

    return once.result("migrations-journey", make)
