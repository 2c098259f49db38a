"""The report's author is told by e-mail when the strategy office returns or accepts it: after
the transaction commits, never for a review that is rolled back (issue 17)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from projects import services
from projects.models import StatusReport

from . import factories

State = StatusReport.State


@pytest.fixture
def submitted(demo_users):
    author = demo_users["koordinaattori-helsinki"]
    author.email = "kirjoittaja@example.org"
    author.save(update_fields=["email"])
    project = factories.project(name="Palautettava hanke", cities=("helsinki", "espoo"))
    period = services.reporting_periods_generate(
        first_start=dt.date(2030, 1, 1), months=6, count=1
    )[0]
    report = services.status_report_start(project=project, period=period, by=author)
    content = services.ReportContent(
        overall_status="green",
        schedule_status="green",
        budget_status="green",
        scope_status="green",
        narrative="Valmis.",
        costs_to_date=1000,
    )
    services.status_report_submit(
        report=report, content=content, expected_version=report.version, by=author
    )
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    return report


@pytest.mark.django_db(transaction=True)
def test_returning_mails_the_author_with_the_comment_and_a_link(submitted, client_as):
    office = client_as("toimisto")
    url = reverse("projects:report_transition", args=[submitted.pk])
    response = office.post(url, {"to_state": "returned", "comment": "Tarkista kustannukset."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kirjoittaja@example.org"]
    assert message.subject == (
        "6Aika-portaali: hankkeen Palautettava hanke tilannekatsaus 2030 H1 palautettiin"
    )
    assert "Tarkista kustannukset." in message.body
    assert f"/projects/reports/{submitted.pk}/" in message.body


@pytest.mark.django_db(transaction=True)
def test_accepting_mails_the_author(submitted, demo_users):
    services.status_report_transition(
        report=submitted, to_state=State.ACCEPTED, by=demo_users["toimisto"]
    )
    assert [m.to for m in mail.outbox] == [["kirjoittaja@example.org"]]
    assert "hyväksyttiin" in mail.outbox[0].subject
    assert "Palautettava hanke" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_review_rolled_back_sends_nothing(submitted, demo_users):
    with pytest.raises(ValidationError), transaction.atomic():
        services.status_report_transition(
            report=submitted, to_state=State.ACCEPTED, by=demo_users["toimisto"]
        )
        raise ValidationError("the caller's later step failed")
    assert mail.outbox == []
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_the_resubmitter_is_the_author_and_an_author_without_email_gets_none(submitted, demo_users):
    office = demo_users["toimisto"]
    services.status_report_transition(
        report=submitted, to_state=State.RETURNED, by=office, comment="Korjaa."
    )
    espoo = demo_users["koordinaattori-espoo"]
    espoo.email = "espoo@example.org"
    espoo.save(update_fields=["email"])
    report = StatusReport.objects.get(pk=submitted.pk)
    services.status_report_transition(report=report, to_state=State.RESUBMITTED, by=espoo)
    mail.outbox.clear()
    services.status_report_transition(report=report, to_state=State.ACCEPTED, by=office)
    assert [m.to for m in mail.outbox] == [["espoo@example.org"]]

    espoo.email = ""
    espoo.save(update_fields=["email"])
    second = factories.project(name="Toinen", cities=("helsinki", "espoo"))
    period = StatusReport.objects.get(pk=submitted.pk).period
    other = services.status_report_start(project=second, period=period, by=espoo)
    services.status_report_update(
        report=other,
        content=services.ReportContent(
            overall_status="green",
            schedule_status="green",
            budget_status="green",
            scope_status="green",
            narrative="x",
            costs_to_date=1,
        ),
        expected_version=other.version,
        by=espoo,
    )
    services.status_report_transition(report=other, to_state=State.SUBMITTED, by=espoo)
    mail.outbox.clear()
    services.status_report_transition(report=other, to_state=State.ACCEPTED, by=office)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "returned", "accepted"),
    [
        ("sv", "lägesrapporten 2030 H1 för Palautettava hanke returnerades", "godkändes"),
        ("en", "status report 2030 H1 of Returned project was returned", "was accepted"),
    ],
)
def test_the_author_is_written_to_in_their_own_language(
    submitted, demo_users, language, returned, accepted
):
    """Issue 18: e-mails in the recipient's language, the one they last chose in the portal
    (core.languages), whoever reviews the report in whichever language."""
    from core.languages import user_language_set
    from projects.models import Project

    Project.objects.filter(pk=submitted.project_id).update(name_en="Returned project")
    user_language_set(user=demo_users["koordinaattori-helsinki"], language=language)
    services.status_report_transition(
        report=submitted, to_state=State.RETURNED, by=demo_users["toimisto"], comment="Korjaa."
    )
    assert returned in mail.outbox[0].subject, mail.outbox[0].subject
    report = StatusReport.objects.get(pk=submitted.pk)
    services.status_report_transition(
        report=report, to_state=State.RESUBMITTED, by=demo_users["koordinaattori-helsinki"]
    )
    services.status_report_transition(
        report=StatusReport.objects.get(pk=submitted.pk),
        to_state=State.ACCEPTED,
        by=demo_users["toimisto"],
    )
    assert accepted in mail.outbox[-1].subject, mail.outbox[-1].subject
