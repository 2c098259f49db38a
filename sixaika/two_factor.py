"""Two-step sign-in (TOTP, django-otp): the login form, enrolment and backup codes. Who must use
it is decided in ``governance.permissions.two_factor_required`` (roles and seats).

The first authenticator is bound only after something besides the password: a one-time link
sent to the account's e-mail address and opened in the signed-in session, or a one-time
enrolment code the strategy office issued for the account (``enrolment_code_issue``), entered
with the password (``enrolment_code_redeem``). The password alone does not let its holder bind
their own authenticator. The link names an unconfirmed device and a digest of its key; opening it
gives the device a new key (shown then as the QR code), so the link works once. Confirming the
device makes ten backup codes (django-otp's static device), shown once, each usable once; a
signed-in user makes a new set with a code from the app (``backup_codes_renew``), and the old
ones stop working. Codes issued and used, and new backup codes, are in the audit trail.
"""

import base64
import enum
import hashlib
import hmac
import secrets
from datetime import timedelta
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from governance.audit import BACKUP_CODES, ENROLMENT_CODE, account_right_record
from governance.models import EnrolmentCode
from governance.permissions import can_issue_enrolment_codes, two_factor_required

__all__ = ["two_factor_required"]

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"
ENROLMENT_SALT = "sixaika.two_factor.enrolment"


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def normalise_code(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def is_totp_code(token: str) -> bool:
    """Six digits come from the authenticator app; a backup code has eight letters and digits."""
    token = normalise_code(token)
    return len(token) == 6 and token.isdigit()  # noqa: PLR2004 - the authenticator's digits


def device_for_code(user, token: str):
    """The device a code is checked against: the app for six digits, else the backup codes."""
    return confirmed_totp_device(user) if is_totp_code(token) else backup_device(user)


def second_factor_verify(*, user, token: str):
    """The device that accepts ``token`` (a backup code is used up), or None."""
    device = device_for_code(user, token)
    if device is None:
        return None
    with transaction.atomic():
        return device if device.verify_token(normalise_code(token)) else None


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
        help_text=_(
            "Only if you use two-step sign-in: the six digits your app shows, or a backup code."
        ),
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
        # One authenticator app per user, and one set of backup codes: the code's shape says
        # which of the two it is checked against.
        return device_for_code(user, self.cleaned_data.get("otp_token") or "")

    def _verify_token(self, user, token, device=None):
        return super()._verify_token(user, normalise_code(token), device)

    def _update_form(self, user):  # django-otp would turn the device field into a Select
        return None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Authentication code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "size": 10}),
    )

    def __init__(self, *args, backup_codes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.backup_codes = backup_codes
        if backup_codes:
            self.fields["token"].help_text = _(
                "The six digits your app shows, or one of your backup codes."
            )

    def clean_token(self) -> str:
        token = normalise_code(self.cleaned_data["token"])
        backup_shape = len(token) == 8 and token.isalnum()  # noqa: PLR2004 - a backup code
        if not (is_totp_code(token) or (self.backup_codes and backup_shape)):
            if self.backup_codes:
                raise forms.ValidationError(
                    _("Enter the six digits your app shows, or an eight-character backup code.")
                )
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return token


def enrolment_token(device: TOTPDevice) -> str:
    """The one-time link's token: the device and a digest of its present key, signed and dated."""
    digest = hashlib.sha256(device.key.encode()).hexdigest()[:32]
    return signing.dumps({"d": device.pk, "k": digest}, salt=ENROLMENT_SALT)


def enrolment_link_allowed(user) -> bool:
    """At most ``SIXAIKA_2FA_ENROLMENT_LINKS_PER_HOUR`` links an hour per account: whoever has
    the password must not be able to flood its owner's mailbox."""
    key = f"sixaika:2fa-enrolment-links:{user.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # the cache lost the key (or is down): count this one only
        sent = 1
    return sent <= settings.SIXAIKA_2FA_ENROLMENT_LINKS_PER_HOUR


def enrolment_link_send(*, user, link_for) -> TOTPDevice:
    """Make a new unconfirmed device for ``user`` (earlier links stop working) and e-mail the
    one-time link to set it up. ``link_for(token)`` makes the absolute URL (the view knows the
    host). The account must have an e-mail address."""
    if not user.email:
        raise ValueError("the account has no e-mail address")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        context = {
            "user": user,
            "link": link_for(enrolment_token(device)),
            "hours": settings.SIXAIKA_2FA_ENROLMENT_LINK_HOURS,
        }
        subject = gettext("Set up two-step sign-in in the 6Aika portal")
        body = render_to_string("registration/two_factor_enrolment_email.txt", context)
        recipient = user.email
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        )
        return device


def enrolment_link_open(*, user, token: str) -> TOTPDevice | None:
    """The device the link names, if the link is the user's, unused and not expired. The device
    gets a new key, so the same link does not work again and the key the QR code shows was never
    sent anywhere."""
    try:
        data = signing.loads(
            token, salt=ENROLMENT_SALT, max_age=settings.SIXAIKA_2FA_ENROLMENT_LINK_HOURS * 3600
        )
        device_pk, digest = int(data["d"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device_pk, user=user, confirmed=False)
            .first()
        )
        if device is None or hashlib.sha256(device.key.encode()).hexdigest()[:32] != digest:
            return None
        device.key = default_key()
        device.save(update_fields=["key"])
        return device


def enrolment_device(user, device_pk) -> TOTPDevice | None:
    """The unconfirmed device whose link this session opened."""
    if not device_pk:
        return None
    return TOTPDevice.objects.filter(pk=device_pk, user=user, confirmed=False).first()


def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if the code is right and make the backup codes, which are returned to
    be shown once; nothing changes and None is returned otherwise."""
    with transaction.atomic():
        if not device.verify_token(normalise_code(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return backup_codes_make(user=device.user)


def backup_codes_renew(*, user, token: str) -> list[str] | None:
    """A new set of backup codes for a user who has set up two-step sign-in, after a code from
    their authenticator app (not a backup code: whoever holds the old codes must not make new
    ones). The earlier codes stop working; the new ones are returned to be shown once. None, and
    nothing changed, when the code is wrong."""
    device = confirmed_totp_device(user)
    if device is None or not is_totp_code(token):
        return None
    with transaction.atomic():
        if not device.verify_token(normalise_code(token)):
            return None
        codes = backup_codes_make(user=user)
        account_right_record(user=user, right=BACKUP_CODES, granted=True, by=user)
        return codes


def backup_codes_make(*, user) -> list[str]:
    """New backup codes for the user; the earlier ones stop working. Only their owner sees them,
    once: the caller shows them and does not keep them."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        return codes


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


# --- Enrolment codes the strategy office issues --------------------------------------------------

# Letters and digits that cannot be mistaken for one another when read out on the phone.
ENROLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ENROLMENT_CODE_LENGTH = 12  # 60 bits; and only MAX_ATTEMPTS tries per code


def _code_digest(user, code: str) -> str:
    return hashlib.sha256(f"{user.pk}:{normalise_enrolment_code(code)}".encode()).hexdigest()


def normalise_enrolment_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def format_enrolment_code(code: str) -> str:
    """``ABCD-EFGH-JKLM``: in groups of four, as it is read out."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def enrolment_code_issue(*, user, by) -> tuple[str, EnrolmentCode]:
    """The strategy office issues a one-time code for ``user``'s first set-up of two-step
    sign-in. Earlier unused codes of the user stop working. The code is returned to be shown
    once to the office (only its digest is kept); who issued it for whom is audited."""
    if not can_issue_enrolment_codes(by):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": gettext("The account is not active.")})
    if confirmed_totp_device(user) is not None:
        raise ValidationError(
            {
                "user": gettext(
                    "%(user)s already uses two-step sign-in. If they have lost their phone, "
                    "they sign in with a backup code; to start again, remove their authenticator "
                    "in the administration first."
                )
                % {"user": user.get_username()}
            }
        )
    code = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _ in range(ENROLMENT_CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        record = EnrolmentCode(
            user=user,
            digest=_code_digest(user, code),
            issued_by=by,
            issued_at=now,
            expires_at=now + timedelta(hours=settings.SIXAIKA_2FA_ENROLMENT_CODE_HOURS),
        )
        record.full_clean()
        record.save()
        account_right_record(user=user, right=ENROLMENT_CODE, granted=True, by=by)
        return format_enrolment_code(code), record


class CodeRefusal(enum.Enum):
    NONE = "none"  # no unused code: never issued, used, or replaced
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"  # too many wrong tries
    WRONG = "wrong"
    PASSWORD = "password"  # noqa: S105 - a refusal's name: the code is right, the password not


def enrolment_code_redeem(*, user, code: str, password: str) -> TOTPDevice | CodeRefusal:
    """The user enters the code the office issued with their password: a new unconfirmed
    device for the set-up, and the code is used up. A wrong code or a wrong password counts as
    a try, and the password is checked only while the user has a code that works, so the page
    is no way round the login's lockout; the refusal says why, so the page can say what to do."""
    now = timezone.now()
    with transaction.atomic():
        record = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True)
            .order_by("-issued_at", "-pk")
            .first()
        )
        if record is None:
            return CodeRefusal.NONE
        if record.expires_at <= now:
            return CodeRefusal.EXPIRED
        if record.failed_attempts >= EnrolmentCode.MAX_ATTEMPTS:
            return CodeRefusal.EXHAUSTED
        refusal = None
        if not hmac.compare_digest(record.digest, _code_digest(user, code)):
            refusal = CodeRefusal.WRONG
        elif not user.check_password(password):
            refusal = CodeRefusal.PASSWORD
        if refusal is not None:
            record.failed_attempts += 1
            record.save(update_fields=["failed_attempts"])
            if record.failed_attempts >= EnrolmentCode.MAX_ATTEMPTS:
                return CodeRefusal.EXHAUSTED
            return refusal
        record.used_at = now
        record.save(update_fields=["used_at"])
        account_right_record(user=user, right=ENROLMENT_CODE, granted=False, by=user)
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="default", confirmed=False)


ENROLMENT_CODE_REFUSALS = {
    CodeRefusal.NONE: _(
        "You have no enrolment code that works: it has been used or replaced by a newer one. "
        "Ask the strategy office for a new code, or use the e-mailed link."
    ),
    CodeRefusal.EXPIRED: _(
        "The enrolment code has expired. Ask the strategy office for a new code, or use the "
        "e-mailed link."
    ),
    CodeRefusal.EXHAUSTED: _(
        "The enrolment code was entered wrong too many times and no longer works. Ask the "
        "strategy office for a new code."
    ),
    CodeRefusal.PASSWORD: _("The password is wrong. Enter the password of your account."),
    CodeRefusal.WRONG: _(
        "The enrolment code is wrong. Check it, in groups of four letters and digits, and "
        "enter it again."
    ),
}


class EnrolmentCodeForm(forms.Form):
    """The code the strategy office gave, with the account's password."""

    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=20,
        help_text=_("The code the strategy office gave you, for example ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 16}),
    )
    # Not "password": a signed-in page shows no field of that name (the login's own field).
    account_password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self) -> str:
        code = normalise_enrolment_code(self.cleaned_data["code"])
        if len(code) != ENROLMENT_CODE_LENGTH or set(code) - set(ENROLMENT_CODE_ALPHABET):
            raise forms.ValidationError(
                _("An enrolment code has twelve letters and digits, for example ABCD-EFGH-JKLM.")
            )
        return code


class IssueEnrolmentCodeForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Account"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )
