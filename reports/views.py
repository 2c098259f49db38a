"""Monitoring reports in the browser: list and request, a report's page, its status, download.

Thin views: access through ``permissions``, writes through ``services``. The status
partial is polled by htmx every two seconds while the report is queued or running.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_status
from core.pdf import pdf_filename

from . import permissions, services
from .forms import OrganisationImportForm, ReportRequestForm
from .models import Report

LIST_LENGTH = 50


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_reports(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report, created = services.report_request(
            kind=data["kind"],
            as_of=data["as_of"],
            language=data["language"],
            city=data.get("city"),
            project=data.get("project"),
            meeting=data.get("meeting"),
            by=request.user,
        )
        from django.contrib import messages

        if getattr(report, "queue_failed", False):
            messages.warning(request, report.error_text)
        elif not created:
            messages.info(request, _("The same report is already being made; here it is."))
        return redirect("reports:detail", pk=report.pk)
    listed = (
        permissions.reports_for(request.user)
        .select_related("city", "project", "meeting__body", "requested_by")
        .order_by("-requested_at", "-pk")[:LIST_LENGTH]
    )
    return render(
        request,
        "reports/list.html",
        {"form": form, "reports": listed, "can_export": permissions.can_export(request.user)},
        status=form_status(request, form),
    )


def _login_if_denied(view):
    """Like ``login_required``, but only when the visitor may not see the report: a project
    fact sheet is public; for any other report an anonymous visitor is sent to log in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapped


@_login_if_denied
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.report_for(request.user, pk)
    template = (
        "reports/partials/status.html"
        if request.headers.get("HX-Request")
        else "reports/detail.html"
    )
    context = {"report": report, "can_use_reports": permissions.can_use_reports(request.user)}
    return render(request, template, context)


@_login_if_denied
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status box alone (the htmx poll)."""
    report = permissions.report_for(request.user, pk)
    compact = bool(request.GET.get("compact"))
    response = render(
        request,
        "reports/partials/status.html",
        {"report": report, "compact": compact},
    )
    if not compact and not report.is_pending and request.headers.get("HX-Request"):
        # The report's page then shows the finished report's figures and charts too.
        response["HX-Refresh"] = "true"
    return response


@_login_if_denied
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = permissions.report_for(request.user, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        # in the language of the request, whichever the report was made in
        filename=pdf_filename(report.get_kind_display(), f"{report.as_of:%Y-%m-%d}", report.pk),
        content_type="application/pdf",
    )


# --- Exports and imports for the strategy office ------------------------------------------------

IMPORT_SESSION_KEY = "coordination_organisations_import"


def _require_exports(request: HttpRequest) -> None:
    if not permissions.can_export(request.user):
        raise PermissionDenied


@login_required
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    _require_exports(request)
    from .resources import EXPORTS

    return render(request, "reports/exports.html", {"exports": EXPORTS})


@login_required
@require_GET
def export_download(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    _require_exports(request)
    from core.spreadsheets import FORMATS, response

    from .resources import EXPORTS, dataset

    if what not in EXPORTS or fmt not in FORMATS:
        raise Http404
    return response(dataset(what, fmt=fmt), fmt, f"6aika-{what.replace('_', '-')}")


@login_required
@require_http_methods(["GET", "POST"])
def organisations_import(request: HttpRequest) -> HttpResponse:
    """Upload -> preview (nothing saved) -> confirm (all rows or none). The file waits in
    temporary storage (``core.previews``); the session holds only its token."""
    from core.previews import preview_discard, preview_load, preview_store

    from .resources import organisations_import as run_import

    _require_exports(request)
    form = OrganisationImportForm()
    context: dict[str, object] = {"errors": [], "preview": None, "form": form}
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.pop(IMPORT_SESSION_KEY, "")
        stored = preview_load(kind="organisations", user_id=request.user.pk, token=token)
        preview_discard(kind="organisations", token=token)
        if stored is None:
            context["errors"] = [_("Upload the file again: the preview has expired.")]
        else:
            filename, content = stored
            rows, errors = run_import(content=content, filename=filename, dry_run=False)
            if errors:
                context["errors"] = errors
            else:
                from django.contrib import messages

                messages.success(
                    request,
                    _("%(count)d organisations imported.") % {"count": len(rows)},
                )
                return redirect("reports:exports")
    elif request.method == "POST":
        # A new upload replaces the preview of the last one, also when it is refused.
        preview_discard(kind="organisations", token=request.session.pop(IMPORT_SESSION_KEY, ""))
        form = OrganisationImportForm(request.POST, request.FILES)
        errors: list[str] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            preview, errors = run_import(content=content, filename=upload.name, dry_run=True)
            if not errors:
                request.session[IMPORT_SESSION_KEY] = preview_store(
                    kind="organisations",
                    user_id=request.user.pk,
                    filename=upload.name,
                    content=content,
                )
                context["preview"] = preview
        else:
            errors = list(form.errors["file"])
        if errors:
            context["errors"] = errors
        context["form"] = form
    status = form_status(request, refused=bool(context["errors"]))
    return render(request, "reports/organisations_import.html", context, status=status)
