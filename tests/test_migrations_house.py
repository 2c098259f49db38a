"""The moves of issue 15 move no row: a database migrated before calls/ and reports/ existed keeps
every call, application, evaluation and monitoring report, readable through the new apps, and
the content types (which permissions, guardian's object permissions and admin log entries point
at) name the new apps.

The test databases of the suite are made from the models directly (``TEST["MIGRATE"] = False``
in ``sixaika.settings.test``: seconds instead of half a minute of migrations per test process).
The migrations are proved here instead, on a database of their own, made empty: migrated to the
heads before the move, rows written with the models as they were then, migrated to the latest
state, the rows read back; and the schema the migrations make must be the schema the suite runs
on, column by column, constraint by constraint, index by index.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The migrations each app had on main before the move.
OLD_HEADS = [
    ("projects", "0006_long_text_limit"),
    ("coordination", "0005_long_text_limit"),
]


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


@pytest.mark.django_db(transaction=True)
def test_the_moves_keep_every_row_and_point_content_types_at_the_new_apps(empty_database):
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

    latest = _latest()
    # the old heads, with the other apps (auth, guardian, admin...) at their latest
    moved = {"projects", "coordination", "calls", "reports"}
    others = [node for node in latest if node[0] not in moved]
    try:
        old = _migrate([*OLD_HEADS, *others])
        old_apps = old.loader.project_state([*OLD_HEADS, *others]).apps
        assert not any(app in ("calls", "reports") for app, _ in old.loader.applied_migrations)
        keys = _old_rows(old_apps)
        counts_before = {
            name: old_apps.get_model(app, name).objects.count()
            for app, name in [
                ("projects", "Call"),
                ("projects", "Criterion"),
                ("projects", "Application"),
                ("projects", "HistoricalApplication"),
                ("projects", "Evaluation"),
                ("projects", "CriterionScore"),
                ("projects", "EvaluationConflict"),
                ("coordination", "Report"),
            ]
        }
    finally:
        _migrate(latest)

    # every row is there, read through the models in their new apps
    assert {
        "Call": Call.objects.count(),
        "Criterion": Criterion.objects.count(),
        "Application": Application.objects.count(),
        "HistoricalApplication": Application.history.count(),
        "Evaluation": Evaluation.objects.count(),
        "CriterionScore": CriterionScore.objects.count(),
        "EvaluationConflict": EvaluationConflict.objects.count(),
        "Report": Report.objects.count(),
    } == counts_before
    assert counts_before["Call"] >= 1 and counts_before["Report"] >= 1

    call = Call.objects.get(pk=keys["call"])
    assert call.name == "Siirtohaku" and call.money_available == Decimal("100000")
    application = Application.objects.get(pk=keys["application"])
    assert application.call == call
    assert [c.slug for c in application.cities.all()] == ["siirtola"]
    assert application.evaluations.get().scores.get().score == 4
    assert application.history.get().title == "Ensimmäinen hakemus"
    assert Report.objects.get(dedupe_key="x" * 64).get_kind_display()

    # the content types name the new apps, and what pointed at them still does
    call_type = ContentType.objects.get_for_model(Call)
    assert (call_type.app_label, call_type.model) == ("calls", "call")
    assert ContentType.objects.get_for_model(Report).app_label == "reports"
    assert not ContentType.objects.filter(app_label="projects", model="call").exists()
    assert not ContentType.objects.filter(app_label="coordination", model="report").exists()
    grant = UserObjectPermission.objects.get(user_id=keys["user"])
    assert grant.content_type == call_type and grant.permission.content_type == call_type
    assert "change_call" in get_perms(grant.user, call)
    entry = LogEntry.objects.get(user_id=keys["user"])
    assert entry.get_edited_object() == call

    # the migrations make exactly the schema the rest of the suite runs on (made from the models)
    made_by_migrations = _schema()
    for kind, expected in empty_database.items():
        missing = sorted(expected - made_by_migrations[kind])
        extra = sorted(made_by_migrations[kind] - expected)
        assert not missing and not extra, (
            f"{kind}: the models have {missing[:10]}, the migrations make {extra[:10]} instead"
        )
