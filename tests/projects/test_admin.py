"""The admin cannot change an accepted status report silently: read-only, undeletable, and no
report is reverted to an earlier version past the transition table."""

import pytest
from django.urls import reverse

from projects.models import StatusReport

pytestmark = pytest.mark.django_db


def _accepted():
    return StatusReport.objects.filter(state=StatusReport.State.ACCEPTED).first()


def test_accepted_report_is_read_only_in_the_admin(client_as, demo_users):
    office = client_as("toimisto")
    report = _accepted()
    before = (report.narrative, report.version, report.updated_at)
    versions = report.history.count()
    url = reverse("admin:projects_statusreport_change", args=[report.pk])

    page = office.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="narrative"' not in html  # shown as text, no input
    assert report.narrative in html

    post = office.post(url, {"narrative": "Muutettu hiljaa.", "project": report.project_id})
    assert post.status_code == 403
    assert (
        office.post(
            reverse("admin:projects_statusreport_delete", args=[report.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert (report.narrative, report.version, report.updated_at) == before
    assert report.history.count() == versions


def test_a_draft_report_stays_editable_in_the_admin(client_as, demo_users):
    report = StatusReport.objects.filter(state=StatusReport.State.DRAFT).first()
    page = client_as("toimisto").get(
        reverse("admin:projects_statusreport_change", args=[report.pk])
    )
    assert page.status_code == 200
    assert 'name="narrative"' in page.content.decode()


def test_no_report_is_reverted_to_an_earlier_version(client_as, demo_users):
    office = client_as("toimisto")
    report = _accepted()
    first = report.history.order_by("history_id").first()
    assert first.state != StatusReport.State.ACCEPTED  # the version a revert would restore
    url = reverse("admin:projects_statusreport_simple_history", args=[report.pk, first.history_id])
    page = office.get(url)
    assert page.status_code == 200
    versions = report.history.count()
    response = office.post(url, {"narrative": first.narrative, "project": report.project_id})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == StatusReport.State.ACCEPTED
    assert report.history.count() == versions
