"""/reports/ in the browser: asking, progress, download, bad input and who may have what."""

import pytest
from django.test import Client

from governance.models import City
from reports import services as report_services
from reports.models import Report
from tests.reports import data as reports_data
from tests.reports.data import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(org_6aika):
    return {
        "office": reports_data.user("strategy_office"),
        "board": reports_data.user("board"),
        "steering": reports_data.user("steering_group"),
        "oulu": reports_data.user("coordinator", city="oulu"),
        "helsinki": reports_data.user("coordinator", city="helsinki"),
        "funder": reports_data.user("funder"),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_office_asks_sees_progress_and_downloads(users):
    reports_data.portfolio()
    client = client_for(users["office"])
    page = client.get("/reports/")
    assert page.status_code == 200
    assert "Pyydä raportti" in page.content.decode()
    response = client.post(
        "/reports/", {"kind": "board", "as_of": AS_OF.isoformat(), "language": "fi"}
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/"
    assert report.requested_by == users["office"] and report.status == "queued"
    detail = client.get(response.url).content.decode()
    assert "Jonossa" in detail
    assert f'hx-get="/reports/{report.pk}/status/"' in detail  # polls while queued
    assert 'hx-trigger="every 2s"' in detail
    report_services.report_make(report_id=report.pk)
    partial = client.get(f"/reports/{report.pk}/status/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "hx-trigger" not in body  # done: polling stops
    assert f"/reports/{report.pk}/download/" in body
    assert partial["HX-Refresh"] == "true"  # the page reloads once to show the figures
    detail = client.get(f"/reports/{report.pk}/").content.decode()
    assert "<svg" in detail and "Hankkeet tilan mukaan" in detail  # the PDF's chart
    download = client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    listing = client.get("/reports/").content.decode()
    assert "Johtoryhmän seurantaraportti" in listing


def test_an_identical_request_shows_the_report_already_being_made(users):
    client = client_for(users["office"])
    data = {"kind": "board", "as_of": AS_OF.isoformat(), "language": "fi"}
    first = client.post("/reports/", data)
    second = client.post("/reports/", data, follow=True)
    assert Report.objects.count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "Sama raportti on jo tekeillä" in second.content.decode()


@pytest.mark.parametrize(
    ("who", "data", "field", "message"),
    [
        ("office", {"kind": "city"}, "city", "Valitse kaupunki."),
        ("office", {"kind": "project"}, "project", "Valitse hanke."),
        ("office", {"kind": "meeting_pack"}, "meeting", "Valitse kokous."),
        ("office", {"kind": "board", "as_of": "31.2.2026"}, "as_of", "Syötä oikea päivämäärä."),
        ("oulu", {"kind": "city", "city": "helsinki"}, "city", "Sinulla ei ole oikeutta"),
        ("oulu", {"kind": "board"}, "kind", "Valitse oikea vaihtoehto."),
    ],
)
def test_bad_requests_say_what_is_wrong_and_save_nothing(users, who, data, field, message):
    form = {"as_of": AS_OF.isoformat(), "language": "fi", **data}
    if "city" in data:
        form["city"] = City.objects.get(slug=data["city"]).pk
    response = client_for(users[who]).post("/reports/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert Report.objects.count() == 0


def test_a_coordinator_asks_for_their_citys_report(users):
    oulu = City.objects.get(slug="oulu")
    response = client_for(users["oulu"]).post(
        "/reports/", {"kind": "city", "city": oulu.pk, "as_of": AS_OF.isoformat(), "language": "en"}
    )
    assert response.status_code == 302
    assert Report.objects.get().city == oulu


def _report(kind, by, **subject) -> Report:
    report, _ = report_services.report_request(kind=kind, as_of=AS_OF, by=by, **subject)
    return report


@pytest.mark.parametrize(
    ("kind", "allowed", "denied"),
    [
        ("board", ["office", "board", "steering"], ["oulu", "helsinki", "funder"]),
        ("city", ["office", "board", "steering", "oulu"], ["helsinki", "funder"]),
        # a pack follows its meeting's page: the bodies' seats decide, not the role names
        # (tests/reports/test_board_access.py has the board's members and deputies)
        ("meeting_pack", ["office"], ["board", "steering", "oulu", "helsinki", "funder"]),
        ("project", ["office", "board", "steering", "oulu", "helsinki", "funder"], []),
    ],
)
def test_who_may_see_and_download_a_report(users, kind, allowed, denied):
    projects = reports_data.portfolio()
    subject = {
        "city": {"city": City.objects.get(slug="oulu")},
        "project": {"project": projects["a"]},
        "meeting_pack": {"meeting": reports_data.past_board_meeting()},
    }.get(kind, {})
    report = _report(kind, users["office"], **subject)
    report_services.report_make(report_id=report.pk)
    for who in allowed:
        client = client_for(users[who])
        assert client.get(f"/reports/{report.pk}/download/").status_code == 200, who
        assert str(report.pk) in client.get("/reports/").content.decode(), who
    for who in denied:
        client = client_for(users[who])
        assert client.get(f"/reports/{report.pk}/download/").status_code == 403, who
        assert client.get(f"/reports/{report.pk}/").status_code == 403, who
        assert f"/reports/{report.pk}/" not in client.get("/reports/").content.decode(), who


@pytest.mark.parametrize("kind", ["board", "city", "meeting_pack"])
def test_anonymous_users_are_sent_to_log_in(users, kind):
    subject = {
        "city": {"city": City.objects.get(slug="oulu")},
        "meeting_pack": {"meeting": reports_data.past_board_meeting()},
    }.get(kind, {})
    report = _report(kind, users["office"], **subject)
    report_services.report_make(report_id=report.pk)
    for url in (
        "/reports/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/status/",
        f"/reports/{report.pk}/download/",
    ):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_a_project_fact_sheet_is_public(users):
    """Anyone may read and download a finished fact sheet, as anyone may read the project's
    page; asking for one stays with the users of /reports/."""
    projects = reports_data.portfolio()
    report = _report("project", users["office"], project=projects["a"])
    report_services.report_make(report_id=report.pk)
    anonymous = Client()
    page = anonymous.get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    assert "Älykäs satama" in page.content.decode()
    assert users["office"].get_username() not in page.content.decode()  # who asked: internal
    download = anonymous.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")
    assert anonymous.get(f"/reports/{report.pk}/status/").status_code == 200
    assert anonymous.get("/reports/").status_code == 302
    response = anonymous.post(
        "/reports/", {"kind": "project", "project": projects["a"].pk, "as_of": "2026-03-15"}
    )
    assert response.status_code == 302 and Report.objects.count() == 1


def test_no_download_before_the_report_is_done(users):
    report = _report("board", users["office"])
    assert client_for(users["office"]).get(f"/reports/{report.pk}/download/").status_code == 404


@pytest.mark.parametrize(
    ("language", "board", "pack"),
    [
        ("fi", "johtoryhman-seurantaraportti", "kokousaineisto"),
        ("sv", "ledningsgruppens-uppfoljningsrapport", "motesmaterial"),
        ("en", "board-monitoring-report", "meeting-pack"),
    ],
)
def test_a_downloaded_report_is_named_in_the_readers_language(users, language, board, pack):
    """The file's name follows the language of the request, whichever the report was made in."""
    from django.conf import settings

    reports_data.portfolio()
    made = {
        board: _report("board", users["office"]),
        pack: _report("meeting_pack", users["office"], meeting=reports_data.past_board_meeting()),
    }
    client = client_for(users["office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name, report in made.items():
        report_services.report_make(report_id=report.pk)
        response = client.get(f"/reports/{report.pk}/download/")
        assert response.status_code == 200
        expected = f'attachment; filename="{name}-{AS_OF:%Y-%m-%d}-{report.pk}.pdf"'
        assert response["Content-Disposition"] == expected
