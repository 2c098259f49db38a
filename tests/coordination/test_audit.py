"""The audit trail: changes to decisions, minutes, funding, status reports, seats and rights are
recorded with who, when, before and after, and the strategy office (only) can browse them."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import remove_perm

from coordination.audit import audit_entries
from governance import services as governance
from governance.audit import acting_as
from governance.models import (
    VOTING_ROLES,
    Attendance,
    Body,
    City,
    Decision,
    Minutes,
    Organisation,
    PermissionChange,
    Person,
    Seat,
)
from projects import services as projects
from projects.models import Grant, Project, StatusReport, StatusReportIndicatorValue
from tests.projects import factories

AUDIT = reverse("coordination:audit")


def _decided_item(office, chair):
    """An item of a board meeting held an hour ago, every voting seat present, decided once."""
    board = Body.objects.get(kind=Body.Kind.BOARD)
    meeting = governance.meeting_create(
        body=board,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Tampereen kaupungintalo",
        by=office,
    )
    item = governance.agenda_item_add(
        meeting=meeting, title="Rahoitusesitys: Datasilta", draft_decision="Puolletaan.", by=office
    )
    for seat in board.seats.filter(role__in=VOTING_ROLES).select_related("member"):
        governance.attendance_record(meeting=meeting, seat=seat, person=seat.member, by=office)
    governance.decision_record(item=item, outcome="approved", text="Puolletaan.", by=chair)
    return meeting, item


@pytest.mark.django_db
def test_a_changed_decision_shows_who_before_and_after(demo_users, client_as):
    office, chair = demo_users["toimisto"], demo_users["johtoryhma-pj"]
    _meeting, item = _decided_item(office, chair)
    governance.decision_record(
        item=item, outcome="returned", text="Palautetaan valmisteluun.", by=chair
    )
    decision = Decision.objects.get(agenda_item=item)

    versions = list(decision.history.order_by("history_id"))
    assert [v.history_user for v in versions] == [chair, chair]

    response = client_as("toimisto").get(AUDIT, {"kind": "decision", "object": decision.pk})
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.action for e in entries] == ["Muutettu", "Luotu"]
    newest = entries[0]
    assert newest.by == chair
    changes = {str(c.name): (c.before, c.after) for c in newest.changes}
    assert changes["päätös"] == ("Puolletaan.", "Palautetaan valmisteluun.")
    assert changes["päätöksen tulos"] == (
        "Hyväksytty esityksen mukaisesti",
        "Palautettu valmisteluun",
    )
    html = response.content.decode()
    assert "johtoryhma-pj" in html and "Palautetaan valmisteluun." in html


@pytest.mark.django_db
def test_minutes_from_draft_to_approved_are_recorded(demo_users):
    office, chair = demo_users["toimisto"], demo_users["johtoryhma-pj"]
    meeting, _item = _decided_item(office, chair)
    minutes = governance.minutes_draft(meeting=meeting, notes="Avaus 13.00.", by=office)
    governance.minutes_notes_update(minutes=minutes, notes="Avaus 13.05.", by=office)
    from tests.governance.conftest import check_minutes

    check_minutes(minutes, office)
    checker = meeting.minutes_checkers.order_by("-checked_at").first().person.user  # 2nd check

    entries, truncated = audit_entries(kind="minutes", object_id=minutes.pk)
    assert not truncated
    assert [e.by for e in entries] == [checker, office, office]
    checked = {str(c.name): (c.before, c.after) for c in entries[0].changes}
    assert checked["tila"] == ("Luonnos", "Tarkastettu")
    notes = {str(c.name): (c.before, c.after) for c in entries[1].changes}
    assert notes["muut merkinnät"] == ("Avaus 13.00.", "Avaus 13.05.")


@pytest.mark.django_db
def test_a_status_report_edit_is_recorded_for_its_author(demo_users):
    coordinator = demo_users["koordinaattori-helsinki"]
    report = StatusReport.objects.filter(project__cities__slug="helsinki", state="draft").first()
    before = report.narrative
    projects.status_report_update(
        report=report,
        content=projects.ReportContent(narrative="Pilotti käynnistyi."),
        expected_version=report.version,
        by=coordinator,
    )
    entries, _ = audit_entries(kind="status_report", object_id=report.pk)
    assert entries[0].by == coordinator
    changes = {str(c.name): (c.before, c.after) for c in entries[0].changes}
    assert changes["eteneminen"] == (before or None, "Pilotti käynnistyi.")
    # ...and the person filter finds it among the coordinator's changes.
    mine, _ = audit_entries(user_id=coordinator.pk)
    assert any(e.kind == "status_report" and e.object_id == report.pk for e in mine)


@pytest.mark.django_db
def test_a_reports_indicator_values_are_recorded_added_changed_and_removed(demo_users):
    coordinator = demo_users["koordinaattori-helsinki"]
    report = StatusReport.objects.filter(project__cities__slug="helsinki", state="draft").first()
    first, second = (
        projects.indicator_upsert(
            project=report.project, code=code, name=code, unit="kpl", target=Decimal(10)
        )
        for code in ("AUD1", "AUD2")
    )

    def save(values):
        report.refresh_from_db()
        projects.status_report_update(
            report=report,
            content=projects.ReportContent(narrative="Arvot.", indicator_values=values),
            expected_version=report.version,
            by=coordinator,
        )

    def mine():
        entries, _ = audit_entries(kind="indicator_value")
        return [e for e in entries if e.by == coordinator and e.object_id in ids]

    save({first.pk: Decimal(3), second.pk: Decimal(4)})  # created in bulk
    ids = set(
        StatusReportIndicatorValue.objects.filter(
            report=report, indicator__in=[first, second]
        ).values_list("pk", flat=True)
    )
    assert len(ids) == 2
    assert sorted(e.action for e in mine()) == ["Luotu", "Luotu"]
    save({first.pk: Decimal(5), second.pk: None})  # one changed in bulk, one removed
    latest = {e.action: e for e in mine()}
    assert set(latest) == {"Luotu", "Muutettu", "Poistettu"}
    changed = {str(c.name): (c.before, c.after) for c in latest["Muutettu"].changes}
    assert changed["toteuma"] == (Decimal("3.00"), Decimal("5.00"))


@pytest.mark.django_db
def test_funding_changed_on_the_project_page_is_recorded_for_the_office(demo_users, client_as):
    from tests.projects.test_forms import form_data

    office = client_as("toimisto")
    data = form_data("Tampereen kaupunki", ["Turun kaupunki"])
    assert office.post(reverse("projects:create"), data).status_code == 302
    project = Project.objects.get(name_fi="Lomakkeella tehty hanke")
    data["total_cost"] = "250 000"
    response = office.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 302

    entries, _ = audit_entries(kind="project", object_id=project.pk)
    assert entries[0].by == demo_users["toimisto"]
    changes = {str(c.name): (c.before, c.after) for c in entries[0].changes}
    assert changes["kokonaiskustannusarvio"] == (Decimal("200000.00"), Decimal("250000.00"))


@pytest.mark.django_db
def test_a_grant_changed_by_a_service_is_recorded_before_and_after(demo_users):
    office = demo_users["toimisto"]
    project = factories.project(granted="70000")
    old = Grant.objects.get(project=project)
    with acting_as(office):
        project = factories.project(name=project.name_fi, granted="80000")
    # The same funder's grant is updated in place: one change, not a deletion and a creation.
    assert list(Grant.objects.filter(project=project).values_list("pk", flat=True)) == [old.pk]
    entries, _ = audit_entries(kind="grant")
    mine = [e for e in entries if e.by == office and e.object_id == old.pk]
    assert [e.action for e in mine] == ["Muutettu"]
    changes = {str(c.name): (c.before, c.after) for c in mine[0].changes}
    assert changes == {"myönnetty summa": (Decimal("70000.00"), Decimal("80000.00"))}

    # Given again as it is, the grant writes no version at all.
    with acting_as(office):
        factories.project(name=project.name_fi, granted="80000")
    assert len([e for e in audit_entries(kind="grant")[0] if e.object_id == old.pk]) == 2

    # A grant of another funder replaces it: the old one deleted, the new one created.
    regional = Grant.objects.get(pk=old.pk).funder
    other = Organisation.objects.exclude(pk=regional.pk).filter(kind=regional.kind).first()
    with acting_as(office):
        projects.project_upsert(
            spec=projects.ProjectSpec(
                name_fi=project.name_fi,
                programme=project.programme,
                grants=[(other, old.instrument, Decimal("80000"))],
            ),
            project=project,
        )
    new = Grant.objects.get(project=project)
    assert new.pk != old.pk and new.funder == other
    actions = {
        (e.object_id, e.action)
        for e in audit_entries(kind="grant")[0]
        if e.by == office and e.object_id in (old.pk, new.pk)
    }
    assert actions == {(old.pk, "Muutettu"), (old.pk, "Poistettu"), (new.pk, "Luotu")}


@pytest.mark.django_db
def test_a_seat_given_to_the_deputy_is_recorded(demo_users):
    office = demo_users["toimisto"]
    seat = Seat.objects.filter(body__kind="board", deputy__isnull=False).first()
    member, deputy = seat.member, seat.deputy
    with acting_as(office):
        seat.member, seat.deputy = deputy, member
        seat.save()
    entries, _ = audit_entries(kind="seat", object_id=seat.pk)
    changes = {str(c.name): (c.before, c.after) for c in entries[0].changes}
    assert entries[0].by == office
    assert changes["jäsen"] == (str(member), str(deputy))


@pytest.mark.django_db
def test_roles_and_city_permissions_granted_and_removed_are_recorded(demo_users, django_user_model):
    office = demo_users["toimisto"]
    user = django_user_model.objects.create_user("uusi-koordinaattori", password="x-unused-9876")
    oulu = City.objects.get(slug="oulu")
    governance.user_role_grant(user=user, role="coordinator", city=oulu, by=office)
    with acting_as(office):
        remove_perm("governance.coordinate_city", user, oulu)
        user.groups.clear()

    rows = list(PermissionChange.objects.filter(user_pk=user.pk).order_by("pk"))
    assert [(r.action, r.permission, r.object_repr, r.by) for r in rows] == [
        ("added", "account:is_active", "", None),  # the new account may sign in
        ("added", "role:coordinator", "", office),
        ("added", "governance.coordinate_city", "Oulu", office),
        ("removed", "governance.coordinate_city", "Oulu", office),
        ("removed", "role:coordinator", "", office),
    ]
    entries, _ = audit_entries(kind="permission", object_id=user.pk)
    assert entries[0].object_label == "uusi-koordinaattori"
    assert (entries[0].changes[0].before, entries[0].changes[0].after) == ("voimassa", None)


@pytest.mark.django_db
def test_a_role_granted_in_the_admin_is_recorded_for_the_admin_user(demo_users, django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    admin = django_user_model.objects.create_superuser("paakayttaja", password="x-unused-9876")
    user = django_user_model.objects.create_user("rahoittaja-2", password="x-unused-9876")
    funder = Group.objects.get(name="funder")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "is_active": "on",
            "groups": [funder.pk],
            "date_joined_0": "1.1.2026",
            "date_joined_1": "12:00:00",
            "initial-date_joined_0": "1.1.2026",
            "initial-date_joined_1": "12:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    row = PermissionChange.objects.get(user_pk=user.pk, permission__startswith="role:")
    assert (row.action, row.permission, row.by) == ("added", "role:funder", admin)


@pytest.mark.django_db
def test_the_audit_page_filters_by_person_and_is_for_the_office_only(demo_users, client_as):
    office = demo_users["toimisto"]
    response = client_as("toimisto").get(AUDIT, {"user": office.pk})
    assert response.status_code == 200
    assert response.context["entries"]
    assert all(
        e.by == office or (e.kind == "permission" and e.object_id == office.pk)
        for e in response.context["entries"]
    )
    for username in ("koordinaattori-helsinki", "johtoryhma-pj", "ohjausryhma", "rahoittaja"):
        assert client_as(username).get(AUDIT).status_code == 403
    anonymous = client_as("toimisto").__class__().get(AUDIT)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_an_object_id_without_a_kind_is_explained(client_as):
    response = client_as("toimisto").get(AUDIT, {"object": "12"})
    assert response.status_code == 400
    assert "Valitse, minkä tietueen tunniste" in response.content.decode()


@pytest.mark.django_db
def test_minutes_locked_after_approval_still_show_their_history(demo_users):
    """The demo's approved minutes: drafted, checked and approved, each by whom it was."""
    minutes = Minutes.objects.get(state="approved")
    entries, _ = audit_entries(kind="minutes", object_id=minutes.pk)
    assert [str(e.action) for e in entries][-1] == "Luotu"
    assert {str(c.name): c.after for c in entries[0].changes}["tila"] == "Hyväksytty"


@pytest.mark.django_db
def test_model_wide_permissions_of_users_and_groups_are_recorded(demo_users, django_user_model):
    from django.contrib.auth.models import Group, Permission

    office = demo_users["toimisto"]
    user = django_user_model.objects.create_user("apulainen", password="x-unused-9876")
    change_decision = Permission.objects.get(codename="change_decision")
    funder = Group.objects.get(name="funder")
    with acting_as(office):
        user.user_permissions.add(change_decision)
        funder.permissions.add(change_decision)
        change_decision.user_set.remove(user)  # from the other side
    rows = PermissionChange.objects.filter(
        permission="governance.change_decision", by=office
    ).order_by("pk")
    assert [(r.action, r.subject, r.by) for r in rows] == [
        ("added", "apulainen", office),
        ("added", "group:funder", office),
        ("removed", "apulainen", office),
    ]


@pytest.mark.django_db
def test_a_translated_field_is_shown_per_language(demo_users):
    office = demo_users["toimisto"]
    project = factories.project(name="Käännettävä hanke")
    with acting_as(office):
        project.name_en = "Translated project"
        project.save()
    entries, _ = audit_entries(kind="project", object_id=project.pk)
    changes = {str(c.name): (c.before, c.after) for c in entries[0].changes}
    assert changes == {"nimi [en]": (None, "Translated project")}


@pytest.mark.django_db
def test_the_project_page_links_its_history_for_the_office_only(demo_users, client_as, client):
    project = factories.project(name="Linkitetty hanke")
    url = reverse("projects:detail", args=[project.pk])
    link = f"{AUDIT}?kind=project&amp;object={project.pk}"
    assert link in client_as("toimisto").get(url).content.decode()
    assert link not in client_as("koordinaattori-helsinki").get(url).content.decode()
    assert link not in client.get(url).content.decode()


def _admin_client(django_user_model):
    from django.test import Client

    admin = django_user_model.objects.create_superuser("paakayttaja", password="x-unused-9876")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return admin, client


@pytest.mark.django_db
def test_account_flags_changed_in_the_admin_are_recorded(demo_users, django_user_model, client_as):
    admin, client = _admin_client(django_user_model)
    user = demo_users["rahoittaja"]
    groups = list(user.groups.values_list("pk", flat=True))
    before = PermissionChange.objects.filter(user_pk=user.pk).count()
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            # is_active left out: the account is closed; is_staff and is_superuser given
            "is_staff": "on",
            "is_superuser": "on",
            "groups": groups,
            "date_joined_0": "1.1.2026",
            "date_joined_1": "12:00:00",
            "initial-date_joined_0": "1.1.2026",
            "initial-date_joined_1": "12:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = PermissionChange.objects.filter(user_pk=user.pk).order_by("pk")[before:]
    assert {(r.action, r.permission, r.by) for r in rows} == {
        ("removed", "account:is_active", admin),
        ("added", "account:is_staff", admin),
        ("added", "account:is_superuser", admin),
    }

    # The office reads them by name on the audit page, filtered to the account.
    html = client_as("toimisto").get(AUDIT, {"kind": "permission", "object": user.pk})
    text = html.content.decode()
    for name in ("Tili: saa kirjautua", "Tili: ylläpitosivusto", "Tili: kaikki oikeudet"):
        assert name in text


@pytest.mark.django_db
def test_a_sign_in_records_no_change_of_rights(demo_users, client):
    user = demo_users["koordinaattori-helsinki"]
    user.set_password("x-unused-9876-long")
    user.save()
    before = PermissionChange.objects.count()
    assert client.login(username=user.username, password="x-unused-9876-long")
    user.refresh_from_db()
    assert user.last_login is not None
    user.first_name = "Uusi"
    user.save()  # a save that changes no flag
    assert PermissionChange.objects.count() == before


@pytest.mark.django_db
def test_a_deleted_account_loses_its_flags_and_roles_on_record(demo_users):
    office, user = demo_users["toimisto"], demo_users["rahoittaja"]
    pk, roles = user.pk, set(user.groups.values_list("name", flat=True))
    assert roles
    with acting_as(office):
        user.delete()
    rows = PermissionChange.objects.filter(user_pk=pk, action="removed", by=office)
    assert {r.permission for r in rows} >= {"account:is_active"} | {f"role:{r}" for r in roles}


def _board_meeting_with_attendance(office):
    board = Body.objects.get(kind=Body.Kind.BOARD)
    meeting = governance.meeting_create(
        body=board,
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Oulun kaupungintalo",
        by=office,
    )
    seat = board.seats.filter(deputy__isnull=False, member__isnull=False).first()
    return meeting, seat


@pytest.mark.django_db
def test_attendance_is_recorded_and_an_unchanged_sheet_writes_no_version(demo_users):
    office = demo_users["toimisto"]
    meeting, seat = _board_meeting_with_attendance(office)
    sheet = [governance.SeatAttendance(seat=seat, attending=seat.member)]
    governance.attendance_sheet_save(meeting=meeting, rows=sheet, by=office)
    governance.attendance_sheet_save(meeting=meeting, rows=sheet, by=office)  # saved again
    entries, _ = audit_entries(kind="attendance")
    mine = [e for e in entries if e.by == office and str(meeting) in e.object_label]
    assert [str(e.action) for e in mine] == ["Luotu"]

    # The deputy stands in: the member's row changes to absent, the deputy's row is created.
    sheet = [governance.SeatAttendance(seat=seat, attending=seat.deputy)]
    governance.attendance_sheet_save(meeting=meeting, rows=sheet, by=office)
    entries, _ = audit_entries(kind="attendance")
    mine = [e for e in entries if e.by == office and str(meeting) in e.object_label]
    assert sorted(str(e.action) for e in mine) == ["Luotu", "Luotu", "Muutettu"]
    changed = next(e for e in mine if str(e.action) == "Muutettu")
    assert str(seat.member) in changed.object_label
    assert {str(c.name): (c.before, c.after) for c in changed.changes}["läsnä"] == (True, False)

    # The member comes back: the deputy's row is deleted, and that is on record too.
    sheet = [governance.SeatAttendance(seat=seat, attending=seat.member)]
    governance.attendance_sheet_save(meeting=meeting, rows=sheet, by=office)
    deleted = [
        v
        for v in Attendance.history.filter(meeting=meeting, person=seat.deputy)
        if v.history_type == "-"
    ]
    assert len(deleted) == 1 and deleted[0].history_user == office


@pytest.mark.django_db
def test_relinking_a_person_to_another_account_in_the_admin_is_recorded(
    demo_users, django_user_model, client_as
):
    """The account a person is linked to holds their seats: relinking the chair's person to
    another account is a way to act as the chair, and must leave a record of who did it, when,
    and from which account to which."""
    admin, client = _admin_client(django_user_model)
    chair_account, other = demo_users["johtoryhma-pj"], demo_users["rahoittaja"]
    person = Person.objects.get(user=chair_account)
    url = reverse("admin:governance_person_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["user"] = other.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.user == other
    rows = PermissionChange.objects.filter(permission="account:person", object_pk=str(person.pk))
    assert {(r.action, r.user_pk, r.subject, r.by) for r in rows} == {
        ("removed", chair_account.pk, chair_account.username, admin),
        ("added", other.pk, other.username, admin),
    }
    assert all(r.object_repr == str(person) and r.at is not None for r in rows)

    # Saving the person again without relinking records nothing more.
    client.post(url, {**data, "first_name": person.first_name + "x"})
    assert rows.count() == 2

    # The office reads it on the audit page, filtered to the account that gained the seats.
    page = client_as("toimisto").get(AUDIT, {"kind": "permission", "object": other.pk})
    assert "Tili: toimii henkilönä" in page.content.decode()


# --- what the portal wrote, in the reader's language (issue 18) ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "role", "right", "city"),
    [
        ("sv", "roll: Stadskoordinator", "Kan koordinera stadens projektportfölj", "Helsingfors"),
        ("en", "role: City coordinator", "Can coordinate the city's portfolio", "Helsinki"),
    ],
)
def test_rights_are_named_in_the_readers_language(
    demo_users, django_user_model, client_as, code, role, right, city
):
    from django.conf import settings
    from django.utils import translation

    office = demo_users["toimisto"]
    user = django_user_model.objects.create_user("kielikoordinaattori", password="x-unused-9876")
    helsinki = City.objects.get(slug="helsinki")
    with translation.override(code):  # whoever acts in whichever language
        governance.user_role_grant(user=user, role="coordinator", city=helsinki, by=office)
    row = PermissionChange.objects.get(user_pk=user.pk, permission="governance.coordinate_city")
    # the record keeps codes and values, and the object's name in Finnish for when it is gone
    assert (row.content_type.model, row.object_pk) == ("city", str(helsinki.pk))
    assert row.object_repr == "Helsinki"

    with translation.override(code):
        entries, _ = audit_entries(kind="permission", object_id=user.pk)
        names = [str(c.name) for e in entries for c in e.changes]
    assert f"{right}: {city}" in names
    assert role in names
    assert not [n for n in names if n.startswith(("role:coordinator", "governance."))]

    client = client_as("toimisto")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    page = client.get(AUDIT, {"kind": "permission", "object": user.pk}).content.decode()
    text = html.unescape(page)
    assert f"{right}: {city}" in text and role[0].upper() + role[1:] in text
    assert "governance.coordinate_city" not in text and "role:coordinator" not in text


@pytest.mark.django_db
def test_a_gone_objects_right_keeps_the_name_on_record(demo_users, django_user_model):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    user = django_user_model.objects.create_user("vanha-rivi", password="x-unused-9876")
    PermissionChange.objects.create(
        action="added",
        user_pk=user.pk,
        subject="group:funder",
        permission="projects.report_project",
        content_type=ContentType.objects.get_for_model(Project),
        object_pk="999999",
        object_repr="Päättynyt hanke",
    )
    with translation.override("sv"):
        entries, _ = audit_entries(kind="permission", object_id=user.pk)
        change = entries[0].changes[0]
        assert str(change.name) == "Kan redigera projektets lägesrapporter: Päättynyt hanke"
        assert entries[0].object_label == "roll: Finansiär"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("sv", "Ett 6Aika-projekt behöver genomförare från minst två av de sex städerna"),
        ("en", "A 6Aika project needs implementers from at least two of the six cities"),
    ],
)
def test_a_verdict_the_portal_wrote_is_shown_in_the_readers_language(org_6aika, code, expected):
    from django.utils import translation

    from tests.calls import factories as calls_factories

    office = calls_factories.office_user()
    application = calls_factories.application(
        calls_factories.call(by=office),
        applicant=calls_factories.org("Metropolia", "helsinki"),
        co_applicants=[calls_factories.org("Helsingin kaupunki")],
        by=office,
    )
    assert application.eligibility_code == "projects.two_city_rule"
    label = {"sv": "brist i behörigheten", "en": "eligibility problem"}[code]
    with translation.override(code):
        entries, _ = audit_entries(kind="application", object_id=application.pk)
        changes = {str(c.name): c.after for e in entries for c in e.changes}
    assert str(changes[label]).startswith(expected)
    # the code and its values are the record's, not changes of their own
    assert "eligibility_code" not in changes and "eligibility_params" not in changes
    assert not any("projects.two_city_rule" in str(v) for v in changes.values())


@pytest.mark.django_db
def test_the_minutes_checkers_chosen_at_the_meeting_are_their_own_kind(demo_users, client_as):
    office, chair = demo_users["toimisto"], demo_users["johtoryhma-pj"]
    meeting, _item = _decided_item(office, chair)
    chair_person = chair.person
    present = [
        a.person
        for a in Attendance.objects.filter(meeting=meeting, present=True).select_related("person")
        if a.person != chair_person
    ][:2]
    chosen = governance.minutes_checkers_choose(meeting=meeting, people=present, by=office)
    entries, older = audit_entries(kind="checker")
    mine = [e for e in entries if e.object_id in {c.pk for c in chosen}]
    assert not older and len(mine) == 2
    assert {(e.by, str(e.action)) for e in mine} == {(office, "Luotu")}
    assert {e.object_label for e in mine} == {str(c) for c in chosen}
    page = client_as("toimisto").get(AUDIT, {"kind": "checker"}).content.decode()
    assert "Pöytäkirjan tarkastajat" in page  # the kind among the filter's choices
    assert html.escape(str(chosen[0])) in page


@pytest.mark.django_db
def test_the_trail_is_read_a_page_at_a_time_newest_first(
    demo_users, client_as, django_user_model, monkeypatch
):
    from guardian.shortcuts import assign_perm

    from coordination import audit

    office = demo_users["toimisto"]
    user = django_user_model.objects.create_user("sivuilla", password="x-unused-9876")
    oulu = City.objects.get(slug="oulu")
    with acting_as(office):
        for _ in range(4):  # with the new account's right to sign in: nine changes
            assign_perm("governance.coordinate_city", user, oulu)
            remove_perm("governance.coordinate_city", user, oulu)

    def seen(entries):
        return [(e.at, str(e.action), str(e.changes[0].name)) for e in entries]

    whole, more = audit_entries(kind="permission", object_id=user.pk)
    assert len(whole) == 9 and not more
    monkeypatch.setattr(audit, "LIMIT", 4)
    first, more_after_first = audit_entries(kind="permission", object_id=user.pk, page=1)
    second, more_after_second = audit_entries(kind="permission", object_id=user.pk, page=2)
    third, more_after_third = audit_entries(kind="permission", object_id=user.pk, page=3)
    assert (len(first), len(second), len(third)) == (4, 4, 1)
    assert (more_after_first, more_after_second, more_after_third) == (True, True, False)
    assert seen(first) + seen(second) + seen(third) == seen(whole)  # none twice, none lost

    client = client_as("toimisto")
    query = {"kind": "permission", "object": user.pk}
    body = client.get(AUDIT, query).content.decode()
    assert "Vanhemmat muutokset" in body and "Uudemmat muutokset" not in body
    assert "page=2" in body
    middle = client.get(AUDIT, {**query, "page": 2})
    assert seen(middle.context["entries"]) == seen(second)
    assert "Uudemmat muutokset" in middle.content.decode()
    last = client.get(AUDIT, {**query, "page": 3}).content.decode()
    assert "Uudemmat muutokset" in last and "Vanhemmat muutokset" not in last
    # A page number that is not one is the first page, never an error.
    for bad in ("x", "0", "-1"):
        answer = client.get(AUDIT, {**query, "page": bad})
        assert answer.status_code == 200
        assert seen(answer.context["entries"]) == seen(first)
    # The deepest page says to narrow the filters instead of offering older ones.
    monkeypatch.setattr(audit, "MAX_PAGE", 2)
    deepest = client.get(AUDIT, {**query, "page": 9})
    assert seen(deepest.context["entries"]) == seen(second)
    assert "Vanhemmat muutokset" not in deepest.content.decode()
    assert "Uusimmat 8 muutosta näytetään; rajaa tarkemmin" in deepest.content.decode()


@pytest.mark.django_db
def test_a_conflict_the_meeting_decided_is_in_the_trail_with_who_recorded_it(demo_users, client_as):
    """The demo's meeting in progress: the secretary records that the meeting dismissed the
    conflict the portal proposed; the trail names the secretary (who clicked), not the member."""
    from governance.demo import DEMO_TODAY_FUNDING, meetings_demo_load
    from governance.models import ConflictDeclaration
    from governance.selectors import item_record

    office = demo_users["toimisto"]
    meeting = meetings_demo_load().today
    item = meeting.items.get(title_fi=DEMO_TODAY_FUNDING)
    name = item_record(item).open_conflict_names[0]
    declaration = next(
        d
        for d in ConflictDeclaration.objects.filter(agenda_item=item).select_related("person")
        if d.person.full_name == name
    )
    url = reverse("meetings:conflict_resolve", args=[meeting.pk, item.pk, declaration.pk])
    assert client_as("toimisto").post(url, {"verdict": "dismiss"}).status_code == 302
    entries, _older = audit_entries(kind="conflict")
    mine = [e for e in entries if e.object_id == declaration.pk]
    assert mine[0].by == office and str(mine[0].action) == "Muutettu"
    changed = {str(c.name): c.after for c in mine[0].changes}
    # each field by a name of its own (the time was once "hylätty" too)
    assert {"hylätty", "hylkäyksen kirjasi", "hylätty (aika)"} <= changed.keys(), changed
    assert changed["hylätty"] is True
    assert str(office) in str(changed["hylkäyksen kirjasi"])
    page = client_as("toimisto").get(AUDIT, {"kind": "conflict"}).content.decode()
    assert html.escape(name) in page
