"""Portfolio pages. Thin: parse with a form, fetch through permissions/selectors, call one
service, render. An HTMX request renders only the partial it replaces."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import previews, spreadsheets
from core.forms import add_service_error, form_status
from core.page_cache import public_page
from core.pagination import DeferredJoinPaginator

from . import charts, exports, extensions, imports, permissions, selectors, services
from .filters import PortfolioFilter
from .forms import (
    ImportForm,
    ProjectEditor,
    ProjectWorkEditor,
    StartReportForm,
    StatusReportForm,
    TransitionForm,
)
from .models import Project, ReportingPeriod, StatusReport

PAGE_SIZE = 25


@public_page("projects", "governance")
def project_list(request: HttpRequest) -> HttpResponse:
    """Public: the funded portfolio with filters, search, sorting, pagination and totals."""
    filterset = PortfolioFilter(request.GET or None, queryset=selectors.portfolio_list())
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if not filterset.is_bound or not filterset.form.cleaned_data.get("sort"):
        queryset = queryset.order_by("name_fi", "pk")
    else:
        queryset = queryset.order_by(*queryset.query.order_by, "pk")
    # Sorting does not change the totals: without a filter they are the whole portfolio's.
    filters = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    whole = not filterset.is_bound or (
        filterset.is_valid() and not any(v for k, v in filters.items() if k != "sort")
    )
    totals = selectors.portfolio_totals(queryset, whole=whole)
    # A deep page costs what the first does, and a page read before costs no sorting and no
    # search: the portfolio is public, its filters only narrow it (core.pagination).
    paginator = DeferredJoinPaginator(
        queryset,
        PAGE_SIZE,
        version=selectors.portfolio_list_version(),
        rows=selectors.portfolio_list(),
    )
    paginator.count = totals["count"]  # the same set, counted once
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": selectors.portfolio_rows(page.object_list),
        "totals": totals,
        "query": query.urlencode(),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "projects/partials/results.html", context)
    # The whole portfolio in pictures (cached until the portfolio changes)
    context["charts"] = charts.portfolio_charts(selectors.portfolio_funding())
    return render(request, "projects/list.html", context)


def project_export(request: HttpRequest) -> HttpResponse:
    """Public: the (filtered) portfolio as XLSX or CSV, in the import's columns: headings in the
    reader's language, or the machine ids with ``headings=ids``."""
    filterset = PortfolioFilter(request.GET or None, queryset=Project.objects.all())
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheets.FORMATS:
        raise Http404
    headings = "ids" if request.GET.get("headings") == "ids" else "labels"
    rows = selectors.portfolio_export_rows(queryset.order_by("name_fi", "pk"))
    data = exports.portfolio_dataset(rows, headings=headings, fmt=fmt)
    return spreadsheets.response(data, fmt, "6aika-projects")


# the application and decision it was funded from (calls), the workflow's transitions (core)
@public_page("projects", "governance", "calls", "core")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public facts of a project; its status reports for users who may read them."""
    try:
        project = selectors.project_detail(pk)
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    context: dict[str, object] = {
        "project": project,
        # the application and decision it was funded from (added by the calls app)
        **extensions.project_funding(request=request, project=project),
        "indicator_chart": charts.indicator_chart(project.indicators.all()),
    }
    if permissions.can_read_reports(request.user, project):
        reports = selectors.project_reports(project)
        if not permissions.can_read_drafts(request.user, project):
            # a draft is its author's unfinished work (permissions.can_read_drafts)
            reports = [r for r in reports if r.state != StatusReport.State.DRAFT]
        context["reports"] = reports
        context["spending_chart"] = charts.spending_chart(project, reports)
        if permissions.can_edit_reports(request.user, project):  # cached: no extra query
            context["can_edit"] = True
            context["open_periods"] = list(
                selectors.open_periods(project=project, today=timezone.localdate())
            )
    return render(request, "projects/detail.html", context)


# ---------------------------------------------------------------------------------------------
# Status reports (login)


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (or create) the project's report for a period and go to its form."""
    project = permissions.project_for_reporting(request.user, pk)
    form = StartReportForm(request.POST)
    if not form.is_valid():
        raise Http404
    get_object_or_404(ReportingPeriod, pk=form.cleaned_data["period"])
    period = (
        selectors.open_periods(project=project, today=timezone.localdate())
        .filter(pk=form.cleaned_data["period"])
        .first()
    )
    if period is None:
        # Not begun, outside the project's implementation, or reported already.
        messages.error(request, _("A report cannot be started for that period."))
        return redirect(reverse("projects:detail", args=[project.pk]) + "#reports")
    report = services.status_report_start(project=project, period=period, by=request.user)
    return redirect("projects:report_edit", pk=report.pk)


def _report_context(request: HttpRequest, report: StatusReport) -> dict[str, object]:
    report = selectors.report_detail(report)
    values = {v.indicator_id: v.achieved for v in report.indicator_values.all()}
    return {
        "report": report,
        "project": report.project,
        "indicator_rows": [(i, values.get(i.pk)) for i in report.project.indicators.all()],
        "transitions": services.allowed_transitions(report=report, user=request.user),
        "can_edit": report.is_editable
        and permissions.can_edit_reports(request.user, report.project),
        "transition_form": TransitionForm(),
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.report_for_reading(request.user, pk)
    return render(request, "projects/report_detail.html", _report_context(request, report))


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's form. Invalid input: every typed value comes back with the errors
    and nothing is saved. Somebody else saved meanwhile: both versions are shown, nothing is
    overwritten, and the editor decides."""
    report = permissions.report_for_editing(request.user, pk)
    if not report.is_editable:
        messages.info(request, _("This report is no longer editable in its state."))
        return redirect("projects:report_detail", pk=report.pk)
    # A GET shows the values the report states: read with the indicators, in one query.
    indicators = selectors.report_form_indicators(report, stated=request.method != "POST")
    conflict = None
    if request.method == "POST":
        form = StatusReportForm(request.POST, indicators=indicators)
        if form.is_valid():
            submitting = "submit" in request.POST
            write = {
                "report": report,
                "content": form.content(),
                "expected_version": form.cleaned_data["version"],
                "by": request.user,
            }
            submission = None
            try:
                if submitting:
                    # One service, one transaction: the content and the submission, or neither.
                    submission = services.status_report_submit(**write)
                else:
                    services.status_report_update(**write)
            except services.ChangedMeanwhile as exc:
                conflict = selectors.report_detail(exc.current)
                # The editor's text stays in the form; the version moves to the stored one, so
                # saving again is a deliberate choice after seeing both.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = StatusReportForm(data, indicators=indicators)
                form.is_valid()
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if submission is not None and submission.problem:
                    # Kept as a saved draft, not submitted: the form comes back as typed, with
                    # the missing fields marked and listed in the error summary. Its version is
                    # the draft's now, so saving again does not look like a conflict.
                    data = request.POST.copy()
                    data["version"] = str(submission.report.version)
                    form = StatusReportForm(data, indicators=indicators)
                    form.is_valid()
                    for name in submission.missing:
                        form.add_error(name, _("Fill this in before submitting."))
                    return render(
                        request,
                        "projects/report_edit.html",
                        {
                            "report": submission.report,
                            "project": report.project,
                            "form": form,
                            "submit_refused": True,
                        },
                        status=form_status(request, form),
                    )
                if submitting:
                    messages.success(request, _("The report was submitted."))
                    return redirect("projects:report_detail", pk=report.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("projects:report_edit", pk=report.pk)
    else:
        form = StatusReportForm(
            initial=StatusReportForm.initial_for(report, indicators), indicators=indicators
        )
    status = 409 if conflict else form_status(request, form)
    return render(
        request,
        "projects/report_edit.html",
        {"report": report, "project": report.project, "form": form, "conflict": conflict},
        status=status,
    )


@login_required
@require_POST
def report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.report_for_reading(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the report."))
        return redirect("projects:report_detail", pk=report.pk)
    try:
        services.status_report_transition(
            report=report,
            to_state=form.cleaned_data["to_state"],
            by=request.user,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        context = _report_context(request, report)
        context["transition_form"] = form
        context["transition_errors"] = exc.messages
        return render(
            request,
            "projects/report_detail.html",
            context,
            status=form_status(request, refused=True),
        )
    messages.success(request, _("The report's state was changed."))
    return redirect("projects:report_detail", pk=report.pk)


@login_required
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Earlier versions of a report (django-simple-history) the user may read, newest first."""
    report = permissions.report_for_reading(request.user, pk)
    versions = list(
        permissions.readable_versions(request.user, report)
        .select_related("history_user")
        .order_by("-history_id")
    )
    return render(
        request,
        "projects/report_history.html",
        {"report": report, "project": report.project, "versions": versions},
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    """Status reports the user may read, as XLSX or CSV (optionally of one period); headings
    in the reader's language, or the machine ids with ``headings=ids``."""
    if not permissions.can_list_reports(request.user):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheets.FORMATS:
        raise Http404
    reports = permissions.readable_reports(request.user).select_related("project", "period")
    if period := request.GET.get("period"):
        reports = reports.filter(period__name=period)
    headings = "ids" if request.GET.get("headings") == "ids" else "labels"
    rows = reports.order_by("period__start_date", "project__name_fi")
    return spreadsheets.response(
        exports.reports_dataset(rows, headings=headings, fmt=fmt), fmt, "6aika-status-reports"
    )


# ---------------------------------------------------------------------------------------------
# The strategy office: projects entered by hand, flagged imports


def _office(request: HttpRequest) -> None:
    if not permissions.can_import_projects(request.user):
        raise PermissionDenied


def _project_form_view(request: HttpRequest, project: Project | None) -> HttpResponse:
    """The project with its co-implementers, grants and city contributions on one page: all of
    it is valid and saved, or nothing is saved and every message is shown at its field.
    Somebody else saved the project meanwhile: nothing is overwritten, the page shows the saved
    version beside the editor's field by field (409), and the editor decides, as for status
    reports."""
    conflict = None
    differences: list = []
    if request.method == "POST":
        editor = ProjectEditor(request.POST, project=project)
        if editor.is_valid():
            try:
                saved = services.project_upsert(
                    spec=editor.spec(),
                    project=project,
                    # A form without a version (sent before versions existed) cannot be judged:
                    # the first version is assumed, so it is refused once anything was saved.
                    expected_version=None
                    if project is None
                    else editor.form.cleaned_data["version"] or 1,
                )
            except services.ChangedMeanwhile as exc:
                conflict = exc.current
                differences = editor.comparison(conflict)
                # The editor's values stay in the form; the version moves to the stored one, so
                # saving again is a deliberate choice after seeing both.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                editor = ProjectEditor(data, project=project)
                editor.is_valid()
            except ValidationError as exc:
                editor.add_service_error(exc)
                if project is not None:
                    project.refresh_from_db()  # the service may have set fields before refusing
            else:
                messages.success(request, _("The project was saved."))
                return redirect("projects:detail", pk=saved.pk)
    else:
        editor = ProjectEditor(project=project)
    status = 409 if conflict else form_status(request, refused=bool(editor.error_list()))
    return render(
        request,
        "projects/project_form.html",
        {
            "editor": editor,
            "form": editor.form,
            "project": project,
            "conflict": conflict,
            "differences": differences,
        },
        status=status,
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    _office(request)
    return _project_form_view(request, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    return _project_form_view(request, get_object_or_404(Project, pk=pk))


@login_required
def project_work(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits the project's actions, sub-actions and indicators on the project's own
    page (their achieved values come from the coordinators' status reports). All of it is
    valid and saved, or nothing is; a stale save is refused with both versions (409), as on
    the project form."""
    _office(request)
    project = get_object_or_404(Project, pk=pk)
    conflict = None
    differences: list = []
    if request.method == "POST":
        editor = ProjectWorkEditor(request.POST, project=project)
        if editor.is_valid():
            try:
                services.project_work_set(
                    project=project,
                    actions=editor.actions_spec(),
                    indicators=editor.indicators_spec(),
                    expected_version=editor.form.cleaned_data["version"],
                    by=request.user,
                )
            except services.ChangedMeanwhile as exc:
                conflict = exc.current
                differences = editor.comparison(conflict)
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                editor = ProjectWorkEditor(data, project=project)
                editor.is_valid()
            except ValidationError as exc:
                editor.add_service_error(exc)
            else:
                messages.success(request, _("The actions and indicators were saved."))
                return redirect(reverse("projects:detail", args=[project.pk]) + "#actions")
    else:
        editor = ProjectWorkEditor(project=project)
    status = 409 if conflict else form_status(request, refused=bool(editor.error_list()))
    return render(
        request,
        "projects/project_work.html",
        {
            "editor": editor,
            "project": project,
            "conflict": conflict,
            "differences": differences,
        },
        status=status,
    )


@login_required
def flagged(request: HttpRequest) -> HttpResponse:
    """Projects imported without what their programme requires, for the office to complete."""
    if not permissions.can_see_flagged(request.user):
        raise PermissionDenied
    return render(request, "projects/flagged.html", {"projects": selectors.flagged_projects()})


IMPORT_SESSION_KEY = "projects_import_token"  # the token of the file kept for confirmation


@login_required
def project_import(request: HttpRequest) -> HttpResponse:
    """The strategy office's import: upload -> preview (a dry run) -> confirm. The file waits
    in temporary storage (``core.previews``); the session holds only its token."""
    if not permissions.can_import_projects(request.user):
        raise PermissionDenied
    form = ImportForm()
    result = None
    refused = False
    token = ""
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.get(IMPORT_SESSION_KEY, "")
        stored = previews.preview_load(kind="projects", user_id=request.user.pk, token=token)
        if stored is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("projects:import")
        filename, content = stored
        result = imports.projects_import(
            content=content,
            filename=filename,
            dry_run=False,
            create_organisations=request.POST.get("create_organisations") == "1",
        )
        if result.ok:
            previews.preview_discard(kind="projects", token=token)
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.success(
                request,
                _("Imported: %(new)d new, %(updated)d updated projects.")
                % {"new": result.created, "updated": result.updated},
            )
            flagged = sum(1 for row in result.rows if row.flags)
            if flagged:
                messages.warning(
                    request,
                    _("%(count)d projects were flagged to complete: see Projects to complete.")
                    % {"count": flagged},
                )
            return redirect("projects:list")
        refused = True
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        # A new upload replaces the preview of the last one, also when it is refused.
        previews.preview_discard(kind="projects", token=request.session.pop(IMPORT_SESSION_KEY, ""))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            result = imports.projects_import(content=content, filename=upload.name, dry_run=True)
            if result.ok:
                request.session[IMPORT_SESSION_KEY] = previews.preview_store(
                    kind="projects", user_id=request.user.pk, filename=upload.name, content=content
                )
            else:
                refused = True
        else:
            refused = True
    return render(
        request,
        "projects/import.html",
        {
            "form": form,
            "result": result,
            "columns": imports.COLUMNS,
            "optional_columns": imports.OPTIONAL_COLUMNS,
        },
        status=form_status(request, refused=refused),
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Status reports the user may read, newest period first; the office finds the submitted
    ones to accept or return here (``?state=submitted``)."""
    if not permissions.can_list_reports(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    reports = selectors.report_list(permissions.readable_reports(request.user), state=state)
    # The first page sorts every report of the newest periods: the pages' keys are kept.
    # and so is its count (a coordinator reads most of the 18 000 reports of 5 000 projects).
    paginator = DeferredJoinPaginator(
        reports, PAGE_SIZE, version=selectors.report_list_version(), keep_count=True
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/report_list.html",
        {
            "page": page,
            "rows": selectors.report_list_rows(page.object_list),
            "state": state,
            "states": StatusReport.State.choices,
        },
    )
