"""Monitoring reports (seurantaraportit) made as PDF by a Celery job, kept as frozen snapshots.

A ``Report`` row records what was asked (kind and parameters), who or what asked, when, how long
it took, and the finished PDF. The file is written once, when the job completes, and never
changes afterwards. Writes go through ``reports.services``. The table keeps the name it had in
the coordination app (``coordination_report``), so the move changed no row.
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import generated
from core.models import Transition
from governance.models import City, Meeting
from projects.models import Project


def report_upload_to(instance: "Report", filename: str) -> str:
    return f"reports/{instance.requested_at:%Y/%m}/{filename}"


def parameters_key(kind: str, parameters: dict[str, Any]) -> str:
    """The dedupe key: the same kind and parameters give the same key whatever the key order."""
    canonical = json.dumps({"kind": kind, **parameters}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# What the portal says of a report it could not send or finish (Report.error_code).
QUEUE_UNREACHABLE = generated.define(
    "reports.queue_unreachable",
    _(
        "The report service cannot be reached right now. Your request is kept, and the report "
        "is made as soon as the service is back."
    ),
)
JOB_STOPPED = generated.define(
    "reports.job_stopped", _("The job stopped without finishing; it was asked again.")
)


class Report(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("Board monitoring report")
        CITY = "city", _("City report")
        PROJECT = "project", _("Project fact sheet")
        MEETING_PACK = "meeting_pack", _("Meeting pack")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        FI = "fi", _("Finnish")
        SV = "sv", _("Swedish")
        EN = "en", _("English")

    # Statuses in which a second identical request joins the first instead of making another.
    PENDING = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parameters = models.JSONField(
        _("parameters"),
        default=dict,
        help_text=_("What was asked: date, city, project, meeting and language."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    as_of = models.DateField(_("report date"))
    # The subject, kept as keys too so that access can be decided and lists filtered in SQL.
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=64, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the schedule asked for the report."),
    )
    scheduled = models.BooleanField(_("made by the schedule"), default=False)
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    data_cutoff = models.DateTimeField(
        _("data as of"), null=True, blank=True, help_text=_("When the data was read.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    # an error the portal writes itself, as its code (core.generated): every reader gets it in
    # their language; ``error`` keeps the Finnish text (or a failed job's exception) for the record
    error_code = models.CharField(max_length=60, blank=True, editable=False)
    file = models.FileField(_("PDF file"), upload_to=report_upload_to, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    # Key figures and the charts (SVG) as they stood, shown on the report's page in the browser.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # Queued, running, done or failed: when, and for whom (core.transitions).
    transitions = GenericRelation(Transition)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_pending_per_key",
                violation_error_message=_("The same report is already being made."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="city") | Q(city__isnull=False), name="report_city_has_city"
            ),
            models.CheckConstraint(
                condition=~Q(kind="project") | Q(project__isnull=False),
                name="report_project_has_project",
            ),
            models.CheckConstraint(
                condition=~Q(kind="meeting_pack") | Q(meeting__isnull=False),
                name="report_pack_has_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="report_done_has_file"
            ),
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | Q(scheduled=True),
                name="report_has_requester",
            ),
        ]
        db_table = "coordination_report"
        # the name the index got in the coordination app (migrations/0001_initial.py)
        indexes = [models.Index(fields=["kind", "status"], name="coordinatio_kind_700fd4_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.as_of:%d.%m.%Y}"

    @property
    def error_text(self) -> str:
        """What went wrong, in the active language when the portal wrote it (``error_code``)."""
        return generated.render(self.error_code, {}, fallback=self.error)

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def duration(self):
        """How long making the PDF took (``None`` until finished)."""
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def subject(self) -> str:
        if self.kind == self.Kind.CITY and self.city_id:
            return str(self.city)
        if self.kind == self.Kind.PROJECT and self.project_id:
            return str(self.project)
        if self.kind == self.Kind.MEETING_PACK and self.meeting_id:
            return str(self.meeting)
        return ""
