import pytest
from django.urls import reverse

from governance.models import Body, Organisation, Person, Seat


@pytest.mark.django_db
def test_governance_page_is_public_and_lists_every_seat(client, org_6aika):
    response = client.get(reverse("governance:bodies"))
    assert response.status_code == 200
    html = response.content.decode()
    for seat in Seat.objects.select_related("member", "deputy"):
        if seat.member:
            assert seat.member.full_name in html
        if seat.deputy:
            assert seat.deputy.full_name in html
    assert "6Aika-kaupunkikoordinaattori (vaihtuva edustus)" in html
    assert "Johtoryhmä" in html and "Ohjausryhmä" in html
    assert "Esittelijä" in html and "Puheenjohtaja" in html and "Varapuheenjohtaja" in html


def _add_seats(n):
    body = Body.objects.get(kind="board")
    org = Organisation.objects.create(name="Lisä Oy", kind="company")
    start = body.seats.count() + 1
    for i in range(n):
        member = Person.objects.create(first_name="Extra", last_name=f"Member{i}", organisation=org)
        deputy = Person.objects.create(first_name="Extra", last_name=f"Deputy{i}", organisation=org)
        Seat.objects.create(
            body=body, order=start + i, member=member, organisation=org, deputy=deputy
        )


@pytest.mark.django_db
@pytest.mark.parametrize("extra_seats", [0, 25])
def test_governance_page_query_count_does_not_grow_with_seats(
    client, org_6aika, django_assert_num_queries, extra_seats
):
    _add_seats(extra_seats)
    with django_assert_num_queries(2):  # bodies, seats with people and organisations
        response = client.get(reverse("governance:bodies"))
    assert response.status_code == 200
