"""Read-only admin lists: who signs in through which provider, which roles providers gave, and
the inactivity notices. Changes happen at the provider and at sign-in, not here."""

from django.contrib import admin

from .models import ExternalIdentity, ExternalRoleGrant, InactivityNotice
from .permissions import can_view_sign_in_records


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return can_view_sign_in_records(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view_sign_in_records(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyAdmin):
    list_display = ("user", "provider", "subject", "last_sign_in_at")
    list_filter = ("provider",)
    search_fields = ("user__username", "user__email", "subject")
    list_select_related = ("user",)


@admin.register(ExternalRoleGrant)
class ExternalRoleGrantAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "city", "provider", "granted_at")
    list_filter = ("provider", "role", "city")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "city")


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "reference", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
