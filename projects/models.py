"""What is funded: programmes, projects with their implementers and funding, actions,
indicators, and the coordinators' status reports per reporting period."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import generated
from core.models import Transition
from core.validators import LONG_TEXT
from governance.audit import history_user
from governance.models import City, Organisation

ZERO = Decimal("0")
money_kwargs = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}

# The two-city rule's verdict, kept as this code with {"count": n} (core.generated).
TWO_CITY_RULE = generated.define(
    "projects.two_city_rule",
    _(
        "A 6Aika project needs implementers from at least two of the six cities; "
        "the implementers here come from %(count)d."
    ),
)
# What else an imported project may lack (Project.completion): codes with their values, so the
# office reads them in its own language whoever imported the file (core.generated).
LEAD_MISSING = generated.define("projects.lead_missing", _("The lead implementer is missing."))
PERIOD_INCOMPLETE = generated.define(
    "projects.period_incomplete", _("The implementation period is incomplete.")
)
GRANT_MISSING = generated.define(
    "projects.grant_missing", _("The granted sum of %(funders)s is missing.")
)
GRANT_FUNDER_MISSING = generated.define(
    "projects.grant_funder_missing", _("The funder of the granted sum %(amount)s is missing.")
)
GRANT_UNDIVIDED = generated.define(
    "projects.grant_undivided",
    _("The granted sum %(amount)s is not divided between %(funders)s."),
)
INSTRUMENT_MISSING = generated.define(
    "projects.instrument_missing", _("The funding instrument of %(funders)s is missing.")
)
# The notes project_upsert works out again from the project itself on every save.
RECOMPUTED_COMPLETION = frozenset({TWO_CITY_RULE, LEAD_MISSING, PERIOD_INCOMPLETE})


def completion_text(item: dict) -> str:
    """One of ``Project.completion``'s notes in the active language. An ``amount`` is kept as
    a plain number and written in the reader's format; a note without a code (a line kept from
    before the codes) is its stored text."""
    from core.templatetags.sixaika_format import eur

    params = dict(item.get("params") or {})
    if "amount" in params:
        params["amount"] = eur(params["amount"], 2)
    return generated.render(item.get("code", ""), params, fallback=item.get("text", ""))


class Programme(models.Model):
    """A funding programme. 6Aika's own programme carries the two-city rule; related projects
    (e.g. SIXNET, funded by a regional council) sit in the portfolio under another programme."""

    class Kind(models.TextChoices):
        SIX_AIKA = "6aika", _("6Aika")
        OTHER = "other", _("Other programme")

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def requires_two_cities(self) -> bool:
        return self.kind == self.Kind.SIX_AIKA


class Theme(models.Model):
    """A focus area of the strategy, e.g. open innovation platforms or competence."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Instrument(models.TextChoices):
    ERDF = "EAKR", _("ERDF (EAKR)")
    ESF = "ESR", _("ESF (ESR)")
    AKKE = "AKKE", _("AKKE regional innovations and experiments")
    REACT_EU = "REACT-EU", _("REACT-EU")
    NATIONAL = "national", _("National funding")
    CITY = "city", _("City funding")


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    code = models.CharField(
        _("code"),
        max_length=20,
        blank=True,
        help_text=_("EURA code such as A70011 or S21375; optional until the project is granted."),
    )
    name = models.CharField(_("name"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, **LONG_TEXT)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="Implementer",
        verbose_name=_("implementers"),
        related_name="projects",
    )
    cities = models.ManyToManyField(
        City,
        verbose_name=_("participating cities"),
        blank=True,
        related_name="projects",
        help_text=_(
            "Kept as the implementers' cities plus any city declared to take part without "
            "implementing."
        ),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="projects"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    total_cost = models.DecimalField(_("total cost estimate"), default=ZERO, **money_kwargs)
    # The sum of the grants, kept by services.project_grants_set so that lists can total and
    # sort by it and the database can refuse a grant larger than the cost estimate.
    granted = models.DecimalField(_("granted"), default=ZERO, **money_kwargs)
    needs_completion = models.BooleanField(
        _("needs completion"),
        default=False,
        help_text=_("Imported without all the data the programme requires."),
    )
    completion_notes = models.TextField(_("what is missing"), blank=True, **LONG_TEXT)
    # The same notes as codes with their values (completion_text): completion_notes keeps them
    # in Finnish for the record; pages write these in the reader's language.
    completion = models.JSONField(_("what is missing"), default=list, blank=True, editable=False)
    # Raised by every save through the project form (services.project_upsert): an editor who
    # started from an older version is refused instead of overwriting (as StatusReport.version).
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [("report_project", _("Can edit the project's status reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="project_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(condition=Q(total_cost__gte=0), name="project_cost_positive"),
            models.CheckConstraint(condition=Q(granted__gte=0), name="project_granted_positive"),
            models.CheckConstraint(
                condition=Q(granted__lte=F("total_cost")), name="project_granted_within_cost"
            ),
        ]
        # Every sort and filter of the portfolio list and the coordinator's home page (plans in
        # docs/benchmarks-explain.md): a page of 25 is read from an index, not sorted from all.
        indexes = [
            models.Index(fields=["start_date", "end_date"]),
            models.Index(fields=["name_fi", "id"], name="project_name_fi_idx"),
            models.Index(fields=["status", "name_fi"], name="project_status_name_idx"),
            models.Index(fields=["code"], name="project_code_idx"),
            models.Index(fields=["end_date"], name="project_end_idx"),
            models.Index(fields=["total_cost"], name="project_cost_idx"),
            models.Index(fields=["granted"], name="project_granted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    @property
    def completion_texts(self) -> list[str]:
        """What is missing, in the active language (a project flagged before the notes had
        codes: its stored lines)."""
        if self.completion:
            return [completion_text(item) for item in self.completion]
        return self.completion_notes.splitlines()

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date must not be before the start date.")}
            )
        if (
            self.granted is not None
            and self.total_cost is not None
            and self.granted > self.total_cost
        ):
            raise ValidationError(
                {
                    "total_cost": _(
                        "The granted funding (%(granted)s €) exceeds the total cost "
                        "estimate (%(total)s €)."
                    )
                    % {"granted": self.granted, "total": self.total_cost}
                }
            )

    @property
    def funding_rate(self) -> Decimal | None:
        """Granted / total cost estimate, e.g. 260 000 / 325 000 = 0.8."""
        if not self.total_cost:
            return None
        return (self.granted / self.total_cost).quantize(Decimal("0.0001"))


class Implementer(models.Model):
    """An organisation implementing a project: the lead or a co-implementer, with its budget."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="implementers"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    is_lead = models.BooleanField(_("lead implementer"), default=False)
    budget = models.DecimalField(_("sub-budget"), null=True, blank=True, **money_kwargs)

    class Meta:
        ordering = ["-is_lead", "organisation__name"]
        verbose_name = _("implementer")
        verbose_name_plural = _("implementers")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="implementer_once_per_project"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_lead=True), name="implementer_one_lead"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="implementer_budget_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Grant(models.Model):
    """One funder's granted amount for a project, through one instrument."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="grants"
    )
    funder = models.ForeignKey(
        Organisation, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="grants"
    )
    instrument = models.CharField(_("instrument"), max_length=10, choices=Instrument.choices)
    amount = models.DecimalField(_("granted amount"), **money_kwargs)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-amount"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "funder", "instrument"], name="grant_once_per_funder"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_amount_positive"),
        ]
        # The portfolio list's instrument filter (EXISTS a grant of the instrument).
        indexes = [models.Index(fields=["instrument", "project"], name="grant_instrument_idx")]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount} € ({self.instrument})"


class CityContribution(models.Model):
    """A city's own contribution to a project's costs."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="city_contributions",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="contributions"
    )
    amount = models.DecimalField(_("amount"), **money_kwargs)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["city__order"]
        verbose_name = _("city contribution")
        verbose_name_plural = _("city contributions")
        constraints = [
            models.UniqueConstraint(fields=["project", "city"], name="contribution_once_per_city"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.city_id}: {self.amount} €"


class Action(models.Model):
    """An action area (work package); sub-actions point to their action through ``parent``."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="actions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sub_actions",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.TextField(_("title"), **LONG_TEXT)

    class Meta:
        ordering = ["order"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "parent", "order"],
                name="action_order_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    achieved = models.DecimalField(
        _("achieved to date"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Updated from the latest accepted status report."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_positive"),
            models.CheckConstraint(
                condition=Q(achieved__gte=0), name="indicator_achieved_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def progress(self) -> Decimal | None:
        """Achieved / target, capped at 1 for the progress bar."""
        if not self.target:
            return None
        return min(Decimal(1), self.achieved / self.target)


class ReportingPeriod(models.Model):
    """A period projects report on; ``services.reporting_periods_generate`` makes them in a
    rhythm (e.g. half-years)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    due_date = models.DateField(_("report due"))

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="period_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("end_date")), name="period_due_after_end"
            ),
            models.UniqueConstraint(fields=["start_date"], name="period_start_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period must not end before it starts.")})
        if self.end_date and self.due_date and self.due_date < self.end_date:
            raise ValidationError({"due_date": _("A report cannot be due before the period ends.")})


class RAG(models.TextChoices):
    """Traffic-light status, always shown with its words, never by colour alone."""

    GREEN = "green", _("Green – on track")
    AMBER = "amber", _("Amber – at risk")
    RED = "red", _("Red – off track")


class StatusReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ACCEPTED = "accepted", _("Accepted")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    overall_status = models.CharField(
        _("overall status"), max_length=5, choices=RAG.choices, blank=True
    )
    schedule_status = models.CharField(_("schedule"), max_length=5, choices=RAG.choices, blank=True)
    budget_status = models.CharField(_("budget"), max_length=5, choices=RAG.choices, blank=True)
    scope_status = models.CharField(_("scope"), max_length=5, choices=RAG.choices, blank=True)
    narrative = models.TextField(_("progress"), blank=True, **LONG_TEXT)
    costs_to_date = models.DecimalField(
        _("costs to date (EUR)"), null=True, blank=True, **money_kwargs
    )
    risks = models.TextField(_("risks"), blank=True, **LONG_TEXT)
    next_steps = models.TextField(_("next steps"), blank=True, **LONG_TEXT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user, excluded_fields=["created_at"])
    # Who moved the report from state to state, when, and why (core.transitions).
    transitions = GenericRelation(Transition)

    class Meta:
        ordering = ["-period__start_date", "project__name"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_once_per_period"),
            models.CheckConstraint(
                condition=Q(costs_to_date__isnull=True) | Q(costs_to_date__gte=0),
                name="report_costs_positive",
            ),
        ]
        # The report list's state filter and the office's queue of submitted reports.
        # The office's queue of submitted reports; and the coordinator's obligations: reports
        # in a closed state (anti-joined) and in an open one (joined), each read from a small
        # partial index rather than from every report's row.
        indexes = [
            models.Index(fields=["state", "period"], name="report_state_period_idx"),
            models.Index(
                fields=["project", "period"],
                condition=Q(state__in=["submitted", "resubmitted", "accepted"]),
                name="report_closed_idx",
            ),
            models.Index(
                fields=["project", "period"],
                condition=Q(state__in=["draft", "returned"]),
                name="report_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class StatusReportIndicatorValue(models.Model):
    """An indicator's achieved value as a report states it."""

    report = models.ForeignKey(
        StatusReport,
        verbose_name=_("status report"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    achieved = models.DecimalField(
        _("achieved"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="indicator_value_once_per_report"
            ),
            models.CheckConstraint(condition=Q(achieved__gte=0), name="indicator_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.achieved}"
