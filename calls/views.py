"""Pages for calls, applications, scoring and the evaluation summary. Thin: access through
permissions.py, reads through selectors.py, one service per write. An HTMX request for the
scoring form gets only the form partial back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import previews
from core.forms import add_service_error, form_status
from governance import permissions as governance_permissions
from projects.imports import RowError

from . import forms, permissions, selectors, services
from .models import Application, EvaluationConflict


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- calls ---------------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    """Public: calls that have opened; the office and the bodies also see those not yet open."""
    calls = selectors.calls_list(permissions.visible_calls(request.user))
    return render(
        request,
        "calls/list.html",
        {
            "calls": calls,
            "today": timezone.localdate(),
            "can_manage": permissions.can_manage_calls(request.user),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    form = forms.CallForm(request.POST or None)
    criteria = forms.CriterionFormSet(request.POST or None, prefix="criteria")
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        try:
            call = services.call_create(
                criteria=forms.criteria_from(criteria),
                themes=list(form.cleaned_data.pop("themes")),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The call was created."))
            return redirect("calls:detail", pk=call.pk)
    return render(
        request,
        "calls/call_form.html",
        {"form": form, "criteria": criteria},
        status=form_status(request, form, criteria),
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's public facts; its applications for the office, the steering group and the
    board, with each steering group member's own task list (to score, scored, conflicted)."""
    call = permissions.call_for_user(request.user, pk)
    call = selectors.call_detail(call.pk)
    context: dict[str, object] = {
        "call": call,
        "is_open": call.is_open(),
        "can_manage": permissions.can_manage_calls(request.user),
        "can_read_applications": permissions.can_read_applications(request.user),
    }
    if context["can_read_applications"]:
        applications = selectors.call_applications(call)
        evaluator = permissions.evaluator_of(request.user)
        if evaluator is not None:
            view = selectors.evaluator_view(call, evaluator)
            for application in applications:
                org_ids = {application.applicant_id} | {
                    o.pk for o in application.co_applicants.all()
                }
                application.own_conflict = view.declared.get(application.pk)
                application.own_proposal = view.proposed.get(application.pk)
                application.own_org_applies = evaluator.organisation_id in org_ids
                application.own_scored = application.pk in view.scored
        context.update({"applications": applications, "evaluator": evaluator})
    return render(request, "calls/detail.html", context)


def _stage(request: HttpRequest, call) -> str:
    """The stage asked for; else, in a two-stage call still at its idea papers, those."""
    stage = request.GET.get("stage", "")
    if stage in Application.Stage.values:
        return stage
    if call.two_stage and not call.applications.filter(stage=Application.Stage.FULL).exists():
        return Application.Stage.IDEA
    return Application.Stage.FULL


@login_required
def call_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation summary: weighted score, number of scores, spread, ranking, money."""
    if not permissions.can_read_applications(request.user):
        raise PermissionDenied
    call = permissions.call_for_user(request.user, pk)
    summary = selectors.call_summary(call, _stage(request, call))
    return render(request, "calls/summary.html", {"call": call, "summary": summary})


# --- applications ----------------------------------------------------------------------------


@login_required
def application_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The strategy office registers an application; a closed call says so and takes none."""
    call = permissions.call_for_managing(request.user, pk)
    form = forms.ApplicationForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_register(
                call=call, spec=form.spec(), by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if application.is_eligible:
                messages.success(request, _("The application was registered."))
            else:
                messages.warning(
                    request,
                    _("The application was registered but it is not eligible: %(reason)s")
                    % {"reason": application.eligibility_problem_text},
                )
            return redirect("calls:application", pk=application.pk)
    return render(
        request,
        "calls/application_form.html",
        {"call": call, "form": form, "is_open": call.is_open()},
        status=form_status(request, form),
    )


IMPORT_SESSION_KEY = "calls_applications_import"  # the token of the file kept for confirmation


@login_required
def application_import(request: HttpRequest, pk: int) -> HttpResponse:
    """CSV import of applications: upload -> preview (a dry run: every row checked and written,
    then rolled back) -> confirm (all rows or none), every problem with its row and column.
    The file waits in temporary storage (``core.previews``); the session holds only its token."""
    call = permissions.call_for_managing(request.user, pk)
    kind = f"applications:{call.pk}"
    form = forms.ImportForm()
    result = None
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.pop(IMPORT_SESSION_KEY, "")
        stored = previews.preview_load(kind=kind, user_id=request.user.pk, token=token)
        previews.preview_discard(kind=kind, token=token)
        if stored is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("calls:application_import", pk=call.pk)
        try:
            result = services.applications_import(call=call, data=stored[1], by=request.user)
        except ValidationError as refusal:  # the call closed since the preview
            messages.error(request, " ".join(refusal.messages))
            return redirect("calls:application_import", pk=call.pk)
        else:
            if not result.errors:
                messages.success(
                    request,
                    _("%(count)d applications were imported.") % {"count": len(result.created)},
                )
                return redirect("calls:detail", pk=call.pk)
    elif request.method == "POST":
        # A new upload replaces the preview of the last one, also when it is refused.
        previews.preview_discard(kind=kind, token=request.session.pop(IMPORT_SESSION_KEY, ""))
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                result = services.applications_import(
                    call=call, data=content, by=request.user, dry_run=True
                )
            except ValidationError as refusal:
                add_service_error(form, refusal)
            else:
                if not result.errors:
                    preview = list(zip(result.numbers, result.created, strict=True))
                    request.session[IMPORT_SESSION_KEY] = previews.preview_store(
                        kind=kind, user_id=request.user.pk, filename=upload.name, content=content
                    )
    return render(
        request,
        "calls/import.html",
        {
            "call": call,
            "form": form,
            "result": result,
            "preview": preview,
            "row_errors": [str(RowError(*error)) for error in (result.errors if result else [])],
            "is_open": call.is_open(),
            "columns": services.IMPORT_COLUMNS,
        },
        status=form_status(request, form, refused=bool(result and result.errors)),
    )


def _application_context(request: HttpRequest, application: Application) -> dict[str, object]:
    application = selectors.application_detail(application.pk)
    user = request.user
    summary = selectors.call_summary(application.call, application.stage)
    evaluator = permissions.evaluator_of(user)
    decision = (
        getattr(application.agenda_item, "decision", None) if application.agenda_item else None
    )
    context: dict[str, object] = {
        "application": application,
        "call": application.call,
        "row": summary.row_for(application.pk),
        "summary": summary,
        "decision": decision,
        "decision_final": selectors.decision_is_final(decision),
        # The meeting page's own rule: a link only for those who may open it.
        "can_open_meeting": application.agenda_item is not None
        and governance_permissions.can_view_meeting(user, application.agenda_item.meeting),
        "can_manage": permissions.can_manage_calls(user),
        "can_read_evaluations": permissions.can_read_evaluations(user),
        "evaluator": evaluator,
    }
    if evaluator is not None:
        context["conflict_reason"] = services.conflict_reason(
            application=application, person=evaluator
        )
        context["own_conflict"] = next(
            (c for c in application.conflicts.all() if c.person_id == evaluator.pk), None
        )
        context["own_evaluation"] = next(
            (e for e in application.evaluations.all() if e.evaluator_id == evaluator.pk), None
        )
    if context["can_manage"]:
        context["attachment_form"] = forms.AttachmentForm()
    return context


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.application_for_user(request.user, pk)
    return render(request, "calls/application.html", _application_context(request, application))


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.application_for_managing(request.user, pk)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                application=application,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The attachment was added."))
            return redirect("calls:application", pk=application.pk)
    return render(
        request,
        "calls/attachment_form.html",
        {"application": application, "form": form},
        status=form_status(request, form),
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are not public: served through the same check as the application."""
    attachment = permissions.attachment_for_user(request.user, pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )


@login_required
def application_agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The office puts the application on a board agenda item (conflicts are proposed)."""
    application = permissions.application_for_managing(request.user, pk)
    form = forms.AgendaItemForm(
        request.POST or None, initial={"agenda_item": application.agenda_item_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            people = services.application_agenda_item_attach(
                application=application, item=form.cleaned_data["agenda_item"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The board agenda item was saved."))
            if people:
                messages.info(
                    request,
                    _("A conflict of interest was proposed at the meeting for: %(names)s.")
                    % {"names": ", ".join(p.full_name for p in people)},
                )
            return redirect("calls:application", pk=application.pk)
    return render(
        request,
        "calls/agenda_item_form.html",
        {"application": application, "form": form},
        status=form_status(request, form),
    )


@login_required
@require_POST
def application_fund(request: HttpRequest, pk: int) -> HttpResponse:
    """After the board's approval the office turns the application into a project."""
    application = permissions.application_for_managing(request.user, pk)
    decision = selectors.application_decision(application)
    if decision is None:
        messages.error(request, _("The board has not decided on this application yet."))
        return redirect("calls:application", pk=application.pk)
    try:
        project = services.application_fund_from_decision(
            application=application, decision=decision, by=request.user
        )
    except ValidationError as refusal:
        messages.error(request, _refusal(refusal))
        return redirect("calls:application", pk=application.pk)
    messages.success(request, _("The application is now a project in the portfolio."))
    return redirect("projects:detail", pk=project.pk)


# --- scoring and conflicts -------------------------------------------------------------------


@login_required
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A steering group member scores the application on each criterion, with a comment.

    A conflicted member sees why and gets no form; a POST from them is refused by the service.
    """
    application, evaluator = permissions.application_for_evaluating(request.user, pk)
    criteria = list(application.call.criteria.all())
    existing = (
        application.evaluations.filter(evaluator=evaluator).prefetch_related("scores").first()
    )
    initial = {}
    if existing:
        initial = {f"criterion_{s.criterion_id}": s.score for s in existing.scores.all()}
        initial["comment"] = existing.comment
    form = forms.ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    reason = services.conflict_reason(application=application, person=evaluator)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                application=application,
                evaluator=evaluator,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            saved = True
            if not request.htmx:
                messages.success(request, _("Your scores were saved."))
                return redirect("calls:application", pk=application.pk)
    status = form_status(request, form)
    context = {
        "application": application,
        "form": form,
        "reason": reason,
        "saved": saved,
        "existing": existing,
    }
    if request.htmx:
        # form_status answers an htmx swap with a 200: htmx swaps only successful responses.
        return render(request, "calls/partials/score_form.html", context, status=status)
    return render(request, "calls/score.html", context, status=status)


@login_required
def application_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """A member declares a conflict, or confirms the one the portal proposed, and steps aside."""
    application, evaluator = permissions.application_for_evaluating(request.user, pk)
    existing = EvaluationConflict.objects.filter(application=application, person=evaluator).first()
    form = forms.ConflictForm(
        request.POST or None, initial={"reason": existing.reason_text if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_conflict_declare(
                application=application,
                person=evaluator,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your conflict of interest is recorded: you do not score this application."),
            )
            return redirect("calls:application", pk=application.pk)
    return render(
        request,
        "calls/conflict_form.html",
        {"application": application, "form": form, "existing": existing},
        status=form_status(request, form),
    )
