"""Prepared queries: compiled once, the same rows as the ORM's query for every value."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.prepared import Prepared
from governance.models import Seat
from governance.permissions import _SEATS


@pytest.mark.django_db
def test_the_seats_are_the_orms_for_every_account_and_compiled_once(demo_users):
    from django.db.models import Q

    held = 0
    for user in demo_users.values():
        orm = Seat.objects.filter(Q(member__user_id=user.pk) | Q(deputy__user_id=user.pk))
        expected = sorted(orm.values_list(*_SEATS._columns))
        assert sorted(_SEATS.rows(user.pk)) == expected
        held += bool(expected)
    assert held >= 3  # the board's chair, vice-chair and members among the demo accounts
    with CaptureQueriesContext(connection) as queries:
        _SEATS.rows(demo_users["johtoryhma-pj"].pk)
    assert len(queries) == 1


@pytest.mark.django_db
def test_roles_are_read_by_one_prepared_query(demo_users):
    from core.access import Access

    user = demo_users["koordinaattori-helsinki"]
    with CaptureQueriesContext(connection) as queries:
        roles = Access(user).roles
    assert roles == frozenset(user.groups.values_list("name", flat=True)) != frozenset()
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_query_whose_parameters_are_not_all_the_value_is_refused():
    both = Prepared(
        lambda value, columns: Group.objects.filter(pk=value, name="x").values_list(*columns), "pk"
    )
    with pytest.raises(ValueError, match="every parameter"):
        both.rows(1)
    none = Prepared(lambda value, columns: Group.objects.values_list(*columns), "pk")
    with pytest.raises(ValueError, match="every parameter"):
        none.rows(1)
    unnamed = Prepared(lambda value, columns: Group.objects.filter(pk=value).values_list("pk"), "x")
    with pytest.raises(ValueError, match="names its columns"):
        unnamed.rows(1)
