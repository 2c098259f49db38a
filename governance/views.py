"""Governance pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.forms import add_service_error, form_status
from core.page_cache import public_page
from core.pdf import pdf_filename

from . import extensions, forms, pdf, permissions, selectors, services
from .models import (
    VOTING_ROLES,
    ConflictDeclaration,
    Decision,
    Meeting,
    Minutes,
    Seat,
)


@public_page("governance")
def bodies(request: HttpRequest) -> HttpResponse:
    """Public: both bodies as 6Aika publishes them, seat by seat."""
    return render(request, "governance/bodies.html", {"bodies": selectors.bodies_with_seats()})


# --- Meetings and decisions -------------------------------------------------------------------


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    """Meetings of the bodies the user sits in; every meeting for the strategy office."""
    if not permissions.can_list_meetings(request.user):
        raise PermissionDenied
    return render(
        request,
        "governance/meetings.html",
        {
            "meetings": selectors.meetings_list(permissions.meetings_for_user(request.user)),
            "can_manage": permissions.can_manage_meetings(request.user),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_meetings(request.user):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Meeting created. Add its agenda items."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": form},
        status=form_status(request, form),
    )


def _decision_form(item, data=None) -> forms.DecisionForm:
    """The decision form of an item: a recorded decision's values, else nothing chosen."""
    decision = getattr(item, "decision", None)
    initial = {}
    if decision is not None:
        initial = {
            "outcome": decision.outcome,
            "text": decision.text if decision.outcome == Decision.Outcome.AMENDED else "",
            "conditions": decision.conditions,
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "votes_abstaining": decision.votes_abstaining,
            "dissenters": [d.person_id for d in decision.dissents.all()],
            **{
                f"{forms.DecisionForm.REASON_PREFIX}{d.person_id}": d.reason
                for d in decision.dissents.all()
            },
        }
    return forms.DecisionForm(
        data,
        initial=initial,
        prefix=f"item{item.pk}",
        participants=[(pk, p.full_name) for pk, p in item.participants.items()],
    )


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, object]:
    user = request.user
    page = selectors.meeting_page(meeting)
    person = permissions.person_of(user)
    own_conflicts = {
        c.agenda_item_id: c
        for item in page.items
        for c in item.conflict_list
        if person is not None and c.person_id == person.pk
    }
    can_manage = permissions.can_manage_meetings(user)
    record_open = page.minutes is None or page.minutes.state == Minutes.State.DRAFT
    started = meeting.starts_at <= timezone.now()
    # Panels other apps register (e.g. the applications on an item, from projects).
    panels = extensions.agenda_item_panels(request, page.items)
    chairs_any = False
    # Before attendance is taken nobody is known to be there: the chair of the body chairs.
    body_chair = not any(a.present for a in page.attendances) and permissions.is_chair_of(
        user, meeting.body_id
    )
    for item in page.items:
        item.own_conflict = own_conflicts.get(item.pk)
        item.panels = panels.get(item.pk, [])
        item.can_decide = body_chair or (
            person is not None and item.chair is not None and item.chair.pk == person.pk
        )
        chairs_any = chairs_any or item.can_decide
        item.can_resolve = record_open and (can_manage or item.can_decide)
        if item.can_decide and record_open and started:
            item.decision_form = _decision_form(item)
    minutes = page.minutes
    checker = (
        next((c for c in page.checkers if person is not None and c.person_id == person.pk), None)
        if minutes is not None
        else None
    )
    # The meeting chooses its checkers once it has started, until one of them has checked.
    choose_checkers = (
        started
        and record_open
        and not any(c.checked_at for c in page.checkers)
        and permissions.can_choose_minutes_checkers(user, meeting)
    )
    return {
        "meeting": meeting,
        "page": page,
        "person": person,
        "can_manage": can_manage,
        "can_decide": chairs_any,
        "can_record_attendance": permissions.can_record_attendance(user, meeting),
        "can_declare": permissions.can_declare_conflict(user, meeting),
        "record_open": record_open,
        "started": started,
        "pack_read": person is not None
        and selectors.pack_read(person_id=person.pk, meeting=meeting),
        "checker": checker,
        "can_sign": minutes is not None
        and minutes.state == Minutes.State.CHECKED
        and person is not None
        and page.items
        and page.items[0].chair is not None
        and page.items[0].chair.pk == person.pk,
        "checkers_form": forms.MinutesCheckersForm(
            meeting=meeting,
            exclude=page.items[0].chair.pk if page.items and page.items[0].chair else None,
            initial={
                "first": page.checkers[0].person_id if page.checkers else None,
                "second": page.checkers[1].person_id if len(page.checkers) > 1 else None,
            },
        )
        if choose_checkers
        else None,
        "correction_form": forms.CorrectionForm(meeting=meeting)
        if minutes is not None and minutes.is_locked
        else None,
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user(request.user, pk)
    return render(request, "governance/meeting.html", _meeting_context(request, meeting))


@login_required
def meeting_next(request: HttpRequest) -> HttpResponse:
    """A board member's (or deputy's) next meeting: agenda, own conflicts, the pack to read."""
    if not permissions.can_list_meetings(request.user):
        raise PermissionDenied
    meeting = selectors.next_meeting(permissions.meetings_for_user(request.user))
    context: dict[str, object] = {"next": True, "meeting": meeting}
    if meeting is not None:
        context.update(_meeting_context(request, meeting))
    return render(request, "governance/meeting.html", context)


@login_required
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user(request.user, pk)
    if not permissions.can_manage_meetings(request.user):
        raise PermissionDenied
    form = forms.AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Agenda item added."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "governance/item_form.html",
        {"form": form, "meeting": meeting},
        status=form_status(request, form),
    )


@login_required
def item_decision(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Whoever chairs the item records its decision; an HTMX request gets the item back."""
    meeting = permissions.meeting_for_user(request.user, pk)
    item = permissions.agenda_item_for_user(request.user, meeting, item_pk)
    if not permissions.can_record_decisions(request.user, meeting, item):
        raise PermissionDenied
    context = _meeting_context(request, meeting)
    item = next(i for i in context["page"].items if i.pk == item.pk)
    form = _decision_form(item, request.POST or None)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                item=item, by=request.user, **form.service_arguments(item.participants)
            )
        except ValidationError as refusal:
            add_service_error(form, refusal)
        else:
            saved = True
            if not request.htmx:
                messages.success(request, _("Decision recorded."))
                return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#item-{item.pk}")
    if request.htmx:
        # The form's target is the whole agenda item: it comes back whole, with the decision
        # or with the form and its errors (form_status answers an htmx swap with a 200).
        if saved:
            context = _meeting_context(request, meeting)
        context["item"] = next(i for i in context["page"].items if i.pk == item.pk)
        context["saved"] = saved
        if not saved:
            context["item"].decision_form = form
        return render(
            request,
            "governance/partials/item.html",
            context,
            status=form_status(request, form),
        )
    return render(
        request,
        "governance/decision_form.html",
        {"meeting": meeting, "item": item, "form": form},
        status=form_status(request, form),
    )


@login_required
def conflict_resolve(request: HttpRequest, pk: int, item_pk: int, conflict_pk: int) -> HttpResponse:
    """The item's chair or the secretary records what the meeting decided on a conflict."""
    meeting = permissions.meeting_for_user(request.user, pk)
    item = permissions.agenda_item_for_user(request.user, meeting, item_pk)
    if not permissions.can_resolve_conflicts(request.user, item):
        raise PermissionDenied
    declaration = get_object_or_404(ConflictDeclaration, agenda_item=item, pk=conflict_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    verdict = request.POST.get("verdict", "")
    if verdict not in ("confirm", "dismiss"):
        return HttpResponseBadRequest(_("Unknown action."))
    try:
        services.conflict_resolve(
            declaration=declaration, confirmed=verdict == "confirm", by=request.user
        )
    except ValidationError as refusal:
        messages.error(request, _refusal(refusal))
    else:
        messages.success(
            request,
            _("Recorded: %(name)s is disqualified and steps aside for the item.")
            % {"name": declaration.person.full_name}
            if verdict == "confirm"
            else _("Recorded: %(name)s is not disqualified and takes part in the item.")
            % {"name": declaration.person.full_name},
        )
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#item-{item.pk}")


@login_required
def conflict_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The item's chair or the secretary records a conflict the meeting decided on a person."""
    meeting = permissions.meeting_for_user(request.user, pk)
    item = permissions.agenda_item_for_user(request.user, meeting, item_pk)
    if not permissions.can_resolve_conflicts(request.user, item):
        raise PermissionDenied
    form = forms.ConflictRecordForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                item=item,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
                stage=ConflictDeclaration.Stage.AT_ITEM,
                by=request.user,
            )
        except ValidationError as refusal:
            add_service_error(form, refusal)
        else:
            messages.success(
                request,
                _("Recorded: %(name)s is disqualified and steps aside for the item.")
                % {"name": form.cleaned_data["person"].full_name},
            )
            return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#item-{item.pk}")
    return render(
        request,
        "governance/conflict_record_form.html",
        {"meeting": meeting, "item": item, "form": form},
        status=form_status(request, form),
    )


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance seat by seat: member, deputy standing in, or absent; arrivals and departures."""
    meeting = permissions.meeting_for_user(request.user, pk)
    if not permissions.can_record_attendance(request.user, meeting):
        raise PermissionDenied
    # The voting seats, and the presenter's (present or not, not counted for the quorum).
    seats = list(
        Seat.objects.filter(body_id=meeting.body_id, role__in=[*VOTING_ROLES, Seat.Role.PRESENTER])
        .select_related("member", "deputy")
        .order_by("order")
    )
    rows = {a.seat_id: a for a in meeting.attendances.filter(present=True).select_related("person")}
    sheet_errors: list[str] = []
    forms_by_seat = {}
    for seat in seats:
        current = rows.get(seat.pk)
        initial = {"attending": forms.SeatAttendanceForm.ABSENT}
        if current is not None:
            initial = {
                "attending": forms.SeatAttendanceForm.DEPUTY
                if current.person_id == seat.deputy_id and current.person_id != seat.member_id
                else forms.SeatAttendanceForm.MEMBER,
                "arrived_at_item": current.arrived_at_item_id,
                "left_before_item": current.left_before_item_id,
            }
        data = request.POST if request.method == "POST" else None
        forms_by_seat[seat.pk] = forms.SeatAttendanceForm(
            data, seat=seat, meeting=meeting, prefix=f"seat{seat.pk}", initial=initial
        )
    if request.method == "POST" and all(form.is_valid() for form in forms_by_seat.values()):
        rows = [
            services.SeatAttendance(
                seat=seat,
                attending=forms_by_seat[seat.pk].attending_person(),
                arrived_at_item=forms_by_seat[seat.pk].cleaned_data["arrived_at_item"],
                left_before_item=forms_by_seat[seat.pk].cleaned_data["left_before_item"],
            )
            for seat in seats
        ]
        try:
            services.attendance_sheet_save(meeting=meeting, rows=rows, by=request.user)
        except ValidationError as refusal:
            # The sheet's refusal is no single seat's: it is listed above the seats.
            sheet_errors = refusal.messages
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "governance/attendance.html",
        {
            "meeting": meeting,
            "rows": [(seat, forms_by_seat[seat.pk]) for seat in seats],
            "sheet_errors": sheet_errors,
        },
        status=form_status(request, *forms_by_seat.values(), refused=bool(sheet_errors)),
    )


@login_required
def conflict_declare(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A member or deputy declares (or confirms the portal's proposal of) their own conflict."""
    meeting = permissions.meeting_for_user(request.user, pk)
    if not permissions.can_declare_conflict(request.user, meeting):
        raise PermissionDenied
    item = permissions.agenda_item_for_user(request.user, meeting, item_pk)
    person = permissions.person_of(request.user)
    existing = ConflictDeclaration.objects.filter(agenda_item=item, person=person).first()
    form = forms.ConflictForm(
        request.POST or None, initial={"reason": existing.reason_text if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        stage = (
            ConflictDeclaration.Stage.BEFORE_MEETING
            if meeting.starts_at > timezone.now()
            else ConflictDeclaration.Stage.AT_ITEM
        )
        try:
            services.conflict_declare(
                item=item,
                person=person,
                reason=form.cleaned_data["reason"],
                stage=stage,
                by=request.user,
            )
        except ValidationError as refusal:
            add_service_error(form, refusal)
        else:
            messages.success(
                request, _("Your conflict of interest is recorded: you step aside for this item.")
            )
            return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#item-{item.pk}")
    return render(
        request,
        "governance/conflict_form.html",
        {"meeting": meeting, "item": item, "form": form, "existing": existing},
        status=form_status(request, form),
    )


@login_required
def pack_read(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user(request.user, pk)
    person = permissions.person_of(request.user)
    if person is None or not permissions.can_declare_conflict(request.user, meeting):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.meeting_pack_read_mark(meeting=meeting, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    # No flash on success: the meeting's page itself says the pack is marked read, once.
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
def minutes_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes' steps: at the meeting, whoever presides or the strategy office (as secretary)
    records the two checkers the meeting chose; the office drafts, approves and corrects the
    minutes; each checker checks; the meeting's chair signs."""
    meeting = permissions.meeting_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    office = permissions.can_manage_meetings(request.user)
    allowed = {
        "draft": office,
        "checkers": permissions.can_choose_minutes_checkers(request.user, meeting),
        "approve": office and minutes is not None,
        "correct": office and minutes is not None,
        "check": minutes is not None and permissions.can_check_minutes(request.user, minutes),
        "sign": minutes is not None and permissions.can_sign_minutes(request.user, minutes),
    }
    if action not in allowed:
        return HttpResponseBadRequest(_("Unknown action."))
    if not allowed[action]:
        raise PermissionDenied
    try:
        if action == "draft":
            services.minutes_draft(meeting=meeting, by=request.user)
            messages.success(request, _("Minutes drafted from the meeting's record."))
        elif action == "checkers":
            form = forms.MinutesCheckersForm(request.POST, meeting=meeting)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.minutes_checkers_choose(
                meeting=meeting,
                people=[form.cleaned_data["first"], form.cleaned_data["second"]],
                by=request.user,
            )
            messages.success(request, _("The checkers of the minutes are chosen."))
        elif action == "check":
            minutes = services.minutes_check(minutes=minutes, by=request.user)
            messages.success(request, _("You have checked the minutes."))
        elif action == "sign":
            services.minutes_sign(minutes=minutes, by=request.user)
            messages.success(request, _("Minutes signed."))
        elif action == "approve":
            minutes = services.minutes_approve(minutes=minutes, by=request.user)
            messages.success(request, _("Minutes approved and locked."))
            for note in minutes.approval_notes:
                messages.info(request, note)
        else:
            form = forms.CorrectionForm(request.POST, meeting=meeting)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.minutes_correct(
                minutes=minutes,
                text=form.cleaned_data["text"],
                item=form.cleaned_data["agenda_item"],
                by=request.user,
            )
            messages.success(request, _("Correction added to the minutes."))
    except ValidationError as refusal:
        messages.error(request, _refusal(refusal))
    return redirect("meetings:detail", pk=meeting.pk)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    # A download, not inline: Chromium's built-in PDF viewer needs inline styles that the
    # portal's Content-Security-Policy (style-src 'self') blocks on the response it shows.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user(request.user, pk)
    local = timezone.localtime(meeting.starts_at)
    name = pdf_filename(pgettext("PDF file name", "agenda"), f"{local:%Y-%m-%d}")
    return _pdf_response(pdf.agenda_pdf(meeting), name)


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Approved minutes are public; draft minutes only for those who see the meeting."""
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__body"), meeting_id=pk)
    if not permissions.can_view_minutes(request.user, minutes):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    local = timezone.localtime(minutes.meeting.starts_at)
    data = (
        pdf.approved_minutes_pdf(minutes) if minutes.is_locked else pdf.minutes_pdf(minutes.meeting)
    )
    return _pdf_response(
        data, pdf_filename(pgettext("PDF file name", "minutes"), f"{local:%Y-%m-%d}")
    )


DECISIONS_PER_PAGE = 25


# decisions on applications (calls) and on projects
@public_page("governance", "calls", "projects")
def decisions(request: HttpRequest) -> HttpResponse:
    """Public: the decision register, decisions of approved minutes only."""
    form = forms.DecisionSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.decision_register_page(
        selectors.decision_register(
            permissions.decisions_public(),
            q=filters.get("q", ""),
            body=filters.get("body"),
            outcome=filters.get("outcome", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
    )
    page = Paginator(results, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/decisions.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=form_status(request, form),
    )
