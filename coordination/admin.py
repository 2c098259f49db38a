"""Admin for the strategy office: the coordination records. Writes with side effects (a
coordinator's permission, a visit's status) go through the portal's own pages and services.
Changelists name the related rows they show in ``list_select_related`` (no query per row)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from core.admin import TransitionInline

from .models import (
    AnnualClockEvent,
    CityCoordinator,
    Event,
    EventMaterial,
    ResultAdoption,
    RotatingSeatTurn,
    VisitorGroup,
)


@admin.register(CityCoordinator)
class CityCoordinatorAdmin(admin.ModelAdmin):
    """Read-only here: assigning and ending a term grants and revokes the city permission, so it
    happens on /coordinators/ through the service."""

    list_display = ("city", "person", "since", "until")
    list_filter = ("city",)
    list_select_related = ("city", "person")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RotatingSeatTurn)
class RotatingSeatTurnAdmin(admin.ModelAdmin):
    list_display = ("seat", "city", "starts_on", "ends_on")
    list_select_related = ("seat__body", "seat__member", "city")


@admin.register(AnnualClockEvent)
class AnnualClockEventAdmin(TranslationAdmin):
    list_display = ("title", "kind", "starts_on", "recurrence", "city")
    list_filter = ("kind", "recurrence", "city")
    list_select_related = ("city",)


@admin.register(VisitorGroup)
class VisitorGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "origin", "country", "visit_starts", "status")
    list_filter = ("status", "origin")
    search_fields = ("name", "country", "topics")
    readonly_fields = ("status", "status_changed_by", "status_changed_at")
    filter_horizontal = ("host_cities", "hosts", "projects")
    inlines = [TransitionInline]


class EventMaterialInline(admin.TabularInline):
    model = EventMaterial
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_on", "organiser", "project", "participants")
    list_filter = ("kind",)
    list_select_related = ("organiser", "project")
    search_fields = ("title",)
    inlines = [EventMaterialInline]


@admin.register(ResultAdoption)
class ResultAdoptionAdmin(admin.ModelAdmin):
    list_display = ("result", "project", "city", "adopted_on")
    list_filter = ("city",)
    list_select_related = ("project", "city")
    search_fields = ("result", "project__name")


@admin.register(EventMaterial)
class EventMaterialAdmin(admin.ModelAdmin):
    list_display = ("title", "event", "file", "url", "added_at")
    list_filter = ("event__kind",)
    list_select_related = ("event",)
    search_fields = ("title", "event__title")
