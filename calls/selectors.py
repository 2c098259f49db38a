"""Reads for the call, application and evaluation pages, and the evaluation summary.

The summary's arithmetic: a member's score of an application is the weighted mean of their
criterion scores (weights normalised to sum to one, so the result stays on the 0–5 scale); the
application's score is the mean of its members' scores, with the number of scores, the spread
(lowest–highest and the sample standard deviation) and a competition ranking ("1, 2, 2, 4").
Ineligible and unscored applications are listed but not ranked. The running total adds the
requested funding in ranking order and says where it passes the money available.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from core.page_cache import shared_data
from governance.models import VOTING_ROLES, AgendaItem, Body, Decision, Minutes, Person

from .models import (
    Application,
    Call,
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationConflict,
)

TWO = Decimal("0.01")


def steering_group_evaluators() -> QuerySet[Person]:
    """People who score applications: those holding a voting seat in the steering group."""
    return Person.objects.filter(
        seats__body__kind=Body.Kind.STEERING_GROUP, seats__role__in=VOTING_ROLES
    ).distinct()


def calls_list(calls: QuerySet[Call]) -> QuerySet[Call]:
    """The calls page: programme, funder and the number of applications, in one query."""
    return calls.select_related("programme", "funder").annotate(
        application_count=Count("applications")
    )


def call_detail(pk: int) -> Call:
    return (
        Call.objects.select_related("programme", "funder")
        .prefetch_related("themes", "criteria")
        .get(pk=pk)
    )


def call_applications(call: Call) -> list[Application]:
    """The call's applications with applicants, cities and board decision: four queries."""
    return list(
        call.applications.select_related("applicant", "agenda_item__decision", "project")
        .prefetch_related("co_applicants", "cities")
        .annotate(evaluation_count=Count("evaluations", distinct=True))
        .order_by("stage", "title")
    )


@dataclass
class EvaluatorView:
    """Where one member stands with each application of a call: to score, scored, conflicted."""

    scored: set[int]
    declared: dict[int, EvaluationConflict]
    proposed: dict[int, EvaluationConflict]


def evaluator_view(call: Call, person: Person) -> EvaluatorView:
    """Two queries: the member's evaluations and conflicts in the call."""
    scored = set(
        Evaluation.objects.filter(application__call=call, evaluator=person).values_list(
            "application_id", flat=True
        )
    )
    declared, proposed = {}, {}
    for conflict in EvaluationConflict.objects.filter(application__call=call, person=person):
        (declared if conflict.confirmed else proposed)[conflict.application_id] = conflict
    return EvaluatorView(scored=scored, declared=declared, proposed=proposed)


def application_detail(pk: int) -> Application:
    return (
        Application.objects.select_related(
            "call__programme",
            "call__funder",
            "applicant__city",
            "idea",
            "agenda_item__meeting__body",
            "agenda_item__decision",
            "project",
            "funding_decision",
        )
        .prefetch_related(
            "co_applicants__city",
            "cities",
            "attachments",
            "call__criteria",
            Prefetch(
                "conflicts",
                queryset=EvaluationConflict.objects.select_related("person__organisation"),
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("evaluator").prefetch_related(
                    Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
                ),
            ),
        )
        .get(pk=pk)
    )


def application_decision(application: Application) -> Decision | None:
    """The board's decision on the agenda item the application is attached to, if any."""
    if application.agenda_item_id is None:
        return None
    return Decision.objects.filter(agenda_item_id=application.agenda_item_id).first()


def decision_is_final(decision: Decision | None) -> bool:
    """A board decision is final once the minutes of its meeting are approved."""
    return (
        decision is not None
        and Minutes.objects.filter(
            meeting_id=decision.agenda_item.meeting_id, state=Minutes.State.APPROVED
        ).exists()
    )


def project_funding(project_id: int) -> Application | None:
    """The application a project was funded from, with the board's decision and its meeting:
    one query (None for a project that did not come through a call)."""
    return (
        Application.objects.filter(project_id=project_id)
        .select_related("funding_decision__agenda_item__meeting__body")
        .first()
    )


def board_agenda_items() -> QuerySet[AgendaItem]:
    """Board agenda items an application can be put on, newest meeting first: one query."""
    return (
        AgendaItem.objects.filter(meeting__body__kind=Body.Kind.BOARD)
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "order")
    )


# ---------------------------------------------------------------------------------------------
# The evaluation summary


@dataclass
class SummaryRow:
    application: Application
    score: Decimal | None = None
    count: int = 0
    lowest: Decimal | None = None
    highest: Decimal | None = None
    stdev: Decimal | None = None
    rank: int | None = None
    running_total: Decimal | None = None
    within_available: bool | None = None
    conflicts: int = 0


@dataclass
class CallSummary:
    call: Call
    stage: str
    rows: list[SummaryRow] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def requested_total(self) -> Decimal:
        return sum((r.application.requested for r in self.rows), Decimal(0))

    @property
    def ranked_requested_total(self) -> Decimal:
        return sum((r.application.requested for r in self.rows if r.rank), Decimal(0))

    @property
    def money_available(self) -> Decimal:
        return self.call.money_available

    @property
    def oversubscription(self) -> Decimal | None:
        """Money requested by the ranked applications per euro available."""
        if not self.call.money_available:
            return None
        return (self.ranked_requested_total / self.call.money_available).quantize(TWO)

    def row_for(self, application_id: int) -> SummaryRow | None:
        return next((r for r in self.rows if r.application.pk == application_id), None)


def _q(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def summaries_for_calls(calls: list[Call], stage: str) -> dict[int, CallSummary]:
    """The evaluation summary of each call's applications at ``stage``: four queries in all,
    whatever the number of calls, applications, members and scores."""
    call_ids = [c.pk for c in calls]
    applications = list(
        Application.objects.filter(call_id__in=call_ids, stage=stage)
        .select_related("applicant", "agenda_item__decision", "project")
        .prefetch_related("co_applicants")
        .annotate(conflict_count=Count("conflicts", filter=Q(conflicts__confirmed=True)))
        .order_by("title", "pk")
    )
    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.filter(call_id__in=call_ids).order_by("order"):
        criteria[criterion.call_id].append(criterion)
    weights = {c.pk: c.weight for items in criteria.values() for c in items}
    per_evaluation: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for row in CriterionScore.objects.filter(
        evaluation__application__call_id__in=call_ids, evaluation__application__stage=stage
    ).values_list("evaluation__application_id", "evaluation_id", "criterion_id", "score"):
        application_id, evaluation_id, criterion_id, score = row
        per_evaluation[(application_id, evaluation_id)].append((criterion_id, score))
    member_scores: dict[int, list[Decimal]] = defaultdict(list)
    for (application_id, _evaluation_id), scores in per_evaluation.items():
        total_weight = sum(weights[c] for c, _s in scores)
        member_scores[application_id].append(sum(weights[c] * s for c, s in scores) / total_weight)

    summaries = {
        call.pk: CallSummary(call=call, stage=stage, criteria=criteria[call.pk]) for call in calls
    }
    for application in applications:
        row = SummaryRow(application=application, conflicts=application.conflict_count)
        values = member_scores.get(application.pk, [])
        if values:
            row.count = len(values)
            row.score = _q(sum(values) / len(values))
            row.lowest, row.highest = _q(min(values)), _q(max(values))
            if len(values) > 1:
                row.stdev = _q(statistics.stdev(float(v) for v in values))
        summaries[application.call_id].rows.append(row)

    for summary in summaries.values():
        ranked = sorted(
            (r for r in summary.rows if r.score is not None and r.application.is_eligible),
            key=lambda r: (-r.score, r.application.requested, r.application.title),
        )
        running = Decimal(0)
        previous_score, previous_rank = None, 0
        for position, row in enumerate(ranked, start=1):
            row.rank = previous_rank if row.score == previous_score else position
            previous_score, previous_rank = row.score, row.rank
            running += row.application.requested
            row.running_total = running
            row.within_available = running <= summary.call.money_available
        unranked = [r for r in summary.rows if r.rank is None]
        summary.rows = ranked + unranked
    return summaries


def call_summary(call: Call, stage: str = Application.Stage.FULL) -> CallSummary:
    return summaries_for_calls([call], stage)[call.pk]


def agenda_items_applications(item_ids: list[int]) -> dict[int, list[SummaryRow]]:
    """For the meeting page: the applications on each item with their evaluation summary rows.

    Five queries whatever the number of items, applications and calls; none while they are
    kept (core.page_cache.shared_data, until the data of calls, governance or projects
    changes): the same for everybody who may read applications, which the caller decides first.
    """
    return shared_data(
        ("calls", "governance", "projects"),
        lambda: _agenda_items_applications(item_ids),
        what=f"calls:agenda-items-applications:{sorted(item_ids)}",
    )


def _agenda_items_applications(item_ids: list[int]) -> dict[int, list[SummaryRow]]:
    attached = list(
        Application.objects.filter(agenda_item_id__in=item_ids)
        .select_related("call")
        .order_by("title")
    )
    if not attached:
        return {}
    calls = {a.call_id: a.call for a in attached}
    by_stage: dict[str, list[Call]] = defaultdict(list)
    for application in attached:
        if application.call not in by_stage[application.stage]:
            by_stage[application.stage].append(application.call)
    rows_by_app: dict[int, SummaryRow] = {}
    for stage, stage_calls in by_stage.items():
        for summary in summaries_for_calls(stage_calls, stage).values():
            for row in summary.rows:
                rows_by_app[row.application.pk] = row
    result: dict[int, list[SummaryRow]] = defaultdict(list)
    for application in attached:
        row = rows_by_app[application.pk]
        row.application.call = calls[application.call_id]
        result[application.agenda_item_id].append(row)
    return dict(result)
