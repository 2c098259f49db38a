"""Who signed in through which provider, which roles the provider gave, and inactivity notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.roles import Role


class ExternalIdentity(models.Model):
    """A portal user as known to one identity provider (the ``sub`` claim is stable there)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(_("identity provider"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_sign_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="oidc_identity_unique"),
            models.UniqueConstraint(fields=["user", "provider"], name="oidc_identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class ExternalRoleGrant(models.Model):
    """A role that exists because an identity provider's group said so.

    Roles without such a row were granted in the portal and are never touched by sign-in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_role_grants"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    city = models.ForeignKey(
        "governance.City", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider = models.CharField(_("identity provider"), max_length=40)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role from an identity provider")
        verbose_name_plural = _("roles from identity providers")
        constraints = [
            # Two partial constraints rather than nulls_distinct=False: SQLite (the embedded
            # default) has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["user", "role", "provider"],
                condition=Q(city__isnull=True),
                name="oidc_role_grant_unique_without_city",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "city", "provider"],
                condition=Q(city__isnull=False),
                name="oidc_role_grant_unique_with_city",
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.COORDINATOR) & Q(city__isnull=False))
                | (~Q(role=Role.COORDINATOR) & Q(city__isnull=True)),
                name="oidc_role_grant_city_iff_coordinator",
            ),
        ]

    def __str__(self) -> str:
        city = f" ({self.city_id})" if self.city_id else ""
        return f"{self.user_id} {self.role}{city} from {self.provider}"


class InactivityNotice(models.Model):
    """One warning, and one removal, per period of inactivity (``reference`` = last sign-in)."""

    class Kind(models.TextChoices):
        WARNED = "warned", _("warned")
        ROLES_REMOVED = "roles_removed", _("roles removed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_notices"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reference = models.DateTimeField(help_text=_("The last sign-in (or joining) this is about."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inactivity notice")
        verbose_name_plural = _("inactivity notices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "reference"], name="oidc_inactivity_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.reference:%Y-%m-%d}"
