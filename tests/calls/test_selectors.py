"""The evaluation summary: weighted scores, spread, ranking, money; its query count."""

from decimal import Decimal

import pytest

from calls import selectors as calls_selectors
from calls import services as calls_services
from governance.models import Person

from . import factories as f

pytestmark = pytest.mark.django_db

MEMBERS = [("Kimmo", "Heinonen"), ("Päivi", "Sutinen"), ("Jukka", "Anttila")]


@pytest.fixture
def office(org_6aika):
    return f.office_user()


@pytest.fixture
def members(org_6aika):
    return [f.evaluator_user(first, last).person for first, last in MEMBERS]


def test_weighted_score_spread_ranking_and_money(office, members):
    # Weights 3 and 1 normalise to 0.75 and 0.25.
    call = f.call(money="250000", by=office)
    a = f.application(call, title="A", requested="100000", by=office)
    b = f.application(call, title="B", requested="120000", by=office)
    c = f.application(call, title="C", requested="90000", by=office)
    unscored = f.application(call, title="D", requested="10000", by=office)
    ineligible = f.application(
        call, title="E", applicant=f.org("Metropolia", "helsinki"), co_applicants=[], by=office
    )
    heinonen, sutinen, anttila = members
    f.score(a, heinonen, [4, 0])  # 3.00
    f.score(a, sutinen, [2, 2])  # 2.00
    f.score(a, anttila, [5, 5])  # 5.00
    f.score(b, heinonen, [5, 1])  # 4.00
    f.score(c, heinonen, [4, 4])  # 4.00, the smaller request ranks first on a tie
    f.score(ineligible, heinonen, [5, 5])

    summary = calls_selectors.call_summary(call)
    rows = {r.application.title: r for r in summary.rows}
    assert rows["A"].score == Decimal("3.33")
    assert rows["A"].count == 3
    assert (rows["A"].lowest, rows["A"].highest) == (Decimal("2.00"), Decimal("5.00"))
    assert rows["A"].stdev == Decimal("1.53")
    assert rows["B"].stdev is None  # one score has no spread
    assert [r.application.title for r in summary.rows] == ["C", "B", "A", "D", "E"]
    assert [r.rank for r in summary.rows] == [1, 1, 3, None, None]
    assert [r.running_total for r in summary.rows[:3]] == [
        Decimal("90000"),
        Decimal("210000"),
        Decimal("310000"),
    ]
    assert [r.within_available for r in summary.rows[:3]] == [True, True, False]
    assert rows["D"].count == 0 and rows["D"].score is None
    assert rows["E"].rank is None and rows["E"].score == Decimal("5.00")
    assert summary.requested_total == Decimal("420000")
    assert summary.ranked_requested_total == Decimal("310000")
    assert summary.oversubscription == Decimal("1.24")
    assert summary.row_for(unscored.pk).application == unscored


def test_conflicted_members_are_counted_not_scored(office, members):
    call = f.call(by=office)
    application = f.application(call, by=office)
    calls_services.evaluation_conflict_declare(
        application=application, person=members[0], reason="Jäävi.", by=office
    )
    row = calls_selectors.call_summary(call).rows[0]
    assert row.conflicts == 1 and row.count == 0


def _populate(call, office, members, size):
    for n in range(size):
        application = f.application(call, title=f"Hakemus {n}", by=office)
        for member in members:
            f.score(application, member, [n % 6, (n + 1) % 6])


@pytest.mark.parametrize("size", [2, 8])
def test_summary_query_count_does_not_grow(office, members, size, django_assert_num_queries):
    call = f.call(by=office)
    _populate(call, office, members, size)
    with django_assert_num_queries(4):
        summary = calls_selectors.call_summary(call)
        rows = [
            (r.application.applicant.name, [o.name for o in r.application.co_applicants.all()])
            for r in summary.rows
        ]
    assert len(rows) == size


@pytest.mark.parametrize("size", [1, 4])
def test_meeting_panel_query_count_does_not_grow(office, members, size, django_assert_num_queries):
    from .test_services import board_item

    items = [board_item(office, title=f"Asia {n}") for n in range(size)]
    for item in items:
        call = f.call(by=office)
        _populate(call, office, members, 2)
        for application in call.applications.all():
            calls_services.application_agenda_item_attach(
                application=application, item=item, by=office
            )
    with django_assert_num_queries(5):
        panels = calls_selectors.agenda_items_applications([i.pk for i in items])
        titles = [r.application.call.name for rows in panels.values() for r in rows]
    assert len(titles) == 2 * size


def test_evaluators_are_the_steering_group_voting_members(org_6aika):
    names = set(calls_selectors.steering_group_evaluators().values_list("last_name", flat=True))
    assert {"Perttunen", "Birkstedt", "Haataja", "Mäntyniemi"} <= names
    assert "Puhtila" not in names  # a deputy
    assert "Antola" not in names  # the board's chair
    assert Person.objects.filter(last_name="Puhtila").exists()


@pytest.mark.parametrize("size", [1, 5])
def test_call_page_query_counts_do_not_grow(office, members, size, django_assert_num_queries):
    call = f.call(by=office)
    _populate(call, office, members, size)
    applications = list(call.applications.all())
    calls_services.evaluation_conflict_declare(
        application=applications[0], person=members[0], reason="Jäävi.", by=office
    )
    with django_assert_num_queries(3):
        rows = calls_selectors.call_applications(call)
        shown = [
            (
                a.applicant.name,
                [o.name for o in a.co_applicants.all()],
                [c.name for c in a.cities.all()],
                a.evaluation_count,
            )
            for a in rows
        ]
    assert len(shown) == size
    with django_assert_num_queries(2):
        view = calls_selectors.evaluator_view(call, members[0])
    assert applications[0].pk in view.declared
    with django_assert_num_queries(9):
        detail = calls_selectors.application_detail(applications[-1].pk)
        scores = [
            (e.evaluator.full_name, [s.criterion.name for s in e.scores.all()])
            for e in detail.evaluations.all()
        ]
        names = [o.name for o in detail.co_applicants.all()] + [
            c.person.organisation.name for c in detail.conflicts.all()
        ]
    assert len(scores) == len(members) - (1 if size == 1 else 0)
    assert names
