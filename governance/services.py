"""Writes for governance. Every function is atomic, validates with full_clean and is idempotent
where it says so, so loaders and forms can call it again safely."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import generated
from core.transitions import Move, Workflow, signed_in, state_change

from . import permissions
from .audit import acting_as, audited, save_if_changed
from .models import (
    VOTING_ROLES,
    AgendaItem,
    Attendance,
    Body,
    City,
    ConflictDeclaration,
    Correction,
    Decision,
    Dissent,
    Meeting,
    MeetingPackRead,
    Minutes,
    MinutesChecker,
    Organisation,
    Person,
    Seat,
)


def city_upsert(*, slug: str, names: dict[str, str], order: int) -> City:
    city, _ = City.objects.get_or_create(slug=slug, defaults={"order": order, "name": names["fi"]})
    for lang, name in names.items():
        setattr(city, f"name_{lang}", name)
    city.order = order
    city.full_clean()
    city.save()
    return city


def organisation_upsert(
    *, name: str, kind: str, city: City | None = None, business_id: str = ""
) -> Organisation:
    """Find an organisation by name (case-insensitive) or create it; update its facts."""
    with transaction.atomic():
        org = Organisation.objects.filter(name__iexact=name).first() or Organisation(name=name)
        org.kind = kind
        org.city = city
        if business_id:
            org.business_id = business_id
        org.full_clean()
        org.save()
        return org


def person_upsert(
    *,
    first_name: str,
    last_name: str,
    organisation: Organisation | None,
    title: str = "",
    unit: str = "",
    translations: dict[str, dict[str, str]] | None = None,
) -> Person:
    """Find a person by name within an organisation, or create them; update title and unit.
    ``translations`` gives them in other languages: {"sv": {"title": ..., "unit": ...}}."""
    with transaction.atomic():
        person = Person.objects.filter(
            first_name=first_name, last_name=last_name, organisation=organisation
        ).first() or Person(first_name=first_name, last_name=last_name, organisation=organisation)
        if title:
            person.title_fi = title
        if unit:
            person.unit_fi = unit
        for language, fields in (translations or {}).items():
            for name, value in fields.items():
                if name in ("title", "unit") and value:
                    setattr(person, f"{name}_{language}", value)
        person.full_clean()
        person.save()
        return person


def body_upsert(
    *, kind: str, names: dict[str, str], descriptions: dict[str, str], order: int
) -> Body:
    with transaction.atomic():
        body = Body.objects.filter(kind=kind).first() or Body(kind=kind)
        for lang, value in names.items():
            setattr(body, f"name_{lang}", value)
        for lang, value in descriptions.items():
            setattr(body, f"description_{lang}", value)
        body.order = order
        body.full_clean()
        body.save()
        return body


@dataclass(frozen=True)
class SeatSpec:
    order: int
    role: str
    member: Person | None
    organisation: Organisation | None
    deputy: Person | None = None
    is_rotating: bool = False
    labels: dict[str, str] | None = None


def body_seats_replace(*, body: Body, seats: list[SeatSpec]) -> list[Seat]:
    """Make the body's seats exactly ``seats`` (matched on order): update, create, delete extra."""
    with transaction.atomic():
        kept = []
        for spec in seats:
            seat = Seat.objects.filter(body=body, order=spec.order).first() or Seat(
                body=body, order=spec.order
            )
            seat.role = spec.role
            seat.member = spec.member
            seat.organisation = spec.organisation
            seat.deputy = spec.deputy
            seat.is_rotating = spec.is_rotating
            for lang, value in (spec.labels or {"fi": ""}).items():
                setattr(seat, f"label_{lang}", value)
            save_if_changed(seat)
            kept.append(seat)
        Seat.objects.filter(body=body).exclude(pk__in=[s.pk for s in kept]).delete()
        return kept


def roles_ensure() -> None:
    """Create the role groups. The strategy office may change every model of the portal's apps
    (it runs the admin); the other roles get their rights per object or through app rules."""
    from django.contrib.auth.models import Group, Permission

    from .roles import Role

    with transaction.atomic():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        office = Group.objects.get(name=Role.STRATEGY_OFFICE.value)
        office.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=[
                    "governance",
                    "projects",
                    "calls",
                    "coordination",
                    "reports",
                    "core",  # the record of state changes (core.Transition), read-only
                ]
            )
        )


def user_role_grant(*, user, role: str, city: City | None = None, by=None) -> None:
    """Give a user a role; a coordinator's city is a guardian object permission.

    The grant is recorded (governance.audit) as made by ``by``, else the request's user."""
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    from .roles import Role

    with transaction.atomic(), acting_as(by):
        user.groups.add(Group.objects.get(name=role))
        if role == Role.COORDINATOR:
            if city is None:
                raise ValueError("A coordinator needs a city.")
            assign_perm("governance.coordinate_city", user, city)


# --- Meetings, agenda, attendance, conflicts, decisions, minutes -------------------------------
# Permissions are decided in permissions.py by the caller; these functions enforce the rules of
# the procedure itself (quorum, locking) whoever calls them. A meeting's and its minutes' state
# change only along MEETINGS and MINUTES (core.transitions), whose moves name who may make them.


def _secretary(user, obj) -> bool:
    return signed_in(user, obj) and permissions.can_manage_meetings(user)


def _records_meeting(user, meeting: Meeting) -> bool:
    """The office as secretary, or whoever presides: the first decision or the minutes' draft
    marks the meeting held."""
    return signed_in(user, meeting) and permissions.can_record_attendance(user, meeting)


def _checks_minutes(user, minutes: Minutes) -> bool:
    """The last of the two members the meeting chose as checkers, checking their part."""
    return signed_in(user, minutes) and permissions.can_check_minutes(user, minutes)


def _signs_minutes(user, minutes: Minutes) -> bool:
    """The meeting's chair."""
    return signed_in(user, minutes) and permissions.can_sign_minutes(user, minutes)


MEETINGS = Workflow(
    "governance.meeting",
    model=Meeting,
    field="status",
    moves=[
        Move(Meeting.Status.PLANNED, Meeting.Status.HELD, "hold", _records_meeting),
        Move(Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED, "approve_minutes", _secretary),
    ],
    refused=gettext_lazy("A meeting cannot move from “%(old)s” to “%(new)s”."),
)
MINUTES = Workflow(
    "governance.minutes",
    model=Minutes,
    field="state",
    moves=[
        Move(Minutes.State.DRAFT, Minutes.State.CHECKED, "check", _checks_minutes),
        Move(Minutes.State.CHECKED, Minutes.State.SIGNED, "sign", _signs_minutes),
        Move(Minutes.State.SIGNED, Minutes.State.APPROVED, "approve", _secretary),
    ],
    refused=gettext_lazy("Minutes cannot move from “%(old)s” to “%(new)s”."),
)


@audited
def _meeting_status_set(*, meeting: Meeting, status: str, by) -> None:
    meeting.status_changed_by = by
    meeting.status_changed_at = timezone.now()
    state_change(obj=meeting, workflow=MEETINGS, to=status, by=by)


def _ensure_record_open(meeting: Meeting) -> None:
    """The meeting's record can change until its minutes are checked; then it is frozen."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or minutes.state == Minutes.State.DRAFT:
        return
    if minutes.state == Minutes.State.APPROVED:
        raise ValidationError(
            _("The minutes of this meeting are approved and locked; make a correction instead.")
        )
    raise ValidationError(
        _("The minutes of this meeting have been checked; its record can no longer change.")
    )


@audited
def meeting_create(
    *, body: Body, starts_at: datetime, place: str = "", online_link: str = "", by
) -> Meeting:
    with transaction.atomic():
        meeting = Meeting(
            body=body, starts_at=starts_at, place=place, online_link=online_link, created_by=by
        )
        meeting.full_clean()
        meeting.save()
        return meeting


@audited
def meeting_mark_held(*, meeting: Meeting, by) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _meeting_status_set(meeting=meeting, status=Meeting.Status.HELD, by=by)
        return meeting


@audited
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    draft_decision: str = "",
    description: str = "",
    presenter: Person | None = None,
    titles: dict[str, str] | None = None,
    by,
) -> AgendaItem:
    """Add an item at the end of the agenda. ``titles`` gives the title in other languages."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _ensure_record_open(meeting)
        last = meeting.items.order_by("-order").values_list("order", flat=True).first() or 0
        item = AgendaItem(
            meeting=meeting,
            order=last + 1,
            title=title,
            draft_decision=draft_decision,
            description=description,
            presenter=presenter,
        )
        item.title_fi = title
        for lang, value in (titles or {}).items():
            setattr(item, f"title_{lang}", value)
        item.full_clean()
        item.save()
        return item


@audited
def attendance_record(
    *,
    meeting: Meeting,
    seat: Seat,
    person: Person,
    present: bool = True,
    arrived_at_item: AgendaItem | None = None,
    left_before_item: AgendaItem | None = None,
    by,
) -> Attendance:
    """Record (or correct, until the minutes are checked) one person's attendance in a seat."""
    with transaction.atomic():
        _ensure_record_open(meeting)
        attendance = Attendance.objects.filter(meeting=meeting, seat=seat, person=person).first()
        arrived_at_item = arrived_at_item if present else None
        left_before_item = left_before_item if present else None
        if attendance is not None and (
            attendance.present,
            attendance.arrived_at_item_id,
            attendance.left_before_item_id,
        ) == (present, getattr(arrived_at_item, "pk", None), getattr(left_before_item, "pk", None)):
            return attendance  # as recorded: saving the sheet again writes no new version
        attendance = attendance or Attendance(meeting=meeting, seat=seat, person=person)
        attendance.present = present
        attendance.arrived_at_item = arrived_at_item
        attendance.left_before_item = left_before_item
        attendance.recorded_by = by
        attendance.full_clean()
        attendance.save()
        return attendance


@audited
def conflict_declare(
    *, item: AgendaItem, person: Person, reason: str, stage: str, by
) -> ConflictDeclaration:
    """A confirmed declaration: the person steps aside for the item. Confirms a proposal."""
    if stage not in (ConflictDeclaration.Stage.BEFORE_MEETING, ConflictDeclaration.Stage.AT_ITEM):
        raise ValidationError(_("A conflict is declared before the meeting or at the item."))
    with transaction.atomic():
        _ensure_record_open(item.meeting)
        if Decision.objects.filter(agenda_item=item).exists():
            raise ValidationError(_("The item has already been decided."))
        declaration = ConflictDeclaration.objects.filter(agenda_item=item, person=person).first()
        declaration = declaration or ConflictDeclaration(agenda_item=item, person=person)
        if not generated.is_unchanged(
            declaration.reason_code, declaration.reason_params, declaration.reason, reason
        ):
            declaration.reason, declaration.reason_code, declaration.reason_params = reason, "", {}
        declaration.stage = stage
        declaration.declared_by = declaration.declared_by or by
        declaration.confirmed = True
        declaration.confirmed_by = by
        declaration.confirmed_at = timezone.now()
        declaration.dismissed = False
        declaration.dismissed_by = None
        declaration.dismissed_at = None
        declaration.full_clean()
        declaration.save()
        return declaration


@audited
def conflict_propose(
    *,
    item: AgendaItem,
    person: Person,
    reason: str,
    by,
    reason_code: str = "",
    reason_params: dict | None = None,
) -> ConflictDeclaration:
    """The portal proposes an obvious conflict; it counts only once the person confirms it.
    ``reason`` is the Finnish text for the record; ``reason_code`` and ``reason_params`` let
    every reader have it in their language (core.generated).

    Idempotent: an existing declaration is returned unchanged.
    """
    with transaction.atomic():
        _ensure_record_open(item.meeting)
        existing = ConflictDeclaration.objects.filter(agenda_item=item, person=person).first()
        if existing:
            return existing
        declaration = ConflictDeclaration(
            agenda_item=item,
            person=person,
            reason=reason,
            reason_code=reason_code,
            reason_params=reason_params or {},
            stage=ConflictDeclaration.Stage.PROPOSED,
            declared_by=by,
        )
        declaration.full_clean()
        declaration.save()
        return declaration


@audited
def conflict_resolve(
    *, declaration: ConflictDeclaration, confirmed: bool, by
) -> ConflictDeclaration:
    """Record what the meeting decided on a conflict: confirmed (the person steps aside) or
    dismissed (the person takes part). Until the item is decided it can be decided again; the
    history keeps every version with who recorded it."""
    with transaction.atomic():
        declaration = (
            ConflictDeclaration.objects.select_for_update(of=("self",))
            .select_related("agenda_item__meeting")
            .get(pk=declaration.pk)
        )
        item = declaration.agenda_item
        _ensure_record_open(item.meeting)
        if Decision.objects.filter(agenda_item=item).exists():
            raise ValidationError(_("The item has already been decided."))
        acting = permissions.person_of(by) if by is not None else None
        if not confirmed and acting is not None and acting.pk == declaration.person_id:
            # Hallintolaki 28 §: nobody takes part in deciding on their own disqualification.
            raise ValidationError(_("You cannot dismiss a conflict of interest of your own."))
        now = timezone.now()
        declaration.confirmed = confirmed
        declaration.dismissed = not confirmed
        declaration.confirmed_by = by if confirmed else None
        declaration.confirmed_at = now if confirmed else None
        declaration.dismissed_by = None if confirmed else by
        declaration.dismissed_at = None if confirmed else now
        declaration.full_clean()
        declaration.save()
        return declaration


def conflict_suggestions(*, item: AgendaItem, applicant_org_ids: list[int]) -> list[Person]:
    """People who sit in the item's body (as member or deputy) for an organisation that applies.

    The hook through which the projects app proposes obvious conflicts: it passes the ids of the
    organisations applying under the item; governance knows nothing of applications.
    """
    if not applicant_org_ids:
        return []
    seats = Seat.objects.filter(body_id=item.meeting.body_id)
    person_ids = set(seats.values_list("member_id", flat=True)) | set(
        seats.values_list("deputy_id", flat=True)
    )
    return list(
        Person.objects.filter(
            pk__in=person_ids - {None}, organisation_id__in=applicant_org_ids
        ).select_related("organisation")
    )


@audited
def decision_record(
    *,
    item: AgendaItem,
    outcome: str,
    text: str = "",
    conditions: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstaining: int | None = None,
    dissenters: list[Person] | tuple[Person, ...] = (),
    dissent_reasons: Mapping[int, str] | None = None,
    by,
) -> Decision:
    """Record (or, until the minutes are checked, change) the decision on an item.

    "As proposed" takes the item's draft decision; "as amended" needs the amended text. Refused
    without quorum at that item, while a conflict the portal proposed is neither confirmed nor
    dismissed, and to anyone who has stepped aside for the item (a disqualified chair included):
    each with the reason in the message. A vote has all three counts; dissenters are people who
    took part in the item; ``dissent_reasons`` gives a dissenter's reason by person id (optional;
    a reason without its dissent is refused).
    """
    from .selectors import item_record

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        item = AgendaItem.objects.get(pk=item.pk)
        _ensure_record_open(meeting)
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("The meeting has not started yet."))
        record = item_record(item)
        if record.open_conflict_names:
            raise ValidationError(
                _(
                    "Decide first on the proposed conflicts of interest (%(names)s): "
                    "confirm or dismiss each."
                )
                % {"names": ", ".join(record.open_conflict_names)}
            )
        acting = permissions.person_of(by) if by is not None else None
        if acting is not None and acting.pk in record.recused_person_ids:
            raise ValidationError(
                _(
                    "You have stepped aside for this item (conflict of interest): "
                    "whoever chairs it in your place records its decision."
                )
            )
        if not record.quorum.quorate:
            raise ValidationError(
                _("No decision without quorum. %(reason)s") % {"reason": record.quorum.message}
            )
        text = text.strip()
        if outcome == Decision.Outcome.APPROVED:
            if not item.draft_decision.strip():
                raise ValidationError(
                    {
                        "outcome": _(
                            "The item has no draft decision: record the decision as amended, "
                            "with its text."
                        )
                    }
                )
            text = item.draft_decision
        elif outcome == Decision.Outcome.AMENDED and not text:
            raise ValidationError({"text": _("Write the decision as amended.")})
        elif outcome == Decision.Outcome.APPROVED_WITH_CONDITIONS and not text:
            text = item.draft_decision
        votes = (votes_for, votes_against, votes_abstaining)
        if any(v is not None for v in votes):
            if any(v is None for v in votes):
                raise ValidationError(
                    _("Give all three counts of the vote: for, against and abstained.")
                )
            if sum(votes) > record.quorum.present:
                raise ValidationError(
                    _("The vote has %(votes)s votes, more than the %(present)s seats present.")
                    % {"votes": sum(votes), "present": record.quorum.present}
                )
        outsiders = [p.full_name for p in dissenters if p.pk not in record.present_person_ids]
        if outsiders:
            raise ValidationError(
                _("Only those who took part in the item can dissent: %(names)s.")
                % {"names": ", ".join(outsiders)}
            )
        reasons = {pk: (text or "").strip() for pk, text in (dissent_reasons or {}).items()}
        if any(reasons[pk] for pk in reasons.keys() - {p.pk for p in dissenters}):
            raise ValidationError(_("A reason is given only with a dissenting opinion."))
        if meeting.status == Meeting.Status.PLANNED:
            _meeting_status_set(meeting=meeting, status=Meeting.Status.HELD, by=by)
        decision = Decision.objects.filter(agenda_item=item).first() or Decision(agenda_item=item)
        decision.outcome = outcome
        decision.text = text
        decision.conditions = conditions
        decision.votes_for, decision.votes_against, decision.votes_abstaining = votes
        decision.chaired_by_id = record.chair_id
        decision.seats_present = record.quorum.present
        decision.seat_count = record.quorum.seat_count
        decision.recorded_by = by
        decision.recorded_at = timezone.now()
        decision.full_clean()
        decision.save()
        keep = {p.pk for p in dissenters}
        decision.dissents.exclude(person_id__in=keep).delete()
        have = {d.person_id: d for d in decision.dissents.all()}
        for person in dissenters:
            dissent = have.get(person.pk) or Dissent(decision=decision, person=person)
            reason = reasons.get(person.pk, "")
            if dissent.pk is not None and dissent.reason == reason:
                continue  # as recorded: no new version in the history
            dissent.reason = reason
            dissent.full_clean()
            dissent.save()
        return decision


@audited
def minutes_draft(*, meeting: Meeting, notes: str = "", by) -> Minutes:
    """Draft the minutes from the meeting's record; every item needs its decision first."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if Minutes.objects.filter(meeting=meeting).exists():
            raise ValidationError(_("The meeting already has minutes."))
        undecided = list(
            meeting.items.filter(decision__isnull=True).values_list("order", flat=True)
        )
        if not meeting.items.exists():
            raise ValidationError(_("The meeting has no agenda items."))
        if undecided:
            raise ValidationError(
                _("Items without a decision: %(items)s. Record a decision on every item first.")
                % {"items": ", ".join(f"§ {o}" for o in undecided)}
            )
        if meeting.status == Meeting.Status.PLANNED:
            _meeting_status_set(meeting=meeting, status=Meeting.Status.HELD, by=by)
        minutes = Minutes(meeting=meeting, notes=notes, drafted_by=by, drafted_at=timezone.now())
        minutes.full_clean()
        minutes.save()
        return minutes


@audited
def minutes_checkers_choose(*, meeting: Meeting, people: list[Person], by) -> list[MinutesChecker]:
    """The meeting chooses two members present as the checkers of its minutes (pöytäkirjan
    tarkastajat); whoever presides or the secretary records the choice. Once the meeting has
    started, and again (a new choice replaces the earlier one) until a checker has checked. The
    meeting's chair, who signs the minutes, does not check them."""
    from .selectors import meeting_chair

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if by is not None and not permissions.can_choose_minutes_checkers(by, meeting):
            raise PermissionDenied
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("The checkers are chosen at the meeting, once it has started."))
        _ensure_record_open(meeting)
        if meeting.minutes_checkers.filter(checked_at__isnull=False).exists():
            raise ValidationError(_("A checker has already checked the minutes."))
        people = list(dict.fromkeys(people))
        if len(people) != 2:
            raise ValidationError({"checkers": _("Choose two different checkers.")})
        present = set(
            Attendance.objects.filter(
                meeting=meeting, present=True, seat__role__in=VOTING_ROLES
            ).values_list("person_id", flat=True)
        )
        absent = [p.full_name for p in people if p.pk not in present]
        if absent:
            raise ValidationError(
                {
                    "checkers": _("A checker must be a member present at the meeting: %(names)s.")
                    % {"names": ", ".join(absent)}
                }
            )
        chair = meeting_chair(meeting)
        if any(p.pk == chair for p in people):
            raise ValidationError(
                {"checkers": _("The chair signs the minutes: choose two other members.")}
            )
        meeting.minutes_checkers.all().delete()
        return [
            MinutesChecker.objects.create(meeting=meeting, person=p, chosen_by=by) for p in people
        ]


@audited
def minutes_check(*, minutes: Minutes, by) -> Minutes:
    """A checker checks the minutes; when both have, the minutes are checked."""
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=minutes.pk)
        )
        if minutes.state != Minutes.State.DRAFT:
            raise ValidationError(_("The minutes are no longer a draft to check."))
        person = permissions.person_of(by)
        checkers = MinutesChecker.objects.filter(meeting_id=minutes.meeting_id)
        checker = checkers.filter(person=person).first() if person else None
        if checker is None:  # only the two the meeting chose check its minutes
            raise PermissionDenied
        if checker.checked_at is None:
            checker.checked_at = timezone.now()
            checker.save()
        if checkers.count() == 2 and not checkers.filter(checked_at__isnull=True).exists():
            minutes.checked_by = by
            minutes.checked_at = timezone.now()
            state_change(obj=minutes, workflow=MINUTES, to=Minutes.State.CHECKED, by=by)
        return minutes


@audited
def minutes_sign(*, minutes: Minutes, by) -> Minutes:
    """The meeting's chair signs the checked minutes."""
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=minutes.pk)
        )
        minutes.signed_by = permissions.person_of(by)
        minutes.signed_at = timezone.now()
        state_change(obj=minutes, workflow=MINUTES, to=Minutes.State.SIGNED, by=by)
        return minutes


@audited
def minutes_approve(*, minutes: Minutes, by) -> Minutes:
    """Approve and lock the minutes; the meeting's decisions enter the public register and
    become final, so what other apps do with them (projects: fund the approved applications)
    happens here, in the same transaction. Their notes for the approver are on
    ``minutes.approval_notes``."""
    from . import extensions

    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=minutes.pk)
        )
        minutes.approved_by = by
        minutes.approved_at = timezone.now()
        state_change(obj=minutes, workflow=MINUTES, to=Minutes.State.APPROVED, by=by)
        meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
        _meeting_status_set(meeting=meeting, status=Meeting.Status.MINUTES_APPROVED, by=by)
        minutes.approval_notes = extensions.minutes_approved(minutes=minutes, by=by)
        # The public PDF, made once by a worker now rather than by the first reader
        # (governance/pdf.py). robust: if the broker cannot be reached the approval stands and
        # the first reader's request makes it.
        transaction.on_commit(lambda: _minutes_pdf_queue(minutes.pk), robust=True)
        return minutes


MINUTES_PDF_TASK = "governance.minutes_pdf_make"


def _minutes_pdf_queue(minutes_id: int) -> None:
    from celery import current_app

    # By its name (governance/tasks.py registers it), so services and tasks do not import
    # each other; in the embedded default it runs here, eagerly.
    current_app.tasks[MINUTES_PDF_TASK].delay(minutes_id)


def minutes_pdf_make(*, minutes_id: int) -> str:
    """The approved minutes' PDF in the portal's language (Finnish) into the file storage."""
    from django.conf import settings
    from django.utils import translation

    from . import pdf

    minutes = Minutes.objects.select_related("meeting__body").get(pk=minutes_id)
    with translation.override(settings.LANGUAGE_CODE):
        return pdf.approved_minutes_file(minutes)


@audited
def minutes_notes_update(*, minutes: Minutes, notes: str, by) -> Minutes:
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.state != Minutes.State.DRAFT:
            raise ValidationError(_("Only draft minutes can be edited."))
        minutes.notes = notes
        minutes.full_clean()
        minutes.save()
        return minutes


@audited
def minutes_correct(
    *, minutes: Minutes, text: str, item: AgendaItem | None = None, by
) -> Correction:
    """A change to approved minutes is a new, visible correction; the minutes stay as approved."""
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.state != Minutes.State.APPROVED:
            raise ValidationError(
                _("Only approved minutes are corrected; draft minutes are edited directly.")
            )
        if item is not None and item.meeting_id != minutes.meeting_id:
            raise ValidationError({"agenda_item": _("The item is not on this meeting's agenda.")})
        correction = Correction(
            minutes=minutes, agenda_item=item, text=text, made_by=by, made_at=timezone.now()
        )
        correction.full_clean()
        correction.save()
        return correction


def meeting_pack_read_mark(*, meeting: Meeting, person: Person) -> MeetingPackRead:
    """Idempotent: the first time counts. A pack is read for its meeting: once the meeting is
    past (held, or its day over), marking it read says nothing and is refused."""
    if meeting.is_past:
        raise ValidationError(_("The meeting is over: its pack can no longer be marked read."))
    with transaction.atomic():
        read, _created = MeetingPackRead.objects.get_or_create(
            meeting=meeting, person=person, defaults={"read_at": timezone.now()}
        )
        return read


@audited
def seat_attendance_set(
    *,
    meeting: Meeting,
    seat: Seat,
    attending: Person | None,
    arrived_at_item: AgendaItem | None = None,
    left_before_item: AgendaItem | None = None,
    by,
) -> list[Attendance]:
    """Who sits in a seat: the member, the deputy standing in, or nobody (the member absent).

    The member's absence is recorded; a deputy who does not stand in leaves no row.
    """
    with transaction.atomic():
        _ensure_record_open(meeting)
        rows = []
        if seat.member and seat.member != attending:
            rows.append(
                attendance_record(
                    meeting=meeting, seat=seat, person=seat.member, present=False, by=by
                )
            )
        if seat.deputy and seat.deputy != attending:
            Attendance.objects.filter(meeting=meeting, seat=seat, person=seat.deputy).delete()
        if attending is not None:
            rows.append(
                attendance_record(
                    meeting=meeting,
                    seat=seat,
                    person=attending,
                    arrived_at_item=arrived_at_item,
                    left_before_item=left_before_item,
                    by=by,
                )
            )
        return rows


@dataclass(frozen=True)
class SeatAttendance:
    seat: Seat
    attending: Person | None
    arrived_at_item: AgendaItem | None = None
    left_before_item: AgendaItem | None = None


@audited
def attendance_sheet_save(*, meeting: Meeting, rows: list[SeatAttendance], by) -> None:
    """Save the whole attendance sheet at once: every seat or none."""
    with transaction.atomic():
        for row in rows:
            try:
                seat_attendance_set(
                    meeting=meeting,
                    seat=row.seat,
                    attending=row.attending,
                    arrived_at_item=row.arrived_at_item,
                    left_before_item=row.left_before_item,
                    by=by,
                )
            except ValidationError as error:
                seat_name = row.seat.member.full_name if row.seat.member else row.seat.label
                raise ValidationError(
                    [f"{seat_name}: {message}" for message in error.messages]
                ) from error
