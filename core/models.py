"""What the portal keeps about a user that no domain owns: the language to write to them in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserLanguage(models.Model):
    """The language a user reads the portal in, remembered when they choose it, so that mail
    the portal sends them (reminders, the board's meeting pack, role expiry) is in it too.
    A user without a row gets Finnish (``core.languages.language_of``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="preferred_language",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("preferred language")
        verbose_name_plural = _("preferred languages")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
