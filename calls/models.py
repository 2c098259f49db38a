"""Calls for proposals (haku), applications (hakemus) and the steering group's evaluation
(arviointi), with conflicts of interest (esteellisyys); the writes live in services.py.

The models moved here from the projects app; their tables keep the names they had there
(``projects_call``...), so the move changed no row (migrations/0001_initial.py)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core import generated
from core.validators import LONG_TEXT
from governance.audit import history_user
from governance.models import AgendaItem, City, Decision, Organisation, Person
from projects.models import Instrument, Programme, Project, Theme, money_kwargs

__all__ = [
    "Application",
    "ApplicationAttachment",
    "Call",
    "Criterion",
    "CriterionScore",
    "Evaluation",
    "EvaluationConflict",
]

SCORE_MIN = 0
SCORE_MAX = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"

# Reasons the portal writes when it proposes a conflict of interest (core.generated): an
# evaluation conflict ({"org"}) and a conflict on a board agenda item ({"org", "title"}).
CONFLICT_ORG_APPLIES = generated.define(
    "calls.conflict.org_applies", _("%(org)s is among the applicants.")
)
CONFLICT_ORG_APPLIES_UNDER_ITEM = generated.define(
    "calls.conflict.org_applies_under_item", _("%(org)s applies under this item (%(title)s).")
)


class Call(models.Model):
    """A call for proposals: who funds what, when it is open, how much money, how it is judged."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, **LONG_TEXT)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    instrument = models.CharField(_("instrument"), max_length=10, choices=Instrument.choices)
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="calls_funded",
        help_text=_("The organisation that grants the funding of the projects chosen."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("focus areas"), blank=True, related_name="calls"
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    money_available = models.DecimalField(_("money available"), **money_kwargs)
    two_stage = models.BooleanField(
        _("two stages"),
        default=False,
        help_text=_("First idea papers, then full applications."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "projects_call"
        ordering = ["-opens_on", "name"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message=_("A call cannot close before it opens."),
            ),
            models.CheckConstraint(condition=Q(money_available__gte=0), name="call_money_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call cannot close before it opens.")})

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_published(self, today=None) -> bool:
        """A call is public information once it opens."""
        return self.opens_on <= (today or timezone.localdate())


class Criterion(models.Model):
    """One evaluation criterion of a call with its weight; weights are normalised on use."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True, **LONG_TEXT)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Relative weight; the weights are normalised to sum to one."),
    )

    class Meta:
        db_table = "projects_criterion"
        ordering = ["call", "order"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="criterion_order_unique"),
            models.UniqueConstraint(fields=["call", "name"], name="criterion_name_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


def attachment_upload_to(instance: "ApplicationAttachment", filename: str) -> str:
    # A random name: the stored path reveals nothing, and files are served through a check.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}.pdf"


def validate_pdf(file) -> None:
    """A PDF by its name, its declared content type AND its first bytes, at most 10 MB."""
    name = getattr(file, "name", "") or ""
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s MB; the largest allowed is %(max)s MB."),
            params={
                "name": name.rsplit("/", 1)[-1],
                "size": f"{file.size / 1024 / 1024:.1f}",
                "max": ATTACHMENT_MAX_BYTES // 1024 // 1024,
            },
            code="file_too_large",
        )
    if not name.lower().endswith(".pdf"):
        raise ValidationError(
            _("Only PDF files are accepted; %(name)s is not a .pdf file."),
            params={"name": name.rsplit("/", 1)[-1]},
            code="not_pdf_name",
        )
    # An upload knows the type the browser declared; a stored FieldFile wraps the upload.
    content_type = getattr(file, "content_type", None) or getattr(
        getattr(file, "file", None), "content_type", None
    )
    if content_type is not None and content_type != "application/pdf":
        raise ValidationError(
            _("The file %(name)s was sent as %(type)s, not as a PDF."),
            params={"name": name.rsplit("/", 1)[-1], "type": content_type},
            code="not_pdf_type",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(position)
    if head != PDF_MAGIC:
        raise ValidationError(
            _(
                "The file %(name)s is named like a PDF but its contents are not a PDF "
                "document. Save or export it as PDF and try again."
            ),
            params={"name": name.rsplit("/", 1)[-1]},
            code="not_pdf_content",
        )


class Application(models.Model):
    """An application (or, in a two-stage call, an idea paper) registered by the strategy office."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea paper")
        FULL = "full", _("Full application")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(_("stage"), max_length=4, choices=Stage.choices, default=Stage.FULL)
    idea = models.ForeignKey(
        "self",
        verbose_name=_("idea paper"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="full_applications",
        help_text=_("In a two-stage call: the idea paper this full application continues."),
    )
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300)
    applicant = models.ForeignKey(
        Organisation,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    co_applicants = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-applicants"),
        blank=True,
        related_name="co_applications",
    )
    cities = models.ManyToManyField(
        City,
        verbose_name=_("participating cities"),
        blank=True,
        related_name="applications",
        help_text=_("The applicants' cities plus any city declared to take part."),
    )
    summary = models.TextField(_("summary"), **LONG_TEXT)
    budget = models.DecimalField(_("total budget"), **money_kwargs)
    requested = models.DecimalField(_("requested funding"), **money_kwargs)
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    end_date = models.DateField(_("planned end"), null=True, blank=True)
    # Why the application breaks its programme's two-city rule, or "" (kept by the services):
    # the Finnish text for the record, and its code and values for every reader's language.
    eligibility_problem = models.TextField(_("eligibility problem"), blank=True, **LONG_TEXT)
    eligibility_code = models.CharField(max_length=60, blank=True, editable=False)
    eligibility_params = models.JSONField(default=dict, blank=True, editable=False)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("board agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.OneToOneField(
        Project,
        verbose_name=_("funded project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    funding_decision = models.ForeignKey(
        Decision,
        verbose_name=_("funding decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    history = HistoricalRecords(get_user=history_user, table_name="projects_historicalapplication")

    class Meta:
        db_table = "projects_application"
        ordering = ["call", "title"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(requested__lte=F("budget")),
                name="application_requested_within_budget",
                violation_error_message=_("The requested funding exceeds the total budget."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="application_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(funding_decision__isnull=False),
                name="application_project_has_decision",
            ),
            models.UniqueConstraint(
                fields=["call", "stage", "title"], name="application_title_unique_in_call"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.budget is not None and self.requested is not None and self.requested > self.budget:
            errors["requested"] = _(
                "The requested funding (%(requested)s €) exceeds the total budget (%(budget)s €)."
            ) % {"requested": self.requested, "budget": self.budget}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end must not be before the start.")
        if self.call_id and self.stage == self.Stage.IDEA and not self.call.two_stage:
            errors["stage"] = _("This call has one stage: register a full application.")
        if self.idea_id:
            if self.stage != self.Stage.FULL:
                errors["idea"] = _("Only a full application continues an idea paper.")
            elif self.idea.call_id != self.call_id or self.idea.stage != self.Stage.IDEA:
                errors["idea"] = _("Choose an idea paper of the same call.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_eligible(self) -> bool:
        return not self.eligibility_problem

    @property
    def eligibility_problem_text(self) -> str:
        """The eligibility problem in the reader's language (the stored text for old rows)."""
        return generated.render(
            self.eligibility_code, self.eligibility_params, fallback=self.eligibility_problem
        )

    @property
    def applicant_names(self) -> str:
        """The applicant and the co-applicants (prefetch ``co_applicants`` for lists)."""
        return ", ".join([self.applicant.name, *(o.name for o in self.co_applicants.all())])


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        validators=[validate_pdf],
        help_text=_("PDF, at most 10 MB."),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        db_table = "projects_applicationattachment"
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=ATTACHMENT_MAX_BYTES), name="attachment_size_limit"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """One steering group member's scores of one application, with a comment."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    evaluator = models.ForeignKey(
        Person, verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="evaluations"
    )
    comment = models.TextField(_("comment"), blank=True, **LONG_TEXT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        db_table = "projects_evaluation"
        ordering = ["application", "evaluator__last_name"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="evaluation_once_per_evaluator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.evaluator}"


class CriterionScore(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        db_table = "projects_criterionscore"
        ordering = ["criterion__order"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class EvaluationConflict(models.Model):
    """Esteellisyys in evaluation: the member does not score the application. Kept with its reason.

    The portal proposes the obvious ones (the member's organisation applies); the member confirms.
    """

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the portal")
        DECLARED = "declared", _("Declared by the member")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="evaluation_conflicts",
    )
    reason = models.TextField(_("reason"), **LONG_TEXT)
    # a reason the portal wrote (core.generated); empty once the member writes their own
    reason_code = models.CharField(max_length=60, blank=True, editable=False)
    reason_params = models.JSONField(default=dict, blank=True, editable=False)
    stage = models.CharField(_("declared"), max_length=10, choices=Stage.choices)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        db_table = "projects_evaluationconflict"
        ordering = ["application", "person__last_name"]
        verbose_name = _("conflict of interest in evaluation")
        verbose_name_plural = _("conflicts of interest in evaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="evaluation_conflict_once"
            ),
            models.CheckConstraint(
                condition=Q(confirmed=False) | Q(confirmed_at__isnull=False),
                name="evaluation_conflict_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.person}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language if the portal wrote it, else as it was written."""
        return generated.render(self.reason_code, self.reason_params, fallback=self.reason)
