"""Admin for the strategy office. Projects are entered through the portal's forms and imports,
which enforce the programme rule; the admin is for corrections and reference data."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from guardian.admin import GuardedModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Indicator,
    Programme,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportTransition,
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


@admin.register(Project)
class ProjectAdmin(GuardedModelAdmin, TranslationAdmin):
    """Object permissions (a contact person's ``report_project``) are granted here."""

    list_display = ("name", "code", "programme", "status", "needs_completion")
    list_filter = ("programme", "status", "needs_completion")
    search_fields = ("name_fi", "name_en", "code")
    readonly_fields = ("granted",)
    exclude = ("organisations",)
    filter_horizontal = ("cities", "target_groups")
    inlines = [IndicatorInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "start_date", "end_date", "due_date")


class TransitionInline(admin.TabularInline):
    model = StatusReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "by", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StatusReport)
class StatusReportAdmin(SimpleHistoryAdmin):
    """Read-mostly: state changes go through the portal (one transition function).

    An accepted report is the record the board relies on: read-only and undeletable here, as
    approved minutes are. Reverting to an earlier version is refused for every report: it would
    rewrite the state (an accepted report back to a draft) past the transition table.
    """

    list_display = ("project", "period", "state", "overall_status", "updated_at")
    list_filter = ("state", "period")
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
