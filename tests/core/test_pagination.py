"""core.pagination: the same pages as Django's Paginator, in one statement each, deep pages by a
deferred join, and kept keys that never show a row the queryset no longer holds."""

import uuid

import pytest
from django.core.paginator import Paginator

from core.pagination import DeferredJoinPaginator
from projects.models import Project
from tests.projects import factories


def _names(page) -> list[str]:
    return [p.name_fi for p in page.object_list]


@pytest.fixture
def projects(org_6aika):
    for name in ["Kuusi", "Yksi", "Kolme", "Viisi", "Kaksi", "Neljä", "Seitsemän"]:
        factories.project(name=name)
    return Project.objects.order_by("name_fi", "pk")


@pytest.mark.django_db
@pytest.mark.parametrize("kept", [False, True])
def test_the_same_pages_as_django_in_one_statement_each(projects, django_assert_num_queries, kept):
    version = uuid.uuid4().hex if kept else None  # the cache outlives a test: a version of its own
    plain = Paginator(projects, 3)
    deferred = DeferredJoinPaginator(projects, 3, version=version)
    deferred.count = plain.count  # as the views do: counted once, apart from the pages
    for number in plain.page_range:
        expected = _names(plain.page(number))
        with django_assert_num_queries(1):
            assert _names(deferred.page(number)) == expected
        with django_assert_num_queries(1):  # the keys kept (or the same deferred join)
            assert _names(deferred.page(number)) == expected
    assert [len(_names(deferred.page(n))) for n in plain.page_range] == [3, 3, 1]


@pytest.mark.django_db
def test_a_deep_page_reads_its_keys_first(projects, django_assert_num_queries):
    paginator = DeferredJoinPaginator(projects, 3)
    paginator.count = 7
    with django_assert_num_queries(1) as captured:
        assert _names(paginator.page(2)) == ["Neljä", "Seitsemän", "Viisi"]
    sql = captured.captured_queries[0]["sql"]
    assert "IN (SELECT" in sql and "OFFSET 3" in sql


@pytest.mark.django_db
def test_kept_keys_never_show_a_row_the_queryset_no_longer_holds(projects):
    running = projects.filter(status=Project.Status.RUNNING)
    first, second = uuid.uuid4().hex, uuid.uuid4().hex

    def page_one(version: str) -> list[str]:
        paginator = DeferredJoinPaginator(running, 3, version=version)
        paginator.count = 7
        return _names(paginator.page(1))

    assert page_one(first) == [
        "Kaksi",
        "Kolme",
        "Kuusi",
    ]
    # A change the version does not follow (an update() sends no signal): the kept keys are
    # read within the queryset again, so the closed project is not shown.
    Project.objects.filter(name_fi="Kolme").update(status=Project.Status.CLOSED)
    assert page_one(first) == ["Kaksi", "Kuusi"]
    # Under a new version the page is read anew.
    assert page_one(second) == [
        "Kaksi",
        "Kuusi",
        "Neljä",
    ]


@pytest.mark.django_db
def test_with_rows_a_kept_page_is_read_from_its_keys_alone(projects, django_assert_num_queries):
    """A public list's conditions decide no access: the kept page's rows are the rows of its
    keys, in the list's order, without evaluating its conditions again."""
    searched = projects.filter(name_fi__istartswith="k")  # Kaksi, Kolme, Kuusi
    version = uuid.uuid4().hex

    def page_one() -> tuple[list[str], str]:
        paginator = DeferredJoinPaginator(searched, 2, version=version, rows=Project.objects.all())
        paginator.count = 3
        with django_assert_num_queries(1) as captured:
            names = _names(paginator.page(1))
        return names, captured.captured_queries[0]["sql"]

    names, read = page_one()
    assert names == ["Kaksi", "Kolme"] and "LIKE" in read  # read anew: the search itself
    names, kept = page_one()
    assert names == ["Kaksi", "Kolme"] and "LIKE" not in kept and "ORDER BY" in kept


@pytest.mark.django_db
def test_a_kept_count_follows_the_version_and_is_the_lists_own(projects, django_assert_num_queries):
    """With ``keep_count`` the count is kept under the version and the list's statement: read
    once per version, never another list's (a narrower list, another reader's), and counted
    anew under a new version."""
    version = uuid.uuid4().hex
    running = projects.filter(status=Project.Status.RUNNING)

    def counted(queryset, at: str) -> int:
        return DeferredJoinPaginator(queryset, 3, version=at, keep_count=True).count

    with django_assert_num_queries(1):
        assert counted(projects, version) == 7
    with django_assert_num_queries(0):
        assert counted(projects, version) == 7
    Project.objects.filter(name_fi="Kolme").update(status=Project.Status.CLOSED)
    expected = running.count()
    assert expected < 7
    with django_assert_num_queries(1):  # another statement: counted, not the whole list's 7
        assert counted(running, version) == expected
    factories.project(name="Kahdeksan")
    with django_assert_num_queries(0):  # the version is what says the list changed
        assert counted(projects, version) == 7
    with django_assert_num_queries(1):
        assert counted(projects, uuid.uuid4().hex) == 8
    with django_assert_num_queries(0):  # no row can meet the conditions: no query
        assert counted(projects.filter(pk__in=[]), version) == 0
    # Without a version nothing is kept: Django's count.
    with django_assert_num_queries(1):
        assert DeferredJoinPaginator(projects, 3, keep_count=True).count == 8
