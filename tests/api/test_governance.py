"""/api/v1/bodies/, /decisions/ and /organisations/: published names only, approved minutes
only, a fixed number of queries."""

import pytest
from django.urls import reverse

from governance.models import Body, City, Minutes, Organisation, Person, Seat
from projects.api.selectors import organisations_public

from . import factories
from .responses import text as body_text_of

PERSON_KEYS = {"name", "title", "organisation"}


@pytest.mark.django_db
def test_bodies_show_published_names_titles_and_organisations_only(api):
    board = Body.objects.get(kind=Body.Kind.BOARD)
    seat = Seat.objects.filter(body=board, member__isnull=False, deputy__isnull=False).first()
    member = seat.member
    Person.objects.filter(pk=member.pk).update(
        email="salainen@example.org", phone="+358 40 1234567", unit="SALAINEN-YKSIKKÖ"
    )
    response = api.get(reverse("api:body-list"))
    assert response.status_code == 200
    data = response.json()
    assert {b["kind"] for b in data["results"]} == {"board", "steering_group"}
    body = next(b for b in data["results"] if b["kind"] == "board")
    assert body["url"] == f"http://testserver/api/v1/bodies/{board.pk}/"
    assert body["decisions"] == "http://testserver/api/v1/decisions/?body=board"
    shown = next(s for s in body["seats"] if s["order"] == seat.order)
    assert shown["member"]["name"] == member.full_name
    assert shown["member"]["title"]["fi"] == (member.title_fi or None)
    assert shown["deputy"]["name"] == seat.deputy.full_name
    for s in body["seats"]:
        for person in (s["member"], s["deputy"]):
            assert person is None or set(person) == PERSON_KEYS
    body_text = response.content.decode()
    for private in ("salainen@example.org", "1234567", "SALAINEN-YKSIKKÖ", '"email"', '"user"'):
        assert private not in body_text
    for fmt in ("csv", "json"):
        download = api.get(reverse("api:download", kwargs={"dataset": "bodies", "fmt": fmt}))
        text = body_text_of(download)
        assert member.last_name in text
        for private in ("salainen@example.org", "1234567", "SALAINEN-YKSIKKÖ"):
            assert private not in text, (fmt, private)


@pytest.mark.django_db
def test_rotating_seat_has_its_label_and_no_member(api):
    steering = Body.objects.get(kind=Body.Kind.STEERING_GROUP)
    rotating = Seat.objects.filter(body=steering, is_rotating=True).first()
    if rotating is None:  # the real data has one; make sure the test cannot pass vacuously
        pytest.fail("the 6Aika steering group should have a rotating seat")
    data = api.get(reverse("api:body-detail", args=[steering.pk])).json()
    seat = next(s for s in data["seats"] if s["order"] == rotating.order)
    assert seat["is_rotating"] is True
    assert seat["label"]["fi"] == rotating.label_fi


@pytest.mark.django_db
def test_decisions_of_approved_minutes_only(api):
    approved = factories.meeting(approved=True, day=3)
    draft = factories.meeting(approved=False, day=10)
    data = api.get(reverse("api:decision-list")).json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first["item_number"] == 1
    assert first["title"]["fi"] == "Asia 1"
    assert first["text"] == "Päätös 1"
    assert first["outcome"] == "approved"
    assert first["body"]["kind"] == "board"
    assert first["meeting"]["id"] == approved.pk
    assert first["meeting"]["minutes_pdf"].endswith(f"/meetings/{approved.pk}/minutes.pdf")
    hidden = draft.items.first().decision
    assert api.get(reverse("api:decision-detail", args=[hidden.pk])).status_code == 404
    for url in (
        reverse("api:decision-list"),
        reverse("api:download", kwargs={"dataset": "decisions", "fmt": "json"}),
        reverse("api:download", kwargs={"dataset": "decisions", "fmt": "csv"}),
    ):
        text = body_text_of(api.get(url))
        assert "Päätös 1" in text
        assert factories.DRAFT_MINUTES_TEXT not in text, url
        assert factories.SECRET_DRAFT_DECISION not in text, url
    # Checked but not yet approved minutes are not public either.
    Minutes.objects.filter(meeting=draft).update(state=Minutes.State.CHECKED)
    assert api.get(reverse("api:decision-list")).json()["count"] == 2
    # Once approved, they are.
    Minutes.objects.filter(meeting=draft).update(
        state=Minutes.State.APPROVED, approved_at=approved.starts_at
    )
    assert api.get(reverse("api:decision-list")).json()["count"] == 4


@pytest.mark.django_db
def test_decision_filters(api):
    march = factories.meeting(approved=True, day=3, items=2)
    later = factories.meeting(approved=True, day=20, items=1)

    def meetings(**params):
        response = api.get(reverse("api:decision-list"), params)
        assert response.status_code == 200, response.content
        return [d["meeting"]["id"] for d in response.json()["results"]]

    assert meetings(date_from="2025-03-10") == [later.pk]
    assert meetings(date_to="2025-03-10") == [march.pk, march.pk]
    assert meetings(body="board") == [march.pk, march.pk, later.pk]
    assert meetings(body="steering_group") == []
    assert meetings(outcome="rejected") == []
    assert meetings(q="Asia 2") == [march.pk]
    assert api.get(reverse("api:decision-list"), {"body": "council"}).status_code == 400
    assert api.get(reverse("api:decision-list"), {"date_from": "3.3.2025"}).status_code == 400


@pytest.mark.django_db
def test_organisations(api):
    factories.project(cities=("oulu", "turku"))
    data = api.get(reverse("api:organisation-list"), {"city": "oulu"}).json()
    assert [o["name"] for o in data["results"]] == [
        o.name for o in organisations_public().filter(city__slug="oulu")
    ]
    # Only organisations that public data names: a bare one is not listed.
    bare = Organisation.objects.create(name="Ei missään Oy", city=City.objects.get(slug="oulu"))
    listed = api.get(reverse("api:organisation-list"), {"page_size": 500}).json()["results"]
    assert bare.name not in [o["name"] for o in listed]
    assert "Toteuttaja" in " ".join(o["name"] for o in data["results"])
    kinds = api.get(reverse("api:organisation-list"), {"kind": "regional_council"}).json()
    assert "API Rahoittaja" in [o["name"] for o in kinds["results"]]


# count, page, seats (with members, deputies and organisations)
BODY_LIST_QUERIES = 3
DECISION_LIST_QUERIES = 2  # count, page
ORGANISATION_LIST_QUERIES = 2  # count, page


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_governance_queries_are_fixed(api, django_assert_num_queries, size):
    for day in range(1, size + 1):
        factories.meeting(approved=True, day=day, items=2)
        factories.project()
    for url, expected in (
        (reverse("api:body-list"), BODY_LIST_QUERIES),
        (reverse("api:decision-list"), DECISION_LIST_QUERIES),
        (reverse("api:decision-list") + "?q=Asia&date_from=2025-01-01", DECISION_LIST_QUERIES),
        (reverse("api:decision-list") + "?body=board", DECISION_LIST_QUERIES + 1),
        (reverse("api:organisation-list"), ORGANISATION_LIST_QUERIES),
    ):
        with django_assert_num_queries(expected):
            response = api.get(url)
        assert response.status_code == 200, url
    assert api.get(reverse("api:decision-list")).json()["count"] == 2 * size
    board = Body.objects.get(kind="board")
    with django_assert_num_queries(2):  # the body, its seats
        assert api.get(reverse("api:body-detail", args=[board.pk])).status_code == 200
    decision_id = api.get(reverse("api:decision-list")).json()["results"][0]["id"]
    with django_assert_num_queries(1):
        assert api.get(reverse("api:decision-detail", args=[decision_id])).status_code == 200
