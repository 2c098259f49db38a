"""Two-step sign-in (TOTP, django-otp): the login form, enrolment and the rule that some roles
must use it. Which roles is the ``SIXAIKA_2FA_REQUIRED_ROLES`` setting."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.permissions import user_roles


def two_factor_required(user) -> bool:
    required = set(settings.SIXAIKA_2FA_REQUIRED_ROLES)
    return bool(required & user_roles(user))


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Username and password; the authentication code only for users who have a device."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
        help_text=_("Only if you use two-step sign-in: the six digits your app shows."),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Your username and password didn't match. Please try again."),
    }
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the six-digit code from your authenticator app."),
        "invalid_token": _(
            "The authentication code is wrong or has expired. Enter the code your app shows now."
        ),
    }

    # A refusal of the whole form is about these fields: they are marked invalid, as a field's
    # own error would mark it, so a screen reader says which ones to correct.
    FIELDS_OF_ERROR = {
        "invalid_login": ("username", "password"),
        "inactive": ("username",),
        "token_required": ("otp_token",),
        "invalid_token": ("otp_token",),
    }

    def clean(self):
        try:
            self.cleaned_data = super().clean()
            user = self.get_user()
            if user is not None and has_confirmed_device(user):
                self.clean_otp(user)
            elif user is not None:
                user.otp_device = None
        except forms.ValidationError as error:
            for name in self.FIELDS_OF_ERROR.get(error.code or "", ()):
                self.fields[name].widget.attrs["aria-invalid"] = "true"
            raise
        return self.cleaned_data

    def _chosen_device(self, user):
        # One authenticator app per user: its device is the one to verify against.
        return confirmed_totp_device(user)

    def _update_form(self, user):  # django-otp would turn the device field into a Select
        return None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Authentication code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def totp_device_for_enrolment(*, user) -> TOTPDevice:
    """The user's unconfirmed device, made once so the QR code stays the same on reload."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        return device


def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if the code is right; nothing changes otherwise."""
    with transaction.atomic():
        if not device.verify_token(token.strip()):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return True


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()
