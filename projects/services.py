"""Writes for the portfolio and the status reports. Every function is keyword-only, atomic and
validates with full_clean; state changes of a report go through ``status_report_transition``."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import generated, languages, versions
from core.transitions import Move, Workflow, signed_in, state_change
from governance.audit import audited, current_user, save_if_changed
from governance.models import City, Organisation

from . import permissions
from .models import (
    LEAD_MISSING,
    PERIOD_INCOMPLETE,
    TWO_CITY_RULE,
    Action,
    CityContribution,
    Grant,
    Implementer,
    Indicator,
    Programme,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportIndicatorValue,
    TargetGroup,
    Theme,
    completion_text,
)

State = StatusReport.State


class ChangedMeanwhile(Exception):
    """Somebody saved the record (a status report, a project) after this editor loaded it;
    nothing was overwritten. ``current`` is the record as stored now."""

    def __init__(self, current: Any):
        super().__init__(f"The {current._meta.model_name} was changed meanwhile.")
        self.current = current


# ---------------------------------------------------------------------------------------------
# Programmes, themes and projects


def programme_upsert(*, slug: str, names: dict[str, str], kind: str) -> Programme:
    with transaction.atomic():
        programme = Programme.objects.filter(slug=slug).first() or Programme(slug=slug)
        for lang, name in names.items():
            setattr(programme, f"name_{lang}", name)
        programme.kind = kind
        programme.full_clean()
        programme.save()
        return programme


def programmes_ensure() -> dict[str, Programme]:
    """The two programmes every portfolio has: 6Aika itself and "other" (related projects)."""
    return {
        "6aika": programme_upsert(
            slug="6aika",
            names={"fi": "6Aika", "sv": "6Aika", "en": "6Aika"},
            kind=Programme.Kind.SIX_AIKA,
        ),
        "other": programme_upsert(
            slug="other",
            names={"fi": "Muu rahoitus", "sv": "Annan finansiering", "en": "Other funding"},
            kind=Programme.Kind.OTHER,
        ),
    }


def theme_upsert(*, slug: str, names: dict[str, str]) -> Theme:
    with transaction.atomic():
        theme = Theme.objects.filter(slug=slug).first() or Theme(slug=slug)
        for lang, name in names.items():
            setattr(theme, f"name_{lang}", name)
        theme.full_clean()
        theme.save()
        return theme


def two_city_rule_breach(
    *, programme: Programme, organisations: list[Organisation]
) -> dict[str, int] | None:
    """The values of the two-city rule's verdict (``TWO_CITY_RULE``), or None if it holds."""
    if not programme.requires_two_cities:
        return None
    cities = {org.city_id for org in organisations if org.city_id}
    if len(cities) >= 2:
        return None
    return {"count": len(cities)}


def two_city_rule_problem(*, programme: Programme, organisations: list[Organisation]) -> str:
    """Why a project breaks its programme's two-city rule, in the active language, or ""."""
    params = two_city_rule_breach(programme=programme, organisations=organisations)
    return "" if params is None else generated.render(TWO_CITY_RULE, params)


class _Unset:
    """The marker of a ProjectSpec field the caller did not give: the stored value stays."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


def given(value: object) -> bool:
    return value is not UNSET


@dataclass
class ProjectSpec:
    """What a caller says about a project. A field left ``UNSET`` is not touched on an existing
    project (a new one gets the model's default), so a form or an import changes only what it
    shows or holds: an edit that does not show the city contributions keeps them.

    ``partners`` are (organisation, sub-budget) pairs; a sub-budget ``UNSET`` keeps the budget
    stored for that organisation. ``status=None`` derives the status from the dates; ``UNSET``
    keeps it (a new project derives it)."""

    name_fi: str
    programme: Programme
    lead: Organisation | None = UNSET
    code: str = UNSET
    name_sv: str = UNSET
    name_en: str = UNSET
    summary_fi: str = UNSET
    summary_sv: str = UNSET
    summary_en: str = UNSET
    theme: Theme | None = UNSET
    parent: Project | None = UNSET
    lead_budget: Decimal | None = UNSET
    partners: list[tuple[Organisation, Decimal | None]] = UNSET
    declared_cities: list[City] = UNSET
    target_groups: list[str] = UNSET
    start_date: dt.date | None = UNSET
    end_date: dt.date | None = UNSET
    status: str | None = UNSET
    total_cost: Decimal = UNSET
    grants: list[tuple[Organisation, str, Decimal]] = UNSET
    contributions: list[tuple[City, Decimal]] = UNSET


def status_from_dates(
    start: dt.date | None, end: dt.date | None, today: dt.date | None = None
) -> str:
    today = today or timezone.localdate()
    if end and end < today:
        return Project.Status.CLOSED
    if start and start <= today:
        return Project.Status.RUNNING
    return Project.Status.PLANNED


def project_find(*, code: str, name_fi: str) -> Project | None:
    """The project a re-import means: the same code, else the same Finnish name."""
    if code:
        found = Project.objects.filter(code__iexact=code).first()
        if found:
            return found
    return Project.objects.filter(name_fi__iexact=name_fi).first()


def project_upsert(
    *,
    spec: ProjectSpec,
    project: Project | None = None,
    enforce_programme_rule: bool = True,
    import_notes: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Create or update a project with its implementers, cities, target groups and funding.

    Only what ``spec`` gives is changed (see ProjectSpec). The programme's two-city rule and
    the completion flags are judged on the project as it will be after the change. A form
    enforces the rule (ValidationError); an import of historical records passes
    ``enforce_programme_rule=False``: the project is saved, flagged ``needs_completion`` and
    listed for the strategy office. ``import_notes`` are what an import row left incomplete
    (a funder without its granted sum), as ``Project.completion`` keeps them (a code and its
    values): they are added to the flags.

    ``expected_version`` is the version the editor started from (the project form): if the
    stored project has another, ChangedMeanwhile is raised and nothing is written, as for
    status reports. The project row is locked first, so two saves at the same moment are
    judged one after the other. Every save that is checked raises the version; an unchecked
    one (an import) raises it when it changes the project.
    """
    with transaction.atomic():
        if project is not None and project.pk is not None and expected_version is not None:
            current = Project.objects.select_for_update().get(pk=project.pk)
            if current.version != expected_version:
                raise ChangedMeanwhile(current)
            project.version = current.version
        return _project_upsert(
            spec=spec,
            project=project,
            enforce_programme_rule=enforce_programme_rule,
            import_notes=import_notes,
            checked=expected_version is not None,
        )


def _project_upsert(
    *,
    spec: ProjectSpec,
    project: Project | None,
    enforce_programme_rule: bool,
    import_notes: list[dict[str, Any]] | None,
    checked: bool,
) -> Project:
    if project is None:
        project = (
            project_find(code=spec.code if given(spec.code) else "", name_fi=spec.name_fi)
            or Project()
        )
    is_new = project.pk is None
    stored = [] if is_new else list(project.implementers.select_related("organisation"))
    stored_lead = next((i.organisation for i in stored if i.is_lead), None)
    stored_budgets = {i.organisation_id: i.budget for i in stored}

    def budget_of(org: Organisation, budget: Decimal | None) -> Decimal | None:
        return budget if given(budget) else stored_budgets.get(org.pk)

    lead = spec.lead if given(spec.lead) else stored_lead
    if given(spec.partners):
        partner_pairs = list(spec.partners)
    else:
        partner_pairs = [(i.organisation, UNSET) for i in stored if not i.is_lead]
    partners: list[tuple[Organisation, Decimal | None]] = []
    for org, budget in partner_pairs:
        if (lead is None or org.pk != lead.pk) and org.pk not in {p.pk for p, _b in partners}:
            partners.append((org, budget_of(org, budget)))
    lead_budget = budget_of(lead, spec.lead_budget) if lead is not None else None
    organisations = [o for o in [lead, *[p for p, _budget in partners]] if o is not None]
    start_date = spec.start_date if given(spec.start_date) else project.start_date
    end_date = spec.end_date if given(spec.end_date) else project.end_date

    # what is missing, as codes with their values (Project.completion)
    problems: list[dict[str, Any]] = []
    breach = two_city_rule_breach(programme=spec.programme, organisations=organisations)
    if breach is not None:
        if enforce_programme_rule:
            raise ValidationError({"partners": generated.render(TWO_CITY_RULE, breach)})
        problems.append({"code": TWO_CITY_RULE, "params": breach})
    if lead is None:
        if enforce_programme_rule:
            raise ValidationError({"lead": _("Name the lead implementer.")})
        problems.append({"code": LEAD_MISSING, "params": {}})
    if start_date is None or end_date is None:
        problems.append({"code": PERIOD_INCOMPLETE, "params": {}})
    problems.extend(import_notes or [])
    if given(spec.parent) and spec.parent is not None and not is_new:
        ancestor: Project | None = spec.parent
        while ancestor is not None:
            if ancestor.pk == project.pk:
                raise ValidationError(
                    {"parent": _("A project cannot be its own parent or a parent of its parent.")}
                )
            ancestor = ancestor.parent

    with transaction.atomic():
        for name in (
            "code",
            "name_sv",
            "name_en",
            "summary_fi",
            "summary_sv",
            "summary_en",
            "theme",
            "parent",
        ):
            value = getattr(spec, name)
            if given(value):
                setattr(project, name, value)
        project.name_fi = spec.name_fi
        project.programme = spec.programme
        project.start_date = start_date
        project.end_date = end_date
        if given(spec.status) and spec.status:
            project.status = spec.status
        elif given(spec.status) or is_new:  # None or "": from the dates
            project.status = status_from_dates(start_date, end_date)
        if given(spec.total_cost):
            project.total_cost = spec.total_cost
        if given(spec.grants):
            project.granted = sum((grant[2] for grant in spec.grants), Decimal(0))
        project.needs_completion = bool(problems)
        project.completion = problems
        with override("fi"):  # the record, as core.generated keeps it
            project.completion_notes = "\n".join(completion_text(item) for item in problems)
        if checked and not is_new:
            project.version += 1
            project.full_clean()
            project.save()
        elif save_if_changed(project) and not is_new:
            # an import's change: an editor who loaded the project before it must not
            # overwrite it unseen
            Project.objects.filter(pk=project.pk).update(version=F("version") + 1)
            project.version += 1
            versions.changed("projects")  # an update() sends no signal (core/versions.py)

        if not is_new:
            stored_city_ids = set(project.cities.values_list("pk", flat=True))
            implementer_city_ids = {i.organisation.city_id for i in stored}
        wanted = {}
        if lead is not None:
            wanted[lead.pk] = (lead, True, lead_budget)
        for org, budget in partners:
            wanted.setdefault(org.pk, (org, False, budget))
        project.implementers.exclude(organisation_id__in=wanted).delete()
        project.implementers.filter(is_lead=True).exclude(
            organisation_id=lead.pk if lead else None
        ).update(is_lead=False)
        versions.changed("projects")  # an update() sends no signal (core/versions.py)
        for org, is_lead, budget in wanted.values():
            impl = project.implementers.filter(organisation=org).first() or Implementer(
                project=project, organisation=org
            )
            impl.is_lead = is_lead
            impl.budget = budget
            impl.full_clean(validate_constraints=False)
            impl.save()

        if given(spec.declared_cities):
            city_ids = {c.pk for c in spec.declared_cities}
        elif is_new:
            city_ids = set()
        else:
            # the cities declared earlier: those that no implementer brought
            city_ids = stored_city_ids - implementer_city_ids
        city_ids |= {org.city_id for org in organisations if org.city_id}
        project.cities.set(city_ids)

        if given(spec.target_groups):
            groups = [
                TargetGroup.objects.get_or_create(name=name.strip())[0]
                for name in spec.target_groups
                if name.strip()
            ]
            project.target_groups.set(groups)

        if given(spec.grants):
            _rows_replace(
                project.grants.all(),
                [
                    Grant(project=project, funder=funder, instrument=instrument, amount=amount)
                    for funder, instrument, amount in spec.grants
                ],
                key=lambda g: (g.funder_id, g.instrument),
            )
        if given(spec.contributions):
            _rows_replace(
                project.city_contributions.all(),
                [
                    CityContribution(project=project, city=city, amount=amount)
                    for city, amount in spec.contributions
                ],
                key=lambda c: c.city_id,
            )
        return project


def _rows_replace(stored, wanted: list, *, key) -> None:
    """Make a project's rows (grants, contributions) exactly ``wanted``: a stored row with the
    same key is updated in place and only if its values differ, the rest created or deleted, so
    the audit trail shows what really changed."""
    free: dict = {}
    for row in stored:
        free.setdefault(key(row), []).append(row)
    for row in wanted:
        matches = free.get(key(row))
        if matches:
            row.pk, row._state.adding = matches.pop(0).pk, False
        save_if_changed(row)
    leftover = [row.pk for rows in free.values() for row in rows]
    if leftover:
        stored.model.objects.filter(pk__in=leftover).delete()


def project_actions_replace(*, project: Project, actions: list[tuple[str, list[str]]]) -> None:
    """Make the project's actions exactly ``actions``: (action title, [sub-action titles])."""
    with transaction.atomic():
        project.actions.all().delete()
        for order, (title, sub_titles) in enumerate(actions, start=1):
            action = Action(project=project, order=order, title_fi=title)
            action.full_clean()
            action.save()
            for sub_order, sub_title in enumerate(sub_titles, start=1):
                sub = Action(project=project, parent=action, order=sub_order, title_fi=sub_title)
                sub.full_clean()
                sub.save()


@dataclass(frozen=True)
class ActionSpec:
    """An action with its sub-actions' titles, in order."""

    title: str
    sub_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator as the project's page gives it; ``pk`` None for a new one."""

    code: str
    name: str
    unit: str
    target: Decimal
    pk: int | None = None


def _stored_actions(project: Project) -> list[ActionSpec]:
    tops = project.actions.filter(parent__isnull=True).prefetch_related("sub_actions")
    return [
        ActionSpec(a.title_fi or "", tuple(s.title_fi or "" for s in a.sub_actions.all()))
        for a in tops
    ]


@audited
def project_work_set(
    *,
    project: Project,
    actions: list[ActionSpec],
    indicators: list[IndicatorSpec],
    expected_version: int,
    by,
) -> Project:
    """Make the project's actions (with sub-actions) and indicators what the office's page
    gives, in one transaction. The indicators' achieved values stay: the coordinators report
    them through status reports. Raises ChangedMeanwhile if the project was saved since the
    editor loaded it (``expected_version``), as the project form does, and ValidationError,
    saving nothing, for an indicator of another project or the removal of an indicator that
    status reports have values for."""
    if not permissions.can_import_projects(by):
        raise PermissionDenied
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if current.version != expected_version:
            raise ChangedMeanwhile(current)
        stored = {i.pk: i for i in current.indicators.all()}
        kept = {spec.pk for spec in indicators if spec.pk is not None}
        foreign = kept - set(stored)
        if foreign:
            raise ValidationError(_("An indicator given is not this project's."))
        removed = [stored[pk] for pk in stored if pk not in kept]
        reported = set(
            StatusReportIndicatorValue.objects.filter(indicator__in=removed).values_list(
                "indicator_id", flat=True
            )
        )
        if reported:
            raise ValidationError(
                _(
                    "%(names)s cannot be removed: status reports have values for it. Change "
                    "its name or target instead."
                )
                % {"names": ", ".join(str(stored[pk]) for pk in sorted(reported))}
            )
        Indicator.objects.filter(pk__in=[i.pk for i in removed]).delete()
        # Codes are unique per project: a code moving from one indicator to another is freed
        # first, so that an exchange of two codes is not refused half-way.
        moving = [
            spec for spec in indicators if spec.pk is not None and stored[spec.pk].code != spec.code
        ]
        if moving:
            Indicator.objects.filter(pk__in=[spec.pk for spec in moving]).update(
                code=Concat(Value("~"), "pk", output_field=CharField())
            )
            versions.changed("projects")  # an update() sends no signal (core/versions.py)
        for spec in indicators:
            indicator = stored[spec.pk] if spec.pk is not None else Indicator(project=current)
            indicator.code = spec.code
            indicator.name_fi = spec.name
            indicator.unit = spec.unit
            indicator.target = spec.target
            save_if_changed(indicator)
        if _stored_actions(current) != list(actions):
            project_actions_replace(
                project=current, actions=[(a.title, list(a.sub_titles)) for a in actions]
            )
        current.version += 1
        current.save(update_fields=["version", "updated_at"])
        return current


def indicator_upsert(
    *, project: Project, code: str, name: str, unit: str, target: Decimal
) -> Indicator:
    with transaction.atomic():
        indicator = Indicator.objects.filter(project=project, code=code).first() or Indicator(
            project=project, code=code
        )
        indicator.name_fi = name
        indicator.unit = unit
        indicator.target = target
        indicator.full_clean()
        indicator.save()
        return indicator


def organisation_find_or_create(*, name: str) -> Organisation:
    """Known organisations are matched by name (case-insensitive); unknown ones are created."""
    name = " ".join(name.split())
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        org = Organisation(name=name, kind=Organisation.Kind.OTHER)
        org.full_clean()
        org.save()
    return org


# ---------------------------------------------------------------------------------------------
# Reporting periods and status reports


def reporting_periods_generate(
    *, first_start: dt.date, months: int, count: int, due_days: int = 30
) -> list[ReportingPeriod]:
    """Periods of ``months`` months (1, 2, 3, 4, 6 or 12) from ``first_start``; idempotent.

    The rhythm is configurable: half-years are ``months=6``, quarters ``months=3``.
    """
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValidationError(_("The rhythm must divide a year: 1, 2, 3, 4, 6 or 12 months."))
    periods = []
    with transaction.atomic():
        start = first_start
        for _i in range(count):
            month_index = start.month - 1 + months
            next_start = dt.date(start.year + month_index // 12, month_index % 12 + 1, 1)
            end = next_start - dt.timedelta(days=1)
            if months == 6:
                name = f"{start.year} H{1 if start.month <= 6 else 2}"
            elif months == 3:
                name = f"{start.year} Q{(start.month - 1) // 3 + 1}"
            elif months == 12:
                name = f"{start.year}"
            else:
                name = f"{start:%Y-%m}–{end:%Y-%m}"
            period = ReportingPeriod.objects.filter(start_date=start).first() or ReportingPeriod(
                start_date=start
            )
            period.name = period.name or name
            period.end_date = end
            period.due_date = end + dt.timedelta(days=due_days)
            period.full_clean()
            period.save()
            periods.append(period)
            start = next_start
    return periods


@dataclass
class ReportContent:
    overall_status: str = ""
    schedule_status: str = ""
    budget_status: str = ""
    scope_status: str = ""
    narrative: str = ""
    costs_to_date: Decimal | None = None
    risks: str = ""
    next_steps: str = ""
    indicator_values: dict[int, Decimal | None] = field(default_factory=dict)


CONTENT_FIELDS = [
    "overall_status",
    "schedule_status",
    "budget_status",
    "scope_status",
    "narrative",
    "costs_to_date",
    "risks",
    "next_steps",
]


@audited
def status_report_start(*, project: Project, period: ReportingPeriod, by) -> StatusReport:
    """The project's report for the period, created as a draft if there is none yet."""
    if not permissions.can_edit_reports(by, project):
        raise PermissionDenied
    with transaction.atomic():
        report = StatusReport.objects.filter(project=project, period=period).first()
        if report is None:
            report = StatusReport(project=project, period=period, updated_by=by)
            report.full_clean()
            report.save()
        return report


@audited
def status_report_update(
    *, report: StatusReport, content: ReportContent, expected_version: int, by
) -> StatusReport:
    """Save the report's content. Raises ChangedMeanwhile if the stored version is not the one
    the editor started from: the second of two editors never overwrites the first."""
    if not permissions.can_edit_reports(by, report.project):
        raise PermissionDenied
    with transaction.atomic():
        current = StatusReport.objects.select_for_update().get(pk=report.pk)
        if current.version != expected_version:
            raise ChangedMeanwhile(current)
        if not current.is_editable:
            raise ValidationError(
                _("A report can be edited only as a draft or after it was returned.")
            )
        for name in CONTENT_FIELDS:
            setattr(current, name, getattr(content, name))
        current.version += 1
        current.updated_by = by
        # The project a report belongs to never changes: the one the caller read is the same
        # row, no need to read it again.
        if report.project_id == current.project_id and "project" in report._state.fields_cache:
            current.project = report.project
        # Only the content changes here: its fields are validated; the project and period it
        # belongs to (and with them their existence and the one report per period) were
        # validated when the report was made and cannot change, and the editor is the signed-in
        # user. Three queries less on every save (issue 19). The check constraint on the costs
        # is not asked of the database (three statements more, in a savepoint): it says what the
        # field's own validator (not below zero) does, and the database still enforces it.
        current.full_clean(exclude=["project", "period", "updated_by"], validate_constraints=False)
        current.save()
        _indicator_values_save(current, content.indicator_values)
        return current


def _indicator_values_save(report: StatusReport, values: dict[int, Decimal | None]) -> None:
    """The report's indicator values as the form gave them, in at most four queries however
    many indicators the project has (the report row is locked by the caller): the project's
    indicators with the report's values for them in one, then a delete, an insert and an update
    (each with its rows in the audit trail) where there is something to write."""
    stored = StatusReportIndicatorValue.objects.filter(report=report, indicator=OuterRef("pk"))
    indicators = Indicator.objects.filter(project_id=report.project_id).annotate(
        value_pk=Subquery(stored.values("pk")[:1]),
        value_achieved=Subquery(stored.values("achieved")[:1]),
    )
    rows = indicators.values_list("pk", "value_pk", "value_achieved")
    project_indicators: set[int] = set()
    existing: dict[int, StatusReportIndicatorValue] = {}
    for indicator_id, value_pk, achieved in rows:
        project_indicators.add(indicator_id)
        if value_pk is not None:  # the stored row, as a model instance loaded from it
            existing[indicator_id] = StatusReportIndicatorValue.from_db(
                report._state.db,
                ["id", "report_id", "indicator_id", "achieved"],
                [value_pk, report.pk, indicator_id, achieved],
            )
    removed, created, changed = [], [], []
    for indicator_id, achieved in values.items():
        if indicator_id not in project_indicators:
            continue
        value = existing.get(indicator_id)
        if achieved is None:
            if value is not None:
                removed.append(value.pk)
            continue
        if value is None:
            value = StatusReportIndicatorValue(report=report, indicator_id=indicator_id)
            created.append(value)
        elif value.achieved != achieved:
            changed.append(value)
        else:
            continue
        value.achieved = achieved
        # The report and indicator are known to exist and to belong together, and the value is
        # one per indicator by construction: only the amount needs checking (its validator
        # says what the database's check constraint would).
        value.full_clean(
            exclude=["report", "indicator"], validate_unique=False, validate_constraints=False
        )
    # In bulk, and still in the audit trail: a deletion through the queryset sends the signals
    # simple-history records; bulk inserts and updates write their versions in one query each.
    by = current_user()
    if removed:
        StatusReportIndicatorValue.objects.filter(pk__in=removed).delete()
    if created:
        bulk_create_with_history(created, StatusReportIndicatorValue, default_user=by)
    if changed:
        bulk_update_with_history(changed, StatusReportIndicatorValue, ["achieved"], default_user=by)
    if created or changed:
        versions.changed("projects")  # bulk writes send no signals (core/versions.py)


def _edits(user, report: StatusReport) -> bool:
    return signed_in(user, report) and permissions.can_edit_reports(user, report.project)


def _reviews(user, report: StatusReport) -> bool:
    return signed_in(user, report) and permissions.can_review_reports(user)


# Editing is allowed in DRAFT and RETURNED only; the city's editors submit, the office reviews.
STATUS_REPORTS = Workflow(
    "projects.status_report",
    model=StatusReport,
    field="state",
    moves=[
        Move(State.DRAFT, State.SUBMITTED, "submit", _edits),
        Move(State.SUBMITTED, State.ACCEPTED, "accept", _reviews),
        Move(State.SUBMITTED, State.RETURNED, "return", _reviews),
        Move(State.RETURNED, State.RESUBMITTED, "resubmit", _edits),
        Move(State.RESUBMITTED, State.ACCEPTED, "accept", _reviews),
        Move(State.RESUBMITTED, State.RETURNED, "return", _reviews),
    ],
    refused=gettext_lazy("A report in state “%(from)s” cannot be moved to “%(to)s”."),
)


def allowed_transitions(*, report: StatusReport, user) -> list[str]:
    """The states this user may move the report to now."""
    return [move.target for move in STATUS_REPORTS.allowed(report, user)]


def report_missing_field_names(report: StatusReport) -> list[str]:
    """The fields a submitted report needs and this one lacks, by field name."""
    missing = [
        name
        for name in ("overall_status", "schedule_status", "budget_status", "scope_status")
        if not getattr(report, name)
    ]
    if not report.narrative.strip():
        missing.append("narrative")
    if report.costs_to_date is None:
        missing.append("costs_to_date")
    return missing


def report_missing_fields(report: StatusReport) -> list[str]:
    """The same fields by their names as people read them."""
    return [
        str(StatusReport._meta.get_field(name).verbose_name)
        for name in report_missing_field_names(report)
    ]


@audited
def status_report_transition(
    *, report: StatusReport, to_state: str, by, comment: str = ""
) -> StatusReport:
    """The one way a report changes state: checks the table, records who, when and why."""
    with transaction.atomic():
        current = (
            StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
        )
        STATUS_REPORTS.check(current, to=to_state, by=by)  # the table and who, before the rest
        if to_state in (State.SUBMITTED, State.RESUBMITTED):
            missing = report_missing_fields(current)
            if missing:
                raise ValidationError(
                    _("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}
                )
        if to_state == State.RETURNED and not comment.strip():
            raise ValidationError(_("Say what should be corrected when returning a report."))
        current.version += 1
        current.updated_by = by
        state_change(obj=current, workflow=STATUS_REPORTS, to=to_state, by=by, comment=comment)
        if to_state == State.ACCEPTED:
            for value in current.indicator_values.select_related("indicator"):
                indicator = value.indicator
                indicator.achieved = value.achieved
                indicator.full_clean()
                indicator.save(update_fields=["achieved"])
        if to_state in (State.RETURNED, State.ACCEPTED):
            _review_mail_queue(report=current, by=by, comment=comment)
        return current


def report_author(report: StatusReport):
    """Who the report is from: the user who last submitted it (or resubmitted), else the last
    who saved it; None when neither is known."""
    submitted = (
        report.transitions.filter(
            to_state__in=[State.SUBMITTED, State.RESUBMITTED], by__isnull=False
        )
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if submitted is not None:
        return submitted.by
    return report.updated_by


def _review_mail_queue(*, report: StatusReport, by, comment: str) -> None:
    """Tell the report's author that the office returned or accepted it, once the transaction
    commits (a rolled-back review sends nothing)."""
    author = report_author(report)
    if author is None or not author.email or not author.is_active or author == by:
        return
    link = settings.SIXAIKA_BASE_URL.rstrip("/") + reverse(
        "projects:report_detail", args=[report.pk]
    )
    with override(languages.language_of(author)):  # the author's language
        names = {"project": report.project.name, "period": report.period.name}
        if report.state == State.RETURNED:
            subject = (
                _("6Aika portal: status report %(period)s of %(project)s was returned") % names
            )
            lines = [
                _(
                    "The strategy office returned the status report %(period)s of %(project)s for "
                    "correction."
                )
                % names,
                "",
                _("What should be corrected:"),
                comment.strip(),
                "",
                _("Correct the report and submit it again: %(link)s") % {"link": link},
            ]
        else:
            subject = (
                _("6Aika portal: status report %(period)s of %(project)s was accepted") % names
            )
            lines = [
                _("The strategy office accepted the status report %(period)s of %(project)s.")
                % names,
            ]
            if comment.strip():
                lines += ["", _("Comment:"), comment.strip()]
            lines += ["", _("The report: %(link)s") % {"link": link}]
    body = "\n".join(lines)
    recipient = author.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    )


@dataclass(frozen=True)
class Submission:
    """What submitting did: the report, and why it is still a draft ("" once submitted) with
    the fields that are missing (their names in the form)."""

    report: StatusReport
    problem: str = ""
    missing: tuple[str, ...] = ()


@audited
def status_report_submit(
    *, report: StatusReport, content: ReportContent, expected_version: int, by
) -> Submission:
    """Save the editor's content and submit the report (resubmit a returned one) in one
    transaction: when either half is refused or fails, neither is saved. A report still lacking
    what a submitted one needs is kept as a saved draft instead, with the missing fields named,
    so that the editor's typing is not lost. Raises what ``status_report_update`` raises."""
    with transaction.atomic():
        saved = status_report_update(
            report=report, content=content, expected_version=expected_version, by=by
        )
        missing = report_missing_field_names(saved)
        if missing:
            return Submission(
                saved,
                _("Fill in before submitting: %(fields)s.")
                % {"fields": ", ".join(report_missing_fields(saved))},
                tuple(missing),
            )
        to_state = State.RESUBMITTED if saved.state == State.RETURNED else State.SUBMITTED
        return Submission(status_report_transition(report=saved, to_state=to_state, by=by))


def report_reminders_send(*, today: dt.date | None = None) -> int:
    """Email every coordinator about their cities' reports due within 14 days and overdue ones.

    Returns the number of emails sent. The mail goes out after the transaction commits.
    """
    from . import selectors

    today = today or timezone.localdate()
    sent = 0
    for user, cities in selectors.coordinators_with_cities():
        if not user.email:
            continue
        overview = selectors.report_obligations(city_ids=[c.pk for c in cities], today=today)
        due = [o for o in overview if o.due_soon]
        overdue = [o for o in overview if o.overdue]
        if not due and not overdue:
            continue
        with override(languages.language_of(user)):  # the recipient's language
            lines = [_("Status reports of your city's projects:"), ""]
            if overdue:
                lines.append(_("Overdue:"))
                lines += [
                    f"- {o.project} ({o.period}, {date_format(o.period.due_date)})" for o in overdue
                ]
                lines.append("")
            if due:
                lines.append(_("Due within 14 days:"))
                lines += [
                    f"- {o.project} ({o.period}, {date_format(o.period.due_date)})" for o in due
                ]
            subject = _("6Aika portal: %(due)d reports due, %(overdue)d overdue") % {
                "due": len(due),
                "overdue": len(overdue),
            }
        send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
