"""Bad input on the main forms and imports, as a clumsy user or an attacker types it: the message
the user sees, and that nothing was saved.

- HTML and a script in every text field are saved as typed and shown as text on every page that
  shows them, never run (escaped in the HTML).
- Text longer than a field's limit is refused with the limit in the message.
- An import over its own size limit, or an empty file, is refused with a clear message; a 50 MB
  upload is refused by its length (413) before anything reads it.
"""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination.models import Event, VisitorGroup
from governance.demo import meetings_demo_load
from governance.models import AgendaItem, City, Organisation
from projects.models import Project, StatusReport
from tests.projects.test_forms import form_data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("6aika")</script>'
IMAGE = "<img src=x onerror=alert(1)>"


def payload(label: str) -> str:
    return f"{label} {SCRIPT}{IMAGE}<b>lihava</b>"


def assert_shown_as_text(html: str, label: str) -> None:
    """The typed markup is on the page as text (escaped), and not as markup."""
    assert SCRIPT not in html and IMAGE not in html and "<b>lihava</b>" not in html
    escaped = (
        f"{label} &lt;script&gt;alert(&quot;6aika&quot;)&lt;/script&gt;"
        "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;lihava&lt;/b&gt;"
    )
    assert escaped in html, f"{label} not shown as text"


# --- HTML and script in every text field ------------------------------------------------------


def test_status_report_text_fields_are_shown_as_text(client_as):
    report = StatusReport.objects.filter(project__cities__slug="helsinki", state="draft").first()
    client = client_as("koordinaattori-helsinki")
    data = {
        "overall_status": "green",
        "schedule_status": "green",
        "budget_status": "green",
        "scope_status": "green",
        "narrative": payload("Eteneminen"),
        "costs_to_date": "10",
        "risks": payload("Riskit"),
        "next_steps": payload("Seuraavaksi"),
        "version": report.version,
    }
    response = client.post(reverse("projects:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative == payload("Eteneminen")  # kept as typed
    for url in (
        reverse("projects:report_detail", args=[report.pk]),
        reverse("projects:report_history", args=[report.pk]),
    ):
        html = client.get(url).content.decode()
        for label in ("Eteneminen", "Riskit", "Seuraavaksi"):
            assert_shown_as_text(html, label)


def test_project_form_text_fields_are_shown_as_text(client_as, client):
    office = client_as("toimisto")
    data = form_data(
        "Tampereen kaupunki",
        ["Turun kaupunki"],
        name_fi=payload("Nimi"),
        name_en=payload("Name"),
        summary_fi=payload("Tiivistelmä"),
        summary_en=payload("Summary"),
    )
    assert office.post(reverse("projects:create"), data).status_code == 302
    project = Project.objects.get(name_fi=payload("Nimi"))
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    for label in ("Nimi", "Tiivistelmä"):
        assert_shown_as_text(detail, label)
    english = client.get(
        reverse("projects:detail", args=[project.pk]), headers={"Accept-Language": "en"}
    )
    assert SCRIPT not in english.content.decode()
    listing = client.get(reverse("projects:list")).content.decode()
    assert_shown_as_text(listing, "Nimi")
    edit = office.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert SCRIPT not in edit and "&lt;script&gt;" in edit  # the form's own values too


def test_agenda_item_text_fields_are_shown_as_text(client_as):
    meeting = meetings_demo_load().upcoming
    office = client_as("toimisto")
    response = office.post(
        reverse("meetings:item_add", args=[meeting.pk]),
        {
            "title": payload("Otsikko"),
            "draft_decision": payload("Päätösehdotus"),
            "description": payload("Kuvaus"),
        },
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, title_fi=payload("Otsikko")).exists()
    for client in (office, client_as("johtoryhma")):
        html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        for label in ("Otsikko", "Päätösehdotus", "Kuvaus"):
            assert_shown_as_text(html, label)
    pdf_page = office.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert pdf_page.status_code == 200  # the agenda PDF is made from the same escaped HTML


def test_visitor_group_text_fields_are_shown_as_text(client_as):
    client = client_as("koordinaattori-oulu")
    data = {
        "name": payload("Ryhmä"),
        "origin": "international",
        "country": payload("Maa"),
        "requested_on": "2026-02-01",
        "visit_starts": "2026-04-01",
        "visit_ends": "2026-04-02",
        "host_cities": [City.objects.get(slug="oulu").pk],
        "topics": payload("Aiheet"),
    }
    assert client.post(reverse("coordination:visitor_group_create"), data).status_code == 302
    group = VisitorGroup.objects.get(name=payload("Ryhmä"))
    page = client.get(reverse("coordination:visitor_group", args=[group.pk])).content.decode()
    for label in ("Ryhmä", "Maa", "Aiheet"):
        assert_shown_as_text(page, label)
    listing = client.get(reverse("coordination:visitor_groups")).content.decode()
    assert_shown_as_text(listing, "Ryhmä")


def test_event_text_fields_are_shown_as_text(client_as):
    client = client_as("toimisto")
    data = {
        "title": payload("Tapahtuma"),
        "kind": "other",
        "starts_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "place": payload("Paikka"),
        "organiser": Organisation.objects.get(name="Tampereen kaupunki").pk,
        "description": payload("Kuvaus"),
    }
    assert client.post(reverse("coordination:event_create"), data).status_code == 302
    event = Event.objects.get(title=payload("Tapahtuma"))
    page = client.get(reverse("coordination:event", args=[event.pk])).content.decode()
    for label in ("Tapahtuma", "Paikka", "Kuvaus"):
        assert_shown_as_text(page, label)
    listing = client.get(reverse("coordination:events")).content.decode()
    assert_shown_as_text(listing, "Tapahtuma")


# --- Text over a field's limit ------------------------------------------------------------------


def _limit_message(html: str, limit: int, length: int) -> bool:
    return f"enintään {limit} merkki" in html and f"{length})" in html


def test_project_name_over_the_limit_is_refused(client_as):
    data = form_data("Tampereen kaupunki", ["Turun kaupunki"], name_fi="N" * 301)
    response = client_as("toimisto").post(reverse("projects:create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert _limit_message(html, 300, 301), "the limit and the length are named"
    assert "Nimi suomeksi" in html  # where: the field's label
    assert not Project.objects.filter(name_fi__startswith="NNNN").exists()


def test_agenda_item_title_over_the_limit_is_refused(client_as):
    meeting = meetings_demo_load().upcoming
    before = AgendaItem.objects.filter(meeting=meeting).count()
    response = client_as("toimisto").post(
        reverse("meetings:item_add", args=[meeting.pk]), {"title": "T" * 1000}
    )
    assert _limit_message(response.content.decode(), 300, 1000)
    assert AgendaItem.objects.filter(meeting=meeting).count() == before


def test_visitor_group_name_over_the_limit_is_refused(client_as):
    before = VisitorGroup.objects.count()
    response = client_as("koordinaattori-oulu").post(
        reverse("coordination:visitor_group_create"),
        {
            "name": "R" * 201,
            "origin": "international",
            "country": "M" * 101,
            "requested_on": "2026-02-01",
            "host_cities": [City.objects.get(slug="oulu").pk],
        },
    )
    html = response.content.decode()
    assert _limit_message(html, 200, 201) and _limit_message(html, 100, 101)
    assert VisitorGroup.objects.count() == before


def test_event_title_over_the_limit_is_refused(client_as):
    before = Event.objects.count()
    response = client_as("toimisto").post(
        reverse("coordination:event_create"),
        {
            "title": "E" * 5000,
            "kind": "other",
            "starts_on": "2026-09-01",
            "place": "Tampere",
            "organiser": Organisation.objects.get(name="Tampereen kaupunki").pk,
        },
    )
    assert _limit_message(response.content.decode(), 200, 5000)
    assert Event.objects.count() == before


# --- Imports: a 50 MB file and an empty file -----------------------------------------------------


class GeneratedBody:
    """A multipart body made while it is read: a 50 MB upload without 50 MB in memory."""

    def __init__(self, head: bytes, size: int, tail: bytes):
        self.parts = [head, ("A", size), tail]
        self.length = len(head) + size + len(tail)

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while self.parts and (size < 0 or len(out) < size):
            part = self.parts[0]
            want = (size - len(out)) if size >= 0 else 1 << 20
            if isinstance(part, tuple):
                char, left = part
                take = min(left, want, 1 << 20)
                out += char.encode() * take
                if left - take:
                    self.parts[0] = (char, left - take)
                else:
                    self.parts.pop(0)
            else:
                out += part[:want]
                if part[want:]:
                    self.parts[0] = part[want:]
                else:
                    self.parts.pop(0)
        return bytes(out)


def post_generated_file(client, url: str, *, name: str, size: int, fields: dict[str, str]):
    boundary = "6aika-boundary-7MA4YWxkTrZu0gW"
    head = b""
    for key, value in fields.items():
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body = GeneratedBody(head, size, f"\r\n--{boundary}--\r\n".encode())
    return client.generic(
        "POST",
        url,
        **{
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(body.length),
            "wsgi.input": body,
        },
    )


FIFTY_MB = 50 * 1024 * 1024
SIX_MB = 6 * 1024 * 1024


def _imports():
    from calls import demo as calls_demo
    from calls.models import Call

    call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    return [
        # url, a word of the message for a file over the form's limit, models that must not change
        (reverse("projects:import"), "enintään 5 Mt", Project),
        (reverse("calls:application_import", args=[call.pk]), "enintään 2 Mt", Project),
        (reverse("reports:organisations_import"), "5 Mt", Organisation),
    ]


def test_an_import_over_its_own_limit_is_refused_and_nothing_is_saved(client_as):
    office = client_as("toimisto")
    for url, message, model in _imports():
        before = model.objects.count()
        response = post_generated_file(
            office, url, name="iso.csv", size=SIX_MB, fields={"preview": "1"}
        )
        assert response.status_code in (200, 400), url
        html = response.content.decode()
        assert message in html, f"{url}: no clear message about the size"
        assert model.objects.count() == before, url


def test_a_50_mb_upload_is_refused_by_its_length_before_it_is_read(client_as, monkeypatch):
    """Over the portal's request limit: no form parses it, nothing goes to a temporary file,
    the body is drained so the browser gets the page, which names both sizes."""
    from django.core.files.uploadhandler import FileUploadHandler

    def no_file_expected(*args, **kwargs):
        raise AssertionError("an oversized upload reached an upload handler")

    monkeypatch.setattr(FileUploadHandler, "new_file", no_file_expected)
    office = client_as("toimisto")
    for url, _message, model in _imports():
        before = model.objects.count()
        response = post_generated_file(
            office, url, name="iso.csv", size=FIFTY_MB, fields={"preview": "1"}
        )
        assert response.status_code == 413, url
        html = response.content.decode()
        assert "Lähettämäsi tiedot olivat 50,0 Mt" in html, html
        assert "enintään 21,0 Mt" in html
        assert model.objects.count() == before, url


def test_an_empty_import_file_is_refused_and_nothing_is_saved(client_as, tmp_path):
    office = client_as("toimisto")
    empty = tmp_path / "tyhja.csv"
    empty.write_bytes(b"")
    for url, _message, model in _imports():
        before = model.objects.count()
        with open(empty, "rb") as handle:
            response = office.post(url, {"file": handle, "preview": "1"})
        assert response.status_code in (200, 400), url
        html = response.content.decode()
        assert any(
            text in html
            for text in (
                "Lähetetty tiedosto on tyhjä",  # Django's own message for an empty upload
                "Tiedosto on tyhjä",
            )
        ), f"{url}: no clear message about the empty file"
        assert model.objects.count() == before, url
    assert os.path.getsize(empty) == 0
