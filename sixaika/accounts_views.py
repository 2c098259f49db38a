"""Sign-in pages: login with the optional second factor, two-step sign-in set-up (from a one-time
link sent by e-mail or a code the strategy office issued) with its backup codes, new backup
codes, the office's page that issues the codes, and the password reset by e-mail."""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from core.forms import add_service_error, form_status
from governance.models import EnrolmentCode
from governance.permissions import can_issue_enrolment_codes

from . import two_factor

# The unconfirmed device whose one-time link this session opened.
ENROLMENT_SESSION_KEY = "sixaika_2fa_enrolment"
TOO_MANY_REQUESTS = 429


class LoginView(auth_views.LoginView):
    form_class = two_factor.LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form), status=form_status(self.request, refused=True)
        )


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Verify this session with a code (or a backup code) when an authenticator is set up;
    otherwise send the one-time set-up link, and, once this session has opened it, bind the
    authenticator and show the backup codes once."""
    user = request.user
    if user.is_verified():
        return render(
            request,
            "registration/two_factor_on.html",
            {"form": two_factor.TokenForm(), "has_app": two_factor.confirmed_totp_device(user)},
        )
    context = {"required": two_factor.two_factor_required(user), "email": user.email}
    if two_factor.has_confirmed_device(user):
        form = two_factor.TokenForm(request.POST or None, backup_codes=True)
        if request.method == "POST" and form.is_valid():
            device = two_factor.second_factor_verify(user=user, token=form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                return redirect("home")
            form.add_error("token", _("The code is wrong, used or expired. Enter a code again."))
        return _two_factor_page(request, {**context, "step": "verify", "form": form})

    device = two_factor.enrolment_device(user, request.session.get(ENROLMENT_SESSION_KEY))
    if device is None:
        return _enrolment_link_step(request, context)
    form = two_factor.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            messages.success(request, _("Two-step sign-in is now on for your account."))
            return render(request, "registration/two_factor_backup_codes.html", {"codes": codes})
        form.add_error(
            "token",
            _("The code is wrong or has expired. Enter the six digits your app shows now."),
        )
    context.update(
        step="enrol",
        form=form,
        qr_svg=two_factor.qr_code_svg(device),
        secret=two_factor.secret_base32(device),
    )
    return _two_factor_page(request, context)


def _enrolment_link_step(request: HttpRequest, context: dict) -> HttpResponse:
    """The first set-up starts from the e-mailed link or from a code the office issued."""
    user = request.user
    context["step"] = "link"
    # Whatever is posted here but the link's button is the code's form.
    code_sent = request.method == "POST" and "send_link" not in request.POST
    code_form = two_factor.EnrolmentCodeForm(request.POST if code_sent else None, user=user)
    # the code's form is the page's form: the error summary above lists its errors
    context["code_form"] = context["form"] = code_form
    if code_sent:
        return _enrolment_code_step(request, context, code_form)
    if request.method != "POST":
        return _two_factor_page(request, context)
    if not user.email:
        error = _("Your account has no e-mail address. Ask the strategy office to add one.")
    elif not two_factor.enrolment_link_allowed(user):
        error = _("Too many links have been sent in the last hour. Try again later.")
    else:
        two_factor.enrolment_link_send(
            user=user,
            link_for=lambda token: request.build_absolute_uri(
                reverse("two_factor_enrol", args=[token])
            ),
        )
        messages.success(
            request,
            _(
                "The link has been sent to %(email)s. Open it in this browser, where you are "
                "signed in."
            )
            % {"email": user.email},
        )
        return redirect("two_factor")
    context["errors"] = [error]
    return _two_factor_page(request, context, status=form_status(request, refused=True))


def _enrolment_code_step(request: HttpRequest, context: dict, form) -> HttpResponse:
    if form.is_valid():
        result = two_factor.enrolment_code_redeem(
            user=request.user,
            code=form.cleaned_data["code"],
            password=form.cleaned_data["account_password"],
        )
        if isinstance(result, two_factor.TOTPDevice):
            request.session[ENROLMENT_SESSION_KEY] = result.pk
            messages.success(
                request, _("The enrolment code is accepted. Now set up your authenticator app.")
            )
            return redirect("two_factor")
        field = "account_password" if result == two_factor.CodeRefusal.PASSWORD else "code"
        form.add_error(field, two_factor.ENROLMENT_CODE_REFUSALS[result])
    return _two_factor_page(request, context, status=form_status(request, form))


@never_cache
@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes for a signed-in user who uses two-step sign-in, after a code from the
    app; shown once. The old codes stop working."""
    user = request.user
    device = two_factor.confirmed_totp_device(user)
    if device is not None and not user.is_verified():
        return redirect("two_factor")  # verify this session first
    form = two_factor.TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = two_factor.backup_codes_renew(user=user, token=form.cleaned_data["token"])
        if codes is not None:
            messages.success(request, _("New backup codes made; the earlier ones no longer work."))
            return render(request, "registration/two_factor_backup_codes.html", {"codes": codes})
        form.add_error(
            "token",
            _("The code is wrong or has expired. Enter the six digits your app shows now."),
        )
    return render(
        request,
        "registration/two_factor_on.html",
        {"form": form, "has_app": device},
        status=form_status(request, form) if request.method == "POST" else 200,
    )


@never_cache
@login_required
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """The strategy office issues a one-time enrolment code for an account; shown once.

    Post, redirect, get: the new code waits in the session for the one page that shows it, so
    reloading that page (or going back to it) issues no second code and shows the first no more.
    """
    if not can_issue_enrolment_codes(request.user):
        raise PermissionDenied
    if two_factor.two_factor_required(request.user) and not request.user.is_verified():
        # /accounts/ is open to a session not yet verified (to set it up): this page is not.
        return redirect("two_factor")
    form = two_factor.IssueEnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code, record = two_factor.enrolment_code_issue(
                user=form.cleaned_data["user"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session[ISSUED_CODE_KEY] = {"code": code, "record": record.pk}
            return redirect("two_factor_codes")
    issued = None
    shown = request.session.pop(ISSUED_CODE_KEY, None) if request.method == "GET" else None
    if shown:
        record = EnrolmentCode.objects.select_related("user").filter(pk=shown["record"]).first()
        if record is not None:
            issued = {"code": shown["code"], "record": record}
    recent = EnrolmentCode.objects.select_related("user", "issued_by")[:RECENT_CODES]
    return render(
        request,
        "registration/two_factor_codes.html",
        {
            "form": form,
            "issued": issued,
            "recent": recent,
            "now": timezone.now(),
            "code_hours": settings.SIXAIKA_2FA_ENROLMENT_CODE_HOURS,
        },
        status=form_status(request, form) if request.method == "POST" else 200,
    )


# The session key of a code just issued, until the page after the redirect has shown it.
ISSUED_CODE_KEY = "two_factor_issued_code"
RECENT_CODES = 20


def _two_factor_page(request: HttpRequest, context: dict, status: int | None = None):
    form = context.get("form")
    if status is None:
        status = form_status(request, form) if form is not None else 200
    return render(request, "registration/two_factor.html", context, status=status)


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link from the e-mail: opened in the signed-in session, it lets this session
    set up the authenticator."""
    device = two_factor.enrolment_link_open(user=request.user, token=token)
    if device is None:
        return render(request, "registration/two_factor_link_invalid.html")
    request.session[ENROLMENT_SESSION_KEY] = device.pk
    return redirect("two_factor")


# --- Password reset (Django's views): the same answer whether or not the address has an account


def _reset_allowed(request: HttpRequest, email: str) -> bool:
    """As many requests as login attempts (``AXES_FAILURE_LIMIT``) per address and per e-mail in
    the cool-off time, counted before anything is looked up, so the limit says nothing of which
    accounts exist."""
    if not settings.AXES_ENABLED:
        return True
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    allowed = True
    for key in (
        f"sixaika:password-reset:ip:{get_client_ip_address(request)}",
        f"sixaika:password-reset:email:{digest}",
    ):
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # the cache lost the key (or is down)
            count = 1
        allowed = allowed and count <= settings.AXES_FAILURE_LIMIT
    return allowed


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if not _reset_allowed(self.request, form.cleaned_data["email"]):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            form.add_error(
                None,
                _("Too many password reset requests. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            return self.render_to_response(
                self.get_context_data(form=form), status=TOO_MANY_REQUESTS
            )
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form), status=form_status(self.request, form)
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form), status=form_status(self.request, form)
        )
