"""Coordination pages: parse with a form, fetch through permissions, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error, form_status
from core.page_cache import public_page
from governance.models import City

from . import forms, ical, permissions, selectors, services
from .models import AnnualClockEvent, CityCoordinator, EventMaterial, VisitorGroup


def _form_page(request: HttpRequest, form: Form, *, title: str, **context: object):
    return render(
        request,
        "coordination/form.html",
        {"form": form, "title": title, **context},
        status=form_status(request, form),
    )


# --- Coordinators ---------------------------------------------------------------------------------


def coordinators(request: HttpRequest) -> HttpResponse:
    """Public: who coordinates which city since when, and whose turn the rotating seat is."""
    cities = list(selectors.cities_with_coordinators())
    rows = [(city, selectors.current_coordinator(city)) for city in cities]
    return render(
        request,
        "coordination/coordinators.html",
        {
            "rows": rows,
            "cities": cities,
            "seats": selectors.rotating_seats(),
            "can_manage": permissions.can_manage_coordinators(request.user),
            "show_details": permissions.can_see_personal_details(request.user),
        },
    )


@login_required
def coordinator_assign(request: HttpRequest) -> HttpResponse:
    permissions.require_manage_coordinators(request.user)
    form = forms.CoordinatorAssignForm(
        request.POST or None, initial={"since": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            coordinator = services.city_coordinator_assign(**form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(person)s now coordinates %(city)s.")
                % {"person": coordinator.person, "city": coordinator.city},
            )
            return redirect("coordination:coordinators")
    return _form_page(request, form, title=_("Assign a city coordinator"))


@login_required
def coordinator_end(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_manage_coordinators(request.user)
    coordinator = get_object_or_404(
        CityCoordinator.objects.select_related("person__user", "city"), pk=pk, until__isnull=True
    )
    form = forms.CoordinatorEndForm(request.POST or None, initial={"until": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.city_coordinator_end(coordinator=coordinator, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The coordinator's term has ended."))
            return redirect("coordination:coordinators")
    return _form_page(
        request,
        form,
        title=_("End the term of %(person)s (%(city)s)")
        % {"person": coordinator.person, "city": coordinator.city},
    )


@login_required
def seat_turn_add(request: HttpRequest) -> HttpResponse:
    permissions.require_manage_coordinators(request.user)
    form = forms.SeatTurnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rotating_seat_turn_add(**form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The turn has been added."))
            return redirect("coordination:coordinators")
    return _form_page(request, form, title=_("Add a turn in the rotating seat"))


def city(request: HttpRequest, slug: str) -> HttpResponse:
    """Public facts about a city's part in 6Aika; contact details for logged-in users only."""
    page = selectors.city_page(get_object_or_404(City, slug=slug))
    return render(
        request,
        "coordination/city.html",
        {"page": page, "show_details": permissions.can_see_personal_details(request.user)},
    )


# --- Annual clock ---------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# every source of the clock: its own events, meetings, calls, reporting periods, transitions
@public_page("coordination", "governance", "calls", "projects", "core")
def annual_clock(request: HttpRequest) -> HttpResponse:
    """Public: the year's meetings of the public bodies, calls, deadlines and report runs."""
    year = _year(request)
    entries = selectors.annual_clock(year)
    view = "list" if request.GET.get("view") == "list" else "year"
    return render(
        request,
        "coordination/annual_clock.html",
        {
            "year": str(year),  # a year is not a number to format: 2026, never "2 026"
            "previous_year": str(year - 1),
            "next_year": str(year + 1),
            "view": view,
            "entries": entries,
            "months": selectors.annual_clock_months(year, entries),
            "today": timezone.localdate(),
            "can_add": permissions.can_create_entries(request.user),
            "editable": {
                e.object_id
                for e in entries
                if e.source == "clock" and permissions.can_edit_city(request.user, e.city_id)
            },
        },
    )


def annual_clock_ics(request: HttpRequest) -> HttpResponse:
    """Public iCal feed to subscribe to in a calendar client."""
    own, others = selectors.annual_clock_feed_entries()
    response = HttpResponse(
        ical.annual_clock_calendar(
            own=own, others=others, base_url=request.build_absolute_uri("/")
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="6aika-vuosikello.ics"'
    return response


@login_required
def clock_event_create(request: HttpRequest) -> HttpResponse:
    permissions.require_create(request.user)
    return _clock_event_form(request, None)


@login_required
def clock_event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _clock_event_form(request, permissions.clock_event_for_edit(request.user, pk))


def _clock_event_form(request: HttpRequest, event: AnnualClockEvent | None) -> HttpResponse:
    allowed = permissions.allowed_city_ids(request.user)
    form = forms.AnnualClockEventForm(request.POST or None, instance=event, allowed_cities=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.annual_clock_event_save(
                event=event, data=form.cleaned_data, by=request.user, allowed_cities=allowed
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The annual clock entry has been saved."))
            return redirect(f"{reverse('coordination:annual_clock')}?year={saved.starts_on.year}")
    return _form_page(
        request,
        form,
        title=_("Edit an annual clock entry") if event else _("Add an annual clock entry"),
        delete_url=reverse("coordination:clock_event_delete", args=[event.pk]) if event else "",
    )


@login_required
@require_POST
def clock_event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.clock_event_for_edit(request.user, pk)
    services.annual_clock_event_delete(event=event)
    messages.success(request, _("The annual clock entry has been deleted."))
    return redirect("coordination:annual_clock")


# --- Visitor groups -------------------------------------------------------------------------------


@login_required
def visitor_groups(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.visitor_group_list(permissions.visitor_groups_for(request.user)))
    return render(
        request,
        "coordination/visitor_groups.html",
        {
            "rows": [(g, permissions.can_edit_visitor_group(request.user, g)) for g in groups],
            "can_add": permissions.can_create_entries(request.user),
        },
    )


@login_required
def visitor_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(
        selectors.visitor_group_detail(permissions.visitor_groups_for(request.user)), pk=pk
    )
    can_edit = permissions.can_edit_visitor_group(request.user, group)
    allowed = services.VISITOR_GROUPS.targets(group.status)
    return render(
        request,
        "coordination/visitor_group.html",
        {
            "group": group,
            "can_edit": can_edit,
            "status_form": forms.VisitorGroupStatusForm(allowed=allowed)
            if can_edit and allowed
            else None,
            "show_details": permissions.can_see_personal_details(request.user),
        },
    )


@login_required
def visitor_group_create(request: HttpRequest) -> HttpResponse:
    permissions.require_create(request.user)
    return _visitor_group_form(request, None)


@login_required
def visitor_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _visitor_group_form(request, permissions.visitor_group_for(request.user, pk, edit=True))


def _visitor_group_form(request: HttpRequest, group: VisitorGroup | None) -> HttpResponse:
    allowed = permissions.allowed_city_ids(request.user)
    form = forms.VisitorGroupForm(request.POST or None, instance=group, allowed_cities=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.visitor_group_save(
                group=group, data=form.cleaned_data, allowed_cities=allowed
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The visitor group has been saved."))
            return redirect("coordination:visitor_group", pk=saved.pk)
    return _form_page(
        request,
        form,
        title=_("Edit the visitor group") if group else _("Add a visitor group"),
    )


@login_required
@require_POST
def visitor_group_status(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.visitor_group_for(request.user, pk, edit=True)
    form = forms.VisitorGroupStatusForm(
        request.POST, allowed=services.VISITOR_GROUPS.targets(group.status)
    )
    if form.is_valid():
        try:
            services.visitor_group_status_set(
                group=group, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("coordination:visitor_group", pk=group.pk)


@login_required
def visitor_group_report(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.visitor_group_for(request.user, pk, edit=True)
    form = forms.VisitorGroupReportForm(request.POST or None, initial={"report": group.report})
    if request.method == "POST" and form.is_valid():
        try:
            services.visitor_group_report_save(group=group, report=form.cleaned_data["report"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The visit report has been saved."))
            return redirect("coordination:visitor_group", pk=group.pk)
    return _form_page(request, form, title=_("Visit report: %(name)s") % {"name": group.name})


# --- Events ---------------------------------------------------------------------------------------


@login_required
def events(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.event_list(permissions.events_for(request.user)))
    return render(
        request,
        "coordination/events.html",
        {
            "rows": [(e, permissions.can_edit_event(request.user, e)) for e in rows],
            "can_add": permissions.can_create_entries(request.user),
        },
    )


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.event_detail(permissions.events_for(request.user)), pk=pk)
    can_edit = permissions.can_edit_event(request.user, item)
    return render(
        request,
        "coordination/event.html",
        {
            "event": item,
            "can_edit": can_edit,
            "material_form": forms.EventMaterialForm() if can_edit else None,
        },
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    permissions.require_create(request.user)
    return _event_form(request, None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form(request, permissions.event_for(request.user, pk, edit=True))


def _event_form(request: HttpRequest, item) -> HttpResponse:
    allowed = permissions.allowed_city_ids(request.user)
    form = forms.EventForm(request.POST or None, instance=item, allowed_cities=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_save(event=item, data=form.cleaned_data, allowed_cities=allowed)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("coordination:event", pk=saved.pk)
    return _form_page(request, form, title=_("Edit the event") if item else _("Add an event"))


@login_required
def event_material_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.event_for(request.user, pk, edit=True)
    form = forms.EventMaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_material_add(
                event=item,
                title=form.cleaned_data["title"],
                file=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The material has been added."))
            return redirect("coordination:event", pk=item.pk)
    return _form_page(
        request,
        form,
        title=_("Add material to %(event)s") % {"event": item.title},
        multipart=True,
    )


@login_required
@require_POST
def event_material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(EventMaterial.objects.select_related("event"), pk=pk)
    permissions.event_for(request.user, material.event_id, edit=True)
    services.event_material_delete(material=material)
    messages.success(request, _("The material has been removed."))
    return redirect("coordination:event", pk=material.event_id)


@login_required
def event_material_download(request: HttpRequest, pk: int) -> FileResponse:
    """Materials are behind login like the event, so files are served through this check."""
    material = get_object_or_404(EventMaterial.objects.exclude(file=""), pk=pk)
    permissions.event_for(request.user, material.event_id)
    return FileResponse(material.file.open("rb"), as_attachment=True)


# --- Results adoption -----------------------------------------------------------------------------


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """Which city adopted which project result, and how results spread between cities."""
    adoptions = list(selectors.adoption_list(permissions.adoptions_for(request.user)))
    cities = list(City.objects.order_by("order"))
    return render(
        request,
        "coordination/results.html",
        {
            "rows": [(a, permissions.can_edit_adoption(request.user, a)) for a in adoptions],
            "spread": selectors.adoption_spread(adoptions, cities),
            "can_add": permissions.can_create_entries(request.user),
        },
    )


@login_required
def result_create(request: HttpRequest) -> HttpResponse:
    permissions.require_create(request.user)
    return _result_form(request, None)


@login_required
def result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_form(request, permissions.adoption_for_edit(request.user, pk))


def _result_form(request: HttpRequest, adoption) -> HttpResponse:
    allowed = permissions.allowed_city_ids(request.user)
    form = forms.ResultAdoptionForm(request.POST or None, instance=adoption, allowed_cities=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_adoption_save(
                adoption=adoption, data=form.cleaned_data, by=request.user, allowed_cities=allowed
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The adoption has been saved."))
            return redirect("coordination:results")
    return _form_page(
        request,
        form,
        title=_("Edit the adoption") if adoption else _("Record a result adoption"),
        delete_url=reverse("coordination:result_delete", args=[adoption.pk]) if adoption else "",
    )


@login_required
@require_POST
def result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.result_adoption_delete(adoption=permissions.adoption_for_edit(request.user, pk))
    messages.success(request, _("The adoption has been deleted."))
    return redirect("coordination:results")


# --- Contact finder -------------------------------------------------------------------------------


def contacts(request: HttpRequest) -> HttpResponse:
    """Public search of people and organisations; e-mail and phone for logged-in users only."""
    form = forms.ContactSearchForm(request.GET or None)
    people, organisations = [], []
    searched = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    if searched:
        criteria = {
            "city": form.cleaned_data["city"],
            "theme": form.cleaned_data["theme"],
            "role": form.cleaned_data["role"],
            "text": form.cleaned_data["text"],
        }
        people = selectors.contact_people(**criteria)
        organisations = selectors.contact_organisations(**criteria)
    return render(
        request,
        "coordination/contacts.html",
        {
            "form": form,
            "searched": searched,
            "words": form.cleaned_data.get("text", "") if searched else "",
            "people": people,
            "organisations": organisations,
            "show_details": permissions.can_see_personal_details(request.user),
        },
        status=form_status(request, form),
    )


# --- The audit trail ------------------------------------------------------------------------------


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """Who changed what and when, before and after; per kind of record, object and person."""
    from .audit import LIMIT, MAX_PAGE, audit_entries

    permissions.require_browse_audit(request.user)
    form = forms.AuditFilterForm(request.GET or None)
    entries: list = []
    older = False
    page = 1
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        user = data.get("user")
        page = data.get("page") or 1
        entries, older = audit_entries(
            kind=data.get("kind") or None,
            object_id=data.get("object"),
            user_id=user.pk if user else None,
            page=page,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/audit.html",
        {
            "form": form,
            "entries": entries,
            "page": page,
            "older": older and page < MAX_PAGE,
            "truncated": older and page >= MAX_PAGE,
            "shown": MAX_PAGE * LIMIT,
            "query": query.urlencode(),
        },
        status=form_status(request, form),
    )
