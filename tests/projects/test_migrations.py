"""projects/migrations/0008: a status report's transitions, kept until then in their own table,
become rows of core.Transition with every field, and the report's history reads them."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.test_migrations_house import empty_database  # noqa: F401  (a database of its own)

BEFORE = [("projects", "0007_calls_moved_to_calls_app")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor


@pytest.mark.django_db(transaction=True)
def test_status_report_transitions_move_into_core_transition(empty_database):  # noqa: F811
    from core.models import Transition
    from projects.models import StatusReport

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    at = timezone.now() - dt.timedelta(days=3)
    try:
        others = [node for node in latest if node[0] != "projects"]
        old = _migrate([*BEFORE, *others])
        apps = old.loader.project_state([*BEFORE, *others]).apps
        User = apps.get_model("auth", "User")
        Programme = apps.get_model("projects", "Programme")
        Project = apps.get_model("projects", "Project")
        Period = apps.get_model("projects", "ReportingPeriod")
        Report = apps.get_model("projects", "StatusReport")
        Old = apps.get_model("projects", "StatusReportTransition")
        coordinator = User.objects.create(username="siirto-koordinaattori")
        office = User.objects.create(username="siirto-toimisto")
        project = Project.objects.create(
            name="Siirtohanke", programme=Programme.objects.create(slug="siirto", name="Siirto")
        )
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
            Old.objects.filter(pk=row.pk).update(at=at)
        keys = {"report": report.pk, "coordinator": coordinator.pk, "office": office.pk}
    finally:
        _migrate(latest)

    moved = StatusReport.objects.get(pk=keys["report"]).transitions.all()
    assert [
        (t.workflow, t.name, t.from_state, t.to_state, t.by_id, t.comment, t.at) for t in moved
    ] == [
        ("projects.status_report", "submit", "draft", "submitted", keys["coordinator"], "", at),
        (
            "projects.status_report",
            "return",
            "submitted",
            "returned",
            keys["office"],
            "Tarkista kustannukset.",
            at,
        ),
    ]
    assert Transition.objects.count() == 2
