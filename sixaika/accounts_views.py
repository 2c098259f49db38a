"""Sign-in pages: login with the optional second factor, and two-step sign-in set-up."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from core.forms import form_status

from . import two_factor


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


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, or, with one set up, verify this session with a code."""
    user = request.user
    if user.is_verified():
        messages.info(request, _("Two-step sign-in is on for your account."))
        return redirect("home")
    has_device = two_factor.has_confirmed_device(user)
    device = None if has_device else two_factor.totp_device_for_enrolment(user=user)
    form = two_factor.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if has_device:
            device = two_factor.confirmed_totp_device(user)
            if device is not None and device.verify_token(token.strip()):
                otp_login(request, device)
                return redirect("home")
        elif two_factor.totp_device_confirm(device=device, token=token):
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is now on for your account."))
            return redirect("home")
        form.add_error(
            "token",
            _("The code is wrong or has expired. Enter the six digits your app shows now."),
        )
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "has_device": has_device,
            "required": two_factor.two_factor_required(user),
            "qr_svg": two_factor.qr_code_svg(device) if device else "",
            "secret": two_factor.secret_base32(device) if device else "",
        },
        status=form_status(request, form),
    )
