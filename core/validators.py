"""Validators every app's models and forms share."""

from django.core.validators import MaxLengthValidator

# Long texts (narratives, descriptions, decisions): about ten printed pages. Enforced by the forms
# (and the textarea's maxlength) and by full_clean, so imports and services keep to it too.
LONG_TEXT_MAX_LENGTH = 20_000
LONG_TEXT = {
    "max_length": LONG_TEXT_MAX_LENGTH,
    "validators": [MaxLengthValidator(LONG_TEXT_MAX_LENGTH)],
}
