"""What the portal keeps that no domain owns: the record of state changes, and the language
to write to a user in.

Every workflow of the portal (status reports, meetings and minutes, visitor groups, monitoring
reports) writes its moves to ``Transition`` through ``core.transitions.state_change``; the
object is named by its content type and id, so this floor imports no app above it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import LONG_TEXT
from .workflows import workflow_named


class Transition(models.Model):
    """Who moved an object from one state to another, when, and with what comment."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of object"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(_("workflow"), max_length=60)
    name = models.CharField(_("move"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the system made the move."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True, **LONG_TEXT)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        indexes = [models.Index(fields=["content_type", "object_id"], name="transition_object_idx")]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.from_state} -> {self.to_state}"

    def _label(self, state: str) -> str:
        workflow = workflow_named(self.workflow)
        return workflow.label(state) if workflow is not None else state

    def get_from_state_display(self) -> str:
        return self._label(self.from_state)

    def get_to_state_display(self) -> str:
        return self._label(self.to_state)


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
