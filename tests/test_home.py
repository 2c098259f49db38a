"""The visitor's home page (issue 18): what 6Aika is, the portfolio's figures, the board's next
meeting and the newest public decisions, in a pinned number of queries."""

import re
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import formats, timezone

from governance import selectors as governance_selectors
from governance.models import Body, Decision, Meeting, Minutes
from projects.models import Project
from projects.portfolio_cache import portfolio_changed
from sixaika.views import HOME_DECISIONS

# portfolio totals (cached after the first), the board's next meeting, the newest decisions
HOME_QUERIES = 3


def _eur_digits(html: str) -> str:
    return "".join(ch for ch in html if ch.isdigit())


@pytest.mark.django_db
def test_visitor_home_says_what_6aika_is_with_figures_meeting_and_decisions(
    client, org_6aika, django_assert_num_queries
):
    # the totals are cached under the portfolio's version: a new version, not cache.clear(),
    # which would empty the Redis database every test process shares (previews, counts)
    portfolio_changed()
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kuuden suurimman kaupungin" in html
    figures = html[
        html.index('class="key-figures"') : html.index("</ul>", html.index("key-figures"))
    ]
    count = Project.objects.count()
    assert f"<strong>{count}</strong>" in figures.replace("\u00a0", "")
    granted = Project.objects.aggregate(s=Sum("granted"))["s"] or 0
    assert f"{int(granted):d}" in _eur_digits(figures)

    public = Decision.objects.filter(agenda_item__meeting__minutes__state=Minutes.State.APPROVED)
    newest = governance_selectors.latest_decisions(public, limit=HOME_DECISIONS)
    if newest:
        for decision in newest:
            assert decision.agenda_item.title in html
    else:
        assert "Päätöksiä ei ole vielä julkaistu." in html
    upcoming = governance_selectors.next_board_meeting()
    if upcoming:
        assert f"{upcoming.body.name}, seuraava kokous" in html
    # Cached figures: the next visitor's page costs one query less.
    with django_assert_num_queries(HOME_QUERIES - 1):
        client.get(reverse("home"))


@pytest.mark.django_db
def test_visitor_home_names_the_boards_next_meeting_not_another_bodys(client, org_6aika):
    from django.contrib.auth import get_user_model

    from governance import services

    office = get_user_model().objects.create_superuser("home-office", password="x-unused-9876")
    Meeting.objects.filter(status=Meeting.Status.PLANNED).delete()
    board = Body.objects.get(kind=Body.Kind.BOARD)
    other = Body.objects.exclude(kind=Body.Kind.BOARD).first()
    soon = timezone.localtime() + timedelta(days=3)
    services.meeting_create(body=other, starts_at=soon, place="Tampere", by=office)
    later = services.meeting_create(
        body=board, starts_at=soon + timedelta(days=7), place="Espoo", by=office
    )
    html = client.get(reverse("home")).content.decode()
    when = formats.date_format(timezone.localtime(later.starts_at), "SHORT_DATETIME_FORMAT")
    assert f"{board.name}, seuraava kokous: {when}" in html
    assert f"{other.name}, seuraava kokous" not in html


@pytest.mark.django_db
def test_every_page_has_a_real_icon_file(client, settings):
    """Issue 18: the icon was a data: URL; it is a file of the portal's static files, an SVG
    the browser can fetch and cache (also on the error pages, which extend base.html)."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    for url in (reverse("home"), "/no-such-page/"):
        html = client.get(url).content.decode()
        icons = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
        assert icons == [f"{settings.STATIC_URL}favicon.svg"], (url, icons)
        assert 'rel="icon" href="data:' not in html
    found = finders.find("favicon.svg")
    assert found and Path(found).read_text(encoding="utf-8").startswith("<svg ")


@pytest.mark.django_db
def test_signed_in_home_lists_the_users_seats_in_their_language_and_follows_a_change(
    client, org_6aika
):
    """The seats a signed-in user holds, as member or as personal deputy (with the member's
    name), by the body's order, in the reader's language; read with the access checks on every
    request (issue 19), so a seat given or taken shows on the next page."""
    from django.contrib.auth import get_user_model

    from governance.models import Seat

    seat = Seat.objects.filter(
        body__kind=Body.Kind.BOARD, member__isnull=False, deputy__isnull=False
    ).select_related("body", "member", "deputy")[0]
    user = get_user_model().objects.create_user("home-deputy", password="x-unused-9876")
    seat.deputy.user = user
    seat.deputy.save()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("home")).content.decode()
    assert f"{seat.body.name_fi}:" in html
    assert f"henkilökohtainen varajäsen ({seat.member.full_name})" in html

    Body.objects.filter(pk=seat.body_id).update(name_en="The Board in English")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "The Board in English:" in html
    assert f"personal deputy of {seat.member.full_name}" in html

    steering = Seat.objects.exclude(body_id=seat.body_id).filter(role=Seat.Role.MEMBER)[0]
    steering.member = seat.deputy
    steering.save()
    html = client.get(reverse("home")).content.decode()
    assert f"{steering.body.name}:" in html  # a member: the seat's role, lower case
    assert html.index("The Board in English:") < html.index(f"{steering.body.name}:")
    assert "member" in html[html.index(f"{steering.body.name}:") :]

    Seat.objects.filter(pk=seat.pk).update(deputy=None)
    html = client.get(reverse("home")).content.decode()
    assert "personal deputy of" not in html
