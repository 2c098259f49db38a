"""Admin of monitoring reports: read-only records of what was asked and made."""

from django.contrib import admin

from core.admin import TransitionInline
from governance.admin import ViewOnlyMixin

from .models import Report


@admin.register(Report)
class ReportAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Monitoring reports are asked for on /reports/ (or by the schedule) and made by the job;
    a finished report is a frozen snapshot, so nothing of it is changed here."""

    list_display = (
        "__str__",
        "kind",
        "city",
        "project",
        "meeting",
        "status",
        "requested_by",
        "requested_at",
    )
    list_filter = ("kind", "status", "scheduled", "language")
    list_select_related = ("city", "project", "meeting__body", "requested_by")
    search_fields = ("project__name_fi", "city__name_fi", "error")
    date_hierarchy = "requested_at"
    inlines = [TransitionInline]
