"""Admin for the strategy office: every governance model.

Changelists name the related rows they show in ``list_select_related``, so a list costs the same
number of queries however long it is (tests/test_admin.py). Records that a portal procedure
writes (quorum-checked decisions, minutes, corrections) are read-only here: ``ViewOnlyMixin``.
"""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin import TransitionInline

from .models import (
    AgendaItem,
    Attendance,
    Body,
    City,
    ConflictDeclaration,
    Correction,
    Decision,
    Dissent,
    EnrolmentCode,
    Meeting,
    MeetingPackRead,
    Minutes,
    MinutesChecker,
    Organisation,
    Person,
    Seat,
)


class ViewOnlyMixin:
    """Listed and shown, never added or changed here: the portal's pages and services write
    these records and keep them consistent. Deleting stays with the model permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(City)
class CityAdmin(GuardedModelAdmin, TranslationAdmin):
    list_display = ("name", "slug", "order")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # The import and export buttons lead to the strategy office's pages (the strict file
    # reading, the preview and the confirmation): the admin has no second import path.
    change_list_template = "admin/governance/organisation/change_list.html"
    list_display = ("name", "kind", "business_id", "city")
    list_filter = ("kind", "city")
    list_select_related = ("city",)
    search_fields = ("name", "business_id")


@admin.register(Person)
class PersonAdmin(TranslationAdmin):
    list_display = ("last_name", "first_name", "title", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("first_name", "last_name", "organisation__name")
    autocomplete_fields = ("organisation", "user")


class SeatInline(TranslationTabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ("member", "deputy", "organisation")


@admin.register(Body)
class BodyAdmin(TranslationAdmin):
    list_display = ("name", "kind")
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(TranslationAdmin):
    list_display = ("body", "order", "role", "member", "deputy", "is_rotating")
    list_filter = ("body", "role")
    list_select_related = ("body", "member", "deputy")
    search_fields = ("member__first_name", "member__last_name", "label")
    autocomplete_fields = ("member", "deputy", "organisation")


# --- Meetings: what approved minutes cover is read-only here too; changes are corrections ----


def _locked(meeting: Meeting | None) -> bool:
    return (
        meeting is not None
        and Minutes.objects.filter(meeting=meeting, state=Minutes.State.APPROVED).exists()
    )


class LockedWithMinutesMixin:
    """Read-only once the meeting's minutes are approved (``meeting_of`` finds the meeting)."""

    @staticmethod
    def meeting_of(obj):
        return obj.meeting

    def has_change_permission(self, request, obj=None):
        if obj is not None and _locked(self.meeting_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _locked(self.meeting_of(obj)):
            return False
        return super().has_delete_permission(request, obj)


class AgendaItemInline(LockedWithMinutesMixin, TranslationTabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ("presenter",)

    @staticmethod
    def meeting_of(obj):
        return obj  # inlines receive the parent meeting

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)


@admin.register(Meeting)
class MeetingAdmin(LockedWithMinutesMixin, admin.ModelAdmin):
    list_display = ("__str__", "starts_at", "place", "status")
    list_filter = ("body", "status")
    list_select_related = ("body",)
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, TransitionInline]
    readonly_fields = (
        "status",
        "created_by",
        "created_at",
        "status_changed_by",
        "status_changed_at",
    )

    @staticmethod
    def meeting_of(obj):
        return obj


@admin.register(Attendance)
class AttendanceAdmin(LockedWithMinutesMixin, admin.ModelAdmin):
    list_display = ("meeting", "seat", "person", "present", "arrived_at_item", "left_before_item")
    list_filter = ("meeting__body", "present")
    list_select_related = (
        "meeting__body",
        "seat__body",
        "seat__member",
        "person",
        "arrived_at_item",
        "left_before_item",
    )


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(LockedWithMinutesMixin, admin.ModelAdmin):
    list_display = ("agenda_item", "person", "stage", "confirmed")
    list_filter = ("stage", "confirmed")
    list_select_related = ("agenda_item", "person")

    @staticmethod
    def meeting_of(obj):
        return obj.agenda_item.meeting


@admin.register(Decision)
class DecisionAdmin(LockedWithMinutesMixin, admin.ModelAdmin):
    list_display = ("agenda_item", "outcome", "recorded_at")
    list_filter = ("outcome",)
    list_select_related = ("agenda_item__meeting__body",)
    readonly_fields = ("seats_present", "seat_count", "recorded_by", "recorded_at")

    @staticmethod
    def meeting_of(obj):
        return obj.agenda_item.meeting

    def has_add_permission(self, request):
        return False  # decisions are recorded by the chair at the meeting, with quorum checked


@admin.register(AgendaItem)
class AgendaItemAdmin(LockedWithMinutesMixin, TranslationAdmin):
    """Agenda items are usually made on the meeting's page; here for corrections before the
    minutes are approved. A meeting with approved minutes takes no new items."""

    list_display = ("__str__", "meeting", "presenter")
    list_filter = ("meeting__body",)
    list_select_related = ("meeting__body", "presenter")
    search_fields = ("title_fi", "title_en", "title_sv", "draft_decision")
    autocomplete_fields = ("presenter",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = (
                Meeting.objects.exclude(minutes__state=Minutes.State.APPROVED)
                .select_related("body")
                .order_by("-starts_at")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    can_delete = False
    readonly_fields = ("agenda_item", "text", "made_by", "made_at")

    def has_add_permission(self, request, obj=None):
        return False  # corrections are added on the meeting page, through the service


@admin.register(Minutes)
class MinutesAdmin(LockedWithMinutesMixin, admin.ModelAdmin):
    list_display = ("meeting", "state", "approved_at")
    list_filter = ("state",)
    list_select_related = ("meeting__body",)
    readonly_fields = (
        "meeting",
        "state",
        "drafted_by",
        "drafted_at",
        "checked_by",
        "checked_at",
        "approved_by",
        "approved_at",
    )
    inlines = [CorrectionInline, TransitionInline]

    def has_add_permission(self, request):
        return False  # minutes are drafted from the meeting's record on the meeting page


@admin.register(Correction)
class CorrectionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Corrections to approved minutes are made on the meeting page, through the service, and
    are never edited afterwards: the record of a change must itself stay as it was made."""

    list_display = ("minutes", "agenda_item", "made_by", "made_at")
    list_filter = ("minutes__meeting__body",)
    list_select_related = ("minutes__meeting__body", "agenda_item", "made_by")
    search_fields = ("text",)
    date_hierarchy = "made_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingPackRead)
class MeetingPackReadAdmin(admin.ModelAdmin):
    list_display = ("meeting", "person", "read_at")
    list_select_related = ("meeting__body", "person")


@admin.register(Dissent)
class DissentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Recorded with the decision on the meeting page (governance.services.decision_record)."""

    list_display = ("decision", "person")
    list_select_related = ("decision__agenda_item__meeting__body", "person")


@admin.register(MinutesChecker)
class MinutesCheckerAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Chosen at the meeting and checked on the meeting page
    (governance.services.minutes_checkers_choose, minutes_check)."""

    list_display = ("meeting", "person", "chosen_by", "checked_at")
    list_select_related = ("meeting__body", "person", "chosen_by")


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Issued by the strategy office on /accounts/two-factor/codes/ (sixaika.two_factor); the
    code itself is never kept, only its digest."""

    list_display = ("user", "issued_by", "issued_at", "expires_at", "used_at", "failed_attempts")
    list_select_related = ("user", "issued_by")
    exclude = ("digest",)
