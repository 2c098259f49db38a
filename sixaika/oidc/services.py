"""Writes for provider sign-in: the account, the roles from the provider's groups, and the expiry
of roles of people who have not signed in for a long time.

Group naming convention (docs/oidc.md): ``6aika__strategy_office``, ``6aika__board``,
``6aika__steering_group``, ``6aika__funder`` and ``6aika__coordinator__<city slug>``.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_objects_for_user, remove_perm

from core import languages
from core.access import forget_access
from governance.models import City
from governance.roles import Role
from governance.services import user_role_grant

from .models import ExternalIdentity, ExternalRoleGrant, InactivityNotice
from .providers import SignInRefused

logger = logging.getLogger(__name__)

GROUP_PREFIX = "6aika__"
COORDINATOR_PREFIX = f"{GROUP_PREFIX}{Role.COORDINATOR.value}__"
COORDINATE_CITY = "governance.coordinate_city"
# (role, city slug or None)
RoleKey = tuple[str, str | None]


@dataclass
class SignInResult:
    user: object
    created: bool
    granted: list[RoleKey] = field(default_factory=list)
    revoked: list[RoleKey] = field(default_factory=list)


def roles_from_groups(groups: list[str], *, city_slugs: set[str]) -> tuple[set[RoleKey], list[str]]:
    """The roles the groups name, and the portal-looking groups that name none (unknown).

    Groups without the ``6aika__`` prefix belong to other services and are not reported.
    """
    wanted: set[RoleKey] = set()
    unknown: list[str] = []
    plain = {f"{GROUP_PREFIX}{role.value}": role.value for role in Role if role != Role.COORDINATOR}
    for raw in groups:
        name = str(raw).strip().lstrip("/")  # Keycloak sends "/name" with full group paths
        if not name.startswith(GROUP_PREFIX):
            continue
        if name in plain:
            wanted.add((plain[name], None))
        elif name.startswith(COORDINATOR_PREFIX) and name[len(COORDINATOR_PREFIX) :] in city_slugs:
            wanted.add((Role.COORDINATOR.value, name[len(COORDINATOR_PREFIX) :]))
        else:
            unknown.append(name)
    return wanted, sorted(set(unknown))


def user_role_revoke(*, user, role: str, city: City | None = None) -> None:
    """Take a role away; the counterpart of ``governance.services.user_role_grant``.

    A coordinator loses the city; the coordinator role goes with the last city.
    """
    with transaction.atomic():
        if role == Role.COORDINATOR:
            if city is None:
                raise ValueError("A coordinator's role is revoked city by city.")
            remove_perm(COORDINATE_CITY, user, city)
            if not _coordinated_city_ids(user):
                user.groups.remove(Group.objects.get(name=role))
        else:
            user.groups.remove(Group.objects.get(name=role))
        _forget_cached_roles(user)


def oidc_sign_in(*, provider: str, claims: dict, groups: list[str]) -> SignInResult:
    """Find or create the portal user for ``claims["sub"]`` at ``provider``, update the name and
    email, and make the provider-given roles match ``groups``. All or nothing."""
    User = get_user_model()
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused(
            _("The sign-in service did not say who you are. Sign-in was refused."),
            reason="no_subject",
        )
    cities = {c.slug: c for c in City.objects.all()}
    wanted, unknown = roles_from_groups(groups, city_slugs=set(cities))
    if unknown:
        # A portal group the portal does not know is a mistake at the provider (a typo, a city
        # that is not one of the six). Signing in without it would quietly take away the role
        # the person is meant to have, so nothing is created or changed until it is mended.
        logger.warning(
            "OIDC %s: sign-in of %s refused: groups %s name no portal role",
            provider,
            subject,
            unknown,
        )
        raise SignInRefused(
            _(
                "Your organisation gives you groups that name no role in the portal: %(groups)s. "
                "Sign-in was refused so that no role is lost by mistake. Ask your organisation's "
                "administrator or the strategy office to correct the groups."
            )
            % {"groups": ", ".join(unknown)},
            reason="unknown_group",
        )
    now = timezone.now()
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=subject)
            .first()
        )
        created = identity is None
        if identity is None:
            user = User(username=_free_username(provider, claims))
            user.set_unusable_password()
            _apply_profile(user, claims)
            user.full_clean()
            user.save()
            identity = ExternalIdentity(user=user, provider=provider, subject=subject)
        else:
            user = identity.user
            if not user.is_active:
                raise SignInRefused(
                    _("Your account in the portal has been closed. Ask the strategy office."),
                    reason="inactive_user",
                )
            if _apply_profile(user, claims):
                user.full_clean()
                user.save()
        identity.last_sign_in_at = now
        identity.full_clean()
        identity.save()
        result = SignInResult(user=user, created=created)
        _roles_sync(
            user=user, provider=provider, wanted=wanted, cities=cities, result=result, now=now
        )
    logger.info(
        "OIDC sign-in %s:%s as %s (created=%s) granted=%s revoked=%s",
        provider,
        subject,
        user.username,
        created,
        result.granted,
        result.revoked,
    )
    return result


def _roles_sync(
    *, user, provider: str, wanted: set[RoleKey], cities: dict, result: SignInResult, now
) -> None:
    mine = {
        (g.role, g.city.slug if g.city_id else None): g
        for g in ExternalRoleGrant.objects.filter(user=user, provider=provider).select_related(
            "city"
        )
    }
    held_roles = set(user.groups.values_list("name", flat=True))
    held_city_ids = _coordinated_city_ids(user)
    from_providers = set(
        ExternalRoleGrant.objects.filter(user=user).values_list("role", "city_id").distinct()
    )
    for role, slug in sorted(wanted - set(mine), key=str):
        city = cities[slug] if slug else None
        city_id = city.pk if city else None
        held = city_id in held_city_ids if city else role in held_roles
        if held and (role, city_id) not in from_providers:
            continue  # granted in the portal: it stays the portal's, the provider does not own it
        if not held:
            user_role_grant(user=user, role=role, city=city)
            result.granted.append((role, slug))
        grant = ExternalRoleGrant(
            user=user, role=role, city=city, provider=provider, granted_at=now
        )
        grant.full_clean()
        grant.save()
    for key in sorted(set(mine) - wanted, key=str):
        grant = mine[key]
        grant.delete()
        others = ExternalRoleGrant.objects.filter(user=user, role=grant.role, city=grant.city)
        if not others.exists():
            user_role_revoke(user=user, role=grant.role, city=grant.city)
            result.revoked.append(key)
    _forget_cached_roles(user)


def _apply_profile(user, claims: dict) -> bool:
    """Copy name and email from the claims; True if anything changed."""
    values = {
        "first_name": str(claims.get("given_name") or "")[:150],
        "last_name": str(claims.get("family_name") or "")[:150],
        "email": str(claims.get("email") or "")[:254],
    }
    changed = False
    for attr, value in values.items():
        if value and getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    return changed


def _free_username(provider: str, claims: dict) -> str:
    """``<provider>.<preferred_username or email or sub>``: never a local account's name."""
    User = get_user_model()
    base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    base = re.sub(r"[^\w.@+-]", "-", base)[:100]
    candidate = f"{provider}.{base}"
    number = 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{provider}.{base}-{number}"
    return candidate


def _coordinated_city_ids(user) -> set[int]:
    return set(
        get_objects_for_user(
            user, COORDINATE_CITY, klass=City, accept_global_perms=False, with_superuser=False
        ).values_list("pk", flat=True)
    )


def _forget_cached_roles(user) -> None:
    forget_access(user)
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


# --- Roles of people who do not sign in ---------------------------------------------------------


@dataclass
class ExpiryReport:
    warned: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def inactive_roles_expire(*, now: datetime | None = None) -> ExpiryReport:
    """Warn people whose roles will go in ``SIXAIKA_ROLE_EXPIRY_WARNING_DAYS``, and remove the
    roles of people who have not signed in for ``SIXAIKA_ROLE_EXPIRY_DAYS``. Idempotent: each
    period of inactivity gets one warning and one removal."""
    now = now or timezone.now()
    limit = timedelta(days=settings.SIXAIKA_ROLE_EXPIRY_DAYS)
    warning = timedelta(days=settings.SIXAIKA_ROLE_EXPIRY_WARNING_DAYS)
    report = ExpiryReport()
    User = get_user_model()
    role_holder_ids = set(
        User.objects.filter(groups__name__in=Role.values).values_list("pk", flat=True)
    ) | set(
        UserObjectPermission.objects.filter(
            permission__codename="coordinate_city", permission__content_type__app_label="governance"
        ).values_list("user_id", flat=True)
    )
    candidates = (
        User.objects.filter(pk__in=role_holder_ids)
        .annotate(reference=Coalesce("last_login", "date_joined"))
        .filter(reference__lte=now - limit + warning)
        .order_by("pk")
    )
    for user in candidates:
        if user.reference <= now - limit:
            if _roles_remove_all(user=user, reference=user.reference, now=now):
                report.removed.append(user.username)
        elif _warn(user=user, reference=user.reference, removal_at=user.reference + limit, now=now):
            report.warned.append(user.username)
    return report


def _warn(*, user, reference: datetime, removal_at: datetime, now: datetime) -> bool:
    with transaction.atomic():
        notice, created = InactivityNotice.objects.get_or_create(
            user=user,
            kind=InactivityNotice.Kind.WARNED,
            reference=reference,
            defaults={"created_at": now},
        )
        if not created:
            return False
        if not user.email:
            logger.warning("Roles of %s will expire on %s; no email to warn", user, removal_at)
            return True
        with translation.override(languages.language_of(user)):  # the recipient's language
            context = {
                "user": user,
                "last_sign_in": timezone.localtime(reference),
                "removal_at": timezone.localtime(removal_at),
                "roles": [Role(r).label for r in Role.values if r in _role_names(user)],
                "days": settings.SIXAIKA_ROLE_EXPIRY_DAYS,
            }
            subject = _("Your roles in the 6Aika portal will be removed on %(date)s") % {
                "date": formats.date_format(context["removal_at"], "SHORT_DATE_FORMAT")
            }
            body = render_to_string("oidc/inactivity_warning.txt", context)
        recipient = user.email
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        )
        logger.info("Warned %s: roles expire on %s", user.username, removal_at)
        return True


def _roles_remove_all(*, user, reference: datetime, now: datetime) -> bool:
    with transaction.atomic():
        _notice, created = InactivityNotice.objects.get_or_create(
            user=user,
            kind=InactivityNotice.Kind.ROLES_REMOVED,
            reference=reference,
            defaults={"created_at": now},
        )
        if not created:
            return False
        for city in City.objects.filter(pk__in=_coordinated_city_ids(user)):
            remove_perm(COORDINATE_CITY, user, city)
        user.groups.remove(*Group.objects.filter(name__in=Role.values))
        ExternalRoleGrant.objects.filter(user=user).delete()
        _forget_cached_roles(user)
        logger.info("Removed the roles of %s: no sign-in since %s", user.username, reference)
        return True


def _role_names(user) -> set[str]:
    return set(user.groups.filter(Q(name__in=Role.values)).values_list("name", flat=True))
