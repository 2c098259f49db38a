"""Validators for Finnish identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BUSINESS_ID_RE = re.compile(r"^(\d{7})-(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(first_seven: str) -> int | None:
    """The mod-11 check digit of a Y-tunnus body, or None when no valid digit exists."""
    remainder = sum(int(d) * w for d, w in zip(first_seven, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None  # such numbers are never issued
    return 11 - remainder


def validate_business_id(value: str) -> None:
    """Validate a Finnish Business ID (Y-tunnus), e.g. ``0201256-6``."""
    match = _BUSINESS_ID_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter a Business ID in the form 1234567-8 (seven digits, a hyphen, one digit)."),
            code="business_id_format",
        )
    body, check = match.groups()
    expected = business_id_check_digit(body)
    if expected is None or expected != int(check):
        raise ValidationError(
            _("The check digit of Business ID %(value)s is wrong: check the number."),
            code="business_id_check_digit",
            params={"value": value},
        )
