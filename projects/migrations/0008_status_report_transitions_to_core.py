"""A status report's transitions move into the one record of state changes, ``core.Transition``
(core.transitions): every row is copied with its report, states, user, time and comment, then
the old table goes."""

from django.db import migrations

# The move's name in the workflow (projects.services.STATUS_REPORTS), by the state it reached.
NAMES = {"submitted": "submit", "resubmitted": "resubmit", "accepted": "accept", "returned": "return"}


def forwards(apps, schema_editor):
    Old = apps.get_model("projects", "StatusReportTransition")
    if not Old.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Transition = apps.get_model("core", "Transition")
    kind, _created = ContentType.objects.get_or_create(app_label="projects", model="statusreport")
    rows = Old.objects.order_by("pk").values_list(
        "report_id", "from_state", "to_state", "by_id", "at", "comment"
    )
    Transition.objects.bulk_create(
        (
            Transition(
                content_type=kind,
                object_id=report_id,
                workflow="projects.status_report",
                name=NAMES.get(to_state, to_state),
                from_state=from_state,
                to_state=to_state,
                by_id=by_id,
                at=at,
                comment=comment,
            )
            for report_id, from_state, to_state, by_id, at, comment in rows.iterator()
        ),
        batch_size=2000,
    )


def backwards(apps, schema_editor):
    Transition = apps.get_model("core", "Transition")
    Old = apps.get_model("projects", "StatusReportTransition")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="projects", model="statusreport").first()
    if kind is None:
        return
    moved = Transition.objects.filter(content_type=kind).order_by("at", "pk")
    for t in moved.iterator():
        row = Old.objects.create(
            report_id=t.object_id,
            from_state=t.from_state,
            to_state=t.to_state,
            by_id=t.by_id,
            comment=t.comment,
        )
        Old.objects.filter(pk=row.pk).update(at=t.at)  # auto_now_add set it to now
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_transition"),
        ("projects", "0007_calls_moved_to_calls_app"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="StatusReportTransition"),
    ]
