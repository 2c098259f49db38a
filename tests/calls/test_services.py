"""Calls, applications, conflicts, scoring and funding through the services."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from calls import services as calls_services
from calls.models import (
    Application,
    ApplicationAttachment,
    Call,
    Evaluation,
    EvaluationConflict,
)
from governance import services as gov
from governance.models import (
    VOTING_ROLES,
    Body,
    ConflictDeclaration,
    Decision,
    Organisation,
    Person,
    Seat,
)
from projects.models import Project

from . import factories as f

pytestmark = pytest.mark.django_db


def messages(error: pytest.ExceptionInfo) -> str:
    """The refusal in English (model messages are lazy: translated when read)."""
    with override("en"):
        return " ".join(str(m) for m in error.value.messages)


@pytest.fixture
def office(org_6aika):
    return f.office_user()


@pytest.fixture
def demo_users(org_6aika):
    """Only the chair's account: these tests do not need the whole demo."""
    return {"johtoryhma-pj": f.board_chair_user()}


@pytest.fixture
def the_call(office):
    return f.call(by=office)


def person(first, last):
    return Person.objects.get(first_name=first, last_name=last)


def board_item(office, title="Rahoitusesitys"):
    """An agenda item of a board meeting that started an hour ago, every member present."""
    board = Body.objects.get(kind="board")
    meeting = gov.meeting_create(
        body=board,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Espoo",
        by=office,
    )
    item = gov.agenda_item_add(
        meeting=meeting, title=title, draft_decision="Puolletaan.", by=office
    )
    for seat in Seat.objects.filter(body=board, role__in=VOTING_ROLES):
        gov.attendance_record(meeting=meeting, seat=seat, person=seat.member, by=office)
    return item


def decide(item, outcome, by, conditions=""):
    return gov.decision_record(
        item=item, outcome=outcome, text="Päätös.", conditions=conditions, by=by
    )


# --- calls ---------------------------------------------------------------------------------


def test_a_call_needs_criteria_and_sane_dates(office):
    with override("en"), pytest.raises(ValidationError) as error:
        f.call(weights=(), by=office)
    assert "at least one evaluation criterion" in messages(error)
    with override("en"), pytest.raises(ValidationError) as error:
        f.call(opens_on=dt.date(2026, 4, 1), closes_on=dt.date(2026, 3, 1), by=office)
    assert "cannot close before it opens" in messages(error)
    assert Call.objects.count() == 0


# --- applications ----------------------------------------------------------------------------


def test_register_keeps_organisations_and_derives_cities(the_call, office):
    lead = f.org("Aalto-yliopisto", "espoo")
    partner = f.org("Tampereen yliopisto", "tampere")
    application = f.application(the_call, applicant=lead, co_applicants=[partner], by=office)
    assert application.is_eligible
    assert set(application.cities.values_list("slug", flat=True)) == {"espoo", "tampere"}
    assert list(application.co_applicants.all()) == [partner]
    assert application.registered_by == office


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 4, 1), "closed on March 31, 2026; it takes no new applications"),
        (dt.date(2026, 2, 28), "opens on March 1, 2026; it takes no applications yet"),
    ],
)
def test_a_call_takes_applications_only_while_open(the_call, office, today, expected):
    with override("en"), pytest.raises(ValidationError) as error:
        f.application(the_call, by=office, today=today)
    assert expected in messages(error)
    assert Application.objects.count() == 0


def test_two_city_rule_marks_the_application_ineligible_with_the_reason(the_call, office):
    application = f.application(
        the_call,
        applicant=f.org("Metropolia", "helsinki"),
        co_applicants=[f.org("Helsingin kaupunki")],
        by=office,
    )
    # Kept in the record's language, Finnish, whoever registered it.
    application.refresh_from_db()
    assert not application.is_eligible
    assert "vähintään kahdesta kuudesta kaupungista" in application.eligibility_problem
    assert "ovat 1 kaupungista" in application.eligibility_problem


def test_two_city_rule_belongs_to_the_programme(office):
    other_call = f.call(programme="other", by=office)
    application = f.application(
        other_call, applicant=f.org("Business Tampere Oy"), co_applicants=[], by=office
    )
    assert application.is_eligible


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"requested": "200000", "budget": "100000"}, "requested", "exceeds the total budget"),
        ({"stage": Application.Stage.IDEA}, "stage", "This call has one stage"),
    ],
)
def test_bad_application_is_refused_and_nothing_saved(the_call, office, changes, field, expected):
    with override("en"), pytest.raises(ValidationError) as error:
        f.application(the_call, by=office, **changes)
    with override("en"):
        assert expected in " ".join(str(m) for m in error.value.message_dict[field])
    assert Application.objects.count() == 0


def test_applicant_cannot_be_its_own_co_applicant(the_call, office):
    lead = f.org("Aalto-yliopisto", "espoo")
    with override("en"), pytest.raises(ValidationError) as error:
        f.application(the_call, applicant=lead, co_applicants=[lead], by=office)
    assert "cannot also be a co-applicant" in messages(error)


def test_two_stage_call_takes_idea_papers_then_full_applications(office):
    two = f.call(two_stage=True, by=office)
    idea = f.application(two, stage=Application.Stage.IDEA, title="Idea", by=office)
    full = calls_services.application_register(
        call=two,
        spec=calls_services.ApplicationSpec(
            title="Idea",
            applicant=idea.applicant,
            co_applicants=list(idea.co_applicants.all()),
            summary="Koko hakemus.",
            budget=Decimal(1000),
            requested=Decimal(500),
            idea=idea,
        ),
        by=office,
        today=f.TODAY,
    )
    assert full.idea == idea
    assert list(idea.full_applications.all()) == [full]


# --- attachments ----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_pdf_attachment_is_kept(the_call, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = f.application(the_call, by=office)
    upload = SimpleUploadedFile("hakemus.pdf", PDF, content_type="application/pdf")
    attachment = calls_services.attachment_add(
        application=application, title="Hakemuslomake", file=upload, by=office
    )
    assert attachment.original_name == "hakemus.pdf"
    assert attachment.size == len(PDF)
    assert attachment.file.name.startswith(f"applications/{application.pk}/")
    assert attachment.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "content_type", "expected"),
    [
        ("budjetti.pdf", b"PK\x03\x04 a zip", "application/pdf", "contents are not a PDF"),
        ("budjetti.pdf", PDF, "application/msword", "was sent as application/msword"),
        ("budjetti.docx", PDF, "application/pdf", "is not a .pdf file"),
        ("iso.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf", "largest allowed is 10 MB"),
    ],
)
def test_non_pdf_attachment_is_refused(
    the_call, office, settings, tmp_path, name, content, content_type, expected
):
    settings.MEDIA_ROOT = tmp_path
    application = f.application(the_call, by=office)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.attachment_add(
            application=application, title="Liite", file=upload, by=office
        )
    assert expected in messages(error)
    assert name in messages(error)
    assert ApplicationAttachment.objects.count() == 0


# --- conflicts and scoring ----------------------------------------------------------------------


def test_portal_proposes_conflicts_of_members_whose_organisation_applies(the_call, office):
    application = f.application(
        the_call,
        applicant=f.org("Turun kaupunki"),
        co_applicants=[f.org("BusinessOulu")],
        by=office,
    )
    proposed = EvaluationConflict.objects.filter(application=application)
    assert {c.person.last_name for c in proposed} == {"Birkstedt", "Kultalahti"}
    assert all(c.stage == "proposed" and not c.confirmed for c in proposed)


def test_member_scores_every_criterion_and_can_rescore(the_call, office):
    user = f.evaluator_user("Kimmo", "Heinonen")
    application = f.application(the_call, by=office)
    f.score(application, user.person, [4, 2], "Hyvä.")
    evaluation = f.score(application, user.person, [5, 3], "Parempi.")
    assert Evaluation.objects.count() == 1
    assert sorted(evaluation.scores.values_list("score", flat=True)) == [3, 5]
    assert evaluation.comment == "Parempi."


def test_member_whose_organisation_applies_is_refused(the_call, office):
    user = f.evaluator_user("Riitta", "Birkstedt")
    application = f.application(the_call, applicant=f.org("Turun kaupunki"), by=office)
    with override("en"), pytest.raises(ValidationError) as error:
        f.score(application, user.person, [4, 4])
    assert "because of a conflict of interest" in messages(error)
    assert "Turun kaupunki" in messages(error)
    assert Evaluation.objects.count() == 0


def test_declared_conflict_is_kept_and_blocks_scoring_and_withdraws_scores(the_call, office):
    user = f.evaluator_user("Kimmo", "Heinonen")
    application = f.application(the_call, by=office)
    f.score(application, user.person, [4, 2])
    conflict = calls_services.evaluation_conflict_declare(
        application=application, person=user.person, reason="Olen hankkeen ohjausryhmässä.", by=user
    )
    assert conflict.confirmed and conflict.stage == "declared"
    assert Evaluation.objects.count() == 0
    with override("en"), pytest.raises(ValidationError) as error:
        f.score(application, user.person, [4, 2])
    assert "conflict of interest" in messages(error)
    assert "Olen hankkeen ohjausryhmässä." in messages(error)
    assert EvaluationConflict.objects.get().reason == "Olen hankkeen ohjausryhmässä."


def test_confirming_a_proposal_keeps_its_stage(the_call, office):
    user = f.evaluator_user("Riitta", "Birkstedt")
    application = f.application(the_call, applicant=f.org("Turun kaupunki"), by=office)
    conflict = calls_services.evaluation_conflict_declare(
        application=application, person=user.person, reason="Turun kaupunki hakee.", by=user
    )
    assert conflict.stage == "proposed" and conflict.confirmed and conflict.confirmed_at


def test_a_conflict_needs_a_reason(the_call, office):
    user = f.evaluator_user("Kimmo", "Heinonen")
    application = f.application(the_call, by=office)
    with pytest.raises(ValidationError):
        calls_services.evaluation_conflict_declare(
            application=application, person=user.person, reason="  ", by=user
        )
    assert EvaluationConflict.objects.count() == 0


def test_only_steering_group_members_score(the_call, office):
    application = f.application(the_call, by=office)
    chair_of_board = person("Tuula", "Antola")
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.evaluation_submit(
            application=application,
            evaluator=chair_of_board,
            scores={c.pk: 3 for c in the_call.criteria.all()},
            by=office,
        )
    assert "Only members of the steering group" in messages(error)


@pytest.mark.parametrize(("values", "expected"), [([4], "missing: Kriteeri 2"), ([6, 1], "5")])
def test_incomplete_or_out_of_range_scores_are_refused(the_call, office, values, expected):
    user = f.evaluator_user("Kimmo", "Heinonen")
    application = f.application(the_call, by=office)
    criteria = list(the_call.criteria.order_by("order"))
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.evaluation_submit(
            application=application,
            evaluator=user.person,
            scores={c.pk: v for c, v in zip(criteria, values, strict=False)},
            by=user,
        )
    assert expected in messages(error)
    assert Evaluation.objects.count() == 0


# --- the board: agenda items, decisions and funding ------------------------------------------


def test_attaching_to_a_board_item_proposes_board_conflicts(the_call, office):
    application = f.application(
        the_call,
        applicant=f.org("Business Tampere Oy"),
        co_applicants=[f.org("BusinessOulu")],
        by=office,
    )
    item = board_item(office)
    people = calls_services.application_agenda_item_attach(
        application=application, item=item, by=office
    )
    assert {p.last_name for p in people} == {"Ala-Mursula", "Kultalahti"}
    proposals = ConflictDeclaration.objects.filter(agenda_item=item)
    assert {c.person.last_name for c in proposals} == {"Ala-Mursula", "Kultalahti"}
    assert not any(c.confirmed for c in proposals)


def test_applications_go_to_the_board_not_the_steering_group(the_call, office):
    application = f.application(the_call, by=office)
    steering = Body.objects.get(kind="steering_group")
    meeting = gov.meeting_create(
        body=steering, starts_at=timezone.now() + timedelta(days=3), place="Vantaa", by=office
    )
    item = gov.agenda_item_add(meeting=meeting, title="Arviointi", by=office)
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    assert "board's meetings" in messages(error)
    application.refresh_from_db()
    assert application.agenda_item is None


def test_scoring_closes_once_the_board_has_decided(the_call, office, demo_users):
    user = f.evaluator_user("Kimmo", "Heinonen")
    application = f.application(the_call, by=office)
    item = board_item(office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    decide(item, Decision.Outcome.REJECTED, demo_users["johtoryhma-pj"])
    with override("en"), pytest.raises(ValidationError) as error:
        f.score(application, user.person, [3, 3])
    assert "already decided" in messages(error)


def approve_minutes(meeting, office):
    """Draft the meeting's minutes and take them through the checkers, the chair's signature and
    the office's approval; the approved minutes."""
    from tests.governance.conftest import approve_minutes as approved

    return approved(gov.minutes_draft(meeting=meeting, by=office), office)


def test_approved_application_becomes_a_project_when_the_minutes_are_approved(
    the_call, office, demo_users
):
    lead = f.org("Aalto-yliopisto", "espoo")
    partner = f.org("Tampereen yliopisto", "tampere")
    application = f.application(
        the_call,
        applicant=lead,
        co_applicants=[partner],
        budget="400000",
        requested="300000",
        by=office,
    )
    item = board_item(office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    decision = decide(
        item, Decision.Outcome.APPROVED_WITH_CONDITIONS, demo_users["johtoryhma-pj"], "Ehto."
    )
    # The chair may still change the decision: no project from a draft record.
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.application_fund_from_decision(
            application=application, decision=decision, by=office
        )
    assert "becomes final when the minutes of its meeting are approved" in messages(error)
    assert not Project.objects.filter(name_fi=application.title).exists()

    with override("en"):
        minutes = approve_minutes(item.meeting, office)
    assert minutes.approval_notes == [f"“{application.title}” is now a project in the portfolio."]
    application.refresh_from_db()
    project = application.project
    assert application.funding_decision == decision
    assert project.name_fi == application.title
    assert project.status == Project.Status.PLANNED
    assert project.total_cost == Decimal("400000")
    assert project.granted == Decimal("300000")
    grant = project.grants.get()
    assert (grant.funder.name, grant.instrument, grant.amount) == (
        "Uudenmaan liitto",
        "EAKR",
        Decimal("300000"),
    )
    assert project.implementers.get(is_lead=True).organisation == lead
    assert list(
        project.implementers.filter(is_lead=False).values_list("organisation", flat=True)
    ) == [partner.pk]
    assert set(project.cities.values_list("slug", flat=True)) == {"espoo", "tampere"}

    # Idempotent: running the hook again, or the office's button, makes no second project.
    assert calls_services.applications_fund_on_minutes_approved(minutes=minutes, by=office) == []
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.application_fund_from_decision(
            application=application, decision=decision, by=office
        )
    assert "already a funded project" in messages(error)
    assert Project.objects.filter(name_fi=application.title).count() == 1


def test_an_application_attached_after_the_minutes_is_funded_by_the_office(
    the_call, office, demo_users
):
    item = board_item(office)
    decision = decide(item, Decision.Outcome.APPROVED, demo_users["johtoryhma-pj"])
    approve_minutes(item.meeting, office)
    application = f.application(the_call, by=office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    project = calls_services.application_fund_from_decision(
        application=application, decision=decision, by=office
    )
    application.refresh_from_db()
    assert application.project == project and application.funding_decision == decision


@pytest.mark.parametrize(
    "outcome", [Decision.Outcome.REJECTED, Decision.Outcome.RETURNED, Decision.Outcome.TABLED]
)
def test_other_outcomes_keep_the_application(the_call, office, demo_users, outcome):
    application = f.application(the_call, by=office)
    item = board_item(office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    decision = decide(item, outcome, demo_users["johtoryhma-pj"])
    projects_before = Project.objects.count()
    minutes = approve_minutes(item.meeting, office)
    assert minutes.approval_notes == []
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.application_fund_from_decision(
            application=application, decision=decision, by=office
        )
    assert "only an approved application is funded" in messages(error)
    assert Project.objects.count() == projects_before
    application.refresh_from_db()
    assert application.project is None and application.agenda_item == item


def test_a_decision_on_another_item_does_not_fund(the_call, office, demo_users):
    application = f.application(the_call, by=office)
    item = board_item(office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    other = gov.agenda_item_add(
        meeting=item.meeting, title="Muu asia", draft_decision="Puolletaan.", by=office
    )
    decide(item, Decision.Outcome.REJECTED, demo_users["johtoryhma-pj"])
    decision = decide(other, Decision.Outcome.APPROVED, demo_users["johtoryhma-pj"])
    approve_minutes(item.meeting, office)
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.application_fund_from_decision(
            application=application, decision=decision, by=office
        )
    assert "not on the agenda item" in messages(error)
    application.refresh_from_db()
    assert application.project is None


def test_an_ineligible_application_is_not_funded_even_if_approved(the_call, office, demo_users):
    application = f.application(
        the_call, applicant=f.org("Metropolia", "helsinki"), co_applicants=[], by=office
    )
    item = board_item(office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    decision = decide(item, Decision.Outcome.APPROVED, demo_users["johtoryhma-pj"])
    # The minutes are approved all the same; the note tells the approver why no project.
    minutes = approve_minutes(item.meeting, office)
    assert minutes.is_locked
    assert len(minutes.approval_notes) == 1
    assert application.title in minutes.approval_notes[0]
    assert "vähintään kahdesta kuudesta kaupungista" in minutes.approval_notes[0]
    with override("en"), pytest.raises(ValidationError) as error:
        calls_services.application_fund_from_decision(
            application=application, decision=decision, by=office
        )
    # the verdict is a generated text: in the language of whoever asks
    assert "at least two of the six cities" in messages(error)
    assert not Project.objects.filter(name_fi=application.title).exists()


# --- import -------------------------------------------------------------------------------------

HEADER = "title;applicant;co_applicants;cities;summary;budget;requested;start_date;end_date\n"


def test_import_creates_every_row(the_call, office):
    data = (
        HEADER
        + "Datasilta;Helsingin kaupunki;Espoon kaupunki;;Tiivistelmä;200 000;150000,50;"
        + "1.1.2027;31.12.2028\n"
        + "Satamat;Oulun kaupunki;Turun kaupunki;vantaa;Toinen;100000;80000;;\n"
    ).encode()
    result = calls_services.applications_import(call=the_call, data=data, by=office, today=f.TODAY)
    assert result.errors == []
    assert [a.title for a in result.created] == ["Datasilta", "Satamat"]
    first = Application.objects.get(title="Datasilta")
    assert first.requested == Decimal("150000.50")
    assert first.start_date == dt.date(2027, 1, 1)
    assert set(Application.objects.get(title="Satamat").cities.values_list("slug", flat=True)) == {
        "oulu",
        "turku",
        "vantaa",
    }


def test_import_with_a_bad_row_saves_nothing_and_says_where(the_call, office):
    data = (
        HEADER
        + "Datasilta;Helsingin kaupunki;Espoon kaupunki;;Tiivistelmä;200000;150000;;\n"
        + "Satamat;Tuntematon Oy;;;Toinen;paljon;80000;32.1.2027;\n"
        + "Liian iso;Oulun kaupunki;Turun kaupunki;;Kolmas;1000;2000;;\n"
    ).encode()
    with override("en"):
        result = calls_services.applications_import(
            call=the_call, data=data, by=office, today=f.TODAY
        )
    assert result.created == []
    assert Application.objects.count() == 0
    assert (3, "applicant", "Unknown organisation “Tuntematon Oy”: add it first.") in result.errors
    assert (3, "budget", "“paljon” is not an amount in euros.") in result.errors
    assert any(row == 3 and col == "start_date" for row, col, _m in result.errors)
    assert any(
        row == 4 and col == "requested" and "exceeds the total budget" in m
        for row, col, m in result.errors
    )
    assert not any(row == 2 for row, _c, _m in result.errors)


def test_import_into_a_closed_call_is_refused_row_by_row(the_call, office):
    data = (HEADER + "Datasilta;Helsingin kaupunki;Espoon kaupunki;;T;200000;150000;;\n").encode()
    with override("en"):
        result = calls_services.applications_import(
            call=the_call, data=data, by=office, today=dt.date(2026, 5, 1)
        )
    assert result.errors and "no new applications" in result.errors[0][2]
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"title;summary\nA;B\n", "Missing columns: applicant, budget, requested."),
        (HEADER.encode(), "The file has no application rows."),
        (
            b"\xff\xfe\x00t",
            "The file is UTF-16 text (Excel's “Unicode text”), not UTF-8. Save it as "
            "“CSV UTF-8” and try again.",
        ),
        (HEADER.replace("title", "title;colour").encode() + b"", "Unknown columns: colour."),
    ],
)
def test_import_file_level_problems(the_call, office, data, expected):
    with override("en"):
        result = calls_services.applications_import(call=the_call, data=data, by=office)
    assert result.errors[0][2] == expected
    assert Application.objects.count() == 0


def test_organisation_names_match_case_insensitively(the_call, office):
    data = (HEADER + "A;helsingin KAUPUNKI;espoon kaupunki;;T;2;1;;\n").encode()
    result = calls_services.applications_import(call=the_call, data=data, by=office, today=f.TODAY)
    assert result.errors == []
    assert result.created[0].applicant == Organisation.objects.get(name="Helsingin kaupunki")


# --- texts the portal writes, in the reader's language (issue 18) -------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fi", "6Aika-hankkeella on oltava toteuttajia vähintään kahdesta kuudesta kaupungista"),
        ("sv", "Ett 6Aika-projekt behöver genomförare från minst två av de sex städerna"),
        ("en", "A 6Aika project needs implementers from at least two of the six cities"),
    ],
)
def test_two_city_verdict_is_written_in_the_readers_language(the_call, office, code, expected):
    application = f.application(
        the_call,
        applicant=f.org("Metropolia", "helsinki"),
        co_applicants=[f.org("Helsingin kaupunki")],
        by=office,
    )
    application.refresh_from_db()
    assert application.eligibility_code == "projects.two_city_rule"
    assert application.eligibility_params == {"count": 1}
    assert "kahdesta kuudesta" in application.eligibility_problem  # the record stays Finnish
    with override(code):
        assert application.eligibility_problem_text.startswith(expected)


def test_proposed_conflict_reasons_are_written_in_the_readers_language(the_call, office):
    application = f.application(
        the_call,
        applicant=f.org("Business Tampere Oy"),
        co_applicants=[f.org("BusinessOulu")],
        by=office,
    )
    evaluation = EvaluationConflict.objects.filter(application=application).first()
    assert evaluation.reason_code == "calls.conflict.org_applies"
    with override("sv"):
        assert evaluation.reason_text.endswith("är bland de sökande.")
    with override("en"):
        assert evaluation.reason_text.endswith("is among the applicants.")
    item = board_item(office)
    calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    proposal = ConflictDeclaration.objects.filter(agenda_item=item).first()
    assert proposal.reason.endswith(f"on hakijana tässä asiassa ({application.title}).")
    with override("sv"):
        assert proposal.reason_text == (
            f"{proposal.person.organisation} är sökande i detta ärende ({application.title})."
        )


def test_confirming_a_proposal_as_shown_keeps_the_code_and_a_new_reason_is_the_members(
    the_call, office
):
    user = f.evaluator_user("Riitta", "Birkstedt")
    application = f.application(the_call, applicant=f.org("Turun kaupunki"), by=office)
    proposed = EvaluationConflict.objects.get(application=application, person=user.person)
    with override("sv"):
        shown = proposed.reason_text  # the member reads the proposal in Swedish and confirms it
    conflict = calls_services.evaluation_conflict_declare(
        application=application, person=user.person, reason=shown, by=user
    )
    assert conflict.reason_code == "calls.conflict.org_applies"
    assert conflict.reason == "Turun kaupunki on hakijoiden joukossa."
    conflict = calls_services.evaluation_conflict_declare(
        application=application, person=user.person, reason="Olen hallituksen jäsen.", by=user
    )
    assert (conflict.reason, conflict.reason_code, conflict.reason_params) == (
        "Olen hallituksen jäsen.",
        "",
        {},
    )
    with override("sv"):
        assert conflict.reason_text == "Olen hallituksen jäsen."  # a person's words stay theirs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "6Aika-hankkeella on oltava toteuttajia vähintään kahdesta kuudesta kaupungista; "
            "tämän hankkeen toteuttajat ovat 1 kaupungista.",
            ("projects.two_city_rule", {"count": 1}),
        ),
        (
            "Turun kaupunki on hakijoiden joukossa.",
            ("calls.conflict.org_applies", {"org": "Turun kaupunki"}),
        ),
        (
            "BusinessOulu is among the applicants.",
            ("calls.conflict.org_applies", {"org": "BusinessOulu"}),
        ),
        (
            "Oulun kaupunki on hakijana tässä asiassa (Datatalous (vaihe 2)).",
            (
                "calls.conflict.org_applies_under_item",
                {"org": "Oulun kaupunki", "title": "Datatalous (vaihe 2)"},
            ),
        ),
        ("Olen hankkeen ohjausryhmässä.", None),
    ],
)
def test_old_free_texts_get_their_codes(text, expected):
    """The data migrations (calls 0006, governance 0006) read the rows written before codes."""
    from core.generated_migrations import OLD_TEXTS, code_for

    assert code_for(text, list(OLD_TEXTS)) == expected


def test_an_old_row_without_a_code_is_shown_as_stored(the_call, office):
    application = f.application(the_call, applicant=f.org("Turun kaupunki"), by=office)
    conflict = EvaluationConflict.objects.filter(application=application).first()
    EvaluationConflict.objects.filter(pk=conflict.pk).update(
        reason="Vanha vapaa teksti.", reason_code="", reason_params={}
    )
    conflict.refresh_from_db()
    with override("sv"):
        assert conflict.reason_text == "Vanha vapaa teksti."
