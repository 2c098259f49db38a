"""The record of state changes in the admin: listed and shown, never written here (each
workflow's ``state_change`` writes it), and an inline for the admin of each object that has
a workflow."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .models import Transition

FIELDS = ("name", "from_state", "to_state", "by", "at", "comment")


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ("workflow", "object_id", "name", "from_state", "to_state", "by", "at")
    list_filter = ("workflow", "to_state")
    list_select_related = ("by", "content_type")
    search_fields = ("comment", "by__username")
    date_hierarchy = "at"
    readonly_fields = ("content_type", "object_id", "workflow", *FIELDS)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(GenericTabularInline):
    """Who moved the object from state to state, in its admin page."""

    model = Transition
    extra = 0
    can_delete = False
    fields = FIELDS
    readonly_fields = FIELDS

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
