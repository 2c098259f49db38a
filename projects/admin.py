"""Admin for the strategy office. Projects are entered through the portal's forms and imports,
which enforce the programme rule; the admin is for corrections and reference data.

What a service keeps consistent is read-only here (``ViewOnlyMixin``): implementers, grants and
city contributions (the project's cities and granted sum follow them), status reports' values;
a report's transitions are shown with it (``core.admin.TransitionInline``). Changelists name the
related rows they show in ``list_select_related`` (no query per row).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from core import spreadsheets
from core.admin import TransitionInline
from governance.admin import ViewOnlyMixin

from . import exports, permissions, selectors
from .models import (
    Action,
    CityContribution,
    Grant,
    Implementer,
    Indicator,
    Programme,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportIndicatorValue,
    TargetGroup,
    Theme,
)


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ("name", "slug", "kind")


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ("name", "slug")


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    readonly_fields = ("achieved",)


@admin.register(Project)
class ProjectAdmin(GuardedModelAdmin, TranslationAdmin):
    """Object permissions (a contact person's ``report_project``) are granted here."""

    list_display = ("name", "code", "programme", "status", "needs_completion")
    list_per_page = 25  # the portal list's page size, so the benchmark compares like with like
    list_filter = ("programme", "status", "needs_completion")
    list_select_related = ("programme",)
    search_fields = ("name_fi", "name_en", "code")
    readonly_fields = ("granted",)
    exclude = ("organisations",)
    filter_horizontal = ("cities", "target_groups")
    inlines = [IndicatorInline]
    actions = ["export_xlsx", "export_csv"]
    change_list_template = "admin/projects/project/change_list.html"

    # Import and export here too. An import goes through the portal's import page (its strict
    # file reading, preview, flags and confirmation of new organisations), never through a
    # second, laxer path; an export is the portfolio export of the rows chosen.
    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="projects_project_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request):
        if not permissions.can_import_projects(request.user):
            raise PermissionDenied
        return redirect("projects:import")

    def _export(self, queryset, fmt: str):
        rows = selectors.portfolio_export_rows(queryset.order_by("name_fi", "pk"))
        data = exports.portfolio_dataset(rows, fmt=fmt)
        return spreadsheets.response(data, fmt, "6aika-projects")

    @admin.action(description=_("Export the chosen projects (XLSX)"))
    def export_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    @admin.action(description=_("Export the chosen projects (CSV)"))
    def export_csv(self, request, queryset):
        return self._export(queryset, "csv")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "start_date", "end_date", "due_date")


@admin.register(StatusReport)
class StatusReportAdmin(SimpleHistoryAdmin):
    """Read-mostly: state changes go through the portal (one transition function).

    An accepted report is the record the board relies on: read-only and undeletable here, as
    approved minutes are. Reverting to an earlier version is refused for every report: it would
    rewrite the state (an accepted report back to a draft) past the transition table.
    """

    list_display = ("project", "period", "state", "overall_status", "updated_at")
    list_filter = ("state", "period")
    list_select_related = ("project", "period")
    search_fields = ("project__name_fi", "project__code")
    readonly_fields = ("state", "version")
    inlines = [TransitionInline]

    @staticmethod
    def _accepted(obj) -> bool:
        return obj is not None and obj.state == StatusReport.State.ACCEPTED

    def has_change_permission(self, request, obj=None):
        if self._accepted(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._accepted(obj):
            return False
        return super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- the project's parts ------------------------------------------------------------------------


class ProjectPartAdmin(admin.ModelAdmin):
    """A row that belongs to a project: listed with it, searched by its name or code."""

    list_select_related = ("project",)
    search_fields = ("project__name_fi", "project__name_en", "project__code")
    autocomplete_fields = ("project",)


@admin.register(Implementer)
class ImplementerAdmin(ViewOnlyMixin, ProjectPartAdmin):
    """Changed on the project's edit page or by an import: the project's cities and the
    two-city rule follow its implementers there."""

    list_display = ("project", "organisation", "is_lead", "budget")
    list_filter = ("is_lead", "organisation__kind")
    list_select_related = ("project", "organisation")
    search_fields = (*ProjectPartAdmin.search_fields, "organisation__name")


@admin.register(Grant)
class GrantAdmin(ViewOnlyMixin, ProjectPartAdmin):
    """Changed on the project's edit page or by an import, which keep the project's granted
    sum (and its limit, the cost estimate) in step."""

    list_display = ("project", "funder", "instrument", "amount")
    list_filter = ("instrument", "funder")
    list_select_related = ("project", "funder")
    search_fields = (*ProjectPartAdmin.search_fields, "funder__name")


@admin.register(CityContribution)
class CityContributionAdmin(ViewOnlyMixin, ProjectPartAdmin):
    """Changed with the project's funding on its edit page or by an import."""

    list_display = ("project", "city", "amount")
    list_filter = ("city",)
    list_select_related = ("project", "city")


@admin.register(Action)
class ActionAdmin(ProjectPartAdmin, TranslationAdmin):
    list_display = ("title", "project", "order", "parent")
    list_select_related = ("project", "parent")
    search_fields = (*ProjectPartAdmin.search_fields, "title_fi", "title_en")
    autocomplete_fields = ("project", "parent")


@admin.register(Indicator)
class IndicatorAdmin(ProjectPartAdmin, TranslationAdmin):
    """The achieved value comes from the latest accepted status report."""

    list_display = ("code", "name", "project", "unit", "target", "achieved")
    search_fields = (*ProjectPartAdmin.search_fields, "code", "name_fi", "name_en")
    readonly_fields = ("achieved",)


@admin.register(StatusReportIndicatorValue)
class StatusReportIndicatorValueAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Part of a status report: written with the report, through the portal."""

    list_display = ("report", "indicator", "achieved")
    list_filter = ("report__period",)
    list_select_related = ("report__project", "report__period", "indicator")
    search_fields = ("report__project__name_fi", "report__project__code", "indicator__code")
