"""governance/pdf.py: every PDF the portal makes is tagged PDF/UA-1 with its language, or none
is made at all."""

import pytest
import weasyprint.pdf
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from governance import pdf, services
from governance.demo import meetings_demo_load
from sixaika.celery import app as celery_app
from tests.celery_conf import celery_configured
from tests.governance.conftest import attend, check_minutes, sign_minutes
from tests.pdf_facts import assert_accessible_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_users):
    return meetings_demo_load()


def test_agenda_and_minutes_pdfs_are_pdf_ua_with_their_language(client, client_as, demo):
    agenda = client_as("johtoryhma").get(reverse("meetings:agenda_pdf", args=[demo.upcoming.pk]))
    facts = assert_accessible_pdf(agenda.content, "fi")
    assert facts["Title"].startswith("Esityslista")
    minutes = client.get(reverse("meetings:minutes_pdf", args=[demo.past.pk]))
    facts = assert_accessible_pdf(minutes.content, "fi")
    assert facts["Title"].startswith("Pöytäkirja")


@pytest.mark.parametrize(
    ("language", "agenda", "minutes"),
    [
        ("fi", "esityslista", "poytakirja"),
        ("sv", "foredragningslista", "protokoll"),
        ("en", "agenda", "minutes"),
    ],
)
def test_the_pdfs_file_names_are_in_the_readers_language(
    client, client_as, demo, language, agenda, minutes
):
    from django.conf import settings
    from django.utils import timezone

    board = client_as("johtoryhma")
    for each in (board, client):
        each.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    upcoming = timezone.localtime(demo.upcoming.starts_at)
    past = timezone.localtime(demo.past.starts_at)
    response = board.get(reverse("meetings:agenda_pdf", args=[demo.upcoming.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{agenda}-{upcoming:%Y-%m-%d}.pdf"'
    )
    response = client.get(reverse("meetings:minutes_pdf", args=[demo.past.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{minutes}-{past:%Y-%m-%d}.pdf"'
    )


def test_english_minutes_say_so_in_the_pdf(demo):
    with translation.override("en"):
        data = pdf.minutes_pdf(demo.past)
    assert_accessible_pdf(data, "en")


def test_a_weasyprint_without_pdf_ua_fails_loudly(demo, monkeypatch):
    without = {k: v for k, v in weasyprint.pdf.VARIANTS.items() if not k.startswith("pdf/ua")}
    monkeypatch.setattr(weasyprint.pdf, "VARIANTS", without)
    with pytest.raises(ImproperlyConfigured, match="cannot write 'pdf/ua-1'"):
        pdf.agenda_pdf(demo.upcoming)
    with pytest.raises(ImproperlyConfigured):
        pdf.minutes_pdf(demo.past)


# Finnish words of the agenda's and the minutes' own text (headings, labels, the record's
# formulas): none may be in a Swedish PDF. Names and titles people typed are data.
FINNISH_PDF_WORDS = [
    "Esityslista",
    "Pöytäkirja",
    "Läsnä",
    "Poissa",
    "Päätös",
    "Päätösehdotus",
    "Esteellisyys",
    "esteellinen",
    "Aika:",
    "Paikka:",
    "Puheenjohtaja",
    "Varajäsen",
    "Laadittu",
    "Tarkastettu",
    "Hyväksytty",
]


def test_swedish_agenda_and_minutes_pdfs_are_swedish(client, client_as, demo):
    from django.conf import settings

    from tests.reports.data import pdftotext

    reader = client_as("johtoryhma")
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    agenda = reader.get(reverse("meetings:agenda_pdf", args=[demo.upcoming.pk]))
    facts = assert_accessible_pdf(agenda.content, "sv")
    assert facts["Title"].startswith("Föredragningslista")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    minutes = client.get(reverse("meetings:minutes_pdf", args=[demo.past.pk]))
    assert_accessible_pdf(minutes.content, "sv")
    for data in (agenda.content, minutes.content):
        text = pdftotext(data)
        found = [w for w in FINNISH_PDF_WORDS if w in text]
        assert not found, (found, text[:3000])
    text = pdftotext(minutes.content)
    assert "Protokoll" in text and "Närvarande" in text
    day = demo.past.starts_at
    assert f"{day.astimezone().day}." in text  # dates as written in Finland


def test_approving_minutes_makes_their_pdf_once_as_a_file(
    client, past_meeting, seats, chair_user, office, settings, tmp_path, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Made at approval (by the worker's job queued at the commit), in Finnish, into the file
    storage; readers get that file, and asking again makes nothing."""
    settings.MEDIA_ROOT = str(tmp_path)
    attend(past_meeting, seats, office)
    for item in past_meeting.items.all():
        services.decision_record(item=item, outcome="approved", text="Päätös", by=chair_user)
    minutes = services.minutes_draft(meeting=past_meeting, by=office)
    minutes = sign_minutes(check_minutes(minutes, office))
    renders = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(
        pdf, "html_to_pdf", lambda html, **kw: renders.append(1) or real(html, **kw)
    )
    # The worker's job, run here as the embedded default runs it (eagerly, at the commit).
    with (
        celery_configured(celery_app, task_always_eager=True),
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.minutes_approve(minutes=minutes, by=office)
    assert len(renders) == 1
    (made,) = (tmp_path / "minutes" / str(minutes.pk)).iterdir()
    assert made.name.startswith("fi-") and made.read_bytes().startswith(b"%PDF")
    url = reverse("meetings:minutes_pdf", args=[past_meeting.pk])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content == made.read_bytes()
    assert services.minutes_pdf_make(minutes_id=minutes.pk) == f"minutes/{minutes.pk}/{made.name}"
    assert len(renders) == 1
