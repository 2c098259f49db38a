"""Two-step enrolment codes issued from the admin, through the same service as the strategy
office's page (``/accounts/two-factor/codes/``, ``sixaika.two_factor.enrolment_code_issue``): the
same rules (an active account without an authenticator; only those who may issue codes), the
same audit row, and each code shown once, on the page the action redirects to (post, redirect,
get: reloading that page issues no second code and shows the codes no more).

The action is on the accounts (Django's user admin, for superusers) and on the people (the
strategy office's list, for a person's linked account). The people's admin is governance's; the
action is added here because issuing codes is sign-in's, which lives in this package, above
governance."""

from importlib import import_module

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import EnrolmentCode, Person
from governance.permissions import can_issue_enrolment_codes

from . import two_factor

User = get_user_model()

# The codes an action just issued, until the page after it has shown them.
ISSUED_CODES_KEY = "admin_issued_enrolment_codes"


def _issue_codes(modeladmin, request: HttpRequest, accounts) -> HttpResponse | None:
    """Issue a code for each ``(label, user or None)``; say why one was not issued."""
    if not can_issue_enrolment_codes(request.user):
        raise PermissionDenied
    issued = []
    for label, user in accounts:
        if user is None:
            message = gettext(
                "The person has no account: choose their user account on the person's page, "
                "then issue the code."
            )
            modeladmin.message_user(request, f"{label}: {message}", level=messages.ERROR)
            continue
        try:
            code, record = two_factor.enrolment_code_issue(user=user, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                modeladmin.message_user(request, f"{label}: {message}", level=messages.ERROR)
        else:
            issued.append({"code": code, "record": record.pk})
    if not issued:
        return None  # back to the list, with the reasons
    back = request.get_full_path()
    request.session[ISSUED_CODES_KEY] = {"codes": issued, "back": back}
    return redirect("admin:auth_user_enrolment_codes")


def _may_issue(request: HttpRequest) -> bool:
    """The action is offered only to whoever may issue codes (it checks again when run)."""
    return can_issue_enrolment_codes(request.user)


@admin.action(description=_("Issue a two-step enrolment code"), permissions=["issue_code"])
def issue_enrolment_code_for_accounts(modeladmin, request, queryset):
    return _issue_codes(
        modeladmin, request, [(user.get_username(), user) for user in queryset.order_by("pk")]
    )


@admin.action(
    description=_("Issue a two-step enrolment code for the account"), permissions=["issue_code"]
)
def issue_enrolment_code_for_people(modeladmin, request, queryset):
    people = queryset.select_related("user").order_by("last_name", "first_name", "pk")
    return _issue_codes(modeladmin, request, [(person.full_name, person.user) for person in people])


class AccountAdmin(UserAdmin):
    actions = [*(UserAdmin.actions or ()), issue_enrolment_code_for_accounts]

    def has_issue_code_permission(self, request: HttpRequest) -> bool:
        return _may_issue(request)

    def get_urls(self):
        return [
            path(
                "enrolment-codes/",
                self.admin_site.admin_view(self.enrolment_codes_view),  # never cached
                name="auth_user_enrolment_codes",
            ),
            *super().get_urls(),
        ]

    def enrolment_codes_view(self, request: HttpRequest) -> HttpResponse:
        """The codes just issued, once: they leave the session as they are shown. Open to
        whoever may issue codes (the strategy office from the people's list too), not only to
        those who may change accounts."""
        if not can_issue_enrolment_codes(request.user):
            raise PermissionDenied
        shown = request.session.pop(ISSUED_CODES_KEY, None) or {}
        entries = shown.get("codes", [])
        records = EnrolmentCode.objects.select_related("user").in_bulk(
            [entry["record"] for entry in entries]
        )
        issued = [
            {"code": entry["code"], "record": records[entry["record"]]}
            for entry in entries
            if entry["record"] in records
        ]
        back = shown.get("back", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enrolment codes for two-step sign-in"),
            "issued": issued,
            "back": back,
            "code_hours": settings.SIXAIKA_2FA_ENROLMENT_CODE_HOURS,
        }
        return TemplateResponse(request, "admin/auth/user/enrolment_codes.html", context)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)

# governance's admin registers the people's; sixaika comes before governance among the apps, so
# its admin module is imported here first (autodiscover then finds it imported).
import_module("governance.admin")
_people = admin.site.get_model_admin(Person)
_people.actions = [*(_people.actions or ()), issue_enrolment_code_for_people]
_people.has_issue_code_permission = _may_issue  # type: ignore[attr-defined]
