"""Writes for calls, applications and evaluation. Keyword-only, atomic, validated with
full_clean. The rules of the procedure (a closed call takes nothing new, a conflicted member does
not score, only an approved decision funds) are enforced here whoever calls, not only in the UI.
Who may call is decided in permissions.py."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import generated
from core.tables import TableProblem, read_table
from governance.audit import audited
from governance.models import AgendaItem, Body, City, Decision, Minutes, Organisation, Person
from governance.services import conflict_propose, conflict_suggestions
from projects import services as project_services
from projects.models import TWO_CITY_RULE, Programme, Project, Theme

from .models import (
    CONFLICT_ORG_APPLIES,
    CONFLICT_ORG_APPLIES_UNDER_ITEM,
    Application,
    ApplicationAttachment,
    Call,
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationConflict,
)
from .selectors import steering_group_evaluators

FUNDING_OUTCOMES = (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Calls


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: Decimal
    description: str = ""


@audited
def call_create(
    *,
    name: str,
    programme: Programme,
    instrument: str,
    funder: Organisation,
    opens_on: dt.date,
    closes_on: dt.date,
    money_available: Decimal,
    criteria: list[CriterionSpec],
    themes: list[Theme] | None = None,
    description: str = "",
    two_stage: bool = False,
    by,
) -> Call:
    """A call with its evaluation criteria; a call is judged on at least one criterion."""
    if not criteria:
        raise ValidationError(_("Give the call at least one evaluation criterion."))
    names = [c.name.strip().casefold() for c in criteria]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two criteria have the same name."))
    with transaction.atomic():
        call = Call(
            name=name,
            description=description,
            programme=programme,
            instrument=instrument,
            funder=funder,
            opens_on=opens_on,
            closes_on=closes_on,
            money_available=money_available,
            two_stage=two_stage,
            created_by=by,
        )
        call.full_clean()
        call.save()
        call.themes.set(themes or [])
        for order, spec in enumerate(criteria, start=1):
            criterion = Criterion(
                call=call,
                order=order,
                name=spec.name.strip(),
                description=spec.description,
                weight=spec.weight,
            )
            criterion.full_clean()
            criterion.save()
        return call


# ---------------------------------------------------------------------------------------------
# Applications


@dataclass
class ApplicationSpec:
    """An application as the registration form or an import row gives it."""

    title: str
    applicant: Organisation
    summary: str
    budget: Decimal
    requested: Decimal
    stage: str = Application.Stage.FULL
    co_applicants: list[Organisation] = field(default_factory=list)
    declared_cities: list[City] = field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    idea: Application | None = None


def _eligibility(call: Call, organisations: list[Organisation]) -> dict[str, Any]:
    """The two-city rule's verdict as the application's fields: the text on the record in the
    portal's language (Finnish) whatever the language of the person registering, like the rest
    of the official record, and its code and values, which every reader gets in their language."""
    params = project_services.two_city_rule_breach(
        programme=call.programme, organisations=organisations
    )
    if params is None:
        return {"eligibility_problem": "", "eligibility_code": "", "eligibility_params": {}}
    with translation.override(settings.LANGUAGE_CODE):
        text = generated.render(TWO_CITY_RULE, params)
    return {
        "eligibility_problem": text,
        "eligibility_code": TWO_CITY_RULE,
        "eligibility_params": params,
    }


def application_organisations(application: Application) -> list[Organisation]:
    return [application.applicant, *application.co_applicants.all()]


@audited
def application_register(
    *, call: Call, spec: ApplicationSpec, by, today: dt.date | None = None
) -> Application:
    """Register an application the strategy office received. A closed call takes no new ones.

    The two-city rule is checked and its result kept on the application: an application that
    breaks it is still registered (it was received and gets a decision), marked ineligible with
    the reason, left out of the ranking and never funded.
    """
    today = _today(today)
    if today < call.opens_on:
        raise ValidationError(
            _("The call “%(call)s” opens on %(date)s; it takes no applications yet.")
            % {"call": call.name, "date": formats.date_format(call.opens_on)}
        )
    if today > call.closes_on:
        raise ValidationError(
            _("The call “%(call)s” closed on %(date)s; it takes no new applications.")
            % {"call": call.name, "date": formats.date_format(call.closes_on)}
        )
    co_applicants = list(dict.fromkeys(spec.co_applicants))
    if spec.applicant in co_applicants:
        raise ValidationError({"co_applicants": _("The applicant cannot also be a co-applicant.")})
    with transaction.atomic():
        application = Application(
            call=call,
            stage=spec.stage,
            idea=spec.idea,
            title=spec.title.strip(),
            applicant=spec.applicant,
            summary=spec.summary,
            budget=spec.budget,
            requested=spec.requested,
            start_date=spec.start_date,
            end_date=spec.end_date,
            registered_by=by,
            registered_at=timezone.now(),
            **_eligibility(call, [spec.applicant, *co_applicants]),
        )
        application.full_clean()
        application.save()
        application.co_applicants.set(co_applicants)
        cities = {c.pk for c in spec.declared_cities}
        cities |= {o.city_id for o in [spec.applicant, *co_applicants] if o.city_id}
        application.cities.set(cities)
        evaluation_conflicts_propose(application=application, by=by)
        return application


@dataclass
class ImportResult:
    created: list[Application] = field(default_factory=list)
    # (row number, column or "", message); row 1 is the header.
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # each created one's row in the file


IMPORT_COLUMNS = [
    "title",
    "stage",
    "applicant",
    "co_applicants",
    "cities",
    "summary",
    "budget",
    "requested",
    "start_date",
    "end_date",
]
REQUIRED_COLUMNS = ["title", "applicant", "summary", "budget", "requested"]


@audited
def applications_import(
    *, call: Call, data: bytes, by, today: dt.date | None = None, dry_run: bool = False
) -> ImportResult:
    """Import applications from CSV (UTF-8, comma, semicolon or tab): all rows or none.
    A ``dry_run`` (the preview) checks and writes every row and rolls it all back:
    ``result.created`` then holds the applications the file would register, unsaved.

    The file is read by ``core.tables``, its rows by ``resources.ApplicationResource``
    (django-import-export). Every problem is reported with its row and column; if any row
    fails nothing is saved. A title twice in the file, or already registered in the
    call at the same stage, is refused: importing a file again never doubles applications.
    """
    result = ImportResult()
    try:
        table = read_table(data, "applications.csv", xlsx=False)
    except TableProblem as problem:
        result.errors.append((problem.row, problem.column, str(problem)))
        return result
    header, rows = table.headers, table.rows
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.errors.append(
            (1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    unknown = [c for c in header if c not in IMPORT_COLUMNS]
    if unknown:
        result.errors.append(
            (1, "", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        )
        return result
    if not rows:
        result.errors.append((1, "", _("The file has no application rows.")))
        return result
    # The rows go through the resource (calls/resources.py), which calls this module's
    # application_register: imported here, as that module imports this one.
    from .resources import ApplicationResource

    numbers = list(rows)  # the file's row numbers: blank rows are no rows
    data_set = tablib.Dataset(headers=header)
    for row in rows.values():
        data_set.append([row[column] for column in header])
    resource = ApplicationResource(call=call, by=by, today=today, numbers=numbers)
    outcome = resource.import_data(
        data_set, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    for error in outcome.base_errors:
        raise error.error  # a fault of the portal, not of the file: not hidden as a row's
    for _line, row_errors in outcome.row_errors():
        raise row_errors[0].error
    for invalid in outcome.invalid_rows:
        number = numbers[invalid.number - 1]
        for column, messages in invalid.error_dict.items():
            column = "" if column == NON_FIELD_ERRORS else column
            result.errors.extend((number, column, message) for message in messages)
    result.created = [] if result.errors else resource.created
    result.numbers = [] if result.errors else numbers[: len(result.created)]
    return result


@audited
def attachment_add(
    *, application: Application, title: str, file: UploadedFile, by
) -> ApplicationAttachment:
    """Attach a PDF (checked by name, content type and first bytes, at most 10 MB)."""
    with transaction.atomic():
        attachment = ApplicationAttachment(
            application=application,
            title=title.strip() or file.name,
            file=file,
            original_name=file.name[:255],
            size=file.size,
            uploaded_by=by,
        )
        # The size validator says what is wrong in words; the database constraint on the size
        # stays as the guard (its generic message would only repeat it).
        attachment.full_clean(validate_constraints=False)
        attachment.save()
        return attachment


# ---------------------------------------------------------------------------------------------
# Conflicts of interest and scoring


def _applicant_org_ids(application: Application) -> set[int]:
    return {application.applicant_id, *application.co_applicants.values_list("pk", flat=True)}


def _generated_reason(code: str, params: dict[str, Any]) -> dict[str, Any]:
    """A reason the portal proposes: Finnish on the record, its code and values for readers."""
    with translation.override(settings.LANGUAGE_CODE):
        text = generated.render(code, params)
    return {"reason": text, "reason_code": code, "reason_params": params}


def conflict_reason(*, application: Application, person: Person) -> str:
    """Why ``person`` may not score ``application``, or "" if nothing stands in the way."""
    if person.organisation_id and person.organisation_id in _applicant_org_ids(application):
        return _("Your organisation %(org)s is among the applicants.") % {
            "org": person.organisation
        }
    declared = EvaluationConflict.objects.filter(
        application=application, person=person, confirmed=True
    ).first()
    if declared:
        return _("You have declared a conflict of interest: %(reason)s") % {
            "reason": declared.reason_text
        }
    return ""


@audited
def evaluation_conflicts_propose(*, application: Application, by) -> list[EvaluationConflict]:
    """Propose the obvious conflicts: steering group members whose organisation applies.

    Idempotent; a member confirms the proposal (``evaluation_conflict_declare``).
    """
    org_ids = _applicant_org_ids(application)
    proposed = []
    with transaction.atomic():
        for person in steering_group_evaluators().filter(organisation_id__in=org_ids):
            conflict, created = EvaluationConflict.objects.get_or_create(
                application=application,
                person=person,
                defaults={
                    **_generated_reason(CONFLICT_ORG_APPLIES, {"org": str(person.organisation)}),
                    "stage": EvaluationConflict.Stage.PROPOSED,
                    "declared_by": by,
                },
            )
            if created:
                proposed.append(conflict)
        return proposed


def _ensure_open_for_evaluation(application: Application) -> None:
    if Application.objects.filter(pk=application.pk, agenda_item__decision__isnull=False).exists():
        raise ValidationError(
            _("The board has already decided on this application; its evaluation is closed.")
        )


@audited
def evaluation_conflict_declare(
    *, application: Application, person: Person, reason: str, by
) -> EvaluationConflict:
    """The member declares (or confirms the portal's proposal of) a conflict and steps aside.

    The declaration and its reason are kept; any scores the member gave are withdrawn.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    with transaction.atomic():
        _ensure_open_for_evaluation(application)
        conflict = EvaluationConflict.objects.filter(
            application=application, person=person
        ).first() or EvaluationConflict(application=application, person=person, declared_by=by)
        if not generated.is_unchanged(
            conflict.reason_code, conflict.reason_params, conflict.reason, reason
        ):
            conflict.reason, conflict.reason_code, conflict.reason_params = reason.strip(), "", {}
        if conflict.stage != EvaluationConflict.Stage.PROPOSED:
            conflict.stage = EvaluationConflict.Stage.DECLARED
        conflict.confirmed = True
        conflict.confirmed_at = timezone.now()
        conflict.full_clean()
        conflict.save()
        Evaluation.objects.filter(application=application, evaluator=person).delete()
        return conflict


@audited
def evaluation_submit(
    *,
    application: Application,
    evaluator: Person,
    scores: dict[int, int],
    comment: str = "",
    by,
) -> Evaluation:
    """Save a steering group member's scores on every criterion of the call (replacing earlier
    ones). Refused for a conflicted member, a non-member, or once the board has decided."""
    if not steering_group_evaluators().filter(pk=evaluator.pk).exists():
        raise ValidationError(_("Only members of the steering group score applications."))
    reason = conflict_reason(application=application, person=evaluator)
    if reason:
        raise ValidationError(
            _("You cannot score this application because of a conflict of interest. %(reason)s")
            % {"reason": reason}
        )
    criteria = list(Criterion.objects.filter(call_id=application.call_id))
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(
            _("Score every criterion; missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    extra = set(scores) - {c.pk for c in criteria}
    if extra:
        raise ValidationError(_("A score was given for a criterion of another call."))
    with transaction.atomic():
        _ensure_open_for_evaluation(application)
        evaluation = Evaluation.objects.filter(
            application=application, evaluator=evaluator
        ).first() or Evaluation(application=application, evaluator=evaluator)
        evaluation.comment = comment
        evaluation.submitted_by = by
        evaluation.submitted_at = timezone.now()
        evaluation.full_clean()
        evaluation.save()
        evaluation.scores.all().delete()
        for criterion in criteria:
            score = CriterionScore(
                evaluation=evaluation, criterion=criterion, score=scores[criterion.pk]
            )
            try:
                score.full_clean(exclude=["evaluation"])
            except ValidationError as error:
                raise ValidationError({f"criterion_{criterion.pk}": error.messages}) from error
            score.save()
        return evaluation


# ---------------------------------------------------------------------------------------------
# The board: agenda items, decisions, funding


@audited
def application_agenda_item_attach(
    *, application: Application, item: AgendaItem | None, by
) -> list[Person]:
    """Put the application on a board agenda item (or take it off, with ``item=None``).

    The board members whose organisation applies get a conflict proposal on the item through
    governance's hook (unless the item is already decided); returns the people proposed.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.project_id:
            raise ValidationError(_("The application is already a funded project."))
        if item is not None and item.meeting.body.kind != Body.Kind.BOARD:
            raise ValidationError(
                {"agenda_item": _("Applications are decided at the board's meetings.")}
            )
        application.agenda_item = item
        application.full_clean()
        application.save()
        if item is None or Decision.objects.filter(agenda_item=item).exists():
            return []
        people = conflict_suggestions(
            item=item, applicant_org_ids=sorted(_applicant_org_ids(application))
        )
        for person in people:
            conflict_propose(
                item=item,
                person=person,
                **_generated_reason(
                    CONFLICT_ORG_APPLIES_UNDER_ITEM,
                    {"org": str(person.organisation), "title": application.title},
                ),
                by=by,
            )
        return people


@audited
def application_fund_from_decision(*, application: Application, decision: Decision, by) -> Project:
    """Turn an application the board approved, in approved minutes, into a project of the
    portfolio. Called for every such application when the minutes are approved
    (``applications_fund_on_minutes_approved``), and by the strategy office for an application
    put on an item after its minutes were approved.

    The project gets the applicant as lead and the co-applicants as co-implementers, the cities,
    the call's funder and instrument with the requested amount as granted, and the application
    keeps the link to the decision. Refused for any other outcome: a rejected application stays
    an application with its history.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call__programme", "call__funder", "applicant")
            .get(pk=application.pk)
        )
        if application.project_id:
            raise ValidationError(_("The application is already a funded project."))
        if (
            application.agenda_item_id is None
            or decision.agenda_item_id != application.agenda_item_id
        ):
            raise ValidationError(
                _("The decision is not on the agenda item this application was attached to.")
            )
        if not Minutes.objects.filter(
            meeting_id=decision.agenda_item.meeting_id, state=Minutes.State.APPROVED
        ).exists():
            raise ValidationError(
                _(
                    "The board's decision becomes final when the minutes of its meeting are "
                    "approved; the project is created then."
                )
            )
        if decision.outcome not in FUNDING_OUTCOMES:
            raise ValidationError(
                _("The board's decision is “%(outcome)s”; only an approved application is funded.")
                % {"outcome": decision.get_outcome_display()}
            )
        if application.stage != Application.Stage.FULL:
            raise ValidationError(_("An idea paper is not funded; a full application is."))
        if application.eligibility_problem:
            raise ValidationError(application.eligibility_problem_text)
        call = application.call
        project = project_services.project_upsert(
            spec=project_services.ProjectSpec(
                name_fi=application.title,
                summary_fi=application.summary,
                programme=call.programme,
                theme=call.themes.first(),
                lead=application.applicant,
                partners=[(org, None) for org in application.co_applicants.all()],
                declared_cities=list(application.cities.all()),
                start_date=application.start_date,
                end_date=application.end_date,
                status=None if application.start_date else Project.Status.PLANNED,
                total_cost=application.budget,
                grants=[(call.funder, call.instrument, application.requested)],
            ),
            project=Project(),
        )
        application.project = project
        application.funding_decision = decision
        application.full_clean()
        application.save()
        return project


def applications_fund_on_minutes_approved(*, minutes: Minutes, by) -> list[str]:
    """When minutes are approved, every application the board approved in them becomes a
    project (governance calls this inside ``minutes_approve``, see ``apps.py``).

    Idempotent: an application already funded is left alone. One that cannot be funded (an idea
    paper, or one breaking the two-city rule) stays an application, and the note says why; it
    never blocks the approval of the minutes. Returns a note per application for the approver.
    """
    applications = (
        Application.objects.filter(
            agenda_item__meeting_id=minutes.meeting_id,
            agenda_item__decision__outcome__in=FUNDING_OUTCOMES,
            project__isnull=True,
        )
        .select_related("agenda_item__decision")
        .order_by("agenda_item__order", "title")
    )
    notes = []
    for application in applications:
        try:
            with transaction.atomic():
                application_fund_from_decision(
                    application=application, decision=application.agenda_item.decision, by=by
                )
        except ValidationError as refusal:
            notes.append(
                _("“%(title)s” was approved but is not made a project: %(reason)s")
                % {"title": application.title, "reason": " ".join(refusal.messages)}
            )
        else:
            notes.append(
                _("“%(title)s” is now a project in the portfolio.") % {"title": application.title}
            )
    return notes
